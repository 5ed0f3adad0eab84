//! What every verb needs around a simulation: a thread pool, a progress bar, and an output
//! folder that is replaced whole or not at all.
//!
//! A verb writes into a staging folder of its own beside the target (`.NAME.corridor-staging-PID`)
//! and, when every file is written, swaps it with the target in one rename (Linux
//! `renameat2(RENAME_EXCHANGE)`), so that at every instant the target is the complete old
//! folder or the complete new one; the old one is removed after. An advisory lock on
//! `.NAME.corridor-lock` in the parent folder keeps a second process out of the same target
//! (it fails at once, exit 1). Staging folders left by a killed process are removed by the
//! next verb that takes the lock.

use super::{Interrupted, UsageError, signals};
use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

/// A thread pool of `threads` workers (default: one per core), and its size.
pub fn pool(threads: Option<usize>) -> Result<(rayon::ThreadPool, usize)> {
    let threads = worker_count(threads);
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().context("cannot start worker threads")?;
    Ok((pool, threads))
}

/// The worker threads asked for, or one per core.
pub fn worker_count(threads: Option<usize>) -> usize {
    threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
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

/// An error if a signal asked the process to stop (statistics computed since are partial).
pub fn check_interrupted() -> Result<()> {
    match crate::cancel::requested() {
        Some(signal) => Err(Interrupted(signal).into()),
        None => Ok(()),
    }
}

/// Another process holds the lock of the same output folder.
#[derive(Debug, thiserror::Error)]
#[error(
    "{}: another corridor is writing this folder (it holds {}); wait for it to finish or choose another --out",
    out.display(),
    lock.display()
)]
pub struct Busy {
    pub out: PathBuf,
    pub lock: PathBuf,
}

/// An output folder being written: files go to [`Staged::dir`], a staging folder beside the
/// target, and [`Staged::publish`] swaps it in. Dropped unpublished (an error, a signal), the
/// staging folder is removed and the target is left as it was.
pub struct Staged {
    staging: PathBuf,
    /// The target, absolute (symbolic links resolved).
    target: PathBuf,
    /// Keep the target's files that this verb does not write (`plot`, `report`).
    keep_others: bool,
    /// Held (flock) while the verb writes; removed, still held, when it is done.
    lock: File,
    lock_path: PathBuf,
    published: bool,
}

/// The hidden names beside a target folder `name`: lock file, and prefixes of staging and
/// old folders.
struct Names {
    lock: String,
    staging: String,
    old: String,
    /// The staging folder of corridor 0.1 before this scheme.
    legacy: String,
}

impl Names {
    fn of(name: &str) -> Names {
        Names {
            lock: format!(".{name}.corridor-lock"),
            staging: format!(".{name}.corridor-staging-"),
            old: format!(".{name}.corridor-old-"),
            legacy: format!(".{name}.corridor-partial"),
        }
    }

    /// Whether an entry of the parent folder is a leftover of an earlier process.
    fn is_leftover(&self, entry: &str) -> bool {
        entry.starts_with(&self.staging) || entry.starts_with(&self.old) || entry == self.legacy
    }
}

impl Staged {
    /// A new output folder: when published it replaces `out` whole (files of an earlier run
    /// that this one does not write are gone).
    pub fn new(out: &Path) -> Result<Staged> {
        Staged::open(out, false)
    }

    /// New files for the existing folder `out`: when published, `out` holds them and every
    /// other file it held.
    pub fn update(out: &Path) -> Result<Staged> {
        Staged::open(out, true)
    }

    fn open(out: &Path, keep_others: bool) -> Result<Staged> {
        if let Some(file) = out.ancestors().find(|a| !a.as_os_str().is_empty() && a.exists() && !a.is_dir()) {
            let msg = format!("--out {}: {} exists and is not a folder", out.display(), file.display());
            return Err(UsageError(msg).into());
        }
        let target = if out.exists() { out.canonicalize() } else { std::path::absolute(out) }
            .with_context(|| format!("cannot resolve {}", out.display()))?;
        let (Some(parent), Some(name)) = (target.parent(), target.file_name()) else {
            return Err(UsageError(format!("--out {}: expected a folder with a name", out.display())).into());
        };
        let names = Names::of(&name.to_string_lossy());
        std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
        let lock_path = parent.join(&names.lock);
        let lock = take_lock(&lock_path).map_err(|e| match e {
            Lock::Busy => Busy { out: out.to_path_buf(), lock: lock_path.clone() }.into(),
            Lock::Io(e) => anyhow::Error::new(e).context(format!("cannot lock {}", lock_path.display())),
        })?;
        // With the lock held, no other process uses these: they are left by a killed one.
        let entries = std::fs::read_dir(parent).with_context(|| format!("cannot read {}", parent.display()))?;
        for entry in entries.flatten() {
            if names.is_leftover(&entry.file_name().to_string_lossy()) {
                let path = entry.path();
                std::fs::remove_dir_all(&path)
                    .with_context(|| format!("cannot remove {} (left by an interrupted run)", path.display()))?;
            }
        }
        let staging = parent.join(format!("{}{}", names.staging, std::process::id()));
        // Registered first, so that a signal never leaves it behind.
        signals::register(&staging);
        if let Err(e) = std::fs::create_dir(&staging) {
            signals::unregister(&mut signals::open_folders(), &staging);
            return Err(e).with_context(|| format!("cannot create {}", staging.display()));
        }
        Ok(Staged { staging, target, keep_others, lock, lock_path, published: false })
    }

    /// Where to write the files.
    pub fn dir(&self) -> &Path {
        &self.staging
    }

    /// Puts the staging folder in the target's place (with the target's other files first,
    /// for [`Staged::update`]) and removes the old folder.
    pub fn publish(mut self) -> Result<()> {
        check_interrupted()?;
        if self.keep_others && self.target.is_dir() {
            carry_over(&self.target, &self.staging)?;
        }
        let old = {
            let mut open = signals::open_folders();
            let old = swap(&self.staging, &self.target, &Exchange::System)
                .with_context(|| format!("cannot move the results into {}", self.target.display()))?;
            signals::unregister(&mut open, &self.staging);
            self.published = true;
            old
        };
        if let Some(old) = old {
            // A failure here leaves a hidden folder that the next run into the target removes.
            let _ = std::fs::remove_dir_all(old);
        }
        Ok(())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.published {
            let mut open = signals::open_folders();
            let _ = std::fs::remove_dir_all(&self.staging);
            signals::unregister(&mut open, &self.staging);
        }
        // Removed while held: a process that opened it meanwhile finds it gone and starts over
        // (`take_lock`); the lock itself goes when the file is closed.
        let _ = std::fs::remove_file(&self.lock_path);
        let _ = self.lock.unlock();
    }
}

#[derive(Debug)]
enum Lock {
    Busy,
    Io(io::Error),
}

/// Takes the advisory lock on the file at `path` (created if need be), at once or not at all.
/// The file is removed by its holder when done, so a lock is good only if the path still
/// names the file locked; otherwise it is taken again on the new file.
fn take_lock(path: &Path) -> Result<File, Lock> {
    loop {
        let file = File::options().create(true).truncate(false).write(true).open(path).map_err(Lock::Io)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => return Err(Lock::Busy),
            Err(std::fs::TryLockError::Error(e)) => return Err(Lock::Io(e)),
        }
        if same_file(&file, path) {
            return Ok(file);
        }
    }
}

#[cfg(unix)]
fn same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_: &File, _: &Path) -> bool {
    true
}

/// Links (or, across devices, copies) every entry of `from` that `into` does not have.
fn carry_over(from: &Path, into: &Path) -> Result<()> {
    let entries = std::fs::read_dir(from).with_context(|| format!("cannot read {}", from.display()))?;
    for entry in entries {
        let entry = entry.with_context(|| format!("cannot read {}", from.display()))?;
        let to = into.join(entry.file_name());
        if to.symlink_metadata().is_ok() {
            continue;
        }
        let path = entry.path();
        let kind = entry.file_type().with_context(|| format!("cannot read {}", path.display()))?;
        let done = if kind.is_dir() {
            std::fs::create_dir(&to).map_err(anyhow::Error::from).and_then(|()| carry_over(&path, &to))
        } else if kind.is_symlink() {
            std::fs::read_link(&path).and_then(|t| symlink(&t, &to)).map_err(Into::into)
        } else {
            std::fs::hard_link(&path, &to).or_else(|_| std::fs::copy(&path, &to).map(|_| ())).map_err(Into::into)
        };
        done.with_context(|| format!("cannot keep {} in the new folder", path.display()))?;
    }
    Ok(())
}

#[cfg(unix)]
fn symlink(target: &Path, link: &Path) -> io::Result<()> {
    std::os::unix::fs::symlink(target, link)
}

#[cfg(not(unix))]
fn symlink(target: &Path, link: &Path) -> io::Result<()> {
    std::fs::copy(target, link).map(|_| ())
}

/// The renames a swap uses; tests replace them to make them fail.
enum Exchange {
    System,
    #[cfg(test)]
    Failing {
        exchange: io::ErrorKind,
        rename_nth: Option<usize>,
        calls: std::cell::Cell<usize>,
    },
}

impl Exchange {
    /// Swaps two existing paths atomically; `Unsupported` where the system cannot.
    fn exchange(&self, a: &Path, b: &Path) -> io::Result<()> {
        match self {
            Exchange::System => exchange(a, b),
            #[cfg(test)]
            Exchange::Failing { exchange, .. } => Err(io::Error::from(*exchange)),
        }
    }

    fn rename(&self, from: &Path, to: &Path) -> io::Result<()> {
        match self {
            Exchange::System => std::fs::rename(from, to),
            #[cfg(test)]
            Exchange::Failing { rename_nth, calls, .. } => {
                let n = calls.get();
                calls.set(n + 1);
                if *rename_nth == Some(n) {
                    Err(io::Error::other("injected failure"))
                } else {
                    std::fs::rename(from, to)
                }
            }
        }
    }
}

/// Puts `staging` in `target`'s place; returns where the old target now is (to be removed),
/// if there was one. On an error the target is as it was.
fn swap(staging: &Path, target: &Path, ops: &Exchange) -> io::Result<Option<PathBuf>> {
    if target.symlink_metadata().is_err() {
        ops.rename(staging, target)?;
        return Ok(None);
    }
    match ops.exchange(staging, target) {
        Ok(()) => return Ok(Some(staging.to_path_buf())),
        Err(e) if e.kind() != io::ErrorKind::Unsupported => return Err(e),
        Err(_) => {}
    }
    // Without an atomic exchange: two renames, the target briefly absent, never mixed.
    let name = staging.file_name().map(|n| n.to_string_lossy().replace("corridor-staging-", "corridor-old-"));
    let old = staging.with_file_name(name.unwrap_or_else(|| "corridor-old".into()));
    ops.rename(target, &old)?;
    if let Err(e) = ops.rename(staging, target) {
        ops.rename(&old, target)?;
        return Err(e);
    }
    Ok(Some(old))
}

/// Swaps two paths atomically (Linux `renameat2` with `RENAME_EXCHANGE`).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| CString::new(p.as_os_str().as_bytes()).map_err(|_| io::Error::from(io::ErrorKind::InvalidInput));
    let (a, b) = (c(a)?, c(b)?);
    // SAFETY: both are valid NUL-terminated paths that outlive the call.
    let r = unsafe { libc::renameat2(libc::AT_FDCWD, a.as_ptr(), libc::AT_FDCWD, b.as_ptr(), libc::RENAME_EXCHANGE) };
    if r == 0 {
        return Ok(());
    }
    let e = io::Error::last_os_error();
    match e.raw_os_error() {
        // The file system or kernel cannot exchange.
        Some(libc::EINVAL | libc::ENOSYS | libc::EOPNOTSUPP) => Err(io::Error::from(io::ErrorKind::Unsupported)),
        _ => Err(e),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    fn folder(root: &Path, name: &str, files: &[(&str, &str)]) -> PathBuf {
        let dir = root.join(name);
        std::fs::create_dir(&dir).unwrap();
        for (f, text) in files {
            std::fs::write(dir.join(f), text).unwrap();
        }
        dir
    }

    fn read(dir: &Path) -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                (e.file_name().to_string_lossy().into_owned(), std::fs::read_to_string(e.path()).unwrap())
            })
            .collect();
        v.sort();
        v
    }

    fn failing(exchange: io::ErrorKind, rename_nth: Option<usize>) -> Exchange {
        Exchange::Failing { exchange, rename_nth, calls: Cell::new(0) }
    }

    #[test]
    fn a_swap_puts_the_new_folder_whole_in_place() {
        let root = tempfile::tempdir().unwrap();
        let target = folder(root.path(), "out", &[("a.csv", "old"), ("stale.csv", "old")]);
        let staging = folder(root.path(), ".out.corridor-staging-1", &[("a.csv", "new")]);
        let old = swap(&staging, &target, &Exchange::System).unwrap().unwrap();
        assert_eq!(read(&target), [("a.csv".to_string(), "new".to_string())]);
        assert_eq!(read(&old).len(), 2, "the old folder, whole, to be removed");
        // Without a target, a rename.
        let staging = folder(root.path(), ".new.corridor-staging-1", &[("b", "x")]);
        assert_eq!(swap(&staging, &root.path().join("new"), &Exchange::System).unwrap(), None);
        assert!(!staging.exists());
    }

    #[test]
    fn a_failed_publish_leaves_the_old_folder_whole() {
        let root = tempfile::tempdir().unwrap();
        let target = folder(root.path(), "out", &[("a.csv", "old"), ("b.csv", "old")]);
        let before = read(&target);
        let staging = folder(root.path(), ".out.corridor-staging-1", &[("a.csv", "new")]);
        // The exchange fails outright.
        assert!(swap(&staging, &target, &failing(io::ErrorKind::PermissionDenied, None)).is_err());
        assert_eq!(read(&target), before);
        // No exchange; the first rename (target aside) fails.
        assert!(swap(&staging, &target, &failing(io::ErrorKind::Unsupported, Some(0))).is_err());
        assert_eq!(read(&target), before);
        // No exchange; the second rename (staging in) fails: the old folder is put back.
        assert!(swap(&staging, &target, &failing(io::ErrorKind::Unsupported, Some(1))).is_err());
        assert_eq!(read(&target), before);
        assert_eq!(read(&staging), [("a.csv".to_string(), "new".to_string())]);
        // No exchange, renames work: the new folder whole.
        let old = swap(&staging, &target, &failing(io::ErrorKind::Unsupported, None)).unwrap().unwrap();
        assert_eq!(read(&target), [("a.csv".to_string(), "new".to_string())]);
        assert_eq!(read(&old), before);
    }

    #[test]
    fn an_update_keeps_the_files_it_does_not_write() {
        let root = tempfile::tempdir().unwrap();
        let target = folder(root.path(), "out", &[("a.svg", "old"), ("data.csv", "kept")]);
        let staged = Staged::update(&target).unwrap();
        std::fs::write(staged.dir().join("a.svg"), "new").unwrap();
        staged.publish().unwrap();
        let files = read(&target);
        assert_eq!(files, [("a.svg".into(), "new".into()), ("data.csv".into(), "kept".into())]);
        let hidden: Vec<_> = std::fs::read_dir(root.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n != "out")
            .collect();
        assert!(hidden.is_empty(), "no staging or old folder and no lock file is left: {hidden:?}");
    }

    #[test]
    fn a_lock_on_a_removed_lock_file_does_not_count() {
        let root = tempfile::tempdir().unwrap();
        let path = root.path().join(".o.corridor-lock");
        let first = take_lock(&path).unwrap();
        // A second process opens the file, then the first is done: it removes the file, unlocks.
        let late = File::options().write(true).open(&path).unwrap();
        assert!(matches!(take_lock(&path), Err(Lock::Busy)));
        std::fs::remove_file(&path).unwrap();
        first.unlock().unwrap();
        // The late handle can lock its file, but that file is no longer the lock.
        late.try_lock().unwrap();
        assert!(!same_file(&late, &path));
        let again = take_lock(&path).unwrap();
        assert!(same_file(&again, &path));
    }

    #[test]
    fn a_second_writer_of_one_folder_is_refused_and_leftovers_are_cleaned() {
        let root = tempfile::tempdir().unwrap();
        let leftover = folder(root.path(), ".out.corridor-staging-99999", &[("runs.csv", "partial")]);
        let target = root.path().join("out");
        let first = Staged::new(&target).unwrap();
        assert!(!leftover.exists(), "a staging folder left by a killed run is removed");
        let err = Staged::new(&target).err().unwrap();
        assert!(err.is::<Busy>(), "{err}");
        assert!(err.to_string().contains("another corridor is writing this folder"), "{err}");
        drop(first);
        Staged::new(&target).unwrap().publish().unwrap();
        assert!(target.is_dir());
    }
}
