//! Each run's value of every target, accumulated exactly: integer-valued quantities (days,
//! trucks, short days) in counts per value, so that medians and the 5 and 95 % points are exact
//! by nearest rank; volumes in the log-bin histograms the stock quantiles use (within 0.27 %).
//! Memory depends on the targets and the scenario, never on the number of runs, and any split
//! of runs merges to the same bits.

use super::{Quantity, SiteFilter, Target};
use crate::convoy::Assailant;
use crate::sim::RunOutcome;
use crate::stats::Histograms;
use std::collections::BTreeMap;

/// The statistics of one target over the runs seen.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Score {
    /// The target's statistic; `None` for `first_shortage_day` when no run has a shortage.
    pub model: Option<f64>,
    /// 5 and 95 % points across runs of the per-run value (not for `p_shortage_by`).
    pub p05: Option<f64>,
    pub p95: Option<f64>,
    /// Runs behind the statistic (for `first_shortage_day`, those with a shortage).
    pub runs: u64,
    pub met: bool,
    /// How far the statistic lies outside the band, in band widths; a `first_shortage_day`
    /// with no shortage in any run counts as the horizon (censored).
    pub distance: f64,
}

#[derive(Debug, Clone, PartialEq)]
struct TargetAcc {
    runs: u64,
    /// Runs with a value (all but, for `first_shortage_day`, those without a shortage).
    valued: u64,
    /// Runs per integer value.
    counts: BTreeMap<u64, u64>,
    /// Volumes, for `delivered_m3` and `stock_m3`.
    volumes: Option<Histograms>,
}

/// Every target's accumulator.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetAccs {
    targets: Vec<Target>,
    accs: Vec<TargetAcc>,
    horizon: u32,
}

impl TargetAccs {
    pub fn new(targets: &[Target], horizon: u32) -> TargetAccs {
        let accs = targets
            .iter()
            .map(|t| TargetAcc {
                runs: 0,
                valued: 0,
                counts: BTreeMap::new(),
                volumes: matches!(t.quantity, Quantity::DeliveredM3 | Quantity::StockM3).then(|| Histograms::new(1)),
            })
            .collect();
        TargetAccs { targets: targets.to_vec(), accs, horizon }
    }

    pub fn targets(&self) -> &[Target] {
        &self.targets
    }

    /// Adds one run.
    pub fn add(&mut self, o: &RunOutcome) {
        let days = o.days;
        for (t, acc) in self.targets.iter().zip(&mut self.accs) {
            acc.runs += 1;
            let d = t.demand.map_or(0, |d| d.index());
            let series = d * days..(d + 1) * days;
            let (from, to) = (t.from as usize, t.to as usize);
            let count = match t.quantity {
                Quantity::FirstShortageDay => o.demand[d].first_shortage_day.map(u64::from),
                Quantity::PShortageBy => Some(u64::from(o.demand[d].first_shortage_day.is_some_and(|f| f <= t.to))),
                Quantity::ShareShortDays => Some(o.shortage[series][from..=to].iter().filter(|&&s| s).count() as u64),
                Quantity::TrucksLost => Some(
                    o.losses
                        .iter()
                        .filter(|l| l.t >= f64::from(t.from) && l.t < f64::from(t.to) + 1.0 && at_site(t.site, l.by))
                        .map(|l| u64::from(l.trucks))
                        .sum(),
                ),
                Quantity::DeliveredM3 => {
                    let cum = &o.delivered_cum[series];
                    let before = if from == 0 { 0.0 } else { cum[from - 1] };
                    add_volume(acc, cum[to] - before);
                    None
                }
                Quantity::StockM3 => {
                    add_volume(acc, o.stock[series][to]);
                    None
                }
            };
            if let Some(c) = count {
                acc.valued += 1;
                *acc.counts.entry(c).or_insert(0) += 1;
            }
        }
    }

    pub fn merge(&mut self, other: &TargetAccs) {
        for (a, b) in self.accs.iter_mut().zip(&other.accs) {
            a.runs += b.runs;
            a.valued += b.valued;
            for (&v, &c) in &b.counts {
                *a.counts.entry(v).or_insert(0) += c;
            }
            if let (Some(x), Some(y)) = (&mut a.volumes, &b.volumes) {
                x.merge(y);
            }
        }
    }

    /// The statistics of every target, in file order.
    pub fn scores(&self) -> Vec<Score> {
        self.targets.iter().zip(&self.accs).map(|(t, a)| self.score(t, a)).collect()
    }

    fn score(&self, t: &Target, a: &TargetAcc) -> Score {
        let q = |p: f64| -> Option<f64> {
            match &a.volumes {
                Some(h) => h.quantile(0, p),
                None => nearest_rank(&a.counts, a.valued, p).map(|v| v as f64),
            }
        };
        let window = f64::from(t.to - t.from + 1);
        let (model, p05, p95, runs) = match t.quantity {
            Quantity::PShortageBy => {
                let hits = a.counts.get(&1).copied().unwrap_or(0);
                ((a.runs > 0).then(|| hits as f64 / a.runs as f64), None, None, a.runs)
            }
            Quantity::ShareShortDays => {
                let short: u64 = a.counts.iter().map(|(&v, &c)| v * c).sum();
                let mean = (a.runs > 0).then(|| short as f64 / a.runs as f64 / window);
                (mean, q(0.05).map(|v| v / window), q(0.95).map(|v| v / window), a.runs)
            }
            Quantity::FirstShortageDay => (q(0.5), q(0.05), q(0.95), a.valued),
            _ => (q(0.5), q(0.05), q(0.95), a.runs),
        };
        let censored = if t.quantity == Quantity::FirstShortageDay { Some(f64::from(self.horizon)) } else { None };
        let value = model.or(censored);
        Score {
            model,
            p05,
            p95,
            runs,
            met: model.is_some_and(|v| t.met(v)),
            distance: value.map_or(f64::INFINITY, |v| t.distance(v)),
        }
    }
}

fn add_volume(acc: &mut TargetAcc, m3: f64) {
    if let Some(h) = &mut acc.volumes {
        h.add(0, m3);
        acc.valued += 1;
    }
}

fn at_site(site: SiteFilter, by: Assailant) -> bool {
    match (site, by) {
        (SiteFilter::Everywhere, _) => true,
        (SiteFilter::Blockade(b), Assailant::Blockade(x)) => b == x,
        (SiteFilter::Attacker(a), Assailant::Attacker { attacker, .. }) => a == attacker,
        _ => false,
    }
}

/// The value of rank ceil(p·n) (at least 1) in counts of values over `n` runs.
fn nearest_rank(counts: &BTreeMap<u64, u64>, n: u64, p: f64) -> Option<u64> {
    if n == 0 {
        return None;
    }
    let rank = ((p * n as f64).ceil() as u64).clamp(1, n);
    let mut seen = 0;
    counts.iter().find_map(|(&v, &c)| {
        seen += c;
        (seen >= rank).then_some(v)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_quantiles_are_exact() {
        let counts: BTreeMap<u64, u64> = [(3, 2), (5, 1), (9, 7)].into_iter().collect();
        assert_eq!(nearest_rank(&counts, 10, 0.05), Some(3));
        assert_eq!(nearest_rank(&counts, 10, 0.2), Some(3));
        assert_eq!(nearest_rank(&counts, 10, 0.3), Some(5));
        assert_eq!(nearest_rank(&counts, 10, 0.5), Some(9));
        assert_eq!(nearest_rank(&BTreeMap::new(), 0, 0.5), None);
    }
}
