//! A demand node's stock over one run: drawn down continuously at the consumption rate (times
//! the rationing factor while the stock is under the rationing threshold), raised by each
//! delivery at its arrival time and by the reserve, once, when the stock falls under the
//! reserve's threshold; never below zero. What cannot be drawn is unmet demand; a day with
//! unmet demand is a shortage day. Between events the stock is linear, so every crossing is
//! computed exactly.

use crate::scenario::Demand;

/// A stock under this many days of consumption after a crossing is rounding: it is empty.
const ROUNDING: f64 = 1e-12;

/// What one demand node went through in one run.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct StockTotals {
    pub first_shortage_day: Option<u32>,
    pub shortage_days: u32,
    pub unmet_m3: f64,
    /// Demand cut by rationing (consumption × (1 − factor) while rationing).
    pub rationed_m3: f64,
    /// The reserve added to the stock (0 when it was not released).
    pub reserve_released_m3: f64,
}

/// A stock drawn down over time and raised by deliveries.
trait Level {
    /// Draws the stock down until time `until`, adding to the totals; returns whether some of
    /// that time had unmet demand.
    fn draw_until(&mut self, until: f64, totals: &mut StockTotals) -> bool;
    /// Adds a delivery of `m3` now.
    fn receive(&mut self, m3: f64);
    fn level(&self) -> f64;
}

/// The stock of one demand node as time goes on.
struct Stock<'a> {
    demand: &'a Demand,
    s: f64,
    t: f64,
    reserve_pending: bool,
    released: f64,
}

impl Stock<'_> {
    /// The draw rate now: consumption, times the rationing factor while the stock is at or
    /// under the rationing threshold.
    fn rate(&self) -> f64 {
        let c = self.demand.consumption_m3_per_day;
        match self.demand.rationing {
            Some(r) if self.s <= r.below_m3 => c * r.factor,
            _ => c,
        }
    }

    /// Adds the reserve, once, when the stock is at or under its threshold.
    fn release(&mut self) {
        if let (true, Some(r)) = (self.reserve_pending, self.demand.reserve)
            && self.s <= r.release_below_m3
        {
            self.s += r.m3;
            self.released = r.m3;
            self.reserve_pending = false;
        }
    }

    /// The highest stock level under the current one at which something changes: rationing
    /// starts, the reserve is released, or (0) the stock is empty.
    fn next_level(&self) -> f64 {
        let mut level = 0.0f64;
        if let Some(r) = self.demand.rationing
            && r.below_m3 < self.s
        {
            level = level.max(r.below_m3);
        }
        if let (true, Some(r)) = (self.reserve_pending, self.demand.reserve)
            && r.release_below_m3 < self.s
        {
            level = level.max(r.release_below_m3);
        }
        level
    }
}

impl Level for Stock<'_> {
    fn draw_until(&mut self, until: f64, totals: &mut StockTotals) -> bool {
        let c = self.demand.consumption_m3_per_day;
        let mut short = false;
        loop {
            self.release();
            let span = until - self.t;
            if span <= 0.0 {
                return short;
            }
            let rate = self.rate();
            if rate <= 0.0 {
                totals.rationed_m3 += c * span;
                self.t = until;
                return short;
            }
            if self.s <= 0.0 {
                // Empty: everything asked for until `until` is unmet.
                totals.rationed_m3 += (c - rate) * span;
                totals.unmet_m3 += rate * span;
                short = true;
                self.s = 0.0;
                self.t = until;
                return short;
            }
            let level = self.next_level();
            let dt = (self.s - level) / rate;
            if dt >= span {
                totals.rationed_m3 += (c - rate) * span;
                self.s -= rate * span;
                self.t = until;
                self.release();
                return short;
            }
            totals.rationed_m3 += (c - rate) * dt;
            self.t += dt;
            self.s = level;
            // A stock left a hair above zero by rounding is empty.
            if self.s < ROUNDING * c {
                self.s = 0.0;
            }
        }
    }

    fn receive(&mut self, m3: f64) {
        self.s += m3;
        self.release();
    }

    fn level(&self) -> f64 {
        self.s
    }
}

/// The stock of a demand node without rationing or reserve (the common case): `Stock`'s
/// arithmetic with the branches that cannot apply taken out, so the same operations on the
/// same values, in the same order, give the same bits (the tests hold them to it).
struct Plain {
    c: f64,
    s: f64,
    t: f64,
}

impl Level for Plain {
    #[inline]
    fn draw_until(&mut self, until: f64, totals: &mut StockTotals) -> bool {
        // `Stock::draw_until` with a rate of `c`, nothing rationed (each (c − rate) × span
        // added is +0, and the sum stays +0) and 0 as the next level.
        let c = self.c;
        let span = until - self.t;
        if span <= 0.0 {
            return false;
        }
        if c <= 0.0 {
            totals.rationed_m3 += c * span;
            self.t = until;
            return false;
        }
        if self.s > 0.0 {
            let dt = self.s / c;
            if dt >= span {
                self.s -= c * span;
                self.t = until;
                return false;
            }
            // Empty at t + dt (the level 0 is under ROUNDING × c), then short until `until`.
            self.t += dt;
            self.s = 0.0;
            let span = until - self.t;
            if span <= 0.0 {
                return false;
            }
            totals.unmet_m3 += c * span;
        } else {
            totals.unmet_m3 += c * span;
        }
        self.s = 0.0;
        self.t = until;
        true
    }

    #[inline]
    fn receive(&mut self, m3: f64) {
        self.s += m3;
    }

    fn level(&self) -> f64 {
        self.s
    }
}

/// The order of `f64::total_cmp` as an unsigned integer order: the bits of a non-negative
/// number, and those of a negative one (NaN included) inverted.
#[inline]
fn total_key(x: f64) -> u64 {
    let bits = x.to_bits();
    bits ^ ((((bits as i64) >> 63) as u64) | (1 << 63))
}

/// Sorts deliveries by time, then volume, in the order of `total_cmp` on both: by the integer
/// key of the time alone (one comparison of integers, cheaper than comparing floats), then the
/// rare runs of equal times by volume. Equal keys are equal bits, so that the unstable sorts
/// leave no trace of the order the deliveries came in.
fn sort_deliveries(deliveries: &mut [(f64, f64)]) {
    deliveries.sort_unstable_by_key(|&(t, _)| total_key(t));
    let mut rest = deliveries;
    while let [(t, _), tail @ ..] = rest {
        let same = 1 + tail.iter().take_while(|d| d.0.to_bits() == t.to_bits()).count();
        let (tied, after) = rest.split_at_mut(same);
        if same > 1 {
            tied.sort_unstable_by_key(|&(_, m3)| total_key(m3));
        }
        rest = after;
    }
}

/// Runs the stock of `demand` over `stock.len()` days. `deliveries` are (arrival time, m³),
/// all before the horizon, in any order (they are sorted here by time, then volume, so that
/// the result does not depend on their order). Writes the stock at the end of
/// each day into `stock` and whether the day had unmet demand into `shortage`.
pub fn run_stock(
    demand: &Demand,
    deliveries: &mut [(f64, f64)],
    stock: &mut [f64],
    shortage: &mut [bool],
) -> StockTotals {
    sort_deliveries(deliveries);
    if demand.rationing.is_none() && demand.reserve.is_none() {
        let mut plain = Plain { c: demand.consumption_m3_per_day, s: demand.initial_stock_m3, t: 0.0 };
        return run_days(&mut plain, deliveries, stock, shortage);
    }
    run_general(demand, deliveries, stock, shortage)
}

/// `run_stock` through the general `Stock`, whatever the demand, on sorted deliveries.
fn run_general(demand: &Demand, deliveries: &[(f64, f64)], stock: &mut [f64], shortage: &mut [bool]) -> StockTotals {
    let mut st =
        Stock { demand, s: demand.initial_stock_m3, t: 0.0, reserve_pending: demand.reserve.is_some(), released: 0.0 };
    st.release();
    let mut totals = run_days(&mut st, deliveries, stock, shortage);
    totals.reserve_released_m3 = st.released;
    totals
}

/// Plays `st` day by day through the sorted `deliveries`.
#[inline]
fn run_days(st: &mut impl Level, deliveries: &[(f64, f64)], stock: &mut [f64], shortage: &mut [bool]) -> StockTotals {
    let mut next = deliveries.iter().peekable();
    let mut totals = StockTotals::default();
    for (day, (stock_out, short_out)) in stock.iter_mut().zip(shortage.iter_mut()).enumerate() {
        let end = (day + 1) as f64;
        let mut short = false;
        loop {
            let arrival = next.peek().filter(|d| d.0 < end).map(|d| **d);
            let until = arrival.map_or(end, |d| d.0);
            short |= st.draw_until(until, &mut totals);
            match arrival {
                Some((_, m3)) => {
                    st.receive(m3);
                    next.next();
                }
                None => break,
            }
        }
        *stock_out = st.level();
        *short_out = short;
        if short {
            totals.shortage_days += 1;
            totals.first_shortage_day.get_or_insert(day as u32);
        }
    }
    totals
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::NodeId;
    use crate::scenario::{Rationing, Reserve};

    fn demand(rate: f64, initial: f64) -> Demand {
        Demand::plain(NodeId(0), rate, initial)
    }

    fn run(d: &Demand, mut deliveries: Vec<(f64, f64)>, days: usize) -> (StockTotals, Vec<f64>, Vec<bool>) {
        let (mut stock, mut short) = (vec![0.0; days], vec![false; days]);
        let totals = run_stock(d, &mut deliveries, &mut stock, &mut short);
        (totals, stock, short)
    }

    #[test]
    fn without_deliveries_shortage_starts_on_floor_of_cover() {
        for (initial, first) in [(18_000.0, 7), (16_800.0, 7), (0.0, 0), (100.0, 0), (2_400.0, 1)] {
            let (t, stock, short) = run(&demand(2_400.0, initial), vec![], 12);
            assert_eq!(t.first_shortage_day, Some(first), "initial {initial}");
            assert_eq!(t.shortage_days, 12 - first);
            assert!((t.unmet_m3 - (12.0 * 2_400.0 - initial)).abs() < 1e-6);
            assert!(short[first as usize] && (first == 0 || !short[first as usize - 1]));
            assert_eq!(stock[11], 0.0);
        }
    }

    #[test]
    fn deliveries_refill_and_count_only_days_with_unmet_demand() {
        // 10 m³/day from 15 m³: empty at t = 1.5; 20 m³ at t = 2.25 lasts to 4.25.
        let (t, stock, short) = run(&demand(10.0, 15.0), vec![(2.25, 20.0)], 6);
        assert_eq!(short, vec![false, true, true, false, true, true]);
        assert_eq!(t.first_shortage_day, Some(1));
        assert_eq!(t.shortage_days, 4);
        assert!((t.unmet_m3 - (7.5 + 17.5)).abs() < 1e-9, "{}", t.unmet_m3);
        assert!((stock[0] - 5.0).abs() < 1e-12);
        assert!((stock[2] - 12.5).abs() < 1e-12);
        assert!((stock[3] - 2.5).abs() < 1e-12);
    }

    #[test]
    fn delivery_in_time_means_no_shortage_and_order_does_not_matter() {
        let d = demand(10.0, 10.0);
        let (t, stock, _) = run(&d, vec![(3.0, 10.0), (1.0, 20.0)], 4);
        assert_eq!(t, StockTotals::default());
        // Empty exactly at t = 1 and t = 3 and t = 4, each time just as a delivery arrives.
        assert_eq!(stock, vec![0.0, 10.0, 0.0, 0.0]);
    }

    #[test]
    fn rationing_cuts_the_draw_under_its_threshold() {
        // 100 m³/day from 1000; under 500 (5 days) the draw halves: 500 lasts 10 more days.
        let d = Demand { rationing: Some(Rationing { factor: 0.5, below_m3: 500.0 }), ..demand(100.0, 1000.0) };
        let (t, stock, _) = run(&d, vec![], 20);
        assert_eq!(t.first_shortage_day, Some(15));
        assert!((stock[4] - 500.0).abs() < 1e-9);
        assert!((stock[6] - 400.0).abs() < 1e-9);
        assert!((t.unmet_m3 - 5.0 * 50.0).abs() < 1e-9, "{}", t.unmet_m3);
        assert!((t.rationed_m3 - 15.0 * 50.0).abs() < 1e-9, "{}", t.rationed_m3);
        // A delivery that lifts the stock over the threshold restores the full draw.
        let (_, stock, _) = run(&d, vec![(6.0, 1000.0)], 10);
        // 450 m³ at t = 6, + 1000, then a full day at 100 m³/day.
        assert!((stock[6] - 1350.0).abs() < 1e-9, "{}", stock[6]);
    }

    #[test]
    fn the_reserve_is_released_once_under_its_threshold() {
        let with = |below: f64| Demand {
            reserve: Some(Reserve { m3: 300.0, release_below_m3: below }),
            ..demand(100.0, 500.0)
        };
        // Released at 200 m³ (day 3): empty at day 8 instead of 5.
        let (t, stock, _) = run(&with(200.0), vec![], 12);
        assert_eq!(t.first_shortage_day, Some(8));
        assert!((stock[2] - 500.0).abs() < 1e-9, "{stock:?}");
        // Released when empty (threshold 0): the same total.
        let (t0, _, _) = run(&with(0.0), vec![], 12);
        assert_eq!(t0.first_shortage_day, Some(8));
        assert!((t.unmet_m3 - t0.unmet_m3).abs() < 1e-9);
    }

    #[test]
    fn zero_consumption_never_runs_short() {
        let (t, stock, _) = run(&demand(0.0, 0.0), vec![(0.5, 3.0)], 3);
        assert_eq!(t, StockTotals::default());
        assert_eq!(stock, vec![3.0, 3.0, 3.0]);
    }

    /// A pseudo-random number in [0, 1) from a SplitMix64 state.
    fn uniform(state: &mut u64) -> f64 {
        *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = *state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Random demands and deliveries that hit the edge cases: times on midnight, equal times,
    /// stocks emptied exactly by a day's draw, zero consumption, empty starts.
    fn random_case(state: &mut u64) -> (Demand, Vec<(f64, f64)>, usize) {
        let days = 1 + (uniform(state) * 40.0) as usize;
        let c = match (uniform(state) * 4.0) as u32 {
            0 => 0.0,
            1 => (1.0 + uniform(state) * 100.0).floor(),
            _ => uniform(state) * 3000.0,
        };
        let initial = match (uniform(state) * 3.0) as u32 {
            0 => 0.0,
            1 => c * (uniform(state) * 10.0).floor(),
            _ => uniform(state) * 20.0 * c.max(1.0),
        };
        let n = (uniform(state) * 30.0) as usize;
        let mut deliveries: Vec<(f64, f64)> = Vec::with_capacity(n);
        for _ in 0..n {
            let t = match (uniform(state) * 4.0) as u32 {
                0 => (uniform(state) * days as f64).floor(),
                1 if !deliveries.is_empty() => deliveries[deliveries.len() - 1].0,
                _ => uniform(state) * days as f64,
            };
            let m3 = match (uniform(state) * 3.0) as u32 {
                0 => c * (uniform(state) * 3.0).floor(),
                _ => uniform(state) * 5.0 * c.max(1.0),
            };
            deliveries.push((t, m3));
        }
        (demand(c, initial), deliveries, days)
    }

    fn bits(totals: StockTotals, stock: &[f64], short: &[bool]) -> (Vec<u64>, Vec<bool>, Option<u32>, u32) {
        let sums = [totals.unmet_m3, totals.rationed_m3, totals.reserve_released_m3];
        let values = sums.iter().chain(stock).map(|v| v.to_bits()).collect();
        (values, short.to_vec(), totals.first_shortage_day, totals.shortage_days)
    }

    #[test]
    fn the_plain_path_gives_the_general_paths_bits() {
        let mut state = 12_345;
        for case in 0..20_000 {
            let (d, mut deliveries, days) = random_case(&mut state);
            let (plain, stock, short) = run(&d, deliveries.clone(), days);
            let (mut stock2, mut short2) = (vec![0.0; days], vec![false; days]);
            sort_deliveries(&mut deliveries);
            let general = run_general(&d, &deliveries, &mut stock2, &mut short2);
            assert_eq!(
                bits(plain, &stock, &short),
                bits(general, &stock2, &short2),
                "case {case}: {d:?} {deliveries:?}"
            );
        }
    }

    #[test]
    fn rationing_and_reserves_take_the_general_path() {
        let mut state = 777;
        for case in 0..5_000 {
            let (mut d, mut deliveries, days) = random_case(&mut state);
            let c = d.consumption_m3_per_day;
            if case % 3 != 1 {
                d.rationing = Some(Rationing { factor: uniform(&mut state), below_m3: uniform(&mut state) * 5.0 * c });
            }
            if case % 3 != 0 {
                d.reserve =
                    Some(Reserve { m3: uniform(&mut state) * 5.0 * c, release_below_m3: uniform(&mut state) * c });
            }
            let (routed, stock, short) = run(&d, deliveries.clone(), days);
            let (mut stock2, mut short2) = (vec![0.0; days], vec![false; days]);
            sort_deliveries(&mut deliveries);
            let general = run_general(&d, &deliveries, &mut stock2, &mut short2);
            assert_eq!(bits(routed, &stock, &short), bits(general, &stock2, &short2), "case {case}");
        }
    }

    #[test]
    fn deliveries_sort_as_total_cmp_sorts_them() {
        let mut state = 99;
        let specials = [0.0, -0.0, 1.0, -1.0, f64::NAN, -f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 5e-324, 2.5];
        for _ in 0..2_000 {
            let n = (uniform(&mut state) * 40.0) as usize;
            let mut pick = || match (uniform(&mut state) * 3.0) as u32 {
                0 => specials[(uniform(&mut state) * specials.len() as f64) as usize],
                _ => (uniform(&mut state) * 8.0).floor() * 0.5,
            };
            let mut deliveries: Vec<(f64, f64)> = (0..n).map(|_| (pick(), pick())).collect();
            let mut expected = deliveries.clone();
            expected.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
            sort_deliveries(&mut deliveries);
            let bits = |v: &[(f64, f64)]| v.iter().map(|(t, m)| (t.to_bits(), m.to_bits())).collect::<Vec<_>>();
            assert_eq!(bits(&deliveries), bits(&expected));
        }
    }
}
