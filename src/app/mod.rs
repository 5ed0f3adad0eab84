//! The application layer behind the command line: one file per verb. Each loads its scenarios,
//! runs them, writes every output into a staging folder and publishes it only when all files
//! are written, so a failed run leaves an existing output folder as it was.

mod calibrate;
mod compare;
mod critical;
mod hindcast;
mod merge;
mod output;
pub mod plot;
mod preflight;
mod report;
mod run;
mod shard;
mod signals;
mod sweep;

use crate::memory;
use crate::network::NetworkError;
use crate::scenario::{Scenario, ScenarioError, load_scenario};
use crate::sim::Model;
use anyhow::Result;
pub use calibrate::CalibrateArgs;
use std::io::Write;
use std::path::PathBuf;

/// The line printed on stderr for an error: `error: …`, or `interrupted`.
pub fn error_line(err: &anyhow::Error) -> String {
    if err.is::<Interrupted>() { err.to_string() } else { format!("error: {err:#}") }
}

/// What the command line asked for.
#[derive(Debug, Clone)]
pub enum Command {
    Run { scenario: PathBuf, common: Common },
    Validate { scenario: PathBuf, checks: Checks },
    Compare { scenarios: Vec<PathBuf>, common: Common },
    Sweep { scenario: PathBuf, sets: Vec<String>, common: Common },
    Critical { scenario: PathBuf, target: Option<String>, k: usize, strength: String, common: Common },
    Hindcast { scenario: PathBuf, observations: PathBuf, common: Common },
    Calibrate { scenario: PathBuf, args: CalibrateArgs, common: Common },
    Plot { dir: PathBuf, request: plot::PlotRequest, quiet: bool },
    Report { dir: PathBuf, quiet: bool },
    Merge { partials: Vec<PathBuf>, out: Option<PathBuf>, quiet: bool },
}

/// Options every simulating verb takes; `None` keeps the scenario's value.
#[derive(Debug, Clone, Default)]
pub struct Common {
    pub runs: Option<u64>,
    pub seed: Option<u64>,
    pub threads: Option<usize>,
    pub out: Option<PathBuf>,
    pub quiet: bool,
    /// `run` only: also write report.html and report.md.
    pub report: bool,
    /// Play one shard of the work into a partial file (`--shard`), and the shard count for
    /// `--shard auto` with `JOB_COMPLETION_INDEX` (`--shards`).
    pub shard: Option<crate::shards::ShardSpec>,
    pub shards: Option<u64>,
    /// `run` and `compare`: targets of `--precision`.
    pub precision: Vec<String>,
    /// `run`: leave runs.csv out.
    pub no_runs_csv: bool,
    pub checks: Checks,
}

/// Limits and warnings: the memory a simulation may need (`None`: half the machine's), and
/// whether warnings about the scenario are errors.
#[derive(Debug, Clone, Copy, Default)]
pub struct Checks {
    pub max_memory: Option<u64>,
    pub deny_warnings: bool,
}

/// A usage problem found after parsing (such as an unusable `--out`).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// A signal (SIGINT, SIGTERM) stopped the verb; its staging folder is removed.
#[derive(Debug, thiserror::Error)]
#[error("interrupted")]
pub struct Interrupted(pub i32);

/// The exit code for an error: 128 + the signal for an interruption, 2 for bad input or usage,
/// 1 for anything else.
pub fn exit_code(err: &anyhow::Error) -> u8 {
    if let Some(Interrupted(signal)) = err.downcast_ref::<Interrupted>() {
        return u8::try_from(128 + signal).unwrap_or(1);
    }
    let input = err.chain().any(|e| {
        e.is::<ScenarioError>()
            || e.is::<NetworkError>()
            || e.is::<UsageError>()
            || e.is::<crate::report::OutputError>()
            || e.is::<crate::observations::ObservationError>()
            || e.is::<crate::shards::ShardError>()
            || e.is::<crate::precision::PrecisionError>()
    });
    if input { 2 } else { 1 }
}

pub fn execute(command: Command) -> Result<()> {
    match command {
        Command::Run { scenario, common } => run::run(&scenario, &common),
        Command::Validate { scenario, checks } => {
            let s = load_scenario(&scenario)?;
            let model = Model::new(&s);
            preflight::warn(&s, &model, checks)?;
            let threads = output::worker_count(None);
            let play = memory::Play { workers: threads, quantiles: true, rows: true };
            let footprint = preflight::check_memory(&s, &[&model], play, checks)?;
            print(&validation_report(&s, &model, &footprint, threads));
            Ok(())
        }
        Command::Compare { scenarios, common } => compare::compare(&scenarios, &common),
        Command::Sweep { scenario, sets, common } => sweep::sweep(&scenario, &sets, &common),
        Command::Plot { dir, request, quiet } => plot::plot(&dir, &request, quiet),
        Command::Report { dir, quiet } => report::report(&dir, quiet),
        Command::Calibrate { scenario, args, common } => calibrate::calibrate(&scenario, &args, &common),
        Command::Hindcast { scenario, observations, common } => {
            unsplit("hindcast", &common)?;
            hindcast::hindcast(&scenario, &observations, &common)
        }
        Command::Merge { partials, out, quiet } => merge::merge(&partials, out.as_deref(), quiet),
        Command::Critical { scenario, target, k, strength, common } => {
            critical::critical(&scenario, target.as_deref(), k, &strength, &common)
        }
    }
}

/// An error if `--shard` was given to a verb that cannot be split into shards: `hindcast`, one
/// scenario scored once, which a single machine plays in seconds (to split a verb, see
/// ARCHITECTURE.md, "A verb that can be split").
fn unsplit(verb: &str, common: &Common) -> Result<(), UsageError> {
    match common.shard {
        Some(_) => Err(UsageError(format!("--shard: {verb} cannot be split into shards; run it on one machine"))),
        None => Ok(()),
    }
}

/// Prints to stdout, ignoring a closed pipe (as when piped into `head`).
fn print(s: &str) {
    let _ = std::io::stdout().lock().write_all(s.as_bytes());
}

/// Loads a scenario and applies `--runs` and `--seed`.
fn load(path: &std::path::Path, common: &Common) -> Result<Scenario> {
    let mut s = load_scenario(path)?;
    if let Some(runs) = common.runs {
        s.simulation.runs = runs;
    }
    if let Some(seed) = common.seed {
        s.simulation.seed = seed;
    }
    Ok(s)
}

fn validation_report(s: &Scenario, model: &Model, footprint: &memory::Footprint, threads: usize) -> String {
    format!(
        "ok: {} ({}): {} nodes, {} roads, {} demand nodes, {} supply streams ({} convoys per run, {} routes), {} blockades, {} days; `run` needs about {} of memory with {} threads\n",
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
        memory::show_bytes(footprint.bytes),
        threads,
    )
}
