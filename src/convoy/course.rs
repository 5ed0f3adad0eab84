//! Routes compiled for movement, and the walk of a convoy that nothing else in the run touches
//! on the way (every convoy of a run whose convoys are independent or interact only when they
//! leave): the hot path of a run.
//!
//! A convoy's own stream is drawn only for its travel times and waits, in route order (attacks
//! draw from streams of their own), so all of a course's draws can be made before the convoy
//! moves: one tight loop of independent draws, then a walk that only adds, compares and books.
//! The draws and every floating-point operation are those of [`Movement::step`], in the same
//! order, so both give the same bits (tested); draws past the point where a walk stops are
//! made and not used, which changes nothing else (the stream is the convoy's alone).

use super::ConvoyPlan;
use super::exp::exp;
use super::normal::standard_normal;
use super::walk::{Alone, Emit, Event, Movement, SiteRef, Walk};
use crate::network::{EdgeId, NodeId};
use std::ops::ControlFlow::{self, Break, Continue};

/// The wait at a node: none, a fixed time, or lognormal with parameters (mu, sigma).
#[derive(Debug, Clone, Copy)]
pub(super) enum Wait {
    None,
    Fixed(f64),
    LogNormal { mu: f64, sigma: f64 },
}

/// Lognormal (mu, sigma) with the given mean and coefficient of variation.
pub(super) fn lognormal(mean: f64, cv: f64) -> (f64, f64) {
    let var = (1.0 + cv * cv).ln();
    (mean.ln() - var / 2.0, var.sqrt())
}

/// A route compiled for movement: its origin and, road by road, what a convoy needs there,
/// side by side, with flags for the sites where a blockade or an attacker may stand (most
/// meetings are elsewhere and cost only the horizon check and the flag).
#[derive(Debug, Clone)]
pub(super) struct Course {
    pub origin: NodeId,
    pub origin_busy: bool,
    pub legs: Vec<Leg>,
    /// Two per leg: the time on its road, then the wait at its node; what is drawn in a run
    /// is a placeholder here, overwritten by `draws`.
    steps: Vec<f64>,
    /// The course's draws, in the order the convoy's stream makes them.
    draws: Vec<Draw>,
}

/// One road of a course and the node after it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Leg {
    pub edge: EdgeId,
    pub node: NodeId,
    /// The road's nominal travel time.
    pub days: f64,
    /// The wait at the node.
    pub wait: Wait,
    pub edge_busy: bool,
    pub node_busy: bool,
}

/// One lognormal draw of a course: `scale × e^(mu + sigma·z)` into `steps[slot]`. The scale is
/// the road's nominal time for a travel time and 1 for a wait (`1 × x` is `x`, bit for bit).
#[derive(Debug, Clone, Copy)]
struct Draw {
    slot: u32,
    mu: f64,
    sigma: f64,
    scale: f64,
}

impl Course {
    /// The course of a route from `origin` through `legs`; `travel` is the (mu, sigma) of the
    /// travel-time factor, if travel times are drawn.
    pub fn new(origin: NodeId, origin_busy: bool, legs: Vec<Leg>, travel: Option<(f64, f64)>) -> Course {
        let (mut steps, mut draws) = (Vec::with_capacity(2 * legs.len()), Vec::new());
        for (i, leg) in legs.iter().enumerate() {
            let slot = 2 * i as u32;
            steps.push(leg.days);
            if let Some((mu, sigma)) = travel {
                draws.push(Draw { slot, mu, sigma, scale: leg.days });
            }
            steps.push(match leg.wait {
                Wait::None => 0.0,
                Wait::Fixed(d) => d,
                Wait::LogNormal { mu, sigma } => {
                    draws.push(Draw { slot: slot + 1, mu, sigma, scale: 1.0 });
                    f64::NAN
                }
            });
        }
        Course { origin, origin_busy, legs, steps, draws }
    }
}

/// A buffer reused from convoy to convoy (the steps of the course being walked).
#[derive(Debug, Clone, Default)]
pub struct Scratch {
    steps: Vec<f64>,
}

impl Movement {
    /// Moves one convoy all the way, in a world where convoys do not interact on the way:
    /// the meetings of [`Movement::step`] with [`Alone`], one after the other, with the same
    /// events and bits. Returns the time the walk ended (as `Walk::t` after its last step).
    /// Inlined into the caller's code, which `sim` compiles for processors with FMA where
    /// there is one (see `exp`).
    #[inline(always)]
    pub fn travel(
        &self,
        convoy: &ConvoyPlan,
        run_key: u64,
        escorted: bool,
        scratch: &mut Scratch,
        emit: &mut impl Emit,
    ) -> f64 {
        let mut walk = self.start(convoy, run_key, escorted);
        let course = self.course(convoy.route);
        if !self.meet(course.origin_busy, SiteRef::Node(course.origin), &mut walk, &Alone, emit) {
            return walk.t;
        }
        let steps = &mut scratch.steps;
        steps.clear();
        steps.extend_from_slice(&course.steps);
        for d in &course.draws {
            steps[d.slot as usize] = d.scale * exp(d.mu + d.sigma * standard_normal(&mut walk.rng));
        }
        let horizon = self.horizon();
        // `step` sets the time to `first + spacing × (trucks − 1)` at every meeting, where a
        // world without queues gives `first` = the time and `spacing` = 0: that is `t + 0`,
        // which is `t` except that it turns −0 into +0, and a time is never −0 after the
        // first road (it only grows by steps ≥ 0). So the first road's meeting does it once.
        let first = walk.t;
        let mut t = first + 0.0;
        let last = course.legs.len().wrapping_sub(1);
        for (i, (leg, step)) in course.legs.iter().zip(steps.chunks_exact(2)).enumerate() {
            emit.emit(Event::Edge {
                edge: leg.edge,
                t: if i == 0 { first } else { t },
                trucks: walk.trucks,
                spacing: 0.0,
            });
            t = match self.meeting(leg.edge_busy, SiteRef::Edge(leg.edge), t, &mut walk, emit) {
                Continue(t) => t + step[0],
                Break(end) => return end,
            };
            t = match self.meeting(leg.node_busy, SiteRef::Node(leg.node), t, &mut walk, emit) {
                Continue(t) => t + step[1],
                Break(end) => return end,
            };
            if i == last {
                emit.emit(if t < horizon {
                    Event::Arrive { t, trucks: walk.trucks }
                } else {
                    Event::Horizon { trucks: walk.trucks }
                });
                return t;
            }
        }
        walk.t
    }

    /// A meeting of a walk in `travel` at time `t`, as `Movement::meet` makes it: the time after it, or
    /// the time the walk ended there (the horizon came, or no truck is left).
    #[inline(always)]
    fn meeting(
        &self,
        busy: bool,
        site: SiteRef,
        t: f64,
        walk: &mut Walk,
        emit: &mut impl Emit,
    ) -> ControlFlow<f64, f64> {
        if t >= self.horizon() {
            emit.emit(Event::Horizon { trucks: walk.trucks });
            return Break(t);
        }
        if !busy {
            return Continue(t);
        }
        walk.t = t;
        if self.meet_here(site, walk, &Alone, emit) { Continue(walk.t) } else { Break(walk.t) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::convoy::Dispatch;
    use crate::network::Network;
    use crate::network::test_util::network;
    use crate::routing::Router;
    use crate::scenario::test_util::scenario;

    /// a – b (a wait, lognormal when `cv`) – c – d, 100 km each at 100 km/day.
    fn net(cv: f64) -> Network {
        let n = network(
            &[("a", 0.0), ("b", 0.5), ("c", 0.25), ("d", 0.0)],
            &[("a", "b", 100.0), ("b", "c", 100.0), ("c", "d", 100.0)],
        );
        let mut nodes = n.nodes().to_vec();
        nodes[1].delay_cv = cv;
        Network::new(nodes, n.edges().to_vec())
    }

    /// The events of every convoy, walked whole by `travel` and step by step by `step`.
    fn both(horizon: u32, travel_cv: f64, wait_cv: f64, extra: &str, run: u64) -> (Vec<Event>, Vec<Event>) {
        let supply = "[[demand]]\nnode = \"d\"\nconsumption_m3_per_day = 1\ninitial_stock_m3 = 0\n\
            [[supply]]\nname = \"s\"\nfrom = \"a\"\nto = \"d\"\nconvoys_per_day = 2\ntrucks_per_convoy = 8\ntruck_m3 = 1\n";
        let mut s = scenario(net(wait_cv), horizon, &format!("{supply}{extra}"));
        s.simulation.travel_time_cv = travel_cv;
        let router = Router::new(&s.network, &s.simulation);
        let dispatch = Dispatch::plan(&s, &router);
        let m = Movement::new(&s, &router, &dispatch.routes);
        let key = crate::rng::run_key(3, run);
        let (mut whole, mut stepped, mut scratch) = (Vec::new(), Vec::new(), Scratch::default());
        for (i, c) in dispatch.convoys.iter().enumerate() {
            let escorted = i % 3 == 0;
            let end = m.travel(c, key, escorted, &mut scratch, &mut |e| whole.push(e));
            let mut walk = m.start(c, key, escorted);
            while m.step(&mut walk, &mut Alone, &mut |e| stepped.push(e)) {}
            assert_eq!(end.to_bits(), walk.t.to_bits(), "convoy {i}: where the walk ended");
        }
        (whole, stepped)
    }

    #[test]
    fn travel_makes_the_events_of_step_bit_for_bit() {
        let sites = "[[blockade]]\nname = \"x\"\nedge = [\"b\", \"c\"]\nattack_prob = 0.4\nescort_factor = 0.5\n\
            truck_loss_prob = 0.3\nhold_days = 0.7\nstart_day = 2\n\
            [[blockade]]\nname = \"y\"\nnode = \"c\"\nattack_prob = 0.3\ntruck_loss_prob = 1\nend_day = 9\n\
            [[attacker]]\nname = \"z\"\ncandidates = [\"b\", [\"c\", \"d\"]]\nsites = 1\nperiod_days = 3\n\
            attack_prob = 0.5\ntruck_loss_prob = 0.5\nhold_days = 0.25\n";
        let mut events = 0;
        for (horizon, travel_cv, wait_cv, extra) in
            [(12, 0.0, 0.0, ""), (12, 0.3, 0.0, ""), (12, 0.3, 0.8, ""), (9, 0.25, 0.5, sites), (30, 0.0, 0.4, sites)]
        {
            for run in 0..40 {
                let (whole, stepped) = both(horizon, travel_cv, wait_cv, extra, run);
                assert_eq!(whole.len(), stepped.len());
                for (a, b) in whole.iter().zip(&stepped) {
                    assert_eq!(format!("{a:?}"), format!("{b:?}"), "horizon {horizon}, run {run}");
                }
                events += whole.len();
            }
        }
        assert!(events > 5000, "{events}");
    }
}
