//! Blockades: an armed group holding a node or a road for a time window, attacking the convoys
//! that meet it. This module holds the model and the rules for when a blockade is active and
//! when a routing policy knows of it; the draws themselves happen in `convoy`.

use crate::network::{EdgeId, Network, NodeId};

/// Index of a blockade in [`crate::scenario::Scenario::blockades`] (file order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BlockadeId(pub u32);

impl BlockadeId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// Where a blockade stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Site {
    Node(NodeId),
    /// Every road joining the two nodes, in either direction.
    Edge(NodeId, NodeId),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Blockade {
    pub name: String,
    pub site: Site,
    pub start_day: f64,
    pub end_day: f64,
    /// Probability that an unescorted convoy meeting the site while active is attacked.
    pub attack_prob: f64,
    /// Escorted convoys are attacked with attack_prob × escort_factor.
    pub escort_factor: f64,
    /// Each truck of an attacked convoy is lost with this probability.
    pub truck_loss_prob: f64,
    /// Survivors of an attack are held this many days.
    pub hold_days: f64,
}

impl Blockade {
    /// Active at time t: start_day <= t < end_day.
    pub fn active(&self, t: f64) -> bool {
        self.start_day <= t && t < self.end_day
    }

    /// Known to an `avoid` router at time t: start_day + detection_delay <= t < end_day.
    pub fn known(&self, t: f64, detection_delay: f64) -> bool {
        self.start_day + detection_delay <= t && t < self.end_day
    }

    /// The probability that a convoy meeting the site while active is attacked.
    pub fn attack_prob(&self, escorted: bool) -> f64 {
        if escorted { self.attack_prob * self.escort_factor } else { self.attack_prob }
    }

    pub fn covers_edge(&self, network: &Network, edge: EdgeId) -> bool {
        match self.site {
            Site::Node(_) => false,
            Site::Edge(a, b) => {
                let e = network.edge(edge);
                (e.from == a && e.to == b) || (e.from == b && e.to == a)
            }
        }
    }

    /// A short label of the site for tables and charts: `kayes` or `didieni–kolokani`.
    pub fn site_label(&self, network: &Network) -> String {
        match self.site {
            Site::Node(n) => network.node(n).id.clone(),
            Site::Edge(a, b) => format!("{}–{}", network.node(a).id, network.node(b).id),
        }
    }
}

/// For each node and each edge, the blockades standing there, in file order.
#[derive(Debug, Clone)]
pub struct SiteIndex {
    pub on_node: Vec<Vec<BlockadeId>>,
    pub on_edge: Vec<Vec<BlockadeId>>,
}

impl SiteIndex {
    pub fn new(network: &Network, blockades: &[Blockade]) -> SiteIndex {
        let mut on_node = vec![Vec::new(); network.nodes().len()];
        let mut on_edge = vec![Vec::new(); network.edges().len()];
        for (i, b) in blockades.iter().enumerate() {
            let id = BlockadeId(i as u32);
            match b.site {
                Site::Node(n) => on_node[n.index()].push(id),
                Site::Edge(..) => {
                    for (e, list) in on_edge.iter_mut().enumerate() {
                        if b.covers_edge(network, EdgeId(e as u32)) {
                            list.push(id);
                        }
                    }
                }
            }
        }
        SiteIndex { on_node, on_edge }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::test_util::network;

    fn blockade(site: Site) -> Blockade {
        Blockade {
            name: "b".into(),
            site,
            start_day: 5.0,
            end_day: 10.0,
            attack_prob: 0.5,
            escort_factor: 0.2,
            truck_loss_prob: 1.0,
            hold_days: 0.0,
        }
    }

    #[test]
    fn window_is_half_open_and_detection_lags() {
        let b = blockade(Site::Node(NodeId(0)));
        assert!(!b.active(4.999) && b.active(5.0) && b.active(9.999) && !b.active(10.0));
        assert!(!b.known(7.0, 3.0) && b.known(8.0, 3.0) && !b.known(10.0, 3.0));
        assert_eq!(b.attack_prob(false), 0.5);
        assert!((b.attack_prob(true) - 0.1).abs() < 1e-15);
    }

    #[test]
    fn index_lists_blockades_per_site_in_file_order() {
        let net = network(&[("a", 0.0), ("b", 0.0), ("c", 0.0)], &[("a", "b", 1.0), ("b", "c", 1.0), ("c", "b", 2.0)]);
        let bs = [
            blockade(Site::Edge(NodeId(1), NodeId(2))),
            blockade(Site::Node(NodeId(1))),
            blockade(Site::Node(NodeId(1))),
        ];
        let idx = SiteIndex::new(&net, &bs);
        assert_eq!(idx.on_node[1], vec![BlockadeId(1), BlockadeId(2)]);
        assert!(idx.on_node[0].is_empty());
        assert!(idx.on_edge[0].is_empty());
        assert_eq!(idx.on_edge[1], vec![BlockadeId(0)]);
        assert_eq!(idx.on_edge[2], vec![BlockadeId(0)], "both roads b–c are covered");
    }
}
