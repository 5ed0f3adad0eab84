//! A hindcast folder's scores read back (hindcast.csv and losses_daily.csv), so that its
//! chart of trucks lost over time against the observed counts is drawn from the files, as
//! `corridor plot` draws every chart. A hindcast folder is a run folder with these two files
//! more; [`super::OutputData`] carries them when they are there. A calibration folder's
//! calibrated_hindcast.csv is the same table with a `role` column, read by the same code.

use super::OutputError;
use super::data::Csv;
use crate::calendar::{Calendar, Date};
use crate::observations::{Quantity, Score, Target};
use std::path::Path;

/// One scored target, as hindcast.csv gives it; days count from day 0 (dates are turned into
/// days with the folder's start date).
#[derive(Debug, Clone, PartialEq)]
pub struct ScoredTarget {
    pub name: String,
    pub quantity: Quantity,
    pub node: String,
    pub site: String,
    pub from: Option<u32>,
    pub to: Option<u32>,
    pub model: Option<f64>,
    /// The 5 and 95 % points across runs of the per-run quantity, where hindcast.csv gives them.
    pub p05: Option<f64>,
    pub p95: Option<f64>,
    pub low: f64,
    pub high: f64,
    pub met: bool,
    /// In calibrated_hindcast.csv, whether the target was fitted (true) or predicted (false).
    pub fitted: Option<bool>,
}

impl ScoredTarget {
    /// A target and its score as hindcast.csv writes them.
    pub fn new(t: &Target, s: &Score) -> ScoredTarget {
        ScoredTarget {
            name: t.name.clone(),
            quantity: t.quantity,
            node: t.node.clone(),
            site: t.site_name.clone(),
            from: t.has_from.then_some(t.from),
            to: t.has_to.then_some(t.to),
            model: s.model,
            p05: s.p05,
            p95: s.p95,
            low: t.low,
            high: t.high,
            met: s.met,
            fitted: None,
        }
    }
}

/// Trucks lost everywhere from day 0 to the end of a day, across runs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LossDay {
    pub day: u32,
    pub p05: f64,
    pub p50: f64,
    pub p95: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct HindcastData {
    pub targets: Vec<ScoredTarget>,
    pub losses: Vec<LossDay>,
}

impl HindcastData {
    /// Reads the folder's hindcast files, or `None` when it has none (a plain run); `calendar`
    /// turns dates into days.
    pub fn load(dir: &Path, calendar: Calendar) -> Result<Option<HindcastData>, OutputError> {
        if !dir.join("hindcast.csv").exists() {
            return Ok(None);
        }
        let l = Csv::read(&dir.join("losses_daily.csv"))?;
        let mut losses = Vec::new();
        for row in &l.rows {
            losses.push(LossDay {
                day: l.num(row, "day")? as u32,
                p05: l.num(row, "trucks_lost_cum_p05")?,
                p50: l.num(row, "trucks_lost_cum_p50")?,
                p95: l.num(row, "trucks_lost_cum_p95")?,
            });
        }
        let targets = read_scored(&dir.join("hindcast.csv"), calendar)?;
        Ok(Some(HindcastData { targets, losses }))
    }

    /// The observed counts of trucks lost everywhere since day 0, which the cumulated losses
    /// can be set against.
    pub fn losses_since_day_0(&self) -> impl Iterator<Item = &ScoredTarget> {
        self.targets.iter().filter(|t| {
            t.quantity == Quantity::TrucksLost && t.site.is_empty() && t.from.unwrap_or(0) == 0 && t.to.is_some()
        })
    }
}

/// Reads hindcast.csv, or calibrated_hindcast.csv with its `role` column (`fitted` or
/// `predicted`); a day is a number or, with `calendar`'s start date, a date.
pub(super) fn read_scored(path: &Path, calendar: Calendar) -> Result<Vec<ScoredTarget>, OutputError> {
    let h = Csv::read(path)?;
    let mut targets = Vec::new();
    for row in &h.rows {
        let bad = |message: String| OutputError::Invalid { path: path.to_path_buf(), line: row.0, message };
        let optional = |column: &str| -> Result<Option<f64>, OutputError> {
            if h.text(row, column)?.is_empty() { Ok(None) } else { h.num(row, column).map(Some) }
        };
        let day = |column: &str| -> Result<Option<u32>, OutputError> {
            let text = h.text(row, column)?;
            if text.is_empty() {
                return Ok(None);
            }
            let days = match (Date::parse(text), calendar.start) {
                (Some(date), Some(start)) => date.days_since(start),
                _ => text
                    .parse::<i64>()
                    .map_err(|_| bad(format!("`{column}`: expected a day or a date, found `{text}`")))?,
            };
            u32::try_from(days).map(Some).map_err(|_| bad(format!("`{column}`: `{text}` is before day 0")))
        };
        let quantity = h.text(row, "quantity")?;
        let flag = |column: &str, yes: &str, no: &str| -> Result<bool, OutputError> {
            match h.text(row, column)? {
                t if t == yes => Ok(true),
                t if t == no => Ok(false),
                t => Err(bad(format!("`{column}`: expected {yes} or {no}, found `{t}`"))),
            }
        };
        targets.push(ScoredTarget {
            name: h.text(row, "name")?.to_string(),
            quantity: Quantity::parse(quantity).ok_or_else(|| bad(format!("unknown quantity `{quantity}`")))?,
            node: h.text(row, "node")?.to_string(),
            site: h.text(row, "site")?.to_string(),
            from: day("from")?,
            to: day("to")?,
            model: optional("model")?,
            p05: optional("model_p05")?,
            p95: optional("model_p95")?,
            low: h.num(row, "low")?,
            high: h.num(row, "high")?,
            met: flag("met", "true", "false")?,
            fitted: if h.has("role") { Some(flag("role", "fitted", "predicted")?) } else { None },
        });
    }
    Ok(targets)
}
