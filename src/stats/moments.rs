//! Mean and spread of a quantity over runs, kept as exact integer sums of the values rounded to
//! a thousandth (of a m³, a day, a convoy). Integer sums merge in any order to the same bits,
//! so results do not depend on how runs were split across threads.

const SCALE: f64 = 1000.0;

/// Count, sum and sum of squares of values quantised to 1/1000.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Moments {
    n: u64,
    sum: i128,
    sum_sq: u128,
}

impl Moments {
    pub fn add(&mut self, v: f64) {
        let q = (v * SCALE).round() as i64;
        self.n += 1;
        self.sum += i128::from(q);
        // Saturating: for these non-negative terms the result is the same in any order.
        self.sum_sq = self.sum_sq.saturating_add((i128::from(q) * i128::from(q)) as u128);
    }

    pub fn merge(&mut self, other: &Moments) {
        self.n += other.n;
        self.sum += other.sum;
        self.sum_sq = self.sum_sq.saturating_add(other.sum_sq);
    }

    pub fn count(&self) -> u64 {
        self.n
    }

    /// The mean, or `None` over no values.
    pub fn mean(&self) -> Option<f64> {
        (self.n > 0).then(|| self.sum as f64 / self.n as f64 / SCALE)
    }

    /// The sample standard deviation, or `None` below two values.
    pub fn std_dev(&self) -> Option<f64> {
        (self.n > 1).then(|| {
            let n = self.n as f64;
            let (s, ss) = (self.sum as f64, self.sum_sq as f64);
            ((ss - s * s / n) / (n - 1.0)).max(0.0).sqrt() / SCALE
        })
    }

    /// Half-width of the normal 95 % confidence interval of the mean (0 with a single value).
    pub fn ci95_half_width(&self) -> f64 {
        self.std_dev().map_or(0.0, |sd| 1.96 * sd / (self.n as f64).sqrt())
    }
}

/// The Wilson score 95 % interval of a proportion `k / n`.
pub fn wilson95(k: u64, n: u64) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let (z, n, p) = (1.96f64, n as f64, k as f64 / n as f64);
    let denom = 1.0 + z * z / n;
    let centre = (p + z * z / (2.0 * n)) / denom;
    let half = z * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt() / denom;
    let lo = if k == 0 { 0.0 } else { (centre - half).max(0.0) };
    let hi = if k as f64 == n { 1.0 } else { (centre + half).min(1.0) };
    (lo, hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mean_and_spread() {
        let mut m = Moments::default();
        assert_eq!(m.mean(), None);
        for v in [1.0, 2.0, 3.0, 4.0] {
            m.add(v);
        }
        assert_eq!(m.mean(), Some(2.5));
        let sd = m.std_dev().unwrap();
        assert!((sd - (5.0f64 / 3.0).sqrt()).abs() < 1e-12);
        assert!((m.ci95_half_width() - 1.96 * sd / 2.0).abs() < 1e-12);
    }

    #[test]
    fn merge_is_exact_in_any_order() {
        let values: Vec<f64> = (0..1000).map(|i| (i as f64 * 0.7311).sin() * 1e6).collect();
        let mut all = Moments::default();
        values.iter().for_each(|&v| all.add(v));
        let (mut a, mut b) = (Moments::default(), Moments::default());
        values[..333].iter().for_each(|&v| a.add(v));
        values[333..].iter().for_each(|&v| b.add(v));
        b.merge(&a);
        assert_eq!(b, all);
    }

    #[test]
    fn wilson_interval_contains_p_and_stays_in_bounds() {
        let (lo, hi) = wilson95(0, 100);
        assert_eq!(lo, 0.0);
        assert!(hi > 0.03 && hi < 0.04, "{hi}");
        let (lo, hi) = wilson95(50, 100);
        assert!(lo < 0.5 && hi > 0.5 && (0.5 - lo - (hi - 0.5)).abs() < 1e-12);
        assert_eq!(wilson95(100, 100).1, 1.0);
    }
}
