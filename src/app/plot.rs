//! `corridor plot`: redraws every chart of a `run` or `compare` output folder from its files,
//! without simulating again, in the style asked for.

use super::output::{Staged, require_folder};
use super::print;
use crate::report::charts::{self, Style};
use crate::report::{CompareData, OutputData};
use anyhow::Result;
use std::path::Path;

pub fn plot(dir: &Path, style: &Style, quiet: bool) -> Result<()> {
    require_folder(dir)?;
    let staged = Staged::update(dir)?;
    let stems = if dir.join("compare.toml").exists() {
        charts::draw_compare_charts(&CompareData::load(dir)?, style, staged.dir())?
    } else {
        charts::draw_run_charts(&OutputData::load(dir)?, style, staged.dir())?
    };
    staged.publish()?;
    if !quiet {
        let formats: Vec<String> = style.formats.iter().map(|f| format!("{f:?}").to_lowercase()).collect();
        print(&format!(
            "redrew {} charts ({}, {}×{} px{}) in {}\n",
            stems.len(),
            formats.join(", "),
            style.width,
            style.height,
            if style.palette == charts::Palette::Greyscale { ", greyscale" } else { "" },
            dir.display()
        ));
    }
    Ok(())
}
