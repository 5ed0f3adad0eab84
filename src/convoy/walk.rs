//! How one convoy moves along its route in a run. A [`Walk`] goes from meeting to meeting:
//! its origin, then each road and each node in turn. At each it may queue (where the site has a
//! capacity), meets the fixed blockades and the attackers holding the site, then travels on
//! (lognormal travel time on a road, lognormal wait at a node). Everything that links convoys
//! together — queues, adaptive attackers — comes through a [`World`]; runs where that matters
//! take every convoy's steps in time order. A convoy nothing touches on the way is walked to
//! the end at once by `Movement::travel` (`course.rs`), with the same meetings and bits.

use super::ConvoyPlan;
use super::course::{Course, Leg, Wait, lognormal};
use super::exp::exp;
use super::normal::standard_normal;
use crate::attacker::{Attacker, AttackerPolicy};
use crate::blockade::{Blockade, BlockadeId, Site, SiteIndex};
use crate::network::{EdgeId, NodeId};
use crate::rng::{Part, Stream, derive, derive_part, first_output, name_key, stream, unit_f64};
use crate::routing::{Route, Router};
use crate::scenario::Scenario;
use rand::{Rng, RngExt};

/// A node or a road of the network.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SiteRef {
    Node(NodeId),
    Edge(EdgeId),
}

/// Who attacked a convoy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Assailant {
    Blockade(BlockadeId),
    /// An attacker, at one of its candidate sites.
    Attacker {
        attacker: u32,
        candidate: u32,
    },
}

/// What happens to a convoy, reported as it happens.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Event {
    /// The convoy's trucks enter a road: the first at `t`, the next ones `spacing` apart (0
    /// unless the road has a capacity).
    Edge { edge: EdgeId, t: f64, trucks: u32, spacing: f64 },
    /// It is attacked at time `t` at `site`.
    Attack { by: Assailant, site: SiteRef, t: f64, trucks_lost: u32 },
    /// It reaches its destination at time `t` (before the horizon) with `trucks` trucks.
    Arrive { t: f64, trucks: u32 },
    /// The horizon comes while it is under way with `trucks` trucks: it goes no further.
    Horizon { trucks: u32 },
}

/// Where a convoy's events go: any `FnMut(Event)`, or a type of the caller's whose `emit` is
/// always inlined (a closure's call is the compiler's choice, and in the departure-order path
/// it chose a call per event).
pub trait Emit {
    fn emit(&mut self, event: Event);
}

impl<F: FnMut(Event)> Emit for F {
    #[inline(always)]
    fn emit(&mut self, event: Event) {
        self(event);
    }
}

/// What links convoys together in a run. The default is a world where nothing does.
pub trait World {
    /// A convoy of `trucks` reaches `site` at `t`: when its first truck is through, and the
    /// time between trucks.
    fn queue(&mut self, _site: SiteRef, t: f64, _trucks: u32) -> (f64, f64) {
        (t, 0.0)
    }

    /// A convoy of `trucks` met `site` at `t` (for attackers that follow the traffic).
    fn passed(&mut self, _site: SiteRef, _t: f64, _trucks: u32) {}

    /// Whether adaptive attacker `attacker` holds its candidate `candidate` now.
    fn holds(&self, _attacker: usize, _candidate: usize) -> bool {
        false
    }
}

/// A world where convoys do not interact.
pub struct Alone;

impl World for Alone {}

/// A convoy under way.
#[derive(Debug, Clone)]
pub struct Walk {
    key: u64,
    pub(super) rng: Stream,
    /// The time of its next meeting (or of its end).
    pub t: f64,
    pub trucks: u32,
    pub escorted: bool,
    /// Its route (index into the dispatch's routes, and into the movement's courses).
    course: u32,
    /// 0: at its origin; 2i + 1: at road i; 2i + 2: at the node after road i.
    pos: usize,
}

/// The per-scenario constants needed to move convoys.
#[derive(Debug, Clone)]
pub struct Movement {
    /// Nothing happens from the horizon on: walks stop there.
    horizon: f64,
    /// (mu, sigma) of the lognormal travel-time factor; `None` when travel_time_cv is 0.
    travel: Option<(f64, f64)>,
    /// Each route of the dispatch, compiled.
    courses: Vec<Course>,
    sites: SiteIndex,
    blockades: Vec<Blockade>,
    /// Each blockade's name, and each attacker's candidate, as a component of attack keys.
    blockade_parts: Vec<Part>,
    pub attackers: Vec<Attacker>,
    candidate_parts: Vec<Vec<Part>>,
    /// Per node and per road: the (attacker, candidate) that may stand there.
    node_candidates: Vec<Vec<(u32, u32)>>,
    edge_candidates: Vec<Vec<(u32, u32)>>,
    /// Per static or rotating attacker and period: whether each candidate is held.
    schedule: Vec<Vec<Vec<bool>>>,
}

impl Movement {
    /// The movement of convoys on `routes` (the dispatch's, in its order).
    pub fn new(scenario: &Scenario, router: &Router, routes: &[Route]) -> Movement {
        let net = &scenario.network;
        let cv = scenario.simulation.travel_time_cv;
        let horizon = scenario.simulation.horizon();
        let mut node_candidates = vec![Vec::new(); net.nodes().len()];
        let mut edge_candidates = vec![Vec::new(); net.edges().len()];
        for (a, attacker) in scenario.attackers.iter().enumerate() {
            for (c, site) in attacker.candidates.iter().enumerate() {
                match *site {
                    Site::Node(n) => node_candidates[n.index()].push((a as u32, c as u32)),
                    Site::Edge(x, y) => {
                        for e in net.edges_between(x, y) {
                            edge_candidates[e.index()].push((a as u32, c as u32));
                        }
                    }
                }
            }
        }
        let schedule = scenario
            .attackers
            .iter()
            .map(|a| {
                (0..a.periods(horizon))
                    .map(|p| {
                        let held = a.scheduled(p);
                        (0..a.candidates.len()).map(|c| held.contains(&c)).collect()
                    })
                    .collect()
            })
            .collect();
        let sites = SiteIndex::new(net, &scenario.blockades);
        let node_busy = |n: NodeId| !sites.on_node[n.index()].is_empty() || !node_candidates[n.index()].is_empty();
        let edge_busy = |e: EdgeId| !sites.on_edge[e.index()].is_empty() || !edge_candidates[e.index()].is_empty();
        let wait = |n: NodeId| {
            let n = net.node(n);
            match (n.delay_mean_days > 0.0, n.delay_cv > 0.0) {
                (false, _) => Wait::None,
                (true, false) => Wait::Fixed(n.delay_mean_days),
                (true, true) => {
                    let (mu, sigma) = lognormal(n.delay_mean_days, n.delay_cv);
                    Wait::LogNormal { mu, sigma }
                }
            }
        };
        let travel = (cv > 0.0).then(|| lognormal(1.0, cv));
        let courses = routes
            .iter()
            .map(|r| {
                let legs = r
                    .edges
                    .iter()
                    .zip(&r.nodes[1..])
                    .map(|(&edge, &node)| Leg {
                        edge,
                        node,
                        days: router.edge_days(edge),
                        wait: wait(node),
                        edge_busy: edge_busy(edge),
                        node_busy: node_busy(node),
                    })
                    .collect();
                Course::new(r.nodes[0], node_busy(r.nodes[0]), legs, travel)
            })
            .collect();
        Movement {
            horizon,
            travel,
            courses,
            sites,
            blockades: scenario.blockades.clone(),
            blockade_parts: scenario.blockades.iter().map(|b| Part::new(name_key(&b.name))).collect(),
            attackers: scenario.attackers.clone(),
            candidate_parts: scenario
                .attackers
                .iter()
                .map(|a| {
                    let key = name_key(&format!("attacker:{}", a.name));
                    (0..a.candidates.len() as u64).map(|c| Part::new(derive(key, c))).collect()
                })
                .collect(),
            node_candidates,
            edge_candidates,
            schedule,
        }
    }

    /// The (attacker, candidate) pairs that may stand at a site.
    pub fn candidates_at(&self, site: SiteRef) -> &[(u32, u32)] {
        match site {
            SiteRef::Node(n) => &self.node_candidates[n.index()],
            SiteRef::Edge(e) => &self.edge_candidates[e.index()],
        }
    }

    /// Whether a static or rotating attacker holds a candidate at time t.
    pub fn scheduled(&self, attacker: usize, candidate: usize, t: f64) -> bool {
        let a = &self.attackers[attacker];
        a.period(t).and_then(|p| self.schedule[attacker].get(p)).is_some_and(|held| held[candidate])
    }

    /// A walk of `convoy` in the run with key `run_key`, at its origin at departure time.
    pub fn start(&self, convoy: &ConvoyPlan, run_key: u64, escorted: bool) -> Walk {
        let key = derive(run_key, convoy.key);
        Walk { key, rng: stream(key), t: convoy.depart, trucks: convoy.trucks, escorted, course: convoy.route, pos: 0 }
    }

    /// The compiled course of route `route`.
    #[inline(always)]
    pub(super) fn course(&self, route: u32) -> &Course {
        &self.courses[route as usize]
    }

    /// The time from which nothing happens.
    #[inline(always)]
    pub(super) fn horizon(&self) -> f64 {
        self.horizon
    }

    /// Takes a walk through its next meeting and on to the one after; returns false when the
    /// convoy has arrived (an `Arrive` event), has no truck left, or has reached the horizon
    /// under way (a `Horizon` event).
    #[inline(always)]
    pub fn step(&self, walk: &mut Walk, world: &mut impl World, emit: &mut impl Emit) -> bool {
        let course = &self.courses[walk.course as usize];
        let more = match walk.pos {
            0 => self.origin(course, walk, world, emit),
            pos => {
                let i = (pos - 1) / 2;
                let leg = &course.legs[i];
                if pos % 2 == 1 {
                    self.road(leg, walk, world, emit)
                } else {
                    self.node(leg, i + 1 == course.legs.len(), walk, world, emit)
                }
            }
        };
        walk.pos += usize::from(more);
        more
    }

    /// The meeting at the origin, at departure time.
    #[inline(always)]
    fn origin(&self, course: &Course, walk: &mut Walk, world: &mut impl World, emit: &mut impl Emit) -> bool {
        self.meet(course.origin_busy, SiteRef::Node(course.origin), walk, world, emit)
    }

    /// The meeting on the road of `leg` (its trucks enter it, after any queue), then the
    /// travel along it.
    #[inline(always)]
    fn road(&self, leg: &Leg, walk: &mut Walk, world: &mut impl World, emit: &mut impl Emit) -> bool {
        let site = SiteRef::Edge(leg.edge);
        world.passed(site, walk.t, walk.trucks);
        let (first, spacing) = world.queue(site, walk.t, walk.trucks);
        emit.emit(Event::Edge { edge: leg.edge, t: first, trucks: walk.trucks, spacing });
        walk.t = first + spacing * f64::from(walk.trucks.saturating_sub(1));
        if !self.meet(leg.edge_busy, site, walk, world, emit) {
            return false;
        }
        walk.t += match self.travel {
            None => leg.days,
            Some((mu, sigma)) => leg.days * exp(mu + sigma * standard_normal(&mut walk.rng)),
        };
        true
    }

    /// The meeting at the node after the road of `leg` (after any queue), then the wait there;
    /// at the `last` node, the arrival.
    #[inline(always)]
    fn node(&self, leg: &Leg, last: bool, walk: &mut Walk, world: &mut impl World, emit: &mut impl Emit) -> bool {
        let site = SiteRef::Node(leg.node);
        world.passed(site, walk.t, walk.trucks);
        let (first, spacing) = world.queue(site, walk.t, walk.trucks);
        walk.t = first + spacing * f64::from(walk.trucks.saturating_sub(1));
        if !self.meet(leg.node_busy, site, walk, world, emit) {
            return false;
        }
        walk.t += match leg.wait {
            Wait::None => 0.0,
            Wait::Fixed(d) => d,
            Wait::LogNormal { mu, sigma } => exp(mu + sigma * standard_normal(&mut walk.rng)),
        };
        if last {
            emit.emit(if walk.t < self.horizon {
                Event::Arrive { t: walk.t, trucks: walk.trucks }
            } else {
                Event::Horizon { trucks: walk.trucks }
            });
            return false;
        }
        true
    }

    /// Meets the fixed blockades of a site in file order, then the attackers holding it.
    /// Returns false when no truck is left, or when the horizon has come (a `Horizon` event).
    /// Most sites have neither (`busy` is false): they cost a flag.
    #[inline(always)]
    pub(super) fn meet(
        &self,
        busy: bool,
        site: SiteRef,
        walk: &mut Walk,
        world: &impl World,
        emit: &mut impl Emit,
    ) -> bool {
        if walk.t >= self.horizon {
            emit.emit(Event::Horizon { trucks: walk.trucks });
            return false;
        }
        !busy || self.meet_here(site, walk, world, emit)
    }

    /// The blockades and attackers at a site where some stand.
    #[inline(never)]
    pub(super) fn meet_here(&self, site: SiteRef, walk: &mut Walk, world: &impl World, emit: &mut impl Emit) -> bool {
        let (fixed, candidates) = match site {
            SiteRef::Node(n) => (&self.sites.on_node[n.index()], &self.node_candidates[n.index()]),
            SiteRef::Edge(e) => (&self.sites.on_edge[e.index()], &self.edge_candidates[e.index()]),
        };
        for &b in fixed {
            let blockade = &self.blockades[b.index()];
            if !blockade.active(walk.t) {
                continue;
            }
            let strength = (blockade.attack_prob(walk.escorted), blockade.truck_loss_prob, blockade.hold_days);
            let key = derive_part(walk.key, self.blockade_parts[b.index()]);
            if !self.attack(walk, strength, key, Assailant::Blockade(b), site, emit) {
                return false;
            }
        }
        for &(a, c) in candidates {
            let (ai, ci) = (a as usize, c as usize);
            let attacker = &self.attackers[ai];
            let held = match attacker.policy {
                AttackerPolicy::Adaptive => attacker.period(walk.t).is_some() && world.holds(ai, ci),
                _ => self.scheduled(ai, ci, walk.t),
            };
            if !held {
                continue;
            }
            let strength = (attacker.attack_prob(walk.escorted), attacker.truck_loss_prob, attacker.hold_days);
            let key = derive_part(walk.key, self.candidate_parts[ai][ci]);
            let by = Assailant::Attacker { attacker: a, candidate: c };
            if !self.attack(walk, strength, key, by, site, emit) {
                return false;
            }
        }
        true
    }

    /// One possible attack, drawn from its own stream `key`; returns false when no truck is
    /// left.
    fn attack(
        &self,
        walk: &mut Walk,
        (p, q, hold): (f64, f64, f64),
        key: u64,
        by: Assailant,
        site: SiteRef,
        emit: &mut impl Emit,
    ) -> bool {
        if p <= 0.0 {
            return true;
        }
        if unit_f64(first_output(key)) >= p {
            return true;
        }
        let mut rng = stream(key);
        rng.next_u64(); // the attack test, drawn above
        let lost =
            if q >= 1.0 { walk.trucks } else { (0..walk.trucks).filter(|_| rng.random::<f64>() < q).count() as u32 };
        walk.trucks -= lost;
        emit.emit(Event::Attack { by, site, t: walk.t, trucks_lost: lost });
        if walk.trucks == 0 {
            return false;
        }
        walk.t += hold;
        true
    }
}
