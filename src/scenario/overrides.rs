//! Scenario variants: a value set at a key path such as `blockade.kayes.attack_prob`,
//! `supply.dakar-bamako.convoys_per_day`, `attacker.jnim.period_days`,
//! `demand.bamako.initial_stock_m3` or `simulation.travel_time_cv`. The value is written into the TOML document, which is then
//! validated like any scenario file, so a swept value gets the same checks as a written one.

use super::Scenario;
use super::validate::{ScenarioError, parse_scenario};
use crate::network::Network;
use std::path::Path;
use toml::{Table, Value};

/// Sets `key` to `value` in a scenario document. Entries of `[[supply]]`, `[[blockade]]` and
/// `[[attacker]]` are found by `name`, those of `[[demand]]` by `node`.
pub fn set_key(doc: &mut Table, key: &str, value: Value) -> Result<(), String> {
    let parts: Vec<&str> = key.split('.').collect();
    let table = match parts.as_slice() {
        [section @ ("simulation" | "routing"), _] => doc
            .entry(section.to_string())
            .or_insert_with(|| Value::Table(Table::new()))
            .as_table_mut()
            .ok_or_else(|| format!("`{section}` is not a table"))?,
        [kind @ ("supply" | "blockade" | "attacker" | "demand"), name, _] => {
            let by = if *kind == "demand" { "node" } else { "name" };
            let entries = doc
                .get_mut(*kind)
                .and_then(Value::as_array_mut)
                .ok_or_else(|| format!("the scenario has no [[{kind}]]"))?;
            entries
                .iter_mut()
                .filter_map(Value::as_table_mut)
                .find(|t| t.get(by).and_then(Value::as_str) == Some(*name))
                .ok_or_else(|| format!("no [[{kind}]] with {by} = \"{name}\""))?
        }
        _ => {
            return Err(
                "expected simulation.KEY, routing.KEY, supply.NAME.KEY, blockade.NAME.KEY or demand.NODE.KEY".into()
            );
        }
    };
    let field = parts.last().copied().unwrap_or_default();
    table.insert(field.to_string(), value);
    Ok(())
}

/// The scenario at `path` with each `(key, value)` set, validated. `load` resolves the network.
pub fn scenario_with(
    path: &Path,
    assignments: &[(String, Value)],
    load: impl Fn(&str) -> Result<Network, crate::network::NetworkError>,
) -> Result<Scenario, ScenarioError> {
    let text = super::syntax::read_text(path)?;
    // The file as written must be valid, so that its own errors point at its own lines.
    parse_scenario(&text, path, &load)?;
    let described = assignments.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(" ");
    let mut doc: Table = toml::from_str(&text).map_err(|e| ScenarioError::Variant {
        path: path.to_path_buf(),
        assignment: described.clone(),
        message: e.message().to_string(),
    })?;
    for (key, value) in assignments {
        set_key(&mut doc, key, value.clone()).map_err(|message| ScenarioError::Variant {
            path: path.to_path_buf(),
            assignment: format!("{key}={value}"),
            message,
        })?;
    }
    let variant = toml::to_string(&doc).map_err(|e| ScenarioError::Variant {
        path: path.to_path_buf(),
        assignment: described.clone(),
        message: e.to_string(),
    })?;
    parse_scenario(&variant, path, &load).map_err(|e| match e {
        ScenarioError::Invalid { field, message, .. } => ScenarioError::Variant {
            path: path.to_path_buf(),
            assignment: described.clone(),
            message: format!("{field}: {message}"),
        },
        ScenarioError::Syntax { message, .. } => {
            ScenarioError::Variant { path: path.to_path_buf(), assignment: described.clone(), message }
        }
        other => other,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> Table {
        toml::from_str(
            "name = \"x\"\n[simulation]\nruns = 1\n[[supply]]\nname = \"a-b\"\nconvoys_per_day = 1\n\
             [[blockade]]\nname = \"k\"\nattack_prob = 0.1\n[[demand]]\nnode = \"b\"\ninitial_stock_m3 = 5\n",
        )
        .unwrap()
    }

    #[test]
    fn sets_values_by_section_and_entry_name() {
        let mut d = doc();
        set_key(&mut d, "blockade.k.attack_prob", Value::Float(0.5)).unwrap();
        set_key(&mut d, "blockade.k.hold_days", Value::Integer(2)).unwrap();
        set_key(&mut d, "supply.a-b.convoys_per_day", Value::Float(2.5)).unwrap();
        set_key(&mut d, "demand.b.initial_stock_m3", Value::Integer(9)).unwrap();
        set_key(&mut d, "routing.detection_delay_days", Value::Integer(3)).unwrap();
        let text = toml::to_string(&d).unwrap();
        for expected in [
            "attack_prob = 0.5",
            "hold_days = 2",
            "convoys_per_day = 2.5",
            "initial_stock_m3 = 9",
            "detection_delay_days = 3",
        ] {
            assert!(text.contains(expected), "{expected} in {text}");
        }
    }

    #[test]
    fn unknown_entries_and_paths_are_errors() {
        let mut d = doc();
        assert_eq!(
            set_key(&mut d, "blockade.z.attack_prob", Value::Float(0.5)).unwrap_err(),
            "no [[blockade]] with name = \"z\""
        );
        assert!(set_key(&mut d, "attack_prob", Value::Float(0.5)).unwrap_err().starts_with("expected simulation.KEY"));
        let e = set_key(&mut d, "escorts.units", Value::Integer(1)).unwrap_err();
        assert!(e.starts_with("expected simulation.KEY"), "{e}");
        assert_eq!(
            set_key(&mut d, "attacker.a.sites", Value::Integer(1)).unwrap_err(),
            "the scenario has no [[attacker]]"
        );
    }
}
