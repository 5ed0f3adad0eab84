//! `sweep_<outcome>_<node>`: an outcome against the first swept parameter, with its 95 %
//! confidence band; one line per combination of the other swept parameters.

use super::{Figure, Style, frame, legend, mesh, nice_ceiling, save, with_footer};
use crate::report::{ReportError, Sweep};
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::Path;

/// What a sweep chart shows.
#[derive(Debug, Clone, Copy)]
pub enum Outcome {
    PShortage,
    Unmet,
    Lost,
}

impl Outcome {
    pub const ALL: [Outcome; 3] = [Outcome::PShortage, Outcome::Unmet, Outcome::Lost];

    pub fn file_name(self) -> &'static str {
        match self {
            Outcome::PShortage => "p_shortage",
            Outcome::Unmet => "unmet",
            Outcome::Lost => "lost",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Outcome::PShortage => "Runs with a shortage (%)",
            Outcome::Unmet => "Unmet demand (thousand m³)",
            Outcome::Lost => "Fuel lost on the way (thousand m³)",
        }
    }
}

/// A point of a line with its band: (x, low, mean, high).
type BandPoint = (f64, f64, f64, f64);

struct Lines {
    title: String,
    footer: String,
    x_label: String,
    y_label: String,
    /// (label, points).
    series: Vec<(String, Vec<BandPoint>)>,
    palette: super::Palette,
}

/// Draws `outcome` at demand node `node` against the first key of the sweep.
pub fn sweep_chart(s: &Sweep, outcome: Outcome, node: &str, style: &Style, stem: &Path) -> Result<(), ReportError> {
    let mut series: Vec<(String, Vec<BandPoint>)> = Vec::new();
    let mut name = node.to_string();
    for (p, (values, scenario)) in s.points.iter().enumerate() {
        let Some(d) = scenario.demands.iter().position(|d| scenario.network.node(d.node).id == node) else {
            continue;
        };
        name = scenario.network.node(scenario.demands[d].node).name.clone();
        let Ok(x) = values[0].parse::<f64>() else {
            continue;
        };
        let sum = s.batch.accs[p].demand(d);
        let point = match outcome {
            Outcome::PShortage => (x, 100.0 * sum.p_shortage_ci.0, 100.0 * sum.p_shortage, 100.0 * sum.p_shortage_ci.1),
            Outcome::Unmet => {
                let e = sum.unmet_m3;
                (x, (e.mean - e.ci95) / 1000.0, e.mean / 1000.0, (e.mean + e.ci95) / 1000.0)
            }
            Outcome::Lost => {
                let e = sum.lost_m3;
                (x, (e.mean - e.ci95) / 1000.0, e.mean / 1000.0, (e.mean + e.ci95) / 1000.0)
            }
        };
        let label = if s.keys.len() > 1 {
            s.keys[1..].iter().zip(&values[1..]).map(|(k, v)| format!("{k} = {v}")).collect::<Vec<_>>().join(", ")
        } else {
            name.clone()
        };
        match series.iter_mut().find(|(l, _)| *l == label) {
            Some((_, points)) => points.push(point),
            None => series.push((label, vec![point])),
        }
    }
    let lines = Lines {
        title: format!("{} at {name} against {}", outcome.label().split(" (").next().unwrap_or_default(), s.keys[0]),
        footer: s.footer(),
        x_label: s.keys[0].clone(),
        y_label: outcome.label().to_string(),
        series,
        palette: style.palette,
    };
    save(&lines, stem, style)
}

impl Figure for Lines {
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let plot = with_footer(root, &self.footer)?;
        let all = self.series.iter().flat_map(|(_, p)| p.iter());
        let (x0, x1) = all.clone().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| (a.min(p.0), b.max(p.0)));
        let (x0, x1) = if x0.is_finite() && x1 > x0 { (x0, x1) } else { (x0.min(0.0), x0.max(0.0) + 1.0) };
        let top = nice_ceiling(all.clone().map(|p| p.3).fold(0.0, f64::max) * 1.05);
        let bottom = all.map(|p| p.1).fold(0.0, f64::min);
        let mut chart = frame(&plot, &self.title, x0..x1, bottom..top)?;
        mesh(&mut chart, &self.x_label, &self.y_label)?;
        for (i, (label, points)) in self.series.iter().enumerate() {
            let (colour, _) = self.palette.series(i);
            let band: Vec<(f64, f64)> =
                points.iter().map(|p| (p.0, p.3)).chain(points.iter().rev().map(|p| (p.0, p.1))).collect();
            chart.draw_series(std::iter::once(Polygon::new(band, colour.mix(0.18).filled())))?;
            chart
                .draw_series(LineSeries::new(points.iter().map(|p| (p.0, p.2)), colour.stroke_width(3)))?
                .label(format!("{label} (band: 95 % CI)"))
                .legend(move |(x, y)| PathElement::new([(x, y), (x + 24, y)], colour.stroke_width(3)));
            chart.draw_series(points.iter().map(|p| Circle::new((p.0, p.2), 4, colour.filled())))?;
        }
        legend(&mut chart, SeriesLabelPosition::UpperLeft)?;
        Ok(())
    }
}
