//! A `corridor critical` folder read back — critical.toml and critical.csv — so that its charts
//! and report are drawn from its files and `corridor plot` redraws them.

use super::OutputError;
use super::data::Csv;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// What a critical search was asked (critical.toml).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CriticalMeta {
    pub scenario: String,
    pub target: String,
    pub target_name: String,
    pub attack_prob: f64,
    pub truck_loss_prob: f64,
    pub hold_days: f64,
    /// Candidate sites (on the routes to the target).
    pub candidates: u64,
    /// Nodes and roads that are not candidates.
    pub idle_sites: u64,
    pub runs: u64,
    pub seed: u64,
    pub horizon_days: u32,
    pub corridor_version: String,
}

impl CriticalMeta {
    pub fn footer(&self) -> String {
        format!(
            "critical sites for {} in {} · attack {} · truck loss {} · hold {} d · {} runs per estimate, common random numbers · seed {} · corridor {}",
            self.target,
            self.scenario,
            self.attack_prob,
            self.truck_loss_prob,
            self.hold_days,
            super::thousands(self.runs),
            self.seed,
            self.corridor_version
        )
    }
}

/// A row of critical.csv.
#[derive(Debug, Clone, PartialEq)]
pub struct CriticalRow {
    /// Sites blockaded together (0: the scenario as it is).
    pub k: usize,
    pub rank: usize,
    /// Site ids (`kayes–diema + kati`) and display names.
    pub sites: String,
    pub names: String,
    pub unmet: f64,
    pub diff_unmet: f64,
    pub diff_unmet_ci95: f64,
    pub p_shortage: f64,
    pub diff_p_shortage: f64,
    pub diff_p_shortage_ci95: f64,
    /// Sets with the same effect share a group (numbered within k).
    pub group: usize,
}

/// Sets of sites with the same effect: their rows, best first.
#[derive(Debug, Clone, PartialEq)]
pub struct Group<'a> {
    /// A letter (A, B, …) when it has more than one member.
    pub letter: Option<String>,
    pub rows: Vec<&'a CriticalRow>,
}

impl Group<'_> {
    /// The label of the group: its member's name, or `A (11 sites): first, second, …`.
    pub fn label(&self) -> String {
        match &self.letter {
            None => self.rows[0].names.clone(),
            Some(l) => format!("{l} ({} sites): {}", self.rows.len(), self.members().join(", ")),
        }
    }

    pub fn members(&self) -> Vec<String> {
        self.rows.iter().map(|r| r.names.clone()).collect()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct CriticalData {
    pub meta: CriticalMeta,
    pub rows: Vec<CriticalRow>,
}

/// The letters of group i: A … Z, then AA, AB, …
pub fn group_letter(i: usize) -> String {
    let a = |k: usize| char::from(b'A' + (k % 26) as u8);
    if i < 26 { a(i).to_string() } else { format!("{}{}", a(i / 26 - 1), a(i)) }
}

impl CriticalData {
    /// The scenario as it is (the k = 0 row).
    pub fn base(&self) -> Option<&CriticalRow> {
        self.rows.iter().find(|r| r.k == 0)
    }

    /// The groups of sets of `k` sites, best first; lettered groups are numbered from `first`.
    pub fn groups(&self, k: usize, first: usize) -> Vec<Group<'_>> {
        let mut out: Vec<Group> = Vec::new();
        for row in self.rows.iter().filter(|r| r.k == k) {
            match out.last_mut() {
                Some(g) if g.rows[0].group == row.group => g.rows.push(row),
                _ => out.push(Group { letter: None, rows: vec![row] }),
            }
        }
        for (next, g) in (first..).zip(out.iter_mut().filter(|g| g.rows.len() > 1)) {
            g.letter = Some(group_letter(next));
        }
        out
    }

    pub fn load(dir: &Path) -> Result<CriticalData, OutputError> {
        let meta: CriticalMeta = super::data::read_toml(&dir.join("critical.toml"))?;
        let t = Csv::read(&dir.join("critical.csv"))?;
        let mut rows = Vec::new();
        for row in &t.rows {
            rows.push(CriticalRow {
                k: t.num(row, "k")? as usize,
                rank: t.num(row, "rank")? as usize,
                sites: t.text(row, "sites")?.to_string(),
                names: t.text(row, "names")?.to_string(),
                unmet: t.num(row, "unmet_m3_mean")?,
                diff_unmet: t.num(row, "diff_unmet_m3")?,
                diff_unmet_ci95: t.num(row, "diff_unmet_m3_ci95")?,
                p_shortage: t.num(row, "p_shortage")?,
                diff_p_shortage: t.num(row, "diff_p_shortage")?,
                diff_p_shortage_ci95: t.num(row, "diff_p_shortage_ci95")?,
                group: t.num(row, "group")? as usize,
            });
        }
        Ok(CriticalData { meta, rows })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_letters() {
        assert_eq!(group_letter(0), "A");
        assert_eq!(group_letter(25), "Z");
        assert_eq!(group_letter(26), "AA");
        assert_eq!(group_letter(27), "AB");
    }
}
