//! `critical_sites` (and `critical_pairs`): horizontal bars of how much a blockade on each site
//! (or pair) raises the target's unmet demand, with 95 % intervals, best at the top.

use super::{Figure, Style, nice_ceiling, save, text, title_text, with_footer};
use crate::critical::Evaluation;
use crate::report::{Critical, ReportError};
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::Path;

/// Bars shown at most.
const TOP: usize = 15;

struct Bars {
    title: String,
    footer: String,
    /// (label, increase, half-width) in thousand m³, best first.
    bars: Vec<(String, f64, f64)>,
    palette: super::Palette,
}

/// Draws the best of `list` to `<stem>.svg` and `<stem>.png`.
pub fn critical_chart(
    c: &Critical,
    list: &[Evaluation],
    what: &str,
    style: &Style,
    stem: &Path,
) -> Result<(), ReportError> {
    let bars = list.iter().take(TOP).map(|e| (c.label(e), e.unmet.mean / 1000.0, e.unmet.ci95 / 1000.0)).collect();
    let figure = Bars {
        title: format!("Unmet demand added at {} by a blockade on each {what}", c.target_name()),
        footer: c.footer(),
        bars,
        palette: style.palette,
    };
    save(&figure, stem, style)
}

impl Figure for Bars {
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let plot = with_footer(root, &self.footer)?;
        let n = self.bars.len().max(1);
        let top = nice_ceiling(self.bars.iter().map(|b| b.1 + b.2).fold(0.0, f64::max) * 1.05);
        let labels: Vec<String> = self.bars.iter().map(|b| b.0.clone()).collect();
        let mut chart = ChartBuilder::on(&plot)
            .caption(&self.title, title_text(24.0))
            .margin(24)
            .margin_right(40)
            .x_label_area_size(60)
            .y_label_area_size(260)
            .build_cartesian_2d(0.0..top, 0.0..n as f64)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(n * 2 + 1)
            .y_label_formatter(&|y| {
                // Bar i (best first) spans [n-1-i, n-i]; label its middle.
                let pos = n as f64 - y - 0.5;
                let i = pos.round();
                if (pos - i).abs() < 1e-6 && i >= 0.0 {
                    labels.get(i as usize).cloned().unwrap_or_default()
                } else {
                    String::new()
                }
            })
            .x_desc("Added unmet demand over the horizon (thousand m³); 95 % intervals where wider than a line")
            .axis_desc_style(text(18.0))
            .label_style(text(16.0))
            .light_line_style(RGBColor(238, 238, 238))
            .bold_line_style(RGBColor(215, 215, 215))
            .draw()?;
        for (i, &(_, mean, half)) in self.bars.iter().enumerate() {
            let y = (n - 1 - i) as f64;
            chart.draw_series(std::iter::once(Rectangle::new(
                [(0.0, y + 0.15), (mean.max(0.0), y + 0.85)],
                self.palette.main().mix(0.75).filled(),
            )))?;
            // An interval narrower than the whiskers would draw as a blot: shown when visible.
            if half > top * 0.004 {
                let bar = ErrorBar::new_horizontal(
                    y + 0.5,
                    (mean - half).max(0.0),
                    mean,
                    mean + half,
                    BLACK.stroke_width(2),
                    10,
                );
                chart.draw_series(std::iter::once(bar))?;
            }
        }
        Ok(())
    }
}
