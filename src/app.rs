//! The application layer behind the command line: loads a scenario, runs it, writes every
//! output into a staging folder and moves the files into place only when all are written, so a
//! failed run leaves an existing output folder as it was.

use crate::network::NetworkError;
use crate::report::{self, Results, RunsFormat, RunsWriter, charts};
use crate::scenario::{Scenario, ScenarioError, load_scenario};
use crate::sim::{Model, simulate};
use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// What the command line asked for.
#[derive(Debug, Clone)]
pub enum Command {
    Run(RunOptions),
    Validate(PathBuf),
}

/// `corridor run` options; `None` keeps the scenario's value.
#[derive(Debug, Clone)]
pub struct RunOptions {
    pub scenario: PathBuf,
    pub runs: Option<u64>,
    pub seed: Option<u64>,
    pub threads: Option<usize>,
    pub out: Option<PathBuf>,
    pub quiet: bool,
}

/// A usage problem found after parsing (such as an unusable `--out`).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(String);

/// The exit code for an error: 2 for bad input or usage, 1 for anything else.
pub fn exit_code(err: &anyhow::Error) -> u8 {
    let input = err
        .chain()
        .any(|e| e.is::<ScenarioError>() || e.is::<NetworkError>() || e.is::<UsageError>());
    if input { 2 } else { 1 }
}

pub fn execute(command: Command) -> Result<()> {
    match command {
        Command::Run(opts) => run(&opts),
        Command::Validate(path) => {
            let s = load_scenario(&path)?;
            print(&validation_report(&s));
            Ok(())
        }
    }
}

/// Prints to stdout, ignoring a closed pipe (as when piped into `head`).
fn print(s: &str) {
    let _ = std::io::stdout().lock().write_all(s.as_bytes());
}

fn validation_report(s: &Scenario) -> String {
    let model = Model::new(s);
    format!(
        "ok: {} ({}): {} nodes, {} roads, {} demand nodes, {} supply streams ({} convoys per run, {} routes), {} blockades, {} days\n",
        s.name,
        s.path.display(),
        s.network.nodes().len(),
        s.network.edges().len(),
        s.demands.len(),
        s.supplies.len(),
        model.dispatch.convoys.len(),
        model.dispatch.routes.len(),
        s.blockades.len(),
        s.simulation.horizon_days,
    )
}

/// `corridor run`.
pub fn run(opts: &RunOptions) -> Result<()> {
    let mut scenario = load_scenario(&opts.scenario)?;
    if let Some(runs) = opts.runs {
        scenario.simulation.runs = runs;
    }
    if let Some(seed) = opts.seed {
        scenario.simulation.seed = seed;
    }
    let out = opts
        .out
        .clone()
        .unwrap_or_else(|| Path::new("output").join(&scenario.name));
    let staging = staging_dir(&out)?;
    let threads = opts
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .context("cannot start worker threads")?;

    let result = write_outputs(&scenario, &pool, &staging, opts.quiet);
    let (acc, elapsed) = match result {
        Ok(r) => r,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(e);
        }
    };
    publish(&staging, &out)?;
    if !opts.quiet {
        let results = Results {
            scenario: &scenario,
            acc: &acc,
            seed: scenario.simulation.seed,
        };
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

/// Simulates and writes every output file into `dir`; returns the statistics and the time the
/// simulation took.
fn write_outputs(
    scenario: &Scenario,
    pool: &rayon::ThreadPool,
    dir: &Path,
    quiet: bool,
) -> Result<(crate::stats::Accumulator, std::time::Duration)> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let runs = scenario.simulation.runs;
    let model = Model::new(scenario);
    let bar = if quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::with_draw_target(Some(runs), ProgressDrawTarget::stderr())
    };
    bar.set_style(
        ProgressStyle::with_template("{spinner} {bar:40} {human_pos}/{human_len} runs  {rate}  eta {eta}")
            .map(|s| {
                s.with_key("rate", |st: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                    let _ = write!(w, "{:.0} runs/s", st.per_sec());
                })
            })
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let mut writer = RunsWriter::create(&dir.join("runs.csv"))?;
    let format = RunsFormat::new(scenario);
    let start = Instant::now();
    let acc = simulate(
        &model,
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

    let r = Results {
        scenario,
        acc: &acc,
        seed: scenario.simulation.seed,
    };
    report::write_summary(&r, &dir.join("summary.csv"))?;
    report::write_daily(&r, &dir.join("daily.csv"))?;
    report::write_edges(&r, &dir.join("edges.csv"))?;
    report::write_blockades(&r, &dir.join("blockades.csv"))?;
    for (d, demand) in scenario.demands.iter().enumerate() {
        let id = &scenario.network.node(demand.node).id;
        charts::stock_fan(&r, d, &dir.join(format!("stock_{id}")))?;
    }
    charts::shortage_probability(&r, &dir.join("shortage_probability"))?;
    std::fs::copy(&scenario.path, dir.join("scenario.toml"))
        .with_context(|| format!("cannot copy {} into the outputs", scenario.path.display()))?;
    Ok((acc, elapsed))
}

/// A fresh staging folder beside `out`, on the same file system so files can be renamed.
fn staging_dir(out: &Path) -> Result<PathBuf> {
    if out.exists() && !out.is_dir() {
        return Err(UsageError(format!(
            "--out {}: exists and is not a folder",
            out.display()
        ))
        .into());
    }
    let abs = if out.exists() {
        out.canonicalize()
    } else {
        std::path::absolute(out)
    }
    .with_context(|| format!("cannot resolve {}", out.display()))?;
    let (Some(parent), Some(name)) = (abs.parent(), abs.file_name()) else {
        return Err(UsageError(format!(
            "--out {}: expected a folder with a name",
            out.display()
        ))
        .into());
    };
    std::fs::create_dir_all(parent)
        .with_context(|| format!("cannot create {}", parent.display()))?;
    let staging = parent.join(format!(".{}.corridor-partial", name.to_string_lossy()));
    if staging.exists() {
        std::fs::remove_dir_all(&staging)
            .with_context(|| format!("cannot clear {}", staging.display()))?;
    }
    Ok(staging)
}

/// Moves every file of `staging` into `out` (replacing files of the same name, leaving others)
/// and removes `staging`.
fn publish(staging: &Path, out: &Path) -> Result<()> {
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    let entries =
        std::fs::read_dir(staging).with_context(|| format!("cannot read {}", staging.display()))?;
    for entry in entries {
        let entry = entry.with_context(|| format!("cannot read {}", staging.display()))?;
        let to = out.join(entry.file_name());
        std::fs::rename(entry.path(), &to)
            .with_context(|| format!("cannot move results into {}", to.display()))?;
    }
    std::fs::remove_dir(staging).with_context(|| format!("cannot remove {}", staging.display()))
}
