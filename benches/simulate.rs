//! Runs per second of the simulation core (convoys, stocks, statistics, runs.csv lines; no
//! disk), on the paths a run can take:
//! - `v1_bamako_2025`: the frozen scenario the speed issue measured (benches/data/v1: 35 nodes,
//!   252 independent convoys a run, 120 days), on 1 and 2 threads;
//! - `bamako_2025`: the shipped scenario (46 nodes, 610 convoys a run with warm-up, scheduled
//!   convoys, escorts and deterrence: played in departure order, 160 days), on 1 and 2 threads;
//! - `baseline`: the shipped network without blockade (independent convoys), 1 thread;
//! - `adaptive_attacker`: convoys played step by step in time order, 1 thread;
//! - `grid_100k`: a 100,489-node grid (benches/common/grid.rs) with `avoid` routing, 1 thread.

#[path = "common/grid.rs"]
mod grid;

use corridor::report::RunsFormat;
use corridor::scenario::{Scenario, load_scenario};
use corridor::sim::{Model, simulate};
use criterion::{BenchmarkGroup, Criterion, Throughput, criterion_group, criterion_main, measurement::WallTime};
use std::path::Path;
use std::time::Duration;

fn load(path: &Path) -> Scenario {
    load_scenario(path).unwrap_or_else(|e| panic!("{e}"))
}

/// Benchmarks `runs` runs of `scenario` on each thread count.
fn runs(group: &mut BenchmarkGroup<WallTime>, scenario: &Scenario, runs: u64, threads: &[usize]) {
    let model = Model::new(scenario);
    let format = RunsFormat::new(scenario);
    group.throughput(Throughput::Elements(runs));
    for &t in threads {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(t).build().expect("thread pool");
        group.bench_function(format!("{runs} runs, {t} threads"), |b| {
            b.iter(|| {
                let mut bytes = 0usize;
                let acc = simulate(
                    &model,
                    scenario.simulation.seed,
                    runs,
                    &pool,
                    |rows| format.lines(rows),
                    |lines| {
                        bytes += lines.len();
                        Ok::<(), ()>(())
                    },
                    |_| {},
                )
                .expect("no sink error");
                (acc.runs(), bytes)
            })
        });
    }
}

fn bench(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let cases: [(&str, &Path, u64, &[usize]); 4] = [
        ("v1_bamako_2025", &root.join("benches/data/v1/bamako_2025.toml"), 4096, &[1, 2]),
        ("bamako_2025", &root.join("scenarios/bamako_2025.toml"), 1024, &[1, 2]),
        ("baseline", &root.join("scenarios/baseline.toml"), 1024, &[1]),
        ("adaptive_attacker", &root.join("scenarios/adaptive_attacker.toml"), 512, &[1]),
    ];
    for (name, path, n, threads) in cases {
        let mut group = c.benchmark_group(name);
        group.sample_size(10).measurement_time(Duration::from_secs(6));
        runs(&mut group, &load(path), n, threads);
        group.finish();
    }
    let dir = tempfile::tempdir().expect("temporary folder");
    grid::write_grid(317, dir.path()).expect("grid written");
    let mut group = c.benchmark_group("grid_100k");
    group.sample_size(10).measurement_time(Duration::from_secs(10));
    runs(&mut group, &load(&dir.path().join("grid.toml")), 64, &[1]);
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
