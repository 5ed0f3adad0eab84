//! `road_losses`: the roads ranked by trucks lost on them (mean per run), most at the top.

use super::Style;
use super::bars::HorizontalBars;
use crate::report::{OutputData, ReportError};
use std::path::Path;

const TOP: usize = 15;

pub fn road_losses(data: &OutputData, style: &Style, stem: &Path) -> Result<(), ReportError> {
    let mut bars: Vec<(String, f64, Option<f64>)> = data
        .roads
        .iter()
        .filter(|r| r.trucks_lost_mean > 0.0)
        .map(|r| (format!("{}–{} ({})", r.from, r.to, r.road), r.trucks_lost_mean, None))
        .collect();
    bars.sort_by(|a, b| b.1.total_cmp(&a.1));
    bars.truncate(TOP);
    let figure = HorizontalBars {
        title: format!("Trucks lost on each road — {}", data.meta.name),
        footer: data.footer(),
        x_desc: "Trucks lost on the road (mean per run, over the horizon)".into(),
        bars,
        colour: style.palette.accent(),
        empty: "No truck is lost on a road.".into(),
    };
    super::save(&figure, stem, style)
}
