//! Fuel-shortage curves: the share of runs whose first shortage day is at or before each day.
//! `shortage_probability` draws every demand node of a run on one chart; `compare_shortage`
//! draws one node under every compared scenario. Each curve has its own dash pattern and
//! markers, so that the curves read apart in black and white.

use super::axes::{Ticks, TimeAxis};
use super::canvas::Stroke;
use super::legend::{Entry, Sample};
use super::marks::Mark;
use super::palette::marker_points;
use super::xy::{Axis, Xy};
use super::{Figure, Layout, Palette, Style, pct, save};
use crate::report::{CompareData, OutputData, ReportError};
use plotters::prelude::*;
use std::path::Path;

pub(super) struct Curves {
    title: String,
    footer: String,
    horizon: f64,
    /// (legend label, points (time, %)) per demand node or scenario.
    series: Vec<(String, Vec<(f64, f64)>)>,
    /// The first series is a reference (of a comparison): drawn last, in black, so that it
    /// shows where another scenario's curve coincides with it.
    reference: bool,
    palette: Palette,
    time: TimeAxis,
}

/// P(first shortage ≤ day) reaches its value by the end of that day: time day + 1.
fn curve(by_day: impl Iterator<Item = f64>) -> Vec<(f64, f64)> {
    std::iter::once((0.0, 0.0)).chain(by_day.enumerate().map(|(day, p)| ((day + 1) as f64, 100.0 * p))).collect()
}

/// Draws the shortage curves of all demand nodes of a run.
pub fn shortage_probability(data: &OutputData, style: &Style, stem: &Path) -> Result<Layout, ReportError> {
    let cal = data.calendar();
    let by = |day: u32| if style.days || cal.start.is_none() { format!("day {day}") } else { cal.iso(i64::from(day)) };
    let series = data
        .demands
        .iter()
        .map(|d| {
            let label = format!(
                "{}: {} by {} (95 % CI {} to {})",
                d.name,
                pct(d.p_shortage),
                by(data.meta.horizon_days),
                pct(d.p_shortage_ci.0),
                pct(d.p_shortage_ci.1)
            );
            (label, curve(d.days.iter().map(|x| x.p_shortage_by_day)))
        })
        .collect();
    let curves = Curves {
        title: format!("Probability that a fuel shortage has begun — {}", data.meta.name),
        footer: data.footer(),
        horizon: data.horizon(),
        series,
        reference: false,
        palette: style.palette,
        time: TimeAxis { calendar: cal, days: style.days },
    };
    save(&curves, stem, style)
}

/// Draws the shortage curve of demand node `node` under every compared scenario that has it.
pub fn compare_shortage(c: &CompareData, node: &str, style: &Style, stem: &Path) -> Result<Layout, ReportError> {
    let mut series = Vec::new();
    let mut horizon: f64 = 1.0;
    let mut name = node.to_string();
    for (m, scenario) in c.meta.scenarios.iter().enumerate() {
        let Some(row) = c.row(scenario, node) else { continue };
        name = row.name.clone();
        horizon = horizon.max(row.by_day.len() as f64);
        let label = format!(
            "{scenario}{}: {} (95 % CI {} to {})",
            if m == 0 { " (reference)" } else { "" },
            pct(row.p_shortage),
            pct(row.p_shortage_ci.0),
            pct(row.p_shortage_ci.1)
        );
        series.push((label, curve(row.by_day.iter().copied())));
    }
    let curves = Curves {
        title: format!("Probability that a fuel shortage has begun at {name}"),
        footer: c.meta.footer(),
        horizon,
        series,
        reference: true,
        palette: style.palette,
        time: TimeAxis { calendar: c.meta.calendar(), days: style.days },
    };
    save(&curves, stem, style)
}

impl Curves {
    fn chart(&self, scale: f64) -> Xy {
        let mut marks = Vec::new();
        let mut legend = Vec::new();
        let n = self.series.len();
        // The reference goes last, so that it is drawn over the curves that coincide with it.
        let mut order: Vec<usize> = (0..n).collect();
        if self.reference {
            order.rotate_left(1);
        }
        for i in order {
            let (label, points) = &self.series[i];
            let mut style = self.palette.series(i, scale);
            if self.reference && i == 0 {
                style.stroke = Stroke { colour: BLACK, width: style.stroke.width * 0.8, dash: Vec::new() };
                style.marker.colour = BLACK;
            }
            marks.push(Mark::Line { points: points.clone(), stroke: style.stroke.clone() });
            if n > 1 {
                marks.push(Mark::Points { points: marker_points(points, 8, i, n), marker: style.marker });
            }
            let marker = (n > 1).then_some(style.marker);
            legend.push((i, Entry::new(label.clone(), Sample::Line(style.stroke, marker))));
        }
        legend.sort_by_key(|e| e.0);
        Xy {
            title: self.title.clone(),
            footer: self.footer.clone(),
            x: Axis { range: (0.0, self.horizon), ticks: Ticks::Time(self.time), title: self.time.title() },
            y: Axis { range: (0.0, 100.0), ticks: Ticks::Numeric, title: "Runs with a shortage by then (%)".into() },
            marks,
            legend: legend.into_iter().map(|e| e.1).collect(),
            empty: None,
        }
    }
}

impl Figure for Curves {
    fn draw<DB: DrawingBackend>(&self, c: &mut super::canvas::Canvas<DB>) -> super::canvas::DrawResult<(), DB> {
        super::xy::draw(c, &self.chart(c.scale)).map(|_| ())
    }
}
