//! summary.csv: one row per demand node.

use super::{ReportError, Results, num, write_csv};
use crate::scenario::DemandId;
use std::path::Path;

pub const HEADER: &[&str] = &[
    "node",
    "runs",
    "p_shortage",
    "first_shortage_day_mean",
    "first_shortage_day_p50",
    "shortage_days_mean",
    "unmet_m3_mean",
    "delivered_m3_mean",
    "lost_m3_mean",
    "convoys_dispatched_mean",
    "convoys_attacked_mean",
    "runs_with_shortage",
    "p_shortage_ci95_low",
    "p_shortage_ci95_high",
    "unmet_m3_ci95",
    "delivered_m3_ci95",
    "lost_m3_ci95",
    "rationed_m3_mean",
    "convoys_shifted_mean",
    "name",
    "consumption_m3_per_day",
    "initial_stock_m3",
    "first_shortage_date_p50",
    "last_shortage_day_p50",
    "last_shortage_date_p50",
    "shortage_spells_mean",
    "longest_spell_days_mean",
    "convoys_deterred_mean",
    "dispatched_m3_mean",
    "pipeline_m3_mean",
    "in_transit_m3_mean",
    "reserve_released_m3_mean",
];

pub fn write_summary(r: &Results, path: &Path) -> Result<(), ReportError> {
    let calendar = r.scenario.simulation.calendar();
    let date = |day: Option<u32>| day.map_or(String::new(), |d| calendar.iso(i64::from(d)));
    let rows = (0..r.scenario.demands.len()).map(|d| {
        let s = r.acc.demand(d);
        vec![
            r.scenario.demand_node_id(DemandId(d as u32)).to_string(),
            s.runs.to_string(),
            num(s.p_shortage, 6),
            s.first_shortage_day_mean.map_or(String::new(), |v| num(v, 3)),
            s.first_shortage_day_p50.map_or(String::new(), |v| v.to_string()),
            num(s.shortage_days.mean, 3),
            num(s.unmet_m3.mean, 3),
            num(s.delivered_m3.mean, 3),
            num(s.lost_m3.mean, 3),
            num(s.convoys_dispatched_mean, 3),
            num(s.convoys_attacked.mean, 3),
            s.runs_with_shortage.to_string(),
            num(s.p_shortage_ci.0, 6),
            num(s.p_shortage_ci.1, 6),
            num(s.unmet_m3.ci95, 3),
            num(s.delivered_m3.ci95, 3),
            num(s.lost_m3.ci95, 3),
            num(s.rationed_m3.mean, 3),
            num(s.convoys_shifted_mean, 3),
            r.scenario.network.node(r.scenario.demands[d].node).name.clone(),
            num(r.scenario.demands[d].consumption_m3_per_day, 3),
            num(r.scenario.demands[d].initial_stock_m3, 3),
            date(s.first_shortage_day_p50),
            s.last_shortage_day_p50.map_or(String::new(), |v| v.to_string()),
            date(s.last_shortage_day_p50),
            num(s.shortage_spells_mean, 3),
            num(s.longest_spell_days_mean, 3),
            num(s.convoys_deterred_mean, 3),
            num(s.dispatched_m3.mean, 3),
            num(s.pipeline_m3.mean, 3),
            num(s.in_transit_m3.mean, 3),
            num(s.reserve_released_m3_mean, 3),
        ]
    });
    write_csv(path, HEADER, rows)
}
