//! `first_shortage_day`: when shortages begin — for each demand node that runs short in some
//! run, the share of runs whose first shortage falls on each day (the day-to-day increase of
//! P(first shortage ≤ day), so exact, not binned from a sample). Each node's bars have their
//! own fill (solid, hatched one way, hatched the other), so that they read apart in print.

use super::axes::{Ticks, TimeAxis};
use super::canvas::{Fill, Hatch, Stroke};
use super::legend::{Entry, Sample};
use super::marks::Mark;
use super::xy::{Axis, Xy};
use super::{Figure, Layout, Palette, Style, nice_ceiling, pct, save};
use crate::report::{OutputData, ReportError};
use plotters::prelude::*;
use std::path::Path;

pub(super) struct Histogram {
    title: String,
    footer: String,
    horizon: f64,
    /// (label, share of runs (%) per day).
    series: Vec<(String, Vec<f64>)>,
    palette: Palette,
    time: TimeAxis,
}

pub fn first_day_histogram(data: &OutputData, style: &Style, stem: &Path) -> Result<Layout, ReportError> {
    let cal = data.calendar();
    let series = data
        .demands
        .iter()
        .filter(|d| d.p_shortage > 0.0)
        .map(|d| {
            let mut last = 0.0;
            let shares = d
                .days
                .iter()
                .map(|x| {
                    let share = 100.0 * (x.p_shortage_by_day - last).max(0.0);
                    last = x.p_shortage_by_day;
                    share
                })
                .collect();
            let median = match d.first_shortage_day_p50 {
                Some(m) if cal.start.is_some() && !style.days => cal.iso(i64::from(m)),
                Some(m) => format!("day {m}"),
                None => "-".to_string(),
            };
            (format!("{}: {} of runs, median {median}", d.name, pct(d.p_shortage)), shares)
        })
        .collect();
    let figure = Histogram {
        title: format!("Day the first shortage begins — {}", data.meta.name),
        footer: data.footer(),
        horizon: data.horizon(),
        series,
        palette: style.palette,
        time: TimeAxis { calendar: cal, days: style.days },
    };
    save(&figure, stem, style)
}

impl Histogram {
    /// The fill of node i's bars: its colour, and (after the first) hatching.
    fn fill(&self, i: usize, scale: f64) -> Fill {
        let colour = self.palette.series(i, scale).stroke.colour;
        let hatch = (i > 0).then(|| Hatch { colour, width: 1.0, spacing: (5.0 * scale).round(), rising: i % 2 == 1 });
        let solid = if i == 0 { 0.75 } else { 0.15 };
        Fill { colour: Some((colour, solid)), hatch, outline: Some(Stroke::solid(colour, 1.0)) }
    }

    fn chart(&self, scale: f64) -> Xy {
        let top = nice_ceiling(self.series.iter().flat_map(|s| s.1.iter()).fold(0.0f64, |a, &b| a.max(b)) * 1.05);
        let n = self.series.len().max(1) as f64;
        let mut marks = Vec::new();
        let mut legend = Vec::new();
        for (i, (label, shares)) in self.series.iter().enumerate() {
            let fill = self.fill(i, scale);
            // Nodes side by side within each day.
            let (w, x0) = (0.8 / n, 0.1 + 0.8 * i as f64 / n);
            for (day, &v) in shares.iter().enumerate().filter(|(_, v)| **v > 0.0) {
                marks.push(Mark::bar(day as f64 + x0, 0.0, day as f64 + x0 + w, v, fill.clone()));
            }
            legend.push(Entry::new(label.clone(), Sample::Area(fill)));
        }
        Xy {
            title: self.title.clone(),
            footer: self.footer.clone(),
            x: Axis {
                range: (0.0, self.horizon),
                ticks: Ticks::Time(self.time),
                title: if self.time.dates() {
                    self.time.title().replacen("Date", "Date of the first shortage", 1)
                } else {
                    "Day of the first shortage".into()
                },
            },
            y: Axis {
                range: (0.0, top),
                ticks: Ticks::Numeric,
                title: "Runs whose first shortage is that day (%)".into(),
            },
            marks,
            legend,
            empty: self.series.is_empty().then(|| "No run has a shortage.".to_string()),
        }
    }
}

impl Figure for Histogram {
    fn draw<DB: DrawingBackend>(&self, c: &mut super::canvas::Canvas<DB>) -> super::canvas::DrawResult<(), DB> {
        super::xy::draw(c, &self.chart(c.scale)).map(|_| ())
    }
}
