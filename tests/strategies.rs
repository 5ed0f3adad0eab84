//! Attackers and defender levers: escort pools, capacities, adaptive attackers.

mod common;

use common::{f, rows};

use assert_cmd::Command;

/// Two parallel routes from a to c: north through n (two roads of 300 km) and south through s
/// (two roads of 320 km); no waits.
const NODES: &str = "id,name,country,kind,lat,lon\na,A,SN,port,14,-17\nn,N,ML,junction,15,-13\ns,S,ML,junction,13,-13\nc,C,ML,city,12.6,-8\n";
const EDGES: &str = "from,to,road,length_km,speed_km_per_day,capacity_trucks_per_day\na,n,north,300,,\nn,c,north,300,,\na,s,south,320,,\ns,c,south,320,,\n";

/// Writes the network (with `edges`) and a scenario (`body` after a common head) into a
/// temporary folder, runs it and returns the output folder.
fn run(edges: &str, body: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("net")).unwrap();
    std::fs::write(dir.path().join("net/nodes.csv"), NODES).unwrap();
    std::fs::write(dir.path().join("net/edges.csv"), edges).unwrap();
    let head = "name = \"t\"\nnetwork = \"net\"\n[simulation]\nhorizon_days = 30\nruns = 20\nseed = 1\n\
                default_speed_km_per_day = 350\n[[demand]]\nnode = \"c\"\nconsumption_m3_per_day = 100\ninitial_stock_m3 = 5000\n";
    std::fs::write(dir.path().join("s.toml"), format!("{head}{body}")).unwrap();
    let out = dir.path().join("out");
    Command::cargo_bin("corridor")
        .unwrap()
        .args(["run", dir.path().join("s.toml").to_str().unwrap(), "--quiet", "--out", out.to_str().unwrap()])
        .assert()
        .success();
    (dir, out)
}

#[test]
fn an_exhausted_escort_pool_sends_convoys_unescorted() {
    // One unit; convoys leave daily; the trip takes 600 / 350 = 1.714 days, so the unit is back
    // 3.43 days after it left: convoys of days 0, 4, 8, ... 28 are escorted (8 of 30). Escorted
    // convoys are never attacked at n; the others always are, and lose every truck.
    let body = "[[supply]]\nname = \"a-c\"\nfrom = \"a\"\nto = \"c\"\nconvoys_per_day = 1\ntrucks_per_convoy = 3\ntruck_m3 = 40\n\
                [[blockade]]\nname = \"n\"\nnode = \"n\"\nattack_prob = 1\nescort_factor = 0\n\
                [escorts]\nunits = 1\n";
    let (_dir, out) = run(EDGES, body);
    let s = &rows(&out.join("summary.csv"))[0];
    assert_eq!(f(s, "convoys_dispatched_mean"), 30.0);
    assert_eq!(f(s, "convoys_attacked_mean"), 22.0, "{s:?}");
    assert_eq!(f(s, "delivered_m3_mean"), 8.0 * 3.0 * 40.0);
    // Without the pool every convoy is attacked.
    let (_dir, out) = run(EDGES, &body.replace("[escorts]\nunits = 1\n", ""));
    assert_eq!(f(&rows(&out.join("summary.csv"))[0], "convoys_attacked_mean"), 30.0);
}

#[test]
fn a_capacity_of_c_trucks_a_day_never_lets_more_through() {
    // 3 convoys of 8 trucks a day want the north road n–c, which lets 10 trucks a day in.
    let edges = EDGES.replace("n,c,north,300,,", "n,c,north,300,,10");
    let body = "[[supply]]\nname = \"a-c\"\nfrom = \"a\"\nto = \"c\"\nconvoys_per_day = 3\ntrucks_per_convoy = 8\ntruck_m3 = 40\n";
    let (_dir, out) = run(&edges, body);
    let edges = rows(&out.join("edges.csv"));
    let nc = edges.iter().find(|e| e["from"] == "n" && e["to"] == "c").unwrap();
    assert_eq!(f(nc, "max_trucks_in_a_day"), 10.0, "{nc:?}");
    // The road is busy from the first arrival (day 0.86) to the horizon: about 29 days × 10.
    let trucks = f(nc, "trucks_mean");
    assert!((285.0..=292.0).contains(&trucks), "{trucks}");
    let an = edges.iter().find(|e| e["from"] == "a" && e["to"] == "n").unwrap();
    assert_eq!(f(an, "max_trucks_in_a_day"), 24.0, "no capacity before the queue");
    // Delivered is what the road let through in time, not what was sent.
    let s = &rows(&out.join("summary.csv"))[0];
    assert!(f(s, "delivered_m3_mean") <= 40.0 * trucks);
}

#[test]
fn an_adaptive_attacker_moves_to_the_busiest_candidate() {
    // Every stream takes the north route (600 km against 640): the attacker starts at its first
    // candidate (s, which no convoy passes), then every 5 days moves to where the most trucks
    // passed in the period before, seen a day late.
    let mut body = String::new();
    for name in ["a1", "a2", "a3"] {
        body += &format!(
            "[[supply]]\nname = \"{name}\"\nfrom = \"a\"\nto = \"c\"\nconvoys_per_day = 1\ntrucks_per_convoy = 5\ntruck_m3 = 40\n"
        );
    }
    body += "[[attacker]]\nname = \"jnim\"\ncandidates = [\"s\", \"n\"]\nsites = 1\npolicy = \"adaptive\"\nperiod_days = 5\n\
             detection_lag_days = 1\nattack_prob = 0.2\ntruck_loss_prob = 0.5\n";
    let (_dir, out) = run(EDGES, &body);
    let held = rows(&out.join("attackers.csv"));
    let share =
        |p: &str, site: &str| f(held.iter().find(|r| r["period"] == p && r["site"] == site).unwrap(), "held_share");
    assert_eq!(share("0", "s"), 1.0, "the first period holds the first candidate");
    for p in ["1", "2", "3", "4", "5"] {
        assert_eq!(share(p, "n"), 1.0, "period {p}: all traffic is on the north route");
        assert_eq!(share(p, "s"), 0.0);
    }
    let totals = held.iter().find(|r| r["period"] == "0" && r["site"] == "n").unwrap();
    assert!(f(totals, "attacks_mean") > 5.0, "it attacks where it stands: {totals:?}");
    let summary = &rows(&out.join("summary.csv"))[0];
    assert!(f(summary, "lost_m3_mean") > 0.0);
    // network.geojson (and the map) carry the share of the horizon each site is held: s for the
    // first 5 of 30 days, n for the other 25.
    let geo: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("network.geojson")).unwrap()).unwrap();
    let held = |id: &str| {
        let node = geo["features"].as_array().unwrap().iter().find(|x| x["properties"]["id"] == id).unwrap();
        node["properties"]["attacker_held_share"].as_f64().unwrap()
    };
    assert!((held("s") - 5.0 / 30.0).abs() < 1e-3, "{}", held("s"));
    assert!((held("n") - 25.0 / 30.0).abs() < 1e-3, "{}", held("n"));
}

#[test]
fn interacting_runs_are_identical_for_one_and_two_threads() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("net")).unwrap();
    std::fs::write(dir.path().join("net/nodes.csv"), NODES).unwrap();
    std::fs::write(dir.path().join("net/edges.csv"), EDGES.replace("n,c,north,300,,", "n,c,north,300,,12")).unwrap();
    let scenario = "name = \"t\"\nnetwork = \"net\"\n[simulation]\nhorizon_days = 40\nruns = 300\nseed = 9\ntravel_time_cv = 0.3\n\
        [[demand]]\nnode = \"c\"\nconsumption_m3_per_day = 300\ninitial_stock_m3 = 2000\n\
        [[supply]]\nname = \"x\"\nfrom = \"a\"\nto = \"c\"\nconvoys_per_day = 2\ntrucks_per_convoy = 6\ntruck_m3 = 40\n\
        [[attacker]]\nname = \"j\"\ncandidates = [\"n\", \"s\", [\"a\", \"n\"]]\nsites = 1\npolicy = \"adaptive\"\nperiod_days = 7\n\
        attack_prob = 0.3\ntruck_loss_prob = 0.5\nhold_days = 1\n[escorts]\nunits = 2\n[routing]\npolicy = \"avoid\"\n";
    std::fs::write(dir.path().join("s.toml"), scenario).unwrap();
    let mut outputs = Vec::new();
    for threads in ["1", "2"] {
        let out = dir.path().join(format!("out{threads}"));
        Command::cargo_bin("corridor")
            .unwrap()
            .args(["run", dir.path().join("s.toml").to_str().unwrap(), "--quiet", "--threads", threads])
            .args(["--out", out.to_str().unwrap()])
            .assert()
            .success();
        outputs.push(common::results(&out));
    }
    assert!(outputs[0].contains_key("attackers.csv"));
    assert_eq!(outputs[0].keys().collect::<Vec<_>>(), outputs[1].keys().collect::<Vec<_>>());
    for (name, bytes) in &outputs[0] {
        assert!(bytes == &outputs[1][name], "{name} differs between 1 and 2 threads");
    }
}

#[test]
fn supply_shift_moves_convoys_within_the_spare_capacity() {
    // The stream's route a–n–c is known blocked at n from day 0; its convoys may leave from s
    // instead, which has 0.5 convoys a day to spare: every other daily convoy moves (10 of 20).
    let nodes = NODES.replace("s,S,ML,junction,13,-13", "s,S,ML,depot,13,-13");
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("net")).unwrap();
    std::fs::write(dir.path().join("net/nodes.csv"), nodes).unwrap();
    std::fs::write(dir.path().join("net/edges.csv"), EDGES).unwrap();
    let scenario = |share: &str| {
        format!(
            "name = \"t\"\nnetwork = \"net\"\n[simulation]\nhorizon_days = 20\nruns = 10\nseed = 1\n\
             [[demand]]\nnode = \"c\"\nconsumption_m3_per_day = 100\ninitial_stock_m3 = 500\n\
             [[supply]]\nname = \"x\"\nfrom = \"a\"\nto = \"c\"\nconvoys_per_day = 1\ntrucks_per_convoy = 5\ntruck_m3 = 40\n\
             shift_to = \"s\"\nshift_share = {share}\n\
             [[origin]]\nnode = \"s\"\ncapacity_convoys_per_day = 0.5\n\
             [[blockade]]\nname = \"n\"\nnode = \"n\"\nattack_prob = 1\n"
        )
    };
    for (share, shifted) in [("1", 10.0), ("0.25", 5.0)] {
        std::fs::write(dir.path().join("s.toml"), scenario(share)).unwrap();
        let out = dir.path().join(format!("out{share}"));
        Command::cargo_bin("corridor")
            .unwrap()
            .args(["run", dir.path().join("s.toml").to_str().unwrap(), "--quiet", "--out", out.to_str().unwrap()])
            .assert()
            .success();
        let s = &rows(&out.join("summary.csv"))[0];
        assert_eq!(f(s, "convoys_shifted_mean"), shifted, "share {share}");
        // Shifted convoys avoid n and arrive; the others are destroyed there.
        assert_eq!(f(s, "convoys_attacked_mean"), 20.0 - shifted);
        assert!(f(s, "delivered_m3_mean") > 0.0);
    }
    // A shift to an origin without spare capacity is an input error.
    std::fs::write(dir.path().join("s.toml"), scenario("1").replace("capacity_convoys_per_day = 0.5", "capacity_convoys_per_day = 0.5\n[[supply]]\nname = \"y\"\nfrom = \"s\"\nto = \"c\"\nconvoys_per_day = 0.5\ntrucks_per_convoy = 1\ntruck_m3 = 1\n")).unwrap();
    let a = Command::cargo_bin("corridor")
        .unwrap()
        .args(["validate", dir.path().join("s.toml").to_str().unwrap()])
        .assert()
        .code(2);
    let stderr = String::from_utf8(a.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("supply.x.shift_to: `s` has no spare capacity"), "{stderr}");
}
