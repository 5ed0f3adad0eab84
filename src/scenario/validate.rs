//! The one step from the file format to the model: reads the TOML, loads the network it names
//! and checks every value once. Errors carry the file, line, column and field.

use super::file::{BlockadeFile, DayFile, DemandFile, PolicyFile, ScenarioFile, SupplyFile};
use super::{Demand, DemandId, Policy, Rationing, Reserve, Routing, Scenario, Shift, Simulation, Supply};
use crate::blockade::{Blockade, Site};
use crate::calendar::Date;
use crate::input::{Range, is_plain_name};
use crate::network::{Network, NetworkError, NodeId, load_network};
use crate::routing::Router;
use std::cell::Cell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// What can be wrong with a scenario file (or the network it names).
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    #[error("{}: cannot read: {error}", path.display())]
    Read { path: PathBuf, error: std::io::Error },
    #[error("{}:{line}:{column}: {message}", path.display())]
    Syntax { path: PathBuf, line: usize, column: usize, message: String },
    #[error("{}:{line}:{column}: {field}: {message}", path.display())]
    Invalid { path: PathBuf, line: usize, column: usize, field: String, message: String },
    #[error(transparent)]
    Network(#[from] NetworkError),
    #[error("{}: with {assignment}: {message}", path.display())]
    Variant { path: PathBuf, assignment: String, message: String },
}

/// The most convoys one run may dispatch: a guard against a typo such as `convoys_per_day = 1e9`.
const MAX_CONVOYS_PER_RUN: u64 = 2_000_000;
const MAX_HORIZON_DAYS: u32 = 36_500;
/// The longest warm-up: a year of dispatch before day 0.
const MAX_WARM_UP_DAYS: f64 = 365.0;
/// Keeps per-run truck counts far inside their integer types.
const MAX_TRUCKS_PER_CONVOY: u32 = 100_000;
/// The most runs of one simulation (also the `--runs` limit): counts fit in 32 bits.
pub const MAX_RUNS: u64 = 1_000_000_000;

/// Reads, parses and validates a scenario file and the network it names.
pub fn load_scenario(path: &Path) -> Result<Scenario, ScenarioError> {
    let text =
        std::fs::read_to_string(path).map_err(|error| ScenarioError::Read { path: path.to_path_buf(), error })?;
    let base = path.parent().unwrap_or(Path::new("."));
    parse_scenario(&text, path, |rel| load_network(&base.join(rel)))
}

/// Parses and validates scenario text; `load` resolves the `network` key to a network.
pub fn parse_scenario(
    text: &str,
    path: &Path,
    load: impl FnOnce(&str) -> Result<Network, NetworkError>,
) -> Result<Scenario, ScenarioError> {
    let cx = Context::new(path, text);
    if text.trim().is_empty() {
        return Err(cx.syntax(0, "empty file (expected name, network and [simulation])".into()));
    }
    let file: ScenarioFile = toml::from_str(text).map_err(|e| {
        let at = e.span().map(|s| s.start).unwrap_or(0);
        cx.syntax(at, e.message().trim_end_matches('\n').replace('\n', "; "))
    })?;
    let network = load(file.network.get_ref())?;
    let network_dir = path.parent().unwrap_or(Path::new(".")).join(file.network.get_ref());
    cx.build(file, network, network_dir)
}

/// The file being validated: its path and where each line starts.
pub(super) struct Context<'a> {
    path: &'a Path,
    line_starts: Vec<usize>,
    /// `[simulation] start_date`, once read: day keys may then be dates.
    start_date: Cell<Option<Date>>,
}

impl<'a> Context<'a> {
    fn new(path: &'a Path, text: &str) -> Self {
        let line_starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        Context { path, line_starts, start_date: Cell::new(None) }
    }

    /// 1-based line and column of a byte offset.
    fn position(&self, offset: usize) -> (usize, usize) {
        let line = self.line_starts.partition_point(|&s| s <= offset).max(1);
        (line, offset - self.line_starts[line - 1] + 1)
    }

    fn syntax(&self, offset: usize, message: String) -> ScenarioError {
        let (line, column) = self.position(offset);
        ScenarioError::Syntax { path: self.path.to_path_buf(), line, column, message }
    }

    pub(super) fn invalid<T>(&self, at: &Spanned<T>, field: &str, message: String) -> ScenarioError {
        let (line, column) = self.position(at.span().start);
        ScenarioError::Invalid { path: self.path.to_path_buf(), line, column, field: field.to_string(), message }
    }

    pub(super) fn number(&self, v: &Spanned<f64>, field: &str, range: Range) -> Result<f64, ScenarioError> {
        let x = *v.get_ref();
        if range.contains(x) { Ok(x) } else { Err(self.invalid(v, field, format!("expected {range}, found {x}"))) }
    }

    pub(super) fn optional(
        &self,
        v: &Option<Spanned<f64>>,
        field: &str,
        range: Range,
        default: f64,
    ) -> Result<f64, ScenarioError> {
        v.as_ref().map_or(Ok(default), |v| self.number(v, field, range))
    }

    /// A day key: a number, or a date when the scenario has a start date (that many days after
    /// it); in [min, max].
    pub(super) fn day(&self, v: &Spanned<DayFile>, field: &str, min: f64, max: f64) -> Result<f64, ScenarioError> {
        let day = match v.get_ref() {
            toml::Value::Integer(i) => *i as f64,
            toml::Value::Float(x) => *x,
            toml::Value::String(_) | toml::Value::Datetime(_) => {
                let date = self.date(v, field)?;
                let Some(start) = self.start_date.get() else {
                    let msg = format!("a date ({date}) needs [simulation] start_date; or give a day number");
                    return Err(self.invalid(v, field, msg));
                };
                let day = date.days_since(start) as f64;
                if day < min {
                    let msg =
                        format!("{date} is before the earliest allowed date, {}", start.plus_days(min.ceil() as i64));
                    return Err(self.invalid(v, field, msg));
                }
                day
            }
            other => {
                let msg = format!("expected a day number or a date such as 2025-09-04, found {}", describe(other));
                return Err(self.invalid(v, field, msg));
            }
        };
        let range = Range::closed(min, max);
        if range.contains(day) || (max.is_infinite() && day.is_finite() && day >= min) {
            Ok(day)
        } else if max.is_infinite() {
            Err(self.invalid(v, field, format!("expected {}, found {day}", Range { min, max, min_open: false })))
        } else {
            Err(self.invalid(v, field, format!("expected a day from {min} to {max}, found {day}")))
        }
    }

    pub(super) fn optional_day(
        &self,
        v: &Option<Spanned<DayFile>>,
        field: &str,
        min: f64,
        max: f64,
        default: f64,
    ) -> Result<f64, ScenarioError> {
        v.as_ref().map_or(Ok(default), |v| self.day(v, field, min, max))
    }

    /// A date: a TOML local date (`2025-09-04`) or the string "2025-09-04".
    pub(super) fn date(&self, v: &Spanned<DayFile>, field: &str) -> Result<Date, ScenarioError> {
        let expected = "expected a date such as 2025-09-04";
        match v.get_ref() {
            toml::Value::String(s) => Date::parse(s)
                .ok_or_else(|| self.invalid(v, field, format!("{expected}, found \"{}\"", crate::input::clip(s)))),
            toml::Value::Datetime(dt) => match (dt.date, dt.time, dt.offset) {
                (Some(d), None, None) => Date::from_ymd(i64::from(d.year), u32::from(d.month), u32::from(d.day))
                    .ok_or_else(|| self.invalid(v, field, format!("{expected}, found {dt}"))),
                _ => Err(self.invalid(v, field, format!("{expected} (a date without a time), found {dt}"))),
            },
            other => Err(self.invalid(v, field, format!("{expected}, found {}", describe(other)))),
        }
    }

    pub(super) fn node(&self, net: &Network, id: &Spanned<String>, field: &str) -> Result<NodeId, ScenarioError> {
        net.node_id(id.get_ref())
            .ok_or_else(|| self.invalid(id, field, format!("unknown node id `{}` (not in nodes.csv)", id.get_ref())))
    }

    /// A unique, plain name for an entry; `seen` maps names to their line.
    pub(super) fn entry_name(
        &self,
        kind: &str,
        name: &Spanned<String>,
        seen: &mut HashMap<String, usize>,
    ) -> Result<String, ScenarioError> {
        let n = name.get_ref();
        let field = format!("{kind}.name");
        if !is_plain_name(n) {
            let msg = format!("`{n}`: expected letters, digits, '_' and '-' only");
            return Err(self.invalid(name, &field, msg));
        }
        let line = self.position(name.span().start).0;
        if let Some(first) = seen.insert(n.clone(), line) {
            return Err(self.invalid(name, &field, format!("duplicate name `{n}` (first on line {first})")));
        }
        Ok(n.clone())
    }

    fn build(&self, f: ScenarioFile, network: Network, network_dir: PathBuf) -> Result<Scenario, ScenarioError> {
        if !is_plain_name(f.name.get_ref()) {
            let msg =
                format!("`{}`: expected a plain folder name: letters, digits, '_' and '-' only", f.name.get_ref());
            return Err(self.invalid(&f.name, "name", msg));
        }
        let simulation = self.simulation(&f)?;
        let horizon = simulation.horizon();
        let mut demands = Vec::new();
        let mut demand_of: HashMap<NodeId, (DemandId, usize)> = HashMap::new();
        for d in &f.demand {
            let demand = self.demand(&network, d.get_ref())?;
            let line = self.position(d.get_ref().node.span().start).0;
            let id = DemandId(demands.len() as u32);
            if let Some((_, first)) = demand_of.insert(demand.node, (id, line)) {
                let msg = format!("node `{}` already has a [[demand]] (line {first})", d.get_ref().node.get_ref());
                return Err(self.invalid(&d.get_ref().node, "demand.node", msg));
            }
            demands.push(demand);
        }
        if demands.is_empty() {
            return Err(self.invalid(
                &f.simulation,
                "demand",
                "no [[demand]] entry (expected at least one city that consumes)".into(),
            ));
        }
        let mut names = HashMap::new();
        let mut supplies = Vec::new();
        for s in &f.supply {
            supplies.push(self.supply(&network, s.get_ref(), horizon, &demand_of, &mut names)?);
        }
        let mut names = HashMap::new();
        let mut convoys = Vec::new();
        for c in &f.convoy {
            convoys.push(self.convoy(&network, c, &simulation, &demand_of, &mut names)?);
        }
        let warm_up = simulation.warm_up_days;
        let count: u64 =
            supplies.iter().map(|s| s.departures(horizon, warm_up).count() as u64).sum::<u64>() + convoys.len() as u64;
        if count > MAX_CONVOYS_PER_RUN {
            let msg =
                format!("the supplies dispatch {count} convoys per run; at most {MAX_CONVOYS_PER_RUN} are allowed");
            return Err(self.invalid(&f.simulation, "supply", msg));
        }
        let mut names = HashMap::new();
        let mut blockades = Vec::new();
        let scale = simulation.attack_prob_scale;
        for b in &f.blockade {
            let mut blockade = self.blockade(&network, b, horizon, &mut names)?;
            blockade.attack_prob = (blockade.attack_prob * scale).min(1.0);
            blockades.push(blockade);
        }
        let origins = self.origins(&network, &f, &supplies)?;
        let mut names = HashMap::new();
        let mut attackers = Vec::new();
        for a in &f.attacker {
            let mut attacker = self.attacker(&network, a, horizon, &mut names)?;
            attacker.attack_prob = (attacker.attack_prob * scale).min(1.0);
            attackers.push(attacker);
        }
        let escorts = f.escorts.as_ref().map(|e| self.escorts(e, &supplies)).transpose()?;
        let deterrence = f.deterrence.as_ref().map(|d| self.deterrence(d, &supplies)).transpose()?;
        let routing = match &f.routing {
            None => Routing { policy: Policy::Static, detection_delay_days: 0.0 },
            Some(r) => Routing {
                policy: match r.get_ref().policy.as_ref().map(|p| *p.get_ref()) {
                    None | Some(PolicyFile::Static) => Policy::Static,
                    Some(PolicyFile::Avoid) => Policy::Avoid,
                },
                detection_delay_days: self.optional(
                    &r.get_ref().detection_delay_days,
                    "routing.detection_delay_days",
                    Range::NON_NEGATIVE,
                    0.0,
                )?,
            },
        };
        let router = Router::new(&network, &simulation);
        for (s, file) in supplies.iter().zip(&f.supply) {
            if let (Some(shift), Some(at)) = (s.shift, &file.get_ref().shift_to)
                && router.route(shift.to, s.to, |_| false, |_| false).is_none()
            {
                let msg = format!("no route from `{}` to `{}` in the network", at.get_ref(), network.node(s.to).id);
                return Err(self.invalid(at, &format!("supply.{}.shift_to", s.name), msg));
            }
            let field = format!("supply.{}.{}", s.name, if s.via.is_empty() { "to" } else { "via" });
            match &file.get_ref().via {
                Some(at) => self.legs_exist(&router, (s.from, &s.via, s.to), at, &field)?,
                None => self.legs_exist(&router, (s.from, &s.via, s.to), &file.get_ref().to, &field)?,
            }
        }
        for (c, file) in convoys.iter().zip(&f.convoy) {
            let file = file.get_ref();
            match &file.via {
                Some(at) => self.legs_exist(&router, (c.from, &c.via, c.to), at, &format!("convoy.{}.via", c.name))?,
                None => self.legs_exist(&router, (c.from, &c.via, c.to), &file.to, &format!("convoy.{}.to", c.name))?,
            }
        }
        Ok(Scenario {
            name: f.name.into_inner(),
            description: f.description,
            path: self.path.to_path_buf(),
            network_dir,
            network,
            simulation,
            demands,
            supplies,
            blockades,
            routing,
            attackers,
            escorts,
            origins,
            convoys,
            deterrence,
        })
    }

    fn simulation(&self, f: &ScenarioFile) -> Result<Simulation, ScenarioError> {
        let s = f.simulation.get_ref();
        let horizon = *s.horizon_days.get_ref();
        if horizon == 0 || horizon > MAX_HORIZON_DAYS {
            let msg = format!("expected a whole number of days from 1 to {MAX_HORIZON_DAYS}, found {horizon}");
            return Err(self.invalid(&s.horizon_days, "simulation.horizon_days", msg));
        }
        let runs = *s.runs.get_ref();
        if runs == 0 || runs > MAX_RUNS {
            let msg = format!("expected a number of runs from 1 to {MAX_RUNS}, found {runs}");
            return Err(self.invalid(&s.runs, "simulation.runs", msg));
        }
        let start_date = s.start_date.as_ref().map(|d| self.date(d, "simulation.start_date")).transpose()?;
        self.start_date.set(start_date);
        Ok(Simulation {
            start_date,
            warm_up_days: self.optional(
                &s.warm_up_days,
                "simulation.warm_up_days",
                Range::closed(0.0, MAX_WARM_UP_DAYS),
                0.0,
            )?,
            attack_prob_scale: self.optional(
                &s.attack_prob_scale,
                "simulation.attack_prob_scale",
                Range::closed(0.0, 100.0),
                1.0,
            )?,
            horizon_days: horizon,
            runs: *s.runs.get_ref(),
            seed: *s.seed.get_ref(),
            travel_time_cv: self.optional(
                &s.travel_time_cv,
                "simulation.travel_time_cv",
                Range::closed(0.0, 10.0),
                0.0,
            )?,
            default_speed_km_per_day: self.optional(
                &s.default_speed_km_per_day,
                "simulation.default_speed_km_per_day",
                Range::POSITIVE,
                350.0,
            )?,
        })
    }

    fn demand(&self, net: &Network, d: &DemandFile) -> Result<Demand, ScenarioError> {
        let node = self.node(net, &d.node, "demand.node")?;
        let field = |k: &str| format!("demand.{}.{k}", d.node.get_ref());
        let consumption =
            self.number(&d.consumption_m3_per_day, &field("consumption_m3_per_day"), Range::NON_NEGATIVE)?;
        let rationing = match (&d.rationing_factor, &d.rationing_below_days) {
            (None, None) => None,
            (Some(f), Some(days)) => Some(Rationing {
                factor: self.number(f, &field("rationing_factor"), Range::PROBABILITY)?,
                below_m3: self.number(days, &field("rationing_below_days"), Range::NON_NEGATIVE)? * consumption,
            }),
            (Some(f), None) => {
                return Err(self.invalid(f, &field("rationing_factor"), "needs rationing_below_days too".into()));
            }
            (None, Some(days)) => {
                return Err(self.invalid(days, &field("rationing_below_days"), "needs rationing_factor too".into()));
            }
        };
        let reserve = match &d.reserve_m3 {
            None => {
                if let Some(days) = &d.reserve_release_below_days {
                    return Err(self.invalid(
                        days,
                        &field("reserve_release_below_days"),
                        "needs reserve_m3 too".into(),
                    ));
                }
                None
            }
            Some(m3) => Some(Reserve {
                m3: self.number(m3, &field("reserve_m3"), Range::NON_NEGATIVE)?,
                release_below_m3: self.optional(
                    &d.reserve_release_below_days,
                    &field("reserve_release_below_days"),
                    Range::NON_NEGATIVE,
                    0.0,
                )? * consumption,
            }),
        };
        Ok(Demand {
            node,
            consumption_m3_per_day: consumption,
            initial_stock_m3: self.number(&d.initial_stock_m3, &field("initial_stock_m3"), Range::NON_NEGATIVE)?,
            rationing,
            reserve,
        })
    }

    pub(super) fn window(
        &self,
        field: &dyn Fn(&str) -> String,
        start: &Option<Spanned<DayFile>>,
        end: &Option<Spanned<DayFile>>,
        horizon: f64,
    ) -> Result<(f64, f64), ScenarioError> {
        let start_day = self.optional_day(start, &field("start_day"), 0.0, f64::INFINITY, 0.0)?;
        let end_day = self.optional_day(end, &field("end_day"), 0.0, f64::INFINITY, horizon)?;
        if let Some(e) = end.as_ref().filter(|_| end_day < start_day) {
            let msg = format!("end_day {end_day} is before start_day {start_day}");
            return Err(self.invalid(e, &field("end_day"), msg));
        }
        Ok((start_day, end_day))
    }

    fn supply(
        &self,
        net: &Network,
        s: &SupplyFile,
        horizon: f64,
        demand_of: &HashMap<NodeId, (DemandId, usize)>,
        names: &mut HashMap<String, usize>,
    ) -> Result<Supply, ScenarioError> {
        let name = self.entry_name("supply", &s.name, names)?;
        let field = |k: &str| format!("supply.{name}.{k}");
        let from = self.node(net, &s.from, &field("from"))?;
        let to = self.node(net, &s.to, &field("to"))?;
        if from == to {
            return Err(self.invalid(&s.to, &field("to"), "must differ from `from`".into()));
        }
        let demand = demand_of.get(&to).map(|&(d, _)| d).ok_or_else(|| {
            let msg = format!("`{}` has no [[demand]] entry (a supply must end at a demand node)", s.to.get_ref());
            self.invalid(&s.to, &field("to"), msg)
        })?;
        let trucks = *s.trucks_per_convoy.get_ref();
        if trucks == 0 || trucks > MAX_TRUCKS_PER_CONVOY {
            let msg = format!("expected a whole number of trucks from 1 to {MAX_TRUCKS_PER_CONVOY}, found {trucks}");
            return Err(self.invalid(&s.trucks_per_convoy, &field("trucks_per_convoy"), msg));
        }
        let (start_day, end_day) = self.window(&field, &s.start_day, &s.end_day, horizon)?;
        let via = self.via(net, &s.via, (from, to), &field("via"))?;
        Ok(Supply {
            via,
            from,
            to,
            demand,
            convoys_per_day: self.number(&s.convoys_per_day, &field("convoys_per_day"), Range::POSITIVE)?,
            trucks_per_convoy: *s.trucks_per_convoy.get_ref(),
            truck_m3: self.number(&s.truck_m3, &field("truck_m3"), Range::POSITIVE)?,
            escorted: s.escorted.as_ref().is_some_and(|e| *e.get_ref()),
            start_day,
            end_day,
            shift: match (&s.shift_to, &s.shift_share) {
                (None, None) => None,
                (None, Some(share)) => {
                    return Err(self.invalid(share, &field("shift_share"), "needs shift_to too".into()));
                }
                (Some(node), share) => {
                    let to_node = self.node(net, node, &field("shift_to"))?;
                    if to_node == to || to_node == from {
                        return Err(self.invalid(node, &field("shift_to"), "must differ from `from` and `to`".into()));
                    }
                    let share = self.optional(share, &field("shift_share"), Range::PROBABILITY, 1.0)?;
                    Some(Shift { to: to_node, share })
                }
            },
            name,
        })
    }

    /// The road joining two node ids, as a site; errors point at `at`.
    pub(super) fn road<T>(
        &self,
        net: &Network,
        ids: &[String],
        at: &Spanned<T>,
        field: &str,
    ) -> Result<Site, ScenarioError> {
        let [a, z] = ids else {
            let msg = format!("expected two node ids such as [\"kayes\", \"diema\"], found {} items", ids.len());
            return Err(self.invalid(at, field, msg));
        };
        let unknown = |id: &String| self.invalid(at, field, format!("unknown node id `{id}` (not in nodes.csv)"));
        let a_id = net.node_id(a).ok_or_else(|| unknown(a))?;
        let z_id = net.node_id(z).ok_or_else(|| unknown(z))?;
        if net.edges_between(a_id, z_id).next().is_none() {
            return Err(self.invalid(at, field, format!("no road joins `{a}` and `{z}` in edges.csv")));
        }
        Ok(Site::Edge(a_id, z_id))
    }

    fn blockade(
        &self,
        net: &Network,
        spanned: &Spanned<BlockadeFile>,
        horizon: f64,
        names: &mut HashMap<String, usize>,
    ) -> Result<Blockade, ScenarioError> {
        let b = spanned.get_ref();
        let name = self.entry_name("blockade", &b.name, names)?;
        let field = |k: &str| format!("blockade.{name}.{k}");
        let site = match (&b.node, &b.edge) {
            (Some(n), None) => Site::Node(self.node(net, n, &field("node"))?),
            (None, Some(e)) => self.road(net, e.get_ref(), e, &field("edge"))?,
            _ => {
                let msg = "expected exactly one of `node = \"id\"` or `edge = [\"a\", \"b\"]`".to_string();
                return Err(self.invalid(spanned, &format!("blockade.{name}"), msg));
            }
        };
        let (start_day, end_day) = self.window(&field, &b.start_day, &b.end_day, horizon)?;
        Ok(Blockade {
            site,
            start_day,
            end_day,
            attack_prob: self.number(&b.attack_prob, &field("attack_prob"), Range::PROBABILITY)?,
            escort_factor: self.optional(&b.escort_factor, &field("escort_factor"), Range::PROBABILITY, 1.0)?,
            truck_loss_prob: self.optional(&b.truck_loss_prob, &field("truck_loss_prob"), Range::PROBABILITY, 1.0)?,
            hold_days: self.optional(&b.hold_days, &field("hold_days"), Range::NON_NEGATIVE, 0.0)?,
            name,
        })
    }
}

/// A TOML value's kind and (clipped) text, for "found …" in messages.
pub(super) fn describe(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => format!("the string \"{}\"", crate::input::clip(s)),
        toml::Value::Integer(i) => format!("the integer {i}"),
        toml::Value::Float(x) => format!("the number {x}"),
        toml::Value::Boolean(b) => format!("the boolean {b}"),
        toml::Value::Datetime(d) => format!("the date-time {d}"),
        toml::Value::Array(_) => "an array".to_string(),
        toml::Value::Table(_) => "a table".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::test_util::network;

    const GOOD: &str = r#"name = "t"
network = "mem"
[simulation]
horizon_days = 30
runs = 100
seed = 7
[[demand]]
node = "c"
consumption_m3_per_day = 10
initial_stock_m3 = 50
[[supply]]
name = "s"
from = "a"
to = "c"
convoys_per_day = 0.5
trucks_per_convoy = 3
truck_m3 = 45
[[blockade]]
name = "k"
node = "b"
start_day = 2
end_day = 20
attack_prob = 0.5
"#;

    fn parse(text: &str) -> Result<Scenario, ScenarioError> {
        let net = network(&[("a", 0.0), ("b", 0.0), ("c", 0.0), ("z", 0.0)], &[("a", "b", 10.0), ("b", "c", 10.0)]);
        parse_scenario(text, Path::new("s.toml"), |_| Ok(net))
    }

    fn error(text: &str) -> String {
        parse(text).map(|_| ()).unwrap_err().to_string()
    }

    /// GOOD with the first occurrence of `from` replaced by `to`.
    fn with(from: &str, to: &str) -> String {
        assert!(GOOD.contains(from), "{from}");
        GOOD.replacen(from, to, 1)
    }

    #[test]
    fn a_good_scenario_gets_defaults() {
        let s = parse(GOOD).unwrap();
        assert_eq!(s.simulation.default_speed_km_per_day, 350.0);
        assert_eq!(s.simulation.travel_time_cv, 0.0);
        assert_eq!(s.supplies[0].end_day, 30.0);
        assert!(!s.supplies[0].escorted);
        let b = &s.blockades[0];
        assert_eq!((b.escort_factor, b.truck_loss_prob, b.hold_days), (1.0, 1.0, 0.0));
        assert_eq!(s.routing.policy, Policy::Static);
        assert_eq!(s.network_dir, Path::new("mem"));
    }

    #[test]
    fn errors_name_file_line_column_and_field() {
        assert_eq!(
            error(&with("node = \"b\"", "node = \"q\"")),
            "s.toml:20:8: blockade.k.node: unknown node id `q` (not in nodes.csv)"
        );
        assert_eq!(
            error(&with("attack_prob = 0.5", "attack_prob = 1.5")),
            "s.toml:23:15: blockade.k.attack_prob: expected a number from 0 to 1, found 1.5"
        );
        assert_eq!(
            error(&with("end_day = 20", "end_day = 1")),
            "s.toml:22:11: blockade.k.end_day: end_day 1 is before start_day 2"
        );
        assert_eq!(
            error(&with("convoys_per_day = 0.5", "convoys_per_day = -1")),
            "s.toml:15:19: supply.s.convoys_per_day: expected a finite number > 0, found -1"
        );
    }

    #[test]
    fn non_finite_and_negative_numbers_are_rejected() {
        for bad in ["nan", "inf", "-inf", "-5"] {
            let e = error(&with("initial_stock_m3 = 50", &format!("initial_stock_m3 = {bad}")));
            assert!(e.contains("demand.c.initial_stock_m3: expected a finite number >= 0"), "{bad}: {e}");
        }
    }

    #[test]
    fn unknown_keys_and_wrong_types_are_syntax_errors_with_position() {
        let e = error(&with("seed = 7", "seed = 7\nseeed = 8"));
        assert!(e.starts_with("s.toml:7:1: unknown field `seeed`"), "{e}");
        let e = error(&with("runs = 100", "runs = \"many\""));
        assert!(e.starts_with("s.toml:5:8: invalid type: string \"many\", expected u64"), "{e}");
        let e = error(&with("[[blockade]]", "[[blocade]]"));
        assert!(e.starts_with("s.toml:18:"), "{e}");
        assert!(e.contains("unknown field `blocade`"), "{e}");
        let e = error("name = \"t\"\n[simulation\n");
        assert!(e.starts_with("s.toml:2:"), "{e}");
        assert_eq!(error("  \n"), "s.toml:1:1: empty file (expected name, network and [simulation])");
        let e = error(&with("[simulation]", "[routing]\npolicy = \"evade\"\n[simulation]"));
        assert!(e.contains("unknown variant `evade`, expected `static` or `avoid`"), "{e}");
    }

    #[test]
    fn names_must_be_plain_and_unique() {
        let e = error(&with("name = \"t\"", "name = \"../t\""));
        assert!(e.starts_with("s.toml:1:8: name: `../t`: expected a plain folder name"), "{e}");
        let e = error(&format!("{GOOD}[[blockade]]\nname = \"k\"\nnode = \"a\"\nattack_prob = 0.1\n"));
        assert_eq!(e, "s.toml:25:8: blockade.name: duplicate name `k` (first on line 19)");
        let e = error(&format!("{GOOD}[[demand]]\nnode = \"c\"\nconsumption_m3_per_day = 1\ninitial_stock_m3 = 1\n"));
        assert!(e.contains("demand.node: node `c` already has a [[demand]] (line 8)"), "{e}");
    }

    #[test]
    fn sites_and_routes_are_checked() {
        let e = error(&with("node = \"b\"", "node = \"b\"\nedge = [\"a\", \"b\"]"));
        assert!(e.contains("blockade.k: expected exactly one of `node = \"id\"` or `edge = [\"a\", \"b\"]`"), "{e}");
        let e = error(&with("node = \"b\"", "edge = [\"a\", \"c\"]"));
        assert!(e.contains("blockade.k.edge: no road joins `a` and `c` in edges.csv"), "{e}");
        let e = error(&with("node = \"b\"", "edge = [\"a\"]"));
        assert!(e.contains("blockade.k.edge: expected two node ids"), "{e}");
        let e = error(&with("from = \"a\"", "from = \"z\""));
        assert!(e.contains("supply.s.to: no route from `z` to `c` in the network"), "{e}");
        let e = error(&with("to = \"c\"", "to = \"b\""));
        assert!(e.contains("supply.s.to: `b` has no [[demand]] entry"), "{e}");
        let e = error(&with("trucks_per_convoy = 3", "trucks_per_convoy = 0"));
        assert!(
            e.contains("supply.s.trucks_per_convoy: expected a whole number of trucks from 1 to 100000, found 0"),
            "{e}"
        );
        let e = error(&with("horizon_days = 30", "horizon_days = 0"));
        assert!(e.contains("simulation.horizon_days: expected a whole number of days from 1"), "{e}");
        let e = error(&with("runs = 100", "runs = 0"));
        assert!(e.contains("simulation.runs: expected a number of runs from 1 to 1000000000, found 0"), "{e}");
        let e = error(&with("runs = 100", "runs = 1000000001"));
        assert!(e.contains("simulation.runs: expected a number of runs"), "{e}");
        let e = error(&with("trucks_per_convoy = 3", "trucks_per_convoy = 4000000000"));
        assert!(e.contains("found 4000000000"), "{e}");
    }

    #[test]
    fn day_keys_take_dates_from_the_start_date() {
        let dated = |start: &str, day: &str| {
            with("seed = 7", &format!("seed = 7\nstart_date = {start}"))
                .replace("start_day = 2", &format!("start_day = {day}"))
        };
        for start in ["2025-09-04", "\"2025-09-04\""] {
            for day in ["2025-09-06", "\"2025-09-06\"", "2", "2.0"] {
                let s = parse(&dated(start, day)).unwrap();
                assert_eq!(s.blockades[0].start_day, 2.0, "{start} {day}");
                assert_eq!(s.simulation.start_date.unwrap().to_string(), "2025-09-04");
            }
        }
        let e = error(&with("start_day = 2", "start_day = 2025-09-06"));
        assert_eq!(
            e,
            "s.toml:21:13: blockade.k.start_day: a date (2025-09-06) needs [simulation] start_date; or give a day number"
        );
        let e = error(&dated("2025-09-04", "2025-09-01"));
        assert!(e.contains("blockade.k.start_day: 2025-09-01 is before the earliest allowed date, 2025-09-04"), "{e}");
        let e = error(&dated("\"2025-02-30\"", "2"));
        assert!(e.contains("simulation.start_date: expected a date such as 2025-09-04, found \"2025-02-30\""), "{e}");
        let e = error(&dated("2025-09-04T10:00:00", "2"));
        assert!(e.contains("simulation.start_date: expected a date such as 2025-09-04 (a date without a time)"), "{e}");
        let e = error(&dated("2025-09-04", "true"));
        assert!(
            e.contains(
                "blockade.k.start_day: expected a day number or a date such as 2025-09-04, found the boolean true"
            ),
            "{e}"
        );
        let e = error(&with("seed = 7", "seed = 7\nwarm_up_days = 400"));
        assert!(e.contains("simulation.warm_up_days: expected a number from 0 to 365, found 400"), "{e}");
    }

    #[test]
    fn attack_prob_scale_multiplies_every_attack_probability() {
        let s = parse(&with("seed = 7", "seed = 7\nattack_prob_scale = 1.5")).unwrap();
        assert_eq!(s.blockades[0].attack_prob, 0.75);
        let s = parse(&with("seed = 7", "seed = 7\nattack_prob_scale = 3")).unwrap();
        assert_eq!(s.blockades[0].attack_prob, 1.0, "capped at 1");
        let e = error(&with("seed = 7", "seed = 7\nattack_prob_scale = -1"));
        assert!(e.contains("simulation.attack_prob_scale: expected a number from 0 to 100, found -1"), "{e}");
    }

    #[test]
    fn network_errors_pass_through() {
        let e = parse_scenario(GOOD, Path::new("s.toml"), |_| {
            Err(NetworkError::Empty { path: "net/nodes.csv".into(), message: "no rows after the header".into() })
        })
        .unwrap_err();
        assert_eq!(e.to_string(), "net/nodes.csv: no rows after the header");
    }
}
