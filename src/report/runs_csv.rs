//! runs.csv: one row per (run, demand node), written as runs finish, in run order.

use super::ReportError;
use crate::scenario::Scenario;
use crate::sim::RunRow;
use crate::stats::thousandths;
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
    /// exact thousandths, the same rounding the summary means are computed from. Digits are
    /// pushed one by one: `write!` (its formatter and padding) was most of the cost of a line.
    pub fn lines(&self, rows: &[RunRow]) -> Vec<u8> {
        let mut out = Vec::with_capacity(rows.len() * 128);
        for row in rows {
            let r = &row.result;
            push_u64(&mut out, row.run);
            out.push(b',');
            out.extend_from_slice(self.nodes[row.demand.index()].as_bytes());
            out.push(b',');
            if let Some(d) = r.first_shortage_day {
                push_u64(&mut out, d.into());
            }
            out.push(b',');
            push_u64(&mut out, r.shortage_days.into());
            out.push(b',');
            for v in [r.unmet_m3, r.delivered_m3, r.lost_m3] {
                push_thousandths(&mut out, v);
                out.push(b',');
            }
            push_u64(&mut out, r.convoys_attacked.into());
            out.push(b',');
            if let Some(d) = r.last_shortage_day {
                push_u64(&mut out, d.into());
            }
            for n in [r.shortage_spells, r.convoys_dispatched, r.convoys_deterred] {
                out.push(b',');
                push_u64(&mut out, n.into());
            }
            for v in [r.dispatched_m3, r.pipeline_m3, r.in_transit_m3] {
                out.push(b',');
                push_thousandths(&mut out, v);
            }
            out.push(b'\n');
        }
        out
    }
}

/// Writes `n` in decimal, as `{}` does.
fn push_u64(out: &mut Vec<u8>, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[at..]);
}

/// Writes `v` rounded to three decimals (half away from zero), like `{:.3}` but through
/// integers.
fn push_thousandths(out: &mut Vec<u8>, v: f64) {
    let m = thousandths(v);
    if m < 0 {
        out.push(b'-');
    }
    let m = m.unsigned_abs();
    push_u64(out, m / 1000);
    let frac = m % 1000;
    let digit = |d: u64| b'0' + d as u8;
    out.extend_from_slice(&[b'.', digit(frac / 100), digit(frac / 10 % 10), digit(frac % 10)]);
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

    /// What `lines` wrote through `write!` before it pushed digits itself.
    fn thousandths_by_write(out: &mut Vec<u8>, v: f64) {
        let m = (v * 1000.0).round() as i64;
        let sign = if m < 0 { "-" } else { "" };
        let m = m.unsigned_abs();
        let _ = write!(out, "{sign}{}.{:03}", m / 1000, m % 1000);
    }

    #[test]
    fn thousandths_round_like_fixed_point() {
        for (v, s) in
            [(0.0, "0.000"), (1.5, "1.500"), (12_345.678_9, "12345.679"), (0.0004, "0.000"), (-2.25, "-2.250")]
        {
            let mut out = Vec::new();
            push_thousandths(&mut out, v);
            assert_eq!(String::from_utf8(out).unwrap(), s);
        }
    }

    #[test]
    fn digits_pushed_by_hand_are_the_formatted_ones() {
        let ints = [0, 1, 9, 10, 99, 100, 101, 999_999, 1_000_000, u64::from(u32::MAX), u64::MAX - 1, u64::MAX];
        for n in ints.into_iter().chain((0..64).map(|k| 1u64 << k)).chain((0..20).map(|k| 10u64.pow(k) - 1)) {
            let mut out = Vec::new();
            push_u64(&mut out, n);
            assert_eq!(String::from_utf8(out).unwrap(), n.to_string());
        }
        let spread = (0..100_000).map(|i| (i as f64 * 0.377_215_664_9).sin() * 10f64.powi(i % 19 - 4));
        let edges = [0.0, -0.0, 0.0005, -0.0005, 0.0015, 2.675, -0.999_5, 9.2e15, -9.2e15, 1e17, f64::NAN];
        for v in edges.into_iter().chain(spread) {
            let (mut by_hand, mut by_write) = (Vec::new(), Vec::new());
            push_thousandths(&mut by_hand, v);
            thousandths_by_write(&mut by_write, v);
            assert_eq!(String::from_utf8(by_hand).unwrap(), String::from_utf8(by_write).unwrap(), "{v}");
        }
    }
}
