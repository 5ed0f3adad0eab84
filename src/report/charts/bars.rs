//! Horizontal bars, largest at the top, with an optional 95 % interval on each: the figure
//! behind `critical_sites`, `critical_pairs` and `road_losses`.

use super::{Figure, nice_ceiling, text, title_text, with_footer};
use plotters::coord::Shift;
use plotters::prelude::*;

pub(super) struct HorizontalBars {
    pub title: String,
    pub footer: String,
    pub x_desc: String,
    /// (label, value, 95 % half-width if any), largest first.
    pub bars: Vec<(String, f64, Option<f64>)>,
    pub colour: RGBColor,
    /// Said when there is no bar.
    pub empty: String,
}

impl Figure for HorizontalBars {
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let plot = with_footer(root, &self.footer)?;
        let n = self.bars.len().max(1);
        let top = nice_ceiling(self.bars.iter().map(|b| b.1 + b.2.unwrap_or(0.0)).fold(0.0, f64::max) * 1.05);
        let labels: Vec<String> = self.bars.iter().map(|b| b.0.clone()).collect();
        let width = labels.iter().map(|l| l.chars().count()).max().unwrap_or(10) as u32 * 9 + 20;
        let mut chart = ChartBuilder::on(&plot)
            .caption(&self.title, title_text(24.0))
            .margin(24)
            .margin_right(40)
            .x_label_area_size(60)
            .y_label_area_size(width.clamp(120, 420))
            .build_cartesian_2d(0.0..top, 0.0..n as f64)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(n * 2 + 1)
            .y_label_formatter(&|y| {
                // Bar i (largest first) spans [n-1-i, n-i]; label its middle.
                let pos = n as f64 - y - 0.5;
                let i = pos.round();
                if (pos - i).abs() < 1e-6 && i >= 0.0 {
                    labels.get(i as usize).cloned().unwrap_or_default()
                } else {
                    String::new()
                }
            })
            .x_desc(&self.x_desc)
            .axis_desc_style(text(18.0))
            .label_style(text(15.0))
            .light_line_style(RGBColor(238, 238, 238))
            .bold_line_style(RGBColor(215, 215, 215))
            .draw()?;
        if self.bars.is_empty() {
            plot.draw_text(&self.empty, &text(22.0), (plot.dim_in_pixel().0 as i32 / 2 - 120, 300))?;
        }
        for (i, &(_, mean, half)) in self.bars.iter().enumerate() {
            let y = (n - 1 - i) as f64;
            chart.draw_series(std::iter::once(Rectangle::new(
                [(0.0, y + 0.15), (mean.max(0.0), y + 0.85)],
                self.colour.mix(0.8).filled(),
            )))?;
            // An interval narrower than the whiskers would draw as a blot: shown when visible.
            if let Some(half) = half.filter(|h| *h > top * 0.004) {
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
