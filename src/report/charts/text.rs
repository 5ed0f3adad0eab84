//! Text that fits its room: titles that shrink and wrap, labels wrapped to a width, the
//! provenance footer cut to the image, and how numbers are written on axes.

use super::canvas::{Anchor, Canvas, DrawResult, Font};
use super::geometry::Rect;
use plotters::prelude::*;

/// Words of `text` in lines no wider than `width` (a word wider than that gets a line of its
/// own, cut with an ellipsis).
pub fn wrap<DB: DrawingBackend>(c: &Canvas<DB>, text: &str, font: Font, width: i32) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let candidate = if line.is_empty() { word.to_string() } else { format!("{line} {word}") };
        if c.text_width(&candidate, font) <= width || line.is_empty() {
            line = candidate;
        } else {
            lines.push(std::mem::take(&mut line));
            line = word.to_string();
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines.into_iter().map(|l| ellipsis(c, &l, font, width)).collect()
}

/// `text` cut with an ellipsis to `width` pixels (unchanged when it fits).
pub fn ellipsis<DB: DrawingBackend>(c: &Canvas<DB>, text: &str, font: Font, width: i32) -> String {
    if c.text_width(text, font) <= width {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let (mut lo, mut hi) = (0usize, chars.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        let s: String = chars[..mid].iter().collect::<String>() + "…";
        if c.text_width(&s, font) <= width { lo = mid } else { hi = mid - 1 }
    }
    chars[..lo].iter().collect::<String>().trim_end().to_string() + "…"
}

/// The title at the top, centred: at 26 px (at 1200 × 700) if it fits, else smaller down to
/// 80 %, else on two lines (broken at " — " if it has one), smaller again if need be. Returns
/// the y under it.
pub fn title<DB: DrawingBackend>(c: &mut Canvas<DB>, text: &str, top: i32, area: Rect) -> DrawResult<i32, DB> {
    let width = area.width();
    let full = c.bold(26.0);
    let mut lines = vec![text.to_string()];
    let mut font = full;
    let fits = |c: &Canvas<DB>, lines: &[String], f: Font| lines.iter().all(|l| c.text_width(l, f) <= width);
    while !fits(c, &lines, font) && font.size > full.size * 0.8 {
        font.size -= 1.0;
    }
    if !fits(c, &lines, font) {
        font = Font::bold(full.size * 0.9);
        lines = match text.split_once(" — ") {
            Some((a, b)) => vec![a.to_string(), b.to_string()],
            None => halves(text),
        };
        while !fits(c, &lines, font) && font.size > (full.size * 0.6).max(11.0) {
            font.size -= 1.0;
        }
        lines = lines.iter().flat_map(|l| wrap(c, l, font, width)).collect();
    }
    let mut y = top;
    let centre = (area.x0 + area.x1) / 2;
    for line in &lines {
        c.text(line, font, BLACK, (centre, y), Anchor::TopCentre)?;
        y += font.height() + 2;
    }
    Ok(y)
}

/// `text` broken into two lines at the space nearest its middle.
fn halves(text: &str) -> Vec<String> {
    let mid = text.chars().count() / 2;
    let split = text
        .char_indices()
        .filter(|(_, ch)| *ch == ' ')
        .min_by_key(|(i, _)| (text[..*i].chars().count() as i64 - mid as i64).abs())
        .map(|(i, _)| i);
    match split {
        Some(i) => vec![text[..i].to_string(), text[i + 1..].to_string()],
        None => vec![text.to_string()],
    }
}

/// The provenance footer, bottom left, cut to the image. Returns the y above it.
pub fn footer<DB: DrawingBackend>(c: &mut Canvas<DB>, text: &str) -> DrawResult<i32, DB> {
    let font = c.font(14.0);
    let margin = c.px(16.0) as i32;
    let shown = ellipsis(c, text, font, c.width() - 2 * margin);
    let y = c.height() - c.px(8.0) as i32 - font.height();
    c.text(&shown, font, RGBColor(40, 40, 40), (margin, y), Anchor::TopLeft)?;
    Ok(y - c.px(6.0) as i32)
}

/// A number as an axis label, with `decimals` decimals and thousands separators.
pub fn axis_number(v: f64, decimals: usize) -> String {
    let s = format!("{:.decimals$}", if v.abs() < 0.5 * 10f64.powi(-(decimals as i32)) { 0.0 } else { v });
    let (sign, digits) = s.strip_prefix('-').map_or(("", s.as_str()), |d| ("−", d));
    let (int, frac) = digits.split_once('.').map_or((digits, None), |(a, b)| (a, Some(b)));
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) && int.len() > 4 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_numbers() {
        assert_eq!(axis_number(12_000.0, 0), "12,000");
        assert_eq!(axis_number(1200.0, 0), "1200");
        assert_eq!(axis_number(-2.5, 1), "−2.5");
        assert_eq!(axis_number(-0.0001, 2), "0.00");
        assert_eq!(axis_number(0.01, 2), "0.01");
    }

    #[test]
    fn titles_break_in_the_middle() {
        assert_eq!(halves("a bb cc d"), ["a bb", "cc d"]);
        assert_eq!(halves("single"), ["single"]);
    }
}
