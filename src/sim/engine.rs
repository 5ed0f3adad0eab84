//! Spreads runs over a rayon thread pool. Runs go in blocks of [`BLOCK_RUNS`]; each worker
//! folds its blocks into its own accumulator (integer sums, so the split does not change a
//! bit of the result) and turns each block's per-run rows into whatever the caller wants
//! (formatted runs.csv lines), which are handed on in run order, a wave at a time, on another
//! thread while the next wave is computed. Memory is bounded by the wave, not by the number of
//! runs.

use super::Model;
use super::run::{DemandRun, RunOutcome, RunRow};
use crate::observations::TargetAccs;
use crate::stats::{Accumulator, Paired};
use rayon::prelude::*;
use std::sync::Mutex;
use std::sync::mpsc::sync_channel;

/// Runs per block: the unit of work handed to a thread.
pub const BLOCK_RUNS: u64 = 32;
/// Blocks per wave: rows of a wave are passed on together.
const WAVE_BLOCKS: u64 = 128;

/// One worker's state: an accumulator per model, the paired differences and reusable outcomes.
struct Slot {
    accs: Vec<Accumulator>,
    paired: Paired,
    outcomes: Vec<RunOutcome>,
}

/// The statistics of several scenarios run with common random numbers.
#[derive(Debug, Clone)]
pub struct Batch {
    /// One per model, in the order given.
    pub accs: Vec<Accumulator>,
    /// Differences of each model to the first, run by run.
    pub paired: Paired,
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
    let batch = simulate_all(&[model], seed, runs, pool, true, per_block, in_order, on_progress)?;
    Ok(batch.accs.into_iter().next().unwrap_or_else(|| new_acc(model, true)))
}

/// Plays runs `0..runs` of every model with common random numbers and keeps only summaries
/// (no rows, no stock quantiles): for the verbs that compare scenarios.
pub fn simulate_summaries(
    models: &[&Model],
    seed: u64,
    runs: u64,
    pool: &rayon::ThreadPool,
    on_progress: impl Fn(u64) + Sync,
) -> Batch {
    let result =
        simulate_all(models, seed, runs, pool, false, |_| (), |()| Ok::<(), std::convert::Infallible>(()), on_progress);
    match result {
        Ok(batch) => batch,
        Err(never) => match never {},
    }
}

fn new_acc(model: &Model, quantiles: bool) -> Accumulator {
    let acc = Accumulator::shaped_like(&RunOutcome::new(model), quantiles);
    if model.targets.is_empty() { acc } else { acc.with_targets(TargetAccs::new(&model.targets, model.horizon_days)) }
}

/// Plays runs `0..runs` of every model, run i of each in turn on the same worker, so that the
/// paired differences to the first model can be taken run by run. Rows given to `per_block`
/// are those of the first model; `quantiles` says whether daily stock quantiles are kept;
/// otherwise as [`simulate`].
#[allow(clippy::too_many_arguments)] // the two callbacks and the progress hook are the API
pub fn simulate_all<T: Send, E: Send>(
    models: &[&Model],
    seed: u64,
    runs: u64,
    pool: &rayon::ThreadPool,
    quantiles: bool,
    per_block: impl Fn(&[RunRow]) -> T + Sync,
    in_order: impl FnMut(T) -> Result<(), E> + Send,
    on_progress: impl Fn(u64) + Sync,
) -> Result<Batch, E> {
    let demand_ids: Vec<Vec<String>> = models.iter().map(|m| m.demand_ids.clone()).collect();
    let horizons: Vec<u32> = models.iter().map(|m| m.horizon_days).collect();
    let new_slot = || Slot {
        accs: models.iter().map(|m| new_acc(m, quantiles)).collect(),
        paired: Paired::new(&demand_ids, &horizons),
        outcomes: models.iter().map(|m| RunOutcome::new(m)).collect(),
    };
    let slots: Vec<Mutex<Slot>> = (0..pool.current_num_threads()).map(|_| Mutex::new(new_slot())).collect();
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
                        let Slot { accs, paired, outcomes } = &mut *guard;
                        let mut rows = Vec::with_capacity(((last - first) as usize) * models[0].demands.len());
                        for run in first..last {
                            for ((model, outcome), acc) in models.iter().zip(outcomes.iter_mut()).zip(accs.iter_mut()) {
                                outcome.play(model, seed, run);
                                acc.add(outcome);
                            }
                            if models.len() > 1 {
                                let results: Vec<&[DemandRun]> = outcomes.iter().map(|o| o.demand.as_slice()).collect();
                                paired.add(&results);
                            }
                            rows.extend(outcomes[0].rows(run));
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
        writer.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })?;
    let mut total = new_slot();
    for slot in slots {
        let slot = slot.into_inner().unwrap_or_else(|p| p.into_inner());
        for (a, b) in total.accs.iter_mut().zip(&slot.accs) {
            a.merge(b);
        }
        total.paired.merge(&slot.paired);
    }
    Ok(Batch { accs: total.accs, paired: total.paired })
}
