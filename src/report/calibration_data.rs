//! A `corridor calibrate` folder read back — calibrate.toml, posterior.csv and the accepted
//! sets of calibration.csv — so that its charts (the posterior of each parameter over its
//! prior range, the accepted sets pair by pair) are drawn from its files and `corridor plot`
//! redraws them.

use super::data::{Csv, read_toml};
use super::hindcast_data::read_scored;
use super::{OutputError, ReportError, ScoredTarget};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// What made a calibration folder (calibrate.toml).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalibrationMeta {
    pub scenario: String,
    /// The fitted keys, in the order of `--fit`.
    pub keys: Vec<String>,
    pub sets: u64,
    pub accepted: u64,
    /// Runs per set (common random numbers across sets) and their seed.
    pub runs: u64,
    pub seed: u64,
    pub corridor_version: String,
    /// Runs of the calibrated scenario scored in calibrated_hindcast.csv.
    #[serde(default)]
    pub check_runs: u64,
    /// The last day of the targets fitted (`--train-until`); the later ones were predicted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub train_until: Option<u32>,
    /// The scenario's start date (YYYY-MM-DD), which names the days of calibrated_hindcast.csv.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<String>,
}

impl CalibrationMeta {
    /// How days are named: by date from `start_date`, else by number.
    pub fn calendar(&self) -> crate::calendar::Calendar {
        crate::calendar::Calendar::from_iso(self.start_date.as_deref())
    }

    pub fn footer(&self) -> String {
        format!(
            "calibration of {} · {} of {} sets accepted, {} runs each · seed {} · corridor {}",
            self.scenario,
            super::thousands(self.accepted),
            super::thousands(self.sets),
            super::thousands(self.runs),
            self.seed,
            self.corridor_version
        )
    }
}

/// posterior.csv's row of one parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct PosteriorRow {
    pub key: String,
    pub prior: (f64, f64),
    pub median: f64,
    pub p05: f64,
    pub p95: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CalibrationData {
    pub meta: CalibrationMeta,
    pub posterior: Vec<PosteriorRow>,
    /// The accepted sets: one value per key, in the order of `meta.keys`.
    pub accepted: Vec<Vec<f64>>,
    /// calibrated_hindcast.csv: the calibrated scenario against every target, fitted or predicted.
    pub targets: Vec<ScoredTarget>,
}

impl CalibrationData {
    pub fn load(dir: &Path) -> Result<CalibrationData, OutputError> {
        let meta: CalibrationMeta = read_toml(&dir.join("calibrate.toml"))?;
        let p = Csv::read(&dir.join("posterior.csv"))?;
        let mut posterior = Vec::new();
        for row in &p.rows {
            posterior.push(PosteriorRow {
                key: p.text(row, "parameter")?.to_string(),
                prior: (p.num(row, "prior_low")?, p.num(row, "prior_high")?),
                median: p.num(row, "median")?,
                p05: p.num(row, "p05")?,
                p95: p.num(row, "p95")?,
            });
        }
        let c = Csv::read(&dir.join("calibration.csv"))?;
        let mut accepted = Vec::new();
        for row in &c.rows {
            if c.text(row, "accepted")? == "true" {
                accepted.push(meta.keys.iter().map(|k| c.num(row, k)).collect::<Result<Vec<f64>, _>>()?);
            }
        }
        let targets = read_scored(&dir.join("calibrated_hindcast.csv"), meta.calendar())?;
        Ok(CalibrationData { meta, posterior, accepted, targets })
    }

    /// The file-name form of a key (`deterrence.per_attack` → `deterrence_per_attack`).
    pub fn stem_of(key: &str) -> String {
        key.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect()
    }
}

/// calibrate.toml, beside calibration.csv and posterior.csv.
pub fn write_calibration_meta(c: &super::Calibration, path: &Path) -> Result<(), ReportError> {
    let meta = CalibrationMeta {
        scenario: c.scenario.name.clone(),
        keys: c.parameters.iter().map(|p| p.key.clone()).collect(),
        sets: c.design.len() as u64,
        accepted: c.accepted.iter().filter(|&&a| a).count() as u64,
        runs: c.runs,
        seed: c.seed,
        corridor_version: env!("CARGO_PKG_VERSION").to_string(),
        check_runs: c.check_runs,
        train_until: c.train_until,
        start_date: c.scenario.simulation.calendar().start.map(|d| d.to_string()),
    };
    super::write_toml(&meta, path)
}
