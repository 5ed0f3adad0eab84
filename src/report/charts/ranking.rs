//! `road_losses`: the roads ranked by trucks lost on them (mean per run), most at the top.

use super::bars::HorizontalBars;
use super::canvas::{Fill, Stroke};
use super::{Layout, Style};
use crate::report::{OutputData, ReportError};
use std::path::Path;

/// Roads shown at most (every road with losses, up to this many).
const TOP: usize = 15;

pub fn road_losses(data: &OutputData, style: &Style, stem: &Path) -> Result<Layout, ReportError> {
    let mut bars: Vec<(String, f64, Option<f64>)> = data
        .roads
        .iter()
        .filter(|r| r.trucks_lost_mean > 0.0)
        .map(|r| {
            let name = format!("{}–{}", data.node_name(&r.from), data.node_name(&r.to));
            let label = if r.road.is_empty() { name } else { format!("{name} ({})", r.road) };
            (label, r.trucks_lost_mean, None)
        })
        .collect();
    bars.sort_by(|a, b| b.1.total_cmp(&a.1));
    let more = bars.len().saturating_sub(TOP);
    bars.truncate(TOP);
    let accent = style.palette.accent();
    let figure = HorizontalBars {
        title: format!("Trucks lost on each road — {}", data.meta.name),
        footer: data.footer(),
        x_desc: "Trucks lost on the road (mean per run, over the horizon)".into(),
        bars,
        fill: Fill { colour: Some((accent, 0.8)), hatch: None, outline: Some(Stroke::solid(accent, 1.0)) },
        empty: "No truck is lost on a road.".into(),
        notes: if more > 0 { vec![format!("{more} more roads with losses are in edges.csv.")] } else { Vec::new() },
        bar_notes: Vec::new(),
        what: "roads".into(),
    };
    super::save(&figure, stem, style)
}
