//! `corridor compare`: common random numbers, paired intervals, outputs.

mod common;

use common::{f, rows};

use assert_cmd::Command;
use std::collections::BTreeMap;
use std::path::Path;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data");

/// Writes `mixed.toml` with `extra` appended (and a new name) into `dir`, next to a copy of the
/// `line` network, and returns its path.
fn variant(dir: &Path, name: &str, edit: impl Fn(String) -> String) -> String {
    let line = dir.join("line");
    if !line.exists() {
        std::fs::create_dir(&line).unwrap();
        for f in ["nodes.csv", "edges.csv"] {
            std::fs::copy(Path::new(DATA).join("line").join(f), line.join(f)).unwrap();
        }
    }
    let text = std::fs::read_to_string(Path::new(DATA).join("mixed.toml"))
        .unwrap()
        .replace("name = \"mixed\"", &format!("name = \"{name}\""));
    let path = dir.join(format!("{name}.toml"));
    std::fs::write(&path, edit(text)).unwrap();
    path.to_str().unwrap().to_string()
}

fn compare(files: &[&str], out: &Path, extra: &[&str]) -> Vec<BTreeMap<String, String>> {
    Command::cargo_bin("corridor")
        .unwrap()
        .arg("compare")
        .args(files)
        .args(["--quiet", "--out", out.to_str().unwrap()])
        .args(extra)
        .assert()
        .success();
    rows(&out.join("comparison.csv"))
}

#[test]
fn a_scenario_against_itself_differs_by_exactly_zero() {
    let dir = tempfile::tempdir().unwrap();
    let a = variant(dir.path(), "a", |s| s);
    let b = variant(dir.path(), "b", |s| s);
    let out = dir.path().join("out");
    let rows = compare(&[&a, &b], &out, &["--runs", "300"]);
    assert_eq!(rows.len(), 4, "2 scenarios × 2 demand nodes");
    for r in rows.iter().filter(|r| r["scenario"] == "b") {
        for m in ["p_shortage", "first_shortage_day", "unmet_m3", "lost_m3", "delivered_m3"] {
            assert_eq!(f(r, &format!("diff_{m}")), 0.0, "{m}");
            assert_eq!(f(r, &format!("diff_{m}_ci95")), 0.0, "{m}");
        }
    }
    let c = rows.iter().find(|r| r["scenario"] == "b" && r["node"] == "c").unwrap();
    assert!(f(c, "diff_unmet_m3_ci95_unpaired") > 0.0, "c does run short, so its outcomes vary");
    for chart in ["shortage_c.png", "shortage_d.png", "differences.png", "differences.svg"] {
        assert!(out.join(chart).exists(), "{chart}");
    }
}

#[test]
fn a_blockade_no_convoy_meets_changes_no_draw() {
    // Streams are keyed by purpose: a new blockade on a node no route uses, or with attack
    // probability 0, leaves every other draw, and so every outcome, exactly as it was.
    let dir = tempfile::tempdir().unwrap();
    let a = variant(dir.path(), "a", |s| s);
    let b = variant(dir.path(), "b", |s| {
        s.replace("[routing]", "[[blockade]]\nname = \"aaa_first\"\nnode = \"c\"\nattack_prob = 0\n\n[routing]")
    });
    let rows = compare(&[&a, &b], &dir.path().join("out"), &["--runs", "300"]);
    for r in rows.iter().filter(|r| r["scenario"] == "b") {
        assert_eq!(f(r, "diff_unmet_m3"), 0.0);
        assert_eq!(f(r, "diff_unmet_m3_ci95"), 0.0);
        assert_eq!(f(r, "diff_lost_m3"), 0.0);
    }
}

#[test]
fn paired_intervals_are_narrower_than_unpaired_ones() {
    let dir = tempfile::tempdir().unwrap();
    let a = variant(dir.path(), "a", |s| s);
    // A stronger border blockade: same convoys, same travel draws, more attacks.
    let b = variant(dir.path(), "b", |s| s.replace("attack_prob = 0.4", "attack_prob = 0.6"));
    let rows = compare(&[&a, &b], &dir.path().join("out"), &["--runs", "2000"]);
    let c = rows.iter().find(|r| r["scenario"] == "b" && r["node"] == "c").unwrap();
    let (paired, unpaired) = (f(c, "diff_unmet_m3_ci95"), f(c, "diff_unmet_m3_ci95_unpaired"));
    assert!(f(c, "diff_unmet_m3") > 0.0, "more attacks, more unmet demand");
    assert!(f(c, "diff_lost_m3") > 0.0);
    assert!(paired > 0.0 && paired < 0.8 * unpaired, "paired {paired} vs unpaired {unpaired}");
    let lost = (f(c, "diff_lost_m3_ci95"), f(c, "diff_lost_m3_ci95_unpaired"));
    assert!(lost.0 < lost.1, "{lost:?}");
}

#[test]
fn compare_prints_its_table_and_needs_two_scenarios() {
    let dir = tempfile::tempdir().unwrap();
    let a = variant(dir.path(), "a", |s| s);
    let b = variant(dir.path(), "b", |s| s.replace("attack_prob = 0.4", "attack_prob = 0.6"));
    let assert = Command::cargo_bin("corridor")
        .unwrap()
        .args(["compare", &a, &b, "--runs", "100", "--out", dir.path().join("o").to_str().unwrap()])
        .assert()
        .success();
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert!(stdout.contains("2 scenarios, 100 runs each with common random numbers, seed 5"), "{stdout}");
    assert!(stdout.lines().any(|l| l.starts_with("b ") && l.contains(" ± ")), "{stdout}");
    Command::cargo_bin("corridor").unwrap().args(["compare", &a]).assert().code(2);
}

#[test]
fn plot_redraws_a_comparison_from_its_files() {
    let dir = tempfile::tempdir().unwrap();
    let a = variant(dir.path(), "a", |s| s);
    let b = variant(dir.path(), "b", |s| s.replace("attack_prob = 0.4", "attack_prob = 0.6"));
    let out = dir.path().join("out");
    compare(&[&a, &b], &out, &["--runs", "200"]);
    let before = common::files(&out);
    for f in ["compare.toml", "comparison_daily.csv", "shortage_c.svg", "differences.png"] {
        assert!(before.contains_key(f), "{f}");
    }
    for chart in ["shortage_c", "shortage_d", "differences"] {
        for ext in ["svg", "png"] {
            std::fs::remove_file(out.join(format!("{chart}.{ext}"))).unwrap();
        }
    }
    Command::cargo_bin("corridor").unwrap().args(["plot", out.to_str().unwrap(), "--quiet"]).assert().success();
    assert_eq!(common::files(&out), before, "plot reproduces the comparison's charts");
    Command::cargo_bin("corridor")
        .unwrap()
        .args(["plot", out.to_str().unwrap(), "--palette", "greyscale", "--format", "svg", "--quiet"])
        .assert()
        .success();
    let svg = std::fs::read_to_string(out.join("shortage_c.svg")).unwrap();
    assert!(svg.contains("a (reference)"));
    // Scenario b is series 1: vermilion (#D55E00) in colour, grey #464646 in greyscale.
    assert!(svg.contains("#464646") && !svg.contains("#D55E00"), "the greyscale palette has no colour");
}
