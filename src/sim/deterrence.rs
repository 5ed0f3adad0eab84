//! Drivers who refuse a road after attacks on it. For each deterred stream s, every attack at
//! a site of s's static route raises the pressure on s by 1, decaying as exp(−Δt / recovery);
//! a departure at t goes ahead with probability
//! m_s(t) = max(floor, 1 − per_attack × Σ_{t_a < t} exp(−(t − t_a) / recovery)).
//! Attacks are recorded as the run finds them, in any order relative to departures: each
//! stream keeps the attacks it has not yet needed in a queue and folds them, in time order,
//! into a decayed sum when a departure after them asks for m_s.

use crate::convoy::{SiteRef, exp};
use crate::routing::Route;
use crate::scenario::{Deterrence, SupplyId};
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Deterrence compiled for a scenario: which streams each site's attacks deter.
#[derive(Debug, Clone)]
pub struct DeterrencePlan {
    per_attack: f64,
    recovery_days: f64,
    floor: f64,
    /// Per supply: its index among the deterred streams.
    stream_of: Vec<Option<u32>>,
    streams: usize,
    /// Per node and per road: the deterred streams whose static route has it.
    on_node: Vec<Vec<u32>>,
    on_edge: Vec<Vec<u32>>,
}

impl DeterrencePlan {
    /// `static_routes[s]` is supply s's static route.
    pub fn new(d: &Deterrence, static_routes: &[&Route], nodes: usize, edges: usize) -> DeterrencePlan {
        let mut plan = DeterrencePlan {
            per_attack: d.per_attack,
            recovery_days: d.recovery_days,
            floor: d.floor,
            stream_of: vec![None; static_routes.len()],
            streams: 0,
            on_node: vec![Vec::new(); nodes],
            on_edge: vec![Vec::new(); edges],
        };
        for (s, route) in static_routes.iter().enumerate().filter(|&(s, _)| d.applies[s]) {
            let i = plan.streams as u32;
            plan.stream_of[s] = Some(i);
            plan.streams += 1;
            for n in &route.nodes {
                let list = &mut plan.on_node[n.index()];
                if !list.contains(&i) {
                    list.push(i);
                }
            }
            for e in &route.edges {
                let list = &mut plan.on_edge[e.index()];
                if !list.contains(&i) {
                    list.push(i);
                }
            }
        }
        plan
    }

    /// The deterred stream of a convoy of `supply` (scheduled convoys are never deterred).
    pub fn stream(&self, supply: Option<SupplyId>) -> Option<u32> {
        supply.and_then(|s| self.stream_of[s.index()])
    }
}

/// One run's attacks as the deterred streams have seen them.
#[derive(Debug, Clone)]
pub struct Pressure {
    streams: Vec<Stream>,
}

#[derive(Debug, Clone, Default)]
struct Stream {
    /// Attacks not folded in yet, by time (as order-preserving bits).
    pending: BinaryHeap<Reverse<u64>>,
    /// Σ exp(−(at − t_a) / recovery) over the attacks folded in, all at or before `at`.
    sum: f64,
    at: f64,
}

impl Pressure {
    pub fn new(plan: &DeterrencePlan) -> Pressure {
        Pressure { streams: vec![Stream::default(); plan.streams] }
    }

    /// An attack at `site` at time `t`.
    pub fn attack(&mut self, plan: &DeterrencePlan, site: SiteRef, t: f64) {
        let list = match site {
            SiteRef::Node(n) => &plan.on_node[n.index()],
            SiteRef::Edge(e) => &plan.on_edge[e.index()],
        };
        for &s in list {
            self.streams[s as usize].pending.push(Reverse(time_key(t)));
        }
    }

    /// The probability that a departure of deterred stream `s` at time `t` goes ahead: 1 when
    /// no attack came before `t`. Inlined into the run like the gate that asks (see there).
    #[inline(always)]
    pub fn go_ahead(&mut self, plan: &DeterrencePlan, s: u32, t: f64) -> f64 {
        let st = &mut self.streams[s as usize];
        while let Some(&Reverse(bits)) = st.pending.peek() {
            let ta = from_key(bits);
            if ta >= t {
                break;
            }
            st.pending.pop();
            st.sum = st.sum * exp(-(ta - st.at) / plan.recovery_days) + 1.0;
            st.at = ta;
        }
        if st.sum == 0.0 {
            return 1.0;
        }
        let pressure = st.sum * exp(-(t - st.at) / plan.recovery_days);
        (1.0 - plan.per_attack * pressure).max(plan.floor)
    }
}

/// Bits of a time that sort like the time, negative times included.
pub fn time_key(t: f64) -> u64 {
    let b = t.to_bits();
    if b >> 63 == 1 { !b } else { b | (1 << 63) }
}

/// The time whose [`time_key`] is `k`.
pub fn from_key(k: u64) -> f64 {
    f64::from_bits(if k >> 63 == 1 { k & !(1 << 63) } else { !k })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::{EdgeId, NodeId};

    fn plan(per_attack: f64, recovery: f64, floor: f64) -> DeterrencePlan {
        let route = Route { nodes: vec![NodeId(0), NodeId(1)], edges: vec![EdgeId(0)], nominal_days: 1.0 };
        let d = Deterrence { per_attack, recovery_days: recovery, floor, applies: vec![true] };
        DeterrencePlan::new(&d, &[&route], 3, 2)
    }

    #[test]
    fn time_keys_sort_like_times() {
        let times = [-1e9, -2.5, -1e-300, -0.0, 0.0, 1e-300, 0.5, 3.0, 1e9];
        for w in times.windows(2) {
            assert!(time_key(w[0]) <= time_key(w[1]), "{w:?}");
            assert_eq!(from_key(time_key(w[0])), w[0]);
        }
    }

    #[test]
    fn pressure_decays_from_each_earlier_attack_only() {
        let p = plan(0.3, 10.0, 0.0);
        let mut pr = Pressure::new(&p);
        assert_eq!(pr.go_ahead(&p, 0, 5.0), 1.0);
        // Recorded out of order; one is off the route (node 2) and one is later than the query.
        pr.attack(&p, SiteRef::Edge(EdgeId(0)), 8.0);
        pr.attack(&p, SiteRef::Node(NodeId(1)), 2.0);
        pr.attack(&p, SiteRef::Node(NodeId(2)), 1.0);
        pr.attack(&p, SiteRef::Edge(EdgeId(0)), 12.0);
        let want = 1.0 - 0.3 * ((-(10.0 - 2.0) / 10.0f64).exp() + (-(10.0 - 8.0) / 10.0f64).exp());
        assert!((pr.go_ahead(&p, 0, 10.0) - want).abs() < 1e-12);
        // An attack at exactly t does not count yet.
        let want = 1.0 - 0.3 * ((-10.0f64 / 10.0).exp() + (-4.0f64 / 10.0).exp());
        assert!((pr.go_ahead(&p, 0, 12.0) - want).abs() < 1e-12, "{}", pr.go_ahead(&p, 0, 12.0));
        let heavy = plan(1.0, 1e9, 0.25);
        let mut pr = Pressure::new(&heavy);
        pr.attack(&heavy, SiteRef::Node(NodeId(0)), 1.0);
        assert_eq!(pr.go_ahead(&heavy, 0, 2.0), 0.25, "the floor holds");
    }
}
