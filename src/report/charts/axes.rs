//! Axes: a plot box with its data ranges, tick marks chosen so that their labels never crowd
//! (round steps with as many decimals as the step needs, or month starts on a time axis), the
//! grid, and the labels, all drawn and recorded on the canvas.

use super::canvas::{Anchor, Canvas, DrawResult, Font, Stroke};
use super::geometry::Rect;
use super::text::axis_number;
use crate::calendar::Calendar;
use plotters::prelude::*;

/// A plot box in pixels and the data ranges it shows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Plot {
    pub rect: Rect,
    pub x: (f64, f64),
    pub y: (f64, f64),
}

impl Plot {
    pub fn px(&self, (x, y): (f64, f64)) -> (f64, f64) {
        (self.x_px(x), self.y_px(y))
    }

    pub fn x_px(&self, x: f64) -> f64 {
        let (a, b) = self.x;
        f64::from(self.rect.x0) + (x - a) / (b - a) * f64::from(self.rect.width())
    }

    pub fn y_px(&self, y: f64) -> f64 {
        let (a, b) = self.y;
        f64::from(self.rect.y1) - (y - a) / (b - a) * f64::from(self.rect.height())
    }
}

/// How days are written on a time axis: as dates from the folder's start date (month ticks),
/// or as day numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TimeAxis {
    pub calendar: Calendar,
    /// Day numbers even when there is a start date (`plot --days`).
    pub days: bool,
}

impl TimeAxis {
    /// Whether days are written as dates.
    pub fn dates(self) -> bool {
        self.calendar.start.is_some() && !self.days
    }

    /// The axis title.
    pub fn title(self) -> String {
        match self.calendar.start {
            Some(start) if !self.days => format!("Date (day 0 = {})", start.long_label()),
            _ => "Days since the scenario starts".to_string(),
        }
    }
}

/// Tick positions and labels.
pub type TickList = Vec<(f64, String)>;

/// What the ticks of an axis are.
#[derive(Debug, Clone, PartialEq)]
pub enum Ticks {
    /// Round numbers.
    Numeric,
    /// Days, written as the time axis says.
    Time(TimeAxis),
}

/// Tick positions and labels for `range`, at most `max` of them.
fn numeric_ticks((lo, hi): (f64, f64), max: usize) -> Vec<(f64, String)> {
    let span = hi - lo;
    if span.is_nan() || span <= 0.0 || max == 0 {
        return vec![(lo, axis_number(lo, 0))];
    }
    let raw = span / max.max(1) as f64;
    let p = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0].iter().map(|m| m * p).find(|s| *s >= raw * 0.999).unwrap_or(10.0 * p);
    let mut decimals = (-step.log10().floor()).max(0.0) as usize;
    if (step / 10f64.powi(-(decimals as i32)) - (step / 10f64.powi(-(decimals as i32))).round()).abs() > 1e-6 {
        decimals += 1;
    }
    let first = (lo / step - 1e-9).ceil() as i64;
    let last = (hi / step + 1e-9).floor() as i64;
    (first..=last).map(|k| k as f64 * step).map(|v| (v, axis_number(v, decimals))).collect()
}

/// Month starts ("Oct 2025"), thinned to every 2nd, 3rd, 6th or 12th month if they crowd; or,
/// over less than three months, round numbers of days written as "4 Oct".
fn date_ticks(cal: Calendar, (lo, hi): (f64, f64), max: usize) -> Vec<(f64, String)> {
    let months = cal.month_starts(lo.ceil() as i64, hi.floor() as i64 + 1);
    if months.len() >= 3 {
        let every =
            [1, 2, 3, 6, 12, 24, 60].into_iter().find(|k| months.len().div_ceil(*k) <= max.max(1)).unwrap_or(120);
        return months.into_iter().step_by(every).map(|(d, l)| (d as f64, l)).collect();
    }
    numeric_ticks((lo, hi), max)
        .into_iter()
        .filter_map(|(d, _)| {
            let date = cal.date(d.round() as i64)?;
            let (_, _, day) = date.ymd();
            let month = date.month_label();
            Some((d, format!("{day} {}", month.split(' ').next().unwrap_or_default())))
        })
        .collect()
}

/// Ticks for an axis of `length` pixels whose labels are at most `label_px` long along it.
pub fn ticks(kind: &Ticks, range: (f64, f64), length: i32, label_px: i32) -> Vec<(f64, String)> {
    let max = (length / label_px.max(1)).max(2) as usize;
    match kind {
        Ticks::Numeric => numeric_ticks(range, max.min(10)),
        Ticks::Time(t) if t.dates() => date_ticks(t.calendar, range, max.min(14)),
        Ticks::Time(_) => numeric_ticks(range, max.min(12)),
    }
}

/// The light grid and the axis lines of `plot`, at the given ticks.
pub fn grid<DB: DrawingBackend>(
    c: &mut Canvas<DB>,
    plot: &Plot,
    xs: &[(f64, String)],
    ys: &[(f64, String)],
) -> DrawResult<(), DB> {
    let r = plot.rect;
    let light = Stroke::solid(RGBColor(225, 225, 225), 1.0);
    for (x, _) in xs {
        let px = plot.x_px(*x).round();
        c.line(&[(px, f64::from(r.y0)), (px, f64::from(r.y1))], &light)?;
    }
    for (y, _) in ys {
        let py = plot.y_px(*y).round();
        c.line(&[(f64::from(r.x0), py), (f64::from(r.x1), py)], &light)?;
    }
    let axis = Stroke::solid(RGBColor(60, 60, 60), 1.0);
    let (x0, y0, x1, y1) = (f64::from(r.x0), f64::from(r.y0), f64::from(r.x1), f64::from(r.y1));
    c.line(&[(x0, y0), (x0, y1), (x1, y1)], &axis)
}

/// Tick labels under the x axis at `top`, skipping any that would touch the one before or
/// leave the image; returns the y under them.
pub fn x_labels<DB: DrawingBackend>(
    c: &mut Canvas<DB>,
    plot: &Plot,
    xs: &[(f64, String)],
    top: i32,
    font: Font,
) -> DrawResult<i32, DB> {
    let mut last: Option<Rect> = None;
    let tick = Stroke::solid(RGBColor(60, 60, 60), 1.0);
    for (x, label) in xs {
        let px = plot.x_px(*x);
        c.line(&[(px.round(), f64::from(plot.rect.y1)), (px.round(), f64::from(plot.rect.y1) + c.px(5.0))], &tick)?;
        let r = c.text_box(label, font, (px.round() as i32, top), Anchor::TopCentre);
        let room = last.is_none_or(|l| r.x0 > l.x1 + c.px(6.0) as i32);
        if room && r.x0 >= 1 && r.x1 < c.width() {
            c.text_in(label, font, BLACK, r)?;
            last = Some(r);
        }
    }
    Ok(top + font.height())
}

/// Tick labels left of the y axis; returns their widest width.
pub fn y_labels<DB: DrawingBackend>(
    c: &mut Canvas<DB>,
    plot: &Plot,
    ys: &[(f64, String)],
    font: Font,
) -> DrawResult<(), DB> {
    let gap = c.px(8.0) as i32;
    let mut last: Option<Rect> = None;
    for (y, label) in ys {
        let py = plot.y_px(*y).round() as i32;
        let r = c.text_box(label, font, (plot.rect.x0 - gap, py), Anchor::Right);
        if last.is_none_or(|l| !l.grow(1).overlaps(r)) {
            c.text_in(label, font, BLACK, r)?;
            last = Some(r);
        }
    }
    Ok(())
}

/// The widest of the labels in `font`.
pub fn widest<DB: DrawingBackend>(c: &Canvas<DB>, labels: &[(f64, String)], font: Font) -> i32 {
    labels.iter().map(|(_, l)| c.text_width(l, font)).max().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::Date;

    fn labels(v: Vec<(f64, String)>) -> Vec<String> {
        v.into_iter().map(|t| t.1).collect()
    }

    #[test]
    fn numeric_ticks_are_round_and_distinct() {
        assert_eq!(labels(numeric_ticks((0.0, 120.0), 7)), ["0", "20", "40", "60", "80", "100", "120"]);
        assert_eq!(labels(numeric_ticks((0.0, 0.04,), 5)), ["0.00", "0.01", "0.02", "0.03", "0.04"]);
        assert_eq!(labels(numeric_ticks((0.0, 1.0), 4)), ["0.00", "0.25", "0.50", "0.75", "1.00"]);
        assert_eq!(labels(numeric_ticks((0.0, 50_000.0), 5)), ["0", "10,000", "20,000", "30,000", "40,000", "50,000"]);
        let t = labels(numeric_ticks((0.0, 0.03), 9));
        let mut unique = t.clone();
        unique.dedup();
        assert_eq!(t, unique, "no label repeats");
    }

    #[test]
    fn sweep_tick_labels_do_not_repeat() {
        // A sweep of an attack probability from 0 to 0.03 wrote "0.01" three times.
        for max in 2..12 {
            let t = labels(numeric_ticks((0.0, 0.03), max));
            let mut unique = t.clone();
            unique.dedup();
            assert_eq!(t, unique, "{max} ticks at most");
        }
    }

    #[test]
    fn time_ticks_are_months_when_dated() {
        let cal = Calendar { start: Date::parse("2025-09-04") };
        let t = TimeAxis { calendar: cal, days: false };
        assert_eq!(
            labels(ticks(&Ticks::Time(t), (0.0, 160.0), 1000, 80)),
            ["Oct 2025", "Nov 2025", "Dec 2025", "Jan 2026", "Feb 2026"]
        );
        assert_eq!(labels(ticks(&Ticks::Time(t), (0.0, 160.0), 240, 80)), ["Oct 2025", "Dec 2025", "Feb 2026"]);
        let days = TimeAxis { calendar: cal, days: true };
        assert_eq!(ticks(&Ticks::Time(days), (0.0, 100.0), 400, 80)[1].1, "20");
        assert_eq!(days.title(), "Days since the scenario starts");
        assert_eq!(t.title(), "Date (day 0 = 4 Sep 2025)");
        let short = ticks(&Ticks::Time(t), (0.0, 30.0), 400, 80);
        assert_eq!(short[1].1, "14 Sep");
    }
}
