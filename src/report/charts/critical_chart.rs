//! `critical_sites` (and `critical_pairs`): how much a blockade on each site (or pair) raises
//! the target's unmet demand, with 95 % intervals, largest at the top. Sites with the same
//! effect are one bar, named by the group's letter and members, every member listed under the
//! chart; every site or group is shown (pairs: the best groups).

use super::bars::HorizontalBars;
use super::canvas::{Fill, Stroke};
use super::{Layout, Style};
use crate::report::{CriticalData, ReportError};
use std::path::Path;

/// Bars of pairs shown at most (every group of single sites is shown).
const TOP_PAIRS: usize = 15;

/// Draws the sets of `k` sites (1 or 2) of a critical folder.
pub fn critical_chart(c: &CriticalData, k: usize, style: &Style, stem: &Path) -> Result<Layout, ReportError> {
    let first = if k == 1 { 0 } else { c.groups(1, 0).iter().filter(|g| g.letter.is_some()).count() };
    let mut groups = c.groups(k, first);
    let mut notes = Vec::new();
    if k > 1 && groups.len() > TOP_PAIRS {
        notes.push(format!("The best {TOP_PAIRS} of {} groups of pairs; every pair is in critical.csv.", groups.len()));
        groups.truncate(TOP_PAIRS);
    }
    let bar_notes =
        groups.iter().map(|g| g.letter.as_ref().map(|l| format!("{l}: {}.", g.members().join(", ")))).collect();
    let bars = groups
        .iter()
        .map(|g| (g.label(), g.rows[0].diff_unmet / 1000.0, Some(g.rows[0].diff_unmet_ci95 / 1000.0)))
        .collect();
    let what = if k == 1 { "site" } else { "pair of sites" };
    let main = style.palette.main();
    let figure = HorizontalBars {
        title: format!("Unmet demand added at {} by a blockade on each {what}", c.meta.target_name),
        footer: c.meta.footer(),
        x_desc: "Added unmet demand over the horizon (thousand m³); 95 % intervals where wider than a line".into(),
        bars,
        fill: Fill { colour: Some((main, 0.8)), hatch: None, outline: Some(Stroke::solid(main, 1.0)) },
        empty: "No candidate site.".into(),
        notes,
        bar_notes,
        what: if k == 1 { "sites or groups".into() } else { "groups of pairs".into() },
    };
    super::save(&figure, stem, style)
}
