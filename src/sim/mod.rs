//! The Monte Carlo core. `Model` is a scenario compiled for simulation (departures, routes,
//! distributions); `run` plays one run; `engine` spreads runs over a thread pool and folds them
//! into statistics. The core does no I/O and cannot fail on a validated scenario.

mod engine;
mod run;
mod stock;

pub use engine::{BLOCK_RUNS, Batch, simulate, simulate_all, simulate_summaries};
pub use run::{DemandRun, RunOutcome, RunRow};
pub use stock::{StockTotals, run_stock};

use crate::convoy::{Dispatch, Movement};
use crate::routing::Router;
use crate::scenario::{Demand, Scenario};

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
}

impl Model {
    pub fn new(scenario: &Scenario) -> Model {
        let router = Router::new(&scenario.network, &scenario.simulation);
        Model {
            horizon_days: scenario.simulation.horizon_days,
            demands: scenario.demands.clone(),
            demand_ids: scenario.demands.iter().map(|d| scenario.network.node(d.node).id.clone()).collect(),
            truck_m3: scenario.supplies.iter().map(|s| s.truck_m3).collect(),
            dispatch: Dispatch::plan(scenario, &router),
            movement: Movement::new(scenario, &router),
            edges: scenario.network.edges().len(),
            blockades: scenario.blockades.len(),
        }
    }
}
