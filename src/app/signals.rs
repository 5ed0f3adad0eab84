//! SIGINT and SIGTERM while a verb writes an output folder. The first signal asks the workers
//! to stop (`crate::cancel`); the verb then unwinds, its staging folder is removed and it exits
//! with 128 + the signal after printing `interrupted`. A second signal, or one that arrives
//! when no staging folder is open, removes the open staging folders at once and exits.
//! Until a verb opens a staging folder the default handling applies (nothing to clean).

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, Once};

/// The staging folders open in this process. Held while a folder is swapped into place, so
/// that an exit forced by a signal never falls in the middle of the swap.
static OPEN: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
static INSTALL: Once = Once::new();

/// The registry of open staging folders, locked.
pub(super) fn open_folders() -> MutexGuard<'static, Vec<PathBuf>> {
    OPEN.lock().unwrap_or_else(|p| p.into_inner())
}

/// Records a staging folder to remove on a forced exit, and installs the handler (once).
pub(super) fn register(staging: &Path) {
    INSTALL.call_once(install);
    open_folders().push(staging.to_path_buf());
}

pub(super) fn unregister(folders: &mut Vec<PathBuf>, staging: &Path) {
    folders.retain(|p| p != staging);
}

#[cfg(unix)]
fn install() {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) else {
        return; // the default handling stays: the next run into the folder cleans up
    };
    std::thread::spawn(move || {
        for signal in signals.forever() {
            let folders = open_folders();
            if folders.is_empty() || crate::cancel::requested().is_some() {
                for f in folders.iter() {
                    let _ = std::fs::remove_dir_all(f);
                }
                eprintln!("interrupted");
                std::process::exit(128 + signal);
            }
            drop(folders);
            crate::cancel::request(signal);
        }
    });
}

#[cfg(not(unix))]
fn install() {}
