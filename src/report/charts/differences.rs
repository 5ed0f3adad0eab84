//! `differences`: each compared scenario minus the first, per demand node, with 95 % intervals
//! from the run-by-run (paired) differences: P(shortage) in percentage points and unmet demand
//! in thousand m³.

use super::{Figure, Style, text, title_text, with_footer};
use crate::report::{CompareData, CompareRow, ReportError};
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::Path;

struct Panel {
    title: String,
    unit: String,
    /// Per scenario (after the first): per node, (mean, half-width), if it has the node.
    values: Vec<Vec<Option<(f64, f64)>>>,
}

struct Differences {
    title: String,
    footer: String,
    nodes: Vec<String>,
    scenarios: Vec<String>,
    panels: [Panel; 2],
    palette: super::Palette,
}

/// Draws the paired differences of a comparison folder.
pub fn differences(c: &CompareData, style: &Style, stem: &Path) -> Result<(), ReportError> {
    let nodes = c.base_nodes();
    let others = &c.meta.scenarios[1.min(c.meta.scenarios.len())..];
    let panel = |pick: fn(&CompareRow) -> Option<(f64, f64)>, scale: f64, title: &str, unit: &str| Panel {
        title: title.to_string(),
        unit: unit.to_string(),
        values: others
            .iter()
            .map(|s| {
                nodes.iter().map(|(id, _)| c.row(s, id).and_then(pick).map(|(m, h)| (m * scale, h * scale))).collect()
            })
            .collect(),
    };
    let figure = Differences {
        title: format!(
            "Change against {} (95 % intervals, paired runs)",
            c.meta.scenarios.first().map_or("", String::as_str)
        ),
        footer: c.meta.footer(),
        nodes: nodes.iter().map(|(_, name)| name.clone()).collect(),
        scenarios: others.to_vec(),
        panels: [
            panel(|r| r.diff_shortage, 100.0, "P(shortage)", "percentage points"),
            panel(|r| r.diff_unmet, 0.001, "Unmet demand", "thousand m³"),
        ],
        palette: style.palette,
    };
    super::save(&figure, stem, style)
}

impl Figure for Differences {
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let plot = with_footer(root, &self.footer)?;
        let plot = plot.margin(14, 0, 0, 0).titled(&self.title, title_text(26.0))?;
        let halves = plot.split_evenly((1, 2));
        let n = self.nodes.len().max(1) as f64;
        let k = self.scenarios.len().max(1) as f64;
        for (area, panel) in halves.iter().zip(&self.panels) {
            let (mut lo, mut hi) = (0.0f64, 0.0f64);
            for (mean, half) in panel.values.iter().flatten().flatten() {
                lo = lo.min(mean - half);
                hi = hi.max(mean + half);
            }
            let pad = ((hi - lo) * 0.12).max(1e-6);
            let mut chart = ChartBuilder::on(area)
                .caption(format!("{} ({})", panel.title, panel.unit), text(20.0))
                .margin(20)
                .x_label_area_size(40)
                .y_label_area_size(80)
                .build_cartesian_2d(-0.5..n - 0.5, (lo - pad)..(hi + pad))?;
            let nodes = self.nodes.clone();
            chart
                .configure_mesh()
                .disable_x_mesh()
                .x_labels(self.nodes.len())
                .x_label_formatter(&move |x| {
                    let i = x.round();
                    if (x - i).abs() < 1e-6 && i >= 0.0 {
                        nodes.get(i as usize).cloned().unwrap_or_default()
                    } else {
                        String::new()
                    }
                })
                .y_desc(format!("difference ({})", panel.unit))
                .axis_desc_style(text(17.0))
                .label_style(text(15.0))
                .light_line_style(RGBColor(238, 238, 238))
                .bold_line_style(RGBColor(215, 215, 215))
                .draw()?;
            chart.draw_series(LineSeries::new([(-0.5, 0.0), (n - 0.5, 0.0)], BLACK.stroke_width(1)))?;
            for (m, (name, values)) in self.scenarios.iter().zip(&panel.values).enumerate() {
                let (colour, _) = self.palette.series(m + 1);
                let offset = |i: usize| i as f64 + (m as f64 - (k - 1.0) / 2.0) * 0.5 / k;
                let points: Vec<(f64, f64, f64)> = values
                    .iter()
                    .enumerate()
                    .filter_map(|(i, v)| v.map(|(mean, half)| (offset(i), mean, half)))
                    .collect();
                chart
                    .draw_series(points.iter().map(|&(x, mean, half)| {
                        ErrorBar::new_vertical(x, mean - half, mean, mean + half, colour.stroke_width(2), 12)
                    }))?
                    .label(name.clone())
                    .legend(move |(x, y)| Circle::new((x + 10, y), 5, colour.filled()));
                chart.draw_series(points.iter().map(|&(x, mean, _)| Circle::new((x, mean), 5, colour.filled())))?;
            }
            chart
                .configure_series_labels()
                .position(SeriesLabelPosition::LowerRight)
                .margin(10)
                .label_font(text(15.0))
                .background_style(WHITE.mix(0.92))
                .border_style(RGBColor(180, 180, 180))
                .draw()?;
        }
        Ok(())
    }
}
