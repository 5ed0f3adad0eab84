//! `critical_sites` (and `critical_pairs`): how much a blockade on each site (or pair) raises
//! the target's unmet demand, with 95 % intervals, largest at the top.

use super::Style;
use super::bars::HorizontalBars;
use crate::critical::Evaluation;
use crate::report::{Critical, ReportError};
use std::path::Path;

/// Bars shown at most.
const TOP: usize = 15;

/// Draws the largest of `list` to `<stem>.svg` and `<stem>.png`.
pub fn critical_chart(
    c: &Critical,
    list: &[Evaluation],
    what: &str,
    style: &Style,
    stem: &Path,
) -> Result<(), ReportError> {
    let figure = HorizontalBars {
        title: format!("Unmet demand added at {} by a blockade on each {what}", c.target_name()),
        footer: c.footer(),
        x_desc: "Added unmet demand over the horizon (thousand m³); 95 % intervals where wider than a line".into(),
        bars: list.iter().take(TOP).map(|e| (c.label(e), e.unmet.mean / 1000.0, Some(e.unmet.ci95 / 1000.0))).collect(),
        colour: style.palette.main(),
        empty: "No candidate site.".into(),
    };
    super::save(&figure, stem, style)
}
