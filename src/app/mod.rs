//! The application layer behind the command line: one file per verb. Each loads its scenarios,
//! runs them, writes every output into a staging folder and publishes it only when all files
//! are written, so a failed run leaves an existing output folder as it was.

mod calibrate;
mod compare;
mod critical;
mod hindcast;
mod output;
pub mod plot;
mod report;
mod run;
mod sweep;

use crate::network::NetworkError;
use crate::scenario::{Scenario, ScenarioError, load_scenario};
use crate::sim::Model;
use anyhow::Result;
pub use calibrate::CalibrateArgs;
use std::io::Write;
use std::path::PathBuf;

/// What the command line asked for.
#[derive(Debug, Clone)]
pub enum Command {
    Run { scenario: PathBuf, common: Common },
    Validate { scenario: PathBuf },
    Compare { scenarios: Vec<PathBuf>, common: Common },
    Sweep { scenario: PathBuf, sets: Vec<String>, common: Common },
    Critical { scenario: PathBuf, target: Option<String>, k: usize, strength: String, common: Common },
    Hindcast { scenario: PathBuf, observations: PathBuf, common: Common },
    Calibrate { scenario: PathBuf, args: CalibrateArgs, common: Common },
    Plot { dir: PathBuf, request: plot::PlotRequest, quiet: bool },
    Report { dir: PathBuf, quiet: bool },
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
}

/// A usage problem found after parsing (such as an unusable `--out`).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// The exit code for an error: 2 for bad input or usage, 1 for anything else.
pub fn exit_code(err: &anyhow::Error) -> u8 {
    let input = err.chain().any(|e| {
        e.is::<ScenarioError>()
            || e.is::<NetworkError>()
            || e.is::<UsageError>()
            || e.is::<crate::report::OutputError>()
            || e.is::<crate::observations::ObservationError>()
    });
    if input { 2 } else { 1 }
}

pub fn execute(command: Command) -> Result<()> {
    match command {
        Command::Run { scenario, common } => run::run(&scenario, &common),
        Command::Validate { scenario } => {
            let s = load_scenario(&scenario)?;
            print(&validation_report(&s));
            Ok(())
        }
        Command::Compare { scenarios, common } => compare::compare(&scenarios, &common),
        Command::Sweep { scenario, sets, common } => sweep::sweep(&scenario, &sets, &common),
        Command::Plot { dir, request, quiet } => plot::plot(&dir, &request, quiet),
        Command::Report { dir, quiet } => report::report(&dir, quiet),
        Command::Calibrate { scenario, args, common } => calibrate::calibrate(&scenario, &args, &common),
        Command::Hindcast { scenario, observations, common } => hindcast::hindcast(&scenario, &observations, &common),
        Command::Critical { scenario, target, k, strength, common } => {
            critical::critical(&scenario, target.as_deref(), k, &strength, &common)
        }
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
