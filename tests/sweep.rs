//! `corridor sweep`: outcomes across parameter values, with common random numbers.

mod common;

use common::{f, rows};

use assert_cmd::Command;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data");

#[test]
fn lost_fuel_rises_with_attack_probability() {
    let out = tempfile::tempdir().unwrap();
    Command::cargo_bin("corridor")
        .unwrap()
        .args([
            "sweep",
            &format!("{DATA}/p_attack.toml"),
            "--set",
            "blockade.b.attack_prob=0:1:0.25",
            "--runs",
            "1000",
            "--quiet",
        ])
        .args(["--out", out.path().to_str().unwrap()])
        .assert()
        .success();
    let rows = rows(&out.path().join("sweep.csv"));
    let values: Vec<&str> = rows.iter().map(|r| r["blockade.b.attack_prob"].as_str()).collect();
    assert_eq!(values, ["0", "0.25", "0.5", "0.75", "1"]);
    let lost: Vec<f64> = rows.iter().map(|r| f(r, "lost_m3_mean")).collect();
    // 10 convoys of 5 trucks of 40 m³, all lost at p = 1, none at p = 0.
    assert_eq!(lost[0], 0.0);
    assert_eq!(lost[4], 2000.0);
    for w in lost.windows(2) {
        assert!(w[1] > w[0], "{lost:?}");
    }
    // With common random numbers a convoy attacked at p is attacked at every larger p, so the
    // differences to p = 0 are exact multiples of its fuel and grow run by run.
    for (r, p) in rows.iter().zip([0.0, 0.25, 0.5, 0.75, 1.0]) {
        let d = f(r, "diff_lost_m3");
        assert!((d - 2000.0 * p).abs() < 4.0 * f(r, "lost_m3_ci95").max(1.0), "p {p}: {d}");
    }
    for chart in ["sweep_lost_c.png", "sweep_unmet_c.svg", "sweep_p_shortage_c.png"] {
        assert!(out.path().join(chart).exists(), "{chart}");
    }
}

#[test]
fn grids_and_integer_keys() {
    let out = tempfile::tempdir().unwrap();
    Command::cargo_bin("corridor")
        .unwrap()
        .args(["sweep", &format!("{DATA}/p_attack.toml"), "--runs", "50", "--quiet"])
        .args(["--set", "supply.a-c.trucks_per_convoy=5:10:5", "--set", "demand.c.initial_stock_m3=0:1000:500"])
        .args(["--out", out.path().to_str().unwrap()])
        .assert()
        .success();
    let rows = rows(&out.path().join("sweep.csv"));
    assert_eq!(rows.len(), 6, "2 × 3 points, one demand node");
    assert_eq!(rows[5]["supply.a-c.trucks_per_convoy"], "10");
    assert_eq!(rows[5]["demand.c.initial_stock_m3"], "1000");
}

#[test]
fn bad_keys_and_values_exit_with_2() {
    let cases = [
        ("blockade.nope.attack_prob=0:1:0.5", "no [[blockade]] with name = \"nope\""),
        (
            "blockade.b.attack_prob=0:1.5:0.5",
            "with blockade.b.attack_prob=1.5: blockade.b.attack_prob: expected a number from 0 to 1, found 1.5",
        ),
        (
            "blockade.b.atack_prob=0:1:0.5",
            "blockade.b.atack_prob: unknown key in [[blockade]]; did you mean attack_prob?",
        ),
        ("blockade.b.attack_prob=1:0:0.5", "STEP must be > 0 and TO >= FROM"),
        ("simulation.seed=1:5:1", "cannot be swept"),
    ];
    for (set, expected) in cases {
        let out = tempfile::tempdir().unwrap();
        let a = Command::cargo_bin("corridor")
            .unwrap()
            .args(["sweep", &format!("{DATA}/p_attack.toml"), "--set", set, "--runs", "10"])
            .args(["--out", out.path().join("o").to_str().unwrap()])
            .assert()
            .code(2);
        let stderr = String::from_utf8(a.get_output().stderr.clone()).unwrap();
        assert!(stderr.starts_with("error: ") && stderr.contains(expected), "{set}: {stderr}");
        assert!(!out.path().join("o").exists(), "nothing written on bad input");
    }
}
