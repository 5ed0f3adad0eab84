//! The charts of a calibration folder. `posterior_<key>`: the accepted values of one fitted
//! parameter as a histogram over its whole prior range (so the narrowing reads at a glance),
//! with the 5–95 % interval shaded and the median marked. `accepted_<key>__<key>`: the accepted
//! sets of two parameters, one point each, over both prior ranges (how the fit trades one
//! parameter against the other).

use super::axes::Ticks;
use super::canvas::{Fill, Stroke};
use super::legend::{Entry, Sample};
use super::marks::Mark;
use super::xy::{Axis, Xy};
use super::{Figure, Layout, Palette, Style, nice_ceiling, save};
use crate::report::table::four_figures;
use crate::report::{CalibrationData, ReportError};
use plotters::prelude::*;
use std::path::Path;

/// Bins of a posterior histogram over the prior range.
const BINS: usize = 20;

enum Kind {
    Posterior(usize),
    Pair(usize, usize),
}

struct Chart<'a> {
    data: &'a CalibrationData,
    kind: Kind,
    palette: Palette,
}

/// Draws the posterior histogram of parameter `i`.
pub fn posterior(data: &CalibrationData, i: usize, style: &Style, stem: &Path) -> Result<Layout, ReportError> {
    save(&Chart { data, kind: Kind::Posterior(i), palette: style.palette }, stem, style)
}

/// Draws the accepted sets of parameters `i` (across) and `j` (up).
pub fn accepted_pair(
    data: &CalibrationData,
    i: usize,
    j: usize,
    style: &Style,
    stem: &Path,
) -> Result<Layout, ReportError> {
    save(&Chart { data, kind: Kind::Pair(i, j), palette: style.palette }, stem, style)
}

/// A round range for the axis of a prior (lo, hi): a little room on both sides.
fn padded((lo, hi): (f64, f64)) -> (f64, f64) {
    let pad = (hi - lo).abs().max(f64::EPSILON) * 0.02;
    (lo - pad, hi + pad)
}

impl Chart<'_> {
    fn chart(&self, scale: f64) -> Xy {
        let d = self.data;
        let n = d.accepted.len();
        match self.kind {
            Kind::Posterior(i) => {
                let p = &d.posterior[i];
                let (lo, hi) = p.prior;
                let width = (hi - lo) / BINS as f64;
                let mut counts = [0usize; BINS];
                for set in &d.accepted {
                    let b = if width > 0.0 { ((set[i] - lo) / width) as usize } else { 0 };
                    counts[b.min(BINS - 1)] += 1;
                }
                let share = |c: usize| 100.0 * c as f64 / n.max(1) as f64;
                let top = nice_ceiling(counts.iter().map(|&c| share(c)).fold(0.0, f64::max) * 1.1);
                let bar = Fill {
                    colour: Some((self.palette.main(), 0.55)),
                    hatch: None,
                    outline: Some(Stroke::solid(self.palette.main(), scale.max(1.0))),
                };
                let interval = self.palette.bands(scale)[0].clone();
                let median = Stroke::dashed(BLACK, (2.5 * scale).max(2.0), &[10.0 * scale, 5.0 * scale]);
                let mut marks = vec![Mark::Span { x0: p.p05, x1: p.p95, fill: interval.clone() }];
                for (b, &c) in counts.iter().enumerate() {
                    let x0 = lo + b as f64 * width;
                    marks.push(Mark::bar(x0, 0.0, x0 + width, share(c), bar.clone()));
                }
                marks.push(Mark::Line { points: vec![(p.median, 0.0), (p.median, top)], stroke: median.clone() });
                let legend = vec![
                    Entry::new(format!("accepted sets ({n})"), Sample::Area(bar)),
                    Entry::new(
                        format!("5–95 %: {}–{}", four_figures(p.p05), four_figures(p.p95)),
                        Sample::Area(interval),
                    ),
                    Entry::new(format!("median {}", four_figures(p.median)), Sample::Line(median, None)),
                ];
                Xy {
                    title: format!("Posterior of {} — {}", p.key, d.meta.scenario),
                    footer: d.meta.footer(),
                    x: Axis {
                        range: padded(p.prior),
                        ticks: Ticks::Numeric,
                        title: format!("{} (prior range)", p.key),
                    },
                    y: Axis { range: (0.0, top), ticks: Ticks::Numeric, title: "Share of accepted sets (%)".into() },
                    marks,
                    legend,
                    empty: None,
                }
            }
            Kind::Pair(i, j) => {
                let (a, b) = (&d.posterior[i], &d.posterior[j]);
                let mut marker = self.palette.series(0, scale).marker;
                marker.radius = (3.5 * scale).max(2.5);
                let medians = {
                    let mut m = self.palette.series(1, scale).marker;
                    m.colour = BLACK;
                    m.radius = (7.0 * scale).max(5.0);
                    m
                };
                let points = d.accepted.iter().map(|s| (s[i], s[j])).collect();
                Xy {
                    title: format!("Accepted sets: {} against {} — {}", b.key, a.key, d.meta.scenario),
                    footer: d.meta.footer(),
                    x: Axis {
                        range: padded(a.prior),
                        ticks: Ticks::Numeric,
                        title: format!("{} (prior range)", a.key),
                    },
                    y: Axis {
                        range: padded(b.prior),
                        ticks: Ticks::Numeric,
                        title: format!("{} (prior range)", b.key),
                    },
                    marks: vec![
                        Mark::Points { points, marker },
                        Mark::Points { points: vec![(a.median, b.median)], marker: medians },
                    ],
                    legend: vec![
                        Entry::new(format!("an accepted set ({n})"), Sample::Marker(marker)),
                        Entry::new("the posterior medians", Sample::Marker(medians)),
                    ],
                    empty: None,
                }
            }
        }
    }
}

impl Figure for Chart<'_> {
    fn draw<DB: DrawingBackend>(&self, c: &mut super::canvas::Canvas<DB>) -> super::canvas::DrawResult<(), DB> {
        super::xy::draw(c, &self.chart(c.scale)).map(|_| ())
    }
}
