//! `road_losses`: the roads ranked by trucks lost on them (mean per run), best known first.

use super::{Figure, Palette, Style, nice_ceiling, save, text, title_text, with_footer};
use crate::report::{OutputData, ReportError};
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::Path;

const TOP: usize = 15;

struct Ranking {
    title: String,
    footer: String,
    /// (label, trucks lost per run), largest first.
    bars: Vec<(String, f64)>,
    palette: Palette,
}

pub fn road_losses(data: &OutputData, style: &Style, stem: &Path) -> Result<(), ReportError> {
    let mut bars: Vec<(String, f64)> = data
        .roads
        .iter()
        .filter(|r| r.trucks_lost_mean > 0.0)
        .map(|r| (format!("{}–{} ({})", r.from, r.to, r.road), r.trucks_lost_mean))
        .collect();
    bars.sort_by(|a, b| b.1.total_cmp(&a.1));
    bars.truncate(TOP);
    let figure = Ranking {
        title: format!("Trucks lost on each road — {}", data.meta.name),
        footer: data.footer(),
        bars,
        palette: style.palette,
    };
    save(&figure, stem, style)
}

impl Figure for Ranking {
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let plot = with_footer(root, &self.footer)?;
        let n = self.bars.len().max(1);
        let top = nice_ceiling(self.bars.iter().map(|b| b.1).fold(0.0, f64::max) * 1.05);
        let labels: Vec<String> = self.bars.iter().map(|b| b.0.clone()).collect();
        let mut chart = ChartBuilder::on(&plot)
            .caption(&self.title, title_text(26.0))
            .margin(24)
            .margin_right(40)
            .x_label_area_size(60)
            .y_label_area_size(300)
            .build_cartesian_2d(0.0..top, 0.0..n as f64)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(n * 2 + 1)
            .y_label_formatter(&|y| {
                let pos = n as f64 - y - 0.5;
                let i = pos.round();
                if (pos - i).abs() < 1e-6 && i >= 0.0 {
                    labels.get(i as usize).cloned().unwrap_or_default()
                } else {
                    String::new()
                }
            })
            .x_desc("Trucks lost on the road (mean per run, over the horizon)")
            .axis_desc_style(text(18.0))
            .label_style(text(15.0))
            .light_line_style(RGBColor(238, 238, 238))
            .bold_line_style(RGBColor(215, 215, 215))
            .draw()?;
        if self.bars.is_empty() {
            plot.draw_text("No truck is lost on a road.", &text(22.0), (plot.dim_in_pixel().0 as i32 / 2 - 120, 300))?;
        }
        let colour = self.palette.accent();
        for (i, (_, v)) in self.bars.iter().enumerate() {
            let y = (n - 1 - i) as f64;
            chart.draw_series(std::iter::once(Rectangle::new(
                [(0.0, y + 0.15), (*v, y + 0.85)],
                colour.mix(0.8).filled(),
            )))?;
        }
        Ok(())
    }
}
