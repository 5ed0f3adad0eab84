//! Mean and spread of a quantity over runs, kept as exact integer sums of the values rounded to
//! a thousandth (of a m³, a day, a convoy). Integer sums merge in any order to the same bits,
//! so results do not depend on how runs were split across threads.
//!
//! Nothing saturates: a value must be under 2^63 thousandths (about 9.2e15) in magnitude, which
//! validation guarantees (docs/formats.md, Limits) and `add` asserts; the sum then fits i128 for
//! any count of runs up to 2^64, and the sum of squares is kept in 256 bits.

const SCALE: f64 = 1000.0;

/// The largest |value| × 1000 that fits an i64.
const MAX_SCALED: f64 = 9.223_372_036_854_775e18;

/// Count, sum and sum of squares of values quantised to 1/1000.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Moments {
    n: u64,
    sum: i128,
    sum_sq: U256,
}

/// An unsigned 256-bit sum: a sum of up to 2^64 squares of i64 values never overflows it.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize, serde::Deserialize)]
struct U256 {
    hi: u128,
    lo: u128,
}

impl U256 {
    fn add(&mut self, x: u128) {
        let (lo, carry) = self.lo.overflowing_add(x);
        self.lo = lo;
        self.hi += u128::from(carry);
    }

    fn merge(&mut self, other: U256) {
        self.add(other.lo);
        self.hi += other.hi;
    }

    fn to_f64(self) -> f64 {
        self.hi as f64 * 2f64.powi(128) + self.lo as f64
    }
}

/// `x.round() as i64` for |x| < 2^63, without a call into libm (`round` is one on x86-64
/// without SSE4.1, and it was 1.4 % of a run): truncation toward zero is a single conversion,
/// and the fraction x − trunc(x) is exact, so this is the same value, half away from zero.
#[inline]
fn round_half_away(x: f64) -> i64 {
    let t = x as i64;
    let frac = x - t as f64;
    // Without branches: the fraction of a stock is anything, and a mispredicted branch a time
    // cost more than the rest of `add`.
    t + i64::from(frac >= 0.5) - i64::from(frac <= -0.5)
}

/// `(v * 1000.0).round() as i64` (rounding half away from zero, saturating), without the libm
/// call inside the range that statistics hold: the exact thousandths written to runs.csv.
#[inline]
pub fn thousandths(v: f64) -> i64 {
    let scaled = v * SCALE;
    if scaled.abs() < MAX_SCALED { round_half_away(scaled) } else { scaled.round() as i64 }
}

impl Moments {
    /// Adds a value. Panics on a value outside ±9.2e15 (or NaN): validation bounds every input
    /// so that no run can produce one, and a silently wrong sum would be worse.
    pub fn add(&mut self, v: f64) {
        let scaled = v * SCALE;
        assert!(scaled.abs() < MAX_SCALED, "{v} is outside the range that statistics hold exactly (±9.2e15)");
        let q = round_half_away(scaled);
        self.n += 1;
        self.sum += i128::from(q);
        self.sum_sq.add(q.unsigned_abs() as u128 * q.unsigned_abs() as u128);
    }

    pub fn merge(&mut self, other: &Moments) {
        self.n += other.n;
        self.sum += other.sum;
        self.sum_sq.merge(other.sum_sq);
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
            let (s, ss) = (self.sum as f64, self.sum_sq.to_f64());
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
    fn volumes_saturate_silently_no_more() {
        // Squares beyond u128 (the old sum saturated here) stay exact in any merge order.
        let v = 9.0e15;
        let (mut a, mut b, mut all) = (Moments::default(), Moments::default(), Moments::default());
        for i in 0..40 {
            let x = if i % 2 == 0 { v } else { -v };
            all.add(x);
            if i < 13 { a.add(x) } else { b.add(x) }
        }
        b.merge(&a);
        assert_eq!(b, all);
        assert_eq!(all.mean(), Some(0.0));
        let sd = all.std_dev().unwrap();
        assert!((sd / (v * (40.0f64 / 39.0).sqrt()) - 1.0).abs() < 1e-12, "{sd}");
    }

    #[test]
    #[should_panic(expected = "outside the range that statistics hold exactly")]
    fn a_value_beyond_the_exact_range_fails_loudly() {
        Moments::default().add(1e16);
    }

    #[test]
    #[should_panic(expected = "outside the range that statistics hold exactly")]
    fn nan_fails_loudly() {
        Moments::default().add(f64::NAN);
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

    #[test]
    fn rounding_without_libm_is_rounding() {
        let cases =
            [0.0, 0.4999999999999999, 0.5, 1.5, 2.5, -0.5, -1.5, -2.4999, 1e15 + 0.5, -1e15 - 0.5, 4503599627370495.5];
        for x in cases.into_iter().chain((0..20_000).map(|i| (i as f64 - 10_000.0) * 0.0137 + 0.5)) {
            assert_eq!(round_half_away(x), x.round() as i64, "{x}");
        }
        let big = 9.2e18;
        assert_eq!(round_half_away(big), big as i64);
        assert_eq!(round_half_away(-big), -big as i64);
    }

    #[test]
    fn thousandths_are_the_rounded_product_everywhere() {
        let edges = [0.0, -0.0, 0.0005, -0.0005, 1.0005, 2.675, 9.2e15, -9.2e15, 1e16, -1e300, f64::MAX, f64::INFINITY];
        let spread = (0..50_000).map(|i| (i as f64 * 0.618_033_988_7).sin() * 10f64.powi(i % 17 - 3));
        for v in edges.into_iter().chain([f64::NEG_INFINITY, f64::NAN]).chain(spread) {
            assert_eq!(thousandths(v), (v * 1000.0).round() as i64, "{v}");
        }
    }
}
