//! What every verb needs around a simulation: a thread pool, a progress bar, and an output
//! folder that is written in a staging folder and published only when complete.

use super::UsageError;
use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::path::{Path, PathBuf};

/// A thread pool of `threads` workers (default: one per core), and its size.
pub fn pool(threads: Option<usize>) -> Result<(rayon::ThreadPool, usize)> {
    let threads = threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().context("cannot start worker threads")?;
    Ok((pool, threads))
}

/// A progress bar over `runs` runs on stderr; hidden when `quiet` or when stderr is not a
/// terminal.
pub fn progress(runs: u64, quiet: bool) -> ProgressBar {
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
    bar
}

/// An error unless `dir` is a folder (for the verbs that read an output folder).
pub fn require_folder(dir: &Path) -> Result<()> {
    if dir.is_dir() {
        Ok(())
    } else {
        Err(UsageError(format!("{}: not a folder (expected a folder written by `corridor run`)", dir.display())).into())
    }
}

/// An output folder being written: files go to a staging folder beside it and are moved in by
/// [`Staged::publish`]; dropped unpublished, the staging folder is removed and `out` is left as
/// it was.
pub struct Staged {
    staging: PathBuf,
    out: PathBuf,
    published: bool,
}

impl Staged {
    pub fn new(out: &Path) -> Result<Staged> {
        if out.exists() && !out.is_dir() {
            return Err(UsageError(format!("--out {}: exists and is not a folder", out.display())).into());
        }
        let abs = if out.exists() { out.canonicalize() } else { std::path::absolute(out) }
            .with_context(|| format!("cannot resolve {}", out.display()))?;
        let (Some(parent), Some(name)) = (abs.parent(), abs.file_name()) else {
            return Err(UsageError(format!("--out {}: expected a folder with a name", out.display())).into());
        };
        std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
        let staging = parent.join(format!(".{}.corridor-partial", name.to_string_lossy()));
        if staging.exists() {
            std::fs::remove_dir_all(&staging).with_context(|| format!("cannot clear {}", staging.display()))?;
        }
        std::fs::create_dir_all(&staging).with_context(|| format!("cannot create {}", staging.display()))?;
        Ok(Staged { staging, out: out.to_path_buf(), published: false })
    }

    /// Where to write the files.
    pub fn dir(&self) -> &Path {
        &self.staging
    }

    /// Moves every file into the output folder (replacing files of the same name, leaving
    /// others) and removes the staging folder.
    pub fn publish(mut self) -> Result<()> {
        let out = &self.out;
        std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
        let entries =
            std::fs::read_dir(&self.staging).with_context(|| format!("cannot read {}", self.staging.display()))?;
        for entry in entries {
            let entry = entry.with_context(|| format!("cannot read {}", self.staging.display()))?;
            let to = out.join(entry.file_name());
            std::fs::rename(entry.path(), &to).with_context(|| format!("cannot move results into {}", to.display()))?;
        }
        self.published = true;
        std::fs::remove_dir(&self.staging).with_context(|| format!("cannot remove {}", self.staging.display()))
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.published {
            let _ = std::fs::remove_dir_all(&self.staging);
        }
    }
}
