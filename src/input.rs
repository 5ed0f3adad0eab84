//! Checks shared by the two input edges (network CSV and scenario TOML): the allowed range of a
//! number, and how it is described in an error message.

use std::fmt;

/// The allowed values of a numeric field: finite, from `min` (excluded when `min_open`) to `max`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Range {
    pub min: f64,
    pub max: f64,
    pub min_open: bool,
}

impl Range {
    pub const POSITIVE: Range = Range { min: 0.0, max: f64::INFINITY, min_open: true };
    pub const NON_NEGATIVE: Range = Range { min: 0.0, max: f64::INFINITY, min_open: false };
    pub const PROBABILITY: Range = Range { min: 0.0, max: 1.0, min_open: false };

    pub const fn closed(min: f64, max: f64) -> Range {
        Range { min, max, min_open: false }
    }

    /// True when `v` is finite and inside the range.
    pub fn contains(self, v: f64) -> bool {
        v.is_finite() && (if self.min_open { v > self.min } else { v >= self.min }) && v <= self.max
    }
}

impl fmt::Display for Range {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.min_open, self.max.is_finite()) {
            (true, false) => write!(f, "a finite number > {}", show(self.min)),
            (false, false) => write!(f, "a finite number >= {}", show(self.min)),
            (true, true) => write!(f, "a number > {} and at most {}", show(self.min), show(self.max)),
            (false, true) => write!(f, "a number from {} to {}", show(self.min), show(self.max)),
        }
    }
}

/// A number as echoed in a message: as written for ordinary sizes, in exponent form (`1e300`)
/// beyond 10^15 or below 10^-6, so that it never runs to hundreds of digits.
pub(crate) fn show(x: f64) -> String {
    if x != 0.0 && x.is_finite() && !(1e-6..1e15).contains(&x.abs()) { format!("{x:e}") } else { x.to_string() }
}

/// A name usable as a folder name: letters, digits, '_' and '-', 1 to 100 of them.
pub(crate) fn is_plain_name(s: &str) -> bool {
    !s.is_empty() && s.len() <= 100 && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// At most 80 characters of a value echoed in a message, with "…" when cut.
pub(crate) fn clip(s: &str) -> String {
    const MAX: usize = 80;
    if s.chars().count() <= MAX { s.to_string() } else { format!("{}…", s.chars().take(MAX).collect::<String>()) }
}

/// A message with every `quoted` or "quoted" value, and every unquoted word, longer than 80
/// characters clipped (the last guard against echoing a huge value).
pub(crate) fn clip_quoted(message: &str) -> String {
    let quoted = clip_quotes(message);
    // A clipped quoted value is 80 characters, its quotes and "…".
    let long = |w: &str| w.chars().count() > 90;
    if !quoted.split(' ').any(long) {
        return quoted;
    }
    quoted.split(' ').map(|w| if long(w) { clip(w) } else { w.to_string() }).collect::<Vec<_>>().join(" ")
}

fn clip_quotes(message: &str) -> String {
    let mut out = String::with_capacity(message.len().min(1000));
    let mut rest = message;
    while let Some(open) = rest.find(['`', '"']) {
        let quote = rest[open..].chars().next().unwrap_or('`');
        out.push_str(&rest[..=open]);
        rest = &rest[open + 1..];
        match rest.find(quote) {
            Some(close) => {
                out.push_str(&clip(&rest[..close]));
                out.push(quote);
                rest = &rest[close + 1..];
            }
            None => {
                out.push_str(&clip(rest));
                return out;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The line of `text` holding byte `start`, to show under a message as rustc and cargo do: a
/// gutter with the line number, the line (about 100 characters of it around the column, control
/// characters as '?') and carets under the bytes `start..end`. Starts with a newline; empty
/// for a blank line.
pub(crate) fn snippet(text: &str, start: usize, end: usize) -> String {
    let floor = |mut i: usize| {
        i = i.min(text.len());
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let start = floor(start);
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let line = text[line_start..line_end].trim_end_matches('\r');
    if line.trim().is_empty() {
        return String::new();
    }
    let number = text[..line_start].matches('\n').count() + 1;
    let chars: Vec<char> =
        line.chars().map(|c| if c.is_control() { if c == '\t' { ' ' } else { '?' } } else { c }).collect();
    let column = text[line_start..start].chars().count().min(chars.len());
    let width = text[start..floor(end.max(start)).min(line_end)].chars().count().max(1);
    const WINDOW: usize = 100;
    let from = if chars.len() > WINDOW { column.saturating_sub(40).min(chars.len() - WINDOW) } else { 0 };
    let to = (from + WINDOW).min(chars.len());
    let mut shown: String = chars[from..to].iter().collect();
    let mut caret_at = column - from;
    if from > 0 {
        shown.insert(0, '…');
        caret_at += 1;
    }
    if to < chars.len() {
        shown.push('…');
    }
    let carets = "^".repeat(width.min((to - column).max(1)));
    let gutter = " ".repeat(number.to_string().len());
    format!("\n{gutter} |\n{number} | {shown}\n{gutter} | {}{carets}", " ".repeat(caret_at))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_reject_non_finite_and_out_of_range() {
        assert!(Range::POSITIVE.contains(1e-9));
        assert!(!Range::POSITIVE.contains(0.0));
        assert!(Range::NON_NEGATIVE.contains(0.0));
        assert!(!Range::NON_NEGATIVE.contains(f64::INFINITY));
        assert!(!Range::PROBABILITY.contains(f64::NAN));
        assert!(!Range::PROBABILITY.contains(1.0000001));
        assert_eq!(Range::PROBABILITY.to_string(), "a number from 0 to 1");
        assert_eq!(Range::POSITIVE.to_string(), "a finite number > 0");
    }

    #[test]
    fn quoted_values_are_clipped() {
        let long = "x".repeat(10_000);
        let m = clip_quoted(&format!("unknown node id `{long}` and \"{long}\" and `short`"));
        assert_eq!(m.chars().count(), "unknown node id `` and \"\" and `short`".len() + 2 * 81);
        assert!(m.ends_with("…\" and `short`"), "{m}");
        assert_eq!(clip_quoted(&format!("open `{long}")).chars().count(), 6 + 81);
        let digits = "9".repeat(300);
        assert_eq!(clip_quoted(&format!("found day {digits}")), format!("found day {}…", &digits[..80]));
    }

    #[test]
    fn snippets_point_at_the_span() {
        let text = "a = 1\nconvoys_per_day = \"0.20\"\n";
        let at = text.find('"').unwrap();
        assert_eq!(snippet(text, at, at + 6), "\n  |\n2 | convoys_per_day = \"0.20\"\n  |                   ^^^^^^");
        assert_eq!(snippet("\n\n", 1, 1), "");
        let long = format!("k = \"{}\"", "x".repeat(1000));
        let s = snippet(&long, 4, long.len());
        assert!(s.len() < 400 && s.contains('…'), "{s}");
        let tail = format!("{} = 1", "y".repeat(500));
        let s = snippet(&tail, 503, 504);
        let lines: Vec<&str> = s.lines().collect();
        assert_eq!(lines[2].chars().position(|c| c == '^'), lines[1].chars().position(|c| c == '='));
    }

    #[test]
    fn plain_names() {
        assert!(is_plain_name("bamako_2025-b"));
        for bad in ["", "../x", "a b", "a/b", ".", "é"] {
            assert!(!is_plain_name(bad), "{bad}");
        }
    }
}
