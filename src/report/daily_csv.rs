//! daily.csv: the stock and shortage of each demand node at the end of each day.

use super::{ReportError, Results, num, write_csv};
use crate::scenario::DemandId;
use std::path::Path;

pub const HEADER: &[&str] = &[
    "day",
    "date",
    "node",
    "stock_mean",
    "stock_p05",
    "stock_p25",
    "stock_p50",
    "stock_p75",
    "stock_p95",
    "p_shortage",
    "p_shortage_by_day",
    "runs",
    "delivered_cum_m3_mean",
];

pub fn write_daily(r: &Results, path: &Path) -> Result<(), ReportError> {
    let days = r.scenario.simulation.horizon_days as usize;
    let demands = r.scenario.demands.len();
    let calendar = r.scenario.simulation.calendar();
    let rows = (0..days).flat_map(|day| {
        (0..demands).map(move |d| {
            let s = r.acc.daily(d, day);
            let mut row = vec![
                day.to_string(),
                calendar.iso(day as i64),
                r.scenario.demand_node_id(DemandId(d as u32)).to_string(),
            ];
            row.push(num(s.stock_mean, 3));
            row.extend(s.stock_quantiles.iter().map(|&q| num(q, 3)));
            row.push(num(s.p_shortage, 6));
            row.push(num(s.p_shortage_by_day, 6));
            row.push(r.runs().to_string());
            row.push(num(s.delivered_cum_mean, 3));
            row
        })
    });
    write_csv(path, HEADER, rows)
}
