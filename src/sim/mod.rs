//! The Monte Carlo core. `Model` is a scenario compiled for simulation (departures, routes,
//! distributions); `run` plays one run; `engine` spreads runs over a thread pool and folds them
//! into statistics. The core does no I/O and cannot fail on a validated scenario.

mod deterrence;
mod engine;
mod events;
mod gate;
mod run;
mod stock;

pub use engine::{BLOCK_RUNS, Batch, Plan, Stop, empty_batch, simulate, simulate_all, simulate_summaries};
pub use run::{DemandRun, Loss, RunOutcome, RunRow, SiteRun};
pub use stock::{StockTotals, run_stock};

use crate::attacker::AttackerPolicy;
use crate::convoy::{Dispatch, Movement};
use crate::network::EdgeId;
use crate::observations::Target;
use crate::routing::Router;
use crate::scenario::{Demand, EscortPool, Scenario};
use deterrence::DeterrencePlan;

/// How the convoys of a run are played.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// Nothing links convoys: each is moved on its own, from departure to end.
    Independent,
    /// Convoys interact only when they leave (an escort pool, deterrence): each is moved from
    /// departure to end, in departure order, so that every earlier convoy's attacks and escort
    /// returns are known when a convoy leaves.
    Departure,
    /// Convoys interact on the way (capacities, an adaptive attacker): every step of every
    /// convoy in time order, from one event queue.
    Steps,
}

/// A scenario compiled for simulation: everything that is the same in every run.
#[derive(Debug, Clone)]
pub struct Model {
    pub horizon_days: u32,
    pub demands: Vec<Demand>,
    /// The node id of each demand (to match demands across scenarios).
    pub demand_ids: Vec<String>,
    pub dispatch: Dispatch,
    pub movement: Movement,
    /// The roads some route uses, in id order; per-run road statistics are kept for these only.
    pub roads: Vec<EdgeId>,
    /// Each road's index in `roads` (`u32::MAX` for a road no route uses).
    pub road_slot: Vec<u32>,
    pub blockades: usize,
    /// Trucks a day each node and road lets through (`None`: unlimited).
    pub node_capacity: Vec<Option<f64>>,
    pub edge_capacity: Vec<Option<f64>>,
    /// Each node's and road's queue among the sites with a capacity (`u32::MAX`: none), and
    /// how many queues there are.
    pub node_queue: Vec<u32>,
    pub edge_queue: Vec<u32>,
    pub queues: usize,
    pub escorts: Option<EscortPool>,
    pub deterrence: Option<DeterrencePlan>,
    /// How convoys are played: on their own, in departure order, or step by step in time order.
    pub order: Order,
    /// Convoy indices in departure order (ties: dispatch order), for [`Order::Departure`].
    pub by_departure: Vec<u32>,
    /// Observations each run is scored against (`corridor hindcast`); none by default.
    pub targets: Vec<Target>,
}

impl Model {
    pub fn new(scenario: &Scenario) -> Model {
        let router = Router::new(&scenario.network, &scenario.simulation);
        let dispatch = Dispatch::plan(scenario, &router);
        let movement = Movement::new(scenario, &router, &dispatch.routes);
        let net = &scenario.network;
        let node_capacity: Vec<Option<f64>> = net.nodes().iter().map(|n| n.capacity_trucks_per_day).collect();
        let edge_capacity: Vec<Option<f64>> = net.edges().iter().map(|e| e.capacity_trucks_per_day).collect();
        let queues = dispatch.routes.iter().any(|r| {
            r.nodes.iter().any(|n| node_capacity[n.index()].is_some())
                || r.edges.iter().any(|e| edge_capacity[e.index()].is_some())
        });
        let adaptive = scenario.attackers.iter().any(|a| a.policy == AttackerPolicy::Adaptive);
        let mut roads: Vec<EdgeId> = dispatch.routes.iter().flat_map(|r| r.edges.iter().copied()).collect();
        roads.sort_unstable();
        roads.dedup();
        let mut queue_count = 0usize;
        let mut queue_slots = |capacity: &[Option<f64>]| -> Vec<u32> {
            capacity
                .iter()
                .map(|c| {
                    c.map_or(u32::MAX, |_| {
                        queue_count += 1;
                        (queue_count - 1) as u32
                    })
                })
                .collect()
        };
        let node_queue = queue_slots(&node_capacity);
        let edge_queue = queue_slots(&edge_capacity);
        let deterrence = scenario.deterrence.as_ref().map(|d| {
            let routes: Vec<_> = dispatch.static_routes.iter().map(|&r| &dispatch.routes[r as usize]).collect();
            DeterrencePlan::new(d, &routes, net.nodes().len(), net.edges().len())
        });
        Model {
            horizon_days: scenario.simulation.horizon_days,
            demands: scenario.demands.clone(),
            demand_ids: scenario.demands.iter().map(|d| scenario.network.node(d.node).id.clone()).collect(),
            order: if queues || adaptive {
                Order::Steps
            } else if scenario.escorts.is_some() || deterrence.is_some() {
                Order::Departure
            } else {
                Order::Independent
            },
            by_departure: {
                let mut order: Vec<u32> = (0..dispatch.convoys.len() as u32).collect();
                order.sort_by(|&a, &b| {
                    let c = &dispatch.convoys;
                    c[a as usize].depart.total_cmp(&c[b as usize].depart).then(a.cmp(&b))
                });
                order
            },
            deterrence,
            escorts: scenario.escorts.clone(),
            node_capacity,
            edge_capacity,
            dispatch,
            movement,
            road_slot: {
                let mut slot = vec![u32::MAX; net.edges().len()];
                for (i, e) in roads.iter().enumerate() {
                    slot[e.index()] = i as u32;
                }
                slot
            },
            roads,
            node_queue,
            edge_queue,
            queues: queue_count,
            blockades: scenario.blockades.len(),
            targets: Vec::new(),
        }
    }
}
