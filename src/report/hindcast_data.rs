//! A hindcast folder's scores read back (hindcast.csv and losses_daily.csv), so that its
//! chart of trucks lost over time against the observed counts is drawn from the files, as
//! `corridor plot` draws every chart. A hindcast folder is a run folder with these two files
//! more; [`super::OutputData`] carries them when they are there.

use super::OutputError;
use super::data::Csv;
use crate::observations::{Quantity, Score, Target};
use std::collections::HashMap;
use std::path::Path;

/// One scored target, as hindcast.csv gives it; days count from day 0 (dates are turned into
/// days with losses_daily.csv's `day,date` columns).
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
    /// Reads the folder's hindcast files, or `None` when it has none (a plain run).
    pub fn load(dir: &Path) -> Result<Option<HindcastData>, OutputError> {
        if !dir.join("hindcast.csv").exists() {
            return Ok(None);
        }
        let l = Csv::read(&dir.join("losses_daily.csv"))?;
        let mut losses = Vec::new();
        let mut day_of: HashMap<String, u32> = HashMap::new();
        for row in &l.rows {
            let day = l.num(row, "day")? as u32;
            let date = l.text(row, "date")?;
            if !date.is_empty() {
                day_of.insert(date.to_string(), day);
            }
            losses.push(LossDay {
                day,
                p05: l.num(row, "trucks_lost_cum_p05")?,
                p50: l.num(row, "trucks_lost_cum_p50")?,
                p95: l.num(row, "trucks_lost_cum_p95")?,
            });
        }
        let h = Csv::read(&dir.join("hindcast.csv"))?;
        let mut targets = Vec::new();
        for row in &h.rows {
            let day = |column: &str| -> Result<Option<u32>, OutputError> {
                let t = h.text(row, column)?;
                Ok(match day_of.get(t) {
                    _ if t.is_empty() => None,
                    Some(&d) => Some(d),
                    None => Some(h.num(row, column)? as u32),
                })
            };
            let optional = |column: &str| -> Result<Option<f64>, OutputError> {
                if h.text(row, column)?.is_empty() { Ok(None) } else { h.num(row, column).map(Some) }
            };
            let quantity = h.text(row, "quantity")?;
            let met = h.text(row, "met")?;
            let bad = |message: String| OutputError::Invalid { path: dir.join("hindcast.csv"), line: row.0, message };
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
                met: match met {
                    "true" => true,
                    "false" => false,
                    _ => return Err(bad(format!("`met`: expected true or false, found `{met}`"))),
                },
            });
        }
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
