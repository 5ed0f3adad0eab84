//! A job split with `--shard I/N` and put together with `corridor merge` gives the same output
//! folder as the unsplit command, byte for byte (provenance.toml aside), for any number of
//! shards, any thread count per shard and any order of the partials; partials that do not
//! belong together are refused, and bad `--shard` values are usage errors.

mod common;

use assert_cmd::Command;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn corridor() -> Command {
    Command::cargo_bin("corridor").expect("the corridor binary is built")
}

fn data(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(name).display().to_string()
}

fn shipped(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios").join(name).display().to_string()
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// `corridor ARGS --out OUT --quiet`, which must succeed.
fn ok(args: &[&str], out: &Path) {
    corridor().args(args).args(["--out", s(out), "--quiet"]).assert().success();
}

/// Plays `args` in `n` shards (threads 1, 2, 1, …) into `dir`, merges the partials in reverse
/// order into `dir/merged-N` and returns its results.
fn split(args: &[&str], n: u64, dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut partials: Vec<PathBuf> = Vec::new();
    for i in 1..=n {
        let path = dir.join(format!("part-{i}-of-{n}.partial"));
        let (shard, threads) = (format!("{i}/{n}"), (1 + (i + 1) % 2).to_string());
        ok(&[args, &["--shard", &shard, "--threads", &threads]].concat(), &path);
        partials.push(path);
    }
    partials.reverse();
    let merged = dir.join(format!("merged-{n}"));
    corridor().arg("merge").args(&partials).args(["--out", s(&merged), "--quiet"]).assert().success();
    common::results(&merged)
}

/// The results of `args` unsplit (2 threads) in `dir/one`.
fn unsplit(args: &[&str], dir: &Path) -> BTreeMap<String, Vec<u8>> {
    ok(&[args, &["--threads", "2"]].concat(), &dir.join("one"));
    common::results(&dir.join("one"))
}

fn assert_same(one: &BTreeMap<String, Vec<u8>>, merged: &BTreeMap<String, Vec<u8>>, what: &str) {
    assert_eq!(one.keys().collect::<Vec<_>>(), merged.keys().collect::<Vec<_>>(), "{what}: files");
    for (name, bytes) in one {
        assert!(bytes == &merged[name], "{what}: {name} differs after the merge");
    }
}

#[test]
fn run_split_in_1_2_3_and_7_shards_merges_to_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let args = ["run", &data("mixed.toml")];
    let one = unsplit(&args, dir.path());
    for file in ["runs.csv", "summary.csv", "daily.csv", "meta.toml", "stock_c.png", "network.geojson"] {
        assert!(one.contains_key(file), "{file}");
    }
    for n in [1, 2, 3, 7] {
        assert_same(&one, &split(&args, n, dir.path()), &format!("{n} shards"));
        let provenance = std::fs::read_to_string(dir.path().join(format!("merged-{n}/provenance.toml"))).unwrap();
        assert_eq!(provenance.matches("[[shards]]").count() as u64, n, "{provenance}");
        assert!(provenance.contains(&format!("shard = \"{n}/{n}\"")), "{provenance}");
    }
}

/// The rows and the state of a partial file (its layout is in src/shards/partial.rs): all of
/// it but the header, which records the command, its threads and the date.
fn rows_and_state(path: &Path) -> (Vec<u8>, Vec<u8>) {
    let bytes = std::fs::read(path).unwrap();
    let word = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap()) as usize;
    let footer = bytes.len() - 56;
    let (r, h, st) = (word(footer), word(footer + 8), word(footer + 16));
    (bytes[20..20 + r].to_vec(), bytes[20 + r + h..20 + r + h + st].to_vec())
}

/// Regression: a partial's daily stock histograms were stored with their blocks in the order
/// values first fell in them, which followed how the threads shared out the runs, so a shard's
/// partial file was not the same bytes for another thread count (the merge was).
#[test]
fn partial_files_hold_the_same_bytes_for_any_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let parts: Vec<(Vec<u8>, Vec<u8>)> = ["1", "2", "2"]
        .iter()
        .enumerate()
        .map(|(k, threads)| {
            let path = dir.path().join(format!("p{k}.partial"));
            ok(&["run", &shipped("bamako_2025.toml"), "--runs", "640", "--shard", "2/3", "--threads", threads], &path);
            rows_and_state(&path)
        })
        .collect();
    assert!(parts[0].1.len() > 100_000, "the state holds the histograms");
    assert!(parts[0] == parts[1] && parts[1] == parts[2], "rows and state differ between thread counts");
}

#[test]
fn time_ordered_runs_with_an_adaptive_attacker_merge_to_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let args = ["run", &shipped("adaptive_attacker.toml"), "--runs", "40"];
    let one = unsplit(&args, dir.path());
    assert!(one.contains_key("attackers.csv"));
    assert_same(&one, &split(&args, 3, dir.path()), "adaptive_attacker");
}

#[test]
fn compare_sweep_and_critical_split_merge_to_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let compare = ["compare", &data("mixed.toml"), &data("p_attack.toml"), &data("mixed.toml"), "--runs", "300"];
    let at = dir.path().join("compare");
    let one = unsplit(&compare, &at);
    assert!(one.contains_key("comparison.csv") && one.contains_key("differences.png"));
    assert_same(&one, &split(&compare, 3, &at), "compare");

    let sweep = ["sweep", &data("mixed.toml"), "--set", "blockade.border.attack_prob=0:0.4:0.2", "--runs", "200"];
    let at = dir.path().join("sweep");
    let one = unsplit(&sweep, &at);
    assert!(one.contains_key("sweep.csv"));
    assert_same(&one, &split(&sweep, 2, &at), "sweep");

    let critical = ["critical", &data("mixed.toml"), "--k", "2", "--runs", "60"];
    let at = dir.path().join("critical");
    let one = unsplit(&critical, &at);
    assert!(one.contains_key("critical.csv") && one.contains_key("critical_pairs.svg"));
    assert_same(&one, &split(&critical, 7, &at), "critical");
}

#[test]
fn without_runs_csv_partials_hold_no_rows_and_the_merge_writes_none_and_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let args = ["run", &data("mixed.toml"), "--no-runs-csv", "--report"];
    let one = unsplit(&args, dir.path());
    assert!(!one.contains_key("runs.csv"));
    assert_same(&one, &split(&args, 2, dir.path()), "--no-runs-csv");
    assert!(dir.path().join("merged-2/report.html").exists(), "--report is carried to the merge");
    let with_rows = dir.path().join("rows.partial");
    ok(&["run", &data("mixed.toml"), "--shard", "1/2"], &with_rows);
    let size = |p: &Path| std::fs::metadata(p).unwrap().len();
    // 350 runs of 2 demand nodes: 700 rows of runs.csv in the partial with them.
    assert!(size(&with_rows) > size(&dir.path().join("part-1-of-2.partial")) + 700 * 25);
}

#[test]
fn shard_auto_reads_the_array_job_and_writes_to_the_default_place() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = data("mixed.toml");
    for (id, min) in [("0", "0"), ("1", "0")] {
        corridor()
            .current_dir(dir.path())
            .args(["run", &scenario, "--shard", "auto", "--quiet"])
            .env("SLURM_ARRAY_TASK_ID", id)
            .env("SLURM_ARRAY_TASK_COUNT", "2")
            .env("SLURM_ARRAY_TASK_MIN", min)
            .env_remove("JOB_COMPLETION_INDEX")
            .assert()
            .success();
    }
    let folder = dir.path().join("output/mixed");
    assert!(folder.join("shard-1-of-2.partial").exists() && folder.join("shard-2-of-2.partial").exists());
    // A Kubernetes Indexed Job names the shard by JOB_COMPLETION_INDEX, the count by --shards.
    corridor()
        .current_dir(dir.path())
        .args(["run", &scenario, "--shard", "auto", "--shards", "3", "--quiet"])
        .env("JOB_COMPLETION_INDEX", "2")
        .env_remove("SLURM_ARRAY_TASK_ID")
        .assert()
        .success();
    assert!(folder.join("shard-3-of-3.partial").exists());
    // The merge writes where the unsplit run writes, beside the partials.
    corridor()
        .current_dir(dir.path())
        .args(["merge", "output/mixed/shard-2-of-2.partial", "output/mixed/shard-1-of-2.partial", "--quiet"])
        .assert()
        .success();
    ok(&["run", &scenario], &dir.path().join("one"));
    let mut merged = common::results(&folder);
    merged.retain(|name, _| !name.ends_with(".partial"));
    assert_same(&common::results(&dir.path().join("one")), &merged, "shard auto");
}

/// Runs `args`, expects exit code 2 and returns stderr.
fn refused(args: &[&str], cwd: &Path) -> String {
    let out = corridor()
        .current_dir(cwd)
        .args(args)
        .env_remove("SLURM_ARRAY_TASK_ID")
        .env_remove("JOB_COMPLETION_INDEX")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stderr).unwrap()
}

#[test]
fn bad_shards_are_usage_errors_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = data("mixed.toml");
    for (shard, why) in [
        ("0/4", "the shard index must be from 1 to 4"),
        ("5/4", "the shard index must be from 1 to 4"),
        ("1/0", "the number of shards must be from 1"),
        ("3", "expected I/N"),
    ] {
        let e = refused(&["run", &scenario, "--shard", shard], dir.path());
        assert!(e.contains("--shard") && e.contains(why), "{shard}: {e}");
    }
    let e = refused(&["run", &scenario, "--shard", "auto"], dir.path());
    assert!(e.contains("--shard auto: neither SLURM_ARRAY_TASK_ID"), "{e}");
    let e = refused(&["run", &scenario, "--shard", "1/2", "--precision", "c.unmet_m3=10"], dir.path());
    assert!(e.contains("--precision cannot be combined with --shard"), "{e}");
    let e = refused(&["critical", &scenario, "--k", "3", "--shard", "1/2"], dir.path());
    assert!(e.contains("critical --k 3 cannot be split"), "{e}");
    let e = refused(&["hindcast", &scenario, "--observations", "obs.csv", "--shard", "1/2"], dir.path());
    assert!(e.contains("--shard: hindcast cannot be split into shards"), "{e}");
    let calibrate =
        ["calibrate", &data("cal.toml"), "--observations", "obs.csv", "--fit", "blockade.b.attack_prob=0:1"];
    let e = refused(&[&calibrate[..], &["--shard", "1/2"]].concat(), dir.path());
    assert!(e.contains("obs.csv: cannot read"), "{e}");
    let e = refused(&[&calibrate[..], &["--shard", "0/2"]].concat(), dir.path());
    assert!(e.contains("the shard index must be from 1 to 2"), "{e}");
    let e = refused(&["run", &scenario, "--shard", "1/2", "--out", s(dir.path())], dir.path());
    assert!(e.contains("is a folder; with --shard, --out names the partial file"), "{e}");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "nothing written");
}

#[test]
fn partials_that_do_not_make_one_job_are_refused_by_name_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let shard = |extra: &[&str], i: u64, name: &str| {
        ok(&[&["run", &data("mixed.toml"), "--shard", &format!("{i}/3")], extra].concat(), &d.join(name));
        d.join(name).display().to_string()
    };
    let runs: &[&str] = &["--runs", "90"];
    let (a, b, c) = (shard(runs, 1, "a.partial"), shard(runs, 2, "b.partial"), shard(runs, 3, "c.partial"));
    let other_seed = shard(&["--runs", "90", "--seed", "9"], 3, "seed.partial");
    let other_runs = shard(&["--runs", "91"], 3, "runs.partial");
    let out = d.join("merged");
    let merge = |files: &[&str]| refused(&[&["merge"], files, &["--out", s(&out)]].concat(), d);
    let e = merge(&[&a, &b, &other_seed]);
    assert!(e.contains(&format!("{a} and {other_seed} are not shards of one job: seeds 5 and 9")), "{e}");
    let e = merge(&[&a, &b, &other_runs]);
    assert!(e.contains("90 and 91 runs"), "{e}");
    let e = merge(&[&a, &b, &b, &c]);
    assert!(e.contains(&format!("{b} and {b} are both shard 2/3 (they overlap: runs 30–59)")), "{e}");
    let e = merge(&[&c, &a]);
    assert!(e.contains("missing 1 of 3 shards: 2/3 (runs 30–59)"), "{e}");
    let other_scenario = d.join("p_attack.partial").display().to_string();
    ok(&["run", &data("p_attack.toml"), "--runs", "90", "--seed", "5", "--shard", "3/3"], Path::new(&other_scenario));
    let e = merge(&[&a, &b, &other_scenario]);
    assert!(e.contains("not shards of one job: different scenarios ("), "{e}");
    // A partial cut short (a shard still running, a copy interrupted) or of another format version.
    let bytes = std::fs::read(&c).unwrap();
    let cut = d.join("cut.partial");
    std::fs::write(&cut, &bytes[..bytes.len() - 100]).unwrap();
    let e = merge(&[&a, &b, s(&cut)]);
    assert!(e.contains(&format!("{}: truncated or damaged", cut.display())), "{e}");
    let mut other = bytes.clone();
    other[16] = 2;
    std::fs::write(&cut, &other).unwrap();
    let e = merge(&[&a, &b, s(&cut)]);
    assert!(e.contains(&format!("{}: partial file format version 2", cut.display())), "{e}");
    let mut flipped = bytes;
    flipped[30] ^= 4;
    std::fs::write(&cut, &flipped).unwrap();
    let e = merge(&[&a, &b, s(&cut)]);
    assert!(e.contains(&format!("{}: damaged: its SHA-256 does not match", cut.display())), "{e}");
    assert!(!out.exists(), "nothing written");
    let leftovers: Vec<_> = std::fs::read_dir(d).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert!(leftovers.iter().all(|n| n.to_string_lossy().ends_with(".partial")), "{leftovers:?}");
}

/// calibrate on cal.toml: two parameters, `samples` sets of 20 runs, trained on September.
fn calibrate_args(samples: &str) -> Vec<String> {
    let fits = ["blockade.b.attack_prob=0:1", "demand.c.consumption_m3_per_day=200:600"];
    let mut args =
        vec!["calibrate".to_string(), data("cal.toml"), "--observations".into(), data("cal_observations.csv")];
    for f in fits {
        args.extend(["--fit".to_string(), f.to_string()]);
    }
    let rest = ["--samples", samples, "--runs", "20", "--accept", "0.25", "--check-runs", "40"];
    args.extend(rest.iter().chain(&["--train-until", "2025-09-30"]).map(|a| a.to_string()));
    args
}

#[test]
fn calibrate_split_in_1_2_3_and_7_shards_merges_to_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let owned = calibrate_args("40");
    let args: Vec<&str> = owned.iter().map(String::as_str).collect();
    let one = unsplit(&args, dir.path());
    let files: Vec<&String> = one.keys().collect();
    let expected =
        ["calibrated.toml", "calibrated_hindcast.csv", "calibration.csv", "observations.csv", "posterior.csv"];
    for file in expected {
        assert!(one.contains_key(file), "{file} in {files:?}");
    }
    let sets = common::rows(&dir.path().join("one/calibration.csv"));
    assert_eq!(sets.len(), 40);
    assert_eq!(sets.iter().filter(|r| r["accepted"] == "true").count(), 10);
    // One thread gives the same bytes as two, calibrated.toml's header included.
    ok(&[&args[..], &["--threads", "1"]].concat(), &dir.path().join("one-thread"));
    assert_same(&one, &common::results(&dir.path().join("one-thread")), "1 thread");
    for n in [1, 2, 3, 7] {
        assert_same(&one, &split(&args, n, dir.path()), &format!("calibrate in {n} shards"));
        let provenance = std::fs::read_to_string(dir.path().join(format!("merged-{n}/provenance.toml"))).unwrap();
        assert_eq!(provenance.matches("[[shards]]").count() as u64, n, "{provenance}");
    }
    let provenance = std::fs::read_to_string(dir.path().join("merged-3/provenance.toml")).unwrap();
    assert!(provenance.contains("held = \"sets 13–25\""), "{provenance}");
}

#[test]
fn calibrate_with_more_shards_than_sets_merges_to_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let owned = calibrate_args("2");
    let args: Vec<&str> = owned.iter().map(String::as_str).collect();
    let one = unsplit(&args, dir.path());
    // Shard I of 3 holds sets floor((I − 1)·2/3) .. floor(I·2/3): none, set 0, set 1.
    assert_same(&one, &split(&args, 3, dir.path()), "2 sets in 3 shards");
    let provenance = std::fs::read_to_string(dir.path().join("merged-3/provenance.toml")).unwrap();
    assert!(provenance.contains("held = \"no sets\""), "{provenance}");
}

#[test]
fn calibration_partials_of_other_arguments_or_observations_are_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let shard = |args: &[String], i: u64, name: &str| {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        ok(&[&args[..], &["--shard", &format!("{i}/2")]].concat(), &d.join(name));
        d.join(name).display().to_string()
    };
    let base = calibrate_args("8");
    let a = shard(&base, 1, "a.partial");
    let b = shard(&base, 2, "b.partial");
    let with = |from: &str, to: &str| {
        base.iter().map(|x| if x == from { to.to_string() } else { x.clone() }).collect::<Vec<_>>()
    };
    let out = d.join("merged");
    let merge = |files: &[&str]| refused(&[&["merge"], files, &["--out", s(&out)]].concat(), d);
    // Other observations: the same file name, other content.
    let observations = d.join("cal_observations.csv");
    let text = std::fs::read_to_string(data("cal_observations.csv")).unwrap();
    std::fs::write(&observations, text.replace("20,40,test", "20,41,test")).unwrap();
    let other = shard(&with(&data("cal_observations.csv"), s(&observations)), 2, "obs.partial");
    let e = merge(&[&a, &other]);
    assert!(e.contains(&format!("{a} and {other} are not shards of one job: different observations (")), "{e}");
    assert!(e.contains("with observations_sha256 "), "{e}");
    // The same content under another name: calibrated.toml would name it.
    std::fs::write(&observations, &text).unwrap();
    let renamed = shard(&with(&data("cal_observations.csv"), s(&observations)), 2, "renamed.partial");
    let e = merge(&[&a, &renamed]);
    assert!(e.contains("the same observations named differently"), "{e}");
    for (k, (from, to)) in [
        ("0.25", "0.5"),
        ("8", "9"),
        ("40", "41"),
        ("2025-09-30", "2025-09-29"),
        ("blockade.b.attack_prob=0:1", "blockade.b.attack_prob=0:0.9"),
    ]
    .into_iter()
    .enumerate()
    {
        let other = shard(&with(from, to), 2, "other.partial");
        let e = merge(&[&a, &other]);
        assert!(e.contains(&format!("{a} and {other} are not shards of one job: ")), "{from}: {e}");
        let flag = ["--accept", "--samples", "--check-runs", "--train-until", "--fit"][k];
        let named = format!("different arguments to calibrate: {flag} {from}");
        assert!(e.contains(&named) && e.contains(&format!(" and {to}")), "{from}: {e}");
    }
    let e = merge(&[&b]);
    assert!(e.contains("missing 1 of 2 shards: 1/2 (sets 0–3)"), "{e}");
    assert!(!out.exists(), "nothing written");
    corridor().arg("merge").args([&b, &a]).args(["--out", s(&out), "--quiet"]).assert().success();
}
