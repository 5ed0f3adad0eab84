//! What a simulation will allocate, estimated from the compiled models before a run is played,
//! so that a scenario too large for the machine is refused with the figure instead of being
//! aborted by the allocator (docs/formats.md, Limits). The estimate follows the structures the
//! engine allocates: per worker (and once more for the merged total) an accumulator and a run
//! outcome per model, whose size is set by days × demand nodes (daily statistics, with a
//! histogram of 4,097 bins per node and day when stock quantiles are kept), roads × days
//! (traffic per day), attackers' periods × candidates and the convoys of a run; once, the
//! models and the network; for `run`, the runs.csv lines in flight.

use crate::attacker::AttackerPolicy;
use crate::sim::{BLOCK_RUNS, Model, RunRow};
use crate::stats::{HISTOGRAM_BINS, Moments};
use std::mem::size_of;

/// Blocks of runs whose rows are in flight at once (a wave being computed, one queued, one
/// being written).
const ROWS_IN_FLIGHT: u64 = 3 * 128 * BLOCK_RUNS;
/// Bytes a node and a road of the network take, with their routing and movement tables
/// (measured on a 1,000,000-node grid: 2.5 GB at peak for the whole run).
const NODE_BYTES: u64 = 250;
const EDGE_BYTES: u64 = 150;
/// Bytes of a formatted runs.csv line.
const LINE_BYTES: u64 = 200;

/// What drives a part of the estimate: the key a message names.
#[derive(Debug, Clone, PartialEq)]
pub enum Driver {
    /// Days × demand nodes or days × roads: `simulation.horizon_days`.
    Horizon,
    /// Periods × candidates of the attacker with this index (in the first model).
    Attacker(usize),
    /// The convoys of a run; the supply with this index dispatches the most.
    Convoys(usize),
}

/// One part of an estimate.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    pub what: String,
    pub bytes: u64,
    pub driver: Driver,
}

/// An estimate of the bytes a simulation allocates, with its parts, largest first.
#[derive(Debug, Clone, PartialEq)]
pub struct Footprint {
    pub bytes: u64,
    pub parts: Vec<Part>,
}

/// How the models are played.
#[derive(Debug, Clone, Copy)]
pub struct Play {
    /// Worker threads.
    pub workers: usize,
    /// Whether daily stock quantiles are kept (`run`).
    pub quantiles: bool,
    /// Whether per-run rows are formatted (`run`: runs.csv).
    pub rows: bool,
}

/// The estimate for playing `models` together (compare, sweep and critical play several).
pub fn footprint(models: &[&Model], play: Play) -> Footprint {
    let slots = play.workers as u64 + 1;
    let moments = size_of::<Moments>() as u64;
    let site = 3 * 8 + moments;
    // Histogram bins come in blocks of a doubling, allocated where values fall: a series' stocks
    // span a few doublings; eight blocks of 128 counts each is a generous allowance.
    let histogram = if play.quantiles { (HISTOGRAM_BINS as u64 / 128 + 2) * 4 + 8 * 128 * 4 + 16 } else { 0 };
    let (mut daily, mut roads, mut attackers, mut convoys, mut once, mut network) =
        (0u64, 0u64, 0u64, 0u64, 0u64, 0u64);
    let mut biggest_attacker = (0u64, 0usize);
    for m in models {
        let days = u64::from(m.horizon_days);
        let demands = m.demands.len() as u64;
        // Per-run road statistics are kept for the roads some route uses only.
        let edges = m.roads.len() as u64;
        let all_edges = m.road_slot.len() as u64;
        // Accumulator and outcome per node and day: histogram, 2 moments, 3 counters; stock,
        // shortage, cumulative deliveries.
        daily += days * demands * (histogram + 2 * moments + 3 * 8 + 17) + demands * 24 * moments;
        // Per road: sums, the day's maximum, and the trucks entering on each day of a run.
        roads += edges * (site + 4 + 20 + days * 4);
        let mut sites = m.blockades as u64;
        for (a, attacker) in m.movement.attackers.iter().enumerate() {
            let candidates = attacker.candidates.len() as u64;
            let periods = attacker.periods(f64::from(m.horizon_days)) as u64;
            let traffic = if attacker.policy == AttackerPolicy::Adaptive { candidates * days * 8 } else { 0 };
            let bytes = periods * (candidates * 9 + 48) + traffic;
            attackers += bytes;
            if bytes > biggest_attacker.0 {
                biggest_attacker = (bytes, a);
            }
            sites += candidates;
        }
        roads += sites * (site + 24);
        // A run's convoys: deliveries, and in time-ordered runs the queue and each walk.
        let per_convoy = 16
            + if m.order != crate::sim::Order::Independent { size_of::<crate::convoy::Walk>() as u64 + 64 } else { 0 };
        convoys += m.dispatch.convoys.len() as u64 * per_convoy;
        once += m.dispatch.convoys.len() as u64 * size_of::<crate::convoy::ConvoyPlan>() as u64;
        network += m.node_capacity.len() as u64 * NODE_BYTES + all_edges * EDGE_BYTES;
    }
    let first = models.first();
    let rows = match (play.rows, first) {
        (true, Some(m)) => ROWS_IN_FLIGHT * m.demands.len() as u64 * (size_of::<RunRow>() as u64 + LINE_BYTES),
        _ => 0,
    };
    // The daily tables read back for the charts.
    let read_back = first.map_or(0, |m| u64::from(m.horizon_days) * m.demands.len() as u64 * 120);
    let busiest = first.map_or(0, |m| {
        let mut per_supply = std::collections::HashMap::new();
        for c in &m.dispatch.convoys {
            *per_supply.entry(c.supply).or_insert(0u64) += 1;
        }
        per_supply
            .into_iter()
            .max_by_key(|&(s, n)| (n, std::cmp::Reverse(s)))
            .and_then(|(s, _)| s)
            .map_or(0, |s| s.index())
    });
    let mut parts = vec![
        Part {
            what: "daily statistics per demand node and day".into(),
            bytes: slots * daily + read_back,
            driver: Driver::Horizon,
        },
        Part { what: "traffic per road and day".into(), bytes: slots * roads, driver: Driver::Horizon },
        Part {
            what: "attackers' periods".into(),
            bytes: slots * attackers,
            driver: Driver::Attacker(biggest_attacker.1),
        },
        Part { what: "convoys".into(), bytes: slots * convoys + once, driver: Driver::Convoys(busiest) },
        Part { what: "runs.csv lines in flight".into(), bytes: rows, driver: Driver::Horizon },
        Part { what: "the network and its routes".into(), bytes: network, driver: Driver::Horizon },
    ];
    parts.retain(|p| p.bytes > 0);
    parts.sort_by_key(|p| std::cmp::Reverse(p.bytes));
    let bytes = parts.iter().map(|p| p.bytes).sum::<u64>() + (8 << 20);
    Footprint { bytes, parts }
}

/// Bytes as "4.6 GB", "350 MB", "12 kB" (powers of 1000).
pub fn show_bytes(bytes: u64) -> String {
    let b = bytes as f64;
    match bytes {
        0..1_000 => format!("{bytes} bytes"),
        1_000..1_000_000 => format!("{:.0} kB", b / 1e3),
        1_000_000..1_000_000_000 => format!("{:.0} MB", b / 1e6),
        1_000_000_000..1_000_000_000_000 => format!("{:.1} GB", b / 1e9),
        _ => format!("{:.1} TB", b / 1e12),
    }
}

/// Parses a size such as `8G`, `500M`, `1.5T`, `2000000` (bytes; powers of 1000, an optional
/// trailing `B`).
pub fn parse_bytes(text: &str) -> Option<u64> {
    let t = text.trim().trim_end_matches(['B', 'b']);
    let (number, scale) = match t.chars().last()? {
        'k' | 'K' => (&t[..t.len() - 1], 1e3),
        'm' | 'M' => (&t[..t.len() - 1], 1e6),
        'g' | 'G' => (&t[..t.len() - 1], 1e9),
        't' | 'T' => (&t[..t.len() - 1], 1e12),
        _ => (t, 1.0),
    };
    let v = number.trim().parse::<f64>().ok()? * scale;
    (1.0..1.8e19).contains(&v).then_some(v as u64)
}

/// The default limit: half of the machine's physical memory (Linux `/proc/meminfo`), or 4 GB
/// where it cannot be read.
pub fn default_limit() -> u64 {
    let total = std::fs::read_to_string("/proc/meminfo").ok().and_then(|text| {
        let line = text.lines().find(|l| l.starts_with("MemTotal:"))?;
        let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kb * 1024)
    });
    total.map_or(4_000_000_000, |t| t / 2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::test_util::network;
    use crate::scenario::test_util::scenario;

    fn model(horizon: u32, demands: usize, rest: &str) -> Model {
        let nodes: Vec<(String, f64)> = (0..=demands).map(|i| (format!("n{i}"), 0.0)).collect();
        let node_refs: Vec<(&str, f64)> = nodes.iter().map(|(n, d)| (n.as_str(), *d)).collect();
        let edges: Vec<(String, String)> = (1..=demands).map(|i| ("n0".to_string(), format!("n{i}"))).collect();
        let edge_refs: Vec<(&str, &str, f64)> = edges.iter().map(|(a, b)| (a.as_str(), b.as_str(), 100.0)).collect();
        let mut text = String::new();
        for i in 1..=demands {
            text.push_str(&format!("[[demand]]\nnode = \"n{i}\"\nconsumption_m3_per_day = 1\ninitial_stock_m3 = 5\n"));
        }
        Model::new(&scenario(network(&node_refs, &edge_refs), horizon, &format!("{text}{rest}")))
    }

    #[test]
    fn a_long_horizon_is_dominated_by_the_daily_histograms() {
        let m = model(36_500, 5, "");
        let f = footprint(&[&m], Play { workers: 2, quantiles: true, rows: true });
        // 3 accumulators of 36,500 × 5 histograms, each allowed eight blocks of 128 four-byte
        // bins and its block index: 2.5 GB.
        assert!(f.bytes > 2_200_000_000 && f.bytes < 2_700_000_000, "{}", f.bytes);
        assert_eq!(f.parts[0].driver, Driver::Horizon);
        assert_eq!(show_bytes(f.bytes), "2.5 GB");
        // Without quantiles (compare, sweep) the same models need far less.
        let light = footprint(&[&m], Play { workers: 2, quantiles: false, rows: false });
        assert!(light.bytes < f.bytes / 20, "{}", light.bytes);
        // More workers, more accumulators.
        let more = footprint(&[&m], Play { workers: 8, quantiles: true, rows: true });
        assert!(more.bytes > 3 * f.bytes - f.bytes / 10, "{}", more.bytes);
    }

    #[test]
    fn attackers_with_short_periods_are_named() {
        let m = model(
            3650,
            1,
            "[[attacker]]\nname = \"j\"\ncandidates = [\"n0\", \"n1\"]\npolicy = \"rotating\"\nperiod_days = 0.01\nattack_prob = 0.1\n",
        );
        let f = footprint(&[&m], Play { workers: 1, quantiles: false, rows: false });
        assert_eq!(f.parts[0].driver, Driver::Attacker(0), "{f:?}");
    }

    #[test]
    fn sizes_parse_and_show() {
        assert_eq!(parse_bytes("8G"), Some(8_000_000_000));
        assert_eq!(parse_bytes("1.5GB"), Some(1_500_000_000));
        assert_eq!(parse_bytes("500m"), Some(500_000_000));
        assert_eq!(parse_bytes("123"), Some(123));
        for bad in ["", "G", "-1G", "x", "1e300T", "0"] {
            assert_eq!(parse_bytes(bad), None, "{bad}");
        }
        assert_eq!(show_bytes(4_600_000_000), "4.6 GB");
        assert_eq!(show_bytes(350_000_000), "350 MB");
        assert!(default_limit() >= 1_000_000);
    }
}
