//! `corridor critical`: the sites whose blockade most worsens a city's shortage.

use super::output::{Staged, pool, progress};
use super::{Common, UsageError, load, print};
use crate::critical::{Strength, search};
use crate::report::{self, Critical, charts};
use anyhow::Result;
use std::path::Path;

/// Parses `attack_prob=1,truck_loss_prob=1,hold_days=0` (any subset; the rest as default).
pub fn parse_strength(text: &str) -> Result<Strength, UsageError> {
    let mut s = Strength::default();
    for part in text.split(',').filter(|p| !p.trim().is_empty()) {
        let bad = |why: &str| UsageError(format!("--strength {text}: `{part}`: {why}"));
        let (key, value) = part.split_once('=').ok_or_else(|| bad("expected KEY=VALUE"))?;
        let v: f64 = value.trim().parse().map_err(|_| bad("not a number"))?;
        let probability = (0.0..=1.0).contains(&v);
        match key.trim() {
            "attack_prob" if probability => s.attack_prob = v,
            "truck_loss_prob" if probability => s.truck_loss_prob = v,
            "attack_prob" | "truck_loss_prob" => return Err(bad("expected a number from 0 to 1")),
            "hold_days" if v.is_finite() && v >= 0.0 => s.hold_days = v,
            "hold_days" => return Err(bad("expected a finite number >= 0")),
            _ => return Err(bad("expected attack_prob, truck_loss_prob or hold_days")),
        }
    }
    Ok(s)
}

pub fn critical(path: &Path, target: Option<&str>, k: usize, strength: &str, common: &Common) -> Result<()> {
    let strength = parse_strength(strength)?;
    let scenario = load(path, common)?;
    let ids: Vec<&str> = scenario.demands.iter().map(|d| scenario.network.node(d.node).id.as_str()).collect();
    let target_index = match target {
        None => 0,
        Some(t) => ids.iter().position(|id| *id == t).ok_or_else(|| {
            UsageError(format!(
                "--target {t}: not a demand node of {} (demand nodes: {})",
                scenario.name,
                ids.join(", ")
            ))
        })?,
    };
    let target_id = ids[target_index].to_string();
    let out = common
        .out
        .clone()
        .unwrap_or_else(|| Path::new("output").join(format!("critical_{}_{target_id}", scenario.name)));
    let staged = Staged::new(&out)?;
    let (pool, _) = pool(common.threads)?;
    let bar = progress(scenario.simulation.runs, common.quiet);
    bar.set_length(0);
    let result = search(&scenario, target_index, k, strength, &pool, &|n| {
        bar.inc_length(n);
        bar.inc(n)
    });
    bar.finish_and_clear();

    let c = Critical { scenario: &scenario, target: &target_id, strength, search: &result };
    let dir = staged.dir();
    report::write_critical(&c, &dir.join("critical.csv"))?;
    report::write_critical_meta(&c, &dir.join("critical.toml"))?;
    // The charts are drawn from the files just written, as `corridor plot` draws them.
    charts::draw_critical_charts(&report::CriticalData::load(dir)?, &charts::Style::default(), dir, None)?;
    staged.publish()?;
    if !common.quiet {
        print(&format!("{}wrote {}\n", report::critical_table(&c), out.display()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strengths_parse_and_check_ranges() {
        assert_eq!(parse_strength("").unwrap(), Strength::default());
        let s = parse_strength("attack_prob=0.5, hold_days=2").unwrap();
        assert_eq!((s.attack_prob, s.truck_loss_prob, s.hold_days), (0.5, 1.0, 2.0));
        for bad in ["attack_prob=2", "hold_days=-1", "speed=3", "attack_prob", "truck_loss_prob=x"] {
            assert!(parse_strength(bad).is_err(), "{bad}");
        }
    }
}
