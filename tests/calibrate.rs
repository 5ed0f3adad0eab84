//! `corridor hindcast` and `corridor calibrate`, tested by construction: observations made by
//! the model itself at known parameter values must be met by it, and calibrating over a wide
//! box must find those values again.

mod common;

use assert_cmd::Command;
use common::{f, rows};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The `line` network: every convoy from a to c passes the border post b, where a blockade
/// attacks it. Consumption and the attack probability are the parameters to find.
fn scenario(consumption: f64, attack_prob: f64) -> String {
    let net = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/line");
    format!(
        "name = \"cal\"\nnetwork = \"{}\"\n[simulation]\nhorizon_days = 40\nruns = 100\nseed = 5\ntravel_time_cv = 0.3\n\
         start_date = 2025-09-04\nwarm_up_days = 5\n\
         [[demand]]\nnode = \"c\"\nconsumption_m3_per_day = {consumption}\ninitial_stock_m3 = 1500\n\
         [[supply]]\nname = \"a-c\"\nfrom = \"a\"\nto = \"c\"\nconvoys_per_day = 1\ntrucks_per_convoy = 10\ntruck_m3 = 40\n\
         [[blockade]]\nname = \"b\"\nnode = \"b\"\nstart_day = 2025-09-09\nattack_prob = {attack_prob}\ntruck_loss_prob = 0.6\n",
        net.display()
    )
}

fn corridor(args: &[&str]) -> assert_cmd::assert::Assert {
    Command::cargo_bin("corridor").unwrap().args(args).assert()
}

const HEADER: &str = "name,quantity,node,site,from,to,low,high,source\n";

/// Targets whose bands are wide open: their `model` column is what the scenario gives.
const OPEN: &str = "lost,trucks_lost,,b,2025-09-04,2025-10-13,0,100000,x\n\
                    first,first_shortage_day,c,,,,0,39,x\n\
                    short,share_short_days,c,,2025-09-20,2025-10-13,0,1,x\n\
                    got,delivered_m3,c,,2025-09-04,2025-10-13,0,1000000,x\n\
                    by,p_shortage_by,c,,,2025-09-30,0,1,x\n\
                    stock,stock_m3,c,,,2025-09-15,0,100000,x\n";

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn hindcast(dir: &Path, scenario: &Path, observations: &Path, out: &str) -> PathBuf {
    let out = dir.join(out);
    corridor(&[
        "hindcast",
        scenario.to_str().unwrap(),
        "--observations",
        observations.to_str().unwrap(),
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ])
    .success();
    out
}

#[test]
fn hindcast_scores_every_target_and_meets_its_own_output() {
    let dir = tempfile::tempdir().unwrap();
    let s = write(dir.path(), "s.toml", &scenario(380.0, 0.3));
    let open = write(dir.path(), "open.csv", &format!("{HEADER}{OPEN}"));
    let out = hindcast(dir.path(), &s, &open, "h");
    let h = rows(&out.join("hindcast.csv"));
    assert_eq!(h.len(), 6);
    assert!(h.iter().all(|r| r["met"] == "true"), "{h:?}");
    // Closed form: the share of runs short by a day is the p_shortage_by_day of daily.csv.
    let daily = rows(&out.join("daily.csv"));
    let by = daily.iter().find(|r| r["date"] == "2025-09-30").unwrap();
    assert_eq!(f(&h[4], "model"), f(by, "p_shortage_by_day"));
    assert_eq!(h[4]["model_p05"], "", "no spread for a share of runs");
    // The median stock is daily.csv's.
    let stock = daily.iter().find(|r| r["date"] == "2025-09-15").unwrap();
    assert!((f(&h[5], "model") - f(stock, "stock_p50")).abs() <= 0.01 * f(stock, "stock_p50").max(1.0));
    // Trucks lost by the last day equal the blockade's total: no other site loses trucks.
    let losses = rows(&out.join("losses_daily.csv"));
    assert_eq!(losses.len(), 40);
    assert!(losses.windows(2).all(|w| f(&w[0], "trucks_lost_cum_p50") <= f(&w[1], "trucks_lost_cum_p50")));
    assert!(out.join("observations.csv").exists() && out.join("summary.csv").exists());
    // A band the model misses is reported, exit still 0.
    let tight = write(dir.path(), "tight.csv", &format!("{HEADER}first,first_shortage_day,c,,,,0,1,x\n"));
    let out = hindcast(dir.path(), &s, &tight, "t");
    assert_eq!(rows(&out.join("hindcast.csv"))[0]["met"], "false");
}

/// Bands of ±`slack` (relative, at least `floor`) around what the scenario gives.
fn tight_bands(open: &[BTreeMap<String, String>], slack: f64, floor: f64) -> String {
    let mut text = HEADER.to_string();
    for r in open {
        let v = f(r, "model");
        let half = (v.abs() * slack).max(floor);
        let (from, to) = (&r["from"], &r["to"]);
        let (site, node) = (&r["site"], &r["node"]);
        let low = (v - half).max(0.0);
        let high = if r["quantity"].starts_with("p_") || r["quantity"].starts_with("share") {
            (v + half).min(1.0)
        } else {
            v + half
        };
        text.push_str(&format!("{},{},{node},{site},{from},{to},{low},{high},model\n", r["name"], r["quantity"]));
    }
    text
}

#[test]
fn calibration_finds_the_parameters_that_made_the_observations() {
    let dir = tempfile::tempdir().unwrap();
    let (consumption, attack) = (380.0, 0.3);
    let truth = write(dir.path(), "truth.toml", &scenario(consumption, attack));
    let open = write(dir.path(), "open.csv", &format!("{HEADER}{OPEN}"));
    let made = rows(&hindcast(dir.path(), &truth, &open, "truth").join("hindcast.csv"));
    let observed = write(dir.path(), "observed.csv", &tight_bands(&made[..4], 0.05, 0.02));
    // Start from elsewhere in the box.
    let start = write(dir.path(), "start.toml", &scenario(200.0, 0.9));
    let out = dir.path().join("cal");
    corridor(&[
        "calibrate",
        start.to_str().unwrap(),
        "--observations",
        observed.to_str().unwrap(),
        "--fit",
        "demand.c.consumption_m3_per_day=200:600",
        "--fit",
        "blockade.b.attack_prob=0:1",
        "--samples",
        "400",
        "--runs",
        "100",
        "--accept",
        "0.05",
        "--check-runs",
        "100",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ])
    .success();
    let posterior = rows(&out.join("posterior.csv"));
    for (row, true_value, prior) in [(&posterior[0], consumption, 400.0), (&posterior[1], attack, 1.0)] {
        let (lo, hi) = (f(row, "p05"), f(row, "p95"));
        assert!(lo <= true_value && true_value <= hi, "{}: {true_value} not in [{lo}, {hi}]", row["parameter"]);
        assert!(hi - lo < prior / 3.0, "{}: [{lo}, {hi}] is not much narrower than the prior", row["parameter"]);
    }
    let sets = rows(&out.join("calibration.csv"));
    assert_eq!(sets.len(), 400);
    assert_eq!(sets.iter().filter(|r| r["accepted"] == "true").count(), 20);
    let calibrated = std::fs::read_to_string(out.join("calibrated.toml")).unwrap();
    assert!(calibrated.starts_with("# Calibrated by corridor"), "{calibrated}");
    assert!(calibrated.contains(&format!("consumption_m3_per_day = {}", f(&posterior[0], "median"))), "{calibrated}");
    let check = rows(&out.join("calibrated_hindcast.csv"));
    assert!(check.iter().all(|r| r["role"] == "fitted"));
}

#[test]
fn train_until_predicts_the_later_targets_and_the_result_does_not_depend_on_threads() {
    let dir = tempfile::tempdir().unwrap();
    let s = write(dir.path(), "s.toml", &scenario(380.0, 0.3));
    let open = write(dir.path(), "open.csv", &format!("{HEADER}{OPEN}"));
    let run = |threads: &str, out: &str| {
        let out = dir.path().join(out);
        corridor(&[
            "calibrate",
            s.to_str().unwrap(),
            "--observations",
            open.to_str().unwrap(),
            "--fit",
            "blockade.b.attack_prob=0:1",
            "--samples",
            "16",
            "--runs",
            "20",
            "--check-runs",
            "50",
            "--train-until",
            "2025-09-30",
            "--threads",
            threads,
            "--quiet",
            "--out",
            out.to_str().unwrap(),
        ])
        .success();
        out
    };
    let (one, two) = (run("1", "one"), run("2", "two"));
    for name in ["calibration.csv", "posterior.csv", "calibrated_hindcast.csv", "calibrated.toml"] {
        // calibrated.toml's header gives the command without --threads and --out, which do not
        // change the result: the same in both.
        let (a, b) = (std::fs::read(one.join(name)).unwrap(), std::fs::read(two.join(name)).unwrap());
        assert_eq!(a, b, "{name}");
    }
    let calibrated = std::fs::read_to_string(one.join("calibrated.toml")).unwrap();
    let command = calibrated.lines().nth(1).unwrap();
    assert!(command.ends_with("--samples 16 --runs 20 --seed 5 --accept 0.1 --train-until 2025-09-30 --check-runs 50"));
    assert!(!command.contains("--threads") && !command.contains("--out"), "{command}");
    let roles: Vec<String> = rows(&one.join("calibrated_hindcast.csv")).iter().map(|r| r["role"].clone()).collect();
    // Fitted: ends by 30 Sep (p_shortage_by to 30 Sep, stock to 15 Sep, first shortage's band
    // tops out on day 39: predicted).
    assert_eq!(roles, ["predicted", "predicted", "predicted", "predicted", "fitted", "fitted"]);
}

#[test]
fn bad_observations_and_fits_are_input_errors_that_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let s = write(dir.path(), "s.toml", &scenario(380.0, 0.3));
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("keep.txt"), "old").unwrap();
    let cases: [(&str, &[&str], &str); 5] = [
        ("x,shortage,c,,,,1,2,s\n", &[], "obs.csv:2: column `quantity`: unknown quantity `shortage`"),
        ("x,stock_m3,nowhere,,,3,1,2,s\n", &[], "obs.csv:2: column `node`: `nowhere` is not a demand node"),
        ("x,trucks_lost,,zz,1,3,1,2,s\n", &[], "obs.csv:2: column `site`: `zz` is neither"),
        (
            "x,stock_m3,c,,,3,1,2,s\n",
            &["--fit", "blockade.nope.attack_prob=0:1"],
            "--fit blockade.nope.attack_prob=0:1",
        ),
        (
            "x,stock_m3,c,,,3,1,2,s\n",
            &["--fit", "blockade.b.attack_prob=0:2"],
            "blockade.b.attack_prob: expected a number from 0 to 1",
        ),
    ];
    for (row, extra, want) in cases {
        let obs = write(dir.path(), "obs.csv", &format!("{HEADER}{row}"));
        let verb: Vec<&str> = if extra.is_empty() { vec!["hindcast"] } else { vec!["calibrate"] };
        let mut args = verb;
        args.extend([s.to_str().unwrap(), "--observations", obs.to_str().unwrap(), "--out", out.to_str().unwrap()]);
        args.extend(extra);
        let output = Command::cargo_bin("corridor").unwrap().args(&args).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(want), "{want} in {stderr}");
        assert_eq!(std::fs::read_dir(&out).unwrap().count(), 1, "outputs untouched");
    }
}
