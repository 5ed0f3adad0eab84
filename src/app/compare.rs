//! `corridor compare`: several scenarios with common random numbers, read against the first.
//! With `--precision`, runs stop once the differences are as precise as asked; with
//! `--shard`, the command plays its share of the runs into a partial file.

use super::output::{Staged, check_interrupted, pool, progress};
use super::preflight::{check_memory, warn};
use super::shard::{self, Finished, Target};
use super::{Common, UsageError, load, print};
use crate::memory;
use crate::precision::{Precision, Rule, WAVE_RUNS};
use crate::report::{self, Comparison, charts};
use crate::scenario::Scenario;
use crate::shards::{Job, State, Unit};
use crate::sim::{Batch, Model, Plan, simulate_summaries};
use anyhow::Result;
use std::path::{Path, PathBuf};

pub fn compare(paths: &[PathBuf], common: &Common) -> Result<()> {
    if paths.len() < 2 {
        return Err(UsageError("compare needs at least two scenario files".into()).into());
    }
    let scenarios = paths.iter().map(|p| load(p, common)).collect::<Result<Vec<_>>>()?;
    // The first scenario's runs and seed apply to all, unless given on the command line.
    let runs = scenarios[0].simulation.runs;
    let seed = scenarios[0].simulation.seed;
    let name = default_name(&scenarios);
    let default_dir = Path::new("output").join(&name);
    let (pool, threads) = pool(common.threads)?;
    let models: Vec<Model> = scenarios.iter().map(Model::new).collect();
    let refs: Vec<&Model> = models.iter().collect();
    for (s, m) in scenarios.iter().zip(&models) {
        warn(s, m, common.checks)?;
    }
    let play = memory::Play { workers: threads, quantiles: false, rows: false };
    check_memory(&scenarios[0], &refs, play, common.checks)?;
    if let Some(target) = shard::target(common, &default_dir)? {
        return compare_shard(&scenarios, &refs, &name, common, target);
    }
    let demands: Vec<Vec<String>> = models.iter().map(|m| m.demand_ids.clone()).collect();
    let rule = Rule::new(&common.precision, &demands)?;
    let out = common.out.clone().unwrap_or(default_dir);
    let staged = Staged::new(&out)?;
    let bar = progress(runs, common.quiet);
    let mut stop = |b: &Batch| rule.holds(b);
    let plan = if rule.is_empty() { Plan::from(runs) } else { Plan::until(0..runs, WAVE_RUNS, &mut stop) };
    let batch = simulate_summaries(&refs, seed, plan, &pool, |n| bar.inc(n));
    bar.finish_and_clear();
    check_interrupted()?;
    let precision = (!rule.is_empty()).then(|| rule.record(&batch, runs));
    pool.install(|| write_outputs(&scenarios, &batch, precision.as_ref(), staged.dir()))?;
    staged.publish()?;
    if !common.quiet {
        print(&format!("{}wrote {}\n", table(&scenarios, &batch, precision.as_ref()), out.display()));
    }
    Ok(())
}

/// Writes comparison.csv, comparison_daily.csv, compare.toml and the charts into `dir`: the
/// same for `compare` and `merge`.
pub(super) fn write_outputs(
    scenarios: &[Scenario],
    batch: &Batch,
    precision: Option<&Precision>,
    dir: &Path,
) -> Result<()> {
    let c = Comparison { scenarios, batch, seed: scenarios[0].simulation.seed, precision };
    report::write_comparison(&c, &dir.join("comparison.csv"))?;
    report::write_comparison_daily(&c, &dir.join("comparison_daily.csv"))?;
    report::write_compare_meta(&c, &dir.join("compare.toml"))?;
    // The charts are drawn from the files just written, as `corridor plot` draws them.
    let data = report::CompareData::load(dir)?;
    charts::draw_compare_charts(&data, &charts::Style::default(), dir, None)?;
    Ok(())
}

/// The table on stdout and the precision reached (with `--precision`).
pub(super) fn table(scenarios: &[Scenario], batch: &Batch, precision: Option<&Precision>) -> String {
    let c = Comparison { scenarios, batch, seed: scenarios[0].simulation.seed, precision };
    let precision = precision.map(|p| p.describe(c.runs())).unwrap_or_default();
    format!("{}{precision}", report::comparison_table(&c))
}

/// Plays shard `target` of the runs of every scenario into its partial file.
fn compare_shard(scenarios: &[Scenario], models: &[&Model], name: &str, common: &Common, target: Target) -> Result<()> {
    let (runs, seed) = (scenarios[0].simulation.runs, scenarios[0].simulation.seed);
    let (pool, threads) = pool(common.threads)?;
    let playing = shard::start(target, scenarios, (Unit::Runs, runs), |n| n, common.quiet)?;
    let batch = simulate_summaries(models, seed, Plan::range(playing.held.clone()), &pool, |n| playing.bar.inc(n));
    let state = State::Runs { accs: batch.accs, paired: batch.paired };
    shard::finish(playing, Finished { job: Job::Compare, name, runs, seed, threads, state })
}

/// `compare_<first>_<second>` (and `_and_<n>_more`).
fn default_name(scenarios: &[crate::scenario::Scenario]) -> String {
    let mut name = format!("compare_{}_{}", scenarios[0].name, scenarios[1].name);
    if scenarios.len() > 2 {
        name.push_str(&format!("_and_{}_more", scenarios.len() - 2));
    }
    name
}
