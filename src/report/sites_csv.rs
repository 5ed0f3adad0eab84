//! edges.csv (truck flows and losses per road) and blockades.csv (attacks and losses per
//! blockade): where the fuel went and where it was lost.

use super::{ReportError, Results, num, write_csv};
use std::path::Path;

pub const EDGES_HEADER: &[&str] = &["from", "to", "road", "trucks_mean", "attacks_mean", "trucks_lost_mean", "runs"];

pub const BLOCKADES_HEADER: &[&str] = &[
    "name",
    "site",
    "start_day",
    "end_day",
    "attacks_mean",
    "trucks_lost_mean",
    "lost_m3_mean",
    "lost_m3_ci95",
    "runs",
];

pub fn write_edges(r: &Results, path: &Path) -> Result<(), ReportError> {
    let net = &r.scenario.network;
    let rows = net.edges().iter().enumerate().map(|(e, edge)| {
        let s = r.acc.edge(e);
        vec![
            net.node(edge.from).id.clone(),
            net.node(edge.to).id.clone(),
            edge.road.clone(),
            num(s.trucks_mean, 3),
            num(s.attacks_mean, 4),
            num(s.trucks_lost_mean, 3),
            r.runs().to_string(),
        ]
    });
    write_csv(path, EDGES_HEADER, rows)
}

pub fn write_blockades(r: &Results, path: &Path) -> Result<(), ReportError> {
    let rows = r.scenario.blockades.iter().enumerate().map(|(b, blockade)| {
        let s = r.acc.blockade(b);
        vec![
            blockade.name.clone(),
            blockade.site_label(&r.scenario.network),
            num(blockade.start_day, 3),
            num(blockade.end_day, 3),
            num(s.attacks_mean, 4),
            num(s.trucks_lost_mean, 3),
            num(s.lost_m3.mean, 3),
            num(s.lost_m3.ci95, 3),
            r.runs().to_string(),
        ]
    });
    write_csv(path, BLOCKADES_HEADER, rows)
}
