//! `corridor calibrate`: fits a scenario's uncertain parameters to observations (approximate
//! Bayesian computation by rejection, see `calibration`), writes the fit and the calibrated
//! scenario, and scores the calibrated scenario on every target, in and out of sample.

use super::output::{Staged, check_interrupted, pool, progress};
use super::preflight::{check_memory, warn};
use super::run::write_provenance;
use super::{Common, UsageError, load, print};
use crate::calendar::Date;
use crate::calibration::{self, MAX_PARAMETERS, MAX_SAMPLES, Parameter};
use crate::memory;
use crate::network::load_network;
use crate::observations::load_observations;
use crate::report::{self, Calibration};
use crate::scenario::{Scenario, Variants, is_integer_key};
use crate::sim::{Model, simulate_summaries};
use anyhow::{Context, Result};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::time::Instant;
use toml::Value;

/// What `calibrate` takes besides the common flags.
#[derive(Debug, Clone)]
pub struct CalibrateArgs {
    pub observations: PathBuf,
    /// `KEY=LO:HI`, as given.
    pub fits: Vec<String>,
    pub samples: u64,
    /// The share of sets kept.
    pub accept: f64,
    /// Only targets ending on or before this day (a number or a date) are fitted.
    pub train_until: Option<String>,
    /// Runs of the calibrated scenario when it is scored (default: its file's `runs`).
    pub check_runs: Option<u64>,
}

/// Runs per parameter set when --runs is not given.
pub const DEFAULT_RUNS: u64 = 200;

/// Parses `KEY=LO:HI`.
pub fn parse_fit(arg: &str) -> Result<Parameter, UsageError> {
    let bad = |why: &str| {
        UsageError(format!(
            "--fit {arg}: {why} (expected KEY=LO:HI, such as demand.bamako.consumption_m3_per_day=1500:2100)"
        ))
    };
    let (key, range) = arg.split_once('=').ok_or_else(|| bad("no `=`"))?;
    if key.is_empty() || matches!(key, "simulation.runs" | "simulation.seed") {
        return Err(bad("this key cannot be fitted"));
    }
    let (lo, hi) = range.split_once(':').ok_or_else(|| bad("no `:` between LO and HI"))?;
    let number = |s: &str| s.trim().parse::<f64>().ok().filter(|x| x.is_finite());
    let (Some(low), Some(high)) = (number(lo), number(hi)) else { return Err(bad("LO and HI must be numbers")) };
    if low >= high {
        return Err(bad("LO must be below HI"));
    }
    Ok(Parameter { key: key.to_string(), low, high, integer: is_integer_key(key) })
}

/// The TOML value of a parameter's value.
fn value(p: &Parameter, v: f64) -> Value {
    if p.integer { Value::Integer(v as i64) } else { Value::Float(v) }
}

fn assignments(parameters: &[Parameter], values: &[f64]) -> Vec<(String, Value)> {
    parameters.iter().zip(values).map(|(p, &v)| (p.key.clone(), value(p, v))).collect()
}

/// A day given on the command line: a number, or a date with the scenario's start_date.
fn parse_day(arg: &str, scenario: &Scenario) -> Result<u32, UsageError> {
    let bad = |why: String| UsageError(format!("--train-until {arg}: {why}"));
    let day = match (arg.parse::<i64>(), Date::parse(arg), scenario.simulation.start_date) {
        (Ok(d), _, _) => d,
        (_, Some(date), Some(start)) => date.days_since(start),
        (_, Some(_), None) => return Err(bad("a date needs the scenario's [simulation] start_date".into())),
        _ => return Err(bad("expected a day number or a date such as 2025-10-31".into())),
    };
    let horizon = i64::from(scenario.simulation.horizon_days);
    if !(0..horizon).contains(&day) {
        return Err(bad(format!("expected a day from 0 to {} (within the horizon), found {day}", horizon - 1)));
    }
    Ok(day as u32)
}

pub fn calibrate(path: &Path, args: &CalibrateArgs, common: &Common) -> Result<()> {
    let file_runs = load(path, &Common::default())?.simulation.runs;
    let scenario = load(path, &Common { runs: None, ..common.clone() })?;
    let seed = scenario.simulation.seed;
    let runs = common.runs.unwrap_or(DEFAULT_RUNS);
    let check_runs = args.check_runs.unwrap_or(file_runs);
    let targets = load_observations(&args.observations, &scenario)?;
    if !(1..=MAX_SAMPLES).contains(&args.samples) {
        return Err(UsageError(format!("--samples {}: expected 1 to {MAX_SAMPLES}", args.samples)).into());
    }
    if !(args.accept > 0.0 && args.accept <= 1.0) {
        return Err(UsageError(format!("--accept {}: expected a share above 0, at most 1", args.accept)).into());
    }
    let parameters = args.fits.iter().map(|f| parse_fit(f)).collect::<Result<Vec<_>, _>>()?;
    if parameters.is_empty() || parameters.len() > MAX_PARAMETERS {
        return Err(UsageError(format!("expected 1 to {MAX_PARAMETERS} --fit keys")).into());
    }
    let base = path.parent().unwrap_or(Path::new("."));
    let variants = Variants::new(path, |rel| load_network(&base.join(rel)))?;
    for (p, arg) in parameters.iter().zip(&args.fits) {
        for bound in [p.low, p.high] {
            variants
                .scenario(&[(p.key.clone(), value(p, bound))])
                .map_err(|e| UsageError(format!("--fit {arg}: {e}")))?;
        }
    }
    let until = args.train_until.as_deref().map(|d| parse_day(d, &scenario)).transpose()?;
    let fitted: Vec<bool> = targets.iter().map(|t| until.is_none_or(|d| t.ends_by(d))).collect();
    if !fitted.contains(&true) {
        return Err(UsageError("--train-until: no target ends by then; nothing to fit".into()).into());
    }
    let out = common.out.clone().unwrap_or_else(|| Path::new("output").join(format!("calibrate_{}", scenario.name)));
    let (pool, threads) = pool(common.threads)?;
    let model = Model::new(&scenario);
    warn(&scenario, &model, common.checks)?;
    // Each thread plays one parameter set at a time; the check plays the calibrated scenario.
    let play = memory::Play { workers: threads, quantiles: false, rows: false };
    check_memory(&scenario, &vec![&model; threads + 1], play, common.checks)?;
    let staged = Staged::new(&out)?;

    let start = Instant::now();
    let design = calibration::design(&parameters, args.samples, seed);
    let bar = progress(args.samples * runs, common.quiet);
    let scores = pool.install(|| {
        design
            .par_iter()
            .map(|values| {
                if crate::cancel::requested().is_some() {
                    return Ok(Vec::new()); // stopping: discarded below
                }
                let s = variants.scenario(&assignments(&parameters, values))?;
                let model = Model::new(&s);
                let scores = calibration::evaluate(&model, &targets, runs, seed);
                bar.inc(runs);
                Ok(scores)
            })
            .collect::<Result<Vec<_>>>()
    })?;
    bar.finish_and_clear();
    check_interrupted()?;
    let distances: Vec<f64> = scores.iter().map(|s| calibration::distance(s, &fitted)).collect();
    let accepted = calibration::accept(&distances, args.accept);
    let posterior: Vec<_> =
        (0..parameters.len()).filter_map(|p| calibration::posterior(&design, &accepted, p)).collect();
    let medians: Vec<f64> = posterior.iter().map(|p| p.median).collect();
    let fit_seconds = start.elapsed();

    // The calibrated scenario, scored on every target with `check_runs` runs.
    let calibrated = variants.scenario(&assignments(&parameters, &medians))?;
    let mut model = Model::new(&calibrated);
    model.targets = targets.clone();
    let check = simulate_summaries(&[&model], seed, check_runs, &pool, |_| ());
    let check_scores = check.accs[0].targets().map(|t| t.scores()).unwrap_or_default();

    let c = Calibration {
        scenario: &scenario,
        parameters: &parameters,
        targets: &targets,
        fitted: &fitted,
        design: &design,
        scores: &scores,
        distances: &distances,
        accepted: &accepted,
        posterior: &posterior,
        runs,
        seed,
        check_runs,
        check: &check_scores,
        train_until: until,
    };
    let dir = staged.dir();
    report::write_calibration(&c, &dir.join("calibration.csv"))?;
    report::write_posterior(&c, &dir.join("posterior.csv"))?;
    report::write_calibrated_hindcast(&c, &dir.join("calibrated_hindcast.csv"))?;
    report::write_calibration_meta(&c, &dir.join("calibrate.toml"))?;
    // The charts are drawn from the files just written, as `corridor plot` draws them.
    let data = report::CalibrationData::load(dir)?;
    pool.install(|| report::charts::draw_calibration_charts(&data, &report::charts::Style::default(), dir, None))?;
    let command: Vec<String> = std::env::args().collect();
    let text = variants.text(&assignments(&parameters, &medians))?;
    let header = format!(
        "# Calibrated by corridor {} from {} against {}:\n#   {}\n# Posterior medians written in: {}.\n\n",
        env!("CARGO_PKG_VERSION"),
        path.display(),
        args.observations.display(),
        command.join(" "),
        parameters.iter().zip(&medians).map(|(p, m)| format!("{} = {m}", p.key)).collect::<Vec<_>>().join(", ")
    );
    std::fs::write(dir.join("calibrated.toml"), format!("{header}{text}"))
        .with_context(|| format!("cannot write {}", dir.join("calibrated.toml").display()))?;
    std::fs::copy(&args.observations, dir.join("observations.csv"))
        .with_context(|| format!("cannot copy {} into the outputs", args.observations.display()))?;
    write_provenance(dir, threads, fit_seconds)?;
    staged.publish()?;
    if !common.quiet {
        print(&format!(
            "{}{} parameter sets × {} runs in {:.1} s ({} threads); wrote {}\n",
            report::calibration_table(&c),
            report::thousands(args.samples),
            report::thousands(runs),
            fit_seconds.as_secs_f64(),
            threads,
            out.display()
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fits_parse_to_parameters() {
        let p = parse_fit("demand.bamako.consumption_m3_per_day=1500:2100").unwrap();
        assert_eq!((p.low, p.high, p.integer), (1500.0, 2100.0, false));
        assert!(parse_fit("supply.x.trucks_per_convoy=10:30").unwrap().integer);
        for bad in ["x", "k=1", "k=2:1", "k=a:b", "simulation.seed=1:2", "=1:2"] {
            assert!(parse_fit(bad).is_err(), "{bad}");
        }
    }
}
