//! `hindcast_<node>`: the stock fan and shortage strip of a demand node (drawn by `fan`) with
//! every observation of that node on it, numbered: a `stock_m3` band at its day on the stock
//! plot; on the strip, which here also draws the share of runs short by each day, a
//! `share_short_days` band over its window, a `p_shortage_by` band at its day and a
//! `first_shortage_day` band across its days; every observation, `delivered_m3` too, is listed
//! above the blockades' timeline over its window, with its band, the model's value and whether
//! it is met. The model's value is a marker, filled when the target is met and hollow when not.

use super::canvas::{Fill, Marker, Shape, Stroke};
use super::fan::{Overlay, Row, fan};
use super::legend::{Entry, Sample};
use super::marks::Mark;
use super::{Layout, Palette, Style, save};
use crate::calendar::Calendar;
use crate::observations::Quantity;
use crate::report::{HindcastData, OutputData, ReportError, ScoredTarget, thousands};
use plotters::prelude::*;
use std::path::Path;

/// Draws the hindcast chart of demand `d` of a run folder whose scores are `hindcast`.
pub fn hindcast_fan(
    data: &OutputData,
    hindcast: &HindcastData,
    d: usize,
    style: &Style,
    stem: &Path,
) -> Result<Layout, ReportError> {
    let demand = &data.demands[d];
    let mut chart = fan(data, d, style);
    chart.title = format!("Stock at {} against what was observed — {}", demand.name, data.meta.name);
    let targets: Vec<ScoredTarget> = hindcast.targets.iter().filter(|t| t.node == demand.id).cloned().collect();
    let by_day: Vec<(f64, f64)> = std::iter::once((0.0, 0.0))
        .chain(demand.days.iter().enumerate().map(|(day, x)| ((day + 1) as f64, 100.0 * x.p_shortage_by_day)))
        .collect();
    let (palette, calendar, city) = (style.palette, data.calendar(), demand.name.clone());
    let horizon = data.horizon();
    chart.overlay = Some(Box::new(move |scale| overlay(&targets, &by_day, palette, calendar, horizon, &city, scale)));
    save(&chart, stem, style)
}

/// A marker of the model's value: filled when the target is met.
fn marker(met: bool, scale: f64) -> Marker {
    Marker { shape: Shape::Diamond, radius: (5.5 * scale).max(4.0), colour: BLACK, filled: met }
}

/// A day in a label: "25 Sep" (the axis gives the year), or "day 25" without dates.
fn day(calendar: Calendar, d: f64) -> String {
    match calendar.date(d.round() as i64) {
        Some(date) => {
            let label = date.long_label();
            label.rsplit_once(' ').map_or(label.clone(), |(day_month, _)| day_month.to_string())
        }
        None => format!("day {}", d.round()),
    }
}

/// A share as a percentage without a unit, whole unless it is small: "50", "2.5".
fn percent(v: f64) -> String {
    let x = 100.0 * v;
    if x >= 10.0 || (x - x.round()).abs() < 0.05 { format!("{x:.0}") } else { format!("{x:.1}") }
}

/// What the label says of a target: its band and the model's value, briefly.
fn describe(t: &ScoredTarget, calendar: Calendar) -> String {
    let model = |f: &dyn Fn(f64) -> String| t.model.map_or_else(|| "none".to_string(), f);
    let share = |v: f64| format!("{} %", percent(v));
    let n = |v: f64| thousands(v.max(0.0).round() as u64);
    let to = t.to.map_or_else(String::new, |d| day(calendar, f64::from(d)));
    match t.quantity {
        Quantity::FirstShortageDay => format!(
            "first shortage {} – {}, model {}",
            day(calendar, t.low),
            day(calendar, t.high),
            model(&|v| day(calendar, v))
        ),
        Quantity::PShortageBy => {
            format!("runs short by {to}: {}–{} %, model {}", percent(t.low), percent(t.high), model(&share))
        }
        Quantity::ShareShortDays => {
            format!("days short: {}–{} %, model {}", percent(t.low), percent(t.high), model(&share))
        }
        Quantity::DeliveredM3 => format!("delivered {}–{} m³, model {}", n(t.low), n(t.high), model(&n)),
        Quantity::StockM3 => format!("stock at the end of {to}: {}–{} m³, model {}", n(t.low), n(t.high), model(&n)),
        Quantity::TrucksLost => {
            let at = if t.site.is_empty() { "everywhere".to_string() } else { format!("at {}", t.site) };
            format!("trucks lost {at}: {}–{}, model {}", n(t.low), n(t.high), model(&n))
        }
    }
}

/// "met" or "NOT met".
fn verdict(met: bool) -> &'static str {
    if met { "met" } else { "NOT met" }
}

/// A vertical band from `lo` to `hi` at `x`, with caps `cap` wide either side.
fn vertical(x: f64, lo: f64, hi: f64, cap: f64, stroke: &Stroke) -> Vec<Mark> {
    [vec![(x, lo), (x, hi)], vec![(x - cap, lo), (x + cap, lo)], vec![(x - cap, hi), (x + cap, hi)]]
        .into_iter()
        .map(|points| Mark::Line { points, stroke: stroke.clone() })
        .collect()
}

/// A box from (x0, y0) to (x1, y1), outlined.
fn outlined(x0: f64, y0: f64, x1: f64, y1: f64, stroke: &Stroke) -> Mark {
    Mark::Line { points: vec![(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)], stroke: stroke.clone() }
}

fn overlay(
    targets: &[ScoredTarget],
    by_day: &[(f64, f64)],
    palette: Palette,
    calendar: Calendar,
    horizon: f64,
    city: &str,
    scale: f64,
) -> Overlay {
    let band = Stroke::dashed(BLACK, (1.8 * scale).max(1.5), &[6.0 * scale, 3.0 * scale]);
    let value = Stroke::solid(BLACK, (2.0 * scale).max(1.5));
    let cap = horizon / 120.0;
    let by = palette.series(1, scale).stroke;
    let by = Stroke { colour: palette.accent(), ..by };
    let mut o = Overlay {
        strip: vec![Mark::Line { points: by_day.to_vec(), stroke: by.clone() }],
        strip_head: Some("Share of runs short on that day (bars) and by that day (line), 0–100 %".into()),
        rows_heading: format!("Observations at {city} (bar: its days, shaded when met, hollow when not)"),
        ..Overlay::default()
    };
    for (i, t) in targets.iter().enumerate() {
        let n = (i + 1).to_string();
        let m = marker(t.met, scale);
        let point = |at: (f64, f64)| Mark::Points { points: vec![at], marker: m };
        let from = t.from.map_or(0.0, f64::from);
        let to = t.to.map_or(horizon - 1.0, f64::from);
        let span = match t.quantity {
            Quantity::StockM3 => {
                let x = to + 1.0;
                o.plot.extend(vertical(x, t.low / 1000.0, t.high / 1000.0, cap, &band));
                o.top = o.top.max(t.high / 1000.0);
                if let Some(v) = t.model {
                    o.plot.push(point((x, v / 1000.0)));
                }
                o.tags.push((n.clone(), (x, t.high / 1000.0), false));
                (to, to + 1.0)
            }
            Quantity::ShareShortDays => {
                o.strip.push(outlined(from, 100.0 * t.low, to + 1.0, 100.0 * t.high, &band));
                if let Some(v) = t.model {
                    o.strip.push(Mark::Line {
                        points: vec![(from, 100.0 * v), (to + 1.0, 100.0 * v)],
                        stroke: value.clone(),
                    });
                    o.strip.push(point(((from + to + 1.0) / 2.0, 100.0 * v)));
                }
                o.tags.push((n.clone(), (from, 100.0 * t.high), true));
                (from, to + 1.0)
            }
            Quantity::PShortageBy => {
                let x = to + 1.0;
                o.strip.extend(vertical(x, 100.0 * t.low, 100.0 * t.high, cap, &band));
                if let Some(v) = t.model {
                    o.strip.push(point((x, 100.0 * v)));
                }
                o.tags.push((n.clone(), (x, 100.0 * t.high), true));
                (to, to + 1.0)
            }
            Quantity::FirstShortageDay => {
                let (a, b) = (t.low, t.high + 1.0);
                o.strip.extend([
                    Mark::Line { points: vec![(a, 50.0), (b, 50.0)], stroke: band.clone() },
                    Mark::Line { points: vec![(a, 35.0), (a, 65.0)], stroke: band.clone() },
                    Mark::Line { points: vec![(b, 35.0), (b, 65.0)], stroke: band.clone() },
                ]);
                if let Some(v) = t.model {
                    o.strip.push(point((v + 0.5, 50.0)));
                }
                o.tags.push((n.clone(), (a, 65.0), true));
                (a, b)
            }
            Quantity::DeliveredM3 | Quantity::TrucksLost => (from, to + 1.0),
        };
        let fill = if t.met {
            Fill {
                colour: Some((RGBColor(120, 120, 120), 0.45)),
                hatch: None,
                outline: Some(Stroke::solid(BLACK, 1.0)),
            }
        } else {
            Fill {
                colour: Some((WHITE, 1.0)),
                hatch: None,
                outline: Some(Stroke::solid(BLACK, (1.5 * scale).max(1.5))),
            }
        };
        o.rows.push(Row {
            label: format!("{n} {}: {} — {}", verdict(t.met), t.name, describe(t, calendar)),
            spans: vec![(span.0.max(0.0), span.1.min(horizon), 1.0)],
            fill: Some(fill),
        });
    }
    o.legend.push(Entry::new("observed band (numbered as listed below)", Sample::Line(band, None)));
    if targets.iter().any(|t| t.met) {
        o.legend.push(Entry::new("model's value: target met", Sample::Marker(marker(true, scale))));
    }
    if targets.iter().any(|t| !t.met) {
        o.legend.push(Entry::new("model's value: target not met", Sample::Marker(marker(false, scale))));
    }
    o
}
