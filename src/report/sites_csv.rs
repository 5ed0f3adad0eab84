//! edges.csv (truck flows and losses per road), blockades.csv (attacks and losses per
//! blockade) and attackers.csv: where the fuel went and where it was lost, and which cities'
//! routes each site is on.

use super::reach::Reach;
use super::{ReportError, Results, num, write_csv};
use std::path::Path;

pub const EDGES_HEADER: &[&str] =
    &["from", "to", "road", "trucks_mean", "attacks_mean", "trucks_lost_mean", "runs", "max_trucks_in_a_day"];

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
    "attack_prob",
    "escort_factor",
    "truck_loss_prob",
    "hold_days",
    "cities",
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
            r.acc.edge_day_max(e).to_string(),
        ]
    });
    write_csv(path, EDGES_HEADER, rows)
}

pub fn write_blockades(r: &Results, path: &Path) -> Result<(), ReportError> {
    let reach = Reach::of(r.scenario);
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
            num(blockade.attack_prob, 6),
            num(blockade.escort_factor, 6),
            num(blockade.truck_loss_prob, 6),
            num(blockade.hold_days, 3),
            reach.cities(r.scenario, blockade.site),
        ]
    });
    write_csv(path, BLOCKADES_HEADER, rows)
}

pub const ATTACKERS_HEADER: &[&str] = &[
    "attacker",
    "period",
    "start_day",
    "end_day",
    "site",
    "held_share",
    "attacks_mean",
    "trucks_lost_mean",
    "lost_m3_mean",
    "runs",
    "policy",
    "attack_prob",
    "truck_loss_prob",
    "cities",
];

/// attackers.csv: for each attacker, period and candidate site, the share of runs in which it
/// held the site; attacks and losses at the site are over the whole horizon (on the period-0
/// rows, empty on the others).
pub fn write_attackers(r: &Results, path: &Path) -> Result<(), ReportError> {
    let horizon = r.scenario.simulation.horizon();
    let reach = Reach::of(r.scenario);
    let mut rows = Vec::new();
    for (a, attacker) in r.scenario.attackers.iter().enumerate() {
        for p in 0..attacker.periods(horizon) {
            let start = attacker.period_start(p);
            let end = if p + 1 < attacker.periods(horizon) {
                attacker.period_start(p + 1)
            } else {
                attacker.end_day.min(horizon)
            };
            for (c, site) in attacker.candidates.iter().enumerate() {
                let s = r.acc.attacker_site(a, c);
                let label = crate::critical::label(&r.scenario.network, &[*site]);
                let totals = if p == 0 {
                    [num(s.attacks_mean, 4), num(s.trucks_lost_mean, 3), num(s.lost_m3.mean, 3)]
                } else {
                    [String::new(), String::new(), String::new()]
                };
                let mut row = vec![
                    attacker.name.clone(),
                    p.to_string(),
                    num(start, 3),
                    num(end, 3),
                    label,
                    num(r.acc.held_share(a, p, c), 6),
                ];
                row.extend(totals);
                row.push(r.runs().to_string());
                row.push(format!("{:?}", attacker.policy).to_lowercase());
                row.push(num(attacker.attack_prob, 6));
                row.push(num(attacker.truck_loss_prob, 6));
                row.push(reach.cities(r.scenario, *site));
                rows.push(row);
            }
        }
    }
    write_csv(path, ATTACKERS_HEADER, rows)
}
