//! `hindcast_losses` (hindcast folders): trucks lost everywhere since day 0, cumulated, across
//! runs (median and 5–95 % band), against the observed counts of the observations file: each
//! target a box over its band at its date, with the model's median there marked filled when it
//! falls in the band and hollow when it does not, named in the legend.

use super::axes::{Ticks, TimeAxis};
use super::canvas::{Fill, Stroke};
use super::legend::{Entry, Sample};
use super::marks::Mark;
use super::palette::marker_points;
use super::xy::{Axis, Xy};
use super::{Figure, Layout, Palette, Style, nice_ceiling, save};
use crate::report::{HindcastData, OutputData, ReportError};
use plotters::prelude::*;
use std::path::Path;

struct Losses<'a> {
    title: String,
    footer: String,
    horizon: f64,
    data: &'a HindcastData,
    palette: Palette,
    time: TimeAxis,
}

/// Draws the hindcast's losses chart of `data` (a hindcast folder) to `stem`.
pub fn hindcast_losses(data: &OutputData, style: &Style, stem: &Path) -> Result<Layout, ReportError> {
    let Some(hindcast) = &data.hindcast else {
        return Err(ReportError::Chart {
            path: stem.to_path_buf(),
            message: "not a hindcast folder (no hindcast.csv)".into(),
        });
    };
    let losses = Losses {
        title: format!("Trucks lost since day 0, model and reports — {}", data.meta.name),
        footer: data.footer(),
        horizon: data.horizon(),
        data: hindcast,
        palette: style.palette,
        time: TimeAxis { calendar: data.calendar(), days: style.days },
    };
    save(&losses, stem, style)
}

impl Losses<'_> {
    fn chart(&self, scale: f64) -> Xy {
        // Day d's figures are at the end of the day, x = d + 1.
        let at = |d: u32| f64::from(d) + 1.0;
        let days = &self.data.losses;
        let observed: Vec<_> = self.data.losses_since_day_0().collect();
        let top = days.iter().map(|d| d.p95).chain(observed.iter().map(|t| t.high)).fold(1.0, f64::max);
        let top = nice_ceiling(top * 1.05);
        let band = self.palette.bands(scale)[0].clone();
        let median = self.palette.series(0, scale);
        let area: Vec<(f64, f64)> =
            days.iter().map(|d| (at(d.day), d.p95)).chain(days.iter().rev().map(|d| (at(d.day), d.p05))).collect();
        let line: Vec<(f64, f64)> = days.iter().map(|d| (at(d.day), d.p50)).collect();
        let mut marks = vec![
            Mark::Area { points: area, fill: band.clone() },
            Mark::Line { points: line.clone(), stroke: median.stroke.clone() },
            Mark::Points { points: marker_points(&line, 8, 0, 1), marker: median.marker },
        ];
        let mut legend = vec![
            Entry::new("5–95 % of runs", Sample::Area(band)),
            Entry::new("median of runs", Sample::Line(median.stroke.clone(), Some(median.marker))),
        ];
        let outline = Fill { colour: None, hatch: None, outline: Some(Stroke::solid(BLACK, (2.0 * scale).max(1.5))) };
        if !observed.is_empty() {
            legend.push(Entry::new("reported: the band the reports allow", Sample::Area(outline.clone())));
        }
        let half = (self.horizon / 150.0).max(0.5);
        for (k, t) in observed.iter().enumerate() {
            let Some(to) = t.to else { continue };
            let x = at(to);
            marks.push(Mark::bar(x - half, t.low, x + half, t.high.min(top), outline.clone()));
            let mut marker = self.palette.series(k + 1, scale).marker;
            marker.colour = BLACK;
            marker.filled = t.met;
            if let Some(model) = t.model {
                marks.push(Mark::Points { points: vec![(x, model)], marker });
            }
            let verdict = if t.met { "in the band" } else { "outside" };
            let model = t.model.map_or("-".to_string(), |m| format!("{m:.0}"));
            legend.push(Entry::new(
                format!(
                    "{}: {}–{} by {}; model {model}, {verdict}",
                    t.name,
                    t.low,
                    t.high,
                    self.time.calendar.describe(i64::from(to))
                ),
                Sample::Marker(marker),
            ));
        }
        Xy {
            title: self.title.clone(),
            footer: self.footer.clone(),
            x: Axis { range: (0.0, self.horizon), ticks: Ticks::Time(self.time), title: self.time.title() },
            y: Axis { range: (0.0, top), ticks: Ticks::Numeric, title: "Trucks lost since day 0".into() },
            marks,
            legend,
            empty: None,
        }
    }
}

impl Figure for Losses<'_> {
    fn draw<DB: DrawingBackend>(&self, c: &mut super::canvas::Canvas<DB>) -> super::canvas::DrawResult<(), DB> {
        super::xy::draw(c, &self.chart(c.scale)).map(|_| ())
    }
}
