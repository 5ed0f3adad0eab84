//! The outputs of `corridor critical`: critical.csv, critical.toml and the table on stdout.
//! Sites whose blockade has the same effect on the target (the same increases, to the
//! precision written, such as every site of one corridor under a total blockade) form a group:
//! the table and charts show every group of single sites, by display name, with its members.

use super::critical_data::{CriticalMeta, group_letter};
use super::table::{align, prob};
use super::{ReportError, num, thousands, write_csv};
use crate::critical::{Evaluation, Search, Strength, label};
use crate::scenario::Scenario;
use std::path::Path;

/// A finished search and what it was asked.
pub struct Critical<'a> {
    pub scenario: &'a Scenario,
    pub target: &'a str,
    pub strength: Strength,
    pub search: &'a Search,
}

impl Critical<'_> {
    /// The target's display name.
    pub fn target_name(&self) -> &str {
        let s = self.scenario;
        s.demands
            .iter()
            .map(|d| s.network.node(d.node))
            .find(|n| n.id == self.target)
            .map_or(self.target, |n| n.name.as_str())
    }

    pub fn strength_text(&self) -> String {
        let s = self.strength;
        format!("attack {} · truck loss {} · hold {} d", s.attack_prob, s.truck_loss_prob, s.hold_days)
    }

    pub fn label(&self, e: &Evaluation) -> String {
        label(&self.scenario.network, &e.sites)
    }

    /// The sites of `e` by display name: `Kayes–Diéma + Kati`.
    pub fn names(&self, e: &Evaluation) -> String {
        site_names(&self.scenario.network, &e.sites)
    }

    /// Every evaluation with its rank and group within its size.
    fn ranked(&self) -> Vec<(usize, usize, &Evaluation)> {
        let s = self.search;
        let mut out = Vec::new();
        for list in [&s.singles, &s.pairs] {
            let groups = groups(list);
            out.extend(list.iter().enumerate().map(|(i, e)| (i + 1, groups[i], e)));
        }
        out.extend(s.greedy.iter().map(|e| (1, 1, e)));
        out
    }
}

/// Sites by display name: `Kayes–Diéma + Kati`.
pub fn site_names(net: &crate::network::Network, sites: &[crate::blockade::Site]) -> String {
    sites
        .iter()
        .map(|s| match *s {
            crate::blockade::Site::Node(n) => net.node(n).name.clone(),
            crate::blockade::Site::Edge(a, b) => format!("{}–{}", net.node(a).name, net.node(b).name),
        })
        .collect::<Vec<_>>()
        .join(" + ")
}

/// The written numbers that say what a set of sites does to the target.
fn effect(e: &Evaluation) -> [String; 4] {
    [num(e.unmet.mean, 3), num(e.unmet.ci95, 3), num(e.shortage.mean, 6), num(e.shortage.ci95, 6)]
}

/// The group (1, 2, …) of each evaluation of a ranked list: consecutive ones with the same
/// effect share a group.
pub fn groups(list: &[Evaluation]) -> Vec<usize> {
    let mut out = Vec::with_capacity(list.len());
    for (i, e) in list.iter().enumerate() {
        let same = i > 0 && effect(&list[i - 1]) == effect(e);
        let g = if same { out[i - 1] } else { out.last().map_or(1, |g| g + 1) };
        out.push(g);
    }
    out
}

/// critical.csv: the scenario as it is (k = 0), then every evaluated set, best first per size.
pub fn write_critical(c: &Critical, path: &Path) -> Result<(), ReportError> {
    let header = [
        "k",
        "rank",
        "sites",
        "runs",
        "unmet_m3_mean",
        "diff_unmet_m3",
        "diff_unmet_m3_ci95",
        "p_shortage",
        "diff_p_shortage",
        "diff_p_shortage_ci95",
        "first_shortage_day_mean",
        "lost_m3_mean",
        "names",
        "group",
    ];
    let base = &c.search.base;
    let mut rows = vec![vec![
        "0".to_string(),
        "0".to_string(),
        String::new(),
        base.runs.to_string(),
        num(base.unmet_m3.mean, 3),
        num(0.0, 3),
        num(0.0, 3),
        num(base.p_shortage, 6),
        num(0.0, 6),
        num(0.0, 6),
        base.first_shortage_day_mean.map_or(String::new(), |v| num(v, 3)),
        num(base.lost_m3.mean, 3),
        String::new(),
        "0".to_string(),
    ]];
    for (rank, group, e) in c.ranked() {
        rows.push(vec![
            e.sites.len().to_string(),
            rank.to_string(),
            c.label(e),
            e.summary.runs.to_string(),
            num(e.summary.unmet_m3.mean, 3),
            num(e.unmet.mean, 3),
            num(e.unmet.ci95, 3),
            num(e.summary.p_shortage, 6),
            num(e.shortage.mean, 6),
            num(e.shortage.ci95, 6),
            e.summary.first_shortage_day_mean.map_or(String::new(), |v| num(v, 3)),
            num(e.summary.lost_m3.mean, 3),
            c.names(e),
            group.to_string(),
        ]);
    }
    write_csv(path, &header, rows)
}

/// critical.toml: what the search was asked, so that its charts are drawn from the folder.
pub fn write_critical_meta(c: &Critical, path: &Path) -> Result<(), ReportError> {
    let s = c.search;
    let meta = CriticalMeta {
        scenario: c.scenario.name.clone(),
        target: c.target.to_string(),
        target_name: c.target_name().to_string(),
        attack_prob: c.strength.attack_prob,
        truck_loss_prob: c.strength.truck_loss_prob,
        hold_days: c.strength.hold_days,
        candidates: s.singles.len() as u64,
        idle_sites: s.idle_sites as u64,
        runs: s.runs,
        seed: c.scenario.simulation.seed,
        horizon_days: c.scenario.simulation.horizon_days,
        corridor_version: env!("CARGO_PKG_VERSION").to_string(),
    };
    super::write_toml(&meta, path)
}

/// Members of a group listed under the table at most.
const MAX_LISTED: usize = 40;

/// The table printed by `corridor critical`: every group of single sites (sites with the same
/// effect counting as one, their members listed under the table), the five best groups of
/// pairs and the greedy sets.
pub fn critical_table(c: &Critical) -> String {
    let s = c.search;
    let mut out = format!(
        "critical sites for {} in {}: a blockade ({}) on each site for the whole horizon\n\
         {} runs per estimate with common random numbers; increases over the scenario as it is \
         (unmet {} m3, P(shortage) {}), ± 95 % CI\n\
         {} candidate sites on the routes to {}; {} other nodes and roads are supply origins or on no such route\n",
        c.target,
        c.scenario.name,
        c.strength_text(),
        thousands(s.runs),
        thousands(s.base.unmet_m3.mean.round() as u64),
        prob(s.base.p_shortage),
        s.singles.len(),
        c.target,
        s.idle_sites
    );
    let mut rows =
        vec![["k", "rank", "sites", "unmet m3", "increase", "P(shortage)", "increase"].map(String::from).to_vec()];
    let mut members = Vec::new();
    let mut letters = 0;
    for (list, limit) in [(&s.singles, usize::MAX), (&s.pairs, 5)] {
        let groups = groups(list);
        let mut shown = 0;
        let mut i = 0;
        while i < list.len() && shown < limit {
            let j = (i..list.len()).find(|&j| groups[j] != groups[i]).unwrap_or(list.len());
            let e = &list[i];
            let (rank, sites) = if j - i == 1 {
                ((i + 1).to_string(), c.names(e))
            } else {
                let letter = group_letter(letters);
                letters += 1;
                let mut names: Vec<String> = list[i..j].iter().take(MAX_LISTED).map(|e| c.names(e)).collect();
                if j - i > MAX_LISTED {
                    names.push(format!("and {} more in critical.csv", j - i - MAX_LISTED));
                }
                members.push(format!("group {letter}: {}", names.join(", ")));
                (format!("{}–{j}", i + 1), format!("group {letter} ({} sites)", j - i))
            };
            rows.push(row(e, rank, sites));
            shown += 1;
            i = j;
        }
    }
    rows.extend(s.greedy.iter().map(|e| row(e, "1".into(), c.names(e))));
    out.push_str(&align(&rows));
    for m in members {
        out.push_str(&m);
        out.push('\n');
    }
    out
}

fn row(e: &Evaluation, rank: String, sites: String) -> Vec<String> {
    vec![
        e.sites.len().to_string(),
        rank,
        sites,
        thousands(e.summary.unmet_m3.mean.round() as u64),
        format!("+{} ± {}", thousands(e.unmet.mean.max(0.0).round() as u64), thousands(e.unmet.ci95.round() as u64)),
        prob(e.summary.p_shortage),
        format!("{:+.3} ± {:.3}", e.shortage.mean, e.shortage.ci95),
    ]
}
