//! A hindcast folder's scores read back (hindcast.csv and losses_daily.csv), so that its
//! chart of trucks lost over time against the observed counts is drawn from the files, as
//! `corridor plot` draws every chart. A hindcast folder is a run folder with these two files
//! more; [`super::OutputData`] carries them when they are there.

use super::OutputError;
use super::data::Csv;
use std::collections::HashMap;
use std::path::Path;

/// One scored target, as hindcast.csv gives it; days count from day 0 (dates are turned into
/// days with losses_daily.csv's `day,date` columns).
#[derive(Debug, Clone, PartialEq)]
pub struct ScoredTarget {
    pub name: String,
    pub quantity: String,
    pub node: String,
    pub site: String,
    pub from: Option<u32>,
    pub to: Option<u32>,
    pub model: Option<f64>,
    pub low: f64,
    pub high: f64,
    pub met: bool,
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
            let model = h.text(row, "model")?;
            targets.push(ScoredTarget {
                name: h.text(row, "name")?.to_string(),
                quantity: h.text(row, "quantity")?.to_string(),
                node: h.text(row, "node")?.to_string(),
                site: h.text(row, "site")?.to_string(),
                from: day("from")?,
                to: day("to")?,
                model: if model.is_empty() { None } else { Some(h.num(row, "model")?) },
                low: h.num(row, "low")?,
                high: h.num(row, "high")?,
                met: h.text(row, "met")? == "true",
            });
        }
        Ok(Some(HindcastData { targets, losses }))
    }

    /// The observed counts of trucks lost everywhere since day 0, which the cumulated losses
    /// can be set against.
    pub fn losses_since_day_0(&self) -> impl Iterator<Item = &ScoredTarget> {
        self.targets
            .iter()
            .filter(|t| t.quantity == "trucks_lost" && t.site.is_empty() && t.from.unwrap_or(0) == 0 && t.to.is_some())
    }
}
