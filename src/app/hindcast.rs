//! `corridor hindcast`: a scenario's run, scored against what was observed.

use super::output::{Staged, pool};
use super::preflight::{check_memory, warn};
use super::run::{simulate_into, write_provenance, write_results};
use super::{Common, load, print};
use crate::memory;
use crate::observations::{Quantity, SiteFilter, Target, load_observations};
use crate::precision::Rule;
use crate::report;
use crate::shards::Input;
use crate::sim::Model;
use anyhow::{Context, Result};
use std::path::Path;

pub fn hindcast(path: &Path, observations: &Path, common: &Common) -> Result<()> {
    let scenario = load(path, common)?;
    let targets = load_observations(observations, &scenario)?;
    let out = common.out.clone().unwrap_or_else(|| Path::new("output").join(format!("hindcast_{}", scenario.name)));
    let (pool, threads) = pool(common.threads)?;
    let horizon = scenario.simulation.horizon_days;
    let mut model = Model::new(&scenario);
    model.targets = targets.iter().cloned().chain(timeline(horizon)).collect();
    warn(&scenario, &model, common.checks)?;
    let play = memory::Play { workers: threads, quantiles: true, rows: !common.no_runs_csv };
    check_memory(&scenario, &[&model], play, common.checks)?;
    let staged = Staged::new(&out)?;
    let input = Input::read(&scenario)?;
    let (acc, _, elapsed) = simulate_into(&scenario, &model, &Rule::new(&[], &[])?, &pool, staged.dir(), common)?;
    pool.install(|| write_results(&scenario, &acc, &input, None, staged.dir()))?;
    let scores = acc.targets().map(|t| t.scores()).unwrap_or_default();
    let (observed, daily) = scores.split_at(targets.len().min(scores.len()));
    let dir = staged.dir();
    let calendar = scenario.simulation.calendar();
    report::write_hindcast(&targets, observed, calendar, &dir.join("hindcast.csv"))?;
    report::write_losses_daily(daily, calendar, acc.runs(), &dir.join("losses_daily.csv"))?;
    std::fs::copy(observations, dir.join("observations.csv"))
        .with_context(|| format!("cannot copy {} into the outputs", observations.display()))?;
    // The run's charts are drawn; the hindcast's own are drawn from the files just written.
    let data = report::OutputData::load(dir)?;
    let only: Vec<String> =
        report::charts::run_chart_stems(&data).into_iter().filter(|s| s.starts_with("hindcast_")).collect();
    pool.install(|| report::charts::draw_run_charts(&data, &report::charts::Style::default(), dir, Some(&only)))?;
    write_provenance(dir, threads, elapsed)?;
    staged.publish()?;
    if !common.quiet {
        let scored: Vec<report::ScoredTarget> =
            targets.iter().zip(observed).map(|(t, s)| report::ScoredTarget::new(t, s)).collect();
        let title = format!(
            "hindcast of {} against {}: {} runs, seed {}",
            scenario.name,
            observations.display(),
            report::thousands(acc.runs()),
            scenario.simulation.seed
        );
        print(&format!("{}wrote {}\n", report::hindcast_table(&title, &scored, calendar), out.display()));
    }
    Ok(())
}

/// Trucks lost everywhere from day 0 to the end of each day: the hindcast's losses over time.
fn timeline(horizon: u32) -> impl Iterator<Item = Target> {
    (0..horizon).map(|d| Target {
        name: format!("lost_by_day_{d}"),
        quantity: Quantity::TrucksLost,
        demand: None,
        node: String::new(),
        site: SiteFilter::Everywhere,
        site_name: String::new(),
        from: 0,
        to: d,
        has_from: true,
        has_to: true,
        low: 0.0,
        high: f64::INFINITY,
        source: String::new(),
        line: 0,
    })
}
