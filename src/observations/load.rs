//! Reads an observations file (CSV) and checks it against the scenario it will score: every
//! node, site and day must exist there. Errors name the file, the line and the column.

use super::{Quantity, SiteFilter, Target};
use crate::blockade::BlockadeId;
use crate::calendar::Date;
use crate::input::{clip, is_plain_name};
use crate::scenario::{DemandId, Scenario};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// What can be wrong with an observations file.
#[derive(Debug, thiserror::Error)]
pub enum ObservationError {
    #[error("{}: cannot read: {error}", path.display())]
    Read { path: PathBuf, error: std::io::Error },
    #[error("{}:{line}: {message}", path.display())]
    Malformed { path: PathBuf, line: u64, message: String },
    #[error("{}:{line}: column `{column}`: {message}", path.display())]
    Invalid { path: PathBuf, line: u64, column: String, message: String },
}

pub const COLUMNS: [&str; 9] = ["name", "quantity", "node", "site", "from", "to", "low", "high", "source"];

/// Reads and checks the observations file at `path` against `scenario`.
pub fn load_observations(path: &Path, scenario: &Scenario) -> Result<Vec<Target>, ObservationError> {
    let bytes = std::fs::read(path).map_err(|error| ObservationError::Read { path: path.to_path_buf(), error })?;
    parse_observations(&bytes, path, scenario)
}

/// Parses and checks observations (CSV bytes) against `scenario`; `path` names them in errors.
pub fn parse_observations(bytes: &[u8], path: &Path, scenario: &Scenario) -> Result<Vec<Target>, ObservationError> {
    let malformed =
        |line: u64, message: String| ObservationError::Malformed { path: path.to_path_buf(), line, message };
    let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).comment(Some(b'#')).from_reader(bytes);
    let csv_error = |e: csv::Error| {
        let line = e.position().map_or(1, |p| p.line());
        match e.kind() {
            csv::ErrorKind::Utf8 { .. } => malformed(line, "not valid UTF-8".into()),
            csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
                malformed(line, format!("row has {len} fields, expected {expected_len}"))
            }
            _ => malformed(line, e.to_string()),
        }
    };
    let headers = reader.headers().map_err(csv_error)?.clone();
    let mut index = HashMap::new();
    for (i, h) in headers.iter().enumerate() {
        let h = h.trim_start_matches('\u{feff}');
        if !COLUMNS.contains(&h) {
            let msg = format!("unknown column `{}` (expected columns: {})", clip(h), COLUMNS.join(","));
            return Err(malformed(1, msg));
        }
        if index.insert(h.to_string(), i).is_some() {
            return Err(malformed(1, format!("column `{h}` appears twice")));
        }
    }
    if let Some(missing) = COLUMNS.iter().find(|c| !index.contains_key(**c)) {
        return Err(malformed(1, format!("missing column `{missing}` (expected columns: {})", COLUMNS.join(","))));
    }
    let cx = Check { path, scenario };
    let mut targets: Vec<Target> = Vec::new();
    for record in reader.records() {
        let record = record.map_err(csv_error)?;
        let line = record.position().map_or(0, |p| p.line());
        let target = cx.target(line, &record, &index)?;
        if let Some(first) = targets.iter().find(|t| t.name == target.name) {
            let msg = format!("duplicate name `{}` (first on line {})", target.name, first.line);
            return Err(cx.invalid(line, "name", msg));
        }
        targets.push(target);
    }
    if targets.is_empty() {
        return Err(malformed(1, "no observations after the header".into()));
    }
    Ok(targets)
}

/// The file being checked and the scenario it is checked against.
struct Check<'a> {
    path: &'a Path,
    scenario: &'a Scenario,
}

impl Check<'_> {
    fn invalid(&self, line: u64, column: &str, message: String) -> ObservationError {
        ObservationError::Invalid { path: self.path.to_path_buf(), line, column: column.to_string(), message }
    }

    fn target(
        &self,
        line: u64,
        record: &csv::StringRecord,
        index: &HashMap<String, usize>,
    ) -> Result<Target, ObservationError> {
        let cell = |c: &str| record.get(index[c]).unwrap_or("");
        let name = cell("name");
        if !is_plain_name(name) {
            let msg = format!("`{}`: expected letters, digits, '_' and '-' only", clip(name));
            return Err(self.invalid(line, "name", msg));
        }
        let quantity = Quantity::parse(cell("quantity")).ok_or_else(|| {
            let msg = format!(
                "unknown quantity `{}` (expected one of {})",
                clip(cell("quantity")),
                Quantity::NAMES.join(", ")
            );
            self.invalid(line, "quantity", msg)
        })?;
        let (needs_node, needs_from, needs_to) = quantity.needs();
        let q = quantity.name();
        let node = cell("node");
        let demand = if needs_node {
            Some(self.demand(line, node)?)
        } else if !node.is_empty() {
            return Err(self.invalid(line, "node", format!("{q} takes a site, not a node; leave it empty")));
        } else {
            None
        };
        let site_name = cell("site");
        let site = if quantity != Quantity::TrucksLost {
            if !site_name.is_empty() {
                return Err(self.invalid(line, "site", format!("{q} takes a node, not a site; leave it empty")));
            }
            SiteFilter::Everywhere
        } else {
            self.site(line, site_name)?
        };
        let from = self.window_day(line, "from", cell("from"), needs_from, q)?;
        let to = self.window_day(line, "to", cell("to"), needs_to, q)?;
        if let (Some(f), Some(t)) = (from, to)
            && f > t
        {
            return Err(self.invalid(line, "to", format!("{} is before from ({})", cell("to"), cell("from"))));
        }
        let low = self.bound(line, "low", cell("low"), quantity)?;
        let high = self.bound(line, "high", cell("high"), quantity)?;
        if low > high {
            return Err(self.invalid(line, "high", format!("{} is below low ({})", cell("high"), cell("low"))));
        }
        Ok(Target {
            name: name.to_string(),
            quantity,
            demand,
            node: node.to_string(),
            site,
            site_name: site_name.to_string(),
            from: from.unwrap_or(0),
            to: to.unwrap_or(0),
            has_from: from.is_some(),
            has_to: to.is_some(),
            low,
            high,
            source: cell("source").to_string(),
            line,
        })
    }

    fn demand(&self, line: u64, node: &str) -> Result<DemandId, ObservationError> {
        if node.is_empty() {
            return Err(self.invalid(line, "node", "expected a demand node id, found nothing".into()));
        }
        let s = self.scenario;
        (0..s.demands.len()).map(|d| DemandId(d as u32)).find(|&d| s.demand_node_id(d) == node).ok_or_else(|| {
            let ids: Vec<&str> = (0..s.demands.len()).map(|d| s.demand_node_id(DemandId(d as u32))).collect();
            let msg =
                format!("`{}` is not a demand node of {} (expected one of {})", clip(node), s.name, ids.join(", "));
            self.invalid(line, "node", msg)
        })
    }

    fn site(&self, line: u64, name: &str) -> Result<SiteFilter, ObservationError> {
        if name.is_empty() {
            return Ok(SiteFilter::Everywhere);
        }
        let s = self.scenario;
        if let Some(b) = s.blockades.iter().position(|b| b.name == name) {
            return Ok(SiteFilter::Blockade(BlockadeId(b as u32)));
        }
        if let Some(a) = s.attackers.iter().position(|a| a.name == name) {
            return Ok(SiteFilter::Attacker(a as u32));
        }
        let msg =
            format!("`{}` is neither a [[blockade]] nor an [[attacker]] of {} (empty: everywhere)", clip(name), s.name);
        Err(self.invalid(line, "site", msg))
    }

    /// A day: a number, or a date with the scenario's start_date.
    fn day(&self, line: u64, column: &str, text: &str) -> Result<f64, ObservationError> {
        if let Ok(d) = text.parse::<f64>()
            && d.is_finite()
        {
            return Ok(d);
        }
        let Some(date) = Date::parse(text) else {
            let msg = format!("expected a day number or a date such as 2025-10-04, found `{}`", clip(text));
            return Err(self.invalid(line, column, msg));
        };
        match self.scenario.simulation.start_date {
            Some(start) => Ok(date.days_since(start) as f64),
            None => {
                let msg = format!("a date ({date}) needs the scenario's [simulation] start_date; or give a day number");
                Err(self.invalid(line, column, msg))
            }
        }
    }

    /// `from` or `to`: a whole day within the horizon, when the quantity uses it.
    fn window_day(
        &self,
        line: u64,
        column: &str,
        text: &str,
        needed: bool,
        quantity: &str,
    ) -> Result<Option<u32>, ObservationError> {
        match (needed, text.is_empty()) {
            (false, true) => return Ok(None),
            (false, false) => {
                return Err(self.invalid(line, column, format!("{quantity} does not use `{column}`; leave it empty")));
            }
            (true, true) => return Err(self.invalid(line, column, format!("{quantity} needs `{column}`"))),
            (true, false) => {}
        }
        let day = self.day(line, column, text)?;
        let horizon = self.scenario.simulation.horizon_days;
        if day.fract() != 0.0 || day < 0.0 || day >= f64::from(horizon) {
            let msg = format!("expected a whole day from 0 to {} (within the horizon), found {day}", horizon - 1);
            return Err(self.invalid(line, column, msg));
        }
        Ok(Some(day as u32))
    }

    /// `low` or `high`, in the quantity's unit (a date for `first_shortage_day` counts as its day).
    fn bound(&self, line: u64, column: &str, text: &str, quantity: Quantity) -> Result<f64, ObservationError> {
        let v = if quantity == Quantity::FirstShortageDay {
            self.day(line, column, text)?
        } else {
            text.parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| self.invalid(line, column, format!("expected a number, found `{}`", clip(text))))?
        };
        let share = matches!(quantity, Quantity::PShortageBy | Quantity::ShareShortDays);
        if share && !(0.0..=1.0).contains(&v) {
            return Err(self.invalid(line, column, format!("expected a share from 0 to 1, found {v}")));
        }
        if v < 0.0 {
            return Err(self.invalid(line, column, format!("expected a number >= 0, found {v}")));
        }
        Ok(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::test_util::network;
    use crate::scenario::test_util::scenario;

    const HEADER: &str = "name,quantity,node,site,from,to,low,high,source\n";

    fn parse(rows: &str) -> Result<Vec<Target>, String> {
        let net = network(&[("a", 0.0), ("b", 0.0), ("c", 0.0)], &[("a", "b", 100.0), ("b", "c", 100.0)]);
        let s = scenario(
            net,
            60,
            "start_date = 2025-09-04\n[[demand]]\nnode = \"c\"\nconsumption_m3_per_day = 1\ninitial_stock_m3 = 5\n\
             [[blockade]]\nname = \"k\"\nnode = \"b\"\nattack_prob = 0.5\n",
        );
        parse_observations(format!("{HEADER}{rows}").as_bytes(), Path::new("o.csv"), &s).map_err(|e| e.to_string())
    }

    #[test]
    fn rows_become_targets_with_days() {
        let t = parse(
            "first,first_shortage_day,c,,,,2025-09-30,2025-10-10,report\n\
             lost,trucks_lost,,k,2025-09-10,2025-09-20,10,80,union\n\
             by,p_shortage_by,c,,,20,0.5,1,x\n",
        )
        .unwrap();
        assert_eq!((t[0].low, t[0].high), (26.0, 36.0));
        assert_eq!(t[1].site, SiteFilter::Blockade(BlockadeId(0)));
        assert_eq!((t[1].from, t[1].to, t[1].has_from), (6, 16, true));
        assert_eq!((t[2].quantity, t[2].to, t[2].has_from), (Quantity::PShortageBy, 20, false));
        assert_eq!(t[2].line, 4);
    }

    #[test]
    fn bad_rows_name_line_and_column() {
        let cases = [
            ("x,shortage,c,,,,1,2,s\n", "o.csv:2: column `quantity`: unknown quantity `shortage`"),
            ("x,stock_m3,q,,,10,1,2,s\n", "o.csv:2: column `node`: `q` is not a demand node of t (expected one of c)"),
            (
                "x,trucks_lost,,nope,1,2,1,2,s\n",
                "o.csv:2: column `site`: `nope` is neither a [[blockade]] nor an [[attacker]]",
            ),
            ("x,stock_m3,c,,,10,5,2,s\n", "o.csv:2: column `high`: 2 is below low (5)"),
            ("x,stock_m3,c,,,60,1,2,s\n", "o.csv:2: column `to`: expected a whole day from 0 to 59"),
            ("x,stock_m3,c,,,,1,2,s\n", "o.csv:2: column `to`: stock_m3 needs `to`"),
            ("x,share_short_days,c,,5,2,0,1,s\n", "o.csv:2: column `to`: 2 is before from (5)"),
            ("x,share_short_days,c,,1,2,0,1.5,s\n", "o.csv:2: column `high`: expected a share from 0 to 1, found 1.5"),
            ("x,first_shortage_day,c,,3,,1,2,s\n", "o.csv:2: column `from`: first_shortage_day does not use `from`"),
            ("x,stock_m3,c,k,,3,1,2,s\n", "o.csv:2: column `site`: stock_m3 takes a node, not a site"),
            ("x,stock_m3,c,,,3,one,2,s\n", "o.csv:2: column `low`: expected a number, found `one`"),
            (
                "x,stock_m3,c,,,3,1,2,s\nx,stock_m3,c,,,3,1,2,s\n",
                "o.csv:3: column `name`: duplicate name `x` (first on line 2)",
            ),
            ("x,stock_m3,c,,,3,1\n", "o.csv:2: row has 7 fields, expected 9"),
        ];
        for (rows, want) in cases {
            let e = parse(rows).unwrap_err();
            assert!(e.starts_with(want), "{rows}: {e}");
        }
    }

    #[test]
    fn dates_need_a_start_date_and_columns_are_checked() {
        let net = network(&[("a", 0.0), ("c", 0.0)], &[("a", "c", 100.0)]);
        let s = scenario(net, 60, "[[demand]]\nnode = \"c\"\nconsumption_m3_per_day = 1\ninitial_stock_m3 = 5\n");
        let e =
            parse_observations(format!("{HEADER}x,stock_m3,c,,,2025-09-10,1,2,s\n").as_bytes(), Path::new("o.csv"), &s)
                .unwrap_err()
                .to_string();
        assert!(e.contains("column `to`: a date (2025-09-10) needs the scenario's [simulation] start_date"), "{e}");
        let e = parse_observations(b"name,quantity,node\n", Path::new("o.csv"), &s).unwrap_err().to_string();
        assert!(e.starts_with("o.csv:1: missing column `site`"), "{e}");
        let e = parse_observations(b"name,quantity,nod\n", Path::new("o.csv"), &s).unwrap_err().to_string();
        assert!(e.starts_with("o.csv:1: unknown column `nod`"), "{e}");
        let e = parse_observations(HEADER.as_bytes(), Path::new("o.csv"), &s).unwrap_err().to_string();
        assert_eq!(e, "o.csv:1: no observations after the header");
    }
}
