//! Warnings: a valid scenario that very likely does not say what its author meant. Each is a
//! function of the validated scenario and its compiled model, names the key to look at, and is
//! printed on stderr by the app layer (`--deny-warnings` makes them errors). No I/O here.
//!
//! - a supply that dispatches nothing within the horizon;
//! - a blockade on no route of any supply or convoy;
//! - a demand node that no supply or convoy reaches.

use crate::blockade::Site;
use crate::scenario::Scenario;
use crate::sim::Model;

/// One step of the key a warning is about (owned, so that warnings outlive the scenario).
#[derive(Debug, Clone, PartialEq)]
pub enum KeyStep {
    Key(String),
    Index(usize),
}

/// A warning about the value at `keys` (the key path in the scenario file), shown as `field`.
#[derive(Debug, Clone, PartialEq)]
pub struct Warning {
    pub keys: Vec<KeyStep>,
    pub field: String,
    pub message: String,
}

fn keys(table: &str, index: usize, key: &str) -> Vec<KeyStep> {
    vec![KeyStep::Key(table.into()), KeyStep::Index(index), KeyStep::Key(key.into())]
}

/// Every warning about `s`, in the order of the file's tables.
pub fn warnings(s: &Scenario, model: &Model) -> Vec<Warning> {
    let mut out = Vec::new();
    let horizon = s.simulation.horizon();
    for (i, supply) in s.supplies.iter().enumerate() {
        if supply.departure_count(horizon, 0.0) > 0 {
            continue;
        }
        let (key, message) = if supply.start_day >= horizon {
            (
                "start_day",
                format!(
                    "starts on day {} but the simulation ends on day {horizon}: it dispatches nothing",
                    supply.start_day
                ),
            )
        } else {
            ("end_day", format!("ends on day {}, the day it starts: it dispatches nothing", supply.end_day))
        };
        out.push(Warning { keys: keys("supply", i, key), field: format!("supply.{}.{key}", supply.name), message });
    }
    let routes = &model.dispatch.routes;
    for (i, b) in s.blockades.iter().enumerate() {
        let on_a_route = routes.iter().any(|r| match b.site {
            Site::Node(n) => r.nodes.contains(&n),
            Site::Edge(..) => r.edges.iter().any(|&e| b.covers_edge(&s.network, e)),
        });
        if !on_a_route {
            let key = if matches!(b.site, Site::Node(_)) { "node" } else { "edge" };
            out.push(Warning {
                keys: keys("blockade", i, key),
                field: format!("blockade.{}.{key}", b.name),
                message: "is on no route of any supply or convoy: it stops nothing".into(),
            });
        }
    }
    for (d, demand) in s.demands.iter().enumerate() {
        let reached =
            s.supplies.iter().any(|x| x.demand.index() == d) || s.convoys.iter().any(|c| c.demand.index() == d);
        if !reached {
            let id = &s.network.node(demand.node).id;
            out.push(Warning {
                keys: keys("demand", d, "node"),
                field: format!("demand.{id}.node"),
                message: format!("no supply or convoy ends at `{id}`: it lives on its initial stock"),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::test_util::network;
    use crate::scenario::test_util::scenario;

    fn warned(rest: &str) -> Vec<String> {
        let net = network(
            &[("a", 0.0), ("b", 0.0), ("c", 0.0), ("d", 0.0), ("e", 0.0)],
            &[("a", "b", 100.0), ("b", "c", 100.0), ("c", "d", 100.0), ("d", "e", 100.0)],
        );
        let s = scenario(
            net,
            30,
            &format!(
                "[[demand]]\nnode = \"c\"\nconsumption_m3_per_day = 1\ninitial_stock_m3 = 5\n\
                 [[supply]]\nname = \"s\"\nfrom = \"a\"\nto = \"c\"\nconvoys_per_day = 1\ntrucks_per_convoy = 1\ntruck_m3 = 1\n{rest}"
            ),
        );
        warnings(&s, &Model::new(&s)).into_iter().map(|w| format!("{}: {}", w.field, w.message)).collect()
    }

    #[test]
    fn a_plain_scenario_has_no_warning() {
        assert!(warned("[[blockade]]\nname = \"k\"\nedge = [\"a\", \"b\"]\nattack_prob = 0.1\n").is_empty());
    }

    #[test]
    fn a_supply_starting_after_the_horizon_passes_silently_no_more() {
        let text = "[[supply]]\nname = \"late\"\nfrom = \"a\"\nto = \"c\"\nconvoys_per_day = 1\ntrucks_per_convoy = 1\n\
                    truck_m3 = 1\nstart_day = 40\n";
        assert_eq!(
            warned(text),
            ["supply.late.start_day: starts on day 40 but the simulation ends on day 30: it dispatches nothing"]
        );
        let text = text.replace("start_day = 40", "start_day = 5\nend_day = 5");
        assert_eq!(warned(&text), ["supply.late.end_day: ends on day 5, the day it starts: it dispatches nothing"]);
    }

    #[test]
    fn blockades_off_every_route_and_demand_nodes_never_reached_are_named() {
        let w = warned(
            "[[blockade]]\nname = \"far\"\nnode = \"e\"\nattack_prob = 0.1\n\
             [[blockade]]\nname = \"road\"\nedge = [\"d\", \"e\"]\nattack_prob = 0.1\n\
             [[demand]]\nnode = \"e\"\nconsumption_m3_per_day = 1\ninitial_stock_m3 = 5\n",
        );
        assert_eq!(
            w,
            [
                "blockade.far.node: is on no route of any supply or convoy: it stops nothing",
                "blockade.road.edge: is on no route of any supply or convoy: it stops nothing",
                "demand.e.node: no supply or convoy ends at `e`: it lives on its initial stock",
            ]
        );
    }
}
