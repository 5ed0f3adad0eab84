//! Spreads runs over a rayon thread pool. Runs go in blocks of [`BLOCK_RUNS`]; each worker
//! folds its blocks into its own accumulator (integer sums, so the split does not change a
//! bit of the result) and turns each block's per-run rows into whatever the caller wants
//! (formatted runs.csv lines), which are handed on in run order, a wave at a time, on another
//! thread while the next wave is computed. Memory is bounded by the wave, not by the number of
//! runs.

use super::Model;
use super::run::{RunOutcome, RunRow};
use crate::stats::Accumulator;
use rayon::prelude::*;
use std::sync::Mutex;
use std::sync::mpsc::sync_channel;

/// Runs per block: the unit of work handed to a thread.
pub const BLOCK_RUNS: u64 = 32;
/// Blocks per wave: rows of a wave are passed on together.
const WAVE_BLOCKS: u64 = 128;

/// One worker's state: its accumulator and a reusable run outcome.
struct Slot {
    acc: Accumulator,
    outcome: RunOutcome,
}

/// Plays runs `0..runs` of `model` under `seed` on `pool` and returns their statistics.
/// Each block's rows (one per run and demand node) go through `per_block` on the worker that
/// ran them; the results reach `in_order` in run order, on another thread while the runs go
/// on. The first error of `in_order` stops the simulation and is returned. `on_progress` hears
/// how many runs just finished.
pub fn simulate<T: Send, E: Send>(
    model: &Model,
    seed: u64,
    runs: u64,
    pool: &rayon::ThreadPool,
    per_block: impl Fn(&[RunRow]) -> T + Sync,
    in_order: impl FnMut(T) -> Result<(), E> + Send,
    on_progress: impl Fn(u64) + Sync,
) -> Result<Accumulator, E> {
    let new_acc = || {
        Accumulator::new(
            model.horizon_days as usize,
            model.demands.len(),
            model.edges,
            model.blockades,
        )
    };
    let slots: Vec<Mutex<Slot>> = (0..pool.current_num_threads())
        .map(|_| {
            Mutex::new(Slot {
                acc: new_acc(),
                outcome: RunOutcome::new(model),
            })
        })
        .collect();
    let blocks = runs.div_ceil(BLOCK_RUNS);
    std::thread::scope(|scope| {
        let (tx, rx) = sync_channel::<Vec<T>>(1);
        let writer = scope.spawn(move || {
            let mut in_order = in_order;
            for wave in rx {
                for block in wave {
                    in_order(block)?;
                }
            }
            Ok(())
        });
        for wave_start in (0..blocks).step_by(WAVE_BLOCKS as usize) {
            let wave_end = (wave_start + WAVE_BLOCKS).min(blocks);
            let wave: Vec<T> = pool.install(|| {
                (wave_start..wave_end)
                    .into_par_iter()
                    .map(|block| {
                        let first = block * BLOCK_RUNS;
                        let last = (first + BLOCK_RUNS).min(runs);
                        let slot = rayon::current_thread_index().unwrap_or(0) % slots.len();
                        let mut guard = slots[slot].lock().unwrap_or_else(|p| p.into_inner());
                        let Slot { acc, outcome } = &mut *guard;
                        let mut rows =
                            Vec::with_capacity(((last - first) as usize) * model.demands.len());
                        for run in first..last {
                            outcome.play(model, seed, run);
                            acc.add(outcome);
                            rows.extend(outcome.rows(run));
                        }
                        drop(guard);
                        let out = per_block(&rows);
                        on_progress(last - first);
                        out
                    })
                    .collect()
            });
            if tx.send(wave).is_err() {
                break; // the writer stopped on an error, returned below
            }
        }
        drop(tx);
        writer
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })?;
    let mut total = new_acc();
    for slot in slots {
        total.merge(&slot.into_inner().unwrap_or_else(|p| p.into_inner()).acc);
    }
    Ok(total)
}
