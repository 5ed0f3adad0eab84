//! Scenario variants: a value set at a key path such as `blockade.kayes.attack_prob`,
//! `supply.dakar-bamako.convoys_per_day`, `attacker.jnim.period_days`, `convoy.relief.trucks`,
//! `demand.bamako.initial_stock_m3`, `simulation.travel_time_cv`, `deterrence.per_attack` or
//! `escorts.units`. The value is written into the scenario's text in place (comments and layout
//! kept), which is then validated like any scenario file, so a swept or fitted value gets the
//! same checks as a written one, and a calibrated scenario reads like the original.

use super::Scenario;
use super::validate::{ScenarioError, parse_scenario};
use crate::network::{Network, NetworkError};
use std::path::{Path, PathBuf};
use toml::Value;
use toml_edit::{DocumentMut, Item, Table};

/// The tables whose keys can be set, and the arrays of tables whose entries are found by name
/// (`demand` by node).
const TABLES: [&str; 4] = ["simulation", "routing", "deterrence", "escorts"];
const ENTRIES: [&str; 5] = ["supply", "blockade", "attacker", "convoy", "demand"];

/// Keys whose values are whole numbers (set as integers).
const INTEGER_KEYS: [&str; 5] = ["horizon_days", "trucks_per_convoy", "trucks", "units", "sites"];

/// Whether the key's value is a whole number (such as `supply.x.trucks_per_convoy`).
pub fn is_integer_key(key: &str) -> bool {
    key.rsplit('.').next().is_some_and(|k| INTEGER_KEYS.contains(&k))
}

/// Sets `key` to `value` in a scenario document, keeping the value's comments.
pub fn set_key(doc: &mut DocumentMut, key: &str, value: &Value) -> Result<(), String> {
    let parts: Vec<&str> = key.split('.').collect();
    let table: &mut Table = match parts.as_slice() {
        [section, _] if TABLES.contains(section) => doc
            .entry(section)
            .or_insert_with(|| Item::Table(Table::new()))
            .as_table_mut()
            .ok_or_else(|| format!("`{section}` is not a table"))?,
        [kind, name, _] if ENTRIES.contains(kind) => {
            let by = if *kind == "demand" { "node" } else { "name" };
            doc.get_mut(kind)
                .and_then(Item::as_array_of_tables_mut)
                .ok_or_else(|| format!("the scenario has no [[{kind}]]"))?
                .iter_mut()
                .find(|t| t.get(by).and_then(Item::as_str) == Some(*name))
                .ok_or_else(|| format!("no [[{kind}]] with {by} = \"{name}\""))?
        }
        _ => {
            return Err("expected simulation.KEY, routing.KEY, deterrence.KEY, escorts.KEY, supply.NAME.KEY, \
                        blockade.NAME.KEY, attacker.NAME.KEY, convoy.NAME.KEY or demand.NODE.KEY"
                .into());
        }
    };
    let field = parts.last().copied().unwrap_or_default();
    let mut new = match value {
        Value::Integer(i) => toml_edit::Value::from(*i),
        Value::Float(x) => toml_edit::Value::from(*x),
        Value::Boolean(b) => toml_edit::Value::from(*b),
        Value::String(s) => toml_edit::Value::from(s.as_str()),
        other => return Err(format!("cannot set {key} to {other}")),
    };
    match table.get_mut(field).and_then(Item::as_value_mut) {
        Some(old) => {
            *new.decor_mut() = old.decor().clone();
            *old = new;
        }
        None => {
            table.insert(field, Item::Value(new));
        }
    }
    Ok(())
}

/// A scenario file that variants are made of: its text, parsed once, and its network.
pub struct Variants {
    path: PathBuf,
    doc: DocumentMut,
    network: Network,
}

impl Variants {
    /// Reads the scenario at `path` (which must be valid as written, so that its own errors
    /// point at its own lines); `load` resolves its network.
    pub fn new(path: &Path, load: impl Fn(&str) -> Result<Network, NetworkError>) -> Result<Variants, ScenarioError> {
        let text =
            std::fs::read_to_string(path).map_err(|error| ScenarioError::Read { path: path.to_path_buf(), error })?;
        let scenario = parse_scenario(&text, path, &load)?;
        let doc: DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| ScenarioError::Variant {
            path: path.to_path_buf(),
            assignment: String::new(),
            message: e.message().to_string(),
        })?;
        Ok(Variants { path: path.to_path_buf(), doc, network: scenario.network })
    }

    /// The scenario's text with each `(key, value)` set.
    pub fn text(&self, assignments: &[(String, Value)]) -> Result<String, ScenarioError> {
        let mut doc = self.doc.clone();
        for (key, value) in assignments {
            set_key(&mut doc, key, value).map_err(|message| self.error(&format!("{key}={value}"), message))?;
        }
        Ok(doc.to_string())
    }

    /// The scenario with each `(key, value)` set, validated.
    pub fn scenario(&self, assignments: &[(String, Value)]) -> Result<Scenario, ScenarioError> {
        let described = assignments.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(" ");
        let text = self.text(assignments)?;
        parse_scenario(&text, &self.path, |_| Ok(self.network.clone())).map_err(|e| match e {
            ScenarioError::Invalid { field, message, .. } => self.error(&described, format!("{field}: {message}")),
            ScenarioError::Syntax { message, .. } => self.error(&described, message),
            other => other,
        })
    }

    fn error(&self, assignment: &str, message: String) -> ScenarioError {
        ScenarioError::Variant { path: self.path.clone(), assignment: assignment.to_string(), message }
    }
}

/// The scenario at `path` with each `(key, value)` set, validated. `load` resolves the network.
pub fn scenario_with(
    path: &Path,
    assignments: &[(String, Value)],
    load: impl Fn(&str) -> Result<Network, NetworkError>,
) -> Result<Scenario, ScenarioError> {
    Variants::new(path, load)?.scenario(assignments)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> DocumentMut {
        "name = \"x\"\n[simulation]\nruns = 1 # the runs\n[[supply]]\nname = \"a-b\"\nconvoys_per_day = 1\n\
         [[blockade]]\nname = \"k\"\nattack_prob = 0.1   # strength\n[[demand]]\nnode = \"b\"\ninitial_stock_m3 = 5\n\
         [[convoy]]\nname = \"relief\"\ntrucks = 3\n"
            .parse()
            .unwrap()
    }

    #[test]
    fn sets_values_by_section_and_entry_name_keeping_comments() {
        let mut d = doc();
        set_key(&mut d, "blockade.k.attack_prob", &Value::Float(0.5)).unwrap();
        set_key(&mut d, "blockade.k.hold_days", &Value::Integer(2)).unwrap();
        set_key(&mut d, "supply.a-b.convoys_per_day", &Value::Float(2.5)).unwrap();
        set_key(&mut d, "demand.b.initial_stock_m3", &Value::Integer(9)).unwrap();
        set_key(&mut d, "routing.detection_delay_days", &Value::Integer(3)).unwrap();
        set_key(&mut d, "convoy.relief.trucks", &Value::Integer(300)).unwrap();
        set_key(&mut d, "deterrence.per_attack", &Value::Float(0.25)).unwrap();
        let text = d.to_string();
        for expected in [
            "attack_prob = 0.5   # strength",
            "runs = 1 # the runs",
            "hold_days = 2",
            "convoys_per_day = 2.5",
            "initial_stock_m3 = 9",
            "detection_delay_days = 3",
            "trucks = 300",
            "[deterrence]\nper_attack = 0.25",
        ] {
            assert!(text.contains(expected), "{expected} in {text}");
        }
        assert!(is_integer_key("convoy.relief.trucks") && !is_integer_key("supply.x.convoys_per_day"));
    }

    #[test]
    fn unknown_entries_and_paths_are_errors() {
        let mut d = doc();
        assert_eq!(
            set_key(&mut d, "blockade.z.attack_prob", &Value::Float(0.5)).unwrap_err(),
            "no [[blockade]] with name = \"z\""
        );
        assert!(set_key(&mut d, "attack_prob", &Value::Float(0.5)).unwrap_err().starts_with("expected simulation.KEY"));
        let e = set_key(&mut d, "origin.a.capacity", &Value::Integer(1)).unwrap_err();
        assert!(e.starts_with("expected simulation.KEY"), "{e}");
        assert_eq!(
            set_key(&mut d, "attacker.a.sites", &Value::Integer(1)).unwrap_err(),
            "the scenario has no [[attacker]]"
        );
    }
}
