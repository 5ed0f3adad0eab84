//! Cancellation of long work. The app layer's signal handler sets a process-wide flag (with the
//! signal's number); the simulation engine reads it between blocks of runs and stops early.
//! Reading a flag is not I/O, so the core stays free of it; statistics of a cancelled
//! simulation are partial, and the caller discards them (see `app::output`).

use std::sync::atomic::{AtomicI32, Ordering};

/// 0 while nothing asked to stop; else the signal that did.
static SIGNAL: AtomicI32 = AtomicI32::new(0);

/// Asks every running simulation to stop; the first signal is kept.
pub fn request(signal: i32) {
    let _ = SIGNAL.compare_exchange(0, signal.max(1), Ordering::SeqCst, Ordering::SeqCst);
}

/// The signal that asked to stop, if any.
pub fn requested() -> Option<i32> {
    match SIGNAL.load(Ordering::Relaxed) {
        0 => None,
        s => Some(s),
    }
}
