//! The outputs of `corridor critical`: critical.csv and the table on stdout.

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
    pub fn footer(&self) -> String {
        format!(
            "critical sites for {} in {} · {} · {} runs per estimate, common random numbers · seed {} · corridor {}",
            self.target,
            self.scenario.name,
            self.strength_text(),
            thousands(self.search.runs),
            self.scenario.simulation.seed,
            env!("CARGO_PKG_VERSION")
        )
    }

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

    /// Every evaluation with its rank within its size.
    fn ranked(&self) -> Vec<(usize, &Evaluation)> {
        let s = self.search;
        let mut out: Vec<(usize, &Evaluation)> = Vec::new();
        out.extend(s.singles.iter().enumerate().map(|(i, e)| (i + 1, e)));
        out.extend(s.pairs.iter().enumerate().map(|(i, e)| (i + 1, e)));
        out.extend(s.greedy.iter().map(|e| (1, e)));
        out
    }
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
    ]];
    for (rank, e) in c.ranked() {
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
        ]);
    }
    write_csv(path, &header, rows)
}

/// The table printed by `corridor critical`: the ten best single sites, the five best pairs
/// and the greedy sets (sites with the same effect counting as one).
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
    let row = |rank: usize, e: &Evaluation| {
        vec![
            e.sites.len().to_string(),
            rank.to_string(),
            c.label(e),
            thousands(e.summary.unmet_m3.mean.round() as u64),
            format!(
                "+{} ± {}",
                thousands(e.unmet.mean.max(0.0).round() as u64),
                thousands(e.unmet.ci95.round() as u64)
            ),
            prob(e.summary.p_shortage),
            format!("{:+.3} ± {:.3}", e.shortage.mean, e.shortage.ci95),
        ]
    };
    rows.extend(grouped(s.singles.iter().enumerate().map(|(i, e)| row(i + 1, e))).into_iter().take(10));
    rows.extend(grouped(s.pairs.iter().enumerate().map(|(i, e)| row(i + 1, e))).into_iter().take(5));
    rows.extend(s.greedy.iter().map(|e| row(1, e)));
    out.push_str(&align(&rows));
    out
}

/// Merges consecutive rows whose numbers read the same (sites with the same effect, such as
/// every site on one corridor under a total blockade) into one: `a, b, c (+4 more)`, ranks
/// `1–7`.
fn grouped(rows: impl Iterator<Item = Vec<String>>) -> Vec<Vec<String>> {
    let mut out: Vec<(Vec<String>, Vec<String>, String)> = Vec::new(); // (row, names, last rank)
    for row in rows {
        match out.last_mut() {
            Some((first, names, last)) if first[3..] == row[3..] => {
                names.push(row[2].clone());
                *last = row[1].clone();
            }
            _ => {
                let (names, last) = (vec![row[2].clone()], row[1].clone());
                out.push((row, names, last));
            }
        }
    }
    out.into_iter()
        .map(|(mut row, names, last)| {
            if names.len() > 1 {
                row[1] = format!("{}–{last}", row[1]);
                let shown = names.iter().take(3).cloned().collect::<Vec<_>>().join(", ");
                row[2] = if names.len() > 3 { format!("{shown} (+{} more)", names.len() - 3) } else { shown };
            }
            row
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::grouped;

    #[test]
    fn rows_with_the_same_numbers_are_merged() {
        let r = |rank: &str, site: &str, v: &str| ["1", rank, site, v].map(String::from).to_vec();
        let rows = vec![r("1", "a", "9"), r("2", "b", "9"), r("3", "c", "9"), r("4", "d", "9"), r("5", "e", "7")];
        let g = grouped(rows.into_iter());
        assert_eq!(g.len(), 2);
        assert_eq!(g[0][1], "1–4");
        assert_eq!(g[0][2], "a, b, c (+1 more)");
        assert_eq!(g[1], r("5", "e", "7"));
    }
}
