//! The shard side of a job split with `--shard`: which shard this process plays, where its
//! partial file goes, and what the file says about the job. Each simulating verb plays its
//! share and hands its state to [`finish`].

use super::output::progress;
use super::{Common, UsageError, print};
use crate::report::thousands;
use crate::scenario::Scenario;
use crate::shards::{Input, Job, Made, PartialHeader, PartialWriter, Shard, ShardSpec, State, Unit, from_environment};
use anyhow::Result;
use indicatif::ProgressBar;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// A shard to play and where its partial file goes.
pub struct Target {
    pub shard: Shard,
    pub path: PathBuf,
}

/// The shard `--shard` asks for (`None` without it); `default_dir` is the folder the unsplit
/// command would write, where the partial goes unless `--out` names it.
pub fn target(common: &Common, default_dir: &Path) -> Result<Option<Target>> {
    let Some(spec) = common.shard else {
        return Ok(None);
    };
    if !common.precision.is_empty() {
        return Err(UsageError(
            "--precision cannot be combined with --shard: where the runs stop depends on every run before; \
             find the runs needed with --precision on one machine, then split that many with --runs"
                .into(),
        )
        .into());
    }
    let shard = match spec {
        ShardSpec::Fixed(shard) => {
            if let Some(n) = common.shards {
                return Err(UsageError(format!(
                    "--shards {n} goes with --shard auto (--shard {shard} names its count)"
                ))
                .into());
            }
            shard
        }
        ShardSpec::Auto => from_environment(|k| std::env::var(k).ok(), common.shards)?,
    };
    let path = common.out.clone().unwrap_or_else(|| default_dir.join(shard.file_name()));
    if path.is_dir() {
        return Err(UsageError(format!(
            "--out {}: is a folder; with --shard, --out names the partial file (default {})",
            path.display(),
            default_dir.join(shard.file_name()).display()
        ))
        .into());
    }
    Ok(Some(Target { shard, path }))
}

/// A shard being played: its partial file is open, its clock running.
pub struct Playing {
    pub target: Target,
    pub writer: PartialWriter,
    pub held: Range<u64>,
    pub bar: ProgressBar,
    start: Instant,
    inputs: Vec<Input>,
    unit: Unit,
    total: u64,
    quiet: bool,
}

/// Starts shard `target` of a job of `total` items of `unit` on `scenarios` (whose files it
/// reads now, as they are simulated): creates its folder and opens the partial file, only
/// after every check of the command line passed. The progress bar counts `bar_len(items)`.
pub fn start(
    target: Target,
    scenarios: &[Scenario],
    (unit, total): (Unit, u64),
    bar_len: impl Fn(u64) -> u64,
    quiet: bool,
) -> Result<Playing> {
    let inputs = scenarios.iter().map(Input::read).collect::<Result<_, _>>()?;
    if let Some(parent) = target.path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| anyhow::anyhow!("cannot create {}: {e}", parent.display()))?;
    }
    let writer = PartialWriter::create(&target.path)?;
    let held = target.shard.range(total);
    let bar = progress(bar_len(held.end - held.start), quiet);
    Ok(Playing { target, writer, held, bar, start: Instant::now(), inputs, unit, total, quiet })
}

/// What a finished shard records about its job.
pub struct Finished<'a> {
    pub job: Job,
    pub name: &'a str,
    pub runs: u64,
    pub seed: u64,
    pub threads: usize,
    pub state: State,
}

/// Writes the header and state of a played shard and moves its file into place.
pub fn finish(p: Playing, f: Finished) -> Result<()> {
    let seconds = p.start.elapsed().as_secs_f64();
    p.bar.finish_and_clear();
    let command: Vec<String> = std::env::args().collect();
    let header = PartialHeader {
        corridor_version: env!("CARGO_PKG_VERSION").to_string(),
        job: f.job,
        name: f.name.to_string(),
        seed: f.seed,
        runs: f.runs,
        shard: p.target.shard,
        unit: p.unit,
        total: p.total,
        held: p.held.clone(),
        inputs: p.inputs,
        made: Made {
            threads: f.threads as u64,
            date: crate::report::now(),
            simulation_seconds: (seconds * 1000.0).round() / 1000.0,
            command: command.join(" "),
        },
    };
    p.writer.finish(&header, &f.state)?;
    if !p.quiet {
        let held = crate::shards::held(p.unit, &p.held);
        print(&format!(
            "{}: shard {} holds {held} of {}, in {seconds:.2} s ({} threads); wrote {}\n",
            f.name,
            p.target.shard,
            thousands(p.total),
            f.threads,
            p.target.path.display()
        ));
    }
    Ok(())
}
