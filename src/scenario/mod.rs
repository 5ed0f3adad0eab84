//! A scenario: the network, the cities that consume fuel, the convoy streams that supply them,
//! the blockades that interdict them and the routing policy. These are the validated model types
//! the simulation reads; `file` is the TOML format and `validate` the one step between the two.

mod file;
mod overrides;
mod validate;
mod validate_strategy;

pub use overrides::{scenario_text_with, scenario_with, set_key};
pub use validate::{MAX_RUNS, ScenarioError, load_scenario, parse_scenario};

use crate::attacker::Attacker;
use crate::blockade::Blockade;
use crate::calendar::{Calendar, Date};
use crate::network::{Network, NodeId};
use std::path::PathBuf;

/// Index of a demand node in [`Scenario::demands`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DemandId(pub u32);

/// Index of a supply stream in [`Scenario::supplies`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SupplyId(pub u32);

impl DemandId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

impl SupplyId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A validated scenario. Every id points into `network`, every number is finite and in range,
/// and every supply has a route: the simulation cannot fail on it.
#[derive(Debug, Clone)]
pub struct Scenario {
    pub name: String,
    pub description: String,
    /// The scenario file, as given.
    pub path: PathBuf,
    /// The network folder, resolved against the scenario file's folder.
    pub network_dir: PathBuf,
    pub network: Network,
    pub simulation: Simulation,
    pub demands: Vec<Demand>,
    pub supplies: Vec<Supply>,
    pub blockades: Vec<Blockade>,
    pub routing: Routing,
    pub attackers: Vec<Attacker>,
    pub escorts: Option<EscortPool>,
    pub origins: Vec<Origin>,
}

/// Escort units shared by some supply streams: a convoy of those streams leaves escorted when a
/// unit is free (from `start_day` on), and the unit is back after the round trip (twice the
/// time from departure to arrival, or to the convoy's end).
#[derive(Debug, Clone, PartialEq)]
pub struct EscortPool {
    pub units: u32,
    /// `uses[s]`: whether supply s asks the pool for escorts.
    pub uses: Vec<bool>,
    pub start_day: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Simulation {
    /// Days simulated: 0 .. horizon_days - 1.
    pub horizon_days: u32,
    pub runs: u64,
    pub seed: u64,
    /// Coefficient of variation of the lognormal factor on each edge's travel time.
    pub travel_time_cv: f64,
    pub default_speed_km_per_day: f64,
    /// The date of day 0, when the scenario pins one.
    pub start_date: Option<Date>,
    /// How far back streams that start on day 0 were already dispatching (fills the roads).
    pub warm_up_days: f64,
}

impl Simulation {
    pub fn horizon(&self) -> f64 {
        f64::from(self.horizon_days)
    }

    /// How days are named in the outputs.
    pub fn calendar(&self) -> Calendar {
        Calendar { start: self.start_date }
    }
}

/// A city that consumes fuel from a stock.
#[derive(Debug, Clone, PartialEq)]
pub struct Demand {
    pub node: NodeId,
    pub consumption_m3_per_day: f64,
    pub initial_stock_m3: f64,
    /// Consumption is multiplied by `factor` while the stock is under `below_m3`.
    pub rationing: Option<Rationing>,
    /// A reserve added to the stock, once, when the stock falls under `release_below_m3`.
    pub reserve: Option<Reserve>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rationing {
    pub factor: f64,
    pub below_m3: f64,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reserve {
    pub m3: f64,
    pub release_below_m3: f64,
}

impl Demand {
    /// A demand without rationing or reserve.
    pub fn plain(node: NodeId, consumption_m3_per_day: f64, initial_stock_m3: f64) -> Demand {
        Demand { node, consumption_m3_per_day, initial_stock_m3, rationing: None, reserve: None }
    }
}

/// A stream of convoys from an origin to a demand node.
#[derive(Debug, Clone, PartialEq)]
pub struct Supply {
    pub name: String,
    pub from: NodeId,
    pub to: NodeId,
    /// The demand node at `to`.
    pub demand: DemandId,
    pub convoys_per_day: f64,
    pub trucks_per_convoy: u32,
    pub truck_m3: f64,
    pub escorted: bool,
    pub start_day: f64,
    pub end_day: f64,
    /// Where some convoys leave from when this stream's route is known blocked.
    pub shift: Option<Shift>,
}

/// A supply shift: `share` of the convoys whose route is known blocked leave from `to`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shift {
    pub to: NodeId,
    pub share: f64,
}

/// An origin's capacity: what it can send on top of its own streams goes to shifted convoys.
#[derive(Debug, Clone, PartialEq)]
pub struct Origin {
    pub node: NodeId,
    pub capacity_convoys_per_day: f64,
    /// Capacity less the convoys per day of the streams leaving from it.
    pub spare_convoys_per_day: f64,
}

impl Supply {
    /// Departure times: start_day + k / convoys_per_day while below min(end_day, horizon).
    pub fn departures(&self, horizon: f64) -> impl Iterator<Item = f64> + '_ {
        let end = self.end_day.min(horizon);
        (0u64..).map(move |k| self.start_day + k as f64 / self.convoys_per_day).take_while(move |&t| t < end)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    /// Every convoy takes the least-cost route on the whole network.
    Static,
    /// Convoys route around the blockades known at departure.
    Avoid,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Routing {
    pub policy: Policy,
    /// A blockade is known from start_day + detection_delay_days.
    pub detection_delay_days: f64,
}

impl Scenario {
    /// The node id (as in nodes.csv) of a demand.
    pub fn demand_node_id(&self, d: DemandId) -> &str {
        &self.network.node(self.demands[d.index()].node).id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn supply(start: f64, end: f64, rate: f64) -> Supply {
        Supply {
            name: "s".into(),
            from: NodeId(0),
            to: NodeId(1),
            demand: DemandId(0),
            convoys_per_day: rate,
            trucks_per_convoy: 1,
            truck_m3: 1.0,
            escorted: false,
            start_day: start,
            end_day: end,
            shift: None,
        }
    }

    #[test]
    fn departures_follow_the_rate_and_stop_before_the_end() {
        let d: Vec<f64> = supply(2.0, 4.0, 2.0).departures(100.0).collect();
        assert_eq!(d, vec![2.0, 2.5, 3.0, 3.5]);
        let d: Vec<f64> = supply(0.0, 100.0, 0.4).departures(6.0).collect();
        assert_eq!(d, vec![0.0, 2.5, 5.0]);
        assert_eq!(supply(10.0, 20.0, 1.0).departures(10.0).count(), 0);
    }
}

/// Test helpers: a scenario from TOML text on an in-memory network.
#[cfg(test)]
pub(crate) mod test_util {
    use super::*;

    /// `[simulation]` with the given horizon, then `rest`, on `network`.
    pub fn scenario(network: Network, horizon: u32, rest: &str) -> Scenario {
        let text = format!(
            "name = \"t\"\nnetwork = \"mem\"\n[simulation]\nhorizon_days = {horizon}\nruns = 10\nseed = 1\n\
             default_speed_km_per_day = 100\n{rest}"
        );
        parse_scenario(&text, std::path::Path::new("t.toml"), |_| Ok(network)).unwrap_or_else(|e| panic!("{e}"))
    }
}
