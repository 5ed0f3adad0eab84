//! Runs per second of the shipped bamako_2025 scenario (35 nodes, 8 supply streams, 120 days),
//! on 1 and 2 threads: the whole per-run work of `corridor run` (convoys, stocks, statistics,
//! runs.csv lines) without the disk.

use corridor::report::RunsFormat;
use corridor::scenario::load_scenario;
use corridor::sim::{Model, simulate};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::path::Path;
use std::time::Duration;

const RUNS: u64 = 4096;

fn bench(c: &mut Criterion) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/bamako_2025.toml");
    let scenario = load_scenario(&path).unwrap_or_else(|e| panic!("{e}"));
    let model = Model::new(&scenario);
    let format = RunsFormat::new(&scenario);
    let mut group = c.benchmark_group("bamako_2025");
    group.throughput(Throughput::Elements(RUNS));
    group.sample_size(20).measurement_time(Duration::from_secs(8));
    for threads in [1, 2] {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("thread pool");
        group.bench_function(format!("{RUNS} runs, {threads} threads"), |b| {
            b.iter(|| {
                let mut bytes = 0usize;
                let acc = simulate(
                    &model,
                    scenario.simulation.seed,
                    RUNS,
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
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
