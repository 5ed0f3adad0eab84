//! Fuel-shortage curves: the share of runs whose first shortage day is at or before each day.
//! `shortage_probability` draws every demand node of a run on one chart; `compare_shortage`
//! draws one node under every compared scenario.

use super::{Figure, Palette, Style, frame, legend, mesh, nice_ceiling, pct, save, with_footer};
use crate::report::{CompareData, OutputData, ReportError};
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::Path;

struct Curves {
    title: String,
    footer: String,
    horizon: f64,
    /// (legend label, points (time, %)) per demand node or scenario.
    series: Vec<(String, Vec<(f64, f64)>)>,
    /// The first series is a reference (of a comparison): drawn last, in black, so that it
    /// shows where another scenario's curve coincides with it.
    reference: bool,
    palette: Palette,
}

/// P(first shortage ≤ day) reaches its value by the end of that day: time day + 1.
fn curve(by_day: impl Iterator<Item = f64>) -> Vec<(f64, f64)> {
    std::iter::once((0.0, 0.0)).chain(by_day.enumerate().map(|(day, p)| ((day + 1) as f64, 100.0 * p))).collect()
}

/// Draws the shortage curves of all demand nodes of a run.
pub fn shortage_probability(data: &OutputData, style: &Style, stem: &Path) -> Result<(), ReportError> {
    let days = data.meta.horizon_days;
    let series = data
        .demands
        .iter()
        .map(|d| {
            let label = format!(
                "{}: {} by day {days} (95 % CI {} to {})",
                d.name,
                pct(d.p_shortage),
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
    };
    save(&curves, stem, style)
}

/// Draws the shortage curve of demand node `node` under every compared scenario that has it.
pub fn compare_shortage(c: &CompareData, node: &str, style: &Style, stem: &Path) -> Result<(), ReportError> {
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
    };
    save(&curves, stem, style)
}

impl Figure for Curves {
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let plot = with_footer(root, &self.footer)?;
        let mut chart = frame(&plot, &self.title, 0.0..nice_ceiling(self.horizon).min(self.horizon), 0.0..100.0)?;
        mesh(&mut chart, "Days since the scenario starts", "Runs with a shortage by then (%)")?;
        let mut order: Vec<usize> = (0..self.series.len()).collect();
        if self.reference {
            order.rotate_left(1);
        }
        for i in order {
            let (label, points) = &self.series[i];
            let (colour, dash, width) = if self.reference && i == 0 {
                (BLACK, None, 2)
            } else {
                let (c, d) = self.palette.series(i);
                (c, d, 3)
            };
            let stroke = colour.stroke_width(width);
            let anno = match dash {
                None => chart.draw_series(LineSeries::new(points.iter().copied(), stroke))?,
                Some((size, gap)) => {
                    chart.draw_series(DashedLineSeries::new(points.iter().copied(), size, gap, stroke))?
                }
            };
            anno.label(label).legend(move |(x, y)| PathElement::new([(x, y), (x + 24, y)], stroke));
        }
        legend(&mut chart, SeriesLabelPosition::LowerRight)?;
        Ok(())
    }
}
