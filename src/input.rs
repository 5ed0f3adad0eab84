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
            (true, false) => write!(f, "a finite number > {}", self.min),
            (false, false) => write!(f, "a finite number >= {}", self.min),
            (_, true) => write!(f, "a number from {} to {}", self.min, self.max),
        }
    }
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
    fn plain_names() {
        assert!(is_plain_name("bamako_2025-b"));
        for bad in ["", "../x", "a b", "a/b", ".", "é"] {
            assert!(!is_plain_name(bad), "{bad}");
        }
    }
}
