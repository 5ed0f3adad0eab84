//! `corridor sweep`: one scenario over a grid of parameter values, with common random numbers.
//! With `--shard`, the command plays its share of the runs of every point into a partial file.

use super::output::{Staged, check_interrupted, pool, progress};
use super::preflight::{check_memory, warn};
use super::shard::{self, Finished};
use super::{Common, UsageError, print};
use crate::memory;
use crate::network::load_network;
use crate::report::{self, Sweep, charts};
use crate::scenario::{Scenario, ScenarioError, Variants, read_text};
use crate::shards::{Job, State, Unit};
use crate::sim::{Batch, Model, Plan, simulate_summaries};
use anyhow::Result;
use std::path::Path;
use toml::Value;

/// The most points of one sweep (the product of the values of every key).
const MAX_POINTS: usize = 1000;

/// A parsed `--set KEY=FROM:TO:STEP` (or `KEY=VALUE`): the key and its values, as TOML values
/// and as written.
#[derive(Debug, Clone, PartialEq)]
pub struct SetRange {
    pub key: String,
    pub values: Vec<(Value, String)>,
}

/// Parses `KEY=FROM:TO:STEP` or `KEY=VALUE`. Whole numbers stay integers (for keys such as
/// `trucks_per_convoy`); decimals are rounded to 9 places so that 0.1 steps read as written.
pub fn parse_set(arg: &str) -> Result<SetRange, UsageError> {
    let bad = |why: &str| {
        UsageError(format!(
            "--set {arg}: {why} (expected KEY=FROM:TO:STEP, such as blockade.kayes.attack_prob=0:1:0.25)"
        ))
    };
    let (key, range) = arg.split_once('=').ok_or_else(|| bad("no `=`"))?;
    if key.is_empty() || matches!(key, "simulation.runs" | "simulation.seed") {
        return Err(bad("this key cannot be swept (use --runs and --seed)"));
    }
    let parts: Vec<&str> = range.split(':').collect();
    let integers: Option<Vec<i64>> = parts.iter().map(|p| p.trim().parse::<i64>().ok()).collect();
    let values: Vec<(Value, String)> = match (parts.as_slice(), integers) {
        ([_], Some(v)) => vec![(Value::Integer(v[0]), v[0].to_string())],
        ([_, _, _], Some(v)) => {
            let (from, to, step) = (v[0], v[1], v[2]);
            if step <= 0 || to < from {
                return Err(bad("STEP must be > 0 and TO >= FROM"));
            }
            let n = (to - from) / step + 1;
            if n as usize > MAX_POINTS {
                return Err(bad(&format!("more than {MAX_POINTS} values")));
            }
            (0..n).map(|i| from + i * step).map(|x| (Value::Integer(x), x.to_string())).collect()
        }
        (parts, _) => {
            let floats: Vec<f64> = parts
                .iter()
                .map(|p| p.trim().parse::<f64>().ok().filter(|x| x.is_finite()))
                .collect::<Option<_>>()
                .ok_or_else(|| bad("not a number"))?;
            match floats.as_slice() {
                [x] => vec![(Value::Float(*x), x.to_string())],
                [from, to, step] => {
                    if *step <= 0.0 || to < from {
                        return Err(bad("STEP must be > 0 and TO >= FROM"));
                    }
                    let n = ((to - from) / step + 1e-9).floor() as usize + 1;
                    if n > MAX_POINTS {
                        return Err(bad(&format!("more than {MAX_POINTS} values")));
                    }
                    (0..n)
                        .map(|i| ((from + i as f64 * step) * 1e9).round() / 1e9)
                        .map(|x| (Value::Float(x), x.to_string()))
                        .collect()
                }
                _ => return Err(bad("expected one value or three")),
            }
        }
    };
    Ok(SetRange { key: key.to_string(), values })
}

pub fn sweep(path: &Path, sets: &[String], common: &Common) -> Result<()> {
    let ranges = sets.iter().map(|s| parse_set(s)).collect::<Result<Vec<_>, _>>()?;
    let text = read_text(path)?;
    let base = path.parent().unwrap_or(Path::new("."));
    let variants = Variants::from_text(&text, path, |rel| load_network(&base.join(rel)))?;
    let make = |assignments: &[(String, Value)]| variants.scenario(assignments);
    let points = points(&ranges, make, common.runs, common.seed)?;
    let (runs, seed) = (points[0].1.simulation.runs, points[0].1.simulation.seed);
    let name = format!("sweep_{}", points[0].1.name);
    let default_dir = Path::new("output").join(&name);
    let models: Vec<Model> = points.iter().map(|(_, s)| Model::new(s)).collect();
    let refs: Vec<&Model> = models.iter().collect();
    let (pool, threads) = pool(common.threads)?;
    warn(&points[0].1, &models[0], common.checks)?;
    let play = memory::Play { workers: threads, quantiles: false, rows: false };
    check_memory(&points[0].1, &refs, play, common.checks)?;
    if let Some(target) = shard::target(common, &default_dir)? {
        let scenarios = std::slice::from_ref(&points[0].1);
        let playing = shard::start(target, scenarios, (Unit::Runs, runs), |n| n, common.quiet)?;
        let batch = simulate_summaries(&refs, seed, Plan::range(playing.held.clone()), &pool, |n| playing.bar.inc(n));
        let state = State::Runs { accs: batch.accs, paired: batch.paired };
        let job = Job::Sweep { sets: sets.to_vec() };
        return shard::finish(playing, Finished { job, name: &name, runs, seed, threads, state });
    }
    let out = common.out.clone().unwrap_or(default_dir);
    let staged = Staged::new(&out)?;
    let bar = progress(runs, common.quiet);
    let batch = simulate_summaries(&refs, seed, runs, &pool, |n| bar.inc(n));
    bar.finish_and_clear();
    check_interrupted()?;
    let keys: Vec<String> = ranges.iter().map(|r| r.key.clone()).collect();
    pool.install(|| write_outputs(&keys, &points, &batch, staged.dir()))?;
    staged.publish()?;
    if !common.quiet {
        print(&format!("{}wrote {}\n", table(&keys, &points, &batch), out.display()));
    }
    Ok(())
}

/// Every point of the grid of `ranges` (the last key varying fastest): the values as written
/// and the scenario `make` builds with them set, with `--runs` and `--seed` applied.
pub(super) fn points(
    ranges: &[SetRange],
    make: impl Fn(&[(String, Value)]) -> Result<Scenario, ScenarioError>,
    runs: Option<u64>,
    seed: Option<u64>,
) -> Result<Vec<(Vec<String>, Scenario)>> {
    let points_count: usize = ranges.iter().map(|r| r.values.len()).product();
    if points_count > MAX_POINTS {
        return Err(UsageError(format!("the sweep has {points_count} points; at most {MAX_POINTS}")).into());
    }
    let mut points: Vec<(Vec<String>, Scenario)> = Vec::new();
    for i in 0..points_count {
        // Mixed radix: the last key varies fastest.
        let mut rest = i;
        let mut picks = vec![0; ranges.len()];
        for (k, r) in ranges.iter().enumerate().rev() {
            picks[k] = rest % r.values.len();
            rest /= r.values.len();
        }
        let assignments: Vec<(String, Value)> =
            ranges.iter().zip(&picks).map(|(r, &j)| (r.key.clone(), r.values[j].0.clone())).collect();
        let mut scenario = make(&assignments)?;
        if let Some(runs) = runs {
            scenario.simulation.runs = runs;
        }
        if let Some(seed) = seed {
            scenario.simulation.seed = seed;
        }
        let shown = ranges.iter().zip(&picks).map(|(r, &j)| r.values[j].1.clone()).collect();
        points.push((shown, scenario));
    }
    Ok(points)
}

/// Writes sweep.csv and the charts into `dir`: the same for `sweep` and `merge`.
pub(super) fn write_outputs(
    keys: &[String],
    points: &[(Vec<String>, Scenario)],
    batch: &Batch,
    dir: &Path,
) -> Result<()> {
    let s = Sweep { keys, points, batch, seed: points[0].1.simulation.seed };
    report::write_sweep(&s, &dir.join("sweep.csv"))?;
    report::write_sweep_meta(&s, &dir.join("sweep.toml"))?;
    // The charts are drawn from the files just written, as `corridor plot` draws them.
    charts::draw_sweep_charts(&report::SweepData::load(dir)?, &charts::Style::default(), dir, None)?;
    Ok(())
}

/// The table on stdout.
pub(super) fn table(keys: &[String], points: &[(Vec<String>, Scenario)], batch: &Batch) -> String {
    report::sweep_table(&Sweep { keys, points, batch, seed: points[0].1.simulation.seed })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(arg: &str) -> Vec<String> {
        parse_set(arg).unwrap().values.into_iter().map(|v| v.1).collect()
    }

    #[test]
    fn ranges_parse_to_values() {
        assert_eq!(shown("blockade.k.attack_prob=0:1:0.25"), ["0", "0.25", "0.5", "0.75", "1"]);
        assert_eq!(shown("blockade.k.attack_prob=0.1:0.3:0.1"), ["0.1", "0.2", "0.3"]);
        assert_eq!(shown("supply.a.trucks_per_convoy=10:30:10"), ["10", "20", "30"]);
        assert_eq!(parse_set("supply.a.trucks_per_convoy=10:30:10").unwrap().values[0].0, Value::Integer(10));
        assert_eq!(shown("simulation.travel_time_cv=0.3"), ["0.3"]);
    }

    #[test]
    fn bad_ranges_are_usage_errors() {
        for bad in ["x", "k=a:b:c", "k=1:0:1", "k=0:1:0", "k=0:1", "simulation.seed=1:3:1", "k=0:100000:1"] {
            assert!(parse_set(bad).is_err(), "{bad}");
        }
    }
}
