//! `--precision NODE.METRIC=HALF_WIDTH`: runs are played in waves of 1,000 and stop after the
//! first wave at which every target holds, the same for any thread count; `--runs` is the cap.

mod common;

use assert_cmd::Command;
use corridor::report::thousands;
use std::path::Path;

fn corridor() -> Command {
    Command::cargo_bin("corridor").expect("the corridor binary is built")
}

fn data(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(name).display().to_string()
}

/// `corridor ARGS --out DIR`, which must succeed; returns stdout.
fn ok(args: &[&str], out: &Path) -> String {
    let o = corridor().args(args).args(["--out", out.to_str().unwrap()]).output().unwrap();
    assert!(o.status.success(), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

fn meta(dir: &Path, file: &str) -> toml::Table {
    toml::from_str(&std::fs::read_to_string(dir.join(file)).unwrap()).unwrap()
}

/// The `unmet_m3_ci95` of node c in a run folder's summary.csv.
fn unmet_ci(dir: &Path) -> f64 {
    let rows = common::rows(&dir.join("summary.csv"));
    common::f(rows.iter().find(|r| r["node"] == "c").unwrap(), "unmet_m3_ci95")
}

#[test]
fn runs_stop_at_the_first_wave_where_the_target_holds_for_any_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let args = ["run", &data("mixed.toml"), "--runs", "20000", "--precision", "c.unmet_m3=8"];
    let stdout = ok(&[&args[..], &["--threads", "1"]].concat(), &d.join("one"));
    ok(&[&args[..], &["--threads", "2", "--quiet"]].concat(), &d.join("two"));
    let (one, two) = (common::results(&d.join("one")), common::results(&d.join("two")));
    assert_eq!(one, two, "the same runs and outputs with 1 and 2 threads");

    let m = meta(&d.join("one"), "meta.toml");
    let runs = m["runs"].as_integer().unwrap() as u64;
    assert!(runs.is_multiple_of(1000) && runs > 1000 && runs < 20_000, "{runs}");
    let p = m["precision"].as_table().unwrap();
    assert_eq!(p["met"].as_bool(), Some(true));
    assert_eq!(p["runs_cap"].as_integer(), Some(20_000));
    assert!(stdout.contains(&format!("precision: met after {} runs (cap 20,000", thousands(runs))), "{stdout}");
    assert!(stdout.contains("c.unmet_m3: ±"), "{stdout}");

    // The same as asking for that many runs, meta.toml's [precision] aside; one wave fewer
    // would not have met the target.
    let plain = ok(&["run", &data("mixed.toml"), "--runs", &runs.to_string(), "--quiet"], &d.join("plain"));
    assert!(plain.is_empty());
    let mut fixed = common::results(&d.join("plain"));
    let mut stopped = one.clone();
    let (fixed_meta, stopped_meta) = (fixed.remove("meta.toml").unwrap(), stopped.remove("meta.toml").unwrap());
    assert_eq!(fixed, stopped);
    let (fixed_meta, stopped_meta) = (String::from_utf8(fixed_meta).unwrap(), String::from_utf8(stopped_meta).unwrap());
    assert!(
        stopped_meta.starts_with(fixed_meta.trim_end()) && stopped_meta.contains("\n[precision]\n"),
        "{stopped_meta}"
    );
    assert!(unmet_ci(&d.join("plain")) <= 8.0);
    ok(&["run", &data("mixed.toml"), "--runs", &(runs - 1000).to_string(), "--quiet"], &d.join("fewer"));
    assert!(unmet_ci(&d.join("fewer")) > 8.0, "{}", unmet_ci(&d.join("fewer")));
}

#[test]
fn a_target_out_of_reach_runs_to_the_cap_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("p");
    // d never runs short: its first shortage day has no interval.
    let args = ["run", &data("mixed.toml"), "--runs", "2500", "--precision", "c.unmet_m3=0.001"];
    let stdout = ok(&[&args[..], &["--precision", "d.first_shortage_day=5"]].concat(), &out);
    assert!(stdout.contains("precision: NOT met after 2,500 runs (cap 2,500"), "{stdout}");
    assert!(stdout.contains("d.first_shortage_day: undefined (target ±5)  not met"), "{stdout}");
    let m = meta(&out, "meta.toml");
    assert_eq!(m["runs"].as_integer(), Some(2500));
    let p = m["precision"].as_table().unwrap();
    assert_eq!(p["met"].as_bool(), Some(false));
    let targets = p["targets"].as_array().unwrap();
    assert!(targets[1].as_table().unwrap().get("reached").is_none(), "{targets:?}");
}

#[test]
fn compare_stops_when_the_paired_differences_are_precise_enough() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let args =
        ["compare", &data("mixed.toml"), &data("p_attack.toml"), "--runs", "20000", "--precision", "c.unmet_m3=20"];
    let stdout = ok(&[&args[..], &["--threads", "1"]].concat(), &d.join("one"));
    ok(&[&args[..], &["--threads", "2", "--quiet"]].concat(), &d.join("two"));
    assert_eq!(common::results(&d.join("one")), common::results(&d.join("two")));
    let m = meta(&d.join("one"), "compare.toml");
    let runs = m["runs"].as_integer().unwrap();
    assert!(runs % 1000 == 0 && runs < 20_000, "{runs}");
    assert_eq!(m["precision"]["met"].as_bool(), Some(true));
    assert!(stdout.contains("precision: met after"), "{stdout}");
    let rows = common::rows(&d.join("one/comparison.csv"));
    let row = rows.iter().find(|r| r["scenario"] == "p_attack" && r["node"] == "c").unwrap();
    let paired = common::f(row, "diff_unmet_m3_ci95");
    assert!(paired <= 20.0, "{paired}");
    assert_eq!(m["precision"]["targets"][0]["reached"].as_float(), Some(paired));
}

#[test]
fn bad_targets_are_usage_errors_naming_the_flag_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("never");
    for (target, why) in [
        ("timbuktu.unmet_m3=5", "`timbuktu` is not a demand node of the scenario (demand nodes: c, d)"),
        ("c.unmet=5", "unknown metric `unmet` (expected one of p_shortage, first_shortage_day, unmet_m3"),
        ("c.unmet_m3=0", "expected a half-width > 0"),
        ("c.p_shortage=-0.1", "expected a half-width > 0"),
        ("c.unmet_m3", "no `=`"),
    ] {
        let o = corridor()
            .args(["run", &data("mixed.toml"), "--precision", target, "--out", out.to_str().unwrap()])
            .output()
            .unwrap();
        let e = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{target}: {e}");
        assert!(e.contains(&format!("--precision {target}: {why}")), "{target}: {e}");
    }
    let o = corridor()
        .args(["compare", &data("mixed.toml"), &data("p_attack.toml"), "--precision", "d.lost_m3=1"])
        .args(["--out", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no other scenario has a demand at `d`"));
    assert!(!out.exists(), "nothing written");
}
