//! What every simulating verb checks before it allocates or writes anything: the scenario's
//! warnings (printed on stderr; errors with `--deny-warnings`) and the memory the simulation
//! will need, against `--max-memory`.

use super::Checks;
use crate::memory::{Driver, Footprint, Play, footprint, show_bytes};
use crate::scenario::{Scenario, Step, error_at_key};
use crate::sim::Model;
use crate::warnings::{KeyStep, Warning, warnings};
use anyhow::Result;

/// Prints the warnings about `scenario` on stderr as `warning: file:line:column: key: …`; with
/// `--deny-warnings`, the first is returned as an error (exit 2).
pub fn warn(scenario: &Scenario, model: &Model, checks: Checks) -> Result<()> {
    let list = warnings(scenario, model);
    if let (Some(w), true) = (list.first(), checks.deny_warnings) {
        let more = match list.len() - 1 {
            0 => String::new(),
            n => format!(" and {n} more"),
        };
        return Err(as_error(scenario, w, format!(" (a warning{more}; an error with --deny-warnings)")).into());
    }
    for w in &list {
        let line = as_error(scenario, w, String::new()).to_string();
        eprintln!("warning: {}", line.lines().next().unwrap_or_default());
    }
    Ok(())
}

fn as_error(s: &Scenario, w: &Warning, suffix: String) -> crate::scenario::ScenarioError {
    let keys: Vec<Step> = w
        .keys
        .iter()
        .map(|k| match k {
            KeyStep::Key(k) => Step::Key(k),
            KeyStep::Index(i) => Step::Index(*i),
        })
        .collect();
    error_at_key(&s.path, &keys, &w.field, format!("{}{suffix}", w.message))
}

/// The estimate of what playing `models` needs; an error (exit 2) naming the key that drives
/// it when it exceeds the limit.
pub fn check_memory(scenario: &Scenario, models: &[&Model], play: Play, checks: Checks) -> Result<Footprint> {
    let f = footprint(models, play);
    let limit = checks.max_memory.unwrap_or_else(crate::memory::default_limit);
    if f.bytes <= limit {
        return Ok(f);
    }
    let s = scenario;
    let parts: Vec<String> = f.parts.iter().take(3).map(|p| format!("{} {}", show_bytes(p.bytes), p.what)).collect();
    let need = format!(
        "need about {} with {} threads ({}); the limit is {} (--max-memory)",
        show_bytes(f.bytes),
        play.workers,
        parts.join(", "),
        show_bytes(limit)
    );
    let driver = f.parts.first().map_or(Driver::Horizon, |p| p.driver.clone());
    let err = match driver {
        Driver::Attacker(a) if a < s.attackers.len() => {
            let attacker = &s.attackers[a];
            let periods = attacker.periods(s.simulation.horizon());
            let msg = format!(
                "{periods} periods of {} days × {} candidates {need}: lengthen period_days, or use fewer --threads",
                attacker.period_days,
                attacker.candidates.len()
            );
            let keys = [Step::Key("attacker"), Step::Index(a), Step::Key("period_days")];
            error_at_key(&s.path, &keys, &format!("attacker.{}.period_days", attacker.name), msg)
        }
        Driver::Convoys(i) if i < s.supplies.len() => {
            let convoys = models.first().map_or(0, |m| m.dispatch.convoys.len());
            let msg = format!("{convoys} convoys per run {need}: dispatch fewer convoys, or use fewer --threads");
            let keys = [Step::Key("supply"), Step::Index(i), Step::Key("convoys_per_day")];
            error_at_key(&s.path, &keys, &format!("supply.{}.convoys_per_day", s.supplies[i].name), msg)
        }
        _ => {
            let msg = format!(
                "{} days × {} demand nodes and {} roads {need}: shorten the horizon, or use fewer --threads",
                s.simulation.horizon_days,
                s.demands.len(),
                s.network.edges().len()
            );
            let keys = [Step::Key("simulation"), Step::Key("horizon_days")];
            error_at_key(&s.path, &keys, "simulation.horizon_days", msg)
        }
    };
    Err(err.into())
}
