//! `corridor calibrate`: fits a scenario's uncertain parameters to observations (approximate
//! Bayesian computation by rejection, see `calibration`), writes the fit and the calibrated
//! scenario, and scores the calibrated scenario on every target, in and out of sample. With
//! `--shard`, the command plays its share of the parameter sets ([`play`]) into a partial
//! file; `corridor merge` of the partials then accepts, runs the check of the calibrated
//! scenario and writes the folder ([`merged`]) with the same code as the unsplit command
//! ([`conclude`], whose files are all written by [`write_outputs`]).

use super::merge::inconsistent;
use super::output::{Staged, check_interrupted, pool, progress};
use super::preflight::{check_memory, warn};
use super::run::write_provenance;
use super::shard::{self, Finished};
use super::{Checks, Common, UsageError, load, print};
use crate::calendar::Date;
use crate::calibration::{self, MAX_PARAMETERS, MAX_SAMPLES, Parameter};
use crate::memory;
use crate::network::load_network;
use crate::observations::{ObservationError, Score, Target, parse_observations};
use crate::report::{self, Calibration};
use crate::scenario::{Scenario, ScenarioError, Variants, is_integer_key};
use crate::shards::{CalibrateJob, Job, Observations, PartialHeader, SetScores, State, Unit};
use crate::sim::{Model, simulate_summaries};
use anyhow::{Context, Result};
use indicatif::ProgressBar;
use rayon::prelude::*;
use std::ops::Range;
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
    let fit = Fit::from_command(path, args, common)?;
    let (runs, seed, samples) = (fit.runs, fit.seed, fit.job.samples);
    let name = format!("calibrate_{}", fit.scenario.name);
    let default_dir = Path::new("output").join(&name);
    let (pool, threads) = pool(common.threads)?;
    let model = Model::new(&fit.scenario);
    warn(&fit.scenario, &model, common.checks)?;
    // Each thread plays one parameter set at a time; the check plays the calibrated scenario.
    let play_memory = memory::Play { workers: threads, quantiles: false, rows: false };
    check_memory(&fit.scenario, &vec![&model; threads + 1], play_memory, common.checks)?;
    if let Some(target) = shard::target(common, &default_dir)? {
        let scenarios = std::slice::from_ref(&fit.scenario);
        let playing = shard::start(target, scenarios, (Unit::Sets, samples), |sets| sets * runs, common.quiet)?;
        let scores = play(&fit, playing.held.clone(), &pool, &playing.bar)?;
        check_interrupted()?;
        let sets = playing.held.clone().zip(scores).map(|(index, scores)| SetScores { index, scores }).collect();
        let job = Job::Calibrate(fit.job.clone());
        let state = State::Scores { sets };
        return shard::finish(playing, Finished { job, name: &name, runs, seed, threads, state });
    }
    let out = common.out.clone().unwrap_or(default_dir);
    let staged = Staged::new(&out)?;
    let start = Instant::now();
    let bar = progress(samples * runs, common.quiet);
    let scores = play(&fit, 0..samples, &pool, &bar)?;
    bar.finish_and_clear();
    check_interrupted()?;
    let fit_seconds = start.elapsed();
    let table = conclude(&fit, &scores, &pool, staged.dir())?;
    write_provenance(staged.dir(), threads, fit_seconds)?;
    staged.publish()?;
    if !common.quiet {
        print(&format!(
            "{table}{} parameter sets × {} runs in {:.1} s ({} threads); wrote {}\n",
            report::thousands(samples),
            report::thousands(runs),
            fit_seconds.as_secs_f64(),
            threads,
            out.display()
        ));
    }
    Ok(())
}

/// A calibration as asked for, checked: the scenario and the variants made of it, the
/// parameters and their design, the targets and which are fitted. The same from the command
/// line and from a partial file, so that shards, merge and the unsplit command agree.
pub(super) struct Fit {
    scenario: Scenario,
    variants: Variants,
    parameters: Vec<Parameter>,
    targets: Vec<Target>,
    fitted: Vec<bool>,
    until: Option<u32>,
    design: Vec<Vec<f64>>,
    /// Runs per parameter set and their seed.
    runs: u64,
    seed: u64,
    job: CalibrateJob,
}

impl Fit {
    /// From the command line: reads the scenario and the observations file.
    fn from_command(path: &Path, args: &CalibrateArgs, common: &Common) -> Result<Fit> {
        let file_runs = load(path, &Common::default())?.simulation.runs;
        let scenario = load(path, &Common { runs: None, ..common.clone() })?;
        let read = |error| ObservationError::Read { path: args.observations.clone(), error };
        let bytes = std::fs::read(&args.observations).map_err(read)?;
        let job = CalibrateJob {
            fits: args.fits.clone(),
            samples: args.samples,
            accept: args.accept,
            train_until: args.train_until.clone(),
            check_runs: args.check_runs.unwrap_or(file_runs),
            observations: Observations::new(args.observations.display().to_string(), bytes),
        };
        let base = path.parent().unwrap_or(Path::new("."));
        let runs = common.runs.unwrap_or(DEFAULT_RUNS);
        Fit::new(scenario, job, runs, || Variants::new(path, |rel| load_network(&base.join(rel))))
    }

    /// From the header of a partial: the scenario, network and observations it carries.
    fn from_partial(header: &PartialHeader, job: &CalibrateJob) -> Result<Fit> {
        let [input] = header.inputs.as_slice() else {
            return Err(inconsistent(header, &format!("it names {} scenarios, not one", header.inputs.len())).into());
        };
        let mut scenario = input.scenario()?;
        scenario.simulation.seed = header.seed;
        let variants = || Variants::from_text(&input.scenario, Path::new(&input.scenario_file), |_| input.network());
        Fit::new(scenario, job.clone(), header.runs, variants)
    }

    /// Checks the arguments against the scenario, in the order a user would fix them.
    fn new(
        scenario: Scenario,
        job: CalibrateJob,
        runs: u64,
        variants: impl FnOnce() -> Result<Variants, ScenarioError>,
    ) -> Result<Fit> {
        let targets = parse_observations(&job.observations.bytes, Path::new(&job.observations.file), &scenario)?;
        if !(1..=MAX_SAMPLES).contains(&job.samples) {
            return Err(UsageError(format!("--samples {}: expected 1 to {MAX_SAMPLES}", job.samples)).into());
        }
        if !(job.accept > 0.0 && job.accept <= 1.0) {
            return Err(UsageError(format!("--accept {}: expected a share above 0, at most 1", job.accept)).into());
        }
        let parameters = job.fits.iter().map(|f| parse_fit(f)).collect::<Result<Vec<_>, _>>()?;
        if parameters.is_empty() || parameters.len() > MAX_PARAMETERS {
            return Err(UsageError(format!("expected 1 to {MAX_PARAMETERS} --fit keys")).into());
        }
        let variants = variants()?;
        for (p, arg) in parameters.iter().zip(&job.fits) {
            for bound in [p.low, p.high] {
                variants
                    .scenario(&[(p.key.clone(), value(p, bound))])
                    .map_err(|e| UsageError(format!("--fit {arg}: {e}")))?;
            }
        }
        let until = job.train_until.as_deref().map(|d| parse_day(d, &scenario)).transpose()?;
        let fitted: Vec<bool> = targets.iter().map(|t| until.is_none_or(|d| t.ends_by(d))).collect();
        if !fitted.contains(&true) {
            return Err(UsageError("--train-until: no target ends by then; nothing to fit".into()).into());
        }
        let seed = scenario.simulation.seed;
        let design = calibration::design(&parameters, job.samples, seed);
        Ok(Fit { scenario, variants, parameters, targets, fitted, until, design, runs, seed, job })
    }

    /// The command that makes this calibration: every argument that decides it (`--runs`,
    /// `--seed` and `--check-runs` as resolved), none that does not (`--threads`, `--out`,
    /// `--shard`, `--quiet`), so that it reads the same however the job was played.
    fn command(&self) -> String {
        let j = &self.job;
        let scenario = self.scenario.path.display().to_string();
        let mut words = vec!["corridor", "calibrate", &scenario];
        words.extend(["--observations", &j.observations.file]);
        for f in &j.fits {
            words.extend(["--fit", f]);
        }
        let (samples, runs, seed) = (j.samples.to_string(), self.runs.to_string(), self.seed.to_string());
        let (accept, check_runs) = (j.accept.to_string(), j.check_runs.to_string());
        words.extend(["--samples", &samples, "--runs", &runs, "--seed", &seed, "--accept", &accept]);
        if let Some(d) = &j.train_until {
            words.extend(["--train-until", d]);
        }
        words.extend(["--check-runs", &check_runs]);
        words.iter().map(|w| shell_word(w)).collect::<Vec<_>>().join(" ")
    }

    /// calibrated.toml: the scenario with `medians` written in, under a header that says how.
    fn calibrated_toml(&self, medians: &[f64]) -> Result<String> {
        let text = self.variants.text(&assignments(&self.parameters, medians))?;
        let written: Vec<String> =
            self.parameters.iter().zip(medians).map(|(p, m)| format!("{} = {m}", p.key)).collect();
        Ok(format!(
            "# Calibrated by corridor {} from {} against {}:\n#   {}\n# Posterior medians written in: {}.\n\n{text}",
            env!("CARGO_PKG_VERSION"),
            self.scenario.path.display(),
            self.job.observations.file,
            self.command(),
            written.join(", ")
        ))
    }
}

/// A word for a POSIX shell: as it is when that is safe, else quoted.
fn shell_word(word: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_./:=,+@%".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        word.to_string()
    } else if word.chars().any(char::is_control) {
        format!("$'{}'", word.escape_default())
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// What a shard plays (and the unsplit command, with every set): the sets `held` of the
/// design, each whole — its runs 0 .. R − 1 and its statistics against every target. Sets are
/// spread over the threads, one set per thread at a time; scores come back in design order.
fn play(fit: &Fit, held: Range<u64>, pool: &rayon::ThreadPool, bar: &ProgressBar) -> Result<Vec<Vec<Score>>> {
    let sets = &fit.design[held.start as usize..held.end as usize];
    pool.install(|| {
        sets.par_iter()
            .map(|values| {
                if crate::cancel::requested().is_some() {
                    return Ok(Vec::new()); // stopping: discarded by the caller
                }
                let s = fit.variants.scenario(&assignments(&fit.parameters, values))?;
                let scores = calibration::evaluate(&Model::new(&s), &fit.targets, fit.runs, fit.seed);
                bar.inc(fit.runs);
                Ok(scores)
            })
            .collect()
    })
}

/// What the unsplit command and the merge both do once every set is scored: the distances,
/// the acceptance and the posterior, the check runs of the calibrated scenario, and every file
/// of the folder ([`write_outputs`]). Returns the table for stdout.
fn conclude(fit: &Fit, scores: &[Vec<Score>], pool: &rayon::ThreadPool, dir: &Path) -> Result<String> {
    let distances: Vec<f64> = scores.iter().map(|s| calibration::distance(s, &fit.fitted)).collect();
    let accepted = calibration::accept(&distances, fit.job.accept);
    let posterior: Vec<_> =
        (0..fit.parameters.len()).filter_map(|p| calibration::posterior(&fit.design, &accepted, p)).collect();
    let medians: Vec<f64> = posterior.iter().map(|p| p.median).collect();

    // The calibrated scenario, scored on every target with `check_runs` runs.
    let calibrated = fit.variants.scenario(&assignments(&fit.parameters, &medians))?;
    let mut model = Model::new(&calibrated);
    model.targets = fit.targets.clone();
    let check = simulate_summaries(&[&model], fit.seed, fit.job.check_runs, pool, |_| ());
    check_interrupted()?;
    let check_scores = check.accs[0].targets().map(|t| t.scores()).unwrap_or_default();

    let c = Calibration {
        scenario: &fit.scenario,
        parameters: &fit.parameters,
        targets: &fit.targets,
        fitted: &fit.fitted,
        design: &fit.design,
        scores,
        distances: &distances,
        accepted: &accepted,
        posterior: &posterior,
        runs: fit.runs,
        seed: fit.seed,
        check_runs: fit.job.check_runs,
        check: &check_scores,
        train_until: fit.until,
    };
    write_outputs(&c, &fit.calibrated_toml(&medians)?, &fit.job.observations.bytes, dir)?;
    Ok(report::calibration_table(&c))
}

/// Writes every file of a calibration folder into `dir`: the same for `calibrate` and `merge`.
fn write_outputs(c: &Calibration, calibrated_toml: &str, observations: &[u8], dir: &Path) -> Result<()> {
    report::write_calibration(c, &dir.join("calibration.csv"))?;
    report::write_posterior(c, &dir.join("posterior.csv"))?;
    report::write_calibrated_hindcast(c, &dir.join("calibrated_hindcast.csv"))?;
    for (name, bytes) in [("calibrated.toml", calibrated_toml.as_bytes()), ("observations.csv", observations)] {
        let path = dir.join(name);
        std::fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
    }
    report::write_calibration_meta(c, &dir.join("calibrate.toml"))?;
    // The charts are drawn from the files just written, as `corridor plot` draws them.
    let data = report::CalibrationData::load(dir)?;
    report::charts::draw_calibration_charts(&data, &report::charts::Style::default(), dir, None)?;
    Ok(())
}

/// `corridor merge` of the partials of a calibration: their sets' statistics (every set once,
/// in design order) accepted and concluded as by the unsplit command, which includes the check
/// runs of the calibrated scenario (one thread per core: the result does not depend on it).
/// Returns the table for stdout.
pub(super) fn merged(header: &PartialHeader, job: &CalibrateJob, sets: Vec<SetScores>, dir: &Path) -> Result<String> {
    let fit = Fit::from_partial(header, job)?;
    if fit.design.len() as u64 != header.total || sets.len() as u64 != header.total {
        let why = format!("{} parameter sets in the design, {} in the partials", fit.design.len(), sets.len());
        return Err(inconsistent(header, &why).into());
    }
    if sets.iter().enumerate().any(|(i, s)| s.index != i as u64 || s.scores.len() != fit.targets.len()) {
        return Err(inconsistent(header, "its sets are not one per parameter set, scored on every target").into());
    }
    let scores: Vec<Vec<Score>> = sets.into_iter().map(|s| s.scores).collect();
    let (pool, workers) = pool(None)?;
    let model = Model::new(&fit.scenario);
    let play_memory = memory::Play { workers, quantiles: false, rows: false };
    check_memory(&fit.scenario, &[&model], play_memory, Checks::default())?;
    conclude(&fit, &scores, &pool, dir)
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
