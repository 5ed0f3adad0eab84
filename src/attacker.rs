//! Attackers that choose where to stand. An `[[attacker]]` holds `sites` of its candidate
//! sites at once, with one strength, and moves by its policy:
//! - `static`: the first `sites` candidates, throughout;
//! - `rotating`: every `period_days`, the next `sites` candidates in turn (wrapping round);
//! - `adaptive`: every `period_days`, the `sites` candidates that the most trucks met in the
//!   last period, as known `detection_lag_days` ago (whole days; the first period, with nothing
//!   seen yet, holds the first candidates). It follows the traffic: an adaptive attacker needs
//!   the run's traffic, so scenarios with one are played in time order.
//!
//! A held site is a blockade of the attacker's strength there, met after the fixed blockades.

use crate::blockade::Site;

/// Index of an attacker in [`crate::scenario::Scenario::attackers`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AttackerId(pub u32);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttackerPolicy {
    Static,
    Rotating,
    Adaptive,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Attacker {
    pub name: String,
    pub candidates: Vec<Site>,
    /// How many candidates it holds at once.
    pub sites: usize,
    pub policy: AttackerPolicy,
    /// Time between moves (infinite for `static`).
    pub period_days: f64,
    pub detection_lag_days: f64,
    pub start_day: f64,
    pub end_day: f64,
    pub attack_prob: f64,
    pub escort_factor: f64,
    pub truck_loss_prob: f64,
    pub hold_days: f64,
}

impl Attacker {
    /// The period number at time t, or `None` outside [start_day, end_day).
    pub fn period(&self, t: f64) -> Option<usize> {
        if t < self.start_day || t >= self.end_day {
            return None;
        }
        if self.policy == AttackerPolicy::Static {
            return Some(0);
        }
        Some(((t - self.start_day) / self.period_days).floor() as usize)
    }

    /// Start time of period `p`.
    pub fn period_start(&self, p: usize) -> f64 {
        if self.policy == AttackerPolicy::Static {
            self.start_day
        } else {
            self.start_day + p as f64 * self.period_days
        }
    }

    /// How many periods fall before `horizon`.
    pub fn periods(&self, horizon: f64) -> usize {
        let end = self.end_day.min(horizon);
        if end <= self.start_day {
            0
        } else if self.policy == AttackerPolicy::Static {
            1
        } else {
            ((end - self.start_day) / self.period_days).ceil() as usize
        }
    }

    /// The candidates held in period `p` by a static or rotating attacker (and by an adaptive
    /// one before it has seen traffic).
    pub fn scheduled(&self, p: usize) -> Vec<usize> {
        let c = self.candidates.len();
        let first = if self.policy == AttackerPolicy::Rotating { p * self.sites } else { 0 };
        let mut held: Vec<usize> = (0..self.sites).map(|i| (first + i) % c).collect();
        held.sort_unstable();
        held.dedup();
        held
    }

    /// The `sites` candidates with the most traffic (ties: candidate order), sorted.
    pub fn busiest(&self, traffic: &[u64]) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.candidates.len()).collect();
        order.sort_by(|&a, &b| traffic[b].cmp(&traffic[a]).then(a.cmp(&b)));
        let mut held: Vec<usize> = order.into_iter().take(self.sites).collect();
        held.sort_unstable();
        held
    }

    /// The whole days whose traffic decides period `p` of an adaptive attacker: the period
    /// before, shifted back by the detection lag.
    pub fn window(&self, p: usize) -> std::ops::Range<i64> {
        let t = self.period_start(p) - self.detection_lag_days;
        (t - self.period_days).floor() as i64..t.floor() as i64
    }

    /// The probability that a convoy meeting a held site is attacked.
    pub fn attack_prob(&self, escorted: bool) -> f64 {
        if escorted { self.attack_prob * self.escort_factor } else { self.attack_prob }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::NodeId;

    fn attacker(policy: AttackerPolicy) -> Attacker {
        Attacker {
            name: "a".into(),
            candidates: (0..5).map(|i| Site::Node(NodeId(i))).collect(),
            sites: 2,
            policy,
            period_days: 10.0,
            detection_lag_days: 3.0,
            start_day: 5.0,
            end_day: 100.0,
            attack_prob: 0.5,
            escort_factor: 0.5,
            truck_loss_prob: 1.0,
            hold_days: 0.0,
        }
    }

    #[test]
    fn periods_follow_start_period_and_end() {
        let a = attacker(AttackerPolicy::Rotating);
        assert_eq!(a.period(4.9), None);
        assert_eq!(a.period(5.0), Some(0));
        assert_eq!(a.period(24.9), Some(1));
        assert_eq!(a.period(100.0), None);
        assert_eq!(a.periods(60.0), 6);
        assert_eq!(attacker(AttackerPolicy::Static).periods(60.0), 1);
        assert_eq!(attacker(AttackerPolicy::Static).period(99.0), Some(0));
    }

    #[test]
    fn rotating_moves_through_the_candidates() {
        let a = attacker(AttackerPolicy::Rotating);
        assert_eq!(a.scheduled(0), vec![0, 1]);
        assert_eq!(a.scheduled(1), vec![2, 3]);
        assert_eq!(a.scheduled(2), vec![0, 4]);
        assert_eq!(attacker(AttackerPolicy::Static).scheduled(7), vec![0, 1]);
    }

    #[test]
    fn adaptive_picks_the_busiest_in_the_lagged_window() {
        let a = attacker(AttackerPolicy::Adaptive);
        assert_eq!(a.busiest(&[5, 0, 9, 9, 1]), vec![2, 3]);
        assert_eq!(a.busiest(&[0, 0, 0, 0, 0]), vec![0, 1], "ties go to candidate order");
        // Period 2 starts on day 25; known 3 days late: days 12 to 21.
        assert_eq!(a.window(2), 12..22);
        assert!((a.attack_prob(true) - 0.25).abs() < 1e-12);
    }
}
