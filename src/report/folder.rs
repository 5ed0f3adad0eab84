//! An output folder of any kind, read back from its files: a run (or a hindcast), a comparison, a
//! sweep, a critical-sites search or a calibration. `corridor plot` and `corridor report` work on this, so every kind is
//! drawn and reported the same way; a new kind of folder is one more variant here.

use super::charts::{self, Drawn, Style};
use super::{CalibrationData, CompareData, CriticalData, OutputData, OutputError, ReportError, SweepData};
use std::path::Path;

/// An output folder, read back.
#[derive(Debug, Clone, PartialEq)]
pub enum Folder {
    Run(Box<OutputData>),
    Compare(CompareData),
    Sweep(SweepData),
    Critical(CriticalData),
    Calibration(CalibrationData),
}

impl Folder {
    /// Reads the folder; its kind is told by the file that made it: compare.toml, sweep.toml,
    /// critical.toml, else meta.toml (a run).
    pub fn load(dir: &Path) -> Result<Folder, OutputError> {
        Ok(if dir.join("compare.toml").exists() {
            Folder::Compare(CompareData::load(dir)?)
        } else if dir.join("sweep.toml").exists() {
            Folder::Sweep(SweepData::load(dir)?)
        } else if dir.join("critical.toml").exists() {
            Folder::Critical(CriticalData::load(dir)?)
        } else if dir.join("calibrate.toml").exists() {
            Folder::Calibration(CalibrationData::load(dir)?)
        } else {
            Folder::Run(Box::new(OutputData::load(dir)?))
        })
    }

    /// The verb that wrote the folder.
    pub fn kind(&self) -> &'static str {
        match self {
            Folder::Run(_) => "run",
            Folder::Compare(_) => "compare",
            Folder::Sweep(_) => "sweep",
            Folder::Critical(_) => "critical",
            Folder::Calibration(_) => "calibrate",
        }
    }

    /// The stems of every chart of the folder, in order.
    pub fn chart_stems(&self) -> Vec<String> {
        match self {
            Folder::Run(d) => charts::run_chart_stems(d),
            Folder::Compare(d) => charts::compare_chart_stems(d),
            Folder::Sweep(d) => charts::sweep_chart_stems(d),
            Folder::Critical(d) => charts::critical_chart_stems(d),
            Folder::Calibration(d) => charts::calibration_chart_stems(d),
        }
    }

    /// Draws the charts (all, or those in `only`) into `dir`.
    pub fn draw_charts(&self, style: &Style, dir: &Path, only: Option<&[String]>) -> Result<Vec<Drawn>, ReportError> {
        match self {
            Folder::Run(d) => charts::draw_run_charts(d, style, dir, only),
            Folder::Compare(d) => charts::draw_compare_charts(d, style, dir, only),
            Folder::Sweep(d) => charts::draw_sweep_charts(d, style, dir, only),
            Folder::Critical(d) => charts::draw_critical_charts(d, style, dir, only),
            Folder::Calibration(d) => charts::draw_calibration_charts(d, style, dir, only),
        }
    }
}
