//! Convoys: when each one leaves and by which route (fixed by the scenario, so planned once),
//! and how one convoy moves along its route in a run: travel times, waits at nodes, attacks.
//! Convoys do not interact, so each is moved on its own from departure to arrival: no global
//! event queue is needed.

use crate::blockade::{Blockade, BlockadeId, SiteIndex};
use crate::network::{EdgeId, NodeId};
use crate::rng::{derive, name_key, stream};
use crate::routing::{Route, Router};
use crate::scenario::{DemandId, Policy, Scenario, SupplyId};
use rand::RngExt;
use rand_distr::StandardNormal;
use std::collections::HashMap;

/// One convoy of a supply stream, as dispatched (identical in every run).
#[derive(Debug, Clone)]
pub struct ConvoyPlan {
    pub supply: SupplyId,
    pub demand: DemandId,
    pub depart: f64,
    /// Index into [`Dispatch::routes`].
    pub route: u32,
    pub trucks: u32,
    pub escorted: bool,
    /// Stable key of (supply name, convoy number): the root of this convoy's random streams.
    pub key: u64,
}

/// Every convoy of a scenario, in supply then departure order, and the distinct routes used.
#[derive(Debug, Clone)]
pub struct Dispatch {
    pub convoys: Vec<ConvoyPlan>,
    pub routes: Vec<Route>,
}

impl Dispatch {
    /// Plans the departures of every supply and routes each convoy under the routing policy.
    pub fn plan(scenario: &Scenario, router: &Router) -> Dispatch {
        let horizon = scenario.simulation.horizon();
        let mut routes: Vec<Route> = Vec::new();
        // (supply, set of known blockades) -> route index.
        let mut cache: HashMap<(usize, Vec<bool>), u32> = HashMap::new();
        let mut convoys = Vec::new();
        for (s, supply) in scenario.supplies.iter().enumerate() {
            let supply_key = name_key(&supply.name);
            for (k, depart) in supply.departures(horizon).enumerate() {
                let known: Vec<bool> = match scenario.routing.policy {
                    Policy::Static => Vec::new(),
                    Policy::Avoid => scenario
                        .blockades
                        .iter()
                        .map(|b| b.known(depart, scenario.routing.detection_delay_days))
                        .collect(),
                };
                let route = *cache.entry((s, known)).or_insert_with_key(|(_, known)| {
                    let avoiding = router.route(
                        supply.from,
                        supply.to,
                        |n| {
                            blocked(scenario, known, |b| {
                                b.site == crate::blockade::Site::Node(n)
                            })
                        },
                        |e| blocked(scenario, known, |b| b.covers_edge(&scenario.network, e)),
                    );
                    // Validation guarantees a static route; `avoid` falls back to it.
                    let route = avoiding
                        .or_else(|| router.route(supply.from, supply.to, |_| false, |_| false))
                        .unwrap_or_else(|| Route {
                            nodes: vec![supply.from],
                            edges: vec![],
                            nominal_days: 0.0,
                        });
                    match routes.iter().position(|r| *r == route) {
                        Some(i) => i as u32,
                        None => {
                            routes.push(route);
                            (routes.len() - 1) as u32
                        }
                    }
                });
                convoys.push(ConvoyPlan {
                    supply: SupplyId(s as u32),
                    demand: supply.demand,
                    depart,
                    route,
                    trucks: supply.trucks_per_convoy,
                    escorted: supply.escorted,
                    key: derive(supply_key, k as u64),
                });
            }
        }
        Dispatch { convoys, routes }
    }
}

fn blocked(scenario: &Scenario, known: &[bool], on_site: impl Fn(&Blockade) -> bool) -> bool {
    scenario
        .blockades
        .iter()
        .zip(known)
        .any(|(b, &k)| k && on_site(b))
}

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

/// What happens to a convoy, reported as it happens.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Event {
    /// The convoy meets an edge at time `t` with `trucks` trucks.
    Edge { edge: EdgeId, t: f64, trucks: u32 },
    /// A blockade attacks it at time `t` (on `edge`, or on a node when `None`).
    Attack {
        blockade: BlockadeId,
        edge: Option<EdgeId>,
        t: f64,
        trucks_lost: u32,
    },
    /// It reaches its destination at time `t` with `trucks` trucks.
    Arrive { t: f64, trucks: u32 },
}

/// The per-scenario constants needed to move convoys.
#[derive(Debug, Clone)]
pub struct Movement {
    edge_days: Vec<f64>,
    /// (mu, sigma) of the lognormal travel-time factor; `None` when travel_time_cv is 0.
    travel: Option<(f64, f64)>,
    waits: Vec<Wait>,
    sites: SiteIndex,
    blockades: Vec<Blockade>,
    blockade_keys: Vec<u64>,
}

impl Movement {
    pub fn new(scenario: &Scenario, router: &Router) -> Movement {
        let net = &scenario.network;
        let cv = scenario.simulation.travel_time_cv;
        Movement {
            edge_days: (0..net.edges().len())
                .map(|e| router.edge_days(EdgeId(e as u32)))
                .collect(),
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
            sites: SiteIndex::new(net, &scenario.blockades),
            blockades: scenario.blockades.clone(),
            blockade_keys: scenario
                .blockades
                .iter()
                .map(|b| name_key(&b.name))
                .collect(),
        }
    }

    /// Moves one convoy along its route in the run with key `run_key`, reporting each event.
    pub fn travel(
        &self,
        convoy: &ConvoyPlan,
        route: &Route,
        run_key: u64,
        emit: &mut impl FnMut(Event),
    ) {
        let key = derive(run_key, convoy.key);
        let mut rng = stream(key);
        let mut t = convoy.depart;
        let mut trucks = convoy.trucks;
        let origin = route.nodes[0];
        if !self.meet(
            &self.sites.on_node[origin.index()],
            None,
            convoy.escorted,
            key,
            &mut t,
            &mut trucks,
            emit,
        ) {
            return;
        }
        for (&edge, &node) in route.edges.iter().zip(&route.nodes[1..]) {
            emit(Event::Edge { edge, t, trucks });
            let on_edge = &self.sites.on_edge[edge.index()];
            if !self.meet(
                on_edge,
                Some(edge),
                convoy.escorted,
                key,
                &mut t,
                &mut trucks,
                emit,
            ) {
                return;
            }
            let days = self.edge_days[edge.index()];
            t += match self.travel {
                None => days,
                Some((mu, sigma)) => {
                    days * (mu + sigma * rng.sample::<f64, _>(StandardNormal)).exp()
                }
            };
            if !self.meet(
                &self.sites.on_node[node.index()],
                None,
                convoy.escorted,
                key,
                &mut t,
                &mut trucks,
                emit,
            ) {
                return;
            }
            t += self.wait(node, &mut rng);
        }
        emit(Event::Arrive { t, trucks });
    }

    fn wait(&self, node: NodeId, rng: &mut crate::rng::Stream) -> f64 {
        match self.waits[node.index()] {
            Wait::None => 0.0,
            Wait::Fixed(d) => d,
            Wait::LogNormal { mu, sigma } => {
                (mu + sigma * rng.sample::<f64, _>(StandardNormal)).exp()
            }
        }
    }

    /// Meets the blockades of one site in file order. Returns false when no truck is left.
    #[allow(clippy::too_many_arguments)]
    fn meet(
        &self,
        here: &[BlockadeId],
        edge: Option<EdgeId>,
        escorted: bool,
        convoy_key: u64,
        t: &mut f64,
        trucks: &mut u32,
        emit: &mut impl FnMut(Event),
    ) -> bool {
        for &b in here {
            let blockade = &self.blockades[b.index()];
            let p = blockade.attack_prob(escorted);
            if !blockade.active(*t) || p <= 0.0 {
                continue;
            }
            // Each (convoy, blockade) encounter has its own stream.
            let mut rng = stream(derive(convoy_key, self.blockade_keys[b.index()]));
            if rng.random::<f64>() >= p {
                continue;
            }
            let q = blockade.truck_loss_prob;
            let lost = if q >= 1.0 {
                *trucks
            } else {
                (0..*trucks).filter(|_| rng.random::<f64>() < q).count() as u32
            };
            *trucks -= lost;
            emit(Event::Attack {
                blockade: b,
                edge,
                t: *t,
                trucks_lost: lost,
            });
            if *trucks == 0 {
                return false;
            }
            *t += blockade.hold_days;
        }
        true
    }
}
