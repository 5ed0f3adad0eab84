//! What a chart shows, in data coordinates: lines, areas, spans of time, markers, intervals.
//! Marks are mapped into a plot, cut to its box, drawn, and recorded as data, so that a legend
//! can be placed where no mark is.

use super::axes::Plot;
use super::canvas::{Canvas, DrawResult, Fill, Marker, Stroke};
use super::geometry::{Rect, clip_polygon, clip_polyline, polygon_hits_rect, segment_hits_rect};
use plotters::prelude::*;

#[derive(Debug, Clone, PartialEq)]
pub enum Mark {
    Line {
        points: Vec<(f64, f64)>,
        stroke: Stroke,
    },
    /// A filled polygon.
    Area {
        points: Vec<(f64, f64)>,
        fill: Fill,
    },
    /// The whole height of the plot from x0 to x1 (such as a blockade's window). It is a
    /// background: a legend may stand on it, but not on its edges.
    Span {
        x0: f64,
        x1: f64,
        fill: Fill,
    },
    Points {
        points: Vec<(f64, f64)>,
        marker: Marker,
    },
    /// Horizontal intervals (y, low, high) with whiskers.
    IntervalsAcross {
        bars: Vec<(f64, f64, f64)>,
        stroke: Stroke,
    },
}

/// The edges of a span inside the plot (not those on the plot's own edges).
fn span_edges(plot: &Plot, x0: f64, x1: f64) -> Vec<[(f64, f64); 2]> {
    let r = plot.rect;
    let (top, bottom) = (f64::from(r.y0), f64::from(r.y1));
    [plot.x_px(x0), plot.x_px(x1)]
        .into_iter()
        .filter(|x| *x > f64::from(r.x0) + 1.0 && *x < f64::from(r.x1) - 1.0)
        .map(|x| [(x, top), (x, bottom)])
        .collect()
}

impl Mark {
    /// A bar from (x0, y0) to (x1, y1).
    pub fn bar(x0: f64, y0: f64, x1: f64, y1: f64, fill: Fill) -> Mark {
        Mark::Area { points: vec![(x0, y0), (x1, y0), (x1, y1), (x0, y1)], fill }
    }

    /// Whether the mark, drawn in `plot`, meets the box `r`.
    pub fn hits(&self, plot: &Plot, r: Rect) -> bool {
        let px = |p: &(f64, f64)| plot.px(*p);
        match self {
            Mark::Line { points, .. } => {
                let pts: Vec<_> = points.iter().map(px).collect();
                pts.windows(2).any(|w| segment_hits_rect(w[0], w[1], r))
            }
            Mark::Area { points, .. } => polygon_hits_rect(&points.iter().map(px).collect::<Vec<_>>(), r),
            Mark::Span { x0, x1, .. } => span_edges(plot, *x0, *x1).iter().any(|s| segment_hits_rect(s[0], s[1], r)),
            Mark::Points { points, marker } => points.iter().any(|p| {
                let (x, y) = plot.px(*p);
                let m = marker.radius.ceil() as i32 + 1;
                r.overlaps(Rect::new(x as i32 - m, y as i32 - m, x as i32 + m, y as i32 + m))
            }),
            Mark::IntervalsAcross { bars, .. } => {
                bars.iter().any(|&(y, lo, hi)| segment_hits_rect(plot.px((lo, y)), plot.px((hi, y)), r.grow(6)))
            }
        }
    }

    /// Draws the mark into `plot`, cut to its box, and records it as data.
    pub fn draw<DB: DrawingBackend>(&self, c: &mut Canvas<DB>, plot: &Plot) -> DrawResult<(), DB> {
        let r = plot.rect;
        match self {
            Mark::Line { points, stroke } => {
                let pts: Vec<_> = points.iter().map(|p| plot.px(*p)).collect();
                for piece in clip_polyline(&pts, r.grow(1)) {
                    c.line(&piece, stroke)?;
                    c.record_line(&piece);
                }
            }
            Mark::Area { points, fill } => {
                let pts: Vec<_> = points.iter().map(|p| plot.px(*p)).collect();
                let clipped = clip_polygon(&pts, r);
                if clipped.len() >= 3 {
                    c.area(&clipped, fill)?;
                    c.record_area(&clipped);
                }
            }
            Mark::Span { x0, x1, fill } => {
                let (a, b) = (plot.x_px(*x0).max(f64::from(r.x0)), plot.x_px(*x1).min(f64::from(r.x1)));
                if b > a {
                    let (top, bottom) = (f64::from(r.y0), f64::from(r.y1));
                    let pts = [(a, top), (b, top), (b, bottom), (a, bottom)];
                    c.area(&pts, fill)?;
                    for edge in span_edges(plot, *x0, *x1) {
                        c.record_line(&edge);
                    }
                }
            }
            Mark::Points { points, marker } => {
                for p in points {
                    let (x, y) = plot.px(*p);
                    if r.grow(1).contains(Rect::new(x as i32, y as i32, x as i32, y as i32)) {
                        c.marker(*marker, (x, y))?;
                        let m = marker.radius;
                        c.record_area(&[(x - m, y - m), (x + m, y - m), (x + m, y + m), (x - m, y + m)]);
                    }
                }
            }
            Mark::IntervalsAcross { bars, stroke } => {
                let w = c.px(6.0);
                for &(y, lo, hi) in bars {
                    let (py, a, b) = (plot.y_px(y), plot.x_px(lo), plot.x_px(hi));
                    for seg in [[(a, py), (b, py)], [(a, py - w), (a, py + w)], [(b, py - w), (b, py + w)]] {
                        c.line(&seg, stroke)?;
                        c.record_line(&seg);
                    }
                }
            }
        }
        Ok(())
    }
}

/// Writes a short `tag` (such as an observation's number) beside the point `at` of `plot`, up
/// and right of it, else up and left, down and right or down and left: where it stays inside the
/// plot and meets no text or legend drawn before. Nothing is written where none fits (the tag
/// repeats what a list on the chart says).
pub fn tag<DB: DrawingBackend>(c: &mut Canvas<DB>, plot: &Plot, tag: &str, at: (f64, f64)) -> DrawResult<(), DB> {
    let font = c.bold(13.0);
    let (x, y) = plot.px(at);
    let d = c.px(7.0);
    let (w, h) = (f64::from(c.text_width(tag, font)), f64::from(font.height()));
    for (dx, dy) in [(d, -d - h), (-d - w, -d - h), (d, d), (-d - w, d)] {
        let r = Rect::new((x + dx) as i32, (y + dy) as i32, (x + dx + w) as i32 + 1, (y + dy + h) as i32 + 1);
        let free = !c.layout.texts.iter().any(|(t, _)| t.grow(1).overlaps(r))
            && !c.layout.legends.iter().any(|l| l.overlaps(r));
        if plot.rect.contains(r) && free {
            c.halo(r)?;
            return c.text_in(tag, font, BLACK, r);
        }
    }
    Ok(())
}
