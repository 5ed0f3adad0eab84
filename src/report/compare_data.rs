//! A `corridor compare` folder read back — compare.toml, comparison.csv and
//! comparison_daily.csv — so that its charts are drawn from its files and `corridor plot`
//! redraws them.

use super::{OutputError, ReportError, num, thousands, write_csv};
use crate::report::Comparison;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// What made a comparison folder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompareMeta {
    pub scenarios: Vec<String>,
    pub runs: u64,
    pub seed: u64,
    pub corridor_version: String,
    /// With `--precision`: the targets, whether they were met and the cap on runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub precision: Option<crate::precision::Precision>,
    /// The first scenario's start date (ISO), when it has one: time axes show dates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<String>,
}

impl CompareMeta {
    /// How days are named: by date from `start_date`, else by number.
    pub fn calendar(&self) -> crate::calendar::Calendar {
        crate::calendar::Calendar::from_iso(self.start_date.as_deref())
    }

    pub fn footer(&self) -> String {
        let mut names: Vec<&str> = self.scenarios.iter().take(4).map(String::as_str).collect();
        let more = format!("+{} more", self.scenarios.len().saturating_sub(4));
        if self.scenarios.len() > 4 {
            names.push(&more);
        }
        format!(
            "compare {} · {} runs each, common random numbers · seed {} · corridor {}",
            names.join(", "),
            thousands(self.runs),
            self.seed,
            self.corridor_version
        )
    }
}

/// One scenario at one demand node.
#[derive(Debug, Clone, PartialEq)]
pub struct CompareRow {
    pub scenario: String,
    pub node: String,
    pub name: String,
    pub p_shortage: f64,
    pub p_shortage_ci: (f64, f64),
    /// Paired differences to the first scenario (mean, 95 % half-width); `None` for the first.
    pub diff_shortage: Option<(f64, f64)>,
    pub diff_unmet: Option<(f64, f64)>,
    pub diff_lost: Option<(f64, f64)>,
    /// Mean unmet demand and fuel lost on the way, m³.
    pub unmet: f64,
    pub lost: f64,
    /// P(first shortage ≤ day), by day.
    pub by_day: Vec<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CompareData {
    pub meta: CompareMeta,
    pub rows: Vec<CompareRow>,
}

impl CompareData {
    /// The demand nodes of the first scenario: (id, name).
    pub fn base_nodes(&self) -> Vec<(String, String)> {
        let first = self.meta.scenarios.first().cloned().unwrap_or_default();
        self.rows.iter().filter(|r| r.scenario == first).map(|r| (r.node.clone(), r.name.clone())).collect()
    }

    pub fn row(&self, scenario: &str, node: &str) -> Option<&CompareRow> {
        self.rows.iter().find(|r| r.scenario == scenario && r.node == node)
    }

    pub fn load(dir: &Path) -> Result<CompareData, OutputError> {
        let meta: CompareMeta = super::data::read_toml(&dir.join("compare.toml"))?;
        let table = super::data::Csv::read(&dir.join("comparison.csv"))?;
        let pair = |row, col: &str| -> Result<Option<(f64, f64)>, OutputError> {
            if table.text(row, &format!("diff_{col}"))?.is_empty() {
                return Ok(None);
            }
            Ok(Some((table.num(row, &format!("diff_{col}"))?, table.num(row, &format!("diff_{col}_ci95"))?)))
        };
        let mut rows = Vec::new();
        for row in &table.rows {
            rows.push(CompareRow {
                scenario: table.text(row, "scenario")?.to_string(),
                node: table.text(row, "node")?.to_string(),
                name: table.text(row, "name")?.to_string(),
                p_shortage: table.num(row, "p_shortage")?,
                p_shortage_ci: (table.num(row, "p_shortage_ci95_low")?, table.num(row, "p_shortage_ci95_high")?),
                diff_shortage: pair(row, "p_shortage")?,
                diff_unmet: pair(row, "unmet_m3")?,
                diff_lost: pair(row, "lost_m3")?,
                unmet: table.num(row, "unmet_m3_mean")?,
                lost: table.num(row, "lost_m3_mean")?,
                by_day: Vec::new(),
            });
        }
        let daily = super::data::Csv::read(&dir.join("comparison_daily.csv"))?;
        for row in &daily.rows {
            let (scenario, node) = (daily.text(row, "scenario")?, daily.text(row, "node")?);
            let p = daily.num(row, "p_shortage_by_day")?;
            let target = rows.iter_mut().find(|r| r.scenario == scenario && r.node == node).ok_or_else(|| {
                OutputError::Invalid {
                    path: dir.join("comparison_daily.csv"),
                    line: row.0,
                    message: format!("{scenario}/{node} is not in comparison.csv"),
                }
            })?;
            target.by_day.push(p);
        }
        Ok(CompareData { meta, rows })
    }
}

/// compare.toml.
pub fn write_compare_meta(c: &Comparison, path: &Path) -> Result<(), ReportError> {
    let meta = CompareMeta {
        scenarios: c.scenarios.iter().map(|s| s.name.clone()).collect(),
        runs: c.runs(),
        seed: c.seed,
        corridor_version: env!("CARGO_PKG_VERSION").to_string(),
        precision: c.precision.cloned(),
        start_date: c.scenarios.first().and_then(|s| s.simulation.start_date).map(|d| d.to_string()),
    };
    super::write_toml(&meta, path)
}

/// comparison_daily.csv: P(first shortage ≤ day) of each scenario at each of its demand nodes.
pub fn write_comparison_daily(c: &Comparison, path: &Path) -> Result<(), ReportError> {
    let mut rows = Vec::new();
    for (m, s) in c.scenarios.iter().enumerate() {
        for (d, demand) in s.demands.iter().enumerate() {
            let node = &s.network.node(demand.node).id;
            for day in 0..s.simulation.horizon_days as usize {
                let p = c.batch.accs[m].daily(d, day).p_shortage_by_day;
                rows.push(vec![s.name.clone(), node.clone(), day.to_string(), num(p, 6)]);
            }
        }
    }
    write_csv(path, &["scenario", "node", "day", "p_shortage_by_day"], rows)
}
