//! `fuel_<node>`: fuel needed against fuel available at one demand node, cumulated over time:
//! what the city would draw at its full consumption, and its initial stock plus what arrived
//! (mean over runs). Where the second falls under the first, demand went unmet (or was
//! rationed).

use super::{Figure, Palette, Style, frame, legend, mesh, nice_ceiling, save, with_footer};
use crate::report::{OutputData, ReportError};
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::Path;

struct Fuel {
    title: String,
    footer: String,
    horizon: f64,
    /// (time, needed, available, delivered) in thousand m³.
    points: Vec<(f64, f64, f64, f64)>,
    palette: Palette,
}

/// Draws needed against available fuel for demand `d`.
pub fn cumulative(data: &OutputData, d: usize, style: &Style, stem: &Path) -> Result<(), ReportError> {
    let demand = &data.demands[d];
    let k = 1000.0;
    let points = std::iter::once((0.0, 0.0, demand.initial_stock / k, 0.0))
        .chain(demand.days.iter().enumerate().map(|(day, x)| {
            let t = (day + 1) as f64;
            (t, demand.consumption * t / k, (demand.initial_stock + x.delivered_cum) / k, x.delivered_cum / k)
        }))
        .collect();
    let fuel = Fuel {
        title: format!("Fuel needed and fuel available at {} — {}", demand.name, data.meta.name),
        footer: data.footer(),
        horizon: data.horizon(),
        points,
        palette: style.palette,
    };
    save(&fuel, stem, style)
}

impl Figure for Fuel {
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let plot = with_footer(root, &self.footer)?;
        let top = nice_ceiling(self.points.iter().map(|p| p.1.max(p.2)).fold(0.0, f64::max) * 1.05);
        let mut chart = frame(&plot, &self.title, 0.0..self.horizon, 0.0..top)?;
        mesh(&mut chart, "Days since the scenario starts", "Cumulated fuel (thousand m³)")?;
        let accent = self.palette.accent();
        // The shortfall: where available is under needed.
        let gap: Vec<(f64, f64)> = self
            .points
            .iter()
            .map(|p| (p.0, p.1.max(p.2)))
            .chain(self.points.iter().rev().map(|p| (p.0, p.2)))
            .collect();
        chart
            .draw_series(std::iter::once(Polygon::new(gap, accent.mix(0.25).filled())))?
            .label("shortfall: needed but not available")
            .legend(move |(x, y)| Rectangle::new([(x, y - 7), (x + 24, y + 7)], accent.mix(0.25).filled()));
        let needed = BLACK.stroke_width(2);
        chart
            .draw_series(DashedLineSeries::new(self.points.iter().map(|p| (p.0, p.1)), 10, 6, needed))?
            .label("needed: full consumption since day 0")
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 24, y)], needed));
        let main = self.palette.main().stroke_width(3);
        chart
            .draw_series(LineSeries::new(self.points.iter().map(|p| (p.0, p.2)), main))?
            .label("available: initial stock + delivered (mean of runs)")
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 24, y)], main));
        let (c, _) = self.palette.series(2);
        let delivered = c.stroke_width(2);
        chart
            .draw_series(LineSeries::new(self.points.iter().map(|p| (p.0, p.3)), delivered))?
            .label("delivered (mean of runs)")
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 24, y)], delivered));
        legend(&mut chart, SeriesLabelPosition::UpperLeft)?;
        Ok(())
    }
}
