//! Output folders are replaced whole or not at all: concurrent runs into one folder, stale
//! files of an earlier run, interrupted runs and staging folders left by a killed run.

mod common;

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data");

fn data(name: &str) -> String {
    format!("{DATA}/{name}")
}

fn corridor() -> Command {
    Command::cargo_bin("corridor").unwrap()
}

/// `corridor run` as a child process (stdout and stderr captured).
fn spawn(args: &[&str]) -> Child {
    std::process::Command::new(assert_cmd::cargo::cargo_bin("corridor"))
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// The hidden entries beside a target folder (staging and old folders, the lock file).
fn hidden(parent: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(parent)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    v.sort();
    v
}

/// Waits until a staging folder beside `out` holds runs.csv (the simulation is under way).
fn wait_for_staging(parent: &Path) -> PathBuf {
    let start = Instant::now();
    loop {
        let staging = hidden(parent).into_iter().find(|n| n.contains("corridor-staging-"));
        if let Some(s) = staging.map(|s| parent.join(s)).filter(|s| s.join("runs.csv").exists()) {
            return s;
        }
        assert!(start.elapsed() < Duration::from_secs(60), "no staging folder appeared");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn stderr_of(child: Child) -> (i32, String) {
    let out = child.wait_with_output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stderr).into_owned())
}

/// A reference run of p_attack.toml with `seed` and 2,000 runs, into a fresh folder.
fn reference(seed: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    corridor()
        .args(["run", &data("p_attack.toml"), "--runs", "2000", "--seed", seed, "--quiet", "--out"])
        .arg(dir.path())
        .assert()
        .success();
    dir
}

#[test]
fn two_runs_into_one_out_never_mix_it() {
    let refs = [reference("1"), reference("2")];
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("o");
    let o = out.to_str().unwrap();
    for trial in 0..2 {
        let first = spawn(&["run", &data("p_attack.toml"), "--runs", "2000", "--seed", "1", "--quiet", "--out", o]);
        if trial % 2 == 0 {
            wait_for_staging(root.path()); // the second one surely meets the first's lock
        }
        let second = spawn(&["run", &data("p_attack.toml"), "--runs", "2000", "--seed", "2", "--quiet", "--out", o]);
        let ((c1, e1), (c2, e2)) = (stderr_of(first), stderr_of(second));
        for (code, err) in [(c1, &e1), (c2, &e2)] {
            assert!(code == 0 || code == 1, "exit {code} (never 2: this is not bad input): {err}");
            if code == 1 {
                assert!(err.contains("another corridor is writing this folder"), "{err}");
            }
        }
        if trial % 2 == 0 {
            assert_eq!((c1, c2), (0, 1), "{e1} {e2}");
        }
        // Whichever run wrote it, the folder is that run's, whole.
        let meta = std::fs::read_to_string(out.join("meta.toml")).unwrap();
        let seed = if meta.contains("seed = 1\n") { 0 } else { 1 };
        assert_eq!(common::results(&out), common::results(refs[seed].path()), "trial {trial}: a mixed folder");
        assert_eq!(hidden(root.path()), Vec::<String>::new());
    }
}

#[test]
fn stale_attackers_csv_is_gone_after_a_second_run() {
    let root = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(data("p_attack.toml"))
        .unwrap()
        .replace("network = \"line\"", &format!("network = \"{DATA}/line\""));
    let attacked = root.path().join("attacked.toml");
    let attacker = "[[attacker]]\nname = \"j\"\ncandidates = [\"b\", \"d\"]\npolicy = \"rotating\"\nperiod_days = 7\nattack_prob = 0.5\n";
    std::fs::write(&attacked, format!("{text}{attacker}")).unwrap();
    let out = root.path().join("o");
    for scenario in [attacked.to_str().unwrap(), &data("p_attack.toml")] {
        corridor().args(["run", scenario, "--runs", "20", "--quiet", "--out"]).arg(&out).assert().success();
        assert_eq!(out.join("attackers.csv").exists(), scenario.ends_with("attacked.toml"));
    }
    // The folder is the second run's alone, as if written fresh.
    let fresh = tempfile::tempdir().unwrap();
    corridor()
        .args(["run", &data("p_attack.toml"), "--runs", "20", "--quiet", "--out"])
        .arg(fresh.path())
        .assert()
        .success();
    let mut results = common::results(&out);
    results.remove("scenario.toml");
    let mut expected = common::results(fresh.path());
    expected.remove("scenario.toml");
    assert_eq!(results.keys().collect::<Vec<_>>(), expected.keys().collect::<Vec<_>>());
}

#[test]
fn moving_results_into_place_is_not_file_by_file() {
    // An entry of the old folder that no file may replace (a non-empty folder named daily.csv)
    // stopped the file-by-file move halfway; the folder is now replaced whole.
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("o");
    std::fs::create_dir_all(out.join("daily.csv/keep")).unwrap();
    std::fs::write(out.join("summary.csv"), "old\n").unwrap();
    corridor().args(["run", &data("p_attack.toml"), "--runs", "50", "--quiet", "--out"]).arg(&out).assert().success();
    let fresh = tempfile::tempdir().unwrap();
    corridor()
        .args(["run", &data("p_attack.toml"), "--runs", "50", "--quiet", "--out"])
        .arg(fresh.path())
        .assert()
        .success();
    assert!(out.join("daily.csv").is_file());
    assert_eq!(common::results(&out), common::results(fresh.path()));
    assert_eq!(hidden(root.path()), Vec::<String>::new());
}

#[cfg(unix)]
fn interrupted(signal: i32, expected: i32) {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("o");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("summary.csv"), "an earlier result\n").unwrap();
    let before = common::files(&out);
    let child =
        spawn(&["run", &data("p_attack.toml"), "--runs", "1000000000", "--quiet", "--out", out.to_str().unwrap()]);
    wait_for_staging(root.path());
    // SAFETY: a plain kill(2) of our own child.
    assert_eq!(unsafe { libc::kill(child.id() as i32, signal) }, 0);
    let start = Instant::now();
    let (code, stderr) = stderr_of(child);
    assert!(start.elapsed() < Duration::from_secs(10), "took {:?} to stop", start.elapsed());
    assert_eq!(code, expected, "{stderr}");
    assert_eq!(stderr, "interrupted\n");
    assert_eq!(hidden(root.path()), Vec::<String>::new(), "a staging folder was left");
    assert_eq!(common::files(&out), before, "the earlier result changed");
}

#[cfg(unix)]
#[test]
fn interrupted_runs_leave_no_staging_folder_sigterm() {
    interrupted(libc::SIGTERM, 143);
}

#[cfg(unix)]
#[test]
fn interrupted_runs_leave_no_staging_folder_sigint() {
    interrupted(libc::SIGINT, 130);
}

#[test]
fn a_staging_folder_left_by_a_killed_run_is_cleaned() {
    let root = tempfile::tempdir().unwrap();
    let left = root.path().join(".o.corridor-staging-4194305");
    std::fs::create_dir(&left).unwrap();
    std::fs::write(left.join("runs.csv"), "run,node\n0,c\n").unwrap();
    std::fs::create_dir(root.path().join(".o.corridor-partial")).unwrap(); // an older corridor's
    std::fs::create_dir(root.path().join(".other.corridor-staging-1")).unwrap(); // another target's
    corridor()
        .args(["run", &data("p_attack.toml"), "--runs", "10", "--quiet", "--out"])
        .arg(root.path().join("o"))
        .assert()
        .success();
    assert_eq!(hidden(root.path()), [".other.corridor-staging-1"]);
}

#[test]
fn out_under_a_file_is_bad_usage_like_out_a_file() {
    let root = tempfile::tempdir().unwrap();
    let file = root.path().join("afile");
    std::fs::write(&file, "x").unwrap();
    for out in [file.clone(), file.join("sub")] {
        let a = corridor().args(["run", &data("p_attack.toml"), "--runs", "10", "--out"]).arg(&out).assert().code(2);
        let stderr = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
        let expected = format!("error: --out {}: {} exists and is not a folder\n", out.display(), file.display());
        assert_eq!(stderr, expected);
    }
}

#[test]
fn plot_and_report_replace_the_folder_keeping_its_other_files() {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("o");
    corridor().args(["run", &data("p_attack.toml"), "--runs", "50", "--quiet", "--out"]).arg(&out).assert().success();
    std::fs::write(out.join("notes.txt"), "mine").unwrap();
    let before = common::files(&out);
    corridor().args(["plot", "--format", "png", "--width", "800", "--quiet"]).arg(&out).assert().success();
    let after = common::files(&out);
    assert_eq!(after.get("notes.txt").map(Vec::as_slice), Some(&b"mine"[..]));
    assert_eq!(after["runs.csv"], before["runs.csv"]);
    assert_eq!(after["stock_c.svg"], before["stock_c.svg"], "an SVG it did not redraw is kept");
    assert_ne!(after["stock_c.png"], before["stock_c.png"], "the PNG is redrawn at 800 px");
    corridor().args(["report", "--quiet"]).arg(&out).assert().success();
    assert!(out.join("report.html").exists() && out.join("notes.txt").exists());
    assert_eq!(hidden(root.path()), Vec::<String>::new());
}
