//! `stock_<node>`: a fan chart of one demand node's stock over time — median, 25–75 % and
//! 5–95 % bands across runs, the times when a blockade or attacker on a route to the node is
//! active hatched, a line at zero — with, underneath, the share of runs short on each day (the
//! end-of-day stock hides shortages that a later delivery ends within the day) and a timeline
//! of the blockades and attackers' sites on routes to the node.

use super::axes::{Plot, Ticks, TimeAxis, grid, y_labels};
use super::canvas::{Anchor, Canvas, DrawResult, Fill, Stroke};
use super::geometry::Rect;
use super::legend::{self, Entry, Sample};
use super::marks::Mark;
use super::text::ellipsis;
use super::xy::{Axis, axes, frame, plot_box};
use super::{Figure, Layout, Palette, Style, nice_ceiling, pct, save};
use crate::report::{OutputData, ReportError};
use plotters::prelude::*;
use std::path::Path;

pub(super) struct Fan {
    pub(super) title: String,
    footer: String,
    city: String,
    horizon: f64,
    /// (time, [p05, p25, p50, p75, p95]) in thousand m³, from t = 0.
    points: Vec<(f64, [f64; 5])>,
    /// Share of runs short on each day.
    short: Vec<f64>,
    /// Timeline rows: the blockades on routes to the node, then attackers' candidate sites.
    rows: Vec<Row>,
    attackers: bool,
    palette: Palette,
    time: TimeAxis,
    /// What else is drawn on the chart (a hindcast's observations), built at the canvas's scale.
    pub(super) overlay: Option<Box<dyn Fn(f64) -> Overlay + Sync>>,
}

/// What a chart built on the fan adds to it: marks on the stock plot (thousand m³) and on the
/// strip (0–100 %), drawn over the fan's own; legend entries; rows listed above the blockades'
/// timeline under their own heading; short tags written beside points where they fit.
#[derive(Default)]
pub(super) struct Overlay {
    pub plot: Vec<Mark>,
    pub strip: Vec<Mark>,
    pub legend: Vec<Entry>,
    pub rows: Vec<Row>,
    pub rows_heading: String,
    /// The strip's heading, when it shows more than the share of runs short each day.
    pub strip_head: Option<String>,
    /// The highest value the plot marks reach (thousand m³), for the stock axis.
    pub top: f64,
    /// (tag, point in data coordinates, whether on the strip).
    pub tags: Vec<(String, (f64, f64), bool)>,
}

/// A timeline row: a label and the spans when it acts, each with a weight in (0, 1] (the share
/// of runs in which an attacker held the site; 1 for a blockade).
#[derive(Clone)]
pub(super) struct Row {
    pub label: String,
    pub spans: Vec<(f64, f64, f64)>,
    /// How its bars are filled (none: the accent, as opaque as the weight).
    pub fill: Option<Fill>,
}

/// Draws the fan chart of demand `d`.
pub fn stock_fan(data: &OutputData, d: usize, style: &Style, stem: &Path) -> Result<Layout, ReportError> {
    save(&fan(data, d, style), stem, style)
}

/// The fan chart of demand `d`, to be drawn or built on.
pub(super) fn fan(data: &OutputData, d: usize, style: &Style) -> Fan {
    let demand = &data.demands[d];
    let horizon = data.horizon();
    // Stock at the end of day `day` is the stock at time day + 1.
    let points = std::iter::once((0.0, [demand.initial_stock / 1000.0; 5]))
        .chain(demand.days.iter().enumerate().map(|(day, q)| ((day + 1) as f64, q.stock.map(|v| v / 1000.0))))
        .collect();
    let mut rows: Vec<Row> = data
        .blockades
        .iter()
        .filter(|b| b.start < horizon && b.end > b.start && b.reaches(&demand.id))
        .map(|b| {
            let label = format!(
                "{} ({}): attack {}, loss {}",
                data.site_name(&b.site),
                b.name,
                pct(b.attack_prob),
                pct(b.truck_loss_prob)
            );
            Row { label, spans: vec![(b.start, b.end.min(horizon), 1.0)], fill: None }
        })
        .collect();
    let blockade_rows = rows.len();
    for a in data.attackers.iter().filter(|a| a.reaches(&demand.id)) {
        let label = format!("attacker {} ({}) at {}", a.attacker, a.policy, data.site_name(&a.site));
        let span = (a.start, a.end, a.held_share);
        match rows[blockade_rows..].iter_mut().find(|r| r.label == label) {
            Some(row) => row.spans.push(span),
            None => rows.push(Row { label, spans: vec![span], fill: None }),
        }
    }
    rows.iter_mut().for_each(|r| r.spans.retain(|s| s.2 > 0.0));
    Fan {
        title: format!("Fuel stock at {} — {}", demand.name, data.meta.name),
        footer: data.footer(),
        city: demand.name.clone(),
        horizon,
        points,
        short: demand.days.iter().map(|x| x.p_shortage).collect(),
        attackers: rows.len() > blockade_rows,
        rows,
        palette: style.palette,
        time: TimeAxis { calendar: data.calendar(), days: style.days },
        overlay: None,
    }
}

/// The union of half-open intervals, sorted.
fn union(mut windows: Vec<(f64, f64)>) -> Vec<(f64, f64)> {
    windows.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut out: Vec<(f64, f64)> = Vec::new();
    for (a, b) in windows {
        match out.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => out.push((a, b)),
        }
    }
    out
}

/// At most `max` rows; the rest folded into the last one, labelled "N more `more`".
fn fold_rows(rows: &[Row], max: usize, more: &str) -> Vec<Row> {
    if rows.len() <= max || max == 0 {
        return rows.iter().take(max).cloned().collect();
    }
    let mut out: Vec<Row> = rows.iter().take(max - 1).cloned().collect();
    let rest = &rows[max - 1..];
    let spans = union(rest.iter().flat_map(|r| r.spans.iter().map(|s| (s.0, s.1))).collect());
    out.push(Row {
        label: format!("{} more {more}", rest.len()),
        spans: spans.into_iter().map(|(a, b)| (a, b, 1.0)).collect(),
        fill: None,
    });
    out
}

impl Fan {
    fn marks(&self, scale: f64) -> (Vec<Mark>, Vec<Entry>) {
        let windows = union(self.rows.iter().flat_map(|r| r.spans.iter().map(|s| (s.0, s.1))).collect());
        let [outer, inner] = self.palette.bands(scale);
        let median = Stroke::solid(self.palette.main(), 3.0 * scale);
        let zero = Stroke::solid(BLACK, 1.0);
        let band = |lo: usize, hi: usize| -> Vec<(f64, f64)> {
            let upper = self.points.iter().map(|(t, q)| (*t, q[hi]));
            let lower = self.points.iter().rev().map(|(t, q)| (*t, q[lo]));
            upper.chain(lower).collect()
        };
        let mut marks: Vec<Mark> = Vec::new();
        let mut entries = Vec::new();
        let window = self.palette.window(scale);
        for &(x0, x1) in &windows {
            marks.push(Mark::Span { x0, x1, fill: window.clone() });
        }
        if !windows.is_empty() {
            let what = if self.attackers { "a blockade or attacker" } else { "a blockade" };
            entries.push(Entry::new(
                format!("{what} on a route to {} is active (see below)", self.city),
                Sample::Area(window),
            ));
        }
        marks.push(Mark::Area { points: band(0, 4), fill: outer.clone() });
        marks.push(Mark::Area { points: band(1, 3), fill: inner.clone() });
        marks
            .push(Mark::Line { points: self.points.iter().map(|(t, q)| (*t, q[2])).collect(), stroke: median.clone() });
        marks.push(Mark::Line { points: vec![(0.0, 0.0), (self.horizon, 0.0)], stroke: zero.clone() });
        entries.push(Entry::new("5–95 % of runs", Sample::Area(outer)));
        entries.push(Entry::new("25–75 % of runs", Sample::Area(inner)));
        entries.push(Entry::new("median", Sample::Line(median, None)));
        entries.push(Entry::new("empty (stock = 0)", Sample::Line(zero, None)));
        (marks, entries)
    }
}

impl Figure for Fan {
    fn draw<DB: DrawingBackend>(&self, c: &mut Canvas<DB>) -> DrawResult<(), DB> {
        let body = frame(c, &self.title, &self.footer)?;
        let overlay = self.overlay.as_ref().map(|f| f(c.scale)).unwrap_or_default();
        let (mut marks, mut entries) = self.marks(c.scale);
        marks.extend(overlay.plot.iter().cloned());
        entries.extend(overlay.legend.iter().cloned());
        let heading = c.bold(15.0);
        let row_font = c.font(14.0);
        let row_h = row_font.height() + c.px(6.0) as i32;
        // The timeline takes at most a third of the room (a quarter in a small chart, half with
        // an overlay's rows, which come first); more rows are folded into the last.
        let more = "(see blockades.csv, attackers.csv)";
        let (own, rows) = if overlay.rows.is_empty() {
            let share = if body.height() < 500 { 4 } else { 3 };
            let max_rows = ((body.height() / share - heading.height() - 6) / row_h).max(1) as usize;
            (Vec::new(), fold_rows(&self.rows, max_rows, more))
        } else {
            // Two fifths of the room (a quarter in a small chart), the overlay's rows first, at
            // most three of the blockades'.
            let room = if body.height() < 500 { body.height() / 4 } else { body.height() * 2 / 5 };
            let max_rows = ((room - 2 * (heading.height() + 6)) / row_h).max(2) as usize;
            let keep = usize::from(!self.rows.is_empty());
            let own = fold_rows(&overlay.rows, max_rows - keep, "(see hindcast.csv)");
            let rest = max_rows.saturating_sub(own.len()).clamp(keep, 3);
            (own, fold_rows(&self.rows, rest, more))
        };
        let block_h = |n: usize| if n == 0 { 0 } else { heading.height() + 6 + n as i32 * row_h };
        let own_h = block_h(own.len());
        let timeline_h = block_h(rows.len()) + own_h;
        let strip_share = if overlay.strip.is_empty() || body.height() < 500 { 9 } else { 6 };
        let strip_h = (body.height() / strip_share).max(c.px(30.0) as i32);
        let strip_head = c.font(14.0).height() + c.px(14.0) as i32;
        let top = self.points.iter().map(|p| p.1[4]).fold(overlay.top, f64::max);
        let ymax = nice_ceiling(top * 1.08);
        let x = Axis { range: (0.0, self.horizon), ticks: Ticks::Time(self.time), title: self.time.title() };
        let y = Axis { range: (-ymax * 0.02, ymax), ticks: Ticks::Numeric, title: "Stock (thousand m³)".into() };
        let gap = c.px(10.0) as i32;
        // The x axis (labels, title) sits under the strip: the main plot's box is planned
        // with the strip, the timeline and the legend below it.
        let below = |legend_h: i32| strip_head + strip_h + legend_h + if timeline_h > 0 { timeline_h + gap } else { 0 };
        let (mut plot, mut xs, mut ys) = plot_box(c, body, &x, &y, 0, below(0));
        let clear = |p: &Plot, r: Rect| !marks.iter().any(|m| m.hits(p, r));
        let laid = legend::lay_out(c, &entries, plot.rect.width() / 2, false);
        let mut place = legend::inside(plot.rect, laid.size, gap, |r| clear(&plot, r)).map(|at| (at, laid));
        if place.is_none() {
            // Beside the plot and the strip (the timeline spans the width under them), or
            // else under the x axis.
            let side = legend::lay_out(c, &entries, c.width() * 3 / 10, false);
            if side.size.0 <= c.width() * 3 / 10 && side.size.1 <= body.height() - timeline_h - gap {
                (plot, xs, ys) = plot_box(c, body, &x, &y, side.size.0 + gap, below(0));
                place = Some(((body.x1 - side.size.0, plot.rect.y0), side));
            } else {
                let under = legend::lay_out(c, &entries, body.width(), true);
                (plot, xs, ys) = plot_box(c, body, &x, &y, 0, below(under.size.1 + gap));
                let x_axis_h = c.px(15.0) as i32 + c.font(16.0).height() + c.font(18.0).height();
                let y0 = plot.rect.y1 + strip_head + strip_h + x_axis_h + gap;
                place = Some(((body.x0 + (body.width() - under.size.0) / 2, y0), under));
            }
        }
        grid(c, &plot, &xs, &ys)?;
        for m in &marks {
            m.draw(c, &plot)?;
        }
        y_labels(c, &plot, &ys, c.font(16.0))?;
        // The strip: share of runs short on each day.
        let strip = Plot {
            rect: Rect::new(plot.rect.x0, plot.rect.y1 + strip_head, plot.rect.x1, plot.rect.y1 + strip_head + strip_h),
            x: plot.x,
            y: (0.0, 100.0),
        };
        self.draw_strip(c, &strip, &xs, &overlay)?;
        let x_axis_plot = Plot { rect: Rect::new(plot.rect.x0, plot.rect.y0, plot.rect.x1, strip.rect.y1), ..plot };
        axes(c, &x_axis_plot, (&x, &xs), (&Axis { title: String::new(), ..y.clone() }, &[]), body)?;
        let title = ellipsis(c, &y.title, c.font(18.0), plot.rect.height());
        c.text_upwards(
            &title,
            c.font(18.0),
            BLACK,
            (body.x0 + c.font(18.0).height() / 2 + 1, (plot.rect.y0 + plot.rect.y1) / 2),
        )?;
        if let Some((at, laid)) = place {
            legend::draw(c, &entries, &laid, at)?;
        }
        if !own.is_empty() {
            let area = Rect::new(plot.rect.x0, body.y1 - timeline_h, plot.rect.x1, body.y1 - timeline_h + own_h);
            self.draw_timeline(c, &own, &overlay.rows_heading, area, &plot)?;
        }
        if !rows.is_empty() {
            let what = if self.attackers { "Blockades and attackers on routes to" } else { "Blockades on routes to" };
            let mut heading_text = format!("{what} {}", self.city);
            if self.attackers {
                heading_text.push_str(" (shade: share of runs holding the site)");
            }
            let timeline = Rect::new(plot.rect.x0, body.y1 - timeline_h + own_h, plot.rect.x1, body.y1);
            self.draw_timeline(c, &rows, &heading_text, timeline, &plot)?;
        }
        for (tag, at, on_strip) in &overlay.tags {
            super::marks::tag(c, if *on_strip { &strip } else { &plot }, tag, *at)?;
        }
        Ok(())
    }
}

impl Fan {
    fn draw_strip<DB: DrawingBackend>(
        &self,
        c: &mut Canvas<DB>,
        strip: &Plot,
        xs: &[(f64, String)],
        overlay: &Overlay,
    ) -> DrawResult<(), DB> {
        let font = c.font(14.0);
        let head = overlay.strip_head.as_deref().unwrap_or("Share of runs short on that day (0–100 %)");
        let head = ellipsis(c, head, font, strip.rect.width());
        c.text(&head, font, BLACK, (strip.rect.x0, strip.rect.y0 - font.height() - c.px(3.0) as i32), Anchor::TopLeft)?;
        let ys = [(0.0, "0".to_string()), (100.0, "100".to_string())];
        grid(c, strip, xs, &ys)?;
        let fill = Fill { colour: Some((self.palette.main(), 0.85)), hatch: None, outline: None };
        for (day, p) in self.short.iter().enumerate().filter(|(_, p)| **p > 0.0) {
            Mark::bar(day as f64, 0.0, day as f64 + 1.0, 100.0 * p, fill.clone()).draw(c, strip)?;
        }
        for m in &overlay.strip {
            m.draw(c, strip)?;
        }
        // Labels only where they fit beside each other in the strip.
        if strip.rect.height() >= 2 * font.height() + 2 {
            y_labels(c, strip, &ys, font)?;
        } else {
            y_labels(c, strip, &ys[1..], font)?;
        }
        Ok(())
    }

    fn draw_timeline<DB: DrawingBackend>(
        &self,
        c: &mut Canvas<DB>,
        rows: &[Row],
        heading: &str,
        area: Rect,
        plot: &Plot,
    ) -> DrawResult<(), DB> {
        let font = c.font(14.0);
        let bold = c.bold(15.0);
        let heading = ellipsis(c, heading, bold, c.width() - 2 * area.x0.min(c.px(16.0) as i32) - area.x0);
        c.text(&heading, bold, BLACK, (area.x0, area.y0), Anchor::TopLeft)?;
        let row_h = font.height() + c.px(6.0) as i32;
        let accent = self.palette.accent();
        let pale = self.palette == Palette::Greyscale;
        for (i, row) in rows.iter().enumerate() {
            let y0 = area.y0 + bold.height() + 6 + i as i32 * row_h;
            let band = Rect::new(plot.rect.x0, y0, plot.rect.x1, y0 + row_h);
            if i % 2 == 0 {
                c.rect(band, &Fill { colour: Some((RGBColor(244, 244, 244), 1.0)), ..Fill::default() })?;
            }
            for &(a, b, w) in &row.spans {
                let (xa, xb) = (plot.x_px(a).max(f64::from(band.x0)), plot.x_px(b).min(f64::from(band.x1)));
                let bar = Rect::new(xa as i32, y0 + 2, xb as i32, y0 + row_h - 2);
                let alpha = if pale { 0.15 + 0.25 * w } else { 0.10 + 0.35 * w };
                let outline = Stroke::solid(if pale { RGBColor(40, 40, 40) } else { accent }, 1.0);
                let fill = row.fill.clone().unwrap_or(Fill {
                    colour: Some((accent, alpha)),
                    hatch: None,
                    outline: Some(outline),
                });
                c.rect(bar, &fill)?;
            }
            // The label starts inside its first bar, or ends just before it when the bar starts
            // late; a row with its own fill (an observation's) is labelled beside its bars, after
            // them or before them, never over them. The label is cut to the room it has.
            let start = row.spans.first().map_or(0.0, |s| s.0);
            let sx = plot.x_px(start) as i32;
            let pad = c.px(5.0) as i32;
            let after = match &row.fill {
                Some(_) => plot.x_px(row.spans.last().map_or(start, |s| s.1)).min(f64::from(plot.rect.x1)) as i32,
                None => sx,
            };
            // An observation's label may run on past the plot, under the legend.
            let right_end = if row.fill.is_some() { c.width() - pad } else { plot.rect.x1 };
            let right_room = right_end - after - pad;
            let left_room = sx - plot.rect.x0 - pad;
            let full = c.text_width(&row.label, font);
            let (at, anchor, room) = if full <= right_room || right_room >= left_room {
                ((after + pad, y0 + row_h / 2), Anchor::Left, right_room)
            } else {
                ((sx - pad, y0 + row_h / 2), Anchor::Right, left_room)
            };
            let label = ellipsis(c, &row.label, font, room);
            c.text(&label, font, BLACK, at, anchor)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_beyond_the_room_are_folded() {
        let row = |l: &str, a: f64, b: f64| Row { label: l.into(), spans: vec![(a, b, 1.0)], fill: None };
        let rows = vec![row("a", 0.0, 5.0), row("b", 3.0, 8.0), row("c", 10.0, 12.0)];
        let folded = fold_rows(&rows, 2, "(see blockades.csv, attackers.csv)");
        assert_eq!(folded.len(), 2);
        assert_eq!(folded[1].spans, vec![(3.0, 8.0, 1.0), (10.0, 12.0, 1.0)]);
        assert!(folded[1].label.starts_with("2 more"));
        assert_eq!(fold_rows(&rows, 5, "").len(), 3);
    }
}
