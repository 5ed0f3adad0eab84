//! `corridor report` (and `corridor run --report`): report.html and report.md from an output
//! folder.

use super::output::{Staged, require_folder};
use super::{UsageError, print};
use crate::report::{self, OutputData, charts, document, read_provenance};
use anyhow::{Context, Result};
use std::path::Path;

/// Writes report.html and report.md for the output folder `dir` into `into` (which may be a
/// staging folder holding the same files).
pub fn write_report(dir: &Path, into: &Path) -> Result<()> {
    let data = OutputData::load(dir)?;
    let scenario_path = dir.join("scenario.toml");
    let text =
        std::fs::read_to_string(&scenario_path).with_context(|| format!("cannot read {}", scenario_path.display()))?;
    let scenario: toml::Table =
        toml::from_str(&text).with_context(|| format!("cannot parse {}", scenario_path.display()))?;
    let stems = charts::run_chart_stems(&data);
    for stem in &stems {
        if !dir.join(format!("{stem}.svg")).exists() {
            return Err(UsageError(format!(
                "{}: {stem}.svg is missing (run `corridor plot` on the folder first)",
                dir.display()
            ))
            .into());
        }
    }
    let provenance = read_provenance(dir);
    let doc = document(&data, &scenario, &stems, provenance.as_ref());
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
