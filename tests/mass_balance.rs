//! The mass balance on random scenarios: in every run and at every demand node, the fuel on the
//! road at day 0 plus the fuel dispatched equals the fuel delivered plus lost plus still on the
//! road at the horizon. Scenarios are drawn at random (seeded) over every feature that moves or
//! stops fuel: warm-up, scheduled convoys, `via`, blockades, attackers, escorts, deterrence,
//! supply shifts, capacities, rationing and reserves; runs are played in-process.

use corridor::network::load_network;
use corridor::rng::stream;
use corridor::scenario::parse_scenario;
use corridor::sim::{Model, Order, RunOutcome};
use rand::RngExt;
use std::fmt::Write;
use std::path::Path;

fn random_scenario(seed: u64) -> String {
    let mut rng = stream(seed);
    let mut s = String::new();
    let horizon = rng.random_range(5..60);
    let _ = write!(
        s,
        "name = \"r{seed}\"\nnetwork = \"line\"\n[simulation]\nhorizon_days = {horizon}\nruns = 1\nseed = {seed}\n\
         travel_time_cv = {:.2}\nwarm_up_days = {:.1}\n",
        rng.random_range(0.0..0.8),
        rng.random_range(0.0..12.0)
    );
    let demands = ["c", "b"];
    for (i, node) in demands.iter().enumerate() {
        let _ = write!(
            s,
            "[[demand]]\nnode = \"{node}\"\nconsumption_m3_per_day = {:.1}\ninitial_stock_m3 = {:.1}\n",
            rng.random_range(0.0..300.0),
            rng.random_range(0.0..2000.0)
        );
        if i == 0 && rng.random_bool(0.5) {
            let _ = write!(s, "rationing_factor = 0.5\nrationing_below_days = 2\nreserve_m3 = 500\n");
        }
    }
    let supplies = rng.random_range(1..4);
    let mut shift = false;
    for i in 0..supplies {
        let to = demands[rng.random_range(0..demands.len())];
        let _ = write!(
            s,
            "[[supply]]\nname = \"s{i}\"\nfrom = \"a\"\nto = \"{to}\"\nconvoys_per_day = {:.2}\ntrucks_per_convoy = {}\n\
             truck_m3 = {:.3}\nescorted = {}\n",
            rng.random_range(0.1..3.0),
            rng.random_range(1..30),
            rng.random_range(1.0..60.0),
            rng.random_bool(0.2)
        );
        if rng.random_bool(0.3) {
            let _ = writeln!(s, "start_day = {:.1}", rng.random_range(0.0..horizon as f64));
        }
        if to == "c" && rng.random_bool(0.3) {
            s.push_str("via = [\"d\"]\n");
        } else if to == "c" && rng.random_bool(0.3) {
            s.push_str("shift_to = \"d\"\nshift_share = 0.5\n");
            shift = true;
        }
    }
    for i in 0..rng.random_range(0..3) {
        let to = demands[rng.random_range(0..demands.len())];
        let _ = write!(
            s,
            "[[convoy]]\nname = \"c{i}\"\nfrom = \"a\"\nto = \"{to}\"\nday = {:.2}\ntrucks = {}\ntruck_m3 = 45\n",
            rng.random_range(0.0..horizon as f64),
            rng.random_range(1..200)
        );
    }
    for (i, site) in ["node = \"b\"", "node = \"d\"", "edge = [\"b\", \"c\"]"].iter().enumerate() {
        if rng.random_bool(0.6) {
            let _ = write!(
                s,
                "[[blockade]]\nname = \"k{i}\"\n{site}\nstart_day = {:.1}\nattack_prob = {:.2}\ntruck_loss_prob = {:.2}\n\
                 hold_days = {:.1}\nescort_factor = 0.3\n",
                rng.random_range(0.0..horizon as f64 / 2.0),
                rng.random_range(0.0..1.0),
                rng.random_range(0.0..1.0),
                rng.random_range(0.0..3.0)
            );
        }
    }
    if rng.random_bool(0.3) {
        let policy = ["static", "rotating", "adaptive"][rng.random_range(0..3)];
        let _ = write!(
            s,
            "[[attacker]]\nname = \"j\"\ncandidates = [\"b\", \"d\", [\"a\", \"b\"]]\nsites = 1\npolicy = \"{policy}\"\n\
             period_days = 5\nattack_prob = 0.5\ntruck_loss_prob = 0.7\n"
        );
    }
    if rng.random_bool(0.3) {
        s.push_str("[escorts]\nunits = 2\n");
    }
    if rng.random_bool(0.5) {
        let _ = write!(
            s,
            "[deterrence]\nper_attack = {:.2}\nrecovery_days = {:.1}\nfloor = {:.2}\n",
            rng.random_range(0.0..1.0),
            rng.random_range(0.5..30.0),
            rng.random_range(0.0..0.5)
        );
    }
    if shift {
        s.push_str("[[origin]]\nnode = \"d\"\ncapacity_convoys_per_day = 1\n");
    }
    if rng.random_bool(0.3) {
        s.push_str("[routing]\npolicy = \"avoid\"\n");
    }
    s
}

#[test]
fn fuel_balances_in_every_run_of_random_scenarios() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let (mut checked, mut with_pipeline, mut with_transit, mut with_losses) = (0, 0, 0, 0);
    for seed in 0..200u64 {
        let text = random_scenario(seed);
        let scenario = parse_scenario(&text, &data.join("r.toml"), |rel| load_network(&data.join(rel)))
            .unwrap_or_else(|e| panic!("seed {seed}: {e}\n{text}"));
        let model = Model::new(&scenario);
        let mut outcome = RunOutcome::new(&model);
        for run in 0..10 {
            outcome.play(&model, seed, run);
            for (d, r) in outcome.demand.iter().enumerate() {
                let balance = r.pipeline_m3 + r.dispatched_m3 - r.delivered_m3 - r.lost_m3 - r.in_transit_m3;
                assert!(balance.abs() < 1e-6, "seed {seed}, run {run}, demand {d}: off by {balance}: {r:?}\n{text}");
                let cum = outcome.delivered_cum[(d + 1) * outcome.days - 1];
                assert!((cum - r.delivered_m3).abs() < 1e-6, "seed {seed}: delivered by day");
                checked += 1;
                with_pipeline += usize::from(r.pipeline_m3 > 0.0);
                with_transit += usize::from(r.in_transit_m3 > 0.0);
                with_losses += usize::from(r.lost_m3 > 0.0);
            }
        }
    }
    // The draws cover every term of the balance.
    assert_eq!(checked, 4000);
    assert!(
        with_pipeline > 200 && with_transit > 200 && with_losses > 200,
        "{with_pipeline} {with_transit} {with_losses}"
    );
}

#[test]
fn departure_order_and_time_order_give_the_same_runs() {
    // Runs whose convoys interact only when they leave (escorts, deterrence) are played in
    // departure order; played step by step in time order they must give the same bits.
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let mut compared = 0;
    for seed in 0..200u64 {
        let text = random_scenario(seed);
        let scenario = parse_scenario(&text, &data.join("r.toml"), |rel| load_network(&data.join(rel))).unwrap();
        let mut model = Model::new(&scenario);
        if model.order != Order::Departure {
            continue;
        }
        let mut by_departure = RunOutcome::new(&model);
        let mut by_steps = RunOutcome::new(&model);
        for run in 0..5 {
            model.order = Order::Departure;
            by_departure.play(&model, seed, run);
            model.order = Order::Steps;
            by_steps.play(&model, seed, run);
            assert_eq!(by_departure.demand, by_steps.demand, "seed {seed}, run {run}\n{text}");
            assert_eq!(by_departure.stock, by_steps.stock, "seed {seed}, run {run}");
            assert_eq!(by_departure.edge_trucks, by_steps.edge_trucks, "seed {seed}, run {run}");
            assert_eq!(by_departure.blockades, by_steps.blockades, "seed {seed}, run {run}");
        }
        compared += 1;
    }
    assert!(compared > 40, "{compared} scenarios played in departure order");
}
