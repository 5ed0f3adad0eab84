//! How one convoy moves along its route in a run. A [`Walk`] goes from meeting to meeting:
//! its origin, then each road and each node in turn. At each it may queue (where the site has a
//! capacity), meets the fixed blockades and the attackers holding the site, then travels on
//! (lognormal travel time on a road, lognormal wait at a node). Everything that links convoys
//! together — queues, adaptive attackers — comes through a [`World`]; convoys that do not
//! interact are simply walked to the end one after the other.

use super::ConvoyPlan;
use crate::attacker::{Attacker, AttackerPolicy};
use crate::blockade::{Blockade, BlockadeId, Site, SiteIndex};
use crate::network::{EdgeId, NodeId};
use crate::rng::{Stream, derive, name_key, stream};
use crate::routing::{Route, Router};
use crate::scenario::Scenario;
use rand::RngExt;
use rand_distr::StandardNormal;

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

/// The wait at a node: none, a fixed time, or lognormal with parameters (mu, sigma).
#[derive(Debug, Clone, Copy)]
enum Wait {
    None,
    Fixed(f64),
    LogNormal { mu: f64, sigma: f64 },
}

/// Lognormal (mu, sigma) with the given mean and coefficient of variation.
fn lognormal(mean: f64, cv: f64) -> (f64, f64) {
    let var = (1.0 + cv * cv).ln();
    (mean.ln() - var / 2.0, var.sqrt())
}

/// A convoy under way.
#[derive(Debug, Clone)]
pub struct Walk {
    key: u64,
    rng: Stream,
    /// The time of its next meeting (or of its end).
    pub t: f64,
    pub trucks: u32,
    pub escorted: bool,
    /// 0: at its origin; 2i + 1: at road i; 2i + 2: at the node after road i.
    pos: usize,
}

/// The per-scenario constants needed to move convoys.
#[derive(Debug, Clone)]
pub struct Movement {
    /// Nothing happens from the horizon on: walks stop there.
    horizon: f64,
    edge_days: Vec<f64>,
    /// (mu, sigma) of the lognormal travel-time factor; `None` when travel_time_cv is 0.
    travel: Option<(f64, f64)>,
    waits: Vec<Wait>,
    sites: SiteIndex,
    blockades: Vec<Blockade>,
    blockade_keys: Vec<u64>,
    pub attackers: Vec<Attacker>,
    attacker_keys: Vec<u64>,
    /// Per node and per road: the (attacker, candidate) that may stand there.
    node_candidates: Vec<Vec<(u32, u32)>>,
    edge_candidates: Vec<Vec<(u32, u32)>>,
    /// Per static or rotating attacker and period: whether each candidate is held.
    schedule: Vec<Vec<Vec<bool>>>,
    /// Whether a blockade or an attacker's candidate stands at each node and road.
    node_busy: Vec<bool>,
    edge_busy: Vec<bool>,
}

impl Movement {
    pub fn new(scenario: &Scenario, router: &Router) -> Movement {
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
        let node_busy =
            (0..net.nodes().len()).map(|n| !sites.on_node[n].is_empty() || !node_candidates[n].is_empty()).collect();
        let edge_busy =
            (0..net.edges().len()).map(|e| !sites.on_edge[e].is_empty() || !edge_candidates[e].is_empty()).collect();
        Movement {
            node_busy,
            edge_busy,
            horizon,
            edge_days: (0..net.edges().len()).map(|e| router.edge_days(EdgeId(e as u32))).collect(),
            travel: (cv > 0.0).then(|| lognormal(1.0, cv)),
            waits: net
                .nodes()
                .iter()
                .map(|n| match (n.delay_mean_days > 0.0, n.delay_cv > 0.0) {
                    (false, _) => Wait::None,
                    (true, false) => Wait::Fixed(n.delay_mean_days),
                    (true, true) => {
                        let (mu, sigma) = lognormal(n.delay_mean_days, n.delay_cv);
                        Wait::LogNormal { mu, sigma }
                    }
                })
                .collect(),
            sites,
            blockades: scenario.blockades.clone(),
            blockade_keys: scenario.blockades.iter().map(|b| name_key(&b.name)).collect(),
            attackers: scenario.attackers.clone(),
            attacker_keys: scenario.attackers.iter().map(|a| name_key(&format!("attacker:{}", a.name))).collect(),
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
        Walk { key, rng: stream(key), t: convoy.depart, trucks: convoy.trucks, escorted, pos: 0 }
    }

    /// Moves one convoy all the way, in a world where convoys do not interact.
    pub fn travel(&self, convoy: &ConvoyPlan, route: &Route, run_key: u64, emit: &mut impl FnMut(Event)) {
        let mut walk = self.start(convoy, run_key, convoy.escorted);
        while self.step(&mut walk, route, &mut Alone, emit) {}
    }

    /// Takes a walk through its next meeting and on to the one after; returns false when the
    /// convoy has arrived (an `Arrive` event), has no truck left, or has reached the horizon
    /// under way (a `Horizon` event).
    #[inline]
    pub fn step(&self, walk: &mut Walk, route: &Route, world: &mut impl World, emit: &mut impl FnMut(Event)) -> bool {
        if walk.pos == 0 {
            if !self.meet(SiteRef::Node(route.nodes[0]), walk, world, emit) {
                return false;
            }
            walk.pos = 1;
            return true;
        }
        let i = (walk.pos - 1) / 2;
        if walk.pos % 2 == 1 {
            let edge = route.edges[i];
            let site = SiteRef::Edge(edge);
            world.passed(site, walk.t, walk.trucks);
            let (first, spacing) = world.queue(site, walk.t, walk.trucks);
            emit(Event::Edge { edge, t: first, trucks: walk.trucks, spacing });
            walk.t = first + spacing * f64::from(walk.trucks.saturating_sub(1));
            if !self.meet(site, walk, world, emit) {
                return false;
            }
            let days = self.edge_days[edge.index()];
            walk.t += match self.travel {
                None => days,
                Some((mu, sigma)) => days * (mu + sigma * walk.rng.sample::<f64, _>(StandardNormal)).exp(),
            };
        } else {
            let node = route.nodes[i + 1];
            let site = SiteRef::Node(node);
            world.passed(site, walk.t, walk.trucks);
            let (first, spacing) = world.queue(site, walk.t, walk.trucks);
            walk.t = first + spacing * f64::from(walk.trucks.saturating_sub(1));
            if !self.meet(site, walk, world, emit) {
                return false;
            }
            walk.t += self.wait(node, &mut walk.rng);
            if i + 1 == route.edges.len() {
                emit(if walk.t < self.horizon {
                    Event::Arrive { t: walk.t, trucks: walk.trucks }
                } else {
                    Event::Horizon { trucks: walk.trucks }
                });
                return false;
            }
        }
        walk.pos += 1;
        true
    }

    fn wait(&self, node: NodeId, rng: &mut Stream) -> f64 {
        match self.waits[node.index()] {
            Wait::None => 0.0,
            Wait::Fixed(d) => d,
            Wait::LogNormal { mu, sigma } => (mu + sigma * rng.sample::<f64, _>(StandardNormal)).exp(),
        }
    }

    /// Meets the fixed blockades of a site in file order, then the attackers holding it.
    /// Returns false when no truck is left, or when the horizon has come (a `Horizon` event).
    /// Most sites have neither: they cost a flag.
    #[inline]
    fn meet(&self, site: SiteRef, walk: &mut Walk, world: &impl World, emit: &mut impl FnMut(Event)) -> bool {
        if walk.t >= self.horizon {
            emit(Event::Horizon { trucks: walk.trucks });
            return false;
        }
        let busy = match site {
            SiteRef::Node(n) => self.node_busy[n.index()],
            SiteRef::Edge(e) => self.edge_busy[e.index()],
        };
        !busy || self.meet_here(site, walk, world, emit)
    }

    /// The blockades and attackers at a site where some stand.
    fn meet_here(&self, site: SiteRef, walk: &mut Walk, world: &impl World, emit: &mut impl FnMut(Event)) -> bool {
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
            let key = derive(walk.key, self.blockade_keys[b.index()]);
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
            let key = derive(walk.key, derive(self.attacker_keys[ai], u64::from(c)));
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
        emit: &mut impl FnMut(Event),
    ) -> bool {
        if p <= 0.0 {
            return true;
        }
        let mut rng = stream(key);
        if rng.random::<f64>() >= p {
            return true;
        }
        let lost =
            if q >= 1.0 { walk.trucks } else { (0..walk.trucks).filter(|_| rng.random::<f64>() < q).count() as u32 };
        walk.trucks -= lost;
        emit(Event::Attack { by, site, t: walk.t, trucks_lost: lost });
        if walk.trucks == 0 {
            return false;
        }
        walk.t += hold;
        true
    }
}
