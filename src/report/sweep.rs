//! The outputs of `corridor sweep`: sweep.csv, sweep.toml and the table on stdout. Every point is a
//! variant of one scenario, run with common random numbers; differences are to the first point.

use super::sweep_data::SweepMeta;
use super::table::{align, prob};
use super::{ReportError, num, thousands, write_csv};
use crate::scenario::Scenario;
use crate::sim::Batch;
use crate::stats::Metric;
use std::path::Path;

/// The points of a sweep and their statistics.
pub struct Sweep<'a> {
    /// The swept keys, in the order given.
    pub keys: &'a [String],
    /// Per point: the value of each key (as written) and the scenario it made.
    pub points: &'a [(Vec<String>, Scenario)],
    pub batch: &'a Batch,
    pub seed: u64,
}

impl Sweep<'_> {
    pub fn runs(&self) -> u64 {
        self.batch.accs.first().map_or(0, |a| a.runs())
    }
}

/// sweep.toml: what made the folder, so that its charts are drawn from its files.
pub fn write_sweep_meta(s: &Sweep, path: &Path) -> Result<(), ReportError> {
    let first = &s.points[0].1;
    let meta = SweepMeta {
        scenario: first.name.clone(),
        keys: s.keys.to_vec(),
        points: s.points.len() as u64,
        runs: s.runs(),
        seed: s.seed,
        horizon_days: first.simulation.horizon_days,
        corridor_version: env!("CARGO_PKG_VERSION").to_string(),
    };
    super::write_toml(&meta, path)
}

/// sweep.csv: one row per point and demand node.
pub fn write_sweep(s: &Sweep, path: &Path) -> Result<(), ReportError> {
    let mut header: Vec<String> = s.keys.to_vec();
    header.extend(
        [
            "node",
            "runs",
            "p_shortage",
            "p_shortage_ci95_low",
            "p_shortage_ci95_high",
            "first_shortage_day_mean",
            "unmet_m3_mean",
            "unmet_m3_ci95",
            "lost_m3_mean",
            "lost_m3_ci95",
            "delivered_m3_mean",
            "delivered_m3_ci95",
            "diff_p_shortage",
            "diff_p_shortage_ci95",
            "diff_unmet_m3",
            "diff_unmet_m3_ci95",
            "diff_lost_m3",
            "diff_lost_m3_ci95",
            "name",
        ]
        .map(String::from),
    );
    let mut rows = Vec::new();
    for (p, (values, scenario)) in s.points.iter().enumerate() {
        for (d, demand) in scenario.demands.iter().enumerate() {
            let sum = s.batch.accs[p].demand(d);
            let mut row = values.clone();
            row.extend([
                scenario.network.node(demand.node).id.clone(),
                sum.runs.to_string(),
                num(sum.p_shortage, 6),
                num(sum.p_shortage_ci.0, 6),
                num(sum.p_shortage_ci.1, 6),
                sum.first_shortage_day_mean.map_or(String::new(), |v| num(v, 3)),
                num(sum.unmet_m3.mean, 3),
                num(sum.unmet_m3.ci95, 3),
                num(sum.lost_m3.mean, 3),
                num(sum.lost_m3.ci95, 3),
                num(sum.delivered_m3.mean, 3),
                num(sum.delivered_m3.ci95, 3),
            ]);
            for (metric, decimals) in [(Metric::Shortage, 6), (Metric::Unmet, 3), (Metric::Lost, 3)] {
                match s.batch.paired.difference(p, d, metric) {
                    Some(diff) => row.extend([num(diff.mean, decimals), num(diff.ci95, decimals)]),
                    None if p == 0 => row.extend([num(0.0, decimals), num(0.0, decimals)]),
                    None => row.extend([String::new(), String::new()]),
                }
            }
            row.push(scenario.network.node(demand.node).name.clone());
            rows.push(row);
        }
    }
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    write_csv(path, &header, rows)
}

/// The table printed by `corridor sweep`.
pub fn sweep_table(s: &Sweep) -> String {
    let mut out = format!(
        "sweep of {}: {} points, {} runs each with common random numbers, seed {}; means ± 95 % CI\n",
        s.points[0].1.name,
        s.points.len(),
        thousands(s.runs()),
        s.seed
    );
    let mut header: Vec<String> = s.keys.to_vec();
    header.extend(["node", "P(shortage)", "unmet m3", "lost m3"].map(String::from));
    let mut rows = vec![header];
    for (p, (values, scenario)) in s.points.iter().enumerate() {
        for (d, demand) in scenario.demands.iter().enumerate() {
            let sum = s.batch.accs[p].demand(d);
            let mut row = values.clone();
            row.extend([
                scenario.network.node(demand.node).id.clone(),
                prob(sum.p_shortage),
                format!(
                    "{} ± {}",
                    thousands(sum.unmet_m3.mean.round() as u64),
                    thousands(sum.unmet_m3.ci95.round() as u64)
                ),
                format!(
                    "{} ± {}",
                    thousands(sum.lost_m3.mean.round() as u64),
                    thousands(sum.lost_m3.ci95.round() as u64)
                ),
            ]);
            rows.push(row);
        }
    }
    out.push_str(&align(&rows));
    out
}
