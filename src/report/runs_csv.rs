//! runs.csv: one row per (run, demand node), written as runs finish, in run order.

use super::{ReportError, csv_writer, num};
use crate::scenario::Scenario;
use crate::sim::RunRow;
use std::path::{Path, PathBuf};

pub const HEADER: &[&str] = &[
    "run",
    "node",
    "first_shortage_day",
    "shortage_days",
    "unmet_m3",
    "delivered_m3",
    "lost_m3",
    "convoys_attacked",
];

/// A runs.csv being written.
pub struct RunsWriter {
    path: PathBuf,
    writer: csv::Writer<std::fs::File>,
    nodes: Vec<String>,
}

impl RunsWriter {
    pub fn create(scenario: &Scenario, path: &Path) -> Result<RunsWriter, ReportError> {
        let mut writer = csv_writer(path)?;
        writer
            .write_record(HEADER)
            .map_err(|source| ReportError::Csv {
                path: path.to_path_buf(),
                source,
            })?;
        let nodes = scenario
            .demands
            .iter()
            .map(|d| scenario.network.node(d.node).id.clone())
            .collect();
        Ok(RunsWriter {
            path: path.to_path_buf(),
            writer,
            nodes,
        })
    }

    pub fn write(&mut self, rows: &[RunRow]) -> Result<(), ReportError> {
        for row in rows {
            let r = &row.result;
            self.writer
                .write_record([
                    row.run.to_string().as_str(),
                    &self.nodes[row.demand.index()],
                    &r.first_shortage_day
                        .map_or(String::new(), |d| d.to_string()),
                    &r.shortage_days.to_string(),
                    &num(r.unmet_m3, 3),
                    &num(r.delivered_m3, 3),
                    &num(r.lost_m3, 3),
                    &r.convoys_attacked.to_string(),
                ])
                .map_err(|source| ReportError::Csv {
                    path: self.path.clone(),
                    source,
                })?;
        }
        Ok(())
    }

    pub fn finish(mut self) -> Result<(), ReportError> {
        self.writer.flush().map_err(|source| ReportError::Io {
            path: self.path.clone(),
            source,
        })
    }
}
