//! Paired differences between scenarios run with common random numbers. Run i of every
//! scenario draws the same numbers for the same purposes, so the difference of an outcome
//! between two scenarios, taken run by run, has far less variance than the difference of two
//! independent means. Each (scenario, demand node) keeps the moments of both sides and of the
//! run-by-run difference, so the paired and the unpaired interval can both be reported.

use super::moments::Moments;
use crate::sim::DemandRun;

/// The outcomes compared, per run and demand node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    /// 1 when the run has a shortage day, else 0: its mean is P(shortage).
    Shortage,
    /// The first shortage day, or the horizon when there is none (censored).
    FirstDay,
    Unmet,
    Lost,
    Delivered,
}

impl Metric {
    pub const ALL: [Metric; 5] = [Metric::Shortage, Metric::FirstDay, Metric::Unmet, Metric::Lost, Metric::Delivered];

    fn value(self, r: &DemandRun, horizon: u32) -> f64 {
        match self {
            Metric::Shortage => f64::from(u8::from(r.first_shortage_day.is_some())),
            Metric::FirstDay => f64::from(r.first_shortage_day.unwrap_or(horizon)),
            Metric::Unmet => r.unmet_m3,
            Metric::Lost => r.lost_m3,
            Metric::Delivered => r.delivered_m3,
        }
    }
}

/// A difference B − A of means over the same runs, with both 95 % half-widths.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Difference {
    pub mean: f64,
    /// From the run-by-run differences (common random numbers).
    pub ci95: f64,
    /// As if A and B had been run independently: 1.96 √(s²_A/n + s²_B/n).
    pub ci95_unpaired: f64,
}

#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
struct Pair {
    a: Moments,
    b: Moments,
    diff: Moments,
}

/// Differences of every scenario to the first, per demand node of the first scenario.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Paired {
    /// `[m][d]`: the demand index in scenario m of the first scenario's demand d, if it has one.
    map: Vec<Vec<Option<usize>>>,
    horizons: Vec<u32>,
    /// `[m][d][metric]`.
    pairs: Vec<Vec<Vec<Pair>>>,
}

impl Paired {
    /// `demands[m]`: the node ids of scenario m's demand nodes; `horizons[m]` its horizon.
    pub fn new(demands: &[Vec<String>], horizons: &[u32]) -> Paired {
        let base = &demands[0];
        let map: Vec<Vec<Option<usize>>> =
            demands.iter().map(|ds| base.iter().map(|id| ds.iter().position(|x| x == id)).collect()).collect();
        let pairs = map.iter().map(|m| m.iter().map(|_| vec![Pair::default(); Metric::ALL.len()]).collect()).collect();
        Paired { map, horizons: horizons.to_vec(), pairs }
    }

    /// Adds one run: `runs[m]` are the demand results of scenario m in that run.
    pub fn add(&mut self, runs: &[&[DemandRun]]) {
        for m in 1..self.map.len() {
            for (d, target) in self.map[m].iter().enumerate() {
                let Some(dm) = *target else { continue };
                for (k, metric) in Metric::ALL.iter().enumerate() {
                    let a = metric.value(&runs[0][d], self.horizons[0]);
                    let b = metric.value(&runs[m][dm], self.horizons[m]);
                    let p = &mut self.pairs[m][d][k];
                    p.a.add(a);
                    p.b.add(b);
                    p.diff.add(b - a);
                }
            }
        }
    }

    pub fn merge(&mut self, other: &Paired) {
        for (x, y) in self.pairs.iter_mut().flatten().flatten().zip(other.pairs.iter().flatten().flatten()) {
            x.a.merge(&y.a);
            x.b.merge(&y.b);
            x.diff.merge(&y.diff);
        }
    }

    /// Scenario m minus the first scenario, at the first scenario's demand node d; `None` when
    /// scenario m has no demand at that node (or m is 0).
    pub fn difference(&self, m: usize, d: usize, metric: Metric) -> Option<Difference> {
        self.map.get(m)?.get(d).copied().flatten()?;
        if m == 0 {
            return None;
        }
        let k = Metric::ALL.iter().position(|x| *x == metric)?;
        let p = &self.pairs[m][d][k];
        let half = |s: &Moments| s.ci95_half_width();
        Some(Difference {
            mean: p.diff.mean().unwrap_or(0.0),
            ci95: half(&p.diff),
            ci95_unpaired: (half(&p.a).powi(2) + half(&p.b).powi(2)).sqrt(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(first: Option<u32>, unmet: f64) -> DemandRun {
        DemandRun { first_shortage_day: first, unmet_m3: unmet, ..DemandRun::default() }
    }

    #[test]
    fn differences_are_taken_run_by_run_and_matched_by_node() {
        let demands = vec![vec!["x".to_string(), "y".to_string()], vec!["y".to_string()]];
        let mut p = Paired::new(&demands, &[10, 20]);
        // Scenario 1 has y only, at its index 0; each run adds 5 m³ of unmet demand at y.
        for i in 0..50 {
            let u = (i * 37 % 11) as f64 * 100.0;
            let a = [run(None, 0.0), run(Some(3), u)];
            let b = [run(None, u + 5.0)];
            p.add(&[&a, &b]);
        }
        assert!(p.difference(1, 0, Metric::Unmet).is_none(), "x is not a demand of scenario 1");
        let d = p.difference(1, 1, Metric::Unmet).unwrap();
        assert!((d.mean - 5.0).abs() < 1e-9);
        assert_eq!(d.ci95, 0.0, "the same offset in every run");
        assert!(d.ci95_unpaired > 100.0);
        let s = p.difference(1, 1, Metric::Shortage).unwrap();
        assert_eq!(s.mean, -1.0);
        let f = p.difference(1, 1, Metric::FirstDay).unwrap();
        assert_eq!(f.mean, 20.0 - 3.0, "no shortage counts as the horizon");
    }

    #[test]
    fn merge_equals_one_pass() {
        let demands = vec![vec!["x".to_string()], vec!["x".to_string()]];
        let (mut all, mut a, mut b) =
            (Paired::new(&demands, &[5, 5]), Paired::new(&demands, &[5, 5]), Paired::new(&demands, &[5, 5]));
        for i in 0..20 {
            let r0 = [run(None, i as f64)];
            let r1 = [run(Some(1), 2.0 * i as f64)];
            all.add(&[&r0, &r1]);
            if i < 7 { a.add(&[&r0, &r1]) } else { b.add(&[&r0, &r1]) }
        }
        b.merge(&a);
        assert_eq!(b, all);
    }
}
