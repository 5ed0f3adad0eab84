//! network.geojson: the network with its results, for GIS users (QGIS opens it as is) and for
//! the map chart. Nodes are points, roads are lines from one node to the other (WGS 84
//! lon/lat); their properties are the per-run means of the run. Features are typed records,
//! written one per line as they are made (memory does not grow with the network) and read
//! back the same way (`report::data`). On a large network only what carries the results is
//! written: roads with traffic, a blockade or an attacker's candidate, the nodes they join,
//! and the demand nodes; the collection's `omitted_nodes` and `omitted_roads` count the rest.

use super::{ReportError, Results};
use crate::blockade::Site;
use crate::network::{EdgeId, NodeId};
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::Path;

/// Above this many nodes and roads together, only the features that carry results are written.
pub const MAX_FULL_FEATURES: usize = 10_000;

/// One line of the collection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct Feature {
    #[serde(rename = "type")]
    pub kind: String,
    pub geometry: Geometry,
    pub properties: Properties,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub(super) enum Geometry {
    Point { coordinates: [f64; 2] },
    LineString { coordinates: Vec<[f64; 2]> },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "feature", rename_all = "lowercase")]
pub(super) enum Properties {
    Node(NodeProperties),
    Road(RoadProperties),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct NodeProperties {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub country: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub delay_mean_days: f64,
    pub runs: u64,
    #[serde(default)]
    pub blockades: Vec<String>,
    #[serde(default)]
    pub blockade_attack_prob: f64,
    #[serde(default)]
    pub attacker_held_share: f64,
    #[serde(default)]
    pub attacker_attack_prob: f64,
    #[serde(default)]
    pub demand: bool,
    #[serde(flatten, default, skip_serializing_if = "Option::is_none")]
    pub results: Option<DemandProperties>,
}

/// The results of a demand node.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct DemandProperties {
    pub consumption_m3_per_day: f64,
    pub p_shortage: f64,
    pub p_shortage_ci95_low: f64,
    pub p_shortage_ci95_high: f64,
    pub first_shortage_day_p50: Option<u32>,
    pub unmet_m3_mean: f64,
    pub delivered_m3_mean: f64,
    pub lost_m3_mean: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct RoadProperties {
    pub from: String,
    pub to: String,
    #[serde(default)]
    pub road: String,
    #[serde(default)]
    pub length_km: f64,
    pub trucks_mean: f64,
    #[serde(default)]
    pub attacks_mean: f64,
    pub trucks_lost_mean: f64,
    #[serde(default)]
    pub max_trucks_in_a_day: u32,
    #[serde(default)]
    pub blockades: Vec<String>,
    #[serde(default)]
    pub blockade_attack_prob: f64,
    #[serde(default)]
    pub attacker_held_share: f64,
    #[serde(default)]
    pub attacker_attack_prob: f64,
    pub runs: u64,
}

/// A number rounded to three decimals (the precision of the tables).
fn n(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

/// A probability rounded to six decimals.
fn p(v: f64) -> f64 {
    (v * 1e6).round() / 1e6
}

/// For a site, over every attacker that may stand there: the share of the horizon it is held
/// (mean over runs) and the strongest attack probability.
fn attacker_presence(r: &Results, on_site: impl Fn(&Site) -> bool) -> (f64, f64) {
    let s = r.scenario;
    let horizon = s.simulation.horizon();
    let (mut held, mut prob) = (0.0f64, 0.0f64);
    for (a, attacker) in s.attackers.iter().enumerate() {
        let periods = attacker.periods(horizon);
        for (c, _) in attacker.candidates.iter().enumerate().filter(|(_, site)| on_site(site)) {
            let time: f64 = (0..periods)
                .map(|p| {
                    let end =
                        if p + 1 < periods { attacker.period_start(p + 1) } else { attacker.end_day.min(horizon) };
                    r.acc.held_share(a, p, c) * (end - attacker.period_start(p))
                })
                .sum();
            held = held.max(time / horizon);
            prob = prob.max(attacker.attack_prob);
        }
    }
    (held, prob)
}

fn node_feature(r: &Results, i: usize) -> Feature {
    let s = r.scenario;
    let id = NodeId(i as u32);
    let node = s.network.node(id);
    let here = |b: &&crate::blockade::Blockade| b.site == Site::Node(id);
    let (held, prob) = attacker_presence(r, |site| *site == Site::Node(id));
    let demand = s.demands.iter().position(|d| d.node == id);
    let results = demand.map(|d| {
        let sum = r.acc.demand(d);
        DemandProperties {
            consumption_m3_per_day: n(s.demands[d].consumption_m3_per_day),
            p_shortage: p(sum.p_shortage),
            p_shortage_ci95_low: p(sum.p_shortage_ci.0),
            p_shortage_ci95_high: p(sum.p_shortage_ci.1),
            first_shortage_day_p50: sum.first_shortage_day_p50,
            unmet_m3_mean: n(sum.unmet_m3.mean),
            delivered_m3_mean: n(sum.delivered_m3.mean),
            lost_m3_mean: n(sum.lost_m3.mean),
        }
    });
    Feature {
        kind: "Feature".into(),
        geometry: Geometry::Point { coordinates: [node.lon, node.lat] },
        properties: Properties::Node(NodeProperties {
            id: node.id.clone(),
            name: node.name.clone(),
            country: node.country.clone(),
            kind: node.kind.to_string(),
            delay_mean_days: n(node.delay_mean_days),
            runs: r.runs(),
            blockades: s.blockades.iter().filter(here).map(|b| b.name.clone()).collect(),
            blockade_attack_prob: n(s.blockades.iter().filter(here).map(|b| b.attack_prob).fold(0.0, f64::max)),
            attacker_held_share: n(held),
            attacker_attack_prob: n(prob),
            demand: demand.is_some(),
            results,
        }),
    }
}

fn road_feature(r: &Results, e: usize) -> Feature {
    let s = r.scenario;
    let net = &s.network;
    let edge = &net.edges()[e];
    let (a, b) = (net.node(edge.from), net.node(edge.to));
    let stats = r.acc.edge(e);
    let eid = EdgeId(e as u32);
    let on = |x: &&crate::blockade::Blockade| x.covers_edge(net, eid);
    let (held, prob) = attacker_presence(r, |site| match *site {
        Site::Edge(x, y) => (x == edge.from && y == edge.to) || (x == edge.to && y == edge.from),
        Site::Node(_) => false,
    });
    Feature {
        kind: "Feature".into(),
        geometry: Geometry::LineString { coordinates: vec![[a.lon, a.lat], [b.lon, b.lat]] },
        properties: Properties::Road(RoadProperties {
            from: a.id.clone(),
            to: b.id.clone(),
            road: edge.road.clone(),
            length_km: n(edge.length_km),
            trucks_mean: n(stats.trucks_mean),
            attacks_mean: n(stats.attacks_mean),
            trucks_lost_mean: n(stats.trucks_lost_mean),
            max_trucks_in_a_day: r.acc.edge_day_max(e),
            blockades: s.blockades.iter().filter(on).map(|x| x.name.clone()).collect(),
            blockade_attack_prob: n(s.blockades.iter().filter(on).map(|x| x.attack_prob).fold(0.0, f64::max)),
            attacker_held_share: n(held),
            attacker_attack_prob: n(prob),
            runs: r.runs(),
        }),
    }
}

/// Which nodes and roads are written: all of them on a network of at most
/// [`MAX_FULL_FEATURES`] features; else the roads with traffic, a blockade or a candidate
/// site, their nodes, the demand nodes and the blockaded or candidate nodes.
fn kept(r: &Results) -> (Vec<bool>, Vec<bool>) {
    let s = r.scenario;
    let net = &s.network;
    let (nodes, edges) = (net.nodes().len(), net.edges().len());
    if nodes + edges <= MAX_FULL_FEATURES {
        return (vec![true; nodes], vec![true; edges]);
    }
    let sites = s.blockades.iter().map(|b| b.site).chain(s.attackers.iter().flat_map(|a| a.candidates.iter().copied()));
    let (mut node, mut road) = (vec![false; nodes], vec![false; edges]);
    for site in sites {
        match site {
            Site::Node(id) => node[id.index()] = true,
            Site::Edge(a, b) => {
                for e in net.edges_between(a, b) {
                    road[e.index()] = true;
                }
            }
        }
    }
    for (e, keep) in road.iter_mut().enumerate() {
        *keep |= r.acc.edge(e).trucks_mean > 0.0;
    }
    for edge in net.edges().iter().zip(&road).filter(|(_, k)| **k).map(|(edge, _)| edge) {
        node[edge.from.index()] = true;
        node[edge.to.index()] = true;
    }
    for d in &s.demands {
        node[d.node.index()] = true;
    }
    (node, road)
}

pub fn write_geojson(r: &Results, path: &Path) -> Result<(), ReportError> {
    let io = |error| ReportError::Io { path: path.to_path_buf(), error };
    let encode = |e: serde_json::Error| ReportError::Encode { path: path.to_path_buf(), message: e.to_string() };
    let file = std::fs::File::create(path).map_err(io)?;
    let mut w = std::io::BufWriter::new(file);
    let (nodes, roads) = kept(r);
    let omitted = |v: &[bool]| v.iter().filter(|k| !**k).count();
    let name = serde_json::to_string(&r.scenario.name).map_err(encode)?;
    write!(w, "{{\"type\":\"FeatureCollection\",\"name\":{name},").map_err(io)?;
    let (skipped_nodes, skipped_roads) = (omitted(&nodes), omitted(&roads));
    if skipped_nodes + skipped_roads > 0 {
        write!(w, "\"omitted_nodes\":{skipped_nodes},\"omitted_roads\":{skipped_roads},").map_err(io)?;
    }
    write!(w, "\"features\":[").map_err(io)?;
    let features = nodes
        .iter()
        .enumerate()
        .filter(|(_, k)| **k)
        .map(|(i, _)| node_feature(r, i))
        .chain(roads.iter().enumerate().filter(|(_, k)| **k).map(|(e, _)| road_feature(r, e)));
    for (i, feature) in features.enumerate() {
        w.write_all(if i == 0 { b"\n" } else { b",\n" }).map_err(io)?;
        serde_json::to_writer(&mut w, &feature).map_err(encode)?;
    }
    w.write_all(b"\n]}\n").map_err(io)?;
    w.flush().map_err(io)
}
