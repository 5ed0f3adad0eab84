//! Fuel-shortage curves: the share of runs whose first shortage day is at or before each day.
//! `shortage_probability` draws every demand node of a run on one chart; `compare_shortage`
//! draws one node under every compared scenario.

use super::{Figure, SERIES, nice_ceiling, pct, save, text, title_text, with_footer};
use crate::report::{Comparison, ReportError, Results};
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
}

/// Draws the shortage curves of all demand nodes to `<stem>.svg` and `<stem>.png`.
pub fn shortage_probability(r: &Results, stem: &Path) -> Result<(), ReportError> {
    let scenario = r.scenario;
    let days = scenario.simulation.horizon_days as usize;
    let series = scenario
        .demands
        .iter()
        .enumerate()
        .map(|(d, demand)| {
            // P(first shortage <= day) is reached by the end of that day, time day + 1.
            let points: Vec<(f64, f64)> = std::iter::once((0.0, 0.0))
                .chain((0..days).map(|day| ((day + 1) as f64, 100.0 * r.acc.daily(d, day).p_shortage_by_day)))
                .collect();
            let s = r.acc.demand(d);
            let label = format!(
                "{}: {} by day {} (95 % CI {} to {})",
                scenario.network.node(demand.node).name,
                pct(s.p_shortage),
                days,
                pct(s.p_shortage_ci.0),
                pct(s.p_shortage_ci.1)
            );
            (label, points)
        })
        .collect();
    let curves = Curves {
        title: format!("Probability that a fuel shortage has begun — {}", scenario.name),
        footer: r.footer(),
        horizon: scenario.simulation.horizon(),
        series,
        reference: false,
    };
    save(&curves, stem)
}

/// Draws the shortage curve of demand node `node` under every compared scenario that has it.
pub fn compare_shortage(c: &Comparison, node: &str, stem: &Path) -> Result<(), ReportError> {
    let mut series = Vec::new();
    let mut horizon: f64 = 1.0;
    let mut name = node.to_string();
    for (m, s) in c.scenarios.iter().enumerate() {
        let Some(d) = s.demands.iter().position(|d| s.network.node(d.node).id == node) else {
            continue;
        };
        name = s.network.node(s.demands[d].node).name.clone();
        horizon = horizon.max(s.simulation.horizon());
        let acc = &c.batch.accs[m];
        let points = std::iter::once((0.0, 0.0))
            .chain(
                (0..s.simulation.horizon_days as usize)
                    .map(|day| ((day + 1) as f64, 100.0 * acc.daily(d, day).p_shortage_by_day)),
            )
            .collect();
        let sum = acc.demand(d);
        let label = format!(
            "{}{}: {} (95 % CI {} to {})",
            s.name,
            if m == 0 { " (reference)" } else { "" },
            pct(sum.p_shortage),
            pct(sum.p_shortage_ci.0),
            pct(sum.p_shortage_ci.1)
        );
        series.push((label, points));
    }
    let curves = Curves {
        title: format!("Probability that a fuel shortage has begun at {name}"),
        footer: c.footer(),
        horizon,
        series,
        reference: true,
    };
    save(&curves, stem)
}

impl Figure for Curves {
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let plot = with_footer(root, &self.footer)?;
        let mut chart = ChartBuilder::on(&plot)
            .caption(&self.title, title_text(28.0))
            .margin(24)
            .margin_right(40)
            .x_label_area_size(60)
            .y_label_area_size(90)
            .build_cartesian_2d(0.0..nice_ceiling(self.horizon).min(self.horizon), 0.0..100.0)?;
        chart
            .configure_mesh()
            .x_desc("Days since the scenario starts")
            .y_desc("Runs with a shortage by then (%)")
            .axis_desc_style(text(20.0))
            .label_style(text(17.0))
            .light_line_style(RGBColor(238, 238, 238))
            .bold_line_style(RGBColor(215, 215, 215))
            .x_label_formatter(&|v| format!("{v:.0}"))
            .y_label_formatter(&|v| format!("{v:.0}"))
            .draw()?;
        let mut order: Vec<usize> = (0..self.series.len()).collect();
        if self.reference {
            order.rotate_left(1);
        }
        for i in order {
            let (label, points) = &self.series[i];
            let (colour, width) = if self.reference && i == 0 { (BLACK, 2) } else { (SERIES[i % SERIES.len()], 3) };
            chart
                .draw_series(LineSeries::new(points.iter().copied(), colour.stroke_width(width)))?
                .label(label)
                .legend(move |(x, y)| PathElement::new([(x, y), (x + 24, y)], colour.stroke_width(width)));
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerRight)
            .margin(12)
            .label_font(text(17.0))
            .background_style(WHITE.mix(0.92))
            .border_style(RGBColor(180, 180, 180))
            .draw()?;
        Ok(())
    }
}
