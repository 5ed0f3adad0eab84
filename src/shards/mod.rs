//! One job split over many machines, and merged back exactly. Shard I of N (1-based, as
//! `cargo nextest --partition`) of a job plays a fixed part of the work — a contiguous range of
//! run indices, or of the sets of sites (`critical`) or of parameter values (`calibrate`) — and
//! writes a partial file ([`partial`]) holding what the job was ([`job`]: verb and arguments;
//! scenarios with their network, seed, runs) and the mergeable state of its part: accumulators
//! of integer sums, which add up to the same bits in any order, runs.csv rows in run order, or
//! the results of whole sets. [`merge`] checks that partials belong together and cover the job
//! once, and adds them up; `app::merge` writes the same folder as the unsplit command from the
//! result.
//!
//! A verb joins by adding a [`Job`] variant (its arguments), using a [`State`] variant (or
//! adding one, with its merge rule in [`State::absorb`]), writing its partial with
//! [`partial::PartialWriter`], and adding its arm to `app::merge`, which writes its outputs.

pub mod job;
pub mod merge;
pub mod partial;

pub use job::{CalibrateJob, Job, Observations, Unit};
pub use merge::{Merged, check, merge};
pub use partial::{Input, Made, PartialFile, PartialHeader, PartialWriter, SetResult, SetScores, State};

use std::ops::Range;

/// Which items a shard holds, for people: `runs 175–349`, `sets 0–20`, `no runs`.
pub fn held(unit: Unit, r: &Range<u64>) -> String {
    use crate::report::thousands;
    if r.is_empty() {
        format!("no {}", unit.name())
    } else {
        format!("{} {}–{}", unit.name(), thousands(r.start), thousands(r.end - 1))
    }
}

/// The most shards of one job (Kubernetes allows 100,000 completions of an Indexed Job).
pub const MAX_SHARDS: u64 = 100_000;

/// A bad `--shard`, `--shards` or array-job environment, a partial file that cannot be read,
/// or partials that do not belong together: exit code 2.
#[derive(Debug, thiserror::Error)]
pub enum ShardError {
    #[error("{0}")]
    Usage(String),
    #[error("{}: {message}", path.display())]
    File { path: std::path::PathBuf, message: String },
    #[error("{0}")]
    Mismatch(String),
}

/// Shard `index` (1-based) of `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl Shard {
    /// Shard `index` of `count`, checked: 1 ≤ index ≤ count ≤ [`MAX_SHARDS`].
    pub fn new(index: u64, count: u64) -> Result<Shard, String> {
        if count == 0 || count > MAX_SHARDS {
            return Err(format!("the number of shards must be from 1 to {MAX_SHARDS}, found {count}"));
        }
        if index == 0 || index > count {
            return Err(format!("the shard index must be from 1 to {count} (shards count from 1), found {index}"));
        }
        Ok(Shard { index, count })
    }

    /// The items of `0..total` this shard holds: `floor((I−1)·total/N) .. floor(I·total/N)`.
    /// The shards of a job hold contiguous ranges, in order, that differ in size by one at most.
    pub fn range(&self, total: u64) -> Range<u64> {
        let at = |i: u64| (u128::from(i) * u128::from(total) / u128::from(self.count)) as u64;
        at(self.index - 1)..at(self.index)
    }

    /// `shard-I-of-N.partial`: the default file name of its partial.
    pub fn file_name(&self) -> String {
        format!("shard-{}-of-{}.partial", self.index, self.count)
    }
}

/// What `--shard` asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShardSpec {
    Fixed(Shard),
    /// From the environment of a Slurm job array or a Kubernetes Indexed Job.
    Auto,
}

impl std::str::FromStr for ShardSpec {
    type Err = String;

    /// `I/N` or `auto`.
    fn from_str(text: &str) -> Result<ShardSpec, String> {
        if text == "auto" {
            return Ok(ShardSpec::Auto);
        }
        let expected = "expected I/N (shard I of N, counting from 1, such as 2/8) or auto";
        let (i, n) = text.split_once('/').ok_or_else(|| expected.to_string())?;
        let number = |s: &str| s.trim().parse::<u64>().map_err(|_| format!("`{s}` is not a whole number; {expected}"));
        Ok(ShardSpec::Fixed(Shard::new(number(i)?, number(n)?)?))
    }
}

/// The shard of `--shard auto`, from the variables of an array job (`var` reads one):
/// `SLURM_ARRAY_TASK_ID`, `SLURM_ARRAY_TASK_COUNT`, `SLURM_ARRAY_TASK_MIN` and
/// `SLURM_ARRAY_TASK_STEP` (shard (ID − MIN) / STEP + 1 of COUNT, so `--array=0-3` and
/// `--array=1-4` both work), or else `JOB_COMPLETION_INDEX` (0-based) with `--shards N`.
pub fn from_environment(var: impl Fn(&str) -> Option<String>, shards: Option<u64>) -> Result<Shard, ShardError> {
    let usage = |m: String| ShardError::Usage(format!("--shard auto: {m}"));
    let number = |name: &str| -> Result<Option<u64>, ShardError> {
        var(name)
            .map(|v| v.trim().parse::<u64>().map_err(|_| usage(format!("{name}={v} is not a whole number"))))
            .transpose()
    };
    if let Some(id) = number("SLURM_ARRAY_TASK_ID")? {
        let count = number("SLURM_ARRAY_TASK_COUNT")?
            .ok_or_else(|| usage("SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not".into()))?;
        let min = number("SLURM_ARRAY_TASK_MIN")?.unwrap_or(0);
        let step = number("SLURM_ARRAY_TASK_STEP")?.unwrap_or(1).max(1);
        let offset = id.checked_sub(min).filter(|o| o % step == 0).map(|o| o / step);
        let shard = offset.and_then(|o| Shard::new(o + 1, count).ok()).ok_or_else(|| {
            usage(format!(
                "SLURM_ARRAY_TASK_ID={id} is not one of {count} evenly spaced tasks from SLURM_ARRAY_TASK_MIN={min} \
                 (submit the array as --array=0-{} or --array=1-{count})",
                count.saturating_sub(1)
            ))
        })?;
        if let Some(n) = shards.filter(|&n| n != count) {
            return Err(usage(format!("--shards {n} but SLURM_ARRAY_TASK_COUNT={count}")));
        }
        return Ok(shard);
    }
    if let Some(index) = number("JOB_COMPLETION_INDEX")? {
        let count = shards.ok_or_else(|| {
            usage("JOB_COMPLETION_INDEX is set: give the number of completions with --shards N".into())
        })?;
        return Shard::new(index.saturating_add(1), count)
            .map_err(|m| usage(format!("JOB_COMPLETION_INDEX={index} with --shards {count}: {m}")));
    }
    Err(usage(
        "neither SLURM_ARRAY_TASK_ID (a Slurm job array) nor JOB_COMPLETION_INDEX (a Kubernetes Indexed Job) is set; \
         give the shard as --shard I/N"
            .into(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn spec(text: &str) -> Result<ShardSpec, String> {
        text.parse()
    }

    #[test]
    fn shards_parse_and_bad_ones_say_why() {
        assert_eq!(spec("2/8"), Ok(ShardSpec::Fixed(Shard { index: 2, count: 8 })));
        assert_eq!(spec("auto"), Ok(ShardSpec::Auto));
        for (bad, why) in [
            ("0/4", "from 1 to 4"),
            ("5/4", "from 1 to 4"),
            ("1/0", "from 1 to 100000"),
            ("0/0", "from 1 to 100000"),
            ("2", "expected I/N"),
            ("a/4", "`a` is not a whole number"),
            ("-1/4", "not a whole number"),
            ("1/100001", "from 1 to 100000"),
        ] {
            let e = spec(bad).unwrap_err();
            assert!(e.contains(why), "{bad}: {e}");
        }
    }

    #[test]
    fn ranges_tile_the_items_in_order() {
        for total in [0, 1, 5, 700, 1_000_000_007] {
            for count in [1, 2, 3, 7, 8, 13] {
                let mut next = 0;
                for index in 1..=count {
                    let r = Shard { index, count }.range(total);
                    assert_eq!(r.start, next);
                    assert!(r.end - r.start <= total / count + 1);
                    next = r.end;
                }
                assert_eq!(next, total);
            }
        }
        assert_eq!(Shard { index: 2, count: 4 }.range(10), 2..5);
        assert_eq!(Shard { index: 3, count: 4 }.file_name(), "shard-3-of-4.partial");
    }

    fn env(vars: &[(&str, &str)], shards: Option<u64>) -> Result<Shard, String> {
        let map: HashMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        from_environment(|k| map.get(k).cloned(), shards).map_err(|e| e.to_string())
    }

    #[test]
    fn array_jobs_name_their_shard() {
        let slurm = |id: &str, min: &str| {
            env(&[("SLURM_ARRAY_TASK_ID", id), ("SLURM_ARRAY_TASK_COUNT", "4"), ("SLURM_ARRAY_TASK_MIN", min)], None)
        };
        assert_eq!(slurm("0", "0"), Ok(Shard { index: 1, count: 4 }));
        assert_eq!(slurm("3", "0"), Ok(Shard { index: 4, count: 4 }));
        assert_eq!(slurm("4", "1"), Ok(Shard { index: 4, count: 4 }));
        assert!(slurm("4", "0").unwrap_err().contains("SLURM_ARRAY_TASK_ID=4 is not one of 4"));
        let stepped = env(
            &[
                ("SLURM_ARRAY_TASK_ID", "8"),
                ("SLURM_ARRAY_TASK_COUNT", "3"),
                ("SLURM_ARRAY_TASK_MIN", "0"),
                ("SLURM_ARRAY_TASK_STEP", "4"),
            ],
            None,
        );
        assert_eq!(stepped, Ok(Shard { index: 3, count: 3 }));
        assert_eq!(env(&[("JOB_COMPLETION_INDEX", "0")], Some(5)), Ok(Shard { index: 1, count: 5 }));
        assert!(env(&[("JOB_COMPLETION_INDEX", "5")], Some(5)).unwrap_err().contains("JOB_COMPLETION_INDEX=5"));
        assert!(env(&[("JOB_COMPLETION_INDEX", "0")], None).unwrap_err().contains("--shards N"));
        assert!(env(&[], Some(3)).unwrap_err().contains("neither SLURM_ARRAY_TASK_ID"));
        assert!(env(&[("SLURM_ARRAY_TASK_ID", "x")], None).unwrap_err().contains("not a whole number"));
        let both = env(&[("SLURM_ARRAY_TASK_ID", "1"), ("SLURM_ARRAY_TASK_COUNT", "4")], Some(3));
        assert!(both.unwrap_err().contains("--shards 3 but SLURM_ARRAY_TASK_COUNT=4"));
    }
}
