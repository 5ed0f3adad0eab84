//! A scenario: the network, the cities that consume fuel, the convoy streams that supply them,
//! the blockades that interdict them and the routing policy. These are the validated model types
//! the simulation reads; `file` is the TOML format and `validate` the one step between the two.

mod file;
mod overrides;
mod validate;
mod validate_events;
mod validate_strategy;

pub use overrides::{Variants, is_integer_key, scenario_with, set_key};
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
    /// Convoys that leave once, at a set time (`[[convoy]]`), in file order.
    pub convoys: Vec<ScheduledConvoy>,
    pub deterrence: Option<Deterrence>,
}

/// Index of a scheduled convoy in [`Scenario::convoys`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ConvoyId(pub u32);

impl ConvoyId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A convoy that leaves once, at `day` (which may be before day 0, down to −warm_up_days). It
/// moves like a supply's convoy, is never deterred and takes no escort unit from the pool.
#[derive(Debug, Clone, PartialEq)]
pub struct ScheduledConvoy {
    pub name: String,
    pub from: NodeId,
    pub to: NodeId,
    pub demand: DemandId,
    pub day: f64,
    pub trucks: u32,
    pub truck_m3: f64,
    pub escorted: bool,
    /// Nodes the route must pass, in order.
    pub via: Vec<NodeId>,
}

/// Drivers who refuse a road after attacks on it. A departure of a stream s that it applies to
/// goes ahead with probability max(floor, 1 − per_attack × Σ exp(−(t − t_a) / recovery_days)),
/// the sum over attacks at times t_a < t on the sites (nodes and roads) of s's static route.
#[derive(Debug, Clone, PartialEq)]
pub struct Deterrence {
    pub per_attack: f64,
    pub recovery_days: f64,
    pub floor: f64,
    /// `applies[s]`: whether supply s is deterred.
    pub applies: Vec<bool>,
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
    /// Every blockade's and attacker's attack_prob is multiplied by this (capped at 1).
    pub attack_prob_scale: f64,
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
    /// Nodes the route must pass, in order (the least-cost leg to each, then on to `to`).
    pub via: Vec<NodeId>,
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
    /// Departures as (number, time): start_day + k / convoys_per_day for k = 0, 1, … while
    /// below min(end_day, horizon); before them, when the stream starts on day 0, the warm-up
    /// departures −k / convoys_per_day for k = 1, 2, … while ≥ −warm_up (numbered −k), earliest
    /// first.
    pub fn departures(&self, horizon: f64, warm_up: f64) -> impl Iterator<Item = (i64, f64)> + '_ {
        let rate = self.convoys_per_day;
        let end = self.end_day.min(horizon);
        let warm = if self.start_day == 0.0 { self.warm_up_count(warm_up) } else { 0 };
        let before = (1..=warm).rev().map(move |k| (-(k as i64), -(k as f64) / rate));
        let after = (0i64..).map(move |k| (k, self.start_day + k as f64 / rate)).take_while(move |&(_, t)| t < end);
        before.chain(after)
    }

    /// How many warm-up departures a stream starting on day 0 has: the k ≥ 1 with
    /// −k / convoys_per_day ≥ −warm_up (counted in closed form, checked exactly).
    pub fn warm_up_count(&self, warm_up: f64) -> u64 {
        let rate = self.convoys_per_day;
        let mut k = (warm_up * rate).floor().max(0.0) as u64;
        while k > 0 && -(k as f64) / rate < -warm_up {
            k -= 1;
        }
        while -((k + 1) as f64) / rate >= -warm_up {
            k += 1;
        }
        k
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
            via: Vec::new(),
        }
    }

    fn times(s: &Supply, horizon: f64, warm_up: f64) -> Vec<f64> {
        s.departures(horizon, warm_up).map(|(_, t)| t).collect()
    }

    #[test]
    fn departures_follow_the_rate_and_stop_before_the_end() {
        assert_eq!(times(&supply(2.0, 4.0, 2.0), 100.0, 0.0), vec![2.0, 2.5, 3.0, 3.5]);
        assert_eq!(times(&supply(0.0, 100.0, 0.4), 6.0, 0.0), vec![0.0, 2.5, 5.0]);
        assert_eq!(supply(10.0, 20.0, 1.0).departures(10.0, 0.0).count(), 0);
    }

    #[test]
    fn warm_up_departures_go_back_from_day_0() {
        let s = supply(0.0, 100.0, 0.4);
        // -2.5, -5 are >= -6; -7.5 is not.
        assert_eq!(times(&s, 3.0, 6.0), vec![-5.0, -2.5, 0.0, 2.5]);
        let numbers: Vec<i64> = s.departures(3.0, 6.0).map(|(k, _)| k).collect();
        assert_eq!(numbers, vec![-2, -1, 0, 1]);
        // Exactly at -W counts.
        assert_eq!(times(&s, 1.0, 5.0), vec![-5.0, -2.5, 0.0]);
        // Only streams that start on day 0 have a warm-up.
        assert_eq!(times(&supply(1.0, 100.0, 0.4), 2.0, 6.0), vec![1.0]);
        for (rate, w) in [(0.1, 365.0), (3.0, 1.0), (1.0 / 3.0, 9.0), (7.0, 0.1), (0.9, 0.0)] {
            let s = supply(0.0, 100.0, rate);
            let slow = (1u64..).take_while(|&k| -(k as f64) / rate >= -w).count() as u64;
            assert_eq!(s.warm_up_count(w), slow, "rate {rate}, W {w}");
        }
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
