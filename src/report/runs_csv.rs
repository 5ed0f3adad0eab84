//! runs.csv: one row per (run, demand node), written as runs finish, in run order.

use super::ReportError;
use crate::scenario::Scenario;
use crate::sim::RunRow;
use std::fs::File;
use std::io::{BufWriter, Write};
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
    "last_shortage_day",
    "shortage_spells",
    "convoys_dispatched",
    "convoys_deterred",
    "dispatched_m3",
    "pipeline_m3",
    "in_transit_m3",
];

/// Formats rows of runs.csv; shared by the worker threads.
pub struct RunsFormat {
    nodes: Vec<String>,
}

impl RunsFormat {
    pub fn new(scenario: &Scenario) -> RunsFormat {
        RunsFormat { nodes: scenario.demands.iter().map(|d| scenario.network.node(d.node).id.clone()).collect() }
    }

    /// The CSV lines of `rows`. Node ids need no quoting (they are [a-z0-9_]); m³ are written as
    /// exact thousandths, the same rounding the summary means are computed from.
    pub fn lines(&self, rows: &[RunRow]) -> Vec<u8> {
        let mut out = Vec::with_capacity(rows.len() * 64);
        for row in rows {
            let r = &row.result;
            let _ = write!(out, "{},{},", row.run, self.nodes[row.demand.index()]);
            if let Some(d) = r.first_shortage_day {
                let _ = write!(out, "{d}");
            }
            let _ = write!(out, ",{},", r.shortage_days);
            for v in [r.unmet_m3, r.delivered_m3, r.lost_m3] {
                thousandths(&mut out, v);
                out.push(b',');
            }
            let _ = write!(out, "{},", r.convoys_attacked);
            if let Some(d) = r.last_shortage_day {
                let _ = write!(out, "{d}");
            }
            let _ = write!(out, ",{},{},{}", r.shortage_spells, r.convoys_dispatched, r.convoys_deterred);
            for v in [r.dispatched_m3, r.pipeline_m3, r.in_transit_m3] {
                out.push(b',');
                thousandths(&mut out, v);
            }
            out.push(b'\n');
        }
        out
    }
}

/// Writes `v` rounded to three decimals, like `{:.3}` but through integers.
fn thousandths(out: &mut Vec<u8>, v: f64) {
    let m = (v * 1000.0).round() as i64;
    let sign = if m < 0 { "-" } else { "" };
    let m = m.unsigned_abs();
    let _ = write!(out, "{sign}{}.{:03}", m / 1000, m % 1000);
}

/// A runs.csv being written.
pub struct RunsWriter {
    path: PathBuf,
    file: BufWriter<File>,
}

impl RunsWriter {
    pub fn create(path: &Path) -> Result<RunsWriter, ReportError> {
        let io = |error| ReportError::Io { path: path.to_path_buf(), error };
        let mut file = BufWriter::new(File::create(path).map_err(io)?);
        writeln!(file, "{}", HEADER.join(",")).map_err(io)?;
        Ok(RunsWriter { path: path.to_path_buf(), file })
    }

    /// Appends lines made by [`RunsFormat::lines`].
    pub fn write(&mut self, lines: &[u8]) -> Result<(), ReportError> {
        self.file.write_all(lines).map_err(|error| ReportError::Io { path: self.path.clone(), error })
    }

    pub fn finish(mut self) -> Result<(), ReportError> {
        self.file.flush().map_err(|error| ReportError::Io { path: self.path.clone(), error })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousandths_round_like_fixed_point() {
        for (v, s) in
            [(0.0, "0.000"), (1.5, "1.500"), (12_345.678_9, "12345.679"), (0.0004, "0.000"), (-2.25, "-2.250")]
        {
            let mut out = Vec::new();
            thousandths(&mut out, v);
            assert_eq!(String::from_utf8(out).unwrap(), s);
        }
    }
}
