//! What a partial says its job was: the verb and its arguments beyond the scenario files,
//! `--runs` and `--seed`, and what the job is split into. Two partials are shards of one job
//! only if these are equal; a file the job reads besides the scenario (the observations of a
//! calibration) is carried whole, so that a partial is self-contained.

use serde::{Deserialize, Serialize};

/// The verb of a job and its arguments beyond the scenario files, `--runs` and `--seed`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Job {
    Run { runs_csv: bool, report: bool },
    Compare,
    Sweep { sets: Vec<String> },
    Critical { target: String, k: u64, strength: String },
    Calibrate(CalibrateJob),
}

impl Job {
    pub fn verb(&self) -> &'static str {
        match self {
            Job::Run { .. } => "run",
            Job::Compare => "compare",
            Job::Sweep { .. } => "sweep",
            Job::Critical { .. } => "critical",
            Job::Calibrate(_) => "calibrate",
        }
    }
}

/// The arguments of `calibrate` (`runs` in the header is the runs per parameter set).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalibrateJob {
    /// `--fit KEY=LO:HI`, as given.
    pub fits: Vec<String>,
    pub samples: u64,
    pub accept: f64,
    /// `--train-until`, as given.
    pub train_until: Option<String>,
    /// Runs of the calibrated scenario in the check (`--check-runs`, or the scenario file's
    /// `runs`).
    pub check_runs: u64,
    pub observations: Observations,
}

impl CalibrateJob {
    /// The flags whose values differ from `other`'s, as `--accept 0.1 and 0.2` (the
    /// observations are compared apart).
    pub fn differences(&self, other: &CalibrateJob) -> Vec<String> {
        let day = |d: &Option<String>| d.clone().unwrap_or_else(|| "(none)".into());
        [
            ("--fit", self.fits.join(" --fit "), other.fits.join(" --fit ")),
            ("--samples", self.samples.to_string(), other.samples.to_string()),
            ("--accept", self.accept.to_string(), other.accept.to_string()),
            ("--train-until", day(&self.train_until), day(&other.train_until)),
            ("--check-runs", self.check_runs.to_string(), other.check_runs.to_string()),
        ]
        .into_iter()
        .filter(|(_, a, b)| a != b)
        .map(|(flag, a, b)| format!("{flag} {a} and {b}"))
        .collect()
    }
}

/// An observations file as the shard read it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Observations {
    /// As named on the command line.
    pub file: String,
    /// Of its bytes, as [`crate::report::sha256`] gives it.
    pub sha256: String,
    pub bytes: Vec<u8>,
}

impl Observations {
    /// `bytes` read from `file`.
    pub fn new(file: String, bytes: Vec<u8>) -> Observations {
        Observations { file, sha256: crate::report::sha256(&[&bytes]), bytes }
    }
}

/// The file and its hash, not its bytes: messages that show a job stay short.
impl std::fmt::Debug for Observations {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} (observations_sha256 {}…)", self.file, self.sha256.get(..12).unwrap_or(&self.sha256))
    }
}

/// What the shards of a job split: run indices, or (critical, calibrate) sets: of sites, or
/// of parameter values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Unit {
    Runs,
    Sets,
}

impl Unit {
    pub fn name(self) -> &'static str {
        match self {
            Unit::Runs => "runs",
            Unit::Sets => "sets",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn observations_show_their_file_and_hash_not_their_bytes() {
        let o = Observations::new("obs.csv".into(), b"name,quantity\n".to_vec());
        let shown = format!("{o:?}");
        assert!(shown.starts_with("obs.csv (observations_sha256 "), "{shown}");
        assert!(shown.ends_with("…)") && !shown.contains("quantity"), "{shown}");
        assert_eq!(o.sha256, crate::report::sha256(&[b"name,quantity\n"]));
    }

    #[test]
    fn calibrations_name_the_flags_that_differ() {
        let job = CalibrateJob {
            fits: vec!["a=0:1".into()],
            samples: 8,
            accept: 0.1,
            train_until: None,
            check_runs: 100,
            observations: Observations::new("o.csv".into(), Vec::new()),
        };
        assert!(job.differences(&job.clone()).is_empty());
        let other =
            CalibrateJob { fits: vec!["a=0:2".into()], accept: 0.25, train_until: Some("9".into()), ..job.clone() };
        assert_eq!(
            job.differences(&other),
            ["--fit a=0:1 and a=0:2", "--accept 0.1 and 0.25", "--train-until (none) and 9"]
        );
    }
}
