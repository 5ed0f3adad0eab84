//! hindcast.csv (each observation against the model), losses_daily.csv (trucks lost by each
//! day, across runs) and the hindcast table printed on stdout.

use super::table::align;
use super::{ReportError, ScoredTarget, num, write_csv};
use crate::calendar::Calendar;
use crate::observations::{Quantity, Score, Target};
use std::path::Path;

pub const HEADER: &[&str] =
    &["name", "quantity", "node", "site", "from", "to", "model", "model_p05", "model_p95", "low", "high", "met"];

/// A day as written in hindcast.csv: its ISO date when the scenario has a start date, else its
/// number.
fn day(calendar: Calendar, d: u32) -> String {
    match calendar.date(i64::from(d)) {
        Some(date) => date.to_string(),
        None => d.to_string(),
    }
}

/// Decimals for a quantity's values.
pub(super) fn decimals(q: Quantity) -> usize {
    match q {
        Quantity::PShortageBy | Quantity::ShareShortDays => 4,
        Quantity::DeliveredM3 | Quantity::StockM3 => 1,
        Quantity::FirstShortageDay | Quantity::TrucksLost => 0,
    }
}

/// A row of hindcast.csv.
pub(super) fn hindcast_row(t: &Target, s: &Score, calendar: Calendar) -> Vec<String> {
    let dp = decimals(t.quantity);
    let opt = |v: Option<f64>| v.map_or(String::new(), |v| num(v, dp));
    vec![
        t.name.clone(),
        t.quantity.name().to_string(),
        t.node.clone(),
        t.site_name.clone(),
        if t.has_from { day(calendar, t.from) } else { String::new() },
        if t.has_to { day(calendar, t.to) } else { String::new() },
        opt(s.model),
        opt(s.p05),
        opt(s.p95),
        num(t.low, dp.max(1)),
        num(t.high, dp.max(1)),
        s.met.to_string(),
    ]
}

pub fn write_hindcast(
    targets: &[Target],
    scores: &[Score],
    calendar: Calendar,
    path: &Path,
) -> Result<(), ReportError> {
    write_csv(path, HEADER, targets.iter().zip(scores).map(|(t, s)| hindcast_row(t, s, calendar)))
}

/// losses_daily.csv: the 5, 50 and 95 % points across runs of the trucks lost from day 0 to the
/// end of each day; `scores[d]` is that of day d.
pub fn write_losses_daily(scores: &[Score], calendar: Calendar, runs: u64, path: &Path) -> Result<(), ReportError> {
    let header = ["day", "date", "trucks_lost_cum_p05", "trucks_lost_cum_p50", "trucks_lost_cum_p95", "runs"];
    let rows = scores.iter().enumerate().map(|(d, s)| {
        let v = |x: Option<f64>| num(x.unwrap_or(0.0), 0);
        vec![d.to_string(), calendar.iso(d as i64), v(s.p05), v(s.model), v(s.p95), runs.to_string()]
    });
    write_csv(path, &header, rows)
}

/// The observations against the model: a header, then one row each (the stdout table and the
/// report's).
pub(super) fn target_rows(targets: &[ScoredTarget], calendar: Calendar) -> Vec<Vec<String>> {
    let header = ["target", "quantity", "at", "window", "model", "5–95 %", "band", "met"];
    let mut rows = vec![header.map(String::from).to_vec()];
    for t in targets {
        let dp = decimals(t.quantity);
        let show = |v: f64| {
            if t.quantity == Quantity::FirstShortageDay {
                calendar.date(v.round() as i64).map_or_else(|| num(v, 0), |d| d.long_label())
            } else {
                super::table::thousands_f(v, dp)
            }
        };
        let window = match (t.from, t.to) {
            (Some(from), Some(to)) => format!("{} – {}", short(calendar, from), short(calendar, to)),
            (None, Some(to)) => format!("by {}", short(calendar, to)),
            _ => "-".to_string(),
        };
        let at = if t.quantity == Quantity::TrucksLost {
            if t.site.is_empty() { "everywhere".to_string() } else { t.site.clone() }
        } else {
            t.node.clone()
        };
        rows.push(vec![
            t.name.clone(),
            t.quantity.name().to_string(),
            at,
            window,
            t.model.map_or("none short".to_string(), show),
            match (t.p05, t.p95) {
                (Some(a), Some(b)) => format!("{}–{}", show(a), show(b)),
                _ => "-".to_string(),
            },
            format!("{}–{}", show(t.low), show(t.high)),
            if t.met { "yes" } else { "no" }.to_string(),
        ]);
    }
    rows
}

/// "6 of 10 targets met".
pub(super) fn met_count(targets: &[ScoredTarget]) -> String {
    format!("{} of {} targets met", targets.iter().filter(|t| t.met).count(), targets.len())
}

/// The observations against the model, one line each, and how many are met.
pub fn hindcast_table(title: &str, targets: &[ScoredTarget], calendar: Calendar) -> String {
    format!("{title}\n{}{}\n", align(&target_rows(targets, calendar)), met_count(targets))
}

/// A day for the table: "4 Oct 2025" or "day 30".
fn short(calendar: Calendar, d: u32) -> String {
    calendar.date(i64::from(d)).map_or_else(|| format!("day {d}"), |date| date.long_label())
}
