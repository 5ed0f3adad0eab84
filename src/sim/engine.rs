//! Spreads runs over a rayon thread pool. Runs go in blocks of [`BLOCK_RUNS`]; each worker
//! folds its blocks into its own accumulator (integer sums, so the split does not change a
//! bit of the result) and turns each block's per-run rows into whatever the caller wants
//! (formatted runs.csv lines), which are handed on in run order, a wave at a time, on another
//! thread while the next wave is computed. Memory is bounded by the wave, not by the number of
//! runs.
//!
//! A [`Plan`] says which runs to play: any range of run indices (a shard plays its own), and
//! optionally a stopping rule checked after every wave of a fixed number of runs, on the
//! statistics of every run so far: waves do not depend on the thread count, so neither does
//! where the runs stop.

use super::Model;
use super::run::{DemandRun, RunOutcome, RunRow};
use crate::observations::TargetAccs;
use crate::stats::{Accumulator, Paired};
use rayon::prelude::*;
use std::ops::Range;
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

/// A stopping rule: called with the statistics of every run played so far (without daily stock
/// quantiles), true to stop.
pub type Stop<'a> = &'a mut (dyn FnMut(&Batch) -> bool + 'a);

/// Which runs to play: a range of run indices and, optionally, a stopping rule checked after
/// every `wave` runs (counted from the start of the range). A plain `u64` means `0..runs`.
pub struct Plan<'a> {
    pub runs: Range<u64>,
    stop: Option<(u64, Stop<'a>)>,
}

impl<'a> Plan<'a> {
    /// Every run of `runs`.
    pub fn range(runs: Range<u64>) -> Plan<'a> {
        Plan { runs, stop: None }
    }

    /// The runs of `runs` in waves of `wave` (at least 1), stopping after the first wave after
    /// which `stop` holds.
    pub fn until(runs: Range<u64>, wave: u64, stop: Stop<'a>) -> Plan<'a> {
        Plan { runs, stop: Some((wave.max(1), stop)) }
    }
}

impl From<u64> for Plan<'_> {
    fn from(runs: u64) -> Self {
        Plan::range(0..runs)
    }
}

impl From<Range<u64>> for Plan<'_> {
    fn from(runs: Range<u64>) -> Self {
        Plan::range(runs)
    }
}

/// Plays the runs of `plan` (such as `0..runs`) of `model` under `seed` on `pool` and returns
/// their statistics. Each block's rows (one per run and demand node) go through `per_block` on the worker that
/// ran them; the results reach `in_order` in run order, on another thread while the runs go
/// on. The first error of `in_order` stops the simulation and is returned. `on_progress` hears
/// how many runs just finished.
pub fn simulate<'p, T: Send, E: Send>(
    model: &Model,
    seed: u64,
    plan: impl Into<Plan<'p>>,
    pool: &rayon::ThreadPool,
    per_block: impl Fn(&[RunRow]) -> T + Sync,
    in_order: impl FnMut(T) -> Result<(), E> + Send,
    on_progress: impl Fn(u64) + Sync,
) -> Result<Accumulator, E> {
    let batch = simulate_all(&[model], seed, plan, pool, true, per_block, in_order, on_progress)?;
    Ok(batch.accs.into_iter().next().unwrap_or_else(|| new_acc(model, true)))
}

/// Plays the runs of `plan` of every model with common random numbers and keeps only
/// summaries (no rows, no stock quantiles): for the verbs that compare scenarios.
pub fn simulate_summaries<'p>(
    models: &[&Model],
    seed: u64,
    plan: impl Into<Plan<'p>>,
    pool: &rayon::ThreadPool,
    on_progress: impl Fn(u64) + Sync,
) -> Batch {
    let result =
        simulate_all(models, seed, plan, pool, false, |_| (), |()| Ok::<(), std::convert::Infallible>(()), on_progress);
    match result {
        Ok(batch) => batch,
        Err(never) => match never {},
    }
}

fn new_acc(model: &Model, quantiles: bool) -> Accumulator {
    let acc = Accumulator::shaped_like(&RunOutcome::new(model), quantiles);
    if model.targets.is_empty() { acc } else { acc.with_targets(TargetAccs::new(&model.targets, model.horizon_days)) }
}

/// The statistics of no run of `models`, shaped as [`simulate_all`] shapes them.
pub fn empty_batch(models: &[&Model], quantiles: bool) -> Batch {
    let demand_ids: Vec<Vec<String>> = models.iter().map(|m| m.demand_ids.clone()).collect();
    let horizons: Vec<u32> = models.iter().map(|m| m.horizon_days).collect();
    Batch { accs: models.iter().map(|m| new_acc(m, quantiles)).collect(), paired: Paired::new(&demand_ids, &horizons) }
}

/// Plays the runs of `plan` of every model, run i of each in turn on the same worker, so that
/// the paired differences to the first model can be taken run by run. Rows given to
/// `per_block` are those of the first model; `quantiles` says whether daily stock quantiles
/// are kept; otherwise as [`simulate`].
#[allow(clippy::too_many_arguments)] // the two callbacks and the progress hook are the API
pub fn simulate_all<'p, T: Send, E: Send>(
    models: &[&Model],
    seed: u64,
    plan: impl Into<Plan<'p>>,
    pool: &rayon::ThreadPool,
    quantiles: bool,
    per_block: impl Fn(&[RunRow]) -> T + Sync,
    in_order: impl FnMut(T) -> Result<(), E> + Send,
    on_progress: impl Fn(u64) + Sync,
) -> Result<Batch, E> {
    let new_slot = || {
        let Batch { accs, paired } = empty_batch(models, quantiles);
        Slot { accs, paired, outcomes: models.iter().map(|m| RunOutcome::new(m)).collect() }
    };
    let slots: Vec<Mutex<Slot>> = (0..pool.current_num_threads()).map(|_| Mutex::new(new_slot())).collect();
    let Plan { runs, mut stop } = plan.into();
    let wave_runs = stop.as_ref().map_or(WAVE_BLOCKS * BLOCK_RUNS, |(wave, _)| *wave);
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
        let mut wave_start = runs.start;
        while wave_start < runs.end {
            if crate::cancel::requested().is_some() {
                break;
            }
            let wave_end = wave_start.saturating_add(wave_runs).min(runs.end);
            let blocks = (wave_end - wave_start).div_ceil(BLOCK_RUNS);
            let wave: Vec<T> = pool.install(|| {
                (0..blocks)
                    .into_par_iter()
                    .map(|block| {
                        if crate::cancel::requested().is_some() {
                            return per_block(&[]); // stopping: the caller discards the statistics
                        }
                        let first = wave_start + block * BLOCK_RUNS;
                        let last = (first + BLOCK_RUNS).min(wave_end);
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
            wave_start = wave_end;
            if let Some((_, stop)) = stop.as_mut() {
                // The rule reads summaries: the slots are added up without their stock
                // histograms, which keeps the check cheap next to the wave.
                let mut so_far = empty_batch(models, false);
                for slot in &slots {
                    fold(&mut so_far, &slot.lock().unwrap_or_else(|p| p.into_inner()));
                }
                if stop(&so_far) {
                    break;
                }
            }
        }
        drop(tx);
        writer.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })?;
    // The first worker's statistics are the start of the total (merging them into empty ones
    // cost as much as merging the others): integer sums, the same whatever the start.
    let mut slots = slots.into_iter().map(|slot| slot.into_inner().unwrap_or_else(|p| p.into_inner()));
    let mut total = match slots.next() {
        Some(Slot { accs, paired, .. }) => Batch { accs, paired },
        None => empty_batch(models, quantiles),
    };
    for slot in slots {
        fold(&mut total, &slot);
    }
    Ok(total)
}

/// Adds a worker's statistics to `total`.
fn fold(total: &mut Batch, slot: &Slot) {
    for (a, b) in total.accs.iter_mut().zip(&slot.accs) {
        a.merge(b);
    }
    total.paired.merge(&slot.paired);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::test_util::network;
    use crate::scenario::test_util::scenario;

    /// a –100 km– b –100 km– c, with an attacked road: every run differs.
    fn model() -> Model {
        let net = network(&[("a", 0.0), ("b", 0.0), ("c", 0.0)], &[("a", "b", 100.0), ("b", "c", 100.0)]);
        let s = scenario(
            net,
            12,
            "travel_time_cv = 0.5\n[[demand]]\nnode = \"c\"\nconsumption_m3_per_day = 5\ninitial_stock_m3 = 10\n\
             [[supply]]\nname = \"s\"\nfrom = \"a\"\nto = \"c\"\nconvoys_per_day = 1\ntrucks_per_convoy = 4\ntruck_m3 = 2\n\
             [[blockade]]\nname = \"k\"\nedge = [\"a\", \"b\"]\nattack_prob = 0.5\ntruck_loss_prob = 0.5\n",
        );
        Model::new(&s)
    }

    fn pool(threads: usize) -> rayon::ThreadPool {
        rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap()
    }

    fn rows(model: &Model, plan: Plan, threads: usize) -> (Accumulator, Vec<u64>) {
        let mut seen = Vec::new();
        let acc = simulate(
            model,
            7,
            plan,
            &pool(threads),
            |rows| rows.iter().map(|r| r.run).collect::<Vec<_>>(),
            |runs| {
                seen.extend(runs);
                Ok::<(), ()>(())
            },
            |_| {},
        )
        .unwrap();
        (acc, seen)
    }

    #[test]
    fn ranges_of_runs_merge_to_the_whole() {
        let m = model();
        let (all, all_rows) = rows(&m, Plan::from(300), 2);
        assert_eq!(all_rows, (0..300).collect::<Vec<_>>());
        let (mut a, a_rows) = rows(&m, Plan::range(0..77), 1);
        let (b, b_rows) = rows(&m, Plan::range(77..300), 2);
        assert_eq!(b_rows, (77..300).collect::<Vec<_>>(), "rows in run order");
        a.merge(&b);
        assert_eq!(a, all);
        assert_eq!(a_rows.len(), 77);
    }

    #[test]
    fn a_stopping_rule_stops_after_the_same_wave_for_any_thread_count() {
        let m = model();
        let stopped = |threads| {
            let mut checks = Vec::new();
            let mut stop = |b: &Batch| {
                checks.push(b.accs[0].runs());
                b.accs[0].runs() >= 250
            };
            let (acc, seen) = rows(&m, Plan::until(0..1000, 100, &mut stop), threads);
            (acc, seen, checks)
        };
        let (one, two) = (stopped(1), stopped(2));
        assert_eq!(one.2, vec![100, 200, 300], "checked after every wave");
        assert_eq!(one.0.runs(), 300);
        assert_eq!(one.1, (0..300).collect::<Vec<_>>());
        assert_eq!(one.0, two.0);
        assert_eq!(one.0, rows(&m, Plan::from(300), 2).0);
    }
}
