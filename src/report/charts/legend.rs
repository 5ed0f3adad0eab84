//! Legends whose samples are drawn exactly as their series (same dash pattern, marker, fill and
//! hatching), laid out in one column or in a flow of columns, and placed where the data is not:
//! a corner of the plot that no mark meets, or else outside the plot.

use super::canvas::{Anchor, Canvas, DrawResult, Fill, Font, Marker, Stroke};
use super::geometry::Rect;
use super::text::wrap;
use plotters::prelude::*;

/// What a legend entry shows before its label.
#[derive(Debug, Clone, PartialEq)]
pub enum Sample {
    /// A line with its dash pattern, and a marker in the middle if the series has them.
    Line(Stroke, Option<Marker>),
    /// A patch of an area's fill (colour, hatching, outline).
    Area(Fill),
    /// A marker alone.
    Marker(Marker),
    /// A marker on a horizontal interval with whiskers (an estimate and its 95 % interval).
    IntervalAcross(Marker, Stroke),
    /// A line drawn over a wider one (a cased road).
    Cased(Stroke, Stroke),
    /// Nested discs standing on one point (largest first), each of a radius and opacity, in
    /// one fill colour, outlined in black: a map's sizes of symbols.
    Discs(Vec<(f64, f64)>, RGBColor),
}

impl Sample {
    /// The room the sample needs: (width, height) in pixels.
    fn size<DB: DrawingBackend>(&self, c: &Canvas<DB>) -> (i32, i32) {
        let line = c.px(40.0) as i32;
        match self {
            Sample::Discs(d, _) => {
                let side = (2.0 * d.iter().map(|(r, _)| *r).fold(0.0, f64::max)).ceil() as i32 + 4;
                (side.max(line), side)
            }
            Sample::Line(s, m) => (line, (m.map_or(0.0, |m| 2.4 * m.radius).max(s.width)).ceil() as i32 + 2),
            Sample::Marker(m) => (line, (2.4 * m.radius).ceil() as i32 + 2),
            Sample::Cased(outer, _) => (line, outer.width.ceil() as i32 + 2),
            Sample::Area(_) | Sample::IntervalAcross(..) => (line, c.px(16.0) as i32),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub label: String,
    pub sample: Sample,
}

impl Entry {
    pub fn new(label: impl Into<String>, sample: Sample) -> Entry {
        Entry { label: label.into(), sample }
    }
}

/// A legend laid out: its entries' wrapped lines, and where each entry sits inside the box.
pub struct Laid {
    pub size: (i32, i32),
    font: Font,
    sample_w: i32,
    /// Per entry: its lines, its offset from the box's top left, and its height.
    items: Vec<(Vec<String>, (i32, i32), i32)>,
}

/// Lays out `entries` in columns no wider than `max_width` in all, as many columns as fit
/// (`columns` = 1 for a single column).
pub fn lay_out<DB: DrawingBackend>(c: &Canvas<DB>, entries: &[Entry], max_width: i32, flow: bool) -> Laid {
    lay_out_in(c, entries, max_width, flow, c.font(15.0))
}

/// [`lay_out`] in a given type.
pub fn lay_out_in<DB: DrawingBackend>(
    c: &Canvas<DB>,
    entries: &[Entry],
    max_width: i32,
    flow: bool,
    font: Font,
) -> Laid {
    let pad = c.px(8.0) as i32;
    let gap = c.px(8.0) as i32;
    let sample = entries.iter().map(|e| e.sample.size(c).0).max().unwrap_or(0);
    let line_h = font.height() + 2;
    let room = (max_width - 2 * pad - sample - gap).max(40);
    let natural: Vec<i32> = entries.iter().map(|e| c.text_width(&e.label, font)).collect();
    let widest = natural.iter().copied().max().unwrap_or(0).min(room);
    let col_w = sample + gap + widest;
    let columns = if flow { ((max_width - 2 * pad + 2 * gap) / (col_w + 2 * gap)).max(1) as usize } else { 1 };
    let columns = columns.min(entries.len().max(1));
    let mut items = Vec::new();
    let rows = entries.len().div_ceil(columns);
    let mut height = 0;
    let mut row_tops = vec![pad];
    // Entries fill the rows left to right; a row is as tall as its tallest entry.
    for r in 0..rows {
        let mut tallest = 1;
        for k in 0..columns {
            let Some(e) = entries.get(r * columns + k) else { break };
            let lines = wrap(c, &e.label, font, widest);
            let h = (lines.len() as i32 * line_h).max(e.sample.size(c).1);
            tallest = tallest.max(h);
            items.push((lines, (pad + k as i32 * (col_w + 2 * gap), row_tops[r]), h));
        }
        let next = row_tops[r] + tallest + c.px(4.0) as i32;
        row_tops.push(next);
        height = next;
    }
    let width = 2 * pad + columns as i32 * col_w + (columns as i32 - 1) * 2 * gap;
    Laid { size: (width, height + pad - c.px(4.0) as i32), font, sample_w: sample, items }
}

/// Draws a laid-out legend with its box at `at` (top left) and records the box.
pub fn draw<DB: DrawingBackend>(
    c: &mut Canvas<DB>,
    entries: &[Entry],
    laid: &Laid,
    at: (i32, i32),
) -> DrawResult<Rect, DB> {
    let r = Rect::new(at.0, at.1, at.0 + laid.size.0, at.1 + laid.size.1);
    let frame =
        Fill { colour: Some((WHITE, 1.0)), hatch: None, outline: Some(Stroke::solid(RGBColor(110, 110, 110), 1.0)) };
    c.rect(r, &frame)?;
    c.layout.legends.push(r);
    let sample_w = laid.sample_w;
    let gap = c.px(8.0) as i32;
    let line_h = laid.font.height() + 2;
    for (e, (lines, (dx, dy), h)) in entries.iter().zip(&laid.items) {
        let (x, y) = (at.0 + dx, at.1 + dy);
        let mid = f64::from(y + h / 2);
        draw_sample(c, &e.sample, (f64::from(x), mid), f64::from(sample_w))?;
        let text_top = y + (h - lines.len() as i32 * line_h) / 2;
        for (i, line) in lines.iter().enumerate() {
            c.text(line, laid.font, BLACK, (x + sample_w + gap, text_top + i as i32 * line_h), Anchor::TopLeft)?;
        }
    }
    Ok(r)
}

/// Draws a sample `width` pixels wide whose left middle is `at`.
pub fn draw_sample<DB: DrawingBackend>(
    c: &mut Canvas<DB>,
    s: &Sample,
    at: (f64, f64),
    width: f64,
) -> DrawResult<(), DB> {
    let (x, y) = at;
    match s {
        Sample::Line(stroke, marker) => {
            c.line(&[(x, y), (x + width, y)], stroke)?;
            if let Some(m) = marker {
                c.marker(*m, (x + width / 2.0, y))?;
            }
        }
        Sample::Area(fill) => {
            let h = c.px(8.0);
            c.area(&[(x, y - h), (x + width, y - h), (x + width, y + h), (x, y + h)], fill)?;
        }
        Sample::Marker(m) => c.marker(*m, (x + width / 2.0, y))?,
        Sample::Cased(outer, inner) => {
            c.line(&[(x, y), (x + width, y)], outer)?;
            c.line(&[(x, y), (x + width, y)], inner)?;
        }
        Sample::Discs(discs, colour) => {
            let largest = discs.iter().map(|(r, _)| *r).fold(0.0, f64::max);
            let bottom = y + largest;
            for &(r, alpha) in discs {
                let at = (x + width / 2.0, bottom - r);
                c.disc(at, r, WHITE, 1.0, &Stroke::solid(BLACK, 1.5))?;
                c.disc(at, r, *colour, alpha, &Stroke::solid(BLACK, 1.5))?;
            }
        }
        Sample::IntervalAcross(m, stroke) => {
            let (cx, h) = (x + width / 2.0, c.px(6.0));
            c.line(&[(x + 2.0, y), (x + width - 2.0, y)], stroke)?;
            c.line(&[(x + 2.0, y - h), (x + 2.0, y + h)], stroke)?;
            c.line(&[(x + width - 2.0, y - h), (x + width - 2.0, y + h)], stroke)?;
            c.marker(*m, (cx, y))?;
        }
    }
    Ok(())
}

/// A place for a legend of `size` inside `plot` where `clear` says nothing is drawn: the
/// corners first, then the middles of the top and bottom edges.
pub fn inside(plot: Rect, size: (i32, i32), margin: i32, clear: impl Fn(Rect) -> bool) -> Option<(i32, i32)> {
    let (w, h) = size;
    if w > plot.width() - 2 * margin || h > plot.height() - 2 * margin {
        return None;
    }
    let (left, right) = (plot.x0 + margin, plot.x1 - margin - w);
    let (top, bottom) = (plot.y0 + margin, plot.y1 - margin - h);
    let centre = (plot.x0 + plot.x1 - w) / 2;
    [(right, top), (left, top), (right, bottom), (left, bottom), (centre, top), (centre, bottom)]
        .into_iter()
        .find(|&(x, y)| clear(Rect::new(x, y, x + w, y + h).grow(margin / 2)))
}
