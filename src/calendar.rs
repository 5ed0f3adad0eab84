//! Calendar dates. A scenario may pin day 0 to a date (`[simulation] start_date`); from then on
//! every day key also takes a date, and the outputs name days by date as well as by number.
//! This module is the one place that turns dates into day numbers and back: proleptic
//! Gregorian, no time zones (a day is a day), no dependency.

use std::fmt;

const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// A calendar date, held as days since 1970-01-01 (negative before).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(i64);

impl Date {
    /// The date of year `y`, month `m` (1–12), day `d`; `None` when there is no such date or the
    /// year is outside 1–9999.
    pub fn from_ymd(y: i64, m: u32, d: u32) -> Option<Date> {
        if !(1..=9999).contains(&y) || !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
            return None;
        }
        // Howard Hinnant's days_from_civil.
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = i64::from((m + 9) % 12);
        let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Some(Date(era * 146_097 + doe - 719_468))
    }

    /// Parses `YYYY-MM-DD` exactly (as TOML writes a local date).
    pub fn parse(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let digits = |r: std::ops::Range<usize>| -> Option<u32> {
            s.get(r).filter(|t| t.bytes().all(|c| c.is_ascii_digit())).and_then(|t| t.parse().ok())
        };
        Date::from_ymd(i64::from(digits(0..4)?), digits(5..7)?, digits(8..10)?)
    }

    /// (year, month 1–12, day 1–31).
    pub fn ymd(self) -> (i64, u32, u32) {
        // Howard Hinnant's civil_from_days.
        let z = self.0 + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        (yoe + era * 400 + i64::from(m <= 2), m, d)
    }

    /// The date `days` days later (earlier when negative).
    pub fn plus_days(self, days: i64) -> Date {
        Date(self.0 + days)
    }

    /// Days from `earlier` to this date (negative when this one is earlier).
    pub fn days_since(self, earlier: Date) -> i64 {
        self.0 - earlier.0
    }

    /// "Oct 2025".
    pub fn month_label(self) -> String {
        let (y, m, _) = self.ymd();
        format!("{} {y}", MONTHS[m as usize - 1])
    }

    /// "4 Oct 2025".
    pub fn long_label(self) -> String {
        let (y, m, d) = self.ymd();
        format!("{d} {} {y}", MONTHS[m as usize - 1])
    }

    /// The first day of the month after this date's.
    pub fn next_month(self) -> Date {
        let (y, m, _) = self.ymd();
        let (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
        Date::from_ymd(y, m, 1).unwrap_or(self)
    }
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

/// How days are named in outputs: by number only, or also by date from a start date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Calendar {
    pub start: Option<Date>,
}

impl Calendar {
    /// The calendar of an output file's `start_date` (YYYY-MM-DD; none, or one that does not
    /// parse: days by number).
    pub fn from_iso(start_date: Option<&str>) -> Calendar {
        Calendar { start: start_date.and_then(Date::parse) }
    }

    /// The date of day `day` (day 0 is the start date).
    pub fn date(self, day: i64) -> Option<Date> {
        self.start.map(|s| s.plus_days(day))
    }

    /// The ISO date of day `day`, or "" without a start date (the `date` columns).
    pub fn iso(self, day: i64) -> String {
        self.date(day).map_or_else(String::new, |d| d.to_string())
    }

    /// "day 30 (4 Oct 2025)", or "day 30" without a start date.
    pub fn describe(self, day: i64) -> String {
        match self.date(day) {
            Some(d) => format!("day {day} ({})", d.long_label()),
            None => format!("day {day}"),
        }
    }

    /// The days in [from, to) on which a month begins, with their labels ("Oct 2025"): the
    /// ticks of a time axis. Empty without a start date.
    pub fn month_starts(self, from: i64, to: i64) -> Vec<(i64, String)> {
        let Some(start) = self.start else { return Vec::new() };
        let mut out = Vec::new();
        let mut m = start.plus_days(from);
        if m.ymd().2 != 1 {
            m = m.next_month();
        }
        while m.days_since(start) < to {
            out.push((m.days_since(start), m.month_label()));
            m = m.next_month();
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip_and_count_days() {
        let start = Date::parse("2025-09-04").unwrap();
        assert_eq!(start.to_string(), "2025-09-04");
        assert_eq!(Date::parse("1970-01-01").unwrap(), Date(0));
        assert_eq!(Date::parse("2025-10-04").unwrap().days_since(start), 30);
        assert_eq!(Date::parse("2026-02-10").unwrap().days_since(start), 159);
        assert_eq!(Date::parse("2024-03-01").unwrap().days_since(Date::parse("2024-02-28").unwrap()), 2);
        assert_eq!(start.plus_days(-4).to_string(), "2025-08-31");
        for d in -1000..1000 {
            let date = start.plus_days(d * 37);
            assert_eq!(Date::parse(&date.to_string()), Some(date));
        }
    }

    #[test]
    fn bad_dates_are_refused() {
        for bad in ["2025-02-29", "2025-13-01", "2025-00-10", "2025-9-4", "25-09-04", "2025/09/04", "2025-09-04T00"] {
            assert_eq!(Date::parse(bad), None, "{bad}");
        }
        assert!(Date::parse("2024-02-29").is_some());
    }

    #[test]
    fn labels_and_month_ticks() {
        let cal = Calendar { start: Date::parse("2025-09-04") };
        assert_eq!(cal.iso(30), "2025-10-04");
        assert_eq!(cal.describe(30), "day 30 (4 Oct 2025)");
        assert_eq!(Calendar::default().iso(30), "");
        let ticks = cal.month_starts(0, 160);
        let labels: Vec<&str> = ticks.iter().map(|t| t.1.as_str()).collect();
        assert_eq!(labels, ["Oct 2025", "Nov 2025", "Dec 2025", "Jan 2026", "Feb 2026"]);
        assert_eq!(ticks[0].0, 27);
        assert!(Calendar::default().month_starts(0, 100).is_empty());
    }
}
