//! A `corridor sweep` folder read back — sweep.toml and sweep.csv — so that its charts and
//! report are drawn from its files and `corridor plot` redraws them.

use super::OutputError;
use super::data::Csv;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// What made a sweep folder (sweep.toml).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SweepMeta {
    pub scenario: String,
    /// The swept keys, in the order given (the last varies fastest).
    pub keys: Vec<String>,
    pub points: u64,
    pub runs: u64,
    pub seed: u64,
    pub horizon_days: u32,
    pub corridor_version: String,
}

impl SweepMeta {
    pub fn footer(&self) -> String {
        format!(
            "sweep of {} · {} points × {} runs, common random numbers · seed {} · corridor {}",
            self.scenario,
            self.points,
            super::thousands(self.runs),
            self.seed,
            self.corridor_version
        )
    }
}

/// A row of sweep.csv: one point at one demand node.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepRow {
    /// The value of each key, as written.
    pub values: Vec<String>,
    pub node: String,
    pub name: String,
    pub p_shortage: f64,
    pub p_shortage_ci: (f64, f64),
    pub unmet: (f64, f64),
    pub lost: (f64, f64),
    pub diff_unmet: Option<(f64, f64)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SweepData {
    pub meta: SweepMeta,
    pub rows: Vec<SweepRow>,
}

impl SweepData {
    /// The demand nodes, (id, name), in the order of the first point.
    pub fn nodes(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        for r in &self.rows {
            if !out.iter().any(|(id, _)| *id == r.node) {
                out.push((r.node.clone(), r.name.clone()));
            }
        }
        out
    }

    pub fn load(dir: &Path) -> Result<SweepData, OutputError> {
        let meta: SweepMeta = super::data::read_toml(&dir.join("sweep.toml"))?;
        let t = Csv::read(&dir.join("sweep.csv"))?;
        let mut rows = Vec::new();
        for row in &t.rows {
            let pair = |m: &str, h: &str| -> Result<(f64, f64), OutputError> { Ok((t.num(row, m)?, t.num(row, h)?)) };
            let diff = if t.text(row, "diff_unmet_m3")?.is_empty() {
                None
            } else {
                Some(pair("diff_unmet_m3", "diff_unmet_m3_ci95")?)
            };
            rows.push(SweepRow {
                values: meta.keys.iter().map(|k| t.text(row, k).map(str::to_string)).collect::<Result<_, _>>()?,
                node: t.text(row, "node")?.to_string(),
                name: t.text(row, "name")?.to_string(),
                p_shortage: t.num(row, "p_shortage")?,
                p_shortage_ci: pair("p_shortage_ci95_low", "p_shortage_ci95_high")?,
                unmet: pair("unmet_m3_mean", "unmet_m3_ci95")?,
                lost: pair("lost_m3_mean", "lost_m3_ci95")?,
                diff_unmet: diff,
            });
        }
        Ok(SweepData { meta, rows })
    }
}
