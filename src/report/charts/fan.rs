//! `stock_<node>`: a fan chart of one demand node's stock over time — median, 25–75 % and
//! 5–95 % bands across runs, the times when blockades or attackers are active shaded, a line
//! at zero, and a timeline of the blockades (and attackers' sites) underneath.

use super::{Figure, Palette, Style, legend, mesh, nice_ceiling, save, text, title_text, with_footer};
use crate::report::{OutputData, ReportError};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::path::Path;

struct Fan {
    title: String,
    footer: String,
    horizon: f64,
    /// (time, [p05, p25, p50, p75, p95]) in thousand m³, from t = 0.
    points: Vec<(f64, [f64; 5])>,
    /// Timeline rows: the blockades within the horizon in file order, then each attacker's
    /// candidate sites.
    rows: Vec<Row>,
    /// Whether some rows are attackers'.
    attackers: bool,
    palette: Palette,
}

/// A timeline row: a label and the spans when it acts, each with a weight in (0, 1] (the share
/// of runs in which an attacker held the site; 1 for a blockade).
#[derive(Clone)]
struct Row {
    label: String,
    spans: Vec<(f64, f64, f64)>,
}

/// Height of one row of the timeline under the chart, in pixels.
const ROW: u32 = 22;
/// Rows shown at most; more are summed up in the last row.
const MAX_ROWS: usize = 12;

/// Draws the fan chart of demand `d`.
pub fn stock_fan(data: &OutputData, d: usize, style: &Style, stem: &Path) -> Result<(), ReportError> {
    let demand = &data.demands[d];
    let horizon = data.horizon();
    // Stock at the end of day `day` is the stock at time day + 1.
    let points = std::iter::once((0.0, [demand.initial_stock / 1000.0; 5]))
        .chain(demand.days.iter().enumerate().map(|(day, q)| ((day + 1) as f64, q.stock.map(|v| v / 1000.0))))
        .collect();
    let mut rows: Vec<Row> = data
        .blockades
        .iter()
        .filter(|b| b.start < horizon && b.end > b.start)
        .map(|b| {
            let label = format!(
                "{} ({}): attack {:.0} %, loss {:.0} %",
                b.name,
                b.site,
                100.0 * b.attack_prob,
                100.0 * b.truck_loss_prob
            );
            Row { label, spans: vec![(b.start, b.end.min(horizon), 1.0)] }
        })
        .collect();
    let blockade_rows = rows.len();
    for a in &data.attackers {
        let label = format!("attacker {} ({}) at {}", a.attacker, a.policy, a.site);
        let span = (a.start, a.end, a.held_share);
        match rows[blockade_rows..].iter_mut().find(|r| r.label == label) {
            Some(row) => row.spans.push(span),
            None => rows.push(Row { label, spans: vec![span] }),
        }
    }
    rows.iter_mut().for_each(|r| r.spans.retain(|s| s.2 > 0.0));
    let fan = Fan {
        title: format!("Fuel stock at {} — {}", demand.name, data.meta.name),
        footer: data.footer(),
        horizon,
        points,
        attackers: rows.len() > blockade_rows,
        rows,
        palette: style.palette,
    };
    save(&fan, stem, style)
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

impl Fan {
    /// Rows of the timeline, the extra ones folded into the last row.
    fn rows(&self) -> Vec<Row> {
        let mut rows: Vec<Row> = self.rows.iter().take(MAX_ROWS).cloned().collect();
        if self.rows.len() > MAX_ROWS {
            let rest = &self.rows[MAX_ROWS - 1..];
            let spans = union(rest.iter().flat_map(|r| r.spans.iter().map(|s| (s.0, s.1))).collect());
            rows[MAX_ROWS - 1] = Row {
                label: format!("{} more rows", rest.len()),
                spans: spans.into_iter().map(|(a, b)| (a, b, 1.0)).collect(),
            };
        }
        rows
    }
}

fn timeline_height(rows: usize) -> u32 {
    if rows == 0 { 0 } else { 30 + ROW * rows as u32 }
}

impl Figure for Fan {
    fn size(&self, base: (u32, u32)) -> (u32, u32) {
        (base.0, base.1 + timeline_height(self.rows().len()))
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let plot = with_footer(root, &self.footer)?;
        let rows = self.rows();
        let panel_height = timeline_height(rows.len());
        let (main, panel) = plot.split_vertically(plot.dim_in_pixel().1 - panel_height);
        let top = self.points.iter().map(|p| p.1[4]).fold(0.0, f64::max);
        let ymax = nice_ceiling(top * 1.08);
        let bottom = -ymax * 0.02;
        let accent = self.palette.accent();
        let [(outer, outer_alpha), (inner, inner_alpha)] = self.palette.bands();
        let main_colour = self.palette.main();
        let mut chart = ChartBuilder::on(&main)
            .caption(&self.title, title_text(28.0))
            .margin(24)
            .margin_right(40)
            .margin_bottom(8)
            .x_label_area_size(60)
            .y_label_area_size(90)
            .build_cartesian_2d(0.0..self.horizon, bottom..ymax)?;
        mesh(&mut chart, "Days since the scenario starts", "Stock (thousand m³)")?;
        let windows = union(self.rows.iter().flat_map(|r| r.spans.iter().map(|s| (s.0, s.1))).collect());
        if !windows.is_empty() {
            let label = if self.attackers {
                "a blockade or attacker is active (see below)"
            } else {
                "a blockade is active (see below)"
            };
            chart
                .draw_series(
                    windows.iter().map(|&(a, b)| Rectangle::new([(a, bottom), (b, ymax)], accent.mix(0.07).filled())),
                )?
                .label(label)
                .legend(move |(x, y)| Rectangle::new([(x, y - 7), (x + 24, y + 7)], accent.mix(0.2).filled()));
        }
        let band = |lo: usize, hi: usize| -> Vec<(f64, f64)> {
            let upper = self.points.iter().map(|(t, q)| (*t, q[hi]));
            let lower = self.points.iter().rev().map(|(t, q)| (*t, q[lo]));
            upper.chain(lower).collect()
        };
        chart
            .draw_series(std::iter::once(Polygon::new(band(0, 4), outer.mix(outer_alpha).filled())))?
            .label("5–95 % of runs")
            .legend(move |(x, y)| Rectangle::new([(x, y - 7), (x + 24, y + 7)], outer.mix(outer_alpha).filled()));
        chart
            .draw_series(std::iter::once(Polygon::new(band(1, 3), inner.mix(inner_alpha).filled())))?
            .label("25–75 % of runs")
            .legend(move |(x, y)| Rectangle::new([(x, y - 7), (x + 24, y + 7)], inner.mix(inner_alpha).filled()));
        chart
            .draw_series(LineSeries::new(self.points.iter().map(|(t, q)| (*t, q[2])), main_colour.stroke_width(3)))?
            .label("median")
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 24, y)], main_colour.stroke_width(3)));
        chart
            .draw_series(LineSeries::new([(0.0, 0.0), (self.horizon, 0.0)], BLACK.stroke_width(1)))?
            .label("empty (stock = 0)")
            .legend(|(x, y)| PathElement::new([(x, y), (x + 24, y)], BLACK.stroke_width(1)));
        legend(&mut chart, SeriesLabelPosition::UpperRight)?;
        if !rows.is_empty() {
            let heading = if self.attackers {
                "Blockades and attackers (shade: share of runs holding the site)"
            } else {
                "Blockades"
            };
            draw_timeline(&panel, &rows, heading, self.horizon, accent)?;
        }
        Ok(())
    }
}

/// The timeline: one bar per blockade (and attacker site) on the same day axis as the chart.
fn draw_timeline<DB: DrawingBackend>(
    panel: &DrawingArea<DB, Shift>,
    rows: &[Row],
    heading: &str,
    horizon: f64,
    accent: RGBColor,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let n = rows.len() as f64;
    let mut timeline = ChartBuilder::on(panel)
        .margin_left(24)
        .margin_right(40)
        .margin_top(22)
        .margin_bottom(8)
        .y_label_area_size(90)
        .build_cartesian_2d(0.0..horizon, 0.0..n)?;
    panel.draw_text(heading, &title_text(16.0), (24, 2))?;
    let right_of = text(14.0).pos(Pos::new(HPos::Left, VPos::Center));
    let left_of = text(14.0).pos(Pos::new(HPos::Right, VPos::Center));
    for (i, Row { label, spans }) in rows.iter().enumerate() {
        let y = n - 1.0 - i as f64;
        if i % 2 == 0 {
            timeline.draw_series(std::iter::once(Rectangle::new(
                [(0.0, y), (horizon, y + 1.0)],
                RGBColor(246, 246, 246).filled(),
            )))?;
        }
        timeline.draw_series(
            spans
                .iter()
                .map(|&(a, b, w)| Rectangle::new([(a, y + 0.18), (b, y + 0.82)], accent.mix(0.06 + 0.30 * w).filled())),
        )?;
        // Labels start inside their bar, or end just before it when the bar starts late.
        let start = spans.first().map_or(0.0, |w| w.0);
        let (x, style) = if start > 0.55 * horizon {
            (start - horizon * 0.005, &left_of)
        } else {
            (start + horizon * 0.005, &right_of)
        };
        timeline.draw_series(std::iter::once(Text::new(label.clone(), (x, y + 0.5), style.clone())))?;
    }
    Ok(())
}
