//! Least-cost routes on the road network. A route's cost is the nominal travel time of its
//! edges (length / speed) plus the mean delay of every node it enters. The `avoid` policy asks
//! for routes that skip some nodes and edges; this module answers with petgraph's A* on a
//! filtered view of the graph, without copying it.

use crate::network::{EdgeId, Network, NodeId};
use crate::scenario::Simulation;
use petgraph::graph::NodeIndex;
use petgraph::visit::{EdgeFiltered, EdgeRef};

/// A path from an origin to a destination: `nodes` has one more entry than `edges`.
#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    pub nodes: Vec<NodeId>,
    pub edges: Vec<EdgeId>,
    /// Sum of nominal edge times and mean delays of the nodes entered, in days.
    pub nominal_days: f64,
}

/// Nominal costs of a network under a scenario's default speed.
#[derive(Debug, Clone)]
pub struct Router<'a> {
    network: &'a Network,
    edge_days: Vec<f64>,
    node_delay: Vec<f64>,
}

impl<'a> Router<'a> {
    pub fn new(network: &'a Network, sim: &Simulation) -> Self {
        let edge_days = network
            .edges()
            .iter()
            .map(|e| e.length_km / e.speed_km_per_day.unwrap_or(sim.default_speed_km_per_day))
            .collect();
        let node_delay = network.nodes().iter().map(|n| n.delay_mean_days).collect();
        Router { network, edge_days, node_delay }
    }

    pub fn network(&self) -> &'a Network {
        self.network
    }

    /// Nominal travel time of an edge, in days.
    pub fn edge_days(&self, e: EdgeId) -> f64 {
        self.edge_days[e.index()]
    }

    /// The least-cost route from `from` to `to` that enters no node for which `node_blocked`
    /// holds (the origin and destination excepted) and uses no edge for which `edge_blocked`
    /// holds; `None` when there is none.
    pub fn route(
        &self,
        from: NodeId,
        to: NodeId,
        node_blocked: impl Fn(NodeId) -> bool,
        edge_blocked: impl Fn(EdgeId) -> bool,
    ) -> Option<Route> {
        let g = self.network.graph();
        let blocked = |n: NodeIndex| {
            let id = g[n];
            id != from && id != to && node_blocked(id)
        };
        let view = EdgeFiltered::from_fn(g, |e: petgraph::graph::EdgeReference<'_, EdgeId>| {
            !edge_blocked(*e.weight()) && !blocked(e.source()) && !blocked(e.target())
        });
        let goal = NodeIndex::new(to.index());
        // For an undirected graph petgraph yields each edge with `source` = the node expanded,
        // so `target` is the node entered.
        let (cost, path) = petgraph::algo::astar(
            &view,
            NodeIndex::new(from.index()),
            |n| n == goal,
            |e| self.edge_days[e.weight().index()] + self.node_delay[e.target().index()],
            |_| 0.0,
        )?;
        let nodes: Vec<NodeId> = path.iter().map(|&n| g[n]).collect();
        let edges = nodes
            .windows(2)
            .map(|w| {
                // The cheapest usable road between consecutive nodes (parallel roads are rare).
                self.network
                    .edges_between(w[0], w[1])
                    .filter(|&e| !edge_blocked(e))
                    .min_by(|&a, &b| self.edge_days(a).total_cmp(&self.edge_days(b)))
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Route { nodes, edges, nominal_days: cost })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::test_util::network;

    fn sim() -> Simulation {
        Simulation {
            horizon_days: 10,
            runs: 1,
            seed: 1,
            travel_time_cv: 0.0,
            default_speed_km_per_day: 100.0,
            start_date: None,
            warm_up_days: 0.0,
            attack_prob_scale: 1.0,
        }
    }

    // a - b - d is 200 km with a 3-day delay at b; a - c - d is 400 km with no delay.
    fn diamond() -> Network {
        network(
            &[("a", 0.0), ("b", 3.0), ("c", 0.0), ("d", 0.5)],
            &[("a", "b", 100.0), ("d", "b", 100.0), ("a", "c", 200.0), ("c", "d", 200.0)],
        )
    }

    #[test]
    fn cost_counts_edges_and_delays_of_nodes_entered() {
        let net = diamond();
        let r = Router::new(&net, &sim());
        let route = r.route(NodeId(0), NodeId(3), |_| false, |_| false).unwrap();
        // via c: 2 + 2 days + 0.5 at d; via b: 1 + 3 + 1 + 0.5.
        assert_eq!(route.nodes, vec![NodeId(0), NodeId(2), NodeId(3)]);
        assert_eq!(route.edges, vec![EdgeId(2), EdgeId(3)]);
        assert!((route.nominal_days - 4.5).abs() < 1e-12);
        // In the other direction the delay entered is a's (0), not d's.
        let back = r.route(NodeId(3), NodeId(0), |_| false, |_| false).unwrap();
        assert!((back.nominal_days - 4.0).abs() < 1e-12, "{}", back.nominal_days);
    }

    #[test]
    fn avoids_nodes_and_edges_but_not_its_own_endpoints() {
        let net = diamond();
        let r = Router::new(&net, &sim());
        let no_c = r.route(NodeId(0), NodeId(3), |n| n == NodeId(2), |_| false).unwrap();
        assert_eq!(no_c.nodes, vec![NodeId(0), NodeId(1), NodeId(3)]);
        let no_cd = r.route(NodeId(0), NodeId(3), |_| false, |e| e == EdgeId(3)).unwrap();
        assert_eq!(no_cd.edges, vec![EdgeId(0), EdgeId(1)]);
        let endpoints_blocked = r.route(NodeId(0), NodeId(3), |n| n == NodeId(0) || n == NodeId(3), |_| false);
        assert_eq!(endpoints_blocked.unwrap().nodes.len(), 3);
        assert!(r.route(NodeId(0), NodeId(3), |n| n == NodeId(1) || n == NodeId(2), |_| false).is_none());
    }
}
