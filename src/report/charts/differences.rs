//! `differences`: each compared scenario minus the first, per demand node, with 95 % intervals
//! from the run-by-run (paired) differences: P(shortage) in percentage points and unmet demand
//! in thousand m³. Nodes are rows (their names written once, at the left), scenarios are
//! marks of distinct shapes within a row, and the legend sits under the two panels.

use super::axes::{Plot, Ticks, grid, ticks, x_labels};
use super::canvas::{Anchor, Canvas, DrawResult, Stroke};
use super::geometry::Rect;
use super::legend::{self, Entry, Sample};
use super::marks::Mark;
use super::text::ellipsis;
use super::xy::frame;
use super::{Figure, Layout, Palette, Style};
use crate::report::{CompareData, CompareRow, ReportError};
use plotters::prelude::*;
use std::path::Path;

struct Panel {
    title: String,
    unit: String,
    /// Per scenario (after the first): per node, (mean, half-width), if it has the node.
    values: Vec<Vec<Option<(f64, f64)>>>,
}

pub(super) struct Differences {
    title: String,
    footer: String,
    nodes: Vec<String>,
    scenarios: Vec<String>,
    panels: [Panel; 2],
    palette: Palette,
}

/// Draws the paired differences of a comparison folder.
pub fn differences(c: &CompareData, style: &Style, stem: &Path) -> Result<Layout, ReportError> {
    let nodes = c.base_nodes();
    let others = &c.meta.scenarios[1.min(c.meta.scenarios.len())..];
    let panel = |pick: fn(&CompareRow) -> Option<(f64, f64)>, scale: f64, title: &str, unit: &str| Panel {
        title: title.to_string(),
        unit: unit.to_string(),
        values: others
            .iter()
            .map(|s| {
                nodes.iter().map(|(id, _)| c.row(s, id).and_then(pick).map(|(m, h)| (m * scale, h * scale))).collect()
            })
            .collect(),
    };
    let figure = Differences {
        title: format!(
            "Change against {} (95 % intervals, paired runs)",
            c.meta.scenarios.first().map_or("", String::as_str)
        ),
        footer: c.meta.footer(),
        nodes: nodes.iter().map(|(_, name)| name.clone()).collect(),
        scenarios: others.to_vec(),
        panels: [
            panel(|r| r.diff_shortage, 100.0, "P(shortage)", "percentage points"),
            panel(|r| r.diff_unmet, 0.001, "Unmet demand", "thousand m³"),
        ],
        palette: style.palette,
    };
    super::save(&figure, stem, style)
}

impl Figure for Differences {
    fn draw<DB: DrawingBackend>(&self, c: &mut Canvas<DB>) -> DrawResult<(), DB> {
        let body = frame(c, &self.title, &self.footer)?;
        let styles: Vec<_> = (0..self.scenarios.len()).map(|m| self.palette.series(m + 1, c.scale)).collect();
        let entries: Vec<Entry> = self
            .scenarios
            .iter()
            .zip(&styles)
            .map(|(name, s)| {
                let stroke = Stroke::solid(s.stroke.colour, (1.5 * c.scale).max(1.5));
                Entry::new(name.clone(), Sample::IntervalAcross(s.marker, stroke))
            })
            .collect();
        let gap = c.px(10.0) as i32;
        let laid = legend::lay_out(c, &entries, body.width(), true);
        let caption = c.font(17.0);
        let tick = c.font(15.0);
        let label_font = c.font(15.0);
        let x_band = c.px(9.0) as i32 + tick.height() + c.px(6.0) as i32 + c.font(16.0).height();
        let top = body.y0 + caption.height() + gap;
        let bottom = body.y1 - laid.size.1 - gap - x_band;
        let label_w = self.nodes.iter().map(|n| c.text_width(n, label_font)).max().unwrap_or(0).min(body.width() / 4);
        let left = body.x0 + label_w + gap;
        let mid = (left + body.x1) / 2;
        let n = self.nodes.len().max(1);
        let k = self.scenarios.len().max(1) as f64;
        for (p, panel) in self.panels.iter().enumerate() {
            let (x0, mut x1) = if p == 0 { (left, mid - 2 * gap) } else { (mid + 2 * gap, body.x1) };
            let (mut lo, mut hi) = (0.0f64, 0.0f64);
            for (mean, half) in panel.values.iter().flatten().flatten() {
                lo = lo.min(mean - half);
                hi = hi.max(mean + half);
            }
            let pad = ((hi - lo) * 0.12).max(1e-6);
            let range = (lo - pad, hi + pad);
            let xs = ticks(&Ticks::Numeric, range, x1 - x0, c.px(70.0) as i32);
            if let Some((_, last)) = xs.last() {
                x1 -= if p == 1 { c.text_width(last, tick) / 2 } else { 0 };
            }
            let plot = Plot { rect: Rect::new(x0, top, x1, bottom), x: range, y: (0.0, n as f64) };
            let rows: Vec<(f64, String)> = (0..=n).map(|i| (i as f64, String::new())).collect();
            grid(c, &plot, &xs, &rows)?;
            let zero = Stroke::solid(BLACK, 1.0);
            Mark::Line { points: vec![(0.0, 0.0), (0.0, n as f64)], stroke: zero }.draw(c, &plot)?;
            for (m, values) in panel.values.iter().enumerate() {
                // Scenarios one under another within a node's row.
                let y = |i: usize| (n - 1 - i) as f64 + 0.5 - (m as f64 - (k - 1.0) / 2.0) * 0.7 / k;
                let pts: Vec<(usize, f64, f64)> =
                    values.iter().enumerate().filter_map(|(i, v)| v.map(|(mean, half)| (i, mean, half))).collect();
                let stroke = Stroke::solid(styles[m].stroke.colour, (1.5 * c.scale).max(1.5));
                let bars = pts.iter().map(|&(i, mean, half)| (y(i), mean - half, mean + half)).collect();
                Mark::IntervalsAcross { bars, stroke }.draw(c, &plot)?;
                let points = pts.iter().map(|&(i, mean, _)| (mean, y(i))).collect();
                Mark::Points { points, marker: styles[m].marker }.draw(c, &plot)?;
            }
            let under = x_labels(c, &plot, &xs, bottom + c.px(9.0) as i32, tick)?;
            let desc = ellipsis(c, &format!("difference ({})", panel.unit), c.font(16.0), plot.rect.width());
            c.text(&desc, c.font(16.0), BLACK, ((x0 + x1) / 2, under + c.px(6.0) as i32), Anchor::TopCentre)?;
            let title = ellipsis(c, &panel.title, caption, plot.rect.width());
            c.text(&title, caption, BLACK, ((x0 + x1) / 2, body.y0), Anchor::TopCentre)?;
            if p == 0 {
                for (i, name) in self.nodes.iter().enumerate() {
                    let text = ellipsis(c, name, label_font, label_w);
                    let at = (x0 - c.px(8.0) as i32, plot.y_px((n - 1 - i) as f64 + 0.5) as i32);
                    c.text(&text, label_font, BLACK, at, Anchor::Right)?;
                }
            }
        }
        if !entries.is_empty() {
            legend::draw(c, &entries, &laid, (body.x0 + (body.width() - laid.size.0) / 2, body.y1 - laid.size.1))?;
        }
        Ok(())
    }
}
