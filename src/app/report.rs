//! `corridor report` (and `corridor run --report`): report.html and report.md from an output
//! folder of any kind (run or hindcast, compare, sweep, critical, calibrate), with the content that fits it.

use super::output::{Staged, require_folder};
use super::{UsageError, print};
use crate::report::{self, Document, Folder, read_provenance};
use anyhow::{Context, Result};
use std::path::Path;

/// The report of the folder `dir`, read back as `folder`.
fn document(dir: &Path, folder: &Folder, stems: &[String]) -> Result<Document> {
    Ok(match folder {
        Folder::Run(data) => {
            let scenario_path = dir.join("scenario.toml");
            let text = std::fs::read_to_string(&scenario_path)
                .with_context(|| format!("cannot read {}", scenario_path.display()))?;
            let scenario: toml::Table =
                toml::from_str(&text).with_context(|| format!("cannot parse {}", scenario_path.display()))?;
            report::run_document(data, &scenario, stems, read_provenance(dir).as_ref())
        }
        Folder::Compare(c) => report::compare_document(c, stems),
        Folder::Sweep(s) => report::sweep_document(s, stems),
        Folder::Critical(c) => report::critical_document(c, stems),
        Folder::Calibration(c) => report::calibration_document(c, stems),
    })
}

/// Writes report.html and report.md for the output folder `dir` into `into` (which may be a
/// staging folder holding the same files).
pub fn write_report(dir: &Path, into: &Path) -> Result<()> {
    let folder = Folder::load(dir)?;
    let stems = folder.chart_stems();
    for stem in &stems {
        if !dir.join(format!("{stem}.svg")).exists() {
            return Err(UsageError(format!(
                "{}: {stem}.svg is missing (run `corridor plot {}` first)",
                dir.display(),
                dir.display()
            ))
            .into());
        }
    }
    let doc = document(dir, &folder, &stems)?;
    report::write_html(&doc, dir, &into.join("report.html"))?;
    report::write_markdown(&doc, &into.join("report.md"))?;
    Ok(())
}

/// `corridor report DIR`.
pub fn report(dir: &Path, quiet: bool) -> Result<()> {
    require_folder(dir)?;
    let staged = Staged::update(dir)?;
    write_report(dir, staged.dir())?;
    staged.publish()?;
    if !quiet {
        print(&format!("wrote {0}/report.html and {0}/report.md\n", dir.display()));
    }
    Ok(())
}
