//! Whether partial files belong to one job and cover it exactly once, and the sum of their
//! states. Every refusal names the files (or the missing shards) and says what differs.

use super::job::Job;
use super::partial::{PartialFile, State};
use super::{Shard, ShardError, held};
use crate::report::thousands;

/// The partials of one job, in shard order, and their summed state.
#[derive(Debug)]
pub struct Merged<'a> {
    pub files: Vec<&'a PartialFile>,
    pub state: State,
}

/// Sorts `files` by shard and checks that they are the shards of one job — same version, verb
/// and arguments, scenarios, networks, seed, runs and shard count — each once, none missing.
pub fn check(files: &[PartialFile]) -> Result<Vec<&PartialFile>, ShardError> {
    let Some(first) = files.first() else {
        return Err(ShardError::Usage("merge needs at least one partial file".into()));
    };
    let a = &first.header;
    for f in &files[1..] {
        let b = &f.header;
        let differ = |what: String| {
            Err(ShardError::Mismatch(format!(
                "{} and {} are not shards of one job: {what}",
                first.path.display(),
                f.path.display()
            )))
        };
        if a.job.verb() != b.job.verb() {
            return differ(format!("verbs {} and {}", a.job.verb(), b.job.verb()));
        }
        if a.inputs.len() != b.inputs.len() {
            return differ(format!("{} and {} scenarios", a.inputs.len(), b.inputs.len()));
        }
        for (x, y) in a.inputs.iter().zip(&b.inputs) {
            if x.scenario_sha256 != y.scenario_sha256 || x.scenario != y.scenario {
                let (x, y) = ((&*x.scenario_file, &*x.scenario_sha256), (&*y.scenario_file, &*y.scenario_sha256));
                return differ(contents("scenarios", "scenario_sha256", x, y));
            }
            if x.network_sha256 != y.network_sha256 || x.nodes_csv != y.nodes_csv || x.edges_csv != y.edges_csv {
                let (x, y) = ((&*x.network, &*x.network_sha256), (&*y.network, &*y.network_sha256));
                return differ(contents("networks", "network_sha256", x, y));
            }
            if x.scenario_file != y.scenario_file || x.network != y.network {
                return differ(format!(
                    "the same scenario named differently ({} and {}): meta.toml records the name",
                    x.scenario_file, y.scenario_file
                ));
            }
        }
        if a.seed != b.seed {
            return differ(format!("seeds {} and {}", a.seed, b.seed));
        }
        if a.runs != b.runs {
            return differ(format!("{} and {} runs", thousands(a.runs), thousands(b.runs)));
        }
        if let (Job::Calibrate(x), Job::Calibrate(y)) = (&a.job, &b.job) {
            let flags = x.differences(y);
            if !flags.is_empty() {
                return differ(format!("different arguments to calibrate: {}", flags.join(", ")));
            }
            let (x, y) = (&x.observations, &y.observations);
            if x.sha256 != y.sha256 || x.bytes != y.bytes {
                let (x, y) = ((&*x.file, &*x.sha256), (&*y.file, &*y.sha256));
                return differ(contents("observations", "observations_sha256", x, y));
            }
            if x.file != y.file {
                return differ(format!(
                    "the same observations named differently ({} and {}): calibrated.toml records the name",
                    x.file, y.file
                ));
            }
        }
        if a.job != b.job {
            return differ(format!("different arguments to {} ({:?} and {:?})", a.job.verb(), a.job, b.job));
        }
        if a.shard.count != b.shard.count {
            return differ(format!("split into {} and into {} shards", a.shard.count, b.shard.count));
        }
        if a.name != b.name || a.unit != b.unit || a.total != b.total {
            return differ(format!("{} {} and {} {}", a.total, a.unit.name(), b.total, b.unit.name()));
        }
    }
    for f in files {
        let h = &f.header;
        if h.held != h.shard.range(h.total) {
            return Err(ShardError::File {
                path: f.path.clone(),
                message: format!(
                    "damaged: shard {} holds {:?}, not its share of {} {}",
                    h.shard,
                    h.held,
                    h.total,
                    h.unit.name()
                ),
            });
        }
    }
    let mut sorted: Vec<&PartialFile> = files.iter().collect();
    sorted.sort_by_key(|f| f.header.shard.index);
    for pair in sorted.windows(2) {
        if pair[0].header.shard.index == pair[1].header.shard.index {
            let h = &pair[0].header;
            return Err(ShardError::Mismatch(format!(
                "{} and {} are both shard {} (they overlap: {})",
                pair[0].path.display(),
                pair[1].path.display(),
                h.shard,
                held(h.unit, &h.held)
            )));
        }
    }
    let count = a.shard.count;
    let missing: Vec<u64> =
        (1..=count).filter(|i| sorted.binary_search_by_key(i, |f| f.header.shard.index).is_err()).collect();
    if !missing.is_empty() {
        let listed: Vec<String> = missing
            .iter()
            .take(10)
            .map(|&index| {
                let shard = Shard { index, count };
                format!("{shard} ({})", held(a.unit, &shard.range(a.total)))
            })
            .collect();
        return Err(ShardError::Mismatch(format!(
            "missing {} of {count} shards: {}{}; play each with its --shard I/N, then merge again",
            missing.len(),
            listed.join(", "),
            if missing.len() > 10 { ", …" } else { "" },
        )));
    }
    Ok(sorted)
}

/// `different WHAT (X with KEY abc…, Y with def…)`, for two files `(name, hash)` whose contents
/// differ.
fn contents(what: &str, key: &str, (x, x_hash): (&str, &str), (y, y_hash): (&str, &str)) -> String {
    format!("different {what} ({x} with {key} {}…, {y} with {}…)", short(x_hash), short(y_hash))
}

/// The first 12 characters of a hash (all of a shorter one).
fn short(hash: &str) -> &str {
    hash.get(..12).unwrap_or(hash)
}

/// Adds the states of `files` (checked by [`check`], in shard order), into `total` when given:
/// an empty state shaped by the caller from the job's scenarios, so that a partial of another
/// shape cannot change the shape of the result.
pub fn merge<'a>(files: Vec<&'a PartialFile>, mut total: Option<State>) -> Result<Merged<'a>, ShardError> {
    for f in &files {
        let damaged = |m: &str| ShardError::File { path: f.path.clone(), message: format!("damaged: {m}") };
        let state = f.state()?;
        if !matches!(state, State::Runs { .. }) && state.set_indices().into_iter().ne(f.header.held.clone()) {
            return Err(damaged("its sets are not those of its shard"));
        }
        match total.as_mut() {
            None => total = Some(state),
            Some(t) => t.absorb(state).map_err(|m| damaged(&m))?,
        }
    }
    let state = total.ok_or_else(|| ShardError::Usage("merge needs at least one partial file".into()))?;
    Ok(Merged { files, state })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shards::partial::tests::header;

    fn file(name: &str, index: u64, count: u64, edit: impl Fn(&mut crate::shards::PartialHeader)) -> PartialFile {
        let mut h = header(index, count);
        edit(&mut h);
        PartialFile::fake(name, h)
    }

    fn refusal(files: &[PartialFile]) -> String {
        check(files).unwrap_err().to_string()
    }

    #[test]
    fn shards_in_any_order_come_back_in_order() {
        let files: Vec<PartialFile> = [3, 1, 4, 2].iter().map(|&i| file(&format!("p{i}"), i, 4, |_| ())).collect();
        let order: Vec<u64> = check(&files).unwrap().iter().map(|f| f.header.shard.index).collect();
        assert_eq!(order, [1, 2, 3, 4]);
    }

    #[test]
    fn partials_of_different_jobs_are_refused_naming_both_files() {
        type Edit = Box<dyn Fn(&mut crate::shards::PartialHeader)>;
        let cases: Vec<(&str, Edit)> = vec![
            ("seeds 1 and 2", Box::new(|h| h.seed = 2)),
            ("100 and 200 runs", Box::new(|h| h.runs = 200)),
            (
                "different scenarios (t.toml with scenario_sha256 5c3a5c3a5c3a…, t.toml with 000",
                Box::new(|h| {
                    h.inputs[0].scenario.push(' ');
                    h.inputs[0].scenario_sha256 = "0".repeat(64);
                }),
            ),
            ("different networks (net with network_sha256", Box::new(|h| h.inputs[0].edges_csv.push(' '))),
            ("verbs run and compare", Box::new(|h| h.job = crate::shards::Job::Compare)),
            (
                "different arguments to run",
                Box::new(|h| h.job = crate::shards::Job::Run { runs_csv: false, report: false }),
            ),
            ("split into 2 and into 3 shards", Box::new(|h| h.shard.count = 3)),
        ];
        for (why, edit) in cases {
            let e = refusal(&[file("a.partial", 1, 2, |_| ()), file("b.partial", 2, 2, edit)]);
            assert!(e.starts_with("a.partial and b.partial are not shards of one job: "), "{e}");
            assert!(e.contains(why), "{why}: {e}");
        }
    }

    #[test]
    fn overlaps_and_gaps_are_named() {
        let e = refusal(&[file("a", 2, 4, |_| ()), file("b", 1, 4, |_| ()), file("c", 2, 4, |_| ())]);
        assert_eq!(e, "a and c are both shard 2/4 (they overlap: runs 25–49)");
        let e = refusal(&[file("a", 2, 4, |_| ()), file("b", 4, 4, |_| ())]);
        assert_eq!(
            e,
            "missing 2 of 4 shards: 1/4 (runs 0–24), 3/4 (runs 50–74); play each with its --shard I/N, then merge again"
        );
        let e = refusal(&[file("a", 1, 2, |h| h.held = 0..10)]);
        assert!(e.contains("a: damaged: shard 1/2 holds 0..10"), "{e}");
    }
}
