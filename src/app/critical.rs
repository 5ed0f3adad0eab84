//! `corridor critical`: the sites whose blockade most worsens a city's shortage. With
//! `--shard` (k ≤ 2), the command evaluates its share of the sets of sites into a partial file.

use super::output::{Staged, check_interrupted, pool, progress};
use super::preflight::{check_memory, warn};
use super::shard::{self, Finished};
use super::{Common, UsageError, load, print};
use crate::blockade::Site;
use crate::critical::{self, Strength};
use crate::memory;
use crate::report::{self, Critical, charts};
use crate::scenario::{DemandId, Scenario};
use crate::shards::{Job, SetResult, State, Unit};
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

pub fn critical(path: &Path, target: Option<&str>, k: usize, strength_text: &str, common: &Common) -> Result<()> {
    let strength = parse_strength(strength_text)?;
    let scenario = load(path, common)?;
    let target_index = target_index(&scenario, target)?;
    let target_id = scenario.demand_node_id(DemandId(target_index as u32)).to_string();
    let name = format!("critical_{}_{target_id}", scenario.name);
    let default_dir = Path::new("output").join(&name);
    let (pool, threads) = pool(common.threads)?;
    // The search plays the scenario with up to CHUNK variants of it at once.
    let model = crate::sim::Model::new(&scenario);
    warn(&scenario, &model, common.checks)?;
    let models = vec![&model; crate::critical::CHUNK + 1];
    let play = memory::Play { workers: threads, quantiles: false, rows: false };
    check_memory(&scenario, &models, play, common.checks)?;
    if let Some(shard) = shard::target(common, &default_dir)? {
        if k > 2 {
            return Err(UsageError(format!(
                "--shard: critical --k {k} cannot be split: each greedy step beyond pairs needs the whole round \
                 before it; split --k 2 (every pair), or run --k {k} on one machine"
            ))
            .into());
        }
        let plan = critical::plan(&scenario, target_index, k, strength);
        let playing =
            shard::start(shard, std::slice::from_ref(&scenario), (Unit::Sets, plan.len() as u64), |_| 0, common.quiet)?;
        let held = playing.held.clone();
        let sets: Vec<Vec<Site>> =
            plan.sets().skip(held.start as usize).take((held.end - held.start) as usize).cloned().collect();
        let bar = &playing.bar;
        let (base, evaluations) = critical::evaluate(&scenario, target_index, &sets, strength, &pool, &|n| {
            bar.inc_length(n);
            bar.inc(n)
        });
        let sets = held
            .zip(evaluations)
            .map(|(index, e)| SetResult { index, summary: e.summary, unmet: e.unmet, shortage: e.shortage })
            .collect();
        let (runs, seed) = (scenario.simulation.runs, scenario.simulation.seed);
        let job = Job::Critical { target: target_id, k: k as u64, strength: strength_text.to_string() };
        let state = State::Sets { base, sets };
        return shard::finish(playing, Finished { job, name: &name, runs, seed, threads, state });
    }
    let out = common.out.clone().unwrap_or(default_dir);
    let staged = Staged::new(&out)?;
    let bar = progress(scenario.simulation.runs, common.quiet);
    bar.set_length(0);
    let result = critical::search(&scenario, target_index, k, strength, &pool, &|n| {
        bar.inc_length(n);
        bar.inc(n)
    });
    bar.finish_and_clear();
    check_interrupted()?;
    let c = Critical { scenario: &scenario, target: &target_id, strength, search: &result };
    pool.install(|| write_outputs(&c, staged.dir()))?;
    staged.publish()?;
    if !common.quiet {
        print(&format!("{}wrote {}\n", report::critical_table(&c), out.display()));
    }
    Ok(())
}

/// The index of the demand `--target` names (default: the first).
pub(super) fn target_index(scenario: &Scenario, target: Option<&str>) -> Result<usize> {
    let ids: Vec<&str> = scenario.demands.iter().map(|d| scenario.network.node(d.node).id.as_str()).collect();
    match target {
        None => Ok(0),
        Some(t) => Ok(ids.iter().position(|id| *id == t).ok_or_else(|| {
            UsageError(format!(
                "--target {t}: not a demand node of {} (demand nodes: {})",
                scenario.name,
                ids.join(", ")
            ))
        })?),
    }
}

/// Writes critical.csv, critical.toml and the charts into `dir`: the same for `critical` and
/// `merge`. The charts are drawn from the files just written, as `corridor plot` draws them.
pub(super) fn write_outputs(c: &Critical, dir: &Path) -> Result<()> {
    report::write_critical(c, &dir.join("critical.csv"))?;
    report::write_critical_meta(c, &dir.join("critical.toml"))?;
    charts::draw_critical_charts(&report::CriticalData::load(dir)?, &charts::Style::default(), dir, None)?;
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
