//! The house chart with two axes, laid out from the image's size: the title on top (shrunk or
//! wrapped to fit), the footer at the bottom, axis labels measured so that they fit, the marks,
//! and the legend in a corner the data leaves free, else beside or under the plot.

use super::axes::{Plot, TickList, Ticks, grid, ticks, widest, x_labels, y_labels};
use super::canvas::{Anchor, Canvas, DrawResult};
use super::geometry::Rect;
use super::legend::{self, Entry};
use super::marks::Mark;
use super::text::{ellipsis, footer, title};
use plotters::prelude::*;

/// An axis: its data range, its ticks and its title.
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    pub range: (f64, f64),
    pub ticks: Ticks,
    pub title: String,
}

/// A chart with two axes.
#[derive(Debug, Clone, PartialEq)]
pub struct Xy {
    pub title: String,
    pub footer: String,
    pub x: Axis,
    pub y: Axis,
    pub marks: Vec<Mark>,
    pub legend: Vec<Entry>,
    /// Said in the middle of the plot when there is nothing to show.
    pub empty: Option<String>,
}

/// Where the legend goes.
enum Place {
    None,
    At((i32, i32), legend::Laid),
}

/// The margin around the chart.
pub fn margin<DB: DrawingBackend>(c: &Canvas<DB>) -> i32 {
    c.px(16.0) as i32
}

/// Draws the title and footer; returns the room left between them.
pub fn frame<DB: DrawingBackend>(c: &mut Canvas<DB>, title_text: &str, footer_text: &str) -> DrawResult<Rect, DB> {
    c.fill_background()?;
    let m = margin(c);
    let bottom = footer(c, footer_text)?;
    let area = Rect::new(m, 0, c.width() - m, c.height());
    let top = title(c, title_text, (m / 2).max(4), area)?;
    Ok(Rect::new(m, top + c.px(10.0) as i32, c.width() - m, bottom))
}

/// The plot box inside `body` for axes `x`, `y`, with `right` and `below` pixels kept free
/// for a legend; and the ticks of both axes.
pub fn plot_box<DB: DrawingBackend>(
    c: &Canvas<DB>,
    body: Rect,
    x: &Axis,
    y: &Axis,
    right: i32,
    below: i32,
) -> (Plot, TickList, TickList) {
    let tick = c.font(16.0);
    let desc = c.font(18.0);
    let x_band = c.px(9.0) as i32 + tick.height() + c.px(6.0) as i32 + desc.height();
    let top = body.y0 + tick.height() / 2 + 2;
    let bottom = body.y1 - x_band - below;
    let y_ticks = ticks(&y.ticks, y.range, bottom - top, tick.height() * 2 + c.px(8.0) as i32);
    let left = body.x0 + desc.height() + c.px(10.0) as i32 + widest(c, &y_ticks, tick) + c.px(8.0) as i32;
    let mut right_edge = body.x1 - right;
    let mut x_ticks = ticks(&x.ticks, x.range, right_edge - left, c.px(70.0) as i32);
    let wide = widest(c, &x_ticks, tick) + c.px(14.0) as i32;
    if wide > c.px(70.0) as i32 {
        x_ticks = ticks(&x.ticks, x.range, right_edge - left, wide);
    }
    // The last label is centred on its tick: keep it inside the image.
    if let Some((v, label)) = x_ticks.last() {
        let rect = Rect::new(left, top, right_edge, bottom);
        let p = Plot { rect, x: x.range, y: y.range };
        let over = p.x_px(*v) as i32 + c.text_width(label, tick) / 2 - (c.width() - 2);
        if over > 0 {
            right_edge -= over;
        }
    }
    let plot =
        Plot { rect: Rect::new(left, top, right_edge.max(left + 10), bottom.max(top + 10)), x: x.range, y: y.range };
    (plot, x_ticks, y_ticks)
}

/// Draws the axes of `plot`: grid, tick labels and titles.
pub fn axes<DB: DrawingBackend>(
    c: &mut Canvas<DB>,
    plot: &Plot,
    x: (&Axis, &[(f64, String)]),
    y: (&Axis, &[(f64, String)]),
    body: Rect,
) -> DrawResult<(), DB> {
    let tick = c.font(16.0);
    let desc = c.font(18.0);
    y_labels(c, plot, y.1, tick)?;
    let under = x_labels(c, plot, x.1, plot.rect.y1 + c.px(9.0) as i32, tick)?;
    let x_title = ellipsis(c, &x.0.title, desc, plot.rect.width());
    c.text(&x_title, desc, BLACK, ((plot.rect.x0 + plot.rect.x1) / 2, under + c.px(6.0) as i32), Anchor::TopCentre)?;
    let y_title = ellipsis(c, &y.0.title, desc, plot.rect.height() + plot.rect.y0 - body.y0);
    let centre = (body.x0 + desc.height() / 2 + 1, (plot.rect.y0 + plot.rect.y1) / 2);
    c.text_upwards(&y_title, desc, BLACK, centre)?;
    Ok(())
}

/// Draws `chart` on the whole canvas; returns its plot.
pub fn draw<DB: DrawingBackend>(c: &mut Canvas<DB>, chart: &Xy) -> DrawResult<Plot, DB> {
    let body = frame(c, &chart.title, &chart.footer)?;
    draw_in(c, chart, body)
}

/// Draws `chart`'s axes, marks and legend in `body`.
pub fn draw_in<DB: DrawingBackend>(c: &mut Canvas<DB>, chart: &Xy, body: Rect) -> DrawResult<Plot, DB> {
    let (plot, xs, ys, place) = lay_out(c, chart, body);
    grid(c, &plot, &xs, &ys)?;
    for mark in &chart.marks {
        mark.draw(c, &plot)?;
    }
    // The axis line again, over the marks.
    let r = plot.rect;
    let axis = super::canvas::Stroke::solid(RGBColor(60, 60, 60), 1.0);
    c.line(
        &[(f64::from(r.x0), f64::from(r.y0)), (f64::from(r.x0), f64::from(r.y1)), (f64::from(r.x1), f64::from(r.y1))],
        &axis,
    )?;
    axes(c, &plot, (&chart.x, &xs), (&chart.y, &ys), body)?;
    if let Some(empty) = &chart.empty {
        let font = c.font(20.0);
        let text = ellipsis(c, empty, font, plot.rect.width() - 20);
        let centre = ((r.x0 + r.x1) / 2, (r.y0 + r.y1) / 2);
        c.text(&text, font, BLACK, centre, Anchor::Centre)?;
    }
    if let Place::At(at, laid) = place {
        legend::draw(c, &chart.legend, &laid, at)?;
    }
    Ok(plot)
}

/// The plot box, ticks and legend place: the legend inside the plot where no mark meets it,
/// else at the right if it is narrow, else under the plot.
fn lay_out<DB: DrawingBackend>(c: &Canvas<DB>, chart: &Xy, body: Rect) -> (Plot, TickList, TickList, Place) {
    let (plot, xs, ys) = plot_box(c, body, &chart.x, &chart.y, 0, 0);
    if chart.legend.is_empty() {
        return (plot, xs, ys, Place::None);
    }
    let gap = c.px(10.0) as i32;
    let laid = legend::lay_out(c, &chart.legend, plot.rect.width() * 11 / 20, false);
    let clear = |r: Rect| !chart.marks.iter().any(|m| m.hits(&plot, r));
    if let Some(at) = legend::inside(plot.rect, laid.size, gap, clear) {
        return (plot, xs, ys, Place::At(at, laid));
    }
    let side = legend::lay_out(c, &chart.legend, c.width() / 4, false);
    if side.size.0 <= c.width() / 4 && side.size.1 <= body.height() - c.px(60.0) as i32 {
        let (plot, xs, ys) = plot_box(c, body, &chart.x, &chart.y, side.size.0 + gap, 0);
        let at = (body.x1 - side.size.0, plot.rect.y0);
        return (plot, xs, ys, Place::At(at, side));
    }
    let under = legend::lay_out(c, &chart.legend, body.width(), true);
    let (plot, xs, ys) = plot_box(c, body, &chart.x, &chart.y, 0, under.size.1 + gap);
    let at = (body.x0 + (body.width() - under.size.0) / 2, body.y1 - under.size.1);
    (plot, xs, ys, Place::At(at, under))
}
