//! `sweep_<outcome>_<node>`: an outcome against the first swept parameter, with its 95 %
//! confidence band; one line per combination of the other swept parameters, each with its own
//! dash pattern and markers. P(shortage) axes end at 100 %.

use super::axes::Ticks;
use super::canvas::Fill;
use super::legend::{Entry, Sample};
use super::marks::Mark;
use super::xy::{Axis, Xy};
use super::{Figure, Layout, Palette, Style, nice_ceiling, save};
use crate::report::{ReportError, SweepData};
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

pub(super) struct Lines {
    title: String,
    footer: String,
    x_label: String,
    y_label: String,
    /// (label, points).
    series: Vec<(String, Vec<BandPoint>)>,
    /// The axis ends at 100 (a percentage).
    percent: bool,
    palette: Palette,
}

/// Draws `outcome` at demand node `node` against the first key of the sweep.
pub fn sweep_chart(
    s: &SweepData,
    outcome: Outcome,
    node: &str,
    style: &Style,
    stem: &Path,
) -> Result<Layout, ReportError> {
    let mut series: Vec<(String, Vec<BandPoint>)> = Vec::new();
    let mut name = node.to_string();
    for row in s.rows.iter().filter(|r| r.node == node) {
        name = row.name.clone();
        let Some(x) = row.values.first().and_then(|v| v.parse::<f64>().ok()) else {
            continue;
        };
        let band = |(m, h): (f64, f64)| (x, (m - h) / 1000.0, m / 1000.0, (m + h) / 1000.0);
        let point = match outcome {
            Outcome::PShortage => (x, 100.0 * row.p_shortage_ci.0, 100.0 * row.p_shortage, 100.0 * row.p_shortage_ci.1),
            Outcome::Unmet => band(row.unmet),
            Outcome::Lost => band(row.lost),
        };
        let label = if s.meta.keys.len() > 1 {
            s.meta.keys[1..]
                .iter()
                .zip(&row.values[1..])
                .map(|(k, v)| format!("{k} = {v}"))
                .collect::<Vec<_>>()
                .join(", ")
        } else {
            name.clone()
        };
        match series.iter_mut().find(|(l, _)| *l == label) {
            Some((_, points)) => points.push(point),
            None => series.push((label, vec![point])),
        }
    }
    let key = s.meta.keys.first().cloned().unwrap_or_default();
    let lines = Lines {
        title: format!("{} at {name} against {key}", outcome.label().split(" (").next().unwrap_or_default()),
        footer: s.meta.footer(),
        x_label: key,
        y_label: outcome.label().to_string(),
        series,
        percent: matches!(outcome, Outcome::PShortage),
        palette: style.palette,
    };
    save(&lines, stem, style)
}

impl Lines {
    fn chart(&self, scale: f64) -> Xy {
        let all = self.series.iter().flat_map(|(_, p)| p.iter());
        let (x0, x1) = all.clone().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| (a.min(p.0), b.max(p.0)));
        let (x0, x1) = if x0.is_finite() && x1 > x0 { (x0, x1) } else { (x0.min(0.0), x0.max(0.0) + 1.0) };
        let high = all.clone().map(|p| p.3).fold(0.0, f64::max);
        let top = if self.percent { 100.0 } else { nice_ceiling(high * 1.05) };
        let bottom = all.map(|p| p.1).fold(0.0, f64::min);
        let mut marks = Vec::new();
        let mut legend = Vec::new();
        for (i, (label, points)) in self.series.iter().enumerate() {
            let style = self.palette.series(i, scale);
            let band: Vec<(f64, f64)> =
                points.iter().map(|p| (p.0, p.3)).chain(points.iter().rev().map(|p| (p.0, p.1))).collect();
            let mut edge = style.stroke.clone();
            edge.width = 1.0;
            edge.dash = vec![2.0 * scale, 3.0 * scale];
            let fill = Fill { colour: Some((style.stroke.colour, 0.15)), hatch: None, outline: Some(edge) };
            marks.push(Mark::Area { points: band, fill });
            let line: Vec<(f64, f64)> = points.iter().map(|p| (p.0, p.2)).collect();
            marks.push(Mark::Line { points: line.clone(), stroke: style.stroke.clone() });
            marks.push(Mark::Points { points: line, marker: style.marker });
            legend.push(Entry::new(format!("{label} (band: 95 % CI)"), Sample::Line(style.stroke, Some(style.marker))));
        }
        Xy {
            title: self.title.clone(),
            footer: self.footer.clone(),
            x: Axis { range: (x0, x1), ticks: Ticks::Numeric, title: self.x_label.clone() },
            y: Axis { range: (bottom, top), ticks: Ticks::Numeric, title: self.y_label.clone() },
            marks,
            legend,
            empty: None,
        }
    }
}

impl Figure for Lines {
    fn draw<DB: DrawingBackend>(&self, c: &mut super::canvas::Canvas<DB>) -> super::canvas::DrawResult<(), DB> {
        super::xy::draw(c, &self.chart(c.scale)).map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(high: f64, percent: bool) -> Lines {
        Lines {
            title: String::new(),
            footer: String::new(),
            x_label: "k".into(),
            y_label: "y".into(),
            series: vec![("s".into(), vec![(0.0, 90.0, 99.0, high), (0.01, 90.0, 99.0, high)])],
            percent,
            palette: Palette::Colour,
        }
    }

    #[test]
    fn sweep_p_shortage_axis_ends_at_100_percent() {
        assert_eq!(lines(100.0, true).chart(1.0).y.range.1, 100.0, "not 120 %");
        assert_eq!(lines(100.0, false).chart(1.0).y.range.1, 120.0, "other outcomes get a round top");
    }
}
