//! `fuel_<node>`: fuel needed against fuel available at one demand node, cumulated over time:
//! what the city would draw at its full consumption, and its initial stock plus what arrived
//! (mean over runs). Where the second falls under the first, demand went unmet (or was
//! rationed): that gap is hatched.

use super::axes::{Ticks, TimeAxis};
use super::canvas::Stroke;
use super::legend::{Entry, Sample};
use super::marks::Mark;
use super::palette::marker_points;
use super::xy::{Axis, Xy};
use super::{Figure, Layout, Palette, Style, nice_ceiling, save};
use crate::report::{OutputData, ReportError};
use plotters::prelude::*;
use std::path::Path;

pub(super) struct Fuel {
    title: String,
    footer: String,
    horizon: f64,
    /// (time, needed, available, delivered) in thousand m³.
    points: Vec<(f64, f64, f64, f64)>,
    palette: Palette,
    time: TimeAxis,
}

/// Draws needed against available fuel for demand `d`.
pub fn cumulative(data: &OutputData, d: usize, style: &Style, stem: &Path) -> Result<Layout, ReportError> {
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
        time: TimeAxis { calendar: data.calendar(), days: style.days },
    };
    save(&fuel, stem, style)
}

impl Fuel {
    fn chart(&self, scale: f64) -> Xy {
        let top = nice_ceiling(self.points.iter().map(|p| p.1.max(p.2)).fold(0.0, f64::max) * 1.05);
        // The shortfall: where available is under needed.
        let gap: Vec<(f64, f64)> = self
            .points
            .iter()
            .map(|p| (p.0, p.1.max(p.2)))
            .chain(self.points.iter().rev().map(|p| (p.0, p.2)))
            .collect();
        let shortfall = self.palette.shortfall(scale);
        let needed = Stroke::dashed(BLACK, 2.0 * scale, &[10.0 * scale, 6.0 * scale]);
        let available = self.palette.series(0, scale);
        let delivered = self.palette.series(2, scale);
        let line =
            |pick: fn(&(f64, f64, f64, f64)) -> f64| self.points.iter().map(|p| (p.0, pick(p))).collect::<Vec<_>>();
        let (avail_pts, deliv_pts) = (line(|p| p.2), line(|p| p.3));
        let marks = vec![
            Mark::Area { points: gap, fill: shortfall.clone() },
            Mark::Line { points: line(|p| p.1), stroke: needed.clone() },
            Mark::Line { points: avail_pts.clone(), stroke: available.stroke.clone() },
            Mark::Points { points: marker_points(&avail_pts, 8, 0, 2), marker: available.marker },
            Mark::Line { points: deliv_pts.clone(), stroke: delivered.stroke.clone() },
            Mark::Points { points: marker_points(&deliv_pts, 8, 1, 2), marker: delivered.marker },
        ];
        let legend = vec![
            Entry::new("shortfall: needed but not available", Sample::Area(shortfall)),
            Entry::new("needed: full consumption since day 0", Sample::Line(needed, None)),
            Entry::new(
                "available: initial stock + delivered (mean of runs)",
                Sample::Line(available.stroke, Some(available.marker)),
            ),
            Entry::new("delivered (mean of runs)", Sample::Line(delivered.stroke, Some(delivered.marker))),
        ];
        Xy {
            title: self.title.clone(),
            footer: self.footer.clone(),
            x: Axis { range: (0.0, self.horizon), ticks: Ticks::Time(self.time), title: self.time.title() },
            y: Axis { range: (0.0, top), ticks: Ticks::Numeric, title: "Cumulated fuel (thousand m³)".into() },
            marks,
            legend,
            empty: None,
        }
    }
}

impl Figure for Fuel {
    fn draw<DB: DrawingBackend>(&self, c: &mut super::canvas::Canvas<DB>) -> super::canvas::DrawResult<(), DB> {
        super::xy::draw(c, &self.chart(c.scale)).map(|_| ())
    }
}
