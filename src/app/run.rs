//! `corridor run`: one scenario, every table and chart.

use super::output::{Staged, pool, progress};
use super::{Common, load, print};
use crate::report::{self, OutputData, Results, RunsFormat, RunsWriter, charts};
use crate::scenario::Scenario;
use crate::sim::{Model, simulate};
use crate::stats::Accumulator;
use anyhow::{Context, Result};
use std::path::Path;
use std::time::{Duration, Instant};

pub fn run(path: &Path, common: &Common) -> Result<()> {
    let scenario = load(path, common)?;
    let out = common.out.clone().unwrap_or_else(|| Path::new("output").join(&scenario.name));
    let staged = Staged::new(&out)?;
    let (pool, threads) = pool(common.threads)?;
    let model = Model::new(&scenario);
    let (acc, elapsed) = write_outputs(&scenario, &model, &pool, staged.dir(), common.quiet)?;
    write_provenance(staged.dir(), threads, elapsed)?;
    if common.report {
        super::report::write_report(staged.dir(), staged.dir())?;
    }
    staged.publish()?;
    if !common.quiet {
        let results = Results { scenario: &scenario, acc: &acc, seed: scenario.simulation.seed };
        let secs = elapsed.as_secs_f64();
        print(&format!(
            "{}\n{} runs in {:.2} s ({:.0} runs/s, {} threads); wrote {}\n",
            report::summary_table(&results).trim_end(),
            report::thousands(acc.runs()),
            secs,
            acc.runs() as f64 / secs.max(1e-9),
            threads,
            out.display()
        ));
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
    };
    Ok(report::write_provenance(&provenance, &dir.join("provenance.toml"))?)
}

/// Simulates `model` (compiled from `scenario`) and writes every output file of a run into
/// `dir`; returns the statistics and the time the simulation took.
pub(super) fn write_outputs(
    scenario: &Scenario,
    model: &Model,
    pool: &rayon::ThreadPool,
    dir: &Path,
    quiet: bool,
) -> Result<(Accumulator, Duration)> {
    let runs = scenario.simulation.runs;
    let bar = progress(runs, quiet);
    let mut writer = RunsWriter::create(&dir.join("runs.csv"))?;
    let format = RunsFormat::new(scenario);
    let start = Instant::now();
    let acc = simulate(
        model,
        scenario.simulation.seed,
        runs,
        pool,
        |rows| format.lines(rows),
        |lines| writer.write(&lines),
        |n| bar.inc(n),
    )?;
    let elapsed = start.elapsed();
    bar.finish_and_clear();
    writer.finish()?;

    let r = Results { scenario, acc: &acc, seed: scenario.simulation.seed };
    report::write_summary(&r, &dir.join("summary.csv"))?;
    report::write_daily(&r, &dir.join("daily.csv"))?;
    report::write_edges(&r, &dir.join("edges.csv"))?;
    report::write_blockades(&r, &dir.join("blockades.csv"))?;
    report::write_meta(&report::Meta::of(&r)?, &dir.join("meta.toml"))?;
    report::write_geojson(&r, &dir.join("network.geojson"))?;
    if !scenario.attackers.is_empty() {
        report::write_attackers(&r, &dir.join("attackers.csv"))?;
    }
    // The charts are drawn from the files just written, as `corridor plot` draws them.
    let data = OutputData::load(dir)?;
    charts::draw_run_charts(&data, &charts::Style::default(), dir, None)?;
    std::fs::copy(&scenario.path, dir.join("scenario.toml"))
        .with_context(|| format!("cannot copy {} into the outputs", scenario.path.display()))?;
    Ok((acc, elapsed))
}
