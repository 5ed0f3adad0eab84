//! The outputs of `corridor compare`: comparison.csv and the table on stdout. Every scenario is
//! read against the first, with paired differences (common random numbers) and their 95 %
//! intervals.

use super::{ReportError, num, thousands, write_csv};
use crate::scenario::Scenario;
use crate::sim::Batch;
use crate::stats::{Difference, Metric};
use std::path::Path;

/// Scenarios run together with common random numbers.
pub struct Comparison<'a> {
    pub scenarios: &'a [Scenario],
    pub batch: &'a Batch,
    pub seed: u64,
    /// With `--precision`: where the runs stopped (recorded in compare.toml).
    pub precision: Option<&'a crate::precision::Precision>,
}

impl Comparison<'_> {
    pub fn runs(&self) -> u64 {
        self.batch.accs.first().map_or(0, |a| a.runs())
    }

    /// The demand node ids of the first scenario.
    pub fn base_nodes(&self) -> Vec<String> {
        let base = &self.scenarios[0];
        base.demands.iter().map(|d| base.network.node(d.node).id.clone()).collect()
    }

    /// Scenario m minus the first at the first scenario's demand node `node`.
    pub fn difference(&self, m: usize, node: &str, metric: Metric) -> Option<Difference> {
        let d = self.base_nodes().iter().position(|n| n == node)?;
        self.batch.paired.difference(m, d, metric)
    }
}

const METRICS: [(Metric, &str, usize); 5] = [
    (Metric::Shortage, "p_shortage", 6),
    (Metric::FirstDay, "first_shortage_day", 3),
    (Metric::Unmet, "unmet_m3", 3),
    (Metric::Lost, "lost_m3", 3),
    (Metric::Delivered, "delivered_m3", 3),
];

pub fn comparison_header() -> Vec<String> {
    let mut h: Vec<String> = [
        "scenario",
        "node",
        "runs",
        "p_shortage",
        "p_shortage_ci95_low",
        "p_shortage_ci95_high",
        "first_shortage_day_mean",
        "unmet_m3_mean",
        "lost_m3_mean",
        "delivered_m3_mean",
    ]
    .map(String::from)
    .to_vec();
    for (_, name, _) in METRICS {
        h.push(format!("diff_{name}"));
        h.push(format!("diff_{name}_ci95"));
        h.push(format!("diff_{name}_ci95_unpaired"));
    }
    h.push("name".to_string());
    h
}

/// comparison.csv: one row per scenario and demand node.
pub fn write_comparison(c: &Comparison, path: &Path) -> Result<(), ReportError> {
    let mut rows = Vec::new();
    for (m, s) in c.scenarios.iter().enumerate() {
        for (d, demand) in s.demands.iter().enumerate() {
            let node = &s.network.node(demand.node).id;
            let sum = c.batch.accs[m].demand(d);
            let mut row = vec![
                s.name.clone(),
                node.clone(),
                sum.runs.to_string(),
                num(sum.p_shortage, 6),
                num(sum.p_shortage_ci.0, 6),
                num(sum.p_shortage_ci.1, 6),
                sum.first_shortage_day_mean.map_or(String::new(), |v| num(v, 3)),
                num(sum.unmet_m3.mean, 3),
                num(sum.lost_m3.mean, 3),
                num(sum.delivered_m3.mean, 3),
            ];
            for (metric, _, decimals) in METRICS {
                match c.difference(m, node, metric) {
                    Some(diff) => row.extend([
                        num(diff.mean, decimals),
                        num(diff.ci95, decimals),
                        num(diff.ci95_unpaired, decimals),
                    ]),
                    None => row.extend([String::new(), String::new(), String::new()]),
                }
            }
            row.push(s.network.node(demand.node).name.clone());
            rows.push(row);
        }
    }
    let header = comparison_header();
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    write_csv(path, &header, rows)
}

/// The table printed by `corridor compare`.
pub fn comparison_table(c: &Comparison) -> String {
    let base = &c.scenarios[0].name;
    let mut out = format!(
        "{} scenarios, {} runs each with common random numbers, seed {}; differences are to {base}, ± 95 % CI\n",
        c.scenarios.len(),
        thousands(c.runs()),
        c.seed
    );
    let header = ["scenario", "node", "P(shortage)", "diff P", "unmet m3", "diff unmet m3", "lost m3", "diff lost m3"];
    let mut rows = vec![header.map(String::from).to_vec()];
    let signed = |d: Option<Difference>, decimals: usize| {
        d.map_or("-".to_string(), |d| {
            if decimals == 0 {
                let sign = if d.mean < -0.5 { "-" } else { "+" };
                format!("{sign}{} ± {}", thousands(d.mean.abs().round() as u64), thousands(d.ci95.round() as u64))
            } else {
                format!("{:+.decimals$} ± {:.decimals$}", d.mean, d.ci95)
            }
        })
    };
    for (m, s) in c.scenarios.iter().enumerate() {
        for (d, demand) in s.demands.iter().enumerate() {
            let node = &s.network.node(demand.node).id;
            let sum = c.batch.accs[m].demand(d);
            rows.push(vec![
                s.name.clone(),
                node.clone(),
                super::table::prob(sum.p_shortage),
                signed(c.difference(m, node, Metric::Shortage), 3),
                thousands(sum.unmet_m3.mean.round() as u64),
                signed(c.difference(m, node, Metric::Unmet), 0),
                thousands(sum.lost_m3.mean.round() as u64),
                signed(c.difference(m, node, Metric::Lost), 0),
            ]);
        }
    }
    out.push_str(&super::table::align(&rows));
    out
}
