//! The part of a report that a hindcast folder adds to its run's: each observation against the
//! model, in the table the hindcast printed, and how many are met. The run's report
//! ([`super::run_document`]) places it after the key numbers; the hindcast's charts come with
//! the run's, captioned here.

use super::document::Block;
use super::hindcast::{met_count, target_rows};
use super::{HindcastData, OutputData, thousands};

/// The section "Against what was observed" of the report of `data`, scored as `h`.
pub(super) fn observations_section(data: &OutputData, h: &HindcastData) -> Vec<Block> {
    let mut rows = target_rows(&h.targets, data.calendar());
    let header = rows.remove(0);
    vec![
        Block::Heading("Against what was observed".into()),
        Block::Paragraph(format!(
            "{}. Each target is a statistic over the {} runs that should fall in the band the reports allow \
             (observations.csv gives the source of each): a median first shortage day, a share of runs short by a \
             day, a mean share of days short in a window, a median of trucks lost, of fuel delivered or of stock; \
             5–95 % is the spread of the per-run quantity across runs, where it has one.",
            met_count(&h.targets),
            thousands(data.meta.runs)
        )),
        Block::Table { header, rows },
    ]
}

/// The caption of a hindcast chart, or `None` when `stem` is not one.
pub(super) fn caption(stem: &str, data: &OutputData) -> Option<String> {
    match stem.strip_prefix("hindcast_")? {
        "losses" => Some(
            "Trucks lost everywhere since day 0 across runs (median and 5–95 %), against the counts the reports \
             give: each a box over its band at its date, the model's median there filled when it is in the band."
                .into(),
        ),
        id => Some(format!(
            "Fuel stock at {} across runs with the observations of it, numbered and listed under the chart: a band \
             (dashed) for each, the model's value a diamond, filled when the target is met, hollow when not; the \
             strip under the stock gives the share of runs short on each day (bars) and by each day (line).",
            data.node_name(id)
        )),
    }
}
