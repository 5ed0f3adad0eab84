//! Horizontal bars, largest at the top, with an optional 95 % interval on each and notes under
//! the chart (such as the members of each group of sites): the figure behind
//! `critical_sites`, `critical_pairs` and `road_losses`. Rows and their labels shrink to the
//! room there is; when even the smallest type would not fit every bar, the largest bars are
//! shown and the chart says how many more there are.

use super::axes::{Plot, Ticks, grid, ticks, x_labels};
use super::canvas::{Anchor, Canvas, DrawResult, Fill, Font, Stroke};
use super::geometry::Rect;
use super::marks::Mark;
use super::text::{ellipsis, wrap};
use super::xy::frame;
use super::{Figure, nice_ceiling};
use plotters::prelude::*;

pub(super) struct HorizontalBars {
    pub title: String,
    pub footer: String,
    pub x_desc: String,
    /// (label, value, 95 % half-width if any), largest first.
    pub bars: Vec<(String, f64, Option<f64>)>,
    pub fill: Fill,
    /// Said when there is no bar.
    pub empty: String,
    /// Paragraphs written under the chart.
    pub notes: Vec<String>,
    /// A paragraph about each bar (such as its members), written under the chart with it.
    pub bar_notes: Vec<Option<String>>,
    /// What the bars are, for the note on bars left out ("sites or groups").
    pub what: String,
}

/// The smallest type of a bar's label, in pixels.
const MIN_LABEL: f64 = 8.5;

impl HorizontalBars {
    /// The notes' lines in `font`, wrapped to `width`, when the first `shown` bars are drawn.
    fn note_lines<DB: DrawingBackend>(&self, c: &Canvas<DB>, font: Font, width: i32, shown: usize) -> Vec<String> {
        let mut notes = self.notes.clone();
        notes.extend(self.bar_notes.iter().take(shown).flatten().cloned());
        if shown < self.bars.len() {
            notes.push(format!(
                "{} more {} with smaller effects are in the table.",
                self.bars.len() - shown,
                self.what
            ));
        }
        notes.iter().flat_map(|n| wrap(c, n, font, width)).collect()
    }

    /// How many bars fit with their labels at least `MIN_LABEL` high, and the notes then.
    fn fit<DB: DrawingBackend>(&self, c: &Canvas<DB>, body: Rect, x_band: i32) -> (usize, Font, Vec<String>) {
        let mut shown = self.bars.len();
        loop {
            let mut font = c.font(14.0);
            let mut notes = self.note_lines(c, font, body.width(), shown);
            while (notes.len() as i32) * (font.height() + 2) > body.height() / 3 && font.size > 8.0 {
                font.size -= 0.5;
                notes = self.note_lines(c, font, body.width(), shown);
            }
            let notes_h = notes.len() as i32 * (font.height() + 2) + c.px(8.0) as i32;
            let row_h = f64::from(body.height() - notes_h - x_band) / shown.max(1) as f64;
            if shown <= 1 || row_h * 0.78 >= MIN_LABEL {
                return (shown, font, notes);
            }
            shown -= 1;
        }
    }
}

impl Figure for HorizontalBars {
    fn draw<DB: DrawingBackend>(&self, c: &mut Canvas<DB>) -> DrawResult<(), DB> {
        let body = frame(c, &self.title, &self.footer)?;
        let tick = c.font(15.0);
        let desc = c.font(17.0);
        let x_band = c.px(9.0) as i32 + tick.height() + c.px(6.0) as i32 + desc.height();
        // Notes at the bottom, in a smaller type if they would take more than a third.
        let (shown, note_font, notes) = self.fit(c, body, x_band);
        let bars = &self.bars[..shown];
        let notes_h =
            if notes.is_empty() { 0 } else { notes.len() as i32 * (note_font.height() + 2) + c.px(8.0) as i32 };
        let (top, bottom) = (body.y0, body.y1 - notes_h - x_band);
        let n = bars.len().max(1) as i32;
        let row_h = f64::from(bottom - top) / f64::from(n);
        let label_font = Font::regular((c.px(15.0)).min(row_h * 0.78).max(MIN_LABEL));
        let label_room = body.width() * 2 / 5;
        let label_w = bars.iter().map(|b| c.text_width(&b.0, label_font)).max().unwrap_or(0).min(label_room);
        let top_value = nice_ceiling(bars.iter().map(|b| b.1 + b.2.unwrap_or(0.0)).fold(0.0, f64::max) * 1.05);
        let mut right = body.x1;
        let left = body.x0 + label_w + c.px(10.0) as i32;
        let xs = ticks(&Ticks::Numeric, (0.0, top_value), right - left, c.px(80.0) as i32);
        if let Some((_, last)) = xs.last() {
            right -= c.text_width(last, tick) / 2;
        }
        let plot = Plot { rect: Rect::new(left, top, right, bottom), x: (0.0, top_value), y: (0.0, f64::from(n)) };
        grid(c, &plot, &xs, &[])?;
        let ink = Stroke::solid(BLACK, (2.0 * c.scale).max(1.5));
        for (i, (label, mean, half)) in bars.iter().enumerate() {
            let y = f64::from(n - 1 - i as i32);
            Mark::bar(0.0, y + 0.15, mean.max(0.0), y + 0.85, self.fill.clone()).draw(c, &plot)?;
            // An interval narrower than the whiskers would draw as a blot: shown when visible.
            if let Some(half) = half.filter(|h| *h > top_value * 0.004) {
                let bar = vec![(y + 0.5, (mean - half).max(0.0), mean + half)];
                Mark::IntervalsAcross { bars: bar, stroke: ink.clone() }.draw(c, &plot)?;
            }
            let shown = ellipsis(c, label, label_font, label_w);
            let at = (left - c.px(8.0) as i32, plot.y_px(y + 0.5).round() as i32);
            c.text(&shown, label_font, BLACK, at, Anchor::Right)?;
        }
        let under = x_labels(c, &plot, &xs, bottom + c.px(9.0) as i32, tick)?;
        let x_desc = ellipsis(c, &self.x_desc, desc, body.width());
        c.text(&x_desc, desc, BLACK, ((body.x0 + body.x1) / 2, under + c.px(6.0) as i32), Anchor::TopCentre)?;
        if self.bars.is_empty() {
            let font = c.font(20.0);
            let text = ellipsis(c, &self.empty, font, plot.rect.width());
            c.text(&text, font, BLACK, ((left + right) / 2, (top + bottom) / 2), Anchor::Centre)?;
        }
        let mut y = body.y1 - notes_h + c.px(8.0) as i32;
        for line in &notes {
            c.text(line, note_font, BLACK, (body.x0, y), Anchor::TopLeft)?;
            y += note_font.height() + 2;
        }
        Ok(())
    }
}
