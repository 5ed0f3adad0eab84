//! A demand node's stock over one run: drawn down continuously at the consumption rate, raised
//! by each delivery at its arrival time, never below zero. What cannot be drawn is unmet
//! demand; a day with unmet demand is a shortage day.

use crate::scenario::Demand;

/// Unmet demand below this share of a segment's need is rounding, not a shortage.
const ROUNDING: f64 = 1e-9;

/// What one demand node went through in one run.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct StockTotals {
    pub first_shortage_day: Option<u32>,
    pub shortage_days: u32,
    pub unmet_m3: f64,
}

/// Runs the stock of `demand` over `stock.len()` days. `deliveries` are (arrival time, m³),
/// all before the horizon, in any order (they are sorted here). Writes the stock at the end of
/// each day into `stock` and whether the day had unmet demand into `shortage`.
pub fn run_stock(
    demand: &Demand,
    deliveries: &mut [(f64, f64)],
    stock: &mut [f64],
    shortage: &mut [bool],
) -> StockTotals {
    deliveries.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
    let rate = demand.consumption_m3_per_day;
    let mut s = demand.initial_stock_m3;
    let mut t = 0.0;
    let mut next = deliveries.iter().peekable();
    let mut totals = StockTotals::default();
    for (day, (stock_out, short_out)) in stock.iter_mut().zip(shortage.iter_mut()).enumerate() {
        let end = (day + 1) as f64;
        let mut short = false;
        loop {
            let arrival = next.peek().filter(|d| d.0 < end).map(|d| **d);
            let until = arrival.map_or(end, |d| d.0);
            let need = rate * (until - t);
            if need > s {
                if need - s > ROUNDING * need {
                    totals.unmet_m3 += need - s;
                    short = true;
                }
                s = 0.0;
            } else {
                s -= need;
            }
            t = until;
            match arrival {
                Some((_, m3)) => {
                    s += m3;
                    next.next();
                }
                None => break,
            }
        }
        *stock_out = s;
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

    fn demand(rate: f64, initial: f64) -> Demand {
        Demand { node: NodeId(0), consumption_m3_per_day: rate, initial_stock_m3: initial }
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
    fn zero_consumption_never_runs_short() {
        let (t, stock, _) = run(&demand(0.0, 0.0), vec![(0.5, 3.0)], 3);
        assert_eq!(t, StockTotals::default());
        assert_eq!(stock, vec![3.0, 3.0, 3.0]);
    }
}
