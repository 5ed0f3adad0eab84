//! Which cities a site can hurt: for each node and road, the demand nodes whose convoys' routes
//! meet it (from the compiled model's routes: every supply stream, shifted and rerouted
//! convoys included). It is the `cities` column of blockades.csv and attackers.csv, and what a
//! city's fan chart uses to show only the blockades on routes to it.

use crate::blockade::Site;
use crate::scenario::Scenario;
use crate::sim::Model;
use std::collections::BTreeSet;

/// Per node and per road, the demand nodes (by index) whose routes meet it.
pub struct Reach {
    on_node: Vec<BTreeSet<usize>>,
    on_edge: Vec<BTreeSet<usize>>,
    demand_ids: Vec<String>,
}

impl Reach {
    pub fn of(scenario: &Scenario) -> Reach {
        let model = Model::new(scenario);
        let net = &scenario.network;
        let mut on_node = vec![BTreeSet::new(); net.nodes().len()];
        let mut on_edge = vec![BTreeSet::new(); net.edges().len()];
        let mut seen = BTreeSet::new();
        for convoy in &model.dispatch.convoys {
            if !seen.insert((convoy.route, convoy.demand.index())) {
                continue;
            }
            let route = &model.dispatch.routes[convoy.route as usize];
            for n in &route.nodes {
                on_node[n.index()].insert(convoy.demand.index());
            }
            for e in &route.edges {
                on_edge[e.index()].insert(convoy.demand.index());
            }
        }
        Reach { on_node, on_edge, demand_ids: model.demand_ids.clone() }
    }

    /// The ids of the demand nodes whose routes meet `site`, in [[demand]] order, joined by
    /// `;` (the `cities` column).
    pub fn cities(&self, scenario: &Scenario, site: Site) -> String {
        let mut demands: BTreeSet<usize> = BTreeSet::new();
        match site {
            Site::Node(n) => demands.extend(&self.on_node[n.index()]),
            Site::Edge(a, b) => {
                for (i, e) in scenario.network.edges().iter().enumerate() {
                    if (e.from == a && e.to == b) || (e.from == b && e.to == a) {
                        demands.extend(&self.on_edge[i]);
                    }
                }
            }
        }
        demands.iter().map(|&d| self.demand_ids[d].as_str()).collect::<Vec<_>>().join(";")
    }
}
