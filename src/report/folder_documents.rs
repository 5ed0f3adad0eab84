//! The reports of comparison, sweep and critical-sites folders, built from their files as a
//! [`Document`] (the run's report is in `document`): what was run, the key numbers with their
//! 95 % intervals and the number of runs behind them, every chart, and the provenance.

use super::document::{Block, Document, m3};
use super::hindcast::{met_count, target_rows};
use super::table::four_figures;
use super::{CalibrationData, CompareData, CriticalData, ScoredTarget, SweepData, thousands};
use crate::report::charts::pct;

/// "1,234 ± 56 m³".
fn pm(mean: f64, half: f64) -> String {
    format!("{} ± {}", signed(mean), thousands(half.abs().round() as u64))
}

fn signed(v: f64) -> String {
    let s = thousands(v.abs().round() as u64);
    if v.round() < 0.0 {
        format!("−{s}")
    } else if v.round() > 0.0 {
        format!("+{s}")
    } else {
        s
    }
}

/// Percentage points with their interval: "−100.0 ± 0.0 points".
fn points(d: (f64, f64)) -> String {
    let v = 100.0 * d.0;
    let sign = if v < -0.05 {
        "−"
    } else if v > 0.05 {
        "+"
    } else {
        ""
    };
    format!("{sign}{:.1} ± {:.1} points", v.abs(), 100.0 * d.1)
}

fn figures(stems: &[String], caption: impl Fn(&str) -> String) -> Vec<Block> {
    let mut b = vec![Block::Heading("Charts".into())];
    b.extend(stems.iter().map(|s| Block::Figure { stem: s.clone(), caption: caption(s) }));
    b
}

/// The report of a `corridor compare` folder.
pub fn compare_document(c: &CompareData, stems: &[String]) -> Document {
    let m = &c.meta;
    let first = m.scenarios.first().cloned().unwrap_or_default();
    let mut b = vec![Block::Paragraph(format!(
        "{} scenarios, {} runs each with common random numbers (seed {}): run i of every scenario draws the same \
         numbers for the same purposes, so each difference to {first} is taken run by run. Intervals are 95 %.",
        m.scenarios.len(),
        thousands(m.runs),
        m.seed
    ))];
    b.push(Block::Heading("Key numbers".into()));
    let header = [
        "scenario",
        "city",
        "P(shortage)",
        "change in P(shortage)",
        "unmet m³",
        "change in unmet m³",
        "change in lost m³",
    ];
    let rows = c
        .rows
        .iter()
        .map(|r| {
            let none = || "–".to_string();
            vec![
                r.scenario.clone(),
                r.name.clone(),
                format!("{} ({} to {})", pct(r.p_shortage), pct(r.p_shortage_ci.0), pct(r.p_shortage_ci.1)),
                r.diff_shortage.map_or_else(none, points),
                thousands(r.unmet.max(0.0).round() as u64),
                r.diff_unmet.map_or_else(none, |d| pm(d.0, d.1)),
                r.diff_lost.map_or_else(none, |d| pm(d.0, d.1)),
            ]
        })
        .collect();
    b.push(Block::Table { header: header.map(String::from).to_vec(), rows });
    b.extend(figures(stems, |stem| match stem.strip_prefix("shortage_") {
        Some(node) => {
            let name = c.rows.iter().find(|r| r.node == node).map_or(node, |r| r.name.as_str());
            format!("Share of runs in which a shortage has begun at {name}, by day, under each scenario ({first} in black).")
        }
        None => format!("Change against {first} in P(shortage) and unmet demand, per city and scenario, with 95 % intervals from the paired runs."),
    }));
    b.push(Block::Heading("Provenance".into()));
    let mut p = vec![
        ("corridor version".to_string(), m.corridor_version.clone()),
        ("scenarios".into(), m.scenarios.join(", ")),
        ("seed".into(), m.seed.to_string()),
        ("runs per scenario".into(), thousands(m.runs)),
    ];
    if let Some(start) = m.calendar().start {
        p.push(("day 0".into(), start.long_label()));
    }
    b.push(Block::Provenance(p));
    Document { title: format!("Comparison against {first}"), blocks: b }
}

/// The report of a `corridor sweep` folder.
pub fn sweep_document(s: &SweepData, stems: &[String]) -> Document {
    let m = &s.meta;
    let mut b = vec![Block::Paragraph(format!(
        "{} variants of {} ({}), {} runs each with common random numbers (seed {}): every point draws the same numbers \
         for the same purposes, so outcomes change only with the swept values. Means carry 95 % intervals.",
        m.points,
        m.scenario,
        m.keys.join(", "),
        thousands(m.runs),
        m.seed
    ))];
    b.push(Block::Heading("Key numbers".into()));
    let mut header = m.keys.clone();
    header.extend(["city", "P(shortage)", "unmet m³", "lost m³"].map(String::from));
    let rows = s
        .rows
        .iter()
        .map(|r| {
            let mut row = r.values.clone();
            row.extend([
                r.name.clone(),
                format!("{} ({} to {})", pct(r.p_shortage), pct(r.p_shortage_ci.0), pct(r.p_shortage_ci.1)),
                format!("{} ± {}", thousands(r.unmet.0.max(0.0).round() as u64), thousands(r.unmet.1.round() as u64)),
                format!("{} ± {}", thousands(r.lost.0.max(0.0).round() as u64), thousands(r.lost.1.round() as u64)),
            ]);
            row
        })
        .collect();
    b.push(Block::Table { header, rows });
    let key = m.keys.first().cloned().unwrap_or_default();
    b.extend(figures(stems, |stem| {
        let what = if stem.starts_with("sweep_p_shortage_") {
            "P(shortage)"
        } else if stem.starts_with("sweep_unmet_") {
            "Unmet demand"
        } else {
            "Fuel lost on the way"
        };
        let node = stem.rsplit_once('_').map_or(stem, |x| x.1);
        let name = s.nodes().into_iter().find(|n| n.0 == node).map_or(node.to_string(), |n| n.1);
        format!("{what} at {name} against {key}, with its 95 % band.")
    }));
    b.push(Block::Heading("Provenance".into()));
    b.push(Block::Provenance(vec![
        ("corridor version".to_string(), m.corridor_version.clone()),
        ("scenario".into(), m.scenario.clone()),
        ("swept keys".into(), m.keys.join(", ")),
        ("points".into(), m.points.to_string()),
        ("seed".into(), m.seed.to_string()),
        ("runs per point".into(), thousands(m.runs)),
        ("horizon".into(), format!("{} days", m.horizon_days)),
    ]));
    Document { title: format!("Sweep of {}", m.scenario), blocks: b }
}

/// The report of a `corridor critical` folder.
pub fn critical_document(c: &CriticalData, stems: &[String]) -> Document {
    let m = &c.meta;
    let base = c.base();
    let mut b = vec![Block::Paragraph(format!(
        "Each of the {} nodes and roads on the routes to {} gets a blockade for the whole horizon (attack {}, \
         truck loss {}, hold {} days), run with common random numbers against {} as it is ({} runs per estimate, \
         seed {}); sites are ranked by the unmet demand they add at {}. {} other nodes and roads are supply origins \
         or on no route to it, so a blockade there changes nothing for it. Sites whose blockade has the same effect \
         form a group.",
        m.candidates,
        m.target_name,
        m.attack_prob,
        m.truck_loss_prob,
        m.hold_days,
        m.scenario,
        thousands(m.runs),
        m.seed,
        m.target_name,
        m.idle_sites
    ))];
    if let Some(base) = base {
        b.push(Block::Paragraph(format!(
            "As it is, {} has P(shortage) {} and {} of unmet demand.",
            m.target_name,
            pct(base.p_shortage),
            m3(base.unmet)
        )));
    }
    let mut letters = 0;
    for (k, title) in [(1, "Single sites"), (2, "Pairs of sites (the best ten groups)")] {
        let mut groups = c.groups(k, letters);
        letters += groups.iter().filter(|g| g.letter.is_some()).count();
        if groups.is_empty() {
            continue;
        }
        if k == 2 {
            groups.truncate(10);
        }
        b.push(Block::Heading(title.into()));
        let header = ["rank", "sites", "unmet m³ added (± 95 %)", "P(shortage) change"].map(String::from).to_vec();
        let rows = groups
            .iter()
            .map(|g| {
                let (first, last) = (g.rows[0].rank, g.rows[g.rows.len() - 1].rank);
                let r = g.rows[0];
                vec![
                    if first == last { first.to_string() } else { format!("{first}–{last}") },
                    match &g.letter {
                        Some(l) => format!("group {l} ({} sites)", g.rows.len()),
                        None => r.names.clone(),
                    },
                    pm(r.diff_unmet, r.diff_unmet_ci95),
                    points((r.diff_p_shortage, r.diff_p_shortage_ci95)),
                ]
            })
            .collect();
        b.push(Block::Table { header, rows });
        let members: Vec<String> = groups
            .iter()
            .filter_map(|g| g.letter.as_ref().map(|l| format!("Group {l}: {}.", g.members().join(", "))))
            .collect();
        if !members.is_empty() {
            b.push(Block::List(members));
        }
    }
    b.extend(figures(stems, |stem| {
        let what = if stem == "critical_pairs" { "pair of sites" } else { "site" };
        format!("Unmet demand added at {} by a blockade on each {what}, with 95 % intervals; groups of sites with the same effect are one bar.", m.target_name)
    }));
    b.push(Block::Heading("Provenance".into()));
    b.push(Block::Provenance(vec![
        ("corridor version".to_string(), m.corridor_version.clone()),
        ("scenario".into(), m.scenario.clone()),
        ("target".into(), format!("{} ({})", m.target_name, m.target)),
        ("seed".into(), m.seed.to_string()),
        ("runs per estimate".into(), thousands(m.runs)),
        ("horizon".into(), format!("{} days", m.horizon_days)),
    ]));
    Document { title: format!("Critical sites for {} in {}", m.target_name, m.scenario), blocks: b }
}

/// The report of a `corridor calibrate` folder.
pub fn calibration_document(c: &CalibrationData, stems: &[String]) -> Document {
    let m = &c.meta;
    let mut b = vec![Block::Paragraph(format!(
        "Approximate Bayesian computation by rejection: {} parameter sets of a Sobol design over the prior ranges, \
         {} runs each with common random numbers (seed {}); the {} sets nearest to the observed bands are the \
         posterior. calibrated.toml holds the scenario with the posterior medians; calibrated_hindcast.csv scores \
         it against every target, fitted and predicted.",
        thousands(m.sets),
        thousands(m.runs),
        m.seed,
        thousands(m.accepted)
    ))];
    b.push(Block::Heading("Posterior".into()));
    let header = ["parameter", "prior", "median", "5–95 %"].map(String::from).to_vec();
    let rows = c
        .posterior
        .iter()
        .map(|p| {
            vec![
                p.key.clone(),
                format!("{} to {}", p.prior.0, p.prior.1),
                four_figures(p.median),
                format!("{} to {}", four_figures(p.p05), four_figures(p.p95)),
            ]
        })
        .collect();
    b.push(Block::Table { header, rows });
    b.extend(figures(stems, |stem| match stem.strip_prefix("posterior_") {
        Some(_) => "The accepted values of one parameter over its whole prior range, with the 5–95 % interval and the \
                    median."
            .to_string(),
        None => {
            "The accepted sets of two parameters, one point each, over both prior ranges, with the medians.".to_string()
        }
    }));
    b.extend(calibrated_targets(c));
    b.push(Block::Heading("Provenance".into()));
    b.push(Block::Provenance(vec![
        ("corridor version".to_string(), m.corridor_version.clone()),
        ("scenario".into(), m.scenario.clone()),
        ("fitted keys".into(), m.keys.join(", ")),
        ("parameter sets".into(), thousands(m.sets)),
        ("accepted".into(), thousands(m.accepted)),
        ("seed".into(), m.seed.to_string()),
        ("runs per set".into(), thousands(m.runs)),
    ]));
    Document { title: format!("Calibration of {}", m.scenario), blocks: b }
}

/// The calibrated scenario against the targets, fitted and predicted apart, from
/// calibrated_hindcast.csv.
fn calibrated_targets(c: &CalibrationData) -> Vec<Block> {
    let calendar = c.meta.calendar();
    let until = c.meta.train_until.map(|d| calendar.describe(i64::from(d)));
    let mut b = vec![Block::Heading("The calibrated scenario against the observations".into())];
    b.push(Block::Paragraph(format!(
        "calibrated.toml (the posterior medians written in), run {} times, against every target{}.",
        thousands(c.meta.check_runs),
        until.as_ref().map_or(String::new(), |u| format!(
            ": those ending by {u} were fitted, the later ones were not seen by the fit and are predicted"
        ))
    )));
    for (fitted, what) in [(true, "Fitted"), (false, "Predicted (out of sample)")] {
        let targets: Vec<ScoredTarget> = c.targets.iter().filter(|t| t.fitted != Some(!fitted)).cloned().collect();
        if targets.is_empty() {
            continue;
        }
        let mut rows = target_rows(&targets, calendar);
        let header = rows.remove(0);
        b.push(Block::Paragraph(format!("{what}: {}.", met_count(&targets))));
        b.push(Block::Table { header, rows });
    }
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_numbers() {
        assert_eq!(pm(-45_242.4, 51.0), "−45,242 ± 51");
        assert_eq!(pm(0.2, 0.0), "0 ± 0");
        assert_eq!(points((-1.0, 0.0)), "−100.0 ± 0.0 points");
        assert_eq!(points((0.027, 0.003)), "+2.7 ± 0.3 points");
    }
}
