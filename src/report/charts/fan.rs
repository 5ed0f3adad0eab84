//! `stock_<node>`: a fan chart of one demand node's stock over time — median, 25–75 % and
//! 5–95 % bands across runs, blockade windows shaded, and a line at zero.

use super::{BLUE, Figure, SKY, VERMILLION, nice_ceiling, save, text, title_text, with_footer};
use crate::report::{ReportError, Results};
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::Path;

struct Fan {
    title: String,
    footer: String,
    horizon: f64,
    /// (time, [p05, p25, p50, p75, p95]) in thousand m³, from t = 0.
    points: Vec<(f64, [f64; 5])>,
    windows: Vec<(f64, f64)>,
}

/// Draws the fan chart of demand `d` to `<stem>.svg` and `<stem>.png`.
pub fn stock_fan(r: &Results, d: usize, stem: &Path) -> Result<(), ReportError> {
    let scenario = r.scenario;
    let demand = &scenario.demands[d];
    let horizon = scenario.simulation.horizon();
    let initial = demand.initial_stock_m3 / 1000.0;
    // Stock at the end of day `day` is the stock at time day + 1.
    let points = std::iter::once((0.0, [initial; 5]))
        .chain((0..scenario.simulation.horizon_days as usize).map(|day| {
            let q = r.acc.daily(d, day).stock_quantiles;
            ((day + 1) as f64, q.map(|v| v / 1000.0))
        }))
        .collect();
    let windows = scenario
        .blockades
        .iter()
        .filter(|b| b.start_day < horizon && b.end_day > b.start_day)
        .map(|b| (b.start_day, b.end_day.min(horizon)))
        .collect();
    let name = &scenario.network.node(demand.node).name;
    let fan = Fan {
        title: format!("Fuel stock at {name} — {}", scenario.name),
        footer: r.footer(),
        horizon,
        points,
        windows,
    };
    save(&fan, stem)
}

impl Figure for Fan {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let plot = with_footer(root, &self.footer)?;
        let top = self.points.iter().map(|p| p.1[4]).fold(0.0, f64::max);
        let ymax = nice_ceiling(top * 1.08);
        let mut chart = ChartBuilder::on(&plot)
            .caption(&self.title, title_text(28.0))
            .margin(24)
            .margin_right(40)
            .x_label_area_size(60)
            .y_label_area_size(90)
            .build_cartesian_2d(0.0..self.horizon, -ymax * 0.02..ymax)?;
        chart
            .configure_mesh()
            .x_desc("Days since the scenario starts")
            .y_desc("Stock (thousand m³)")
            .axis_desc_style(text(20.0))
            .label_style(text(17.0))
            .light_line_style(RGBColor(238, 238, 238))
            .bold_line_style(RGBColor(215, 215, 215))
            .x_label_formatter(&|v| format!("{v:.0}"))
            .y_label_formatter(&|v| format!("{v:.0}"))
            .draw()?;
        if !self.windows.is_empty() {
            chart
                .draw_series(self.windows.iter().map(|&(a, b)| {
                    Rectangle::new([(a, -ymax * 0.02), (b, ymax)], VERMILLION.mix(0.10).filled())
                }))?
                .label("blockade active (darker: more sites)")
                .legend(|(x, y)| Rectangle::new([(x, y - 7), (x + 24, y + 7)], VERMILLION.mix(0.25).filled()));
        }
        let band = |lo: usize, hi: usize| -> Vec<(f64, f64)> {
            let upper = self.points.iter().map(|(t, q)| (*t, q[hi]));
            let lower = self.points.iter().rev().map(|(t, q)| (*t, q[lo]));
            upper.chain(lower).collect()
        };
        chart
            .draw_series(std::iter::once(Polygon::new(band(0, 4), SKY.mix(0.35).filled())))?
            .label("5–95 % of runs")
            .legend(|(x, y)| Rectangle::new([(x, y - 7), (x + 24, y + 7)], SKY.mix(0.35).filled()));
        chart
            .draw_series(std::iter::once(Polygon::new(band(1, 3), BLUE.mix(0.40).filled())))?
            .label("25–75 % of runs")
            .legend(|(x, y)| Rectangle::new([(x, y - 7), (x + 24, y + 7)], BLUE.mix(0.40).filled()));
        chart
            .draw_series(LineSeries::new(self.points.iter().map(|(t, q)| (*t, q[2])), BLUE.stroke_width(3)))?
            .label("median")
            .legend(|(x, y)| PathElement::new([(x, y), (x + 24, y)], BLUE.stroke_width(3)));
        chart
            .draw_series(LineSeries::new([(0.0, 0.0), (self.horizon, 0.0)], BLACK.stroke_width(1)))?
            .label("empty (stock = 0)")
            .legend(|(x, y)| PathElement::new([(x, y), (x + 24, y)], BLACK.stroke_width(1)));
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .margin(12)
            .label_font(text(17.0))
            .background_style(WHITE.mix(0.92))
            .border_style(RGBColor(180, 180, 180))
            .draw()?;
        Ok(())
    }
}
