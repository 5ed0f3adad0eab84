//! meta.toml: what made an output folder — scenario, seed, runs, version and the hashes of the
//! scenario file and network — so that charts and reports can be made again from the folder
//! alone, with their provenance. Thread count and date are not in it: results are the same for
//! any thread count and any day.

use super::{ReportError, Results};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::Path;

/// The provenance of an output folder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    pub name: String,
    pub description: String,
    pub corridor_version: String,
    pub seed: u64,
    pub runs: u64,
    pub horizon_days: u32,
    /// The date of day 0 (ISO), when the scenario has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<String>,
    pub routing_policy: String,
    pub scenario_file: String,
    pub scenario_sha256: String,
    pub network: String,
    pub network_sha256: String,
    /// With `--precision`: the targets, whether they were met and the cap on runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub precision: Option<crate::precision::Precision>,
}

/// The SHA-256 (hex) of `parts`, each preceded by its length.
pub fn sha256(parts: &[&[u8]]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update((p.len() as u64).to_le_bytes());
        h.update(p);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

impl Meta {
    pub fn of(r: &Results) -> Result<Meta, ReportError> {
        let s = r.scenario;
        let read = |p: &Path| std::fs::read(p).map_err(|error| ReportError::Read { path: p.to_path_buf(), error });
        let scenario = read(&s.path)?;
        let nodes = read(&s.network_dir.join("nodes.csv"))?;
        let edges = read(&s.network_dir.join("edges.csv"))?;
        Ok(Meta::from_sources(r, &scenario, &nodes, &edges))
    }

    /// As [`Meta::of`], from the bytes of the scenario file and of the network's nodes.csv and
    /// edges.csv read earlier (a merge of shards has them from the partial files).
    pub fn from_sources(r: &Results, scenario: &[u8], nodes: &[u8], edges: &[u8]) -> Meta {
        let s = r.scenario;
        Meta {
            name: s.name.clone(),
            description: s.description.clone(),
            corridor_version: env!("CARGO_PKG_VERSION").to_string(),
            seed: r.seed,
            runs: r.runs(),
            horizon_days: s.simulation.horizon_days,
            start_date: s.simulation.start_date.map(|d| d.to_string()),
            routing_policy: format!("{:?}", s.routing.policy).to_lowercase(),
            scenario_file: s.path.display().to_string(),
            scenario_sha256: sha256(&[scenario]),
            network: s.network_dir.display().to_string(),
            network_sha256: sha256(&[nodes, edges]),
            precision: None,
        }
    }

    /// How days are named: by date from `start_date`, or by number.
    pub fn calendar(&self) -> crate::calendar::Calendar {
        crate::calendar::Calendar::from_iso(self.start_date.as_deref())
    }

    /// The provenance line printed under every chart.
    pub fn footer(&self) -> String {
        format!(
            "scenario {} · {} runs · seed {} · corridor {}",
            self.name,
            super::thousands(self.runs),
            self.seed,
            self.corridor_version
        )
    }
}

pub fn write_meta(meta: &Meta, path: &Path) -> Result<(), ReportError> {
    super::write_toml(meta, path)
}
