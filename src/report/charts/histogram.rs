//! `first_shortage_day`: when shortages begin — for each demand node that runs short in some
//! run, the share of runs whose first shortage falls on each day (the day-to-day increase of
//! P(first shortage ≤ day), so exact, not binned from a sample).

use super::{Figure, Palette, Style, frame, legend, mesh, nice_ceiling, pct, save, text, with_footer};
use crate::report::{OutputData, ReportError};
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::Path;

struct Histogram {
    title: String,
    footer: String,
    horizon: f64,
    /// (label, share of runs (%) per day).
    series: Vec<(String, Vec<f64>)>,
    palette: Palette,
}

pub fn first_day_histogram(data: &OutputData, style: &Style, stem: &Path) -> Result<(), ReportError> {
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
            let median = d.first_shortage_day_p50.map_or("-".to_string(), |m| m.to_string());
            (format!("{}: {} of runs, median day {median}", d.name, pct(d.p_shortage)), shares)
        })
        .collect();
    let figure = Histogram {
        title: format!("Day the first shortage begins — {}", data.meta.name),
        footer: data.footer(),
        horizon: data.horizon(),
        series,
        palette: style.palette,
    };
    save(&figure, stem, style)
}

impl Figure for Histogram {
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let plot = with_footer(root, &self.footer)?;
        let top = nice_ceiling(self.series.iter().flat_map(|s| s.1.iter()).fold(0.0f64, |a, &b| a.max(b)) * 1.05);
        let mut chart = frame(&plot, &self.title, 0.0..self.horizon, 0.0..top)?;
        mesh(&mut chart, "Day of the first shortage", "Runs whose first shortage is that day (%)")?;
        if self.series.is_empty() {
            plot.draw_text("No run has a shortage.", &text(22.0), (plot.dim_in_pixel().0 as i32 / 2 - 120, 300))?;
        }
        for (i, (label, shares)) in self.series.iter().enumerate() {
            let (colour, _) = self.palette.series(i);
            chart
                .draw_series(shares.iter().enumerate().filter(|(_, v)| **v > 0.0).map(|(day, &v)| {
                    Rectangle::new([(day as f64 + 0.1, 0.0), (day as f64 + 0.9, v)], colour.mix(0.55).filled())
                }))?
                .label(label)
                .legend(move |(x, y)| Rectangle::new([(x, y - 7), (x + 24, y + 7)], colour.mix(0.55).filled()));
        }
        legend(&mut chart, SeriesLabelPosition::UpperRight)?;
        Ok(())
    }
}
