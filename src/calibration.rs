//! Fitting a scenario's uncertain parameters to what was observed, by approximate Bayesian
//! computation with rejection: parameter sets drawn from a low-discrepancy design over a box
//! (an Owen-scrambled Sobol sequence, seeded, so the design is reproducible), each run with the
//! same random numbers (runs 0 .. R of one seed), scored against the targets, and the closest
//! share kept. The distance of a set is the root sum of squares, over the fitted targets, of
//! how far each statistic lies outside its band in band widths (0 inside it): sets that meet
//! every target are all at distance 0. Everything here is a function of its inputs: no I/O.

use crate::observations::{Score, Target, TargetAccs};
use crate::rng::{derive, name_key};
use crate::sim::{Model, RunOutcome};

/// The longest design and the most parameters the Sobol sampler supports.
pub const MAX_SAMPLES: u64 = 1 << 16;
pub const MAX_PARAMETERS: usize = 256;

/// A parameter to fit: a scenario key and its prior range (uniform).
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    pub key: String,
    pub low: f64,
    pub high: f64,
    /// Whole numbers only (such as `trucks_per_convoy`).
    pub integer: bool,
}

impl Parameter {
    /// The value at `u` in [0, 1) of the range.
    fn at(&self, u: f64) -> f64 {
        let v = self.low + u * (self.high - self.low);
        if self.integer { v.round().clamp(self.low, self.high) } else { v }
    }
}

/// `samples` points of the box, each a value per parameter, from the Owen-scrambled Sobol
/// sequence scrambled by `seed`.
pub fn design(parameters: &[Parameter], samples: u64, seed: u64) -> Vec<Vec<f64>> {
    let scramble = derive(seed, name_key("calibration design")) as u32;
    (0..samples.min(MAX_SAMPLES) as u32)
        .map(|i| {
            parameters
                .iter()
                .enumerate()
                .map(|(d, p)| p.at(f64::from(sobol_burley::sample(i, d as u32, scramble))))
                .collect()
        })
        .collect()
}

/// Plays runs 0 .. `runs` of `model` under `seed` and scores them against `targets`.
pub fn evaluate(model: &Model, targets: &[Target], runs: u64, seed: u64) -> Vec<Score> {
    let mut outcome = RunOutcome::new(model);
    let mut accs = TargetAccs::new(targets, model.horizon_days);
    for run in 0..runs {
        outcome.play(model, seed, run);
        accs.add(&outcome);
    }
    accs.scores()
}

/// The distance of a set's scores to the fitted targets (`fitted[i]`: whether target i counts).
pub fn distance(scores: &[Score], fitted: &[bool]) -> f64 {
    scores.iter().zip(fitted).filter(|(_, f)| **f).map(|(s, _)| s.distance * s.distance).sum::<f64>().sqrt()
}

/// Which sets are accepted: the ceil(share × n) closest (at least one), ties going to the
/// earlier set.
pub fn accept(distances: &[f64], share: f64) -> Vec<bool> {
    let keep = ((share * distances.len() as f64).ceil() as usize).clamp(1, distances.len().max(1));
    let mut order: Vec<usize> = (0..distances.len()).collect();
    order.sort_by(|&a, &b| distances[a].total_cmp(&distances[b]).then(a.cmp(&b)));
    let mut accepted = vec![false; distances.len()];
    for &i in order.iter().take(keep) {
        accepted[i] = true;
    }
    accepted
}

/// The posterior of one parameter: median and 5 and 95 % points (nearest rank) of the accepted
/// values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Posterior {
    pub median: f64,
    pub p05: f64,
    pub p95: f64,
}

pub fn posterior(values: &[Vec<f64>], accepted: &[bool], parameter: usize) -> Option<Posterior> {
    let mut kept: Vec<f64> = values.iter().zip(accepted).filter(|(_, a)| **a).map(|(v, _)| v[parameter]).collect();
    if kept.is_empty() {
        return None;
    }
    kept.sort_by(f64::total_cmp);
    let n = kept.len();
    let rank = |q: f64| kept[((q * n as f64).ceil() as usize).clamp(1, n) - 1];
    Some(Posterior { median: rank(0.5), p05: rank(0.05), p95: rank(0.95) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_design_fills_the_box_reproducibly() {
        let p = [
            Parameter { key: "a".into(), low: 10.0, high: 20.0, integer: false },
            Parameter { key: "b".into(), low: 1.0, high: 5.0, integer: true },
        ];
        let d = design(&p, 256, 7);
        assert_eq!(d, design(&p, 256, 7));
        assert_ne!(d, design(&p, 256, 8));
        // Stratified: each tenth of a's range holds 256 / 10 points, give or take one.
        for k in 0..10 {
            let lo = 10.0 + f64::from(k);
            let n = d.iter().filter(|v| v[0] >= lo && v[0] < lo + 1.0).count();
            assert!((25..=27).contains(&n), "{k}: {n}");
        }
        assert!(d.iter().all(|v| v[1].fract() == 0.0 && (1.0..=5.0).contains(&v[1])));
    }

    #[test]
    fn the_closest_share_is_accepted() {
        assert_eq!(accept(&[3.0, 0.0, 1.0, 0.0], 0.5), vec![false, true, false, true]);
        assert_eq!(accept(&[3.0, 2.0, 1.0], 0.01), vec![false, false, true]);
        let values = vec![vec![1.0], vec![2.0], vec![3.0], vec![4.0]];
        let p = posterior(&values, &[true, false, true, true], 0).unwrap();
        assert_eq!((p.median, p.p05, p.p95), (3.0, 1.0, 4.0));
        assert_eq!(posterior(&values, &[false; 4], 0), None);
    }
}
