//! End-to-end tests: run the `corridor` binary on tiny scenarios whose answers are known.

mod common;

use common::{f, rows};

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn corridor() -> Command {
    Command::cargo_bin("corridor").expect("the corridor binary is built")
}

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(name)
}

/// Runs a scenario into a fresh temporary folder and returns it.
fn run(scenario: &str, extra: &[&str]) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    corridor()
        .args(["run", data(scenario).to_str().unwrap(), "--quiet", "--out", out.path().to_str().unwrap()])
        .args(extra)
        .assert()
        .success();
    out
}

#[test]
fn total_blockade_runs_short_on_the_same_day_in_every_run() {
    let out = run("total_blockade.toml", &[]);
    let runs = rows(&out.path().join("runs.csv"));
    assert_eq!(runs.len(), 200);
    for r in &runs {
        assert_eq!(r["first_shortage_day"], "7", "floor(1000 / 130) = 7");
        assert_eq!(f(r, "delivered_m3"), 0.0);
        assert_eq!(r["shortage_days"], "13", "days 7 to 19");
        // Every attacked convoy loses all 10 trucks of 40 m³.
        assert_eq!(f(r, "lost_m3"), 400.0 * f(r, "convoys_attacked"));
    }
    let summary = rows(&out.path().join("summary.csv"));
    assert_eq!(summary[0]["p_shortage"], "1.000000");
    assert_eq!(summary[0]["first_shortage_day_p50"], "7");
    assert_eq!(summary[0]["first_shortage_day_mean"], "7.000");
    assert_eq!(summary[0]["runs"], "200");
    // 20 days × 130 m³ less the 1000 m³ held at the start.
    assert_eq!(summary[0]["unmet_m3_mean"], "1600.000");
    // Convoys leave every half day and meet b about 1.4 days later (random): those that reach
    // it before day 20 are attacked, about 38 of the 40.
    assert_eq!(summary[0]["convoys_dispatched_mean"], "40.000");
    let attacked = f(&summary[0], "convoys_attacked_mean");
    assert!((37.0..=39.0).contains(&attacked), "{attacked}");
    let daily = rows(&out.path().join("daily.csv"));
    let day = |d: usize| &daily[d];
    assert_eq!(day(6)["p_shortage_by_day"], "0.000000");
    assert_eq!(day(7)["p_shortage_by_day"], "1.000000");
    assert_eq!(f(day(0), "stock_p50"), 870.0);
    assert_eq!(f(day(7), "stock_p95"), 0.0);
}

#[test]
fn attacks_with_total_loss_deliver_one_minus_p_in_expectation() {
    let out = run("p_attack.toml", &[]);
    let runs = rows(&out.path().join("runs.csv"));
    let n = runs.len() as f64;
    assert_eq!(n, 4000.0);
    // 10 convoys of 5 trucks of 40 m³, all arriving before day 30 (about 5 days' trip).
    let full = 10.0 * 5.0 * 40.0;
    for (col, p) in [("delivered_m3", 0.7), ("lost_m3", 0.3)] {
        let v: Vec<f64> = runs.iter().map(|r| f(r, col)).collect();
        let mean = v.iter().sum::<f64>() / n;
        let sd = (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
        let se = sd / n.sqrt();
        assert!((mean - p * full).abs() < 4.0 * se, "{col}: mean {mean}, expected {} ± {}", p * full, 4.0 * se);
        // The binomial standard deviation of the number of convoys lost, times a convoy's fuel.
        let expected_sd = (10.0 * 0.3 * 0.7f64).sqrt() * 200.0;
        assert!((sd - expected_sd).abs() / expected_sd < 0.05, "{col}: sd {sd} vs {expected_sd}");
    }
    let summary = rows(&out.path().join("summary.csv"));
    let attacked = f(&summary[0], "convoys_attacked_mean");
    assert!((attacked - 3.0).abs() < 0.1, "{attacked}");
    let edges = rows(&out.path().join("edges.csv"));
    let ab = edges.iter().find(|e| e["from"] == "a" && e["to"] == "b").unwrap();
    assert_eq!(f(ab, "trucks_mean"), 50.0, "every truck meets a–b before b");
    let blockades = rows(&out.path().join("blockades.csv"));
    assert!((f(&blockades[0], "trucks_lost_mean") - 15.0).abs() < 0.5);
}

#[test]
fn outputs_are_byte_identical_for_one_and_two_threads() {
    let (dir1, dir2) = (run("mixed.toml", &["--threads", "1"]), run("mixed.toml", &["--threads", "2"]));
    // provenance.toml records the thread count (and date): it is the one file expected to differ.
    let provenance = std::fs::read_to_string(dir2.path().join("provenance.toml")).unwrap();
    assert!(provenance.contains("threads = 2"), "{provenance}");
    let (one, two) = (common::results(dir1.path()), common::results(dir2.path()));
    let names: Vec<&String> = one.keys().collect();
    for expected in [
        "summary.csv",
        "daily.csv",
        "runs.csv",
        "edges.csv",
        "blockades.csv",
        "scenario.toml",
        "meta.toml",
        "network.geojson",
        "stock_c.png",
        "stock_c.svg",
        "stock_d.png",
        "stock_d.svg",
        "shortage_probability.png",
        "shortage_probability.svg",
    ] {
        assert!(one.contains_key(expected), "{expected} missing from {names:?}");
    }
    assert_eq!(one.keys().collect::<Vec<_>>(), two.keys().collect::<Vec<_>>());
    for (name, bytes) in &one {
        assert!(bytes == &two[name], "{name} differs between 1 and 2 threads");
    }
    // And the run really is random: the runs differ from one another.
    let runs = rows(&run("mixed.toml", &["--runs", "50"]).path().join("runs.csv"));
    let delivered: std::collections::BTreeSet<&str> = runs.iter().map(|r| r["delivered_m3"].as_str()).collect();
    assert!(delivered.len() > 10, "{delivered:?}");
}

#[test]
fn seed_changes_results_and_flags_override_the_file() {
    let a = run("mixed.toml", &["--runs", "64", "--seed", "1"]);
    let b = run("mixed.toml", &["--runs", "64", "--seed", "2"]);
    let (ra, rb) = (rows(&a.path().join("runs.csv")), rows(&b.path().join("runs.csv")));
    assert_eq!(ra.len(), 128, "64 runs × 2 demand nodes");
    assert_ne!(ra, rb);
    let c = run("mixed.toml", &["--runs", "64", "--seed", "1"]);
    assert_eq!(common::results(a.path()), common::results(c.path()));
}

#[test]
fn run_prints_a_summary_table() {
    let out = tempfile::tempdir().unwrap();
    let assert = corridor()
        .args(["run", data("total_blockade.toml").to_str().unwrap(), "--out", out.path().to_str().unwrap()])
        .assert()
        .success();
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert!(stdout.contains("total_blockade: 200 runs, seed 1"), "{stdout}");
    let row = stdout.lines().find(|l| l.starts_with("c ")).expect("a row for node c");
    let cells: Vec<&str> = row.split_whitespace().collect();
    assert_eq!(cells[..8], ["c", "1.000", "0.981–1.000", "7", "19", "1.0", "1,600", "0"], "{stdout}");
    assert!(stdout.contains("200 runs in "), "{stdout}");
}

#[test]
fn validate_reports_what_it_found() {
    corridor().args(["validate", data("mixed.toml").to_str().unwrap()]).assert().success().stdout(
        predicates::str::contains("ok: mixed").and(predicates::str::contains("4 nodes, 4 roads, 2 demand nodes")),
    );
}

use predicates::prelude::*;
