//! The road network: nodes (ports, depots, border posts, junctions, cities) joined by two-way
//! roads. This is the validated model the simulation reads; `load` turns the CSV files into it.

mod load;

pub use load::{NetworkError, load_network};

use petgraph::graph::{NodeIndex, UnGraph};
use std::collections::HashMap;
use std::fmt;

/// Index of a node in [`Network::nodes`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(pub u32);

/// Index of an edge in [`Network::edges`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EdgeId(pub u32);

impl NodeId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

impl EdgeId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// What a node is on the ground; it does not change the simulation, only the charts and tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    Port,
    Depot,
    Border,
    Junction,
    City,
}

impl NodeKind {
    pub const NAMES: [&'static str; 5] = ["port", "depot", "border", "junction", "city"];

    pub fn parse(s: &str) -> Option<NodeKind> {
        Some(match s {
            "port" => NodeKind::Port,
            "depot" => NodeKind::Depot,
            "border" => NodeKind::Border,
            "junction" => NodeKind::Junction,
            "city" => NodeKind::City,
            _ => return None,
        })
    }
}

impl fmt::Display for NodeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = *self as usize;
        f.write_str(Self::NAMES[i])
    }
}

#[derive(Debug, Clone)]
pub struct Node {
    pub id: String,
    pub name: String,
    pub country: String,
    pub kind: NodeKind,
    pub lat: f64,
    pub lon: f64,
    /// Mean time a convoy waits on entering the node (customs, checks), in days.
    pub delay_mean_days: f64,
    /// Coefficient of variation of that wait (lognormal); 0 means always the mean.
    pub delay_cv: f64,
    /// Trucks a day the node lets through (a border post's throughput); `None`: unlimited.
    pub capacity_trucks_per_day: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct Edge {
    pub from: NodeId,
    pub to: NodeId,
    pub road: String,
    pub length_km: f64,
    /// `None`: the scenario's default speed applies.
    pub speed_km_per_day: Option<f64>,
    /// Trucks a day the road lets in; `None`: unlimited.
    pub capacity_trucks_per_day: Option<f64>,
}

impl Edge {
    /// The endpoint of this edge that is not `node` (edges are two-way).
    pub fn other(&self, node: NodeId) -> NodeId {
        if self.from == node { self.to } else { self.from }
    }
}

/// A validated road network: unique ids, known endpoints, finite positive lengths.
#[derive(Debug, Clone)]
pub struct Network {
    nodes: Vec<Node>,
    edges: Vec<Edge>,
    by_id: HashMap<String, NodeId>,
    graph: UnGraph<NodeId, EdgeId>,
}

impl Network {
    /// Builds a network from nodes and edges that are already checked (ids unique, endpoints
    /// in range). Used by the loader and by tests.
    pub fn new(nodes: Vec<Node>, edges: Vec<Edge>) -> Network {
        let by_id = nodes.iter().enumerate().map(|(i, n)| (n.id.clone(), NodeId(i as u32))).collect();
        let mut graph = UnGraph::with_capacity(nodes.len(), edges.len());
        for i in 0..nodes.len() {
            graph.add_node(NodeId(i as u32));
        }
        for (i, e) in edges.iter().enumerate() {
            graph.add_edge(NodeIndex::new(e.from.index()), NodeIndex::new(e.to.index()), EdgeId(i as u32));
        }
        Network { nodes, edges, by_id, graph }
    }

    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    pub fn edges(&self) -> &[Edge] {
        &self.edges
    }

    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id.index()]
    }

    pub fn edge(&self, id: EdgeId) -> &Edge {
        &self.edges[id.index()]
    }

    pub fn node_id(&self, id: &str) -> Option<NodeId> {
        self.by_id.get(id).copied()
    }

    /// The petgraph view used for routing: node weights are [`NodeId`], edge weights [`EdgeId`].
    pub fn graph(&self) -> &UnGraph<NodeId, EdgeId> {
        &self.graph
    }

    /// The edges joining `a` and `b` (either direction), in file order. Looks only at `a`'s
    /// roads (the graph's adjacency list), so it costs the degree of `a`, not the size of the
    /// network.
    pub fn edges_between(&self, a: NodeId, b: NodeId) -> impl Iterator<Item = EdgeId> + '_ {
        let mut found: Vec<EdgeId> = self
            .graph
            .edges_connecting(NodeIndex::new(a.index()), NodeIndex::new(b.index()))
            .map(|e| *e.weight())
            .collect();
        found.sort_unstable();
        found.dedup();
        found.into_iter()
    }
}

#[cfg(test)]
pub(crate) mod test_util {
    use super::*;

    /// A network from `(id, delay_mean_days)` nodes and `(from, to, km)` edges.
    pub fn network(nodes: &[(&str, f64)], edges: &[(&str, &str, f64)]) -> Network {
        let placed: Vec<(&str, f64, f64, f64)> = nodes.iter().map(|&(id, d)| (id, d, 12.0, -8.0)).collect();
        network_at(&placed, edges)
    }

    /// A network from `(id, delay_mean_days, lat, lon)` nodes and `(from, to, km)` edges.
    pub fn network_at(nodes: &[(&str, f64, f64, f64)], edges: &[(&str, &str, f64)]) -> Network {
        let nodes: Vec<Node> = nodes
            .iter()
            .map(|&(id, delay, lat, lon)| Node {
                id: id.to_string(),
                name: id.to_string(),
                country: "ML".to_string(),
                kind: NodeKind::Junction,
                lat,
                lon,
                delay_mean_days: delay,
                delay_cv: 0.0,
                capacity_trucks_per_day: None,
            })
            .collect();
        let idx = |s: &str| NodeId(nodes.iter().position(|n| n.id == s).unwrap() as u32);
        let edges = edges
            .iter()
            .map(|&(a, b, km)| Edge {
                from: idx(a),
                to: idx(b),
                road: format!("{a}-{b}"),
                length_km: km,
                speed_km_per_day: None,
                capacity_trucks_per_day: None,
            })
            .collect();
        Network::new(nodes, edges)
    }
}

#[cfg(test)]
mod tests {
    use super::test_util::network;
    use super::*;

    #[test]
    fn edges_are_two_way_and_found_by_either_end() {
        let net = network(&[("a", 0.0), ("b", 0.0), ("c", 0.0)], &[("a", "b", 10.0), ("c", "b", 5.0)]);
        let (a, b, c) = (NodeId(0), NodeId(1), NodeId(2));
        assert_eq!(net.edges_between(b, a).collect::<Vec<_>>(), vec![EdgeId(0)]);
        assert_eq!(net.edges_between(b, c).collect::<Vec<_>>(), vec![EdgeId(1)]);
        assert_eq!(net.edges_between(a, c).count(), 0);
        assert_eq!(net.edge(EdgeId(1)).other(b), c);
        assert_eq!(net.node_id("c"), Some(c));
        assert_eq!(net.node_id("z"), None);
    }
}
