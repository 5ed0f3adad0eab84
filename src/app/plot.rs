//! `corridor plot`: redraws the charts of an output folder (run, hindcast, compare, sweep, critical or calibrate)
//! from its files, without simulating again: all of them or those named, in the formats, size,
//! palette and day labels asked for, in place or into another folder.

use super::output::{Staged, require_folder};
use super::{UsageError, print};
use crate::report::Folder;
use crate::report::charts::{Palette, Style};
use anyhow::Result;
use std::path::Path;

/// What `corridor plot` is asked.
#[derive(Debug, Clone, PartialEq)]
pub struct PlotRequest {
    pub style: Style,
    /// Where to write the charts (default: the folder itself).
    pub out: Option<std::path::PathBuf>,
    /// Chart names (file stems) to draw; `None`: every chart.
    pub only: Option<Vec<String>>,
}

pub fn plot(dir: &Path, request: &PlotRequest, quiet: bool) -> Result<()> {
    require_folder(dir)?;
    let folder = Folder::load(dir)?;
    let stems = folder.chart_stems();
    if let Some(unknown) = request.only.iter().flatten().find(|n| !stems.contains(n)) {
        return Err(UsageError(format!(
            "--only {unknown}: {} has no chart of that name (its charts: {})",
            dir.display(),
            stems.join(", ")
        ))
        .into());
    }
    let out = request.out.as_deref().unwrap_or(dir);
    // The charts replace those of the same names; every other file of `out` stays.
    let staged = Staged::update(out)?;
    let drawn = folder.draw_charts(&request.style, staged.dir(), request.only.as_deref())?;
    staged.publish()?;
    if !quiet {
        let style = &request.style;
        let formats: Vec<&str> = style.formats.iter().map(|f| f.extension()).collect();
        print(&format!(
            "drew {} {} charts ({}, {}×{} px{}{}) in {}\n",
            drawn.len(),
            folder.kind(),
            formats.join(", "),
            style.width,
            style.height,
            if style.palette == Palette::Greyscale { ", greyscale" } else { "" },
            if style.days { ", day numbers" } else { "" },
            out.display()
        ));
    }
    Ok(())
}
