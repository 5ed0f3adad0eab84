//! The Monte Carlo core. `Model` is a scenario compiled for simulation (departures, routes,
//! distributions); `run` plays one run; `engine` spreads runs over a thread pool and folds them
//! into statistics. The core does no I/O and cannot fail on a validated scenario.

mod engine;
mod events;
mod run;
mod stock;

pub use engine::{BLOCK_RUNS, Batch, Plan, Stop, empty_batch, simulate, simulate_all, simulate_summaries};
pub use run::{DemandRun, RunOutcome, RunRow, SiteRun};
pub use stock::{StockTotals, run_stock};

use crate::attacker::AttackerPolicy;
use crate::convoy::{Dispatch, Movement};
use crate::routing::Router;
use crate::scenario::{Demand, EscortPool, Scenario};

/// A scenario compiled for simulation: everything that is the same in every run.
#[derive(Debug, Clone)]
pub struct Model {
    pub horizon_days: u32,
    pub demands: Vec<Demand>,
    /// The node id of each demand (to match demands across scenarios).
    pub demand_ids: Vec<String>,
    /// m³ per truck, per supply stream.
    pub truck_m3: Vec<f64>,
    pub dispatch: Dispatch,
    pub movement: Movement,
    pub edges: usize,
    pub blockades: usize,
    /// Trucks a day each node and road lets through (`None`: unlimited).
    pub node_capacity: Vec<Option<f64>>,
    pub edge_capacity: Vec<Option<f64>>,
    pub escorts: Option<EscortPool>,
    /// Whether convoys interact (queues, an escort pool, an adaptive attacker): such runs are
    /// played in time order.
    pub interacting: bool,
}

impl Model {
    pub fn new(scenario: &Scenario) -> Model {
        let router = Router::new(&scenario.network, &scenario.simulation);
        let dispatch = Dispatch::plan(scenario, &router);
        let net = &scenario.network;
        let node_capacity: Vec<Option<f64>> = net.nodes().iter().map(|n| n.capacity_trucks_per_day).collect();
        let edge_capacity: Vec<Option<f64>> = net.edges().iter().map(|e| e.capacity_trucks_per_day).collect();
        let queues = dispatch.routes.iter().any(|r| {
            r.nodes.iter().any(|n| node_capacity[n.index()].is_some())
                || r.edges.iter().any(|e| edge_capacity[e.index()].is_some())
        });
        let adaptive = scenario.attackers.iter().any(|a| a.policy == AttackerPolicy::Adaptive);
        Model {
            horizon_days: scenario.simulation.horizon_days,
            demands: scenario.demands.clone(),
            demand_ids: scenario.demands.iter().map(|d| scenario.network.node(d.node).id.clone()).collect(),
            truck_m3: scenario.supplies.iter().map(|s| s.truck_m3).collect(),
            interacting: queues || adaptive || scenario.escorts.is_some(),
            escorts: scenario.escorts.clone(),
            node_capacity,
            edge_capacity,
            dispatch,
            movement: Movement::new(scenario, &router),
            edges: scenario.network.edges().len(),
            blockades: scenario.blockades.len(),
        }
    }
}
