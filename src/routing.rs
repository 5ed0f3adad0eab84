//! Least-cost routes on the road network. A route's cost is the nominal travel time of its
//! edges (length / speed) plus the mean delay of every node it enters. The `avoid` policy asks
//! for routes that skip some nodes and edges; this module answers with an A* search over
//! petgraph's adjacency lists that skips them, without copying the graph. The A* estimate is the great-circle distance
//! to the goal times the fewest days per straight-line kilometre of any road in the network: it
//! never overestimates, so routes are least-cost, and on large networks the search stays near
//! the straight line instead of flooding the whole graph.

use crate::network::{EdgeId, Network, NodeId};
use crate::scenario::Simulation;
use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

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
    /// Each node's (latitude, longitude) in radians, for the A* estimate.
    coords: Vec<(f64, f64)>,
    /// The fewest days per straight-line kilometre of any road (0 when unknown).
    days_per_km: f64,
}

/// Great-circle distance in km between two (lat, lon) points in radians.
fn great_circle_km((la1, lo1): (f64, f64), (la2, lo2): (f64, f64)) -> f64 {
    let h = ((la2 - la1) / 2.0).sin().powi(2) + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().min(1.0).asin()
}

impl<'a> Router<'a> {
    pub fn new(network: &'a Network, sim: &Simulation) -> Self {
        let edge_days = network
            .edges()
            .iter()
            .map(|e| e.length_km / e.speed_km_per_day.unwrap_or(sim.default_speed_km_per_day))
            .collect();
        let node_delay = network.nodes().iter().map(|n| n.delay_mean_days).collect();
        let coords: Vec<(f64, f64)> =
            network.nodes().iter().map(|n| (n.lat.to_radians(), n.lon.to_radians())).collect();
        let days_per_km = network
            .edges()
            .iter()
            .zip(&edge_days)
            .filter_map(|(e, &days): (&crate::network::Edge, &f64)| {
                let km = great_circle_km(coords[e.from.index()], coords[e.to.index()]);
                (km > 1e-6).then(|| days / km)
            })
            .fold(f64::INFINITY, f64::min);
        // A margin for rounding keeps the estimate below the true cost.
        let days_per_km = if days_per_km.is_finite() { days_per_km * (1.0 - 1e-9) } else { 0.0 };
        Router { network, edge_days, node_delay, coords, days_per_km }
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
        let n = g.node_count();
        let blocked = |id: NodeId| id != from && id != to && node_blocked(id);
        let target = self.coords[to.index()];
        let estimate = |v: usize| great_circle_km(self.coords[v], target) * self.days_per_km;
        // A* over plain arrays: the best cost found to each node and the node it was reached
        // from; the open set a heap of (estimated total, cost, node), smallest first (costs are
        // non-negative, so their bits sort like them).
        let mut best = vec![f64::INFINITY; n];
        let mut came_from = vec![u32::MAX; n];
        let mut done = vec![false; n];
        let mut open = BinaryHeap::new();
        best[from.index()] = 0.0;
        open.push(Reverse((estimate(from.index()).to_bits(), 0f64.to_bits(), from.0)));
        while let Some(Reverse((_, cost_bits, v))) = open.pop() {
            let v = v as usize;
            if done[v] {
                continue;
            }
            if v == to.index() {
                break;
            }
            done[v] = true;
            let cost = f64::from_bits(cost_bits);
            for e in g.edges(NodeIndex::new(v)) {
                let (edge, w) = (*e.weight(), e.target().index());
                if done[w] || edge_blocked(edge) || blocked(NodeId(w as u32)) {
                    continue;
                }
                let next = cost + self.edge_days[edge.index()] + self.node_delay[w];
                if next < best[w] {
                    best[w] = next;
                    came_from[w] = v as u32;
                    open.push(Reverse(((next + estimate(w)).to_bits(), next.to_bits(), w as u32)));
                }
            }
        }
        if !best[to.index()].is_finite() {
            return None;
        }
        let cost = best[to.index()];
        let mut path = vec![to.0];
        while *path.last()? != from.0 {
            path.push(came_from[*path.last()? as usize]);
        }
        path.reverse();
        let nodes: Vec<NodeId> = path.into_iter().map(NodeId).collect();
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
    fn the_estimate_never_exceeds_the_cost_to_go() {
        // Roads at least as long as the straight line between their ends: the estimate is a
        // lower bound at every node, so A* returns what a full search would.
        let mut net = diamond();
        let r = Router::new(&net, &sim());
        assert!(r.days_per_km == 0.0, "all nodes at one place: no estimate");
        net = crate::network::test_util::network_at(
            &[("a", 0.0, 12.0, -8.0), ("b", 0.0, 12.5, -7.5), ("c", 0.0, 11.5, -7.5), ("d", 0.0, 12.0, -7.0)],
            &[("a", "b", 90.0), ("b", "d", 90.0), ("a", "c", 80.0), ("c", "d", 120.0)],
        );
        let r = Router::new(&net, &sim());
        assert!(r.days_per_km > 0.0);
        let route = r.route(NodeId(0), NodeId(3), |_| false, |_| false).unwrap();
        assert_eq!(route.nodes, vec![NodeId(0), NodeId(1), NodeId(3)]);
        for n in 0..4 {
            let est = great_circle_km(r.coords[n], r.coords[3]) * r.days_per_km;
            let exact = if n == 3 {
                0.0
            } else {
                r.route(NodeId(n as u32), NodeId(3), |_| false, |_| false).unwrap().nominal_days
            };
            assert!(est <= exact + 1e-12, "node {n}: {est} > {exact}");
        }
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
