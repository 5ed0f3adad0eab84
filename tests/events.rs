//! Events in time: the pipeline at day 0 (warm-up), scheduled convoys, `via` routes, drivers
//! who refuse a road (deterrence), dates, and the mass balance a user can check from the files.
//! The network `tests/data/fixed` has fixed times: a –100 km– b –200 km– c, and a detour
//! a –300 km– d –300 km– c; at 100 km/day and no waits, a to c takes 3 days (6 via d).

mod common;

use assert_cmd::Command;
use common::{f, results, rows};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The head of every scenario here: horizon, runs, fixed times at 100 km/day.
fn head(horizon: u32, extra: &str) -> String {
    let network = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/fixed");
    format!(
        "name = \"t\"\nnetwork = \"{}\"\n[simulation]\nhorizon_days = {horizon}\nruns = 20\nseed = 3\n\
         default_speed_km_per_day = 100\n{extra}\n[[demand]]\nnode = \"c\"\nconsumption_m3_per_day = 10\n\
         initial_stock_m3 = 1000\n",
        network.display()
    )
}

const SUPPLY: &str =
    "[[supply]]\nname = \"s\"\nfrom = \"a\"\nto = \"c\"\nconvoys_per_day = 1\ntrucks_per_convoy = 10\ntruck_m3 = 1\n";

/// Writes `text` as a scenario, runs it with `args` and returns the output folder.
fn run(dir: &Path, name: &str, text: &str, args: &[&str]) -> PathBuf {
    let scenario = dir.join(format!("{name}.toml"));
    std::fs::write(&scenario, text).unwrap();
    run_file(&scenario, &dir.join(format!("out-{name}")), args)
}

/// Runs the scenario file `scenario` into `out` with `args`.
fn run_file(scenario: &Path, out: &Path, args: &[&str]) -> PathBuf {
    Command::cargo_bin("corridor")
        .unwrap()
        .args(["run", scenario.to_str().unwrap(), "--quiet", "--out", out.to_str().unwrap()])
        .args(args)
        .assert()
        .success();
    out.to_path_buf()
}

fn summary(out: &Path) -> BTreeMap<String, String> {
    rows(&out.join("summary.csv")).remove(0)
}

/// Mean delivered by the end of each day, from daily.csv.
fn delivered_by_day(out: &Path) -> Vec<f64> {
    rows(&out.join("daily.csv")).iter().map(|r| f(r, "delivered_cum_m3_mean")).collect()
}

#[test]
fn warm_up_fills_exactly_the_convoys_that_arrive_from_day_0() {
    let dir = tempfile::tempdir().unwrap();
    // Warm-up departures at -1 .. -5 arrive at 2, 1, 0, -1, -2: three are on the road at 0.
    // Departures 0 .. 9 arrive at 3 .. 12: seven before the horizon, three in transit.
    let out = run(dir.path(), "w", &format!("{}{SUPPLY}", head(10, "warm_up_days = 5")), &[]);
    let s = summary(&out);
    assert_eq!(f(&s, "pipeline_m3_mean"), 30.0);
    assert_eq!(f(&s, "dispatched_m3_mean"), 100.0);
    assert_eq!(f(&s, "convoys_dispatched_mean"), 10.0);
    assert_eq!(f(&s, "delivered_m3_mean"), 100.0);
    assert_eq!(f(&s, "in_transit_m3_mean"), 30.0);
    let cum = delivered_by_day(&out);
    assert_eq!(&cum[..4], &[10.0, 20.0, 30.0, 40.0], "arrivals at 0, 1, 2, then 3");
    // Without warm-up, the first fuel arrives on day 3.
    let out = run(dir.path(), "cold", &format!("{}{SUPPLY}", head(10, "")), &[]);
    assert_eq!(&delivered_by_day(&out)[..4], &[0.0, 0.0, 0.0, 10.0]);
    assert_eq!(f(&summary(&out), "pipeline_m3_mean"), 0.0);
}

#[test]
fn a_scheduled_convoy_delivers_its_trucks_at_its_arrival() {
    let dir = tempfile::tempdir().unwrap();
    let convoy = "[[convoy]]\nname = \"relief\"\nfrom = \"a\"\nto = \"c\"\nday = 2.5\ntrucks = 7\ntruck_m3 = 3\n";
    let out = run(dir.path(), "c", &format!("{}{convoy}", head(10, "")), &[]);
    let cum = delivered_by_day(&out);
    // Leaves at 2.5, arrives at 5.5: 21 m³ on day 5.
    assert_eq!(cum[4], 0.0);
    assert_eq!(cum[5], 21.0);
    let s = summary(&out);
    assert_eq!(f(&s, "convoys_dispatched_mean"), 1.0);
    assert_eq!(f(&s, "dispatched_m3_mean"), 21.0);
}

#[test]
fn via_forces_the_longer_route() {
    let dir = tempfile::tempdir().unwrap();
    let supply = SUPPLY.replace("truck_m3 = 1\n", "truck_m3 = 1\nvia = [\"d\"]\nend_day = 1\n");
    let out = run(dir.path(), "v", &format!("{}{supply}", head(10, "")), &[]);
    let cum = delivered_by_day(&out);
    // 600 km at 100 km/day: arrives on day 6 instead of 3.
    assert_eq!(cum[5], 0.0);
    assert_eq!(cum[6], 10.0);
    let trucks: BTreeMap<String, f64> = rows(&out.join("edges.csv"))
        .iter()
        .map(|r| (format!("{}-{}", r["from"], r["to"]), f(r, "trucks_mean")))
        .collect();
    assert_eq!(trucks["a-d"], 10.0);
    assert_eq!(trucks["d-c"], 10.0);
    assert_eq!(trucks["a-b"], 0.0);
}

#[test]
fn total_deterrence_stops_a_stream_after_its_first_attack() {
    let dir = tempfile::tempdir().unwrap();
    // The blockade at b starts at 3.5: the convoy of day 3 is destroyed there at t = 4. The
    // departure at 4 still goes (only attacks strictly before count) and is destroyed at 5;
    // every departure after 4 is deterred.
    let extra = "[[blockade]]\nname = \"b\"\nnode = \"b\"\nstart_day = 3.5\nattack_prob = 1\n\
                 [deterrence]\nper_attack = 1\nrecovery_days = 1e9\n";
    let out = run(dir.path(), "d", &format!("{}{SUPPLY}{extra}", head(10, "")), &[]);
    let s = summary(&out);
    assert_eq!(f(&s, "convoys_dispatched_mean"), 5.0);
    assert_eq!(f(&s, "convoys_deterred_mean"), 5.0);
    assert_eq!(f(&s, "convoys_attacked_mean"), 2.0);
    assert_eq!(f(&s, "lost_m3_mean"), 20.0);
    for r in rows(&out.join("runs.csv")) {
        assert_eq!((f(&r, "convoys_dispatched"), f(&r, "convoys_deterred")), (5.0, 5.0));
    }
}

/// A scenario with randomness everywhere (travel times, attacks, losses, holds) and every new
/// feature; `deterrence` is appended.
fn random_scenario(deterrence: &str) -> String {
    let line = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/line");
    format!(
        "name = \"r\"\nnetwork = \"{}\"\n[simulation]\nhorizon_days = 40\nruns = 300\nseed = 11\ntravel_time_cv = 0.3\n\
         warm_up_days = 6\nstart_date = 2025-09-04\n\
         [[demand]]\nnode = \"c\"\nconsumption_m3_per_day = 190\ninitial_stock_m3 = 600\n\
         [[supply]]\nname = \"north\"\nfrom = \"a\"\nto = \"c\"\nconvoys_per_day = 0.5\ntrucks_per_convoy = 6\ntruck_m3 = 45\n\
         [[supply]]\nname = \"south\"\nfrom = \"a\"\nto = \"c\"\nconvoys_per_day = 0.25\ntrucks_per_convoy = 4\ntruck_m3 = 40\nvia = [\"d\"]\n\
         [[convoy]]\nname = \"relief\"\nfrom = \"a\"\nto = \"c\"\nday = 2025-09-20\ntrucks = 30\ntruck_m3 = 45\nescorted = true\n\
         [[convoy]]\nname = \"early\"\nfrom = \"a\"\nto = \"c\"\nday = -2\ntrucks = 5\ntruck_m3 = 45\n\
         [[blockade]]\nname = \"b\"\nnode = \"b\"\nstart_day = 2025-09-08\nattack_prob = 0.4\ntruck_loss_prob = 0.5\nhold_days = 1\nescort_factor = 0.2\n\
         [[blockade]]\nname = \"d\"\nedge = [\"d\", \"c\"]\nstart_day = 10\nend_day = 30\nattack_prob = 0.3\n{deterrence}",
        line.display()
    )
}

const CSVS: [&str; 5] = ["summary.csv", "daily.csv", "runs.csv", "edges.csv", "blockades.csv"];

#[test]
fn deterrence_that_never_bites_changes_no_output() {
    let dir = tempfile::tempdir().unwrap();
    let plain = run(dir.path(), "plain", &random_scenario(""), &[]);
    let zero = "[deterrence]\nper_attack = 0\nrecovery_days = 10\n";
    let with = run(dir.path(), "zero", &random_scenario(zero), &[]);
    for name in CSVS.iter().chain(&["network.geojson"]) {
        assert_eq!(std::fs::read(plain.join(name)).unwrap(), std::fs::read(with.join(name)).unwrap(), "{name}");
    }
    // And deterrence that bites does change them.
    let bites = run(dir.path(), "bites", &random_scenario(&zero.replace("= 0\n", "= 0.5\n")), &[]);
    assert_ne!(std::fs::read(plain.join("summary.csv")).unwrap(), std::fs::read(bites.join("summary.csv")).unwrap());
    assert!(f(&summary(&bites), "convoys_deterred_mean") > 0.0);
}

/// The CSV files of a folder without their date columns.
fn without_dates(out: &Path) -> Vec<Vec<BTreeMap<String, String>>> {
    CSVS.iter()
        .map(|name| {
            let mut rs = rows(&out.join(name));
            for r in &mut rs {
                r.retain(|k, _| !k.contains("date"));
            }
            rs
        })
        .collect()
}

#[test]
fn dates_and_day_numbers_give_the_same_results() {
    let dir = tempfile::tempdir().unwrap();
    let dated = random_scenario("");
    let numbered = dated
        .replace("start_date = 2025-09-04\n", "")
        .replace("day = 2025-09-20", "day = 16")
        .replace("start_day = 2025-09-08", "start_day = 4");
    assert_ne!(dated, numbered);
    let a = run(dir.path(), "dated", &dated, &[]);
    let b = run(dir.path(), "numbered", &numbered, &[]);
    assert_eq!(without_dates(&a), without_dates(&b));
    let s = summary(&a);
    let day: i64 = s["first_shortage_day_p50"].parse().unwrap_or_else(|_| panic!("{s:?}"));
    let date = corridor::calendar::Date::parse("2025-09-04").unwrap().plus_days(day);
    assert_eq!(s["first_shortage_date_p50"], date.to_string());
    assert_eq!(summary(&b)["first_shortage_date_p50"], "");
    assert_eq!(rows(&a.join("daily.csv"))[0]["date"], "2025-09-04");
}

#[test]
fn every_run_balances_its_fuel_in_the_files() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), "m", &random_scenario("[deterrence]\nper_attack = 0.3\nrecovery_days = 8\n"), &[]);
    let runs = rows(&out.join("runs.csv"));
    assert_eq!(runs.len(), 300);
    for r in &runs {
        let (pipe, sent) = (f(r, "pipeline_m3"), f(r, "dispatched_m3"));
        let (got, lost, on_road) = (f(r, "delivered_m3"), f(r, "lost_m3"), f(r, "in_transit_m3"));
        assert!(
            (pipe + sent - got - lost - on_road).abs() < 1e-6,
            "run {}: {pipe} + {sent} != {got} + {lost} + {on_road}",
            r["run"]
        );
    }
    assert!(runs.iter().any(|r| f(r, "pipeline_m3") > 0.0) && runs.iter().any(|r| f(r, "in_transit_m3") > 0.0));
    let s = summary(&out);
    let balance = f(&s, "pipeline_m3_mean") + f(&s, "dispatched_m3_mean")
        - f(&s, "delivered_m3_mean")
        - f(&s, "lost_m3_mean")
        - f(&s, "in_transit_m3_mean");
    assert!(balance.abs() < 0.01, "{balance}");
}

#[test]
fn new_features_give_the_same_bytes_on_any_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let text = random_scenario("[deterrence]\nper_attack = 0.3\nrecovery_days = 8\n");
    let one = run(dir.path(), "one", &text, &["--threads", "1"]);
    let two = run_file(&dir.path().join("one.toml"), &dir.path().join("two"), &["--threads", "2"]);
    let (a, b) = (results(&one), results(&two));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (name, bytes) in &a {
        assert!(bytes == &b[name], "{name} differs between 1 and 2 threads");
    }
}
