//! `corridor critical`: ranking sites by the shortage their blockade causes.

mod common;

use common::{f, rows};

use assert_cmd::Command;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data");

fn critical(extra: &[&str]) -> (tempfile::TempDir, String) {
    let out = tempfile::tempdir().unwrap();
    let a = Command::cargo_bin("corridor")
        .unwrap()
        .args(["critical", &format!("{DATA}/cut.toml"), "--out", out.path().to_str().unwrap()])
        .args(extra)
        .assert()
        .success();
    (out, String::from_utf8(a.get_output().stdout.clone()).unwrap())
}

#[test]
fn finds_the_single_cut_node() {
    let (out, stdout) = critical(&[]);
    let rows = rows(&out.path().join("critical.csv"));
    assert_eq!(rows[0]["k"], "0", "the scenario as it is comes first");
    let singles: Vec<_> = rows.iter().filter(|r| r["k"] == "1").collect();
    // Candidates: b1 (on the route; b2 is not), x, and the roads a–b1, b1–x, x–c.
    let nodes: Vec<&str> = singles.iter().map(|r| r["sites"].as_str()).filter(|s| !s.contains('–')).collect();
    assert_eq!(nodes[0], "x", "the best node is the cut node: {nodes:?}");
    let x = singles.iter().find(|r| r["sites"] == "x").unwrap();
    assert_eq!(x["rank"], "1");
    assert_eq!(f(x, "p_shortage"), 1.0);
    assert!(f(x, "diff_unmet_m3") > 1000.0);
    // Around b1 convoys reroute by b2: almost no harm (a little for the longer road).
    let b1 = singles.iter().find(|r| r["sites"] == "b1").unwrap();
    assert!(f(b1, "diff_unmet_m3") < 0.1 * f(x, "diff_unmet_m3"), "{b1:?}");
    assert!(stdout.contains("300 runs per estimate with common random numbers"), "{stdout}");
    assert!(out.path().join("critical_sites.png").exists());
}

#[test]
fn pairs_are_searched_exactly_for_k_2() {
    let (out, _) = critical(&["--k", "2", "--strength", "attack_prob=1,truck_loss_prob=1"]);
    let rows = rows(&out.path().join("critical.csv"));
    let pairs: Vec<_> = rows.iter().filter(|r| r["k"] == "2").collect();
    // b1 and b2 together cut the network as x does.
    let both = pairs.iter().find(|r| r["sites"] == "b1 + b2").expect("the pair of branches is searched");
    let x = rows.iter().find(|r| r["sites"] == "x").unwrap();
    assert!(f(both, "diff_unmet_m3") > 0.9 * f(x, "diff_unmet_m3"), "{both:?}");
    assert!(out.path().join("critical_pairs.png").exists());
}

#[test]
fn bad_target_and_strength_exit_with_2() {
    for args in [&["--target", "a"][..], &["--strength", "attack_prob=3"], &["--k", "0"]] {
        Command::cargo_bin("corridor")
            .unwrap()
            .args(["critical", &format!("{DATA}/cut.toml")])
            .args(args)
            .assert()
            .code(2);
    }
}
