//! network.geojson: the network with its results, for GIS users (QGIS opens it as is) and for
//! the map chart. Nodes are points, roads are lines from one node to the other (WGS 84
//! lon/lat); their properties are the per-run means of the run.

use super::{ReportError, Results};
use crate::blockade::Site;
use serde_json::{Value, json};
use std::path::Path;

/// A number rounded to three decimals (the precision of the tables).
fn n(v: f64) -> Value {
    json!((v * 1000.0).round() / 1000.0)
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

pub fn write_geojson(r: &Results, path: &Path) -> Result<(), ReportError> {
    let s = r.scenario;
    let net = &s.network;
    let mut features = Vec::new();
    for (i, node) in net.nodes().iter().enumerate() {
        let id = crate::network::NodeId(i as u32);
        let mut p = json!({
            "feature": "node",
            "id": node.id,
            "name": node.name,
            "country": node.country,
            "kind": node.kind.to_string(),
            "delay_mean_days": n(node.delay_mean_days),
            "runs": r.runs(),
        });
        let blockades: Vec<&str> =
            s.blockades.iter().filter(|b| b.site == Site::Node(id)).map(|b| b.name.as_str()).collect();
        p["blockades"] = json!(blockades);
        let strongest =
            s.blockades.iter().filter(|b| b.site == Site::Node(id)).map(|b| b.attack_prob).fold(0.0, f64::max);
        p["blockade_attack_prob"] = n(strongest);
        let (held, prob) = attacker_presence(r, |site| *site == Site::Node(id));
        p["attacker_held_share"] = n(held);
        p["attacker_attack_prob"] = n(prob);
        if let Some(d) = s.demands.iter().position(|d| d.node == id) {
            let sum = r.acc.demand(d);
            p["demand"] = json!(true);
            p["consumption_m3_per_day"] = n(s.demands[d].consumption_m3_per_day);
            p["p_shortage"] = json!((sum.p_shortage * 1e6).round() / 1e6);
            p["p_shortage_ci95_low"] = json!((sum.p_shortage_ci.0 * 1e6).round() / 1e6);
            p["p_shortage_ci95_high"] = json!((sum.p_shortage_ci.1 * 1e6).round() / 1e6);
            p["first_shortage_day_p50"] = json!(sum.first_shortage_day_p50);
            p["unmet_m3_mean"] = n(sum.unmet_m3.mean);
            p["delivered_m3_mean"] = n(sum.delivered_m3.mean);
            p["lost_m3_mean"] = n(sum.lost_m3.mean);
        } else {
            p["demand"] = json!(false);
        }
        features.push(json!({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [node.lon, node.lat]},
            "properties": p,
        }));
    }
    for (e, edge) in net.edges().iter().enumerate() {
        let (a, b) = (net.node(edge.from), net.node(edge.to));
        let stats = r.acc.edge(e);
        let eid = crate::network::EdgeId(e as u32);
        let blockades: Vec<&str> =
            s.blockades.iter().filter(|x| x.covers_edge(net, eid)).map(|x| x.name.as_str()).collect();
        let strongest =
            s.blockades.iter().filter(|x| x.covers_edge(net, eid)).map(|x| x.attack_prob).fold(0.0, f64::max);
        let (held, prob) = attacker_presence(r, |site| match *site {
            Site::Edge(x, y) => (x == edge.from && y == edge.to) || (x == edge.to && y == edge.from),
            Site::Node(_) => false,
        });
        features.push(json!({
            "type": "Feature",
            "geometry": {"type": "LineString", "coordinates": [[a.lon, a.lat], [b.lon, b.lat]]},
            "properties": {
                "feature": "road",
                "from": a.id,
                "to": b.id,
                "road": edge.road,
                "length_km": n(edge.length_km),
                "trucks_mean": n(stats.trucks_mean),
                "attacks_mean": n(stats.attacks_mean),
                "trucks_lost_mean": n(stats.trucks_lost_mean),
                "max_trucks_in_a_day": r.acc.edge_day_max(e),
                "blockades": blockades,
                "blockade_attack_prob": n(strongest),
                "attacker_held_share": n(held),
                "attacker_attack_prob": n(prob),
                "runs": r.runs(),
            },
        }));
    }
    let doc = json!({
        "type": "FeatureCollection",
        "name": s.name,
        "features": features,
    });
    let text = serde_json::to_string_pretty(&doc)
        .map_err(|e| ReportError::Encode { path: path.to_path_buf(), message: e.to_string() })?;
    std::fs::write(path, text + "\n").map_err(|error| ReportError::Io { path: path.to_path_buf(), error })
}
