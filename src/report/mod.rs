//! Everything written for users: the CSV tables, the charts and the table on stdout. Each
//! exporter is a function of (results, path) returning a `Result`; none of them simulates.

mod calibration;
mod calibration_data;
pub mod charts;
mod compare_data;
mod comparison;
mod critical;
mod critical_data;
mod daily_csv;
mod data;
mod document;
mod folder;
mod folder_documents;
mod geojson;
mod hindcast;
mod hindcast_data;
mod hindcast_document;
mod html;
mod markdown;
mod meta;
mod provenance;
mod reach;
mod runs_csv;
mod sites_csv;
mod summary_csv;
mod sweep;
mod sweep_data;
mod table;

pub use calibration::{Calibration, calibration_table, write_calibrated_hindcast, write_calibration, write_posterior};
pub use calibration_data::{CalibrationData, CalibrationMeta, PosteriorRow, write_calibration_meta};
pub use compare_data::{CompareData, CompareMeta, CompareRow, write_compare_meta, write_comparison_daily};
pub use comparison::{Comparison, comparison_table, write_comparison};
pub use critical::{
    Critical, critical_table, groups as critical_groups, site_names, write_critical, write_critical_meta,
};
pub use critical_data::{CriticalData, CriticalMeta, CriticalRow, Group};
pub use daily_csv::write_daily;
pub use data::{AttackerRow, BlockadeData, Day, DemandData, NodeData, OutputData, OutputError, RoadData};
pub use document::{Block, Document, run_document};
pub use folder::Folder;
pub use folder_documents::{calibration_document, compare_document, critical_document, sweep_document};
pub use geojson::write_geojson;
pub use hindcast::{hindcast_table, write_hindcast, write_losses_daily};
pub use hindcast_data::{HindcastData, LossDay, ScoredTarget};
pub use html::write_html;
pub use markdown::write_markdown;
pub use meta::{Meta, sha256, write_meta};
pub use provenance::{Provenance, ShardProvenance, now, read_provenance, write_provenance};
pub use reach::Reach;
pub use runs_csv::{RunsFormat, RunsWriter};
pub use sites_csv::{write_attackers, write_blockades, write_edges};
pub use summary_csv::write_summary;
pub use sweep::{Sweep, sweep_table, write_sweep, write_sweep_meta};
pub use sweep_data::{SweepData, SweepMeta, SweepRow};
pub use table::summary_table;

use crate::scenario::Scenario;
use crate::stats::Accumulator;
use std::path::{Path, PathBuf};

/// A finished simulation, as the exporters see it.
pub struct Results<'a> {
    pub scenario: &'a Scenario,
    pub acc: &'a Accumulator,
    pub seed: u64,
}

impl Results<'_> {
    pub fn runs(&self) -> u64 {
        self.acc.runs()
    }
}

/// A failure to write an output file.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("{}: cannot write: {error}", path.display())]
    Io { path: PathBuf, error: std::io::Error },
    #[error("{}: cannot read: {error}", path.display())]
    Read { path: PathBuf, error: std::io::Error },
    #[error("{}: cannot write: {message}", path.display())]
    Encode { path: PathBuf, message: String },
    #[error("{}: cannot write: {error}", path.display())]
    Csv { path: PathBuf, error: csv::Error },
    #[error("{}: cannot draw chart: {message}", path.display())]
    Chart { path: PathBuf, message: String },
}

/// Writes the tables of a run into `dir` (all but runs.csv, written as the runs go, and the
/// charts, drawn from these): summary.csv, daily.csv, edges.csv, blockades.csv, meta.toml,
/// network.geojson and, with attackers, attackers.csv.
pub fn write_tables(r: &Results, meta: &Meta, dir: &Path) -> Result<(), ReportError> {
    // daily.csv (its quantiles) takes longest: the other files are written beside it, on the
    // current rayon pool. Its error, if any, is returned first.
    let (daily, others) = rayon::join(
        || write_daily(r, &dir.join("daily.csv")),
        || {
            write_summary(r, &dir.join("summary.csv"))?;
            write_edges(r, &dir.join("edges.csv"))?;
            write_blockades(r, &dir.join("blockades.csv"))?;
            write_meta(meta, &dir.join("meta.toml"))?;
            write_geojson(r, &dir.join("network.geojson"))?;
            if !r.scenario.attackers.is_empty() {
                write_attackers(r, &dir.join("attackers.csv"))?;
            }
            Ok(())
        },
    );
    daily.and(others)
}

/// A CSV writer on a new file at `path`.
fn csv_writer(path: &Path) -> Result<csv::Writer<std::fs::File>, ReportError> {
    csv::Writer::from_path(path).map_err(|error| ReportError::Csv { path: path.to_path_buf(), error })
}

/// Writes rows to `path` after `header`, then flushes.
fn write_csv<I, R>(path: &Path, header: &[&str], rows: I) -> Result<(), ReportError>
where
    I: IntoIterator<Item = R>,
    R: IntoIterator<Item = String>,
{
    let err = |error| ReportError::Csv { path: path.to_path_buf(), error };
    let mut w = csv_writer(path)?;
    w.write_record(header).map_err(err)?;
    for row in rows {
        w.write_record(row.into_iter().collect::<Vec<_>>()).map_err(err)?;
    }
    w.flush().map_err(|error| ReportError::Io { path: path.to_path_buf(), error })
}

/// Writes `value` as TOML to `path`.
fn write_toml(value: &impl serde::Serialize, path: &Path) -> Result<(), ReportError> {
    let text =
        toml::to_string(value).map_err(|e| ReportError::Encode { path: path.to_path_buf(), message: e.to_string() })?;
    std::fs::write(path, text).map_err(|error| ReportError::Io { path: path.to_path_buf(), error })
}

/// A number with `decimals` decimals; "-0.000" is written as "0.000".
fn num(v: f64, decimals: usize) -> String {
    let s = format!("{v:.decimals$}");
    if s.starts_with('-') && s[1..].bytes().all(|b| b == b'0' || b == b'.') { s[1..].to_string() } else { s }
}

/// An integer with thin thousands separators: 10000 -> "10,000".
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_formats() {
        assert_eq!(num(-0.0001, 3), "0.000");
        assert_eq!(num(-1.5, 1), "-1.5");
        assert_eq!(num(2.0 / 3.0, 4), "0.6667");
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(thousands(100), "100");
    }
}
