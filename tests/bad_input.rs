//! Bad input through the binary: a clear `error: file:line: field: ...` message, exit code 2,
//! no panic, and an existing output folder left exactly as it was.

mod common;

use assert_cmd::Command;
use std::path::Path;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data");

/// A scenario folder made from tests/data/p_attack.toml and the `line` network, each passed
/// through an edit.
struct Case {
    dir: tempfile::TempDir,
}

impl Case {
    fn new(
        scenario: impl Fn(String) -> String,
        nodes: impl Fn(String) -> String,
        edges: impl Fn(String) -> String,
    ) -> Case {
        let dir = tempfile::tempdir().unwrap();
        let read = |p: &str| std::fs::read_to_string(Path::new(DATA).join(p)).unwrap();
        std::fs::create_dir(dir.path().join("line")).unwrap();
        std::fs::write(dir.path().join("line/nodes.csv"), nodes(read("line/nodes.csv"))).unwrap();
        std::fs::write(dir.path().join("line/edges.csv"), edges(read("line/edges.csv"))).unwrap();
        std::fs::write(dir.path().join("s.toml"), scenario(read("p_attack.toml"))).unwrap();
        Case { dir }
    }

    fn scenario(edit: impl Fn(String) -> String) -> Case {
        Case::new(edit, |s| s, |s| s)
    }

    /// Runs `corridor run` into an output folder that already holds a result; checks exit code
    /// 2, no panic and an untouched folder, and returns stderr.
    fn fails(&self) -> String {
        self.fails_with(&[])
    }

    /// As [`Case::fails`], with more arguments for `run` and `validate`.
    fn fails_with(&self, args: &[&str]) -> String {
        let out = self.dir.path().join("out");
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join("summary.csv"), "an earlier result\n").unwrap();
        let before = common::files(&out);
        let assert = Command::cargo_bin("corridor")
            .unwrap()
            .args(["run", self.dir.path().join("s.toml").to_str().unwrap(), "--out", out.to_str().unwrap()])
            .args(args)
            .assert()
            .code(2);
        let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(stderr.starts_with("error: "), "{stderr}");
        assert_eq!(common::files(&out), before, "the output folder changed");
        let left = std::fs::read_dir(self.dir.path()).unwrap().flatten().map(|e| e.file_name());
        assert!(left.filter(|n| n.to_string_lossy().contains("corridor-staging")).count() == 0, "staging folder left");
        // `validate` reports the same error with the same exit code.
        let v = Command::cargo_bin("corridor")
            .unwrap()
            .args(["validate", self.dir.path().join("s.toml").to_str().unwrap()])
            .args(args)
            .assert()
            .code(2);
        assert_eq!(String::from_utf8(v.get_output().stderr.clone()).unwrap(), stderr);
        stderr.replace(self.dir.path().to_str().unwrap(), "DIR")
    }
}

fn has(stderr: &str, expected: &str) {
    assert!(stderr.contains(expected), "expected {expected:?} in {stderr:?}");
}

#[test]
fn unknown_node_ids() {
    let e = Case::new(|s| s, |s| s, |s| s.replace("b,c,RN1", "b,cc,RN1")).fails();
    has(&e, "error: DIR/line/edges.csv:3: field `to`: unknown node id `cc` (not in nodes.csv)");
    let e = Case::scenario(|s| s.replace("to = \"c\"", "to = \"x\"")).fails();
    has(&e, "error: DIR/s.toml:20:6: supply.a-c.to: unknown node id `x` (not in nodes.csv)");
}

#[test]
fn duplicate_ids() {
    let e = Case::new(|s| s, |s| s + "b,Again,ML,city,12,-8,,\n", |s| s).fails();
    has(&e, "nodes.csv:6: field `id`: duplicate id `b` (first on line 3)");
}

#[test]
fn negative_nan_and_infinite_numbers() {
    let e = Case::new(|s| s, |s| s, |s| s.replace("a,b,N1,500", "a,b,N1,-500")).fails();
    has(&e, "edges.csv:2: field `length_km`: expected a finite number > 0, found `-500`");
    let e = Case::scenario(|s| s.replace("truck_m3 = 40", "truck_m3 = nan")).fails();
    has(&e, "s.toml:23:12: supply.a-c.truck_m3: expected a number > 0 and at most 10000, found NaN");
    let e = Case::scenario(|s| s.replace("initial_stock_m3 = 500", "initial_stock_m3 = inf")).fails();
    has(&e, "demand.c.initial_stock_m3: expected a number from 0 to 1000000000000, found inf");
}

#[test]
fn probabilities_outside_zero_one() {
    let e = Case::scenario(|s| s.replace("attack_prob = 0.3", "attack_prob = 1.3")).fails();
    has(&e, "s.toml:29:15: blockade.b.attack_prob: expected a number from 0 to 1, found 1.3");
    let e = Case::scenario(|s| s.replace("attack_prob = 0.3", "attack_prob = 0.3\ntruck_loss_prob = -0.1")).fails();
    has(&e, "blockade.b.truck_loss_prob: expected a number from 0 to 1, found -0.1");
}

#[test]
fn end_before_start() {
    let e = Case::scenario(|s| s.replace("end_day = 10", "start_day = 12\nend_day = 10")).fails();
    has(&e, "s.toml:25:11: supply.a-c.end_day: end_day 10 is before start_day 12");
}

#[test]
fn no_route_between_a_supplys_endpoints() {
    let e = Case::new(|s| s, |s| s, |_| "from,to,road,length_km\na,b,N1,500\nd,c,RN5,700\n".to_string()).fails();
    has(&e, "s.toml:20:6: supply.a-c.to: no route from `a` to `c` in the network");
}

#[test]
fn empty_and_truncated_files() {
    let e = Case::new(|s| s, |_| String::new(), |s| s).fails();
    has(&e, "DIR/line/nodes.csv: empty file (expected a header: id,name,country,kind,lat,lon)");
    let e = Case::new(|s| s, |s| s, |s| s + "a,c,N9\n").fails();
    has(&e, "edges.csv:6: row has 3 fields, expected 6 (truncated or extra field?)");
    let e = Case::scenario(|_| String::new()).fails();
    has(&e, "s.toml:1:1: empty file");
    let e = Case::scenario(|s| s[..s.find("[[demand]]").unwrap() + 4].to_string()).fails();
    has(&e, "DIR/s.toml:12:5: unclosed array table, expected `]]`");
}

#[test]
fn missing_columns_and_unknown_keys() {
    let e = Case::new(|s| s, |s| s.replacen("lat,lon", "lat", 1), |s| s).fails();
    has(&e, "nodes.csv:1: missing column `lon`");
    let e = Case::scenario(|s| s.replace("seed = 99", "seed = 99\nthreads = 4")).fails();
    has(&e, "s.toml:10:1: simulation.threads: unknown key in [simulation] (expected a key among: horizon_days, runs,");
    let e =
        Case::scenario(|s| s.replace("hold_days", "x").replace("attack_prob = 0.3", "attack_prob = 0.3\nhold_day = 2"))
            .fails();
    has(&e, "s.toml:30:1: blockade.b.hold_day: unknown key in [[blockade]]; did you mean hold_days?");
}

#[test]
fn name_must_be_a_plain_folder_name() {
    for bad in ["../escape", "a b", "x/y", ""] {
        let e = Case::scenario(|s| s.replace("name = \"p_attack\"", &format!("name = \"{bad}\""))).fails();
        has(&e, "s.toml:3:8: name: ");
        has(&e, "expected a plain folder name");
    }
}

#[test]
fn missing_files() {
    let e = Case::new(|s| s.replace("network = \"line\"", "network = \"nowhere\""), |s| s, |s| s).fails();
    has(&e, "error: DIR/s.toml:4:11: network: cannot read DIR/nowhere/nodes.csv: No such file or directory");
    let out = tempfile::tempdir().unwrap();
    Command::cargo_bin("corridor")
        .unwrap()
        .args(["run", "no/such/file.toml", "--out", out.path().to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicates::str::starts_with("error: no/such/file.toml: cannot read"))
        // Regression: the cause was printed twice (once in the message, once as its source).
        .stderr(predicates::str::contains("No such file").count(1));
}

#[test]
fn usage_errors_exit_with_2() {
    for args in [&["run"][..], &["run", "x.toml", "--runs", "0"], &["run", "x.toml", "--threads", "zero"], &["fly"]] {
        Command::cargo_bin("corridor").unwrap().args(args).assert().code(2);
    }
    let file = tempfile::NamedTempFile::new().unwrap();
    Command::cargo_bin("corridor")
        .unwrap()
        .args(["run", &format!("{DATA}/p_attack.toml"), "--out", file.path().to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("exists and is not a folder"));
}

#[test]
fn a_documented_value_aborts_the_program_no_more() {
    // horizon_days = 36500 passed validate, then run aborted allocating 2,990,810,000 bytes.
    let e = Case::scenario(|s| s.replace("horizon_days = 30", "horizon_days = 36500"))
        .fails_with(&["--max-memory", "100M"]);
    has(&e, "error: DIR/s.toml:7:16: simulation.horizon_days: 36500 days × 1 demand nodes and 4 roads need about ");
    has(&e, "the limit is 100 MB (--max-memory): shorten the horizon, or use fewer --threads");
    has(&e, "\n  |\n7 | horizon_days = 36500\n  |                ^^^^^\n");
}

#[test]
fn validate_hangs_on_a_large_convoys_per_day_no_more() {
    // Departures were counted one by one: 1e8 a day took 12.8 s, 1e300 over a minute, and the
    // message pointed at [simulation].
    let start = std::time::Instant::now();
    let e = Case::scenario(|s| s.replace("convoys_per_day = 1", "convoys_per_day = 1e300")).fails();
    has(&e, "DIR/s.toml:21:19: supply.a-c.convoys_per_day: expected a number > 0 and at most 10000, found 1e300");
    let e = Case::scenario(|s| {
        s.replace("convoys_per_day = 1", "convoys_per_day = 9000")
            .replace("end_day = 10", "end_day = 300")
            .replace("horizon_days = 30", "horizon_days = 300")
    })
    .fails();
    has(&e, "s.toml:21:19: supply.a-c.convoys_per_day: 9000 convoys a day from day 0 to 300 dispatch 2700000 convoys");
    assert!(start.elapsed().as_secs_f64() < 10.0, "{:?}", start.elapsed());
}

#[test]
fn volumes_saturate_silently_no_more() {
    // truck_m3 = 1e300 and consumption_m3_per_day = 1e300 reported 9,223,372,036,854,776 m³.
    let e = Case::scenario(|s| s.replace("truck_m3 = 40", "truck_m3 = 1e300")).fails();
    has(&e, "s.toml:23:12: supply.a-c.truck_m3: expected a number > 0 and at most 10000, found 1e300");
    let e = Case::scenario(|s| s.replace("consumption_m3_per_day = 100", "consumption_m3_per_day = 1e300")).fails();
    has(&e, "demand.c.consumption_m3_per_day: expected a number from 0 to 1000000000, found 1e300");
}

#[test]
fn a_supply_starting_after_the_horizon_passes_silently_no_more() {
    let case = Case::scenario(|s| s.replace("end_day = 10", "start_day = 40\nend_day = 50"));
    let s = case.dir.path().join("s.toml");
    let expected = "warning: DIR/s.toml:24:13: supply.a-c.start_day: starts on day 40 but the simulation ends on day 30: \
                    it dispatches nothing\n";
    let v = Command::cargo_bin("corridor").unwrap().args(["validate", s.to_str().unwrap()]).assert().success();
    let stderr = String::from_utf8(v.get_output().stderr.clone()).unwrap();
    assert_eq!(stderr.replace(case.dir.path().to_str().unwrap(), "DIR"), expected);
    let e = case.fails_with(&["--deny-warnings"]);
    has(
        &e,
        "error: DIR/s.toml:24:13: supply.a-c.start_day: starts on day 40 but the simulation ends on day 30: it \
         dispatches nothing (a warning; an error with --deny-warnings)",
    );
}

#[test]
fn a_long_id_is_echoed_whole_no_more() {
    // A 5,000,000-character id made a 5 MB error line.
    let long = "x".repeat(5_000_000);
    let e = Case::scenario(|s| s.replace("node = \"c\"", &format!("node = \"{long}\""))).fails();
    let first = e.lines().next().unwrap();
    assert!(first.len() < 300, "{}", first.len());
    has(first, &format!("demand.node: unknown node id `{}…` (not in nodes.csv)", &long[..80]));
    assert!(e.len() < 1000, "{}", e.len());
}
