//! Spreads runs over a rayon thread pool. Runs go in blocks of [`BLOCK_RUNS`]; each worker
//! folds its blocks into its own accumulator (integer sums, so the split does not change a
//! bit of the result) and hands back the blocks' runs.csv rows, which are passed on in run
//! order, a wave at a time, while the next wave is computed. Memory is bounded by the wave, not
//! by the number of runs.

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

/// Plays runs `0..runs` of `model` under `seed` on `pool` and returns their statistics. Rows of
/// runs.csv go to `on_rows` in run order, from another thread while the runs go on; its first
/// error stops the simulation and is returned. `on_progress` hears how many runs just finished.
pub fn simulate<E: Send>(
    model: &Model,
    seed: u64,
    runs: u64,
    pool: &rayon::ThreadPool,
    on_rows: impl FnMut(&[RunRow]) -> Result<(), E> + Send,
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
        let (tx, rx) = sync_channel::<Vec<RunRow>>(1);
        let writer = scope.spawn(move || {
            let mut on_rows = on_rows;
            for rows in rx {
                on_rows(&rows)?;
            }
            Ok(())
        });
        for wave_start in (0..blocks).step_by(WAVE_BLOCKS as usize) {
            let wave_end = (wave_start + WAVE_BLOCKS).min(blocks);
            let rows: Vec<Vec<RunRow>> = pool.install(|| {
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
                        on_progress(last - first);
                        rows
                    })
                    .collect()
            });
            if tx.send(rows.concat()).is_err() {
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
