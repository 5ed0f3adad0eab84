//! The outputs of `corridor calibrate`: calibration.csv (every parameter set: its values, its
//! statistics, its distance, accepted or not), posterior.csv (per parameter: prior range,
//! posterior median and 5–95 % points), calibrated_hindcast.csv (the calibrated scenario against
//! every target, fitted or predicted) and the table on stdout.

use super::hindcast::{HEADER as HINDCAST_HEADER, decimals, hindcast_row};
use super::table::{align, four_figures};
use super::{ReportError, ScoredTarget, num, write_csv};
use crate::calibration::{Parameter, Posterior};
use crate::observations::{Score, Target};
use crate::scenario::Scenario;
use std::path::Path;

/// A finished calibration, as the exporters see it.
pub struct Calibration<'a> {
    pub scenario: &'a Scenario,
    pub parameters: &'a [Parameter],
    pub targets: &'a [Target],
    /// Whether each target was fitted (the others are predicted).
    pub fitted: &'a [bool],
    /// Each set's parameter values, in design order.
    pub design: &'a [Vec<f64>],
    /// Each set's statistics, one per target.
    pub scores: &'a [Vec<Score>],
    pub distances: &'a [f64],
    pub accepted: &'a [bool],
    pub posterior: &'a [Posterior],
    /// Runs per set and their seed.
    pub runs: u64,
    pub seed: u64,
    /// Runs of the calibrated scenario, and its statistics.
    pub check_runs: u64,
    pub check: &'a [Score],
    pub train_until: Option<u32>,
}

/// A parameter value as written: whole numbers without decimals.
fn value(p: &Parameter, v: f64) -> String {
    if p.integer { format!("{v:.0}") } else { num(v, 6).trim_end_matches('0').trim_end_matches('.').to_string() }
}

/// A posterior value on the table: whole for a whole-number key, else about four significant
/// figures (the files keep six decimals).
fn shown(p: &Parameter, v: f64) -> String {
    if p.integer { format!("{v:.0}") } else { four_figures(v) }
}

pub fn write_calibration(c: &Calibration, path: &Path) -> Result<(), ReportError> {
    let mut header: Vec<&str> = vec!["set"];
    header.extend(c.parameters.iter().map(|p| p.key.as_str()));
    header.extend(c.targets.iter().map(|t| t.name.as_str()));
    header.extend(["distance", "accepted"]);
    let rows = (0..c.design.len()).map(|i| {
        let mut row = vec![i.to_string()];
        row.extend(c.parameters.iter().zip(&c.design[i]).map(|(p, &v)| value(p, v)));
        row.extend(
            c.targets
                .iter()
                .zip(&c.scores[i])
                .map(|(t, s)| s.model.map_or(String::new(), |v| num(v, decimals(t.quantity)))),
        );
        row.push(num(c.distances[i], 6));
        row.push(c.accepted[i].to_string());
        row
    });
    write_csv(path, &header, rows)
}

pub fn write_posterior(c: &Calibration, path: &Path) -> Result<(), ReportError> {
    let header = ["parameter", "prior_low", "prior_high", "median", "p05", "p95"];
    let rows = c.parameters.iter().zip(c.posterior).map(|(p, post)| {
        vec![
            p.key.clone(),
            value(p, p.low),
            value(p, p.high),
            value(p, post.median),
            value(p, post.p05),
            value(p, post.p95),
        ]
    });
    write_csv(path, &header, rows)
}

/// hindcast.csv's columns for the calibrated scenario, with `role`: fitted or predicted.
pub fn write_calibrated_hindcast(c: &Calibration, path: &Path) -> Result<(), ReportError> {
    let mut header = HINDCAST_HEADER.to_vec();
    header.push("role");
    let calendar = c.scenario.simulation.calendar();
    let rows = c.targets.iter().zip(c.check).zip(c.fitted).map(|((t, s), &f)| {
        let mut row = hindcast_row(t, s, calendar);
        row.push(if f { "fitted" } else { "predicted" }.to_string());
        row
    });
    write_csv(path, &header, rows)
}

/// The posterior per parameter, then the calibrated scenario against the targets, fitted and
/// predicted apart.
pub fn calibration_table(c: &Calibration) -> String {
    let accepted = c.accepted.iter().filter(|a| **a).count();
    let mut out = format!(
        "calibrate {}: {} sets × {} runs (seed {}), {} accepted ({:.0} %)\n",
        c.scenario.name,
        super::thousands(c.design.len() as u64),
        super::thousands(c.runs),
        c.seed,
        accepted,
        100.0 * accepted as f64 / c.design.len().max(1) as f64
    );
    let mut rows = vec![["parameter", "prior", "median", "5–95 %"].map(String::from).to_vec()];
    for (p, post) in c.parameters.iter().zip(c.posterior) {
        rows.push(vec![
            p.key.clone(),
            format!("{}–{}", value(p, p.low), value(p, p.high)),
            shown(p, post.median),
            format!("{}–{}", shown(p, post.p05), shown(p, post.p95)),
        ]);
    }
    out.push_str(&align(&rows));
    let calendar = c.scenario.simulation.calendar();
    let until = c.train_until.map(|d| calendar.describe(i64::from(d)));
    for (fitted, what) in [(true, "fitted"), (false, "predicted")] {
        let idx: Vec<usize> = (0..c.targets.len()).filter(|&i| c.fitted[i] == fitted).collect();
        if idx.is_empty() {
            continue;
        }
        let scored: Vec<ScoredTarget> = idx.iter().map(|&i| ScoredTarget::new(&c.targets[i], &c.check[i])).collect();
        let title = match (&until, fitted) {
            (Some(u), true) => format!(
                "\nthe calibrated scenario ({} runs) on the targets fitted (ending by {u}):",
                super::thousands(c.check_runs)
            ),
            (Some(u), false) => {
                format!("\nthe calibrated scenario on the targets predicted (after {u}, out of sample):")
            }
            (None, _) => {
                format!("\nthe calibrated scenario ({} runs) on the targets {what}:", super::thousands(c.check_runs))
            }
        };
        out.push_str(&super::hindcast_table(&title, &scored, calendar));
    }
    out
}
