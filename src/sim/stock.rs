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

    /// Draws the stock down until time `until`, adding to the totals; returns whether some of
    /// that time had unmet demand.
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
    deliveries.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let mut st =
        Stock { demand, s: demand.initial_stock_m3, t: 0.0, reserve_pending: demand.reserve.is_some(), released: 0.0 };
    st.release();
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
                    st.s += m3;
                    next.next();
                    st.release();
                }
                None => break,
            }
        }
        *stock_out = st.s;
        *short_out = short;
        if short {
            totals.shortage_days += 1;
            totals.first_shortage_day.get_or_insert(day as u32);
        }
    }
    totals.reserve_released_m3 = st.released;
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
}
