//! `corridor run`: one scenario, every table and chart. With `--precision`, runs stop at the
//! first wave after which every target holds; with `--shard`, the command plays its share of
//! the runs into a partial file instead (see `app::merge`).

use super::output::{Staged, check_interrupted, pool, progress};
use super::preflight::{check_memory, warn};
use super::shard::{self, Finished, Target};
use super::{Common, load, print};
use crate::memory;
use crate::precision::{Precision, Rule, WAVE_RUNS};
use crate::report::{self, OutputData, Results, RunsFormat, RunsWriter, charts};
use crate::scenario::Scenario;
use crate::shards::{Input, Job, State, Unit};
use crate::sim::{Batch, Model, Plan, simulate_all};
use crate::stats::Accumulator;
use anyhow::Result;
use std::path::Path;
use std::time::{Duration, Instant};

pub fn run(path: &Path, common: &Common) -> Result<()> {
    let scenario = load(path, common)?;
    let default_dir = Path::new("output").join(&scenario.name);
    if let Some(target) = shard::target(common, &default_dir)? {
        return run_shard(&scenario, common, target);
    }
    let rule = Rule::new(&common.precision, &[Model::new(&scenario).demand_ids])?;
    let (pool, threads) = pool(common.threads)?;
    let model = Model::new(&scenario);
    warn(&scenario, &model, common.checks)?;
    let play = memory::Play { workers: threads, quantiles: true, rows: !common.no_runs_csv };
    check_memory(&scenario, &[&model], play, common.checks)?;
    let out = common.out.clone().unwrap_or(default_dir);
    let staged = Staged::new(&out)?;
    let input = Input::read(&scenario)?;
    let (acc, precision, elapsed) = simulate_into(&scenario, &model, &rule, &pool, staged.dir(), common)?;
    pool.install(|| write_results(&scenario, &acc, &input, precision.clone(), staged.dir()))?;
    write_provenance(staged.dir(), threads, elapsed)?;
    if common.report {
        super::report::write_report(staged.dir(), staged.dir())?;
    }
    staged.publish()?;
    if !common.quiet {
        let secs = elapsed.as_secs_f64();
        let tail = format!(
            "{} runs in {:.2} s ({:.0} runs/s, {} threads); wrote {}",
            report::thousands(acc.runs()),
            secs,
            acc.runs() as f64 / secs.max(1e-9),
            threads,
            out.display()
        );
        print(&format!("{}{tail}\n", table(&scenario, &acc, precision.as_ref())));
    }
    Ok(())
}

/// Writes provenance.toml: how this folder was made (threads, date, time, command).
pub(super) fn write_provenance(dir: &Path, threads: usize, elapsed: Duration) -> Result<()> {
    let command: Vec<String> = std::env::args().collect();
    let provenance = report::Provenance {
        threads,
        date: report::now(),
        simulation_seconds: (elapsed.as_secs_f64() * 1000.0).round() / 1000.0,
        command: command.join(" "),
        shards: Vec::new(),
    };
    Ok(report::write_provenance(&provenance, &dir.join("provenance.toml"))?)
}

/// The summary table and the precision reached (with `--precision`).
pub(super) fn table(scenario: &Scenario, acc: &Accumulator, precision: Option<&Precision>) -> String {
    let results = Results { scenario, acc, seed: scenario.simulation.seed };
    let precision = precision.map(|p| p.describe(acc.runs())).unwrap_or_default();
    format!("{}\n{precision}", report::summary_table(&results).trim_end())
}

/// Plays the runs of `model` (compiled from `scenario`; until `rule` holds, if it has targets)
/// and writes runs.csv into `dir` (unless `--no-runs-csv`); returns the statistics, the
/// precision reached and the time taken.
pub(super) fn simulate_into(
    scenario: &Scenario,
    model: &Model,
    rule: &Rule,
    pool: &rayon::ThreadPool,
    dir: &Path,
    common: &Common,
) -> Result<(Accumulator, Option<Precision>, Duration)> {
    let runs = scenario.simulation.runs;
    let bar = progress(runs, common.quiet);
    let mut writer = if common.no_runs_csv { None } else { Some(RunsWriter::create(&dir.join("runs.csv"))?) };
    let format = RunsFormat::new(scenario);
    let start = Instant::now();
    let mut stop = |b: &Batch| rule.holds(b);
    let plan = if rule.is_empty() { Plan::from(runs) } else { Plan::until(0..runs, WAVE_RUNS, &mut stop) };
    let rows = writer.is_some();
    let batch = simulate_all(
        &[model],
        scenario.simulation.seed,
        plan,
        pool,
        true,
        |block| if rows { format.lines(block) } else { Vec::new() },
        |lines| writer.as_mut().map_or(Ok(()), |w| w.write(&lines)),
        |n| bar.inc(n),
    )?;
    let elapsed = start.elapsed();
    bar.finish_and_clear();
    check_interrupted()?;
    if let Some(w) = writer {
        w.finish()?;
    }
    let precision = (!rule.is_empty()).then(|| rule.record(&batch, runs));
    let acc = batch.accs.into_iter().next().unwrap_or_else(|| crate::sim::empty_batch(&[model], true).accs.remove(0));
    Ok((acc, precision, elapsed))
}

/// Writes every output of a run into `dir` but runs.csv and provenance.toml, from its
/// statistics and the files it was made from: the same for `run` and `merge`.
pub(super) fn write_results(
    scenario: &Scenario,
    acc: &Accumulator,
    input: &Input,
    precision: Option<Precision>,
    dir: &Path,
) -> Result<()> {
    let r = Results { scenario, acc, seed: scenario.simulation.seed };
    let (nodes, edges) = (input.nodes_csv.as_bytes(), input.edges_csv.as_bytes());
    let meta = report::Meta { precision, ..report::Meta::from_sources(&r, input.scenario.as_bytes(), nodes, edges) };
    report::write_tables(&r, &meta, dir)?;
    // The charts are drawn from the files just written, as `corridor plot` draws them.
    let data = OutputData::load(dir)?;
    charts::draw_run_charts(&data, &charts::Style::default(), dir, None)?;
    let copy = dir.join("scenario.toml");
    std::fs::write(&copy, &input.scenario).map_err(|e| anyhow::anyhow!("cannot write {}: {e}", copy.display()))?;
    Ok(())
}

/// Plays shard `target` of the runs into its partial file: the statistics of its runs and
/// their runs.csv rows, in run order.
fn run_shard(scenario: &Scenario, common: &Common, target: Target) -> Result<()> {
    let runs = scenario.simulation.runs;
    let model = Model::new(scenario);
    let (pool, threads) = pool(common.threads)?;
    warn(scenario, &model, common.checks)?;
    let play = memory::Play { workers: threads, quantiles: true, rows: false };
    check_memory(scenario, &[&model], play, common.checks)?;
    let scenarios = std::slice::from_ref(scenario);
    let mut playing = shard::start(target, scenarios, (Unit::Runs, runs), |n| n, common.quiet)?;
    let format = RunsFormat::new(scenario);
    let rows = !common.no_runs_csv;
    let (writer, bar) = (&mut playing.writer, &playing.bar);
    let batch = simulate_all(
        &[&model],
        scenario.simulation.seed,
        Plan::range(playing.held.clone()),
        &pool,
        true,
        |block| if rows { format.lines(block) } else { Vec::new() },
        |lines| writer.rows(&lines),
        |n| bar.inc(n),
    )?;
    let finished = Finished {
        job: Job::Run { runs_csv: rows, report: common.report },
        name: &scenario.name,
        runs,
        seed: scenario.simulation.seed,
        threads,
        state: State::Runs { accs: batch.accs, paired: batch.paired },
    };
    shard::finish(playing, finished)
}
