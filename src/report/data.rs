//! An output folder read back: everything the charts and the report need comes from the files
//! a run wrote (meta.toml, summary.csv, daily.csv, blockades.csv, attackers.csv,
//! network.geojson), so `corridor plot` and `corridor report` work on a folder alone, and a run
//! draws its own charts the same way.

use super::Meta;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// What can be wrong with an output folder.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("{}: cannot read: {error} (is this a folder written by `corridor run`, `hindcast`, `compare`, `sweep`, `critical` or `calibrate`?)", path.display())]
    Read { path: PathBuf, error: std::io::Error },
    #[error("{}:{line}: {message}", path.display())]
    Invalid { path: PathBuf, line: u64, message: String },
}

/// One day of one demand node (a row of daily.csv).
#[derive(Debug, Clone, PartialEq)]
pub struct Day {
    pub stock_mean: f64,
    /// 5, 25, 50, 75, 95 %.
    pub stock: [f64; 5],
    pub p_shortage: f64,
    pub p_shortage_by_day: f64,
    pub delivered_cum: f64,
}

/// A demand node: its summary.csv row and its days.
#[derive(Debug, Clone, PartialEq)]
pub struct DemandData {
    pub id: String,
    pub name: String,
    pub consumption: f64,
    pub initial_stock: f64,
    pub p_shortage: f64,
    pub p_shortage_ci: (f64, f64),
    pub first_shortage_day_p50: Option<u32>,
    pub unmet_mean: f64,
    pub unmet_ci95: f64,
    pub delivered_mean: f64,
    pub lost_mean: f64,
    pub lost_ci95: f64,
    pub days: Vec<Day>,
}

/// A row of blockades.csv.
#[derive(Debug, Clone, PartialEq)]
pub struct BlockadeData {
    pub name: String,
    pub site: String,
    pub start: f64,
    pub end: f64,
    pub attack_prob: f64,
    pub truck_loss_prob: f64,
    pub trucks_lost_mean: f64,
    pub lost_mean: f64,
    /// The demand nodes whose convoys' routes meet the site (`None`: not recorded, as in
    /// folders written before the `cities` column).
    pub cities: Option<Vec<String>>,
}

/// A row of attackers.csv.
#[derive(Debug, Clone, PartialEq)]
pub struct AttackerRow {
    pub attacker: String,
    pub policy: String,
    pub period: usize,
    pub start: f64,
    pub end: f64,
    pub site: String,
    pub held_share: f64,
    pub attack_prob: f64,
    /// As for a blockade: the demand nodes whose routes meet the site.
    pub cities: Option<Vec<String>>,
}

impl BlockadeData {
    /// Whether the blockade stands on a route to demand node `city` (or might: not recorded).
    pub fn reaches(&self, city: &str) -> bool {
        self.cities.as_ref().is_none_or(|c| c.iter().any(|x| x == city))
    }
}

impl AttackerRow {
    /// Whether the site is on a route to demand node `city` (or might: not recorded).
    pub fn reaches(&self, city: &str) -> bool {
        self.cities.as_ref().is_none_or(|c| c.iter().any(|x| x == city))
    }
}

/// A node of network.geojson.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeData {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub lon: f64,
    pub lat: f64,
    pub p_shortage: Option<f64>,
    pub blockade_attack_prob: f64,
    /// Share of the horizon an attacker holds the site (0 when none may stand there).
    pub attacker_held_share: f64,
    pub attacker_attack_prob: f64,
}

/// A road of network.geojson.
#[derive(Debug, Clone, PartialEq)]
pub struct RoadData {
    pub from: String,
    pub to: String,
    pub road: String,
    pub ends: [(f64, f64); 2],
    pub trucks_mean: f64,
    pub trucks_lost_mean: f64,
    pub blockade_attack_prob: f64,
    pub attacker_held_share: f64,
    pub attacker_attack_prob: f64,
}

/// An output folder, read back.
#[derive(Debug, Clone, PartialEq)]
pub struct OutputData {
    pub meta: Meta,
    pub demands: Vec<DemandData>,
    pub blockades: Vec<BlockadeData>,
    pub attackers: Vec<AttackerRow>,
    pub nodes: Vec<NodeData>,
    pub roads: Vec<RoadData>,
    /// The scores of a hindcast folder (hindcast.csv, losses_daily.csv), when it is one.
    pub hindcast: Option<super::HindcastData>,
}

impl OutputData {
    pub fn horizon(&self) -> f64 {
        f64::from(self.meta.horizon_days)
    }

    pub fn footer(&self) -> String {
        self.meta.footer()
    }

    /// How days are named: by date from meta.toml's `start_date`, else by number.
    pub fn calendar(&self) -> crate::calendar::Calendar {
        self.meta.calendar()
    }

    /// The display name of node `id` (the id when it is not in the network).
    pub fn node_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.nodes.iter().find(|n| n.id == id).map_or(id, |n| n.name.as_str())
    }

    /// A site as written in blockades.csv (`kayes` or `kayes–diema`) with display names:
    /// `Kayes–Diéma`.
    pub fn site_name(&self, site: &str) -> String {
        site.split('–').map(|id| self.node_name(id)).collect::<Vec<_>>().join("–")
    }

    pub fn load(dir: &Path) -> Result<OutputData, OutputError> {
        let meta: Meta = read_toml(&dir.join("meta.toml"))?;
        let mut demands = Vec::new();
        let summary = Csv::read(&dir.join("summary.csv"))?;
        for row in &summary.rows {
            let first = summary.text(row, "first_shortage_day_p50")?;
            demands.push(DemandData {
                id: summary.text(row, "node")?.to_string(),
                name: summary.text(row, "name")?.to_string(),
                consumption: summary.num(row, "consumption_m3_per_day")?,
                initial_stock: summary.num(row, "initial_stock_m3")?,
                p_shortage: summary.num(row, "p_shortage")?,
                p_shortage_ci: (summary.num(row, "p_shortage_ci95_low")?, summary.num(row, "p_shortage_ci95_high")?),
                first_shortage_day_p50: if first.is_empty() {
                    None
                } else {
                    Some(summary.num(row, "first_shortage_day_p50")? as u32)
                },
                unmet_mean: summary.num(row, "unmet_m3_mean")?,
                unmet_ci95: summary.num(row, "unmet_m3_ci95")?,
                delivered_mean: summary.num(row, "delivered_m3_mean")?,
                lost_mean: summary.num(row, "lost_m3_mean")?,
                lost_ci95: summary.num(row, "lost_m3_ci95")?,
                days: Vec::new(),
            });
        }
        let daily = Csv::read(&dir.join("daily.csv"))?;
        for row in &daily.rows {
            let node = daily.text(row, "node")?;
            let d = demands
                .iter_mut()
                .find(|d| d.id == node)
                .ok_or_else(|| daily.invalid(row, format!("node `{node}` is not in summary.csv")))?;
            let q = |c: &str| daily.num(row, c);
            d.days.push(Day {
                stock_mean: q("stock_mean")?,
                stock: [q("stock_p05")?, q("stock_p25")?, q("stock_p50")?, q("stock_p75")?, q("stock_p95")?],
                p_shortage: q("p_shortage")?,
                p_shortage_by_day: q("p_shortage_by_day")?,
                delivered_cum: q("delivered_cum_m3_mean")?,
            });
        }
        if let Some(d) = demands.iter().find(|d| d.days.len() != meta.horizon_days as usize) {
            return Err(OutputError::Invalid {
                path: dir.join("daily.csv"),
                line: 1,
                message: format!("{} has {} days, meta.toml says {}", d.id, d.days.len(), meta.horizon_days),
            });
        }
        let b = Csv::read(&dir.join("blockades.csv"))?;
        let blockades = b
            .rows
            .iter()
            .map(|row| {
                Ok(BlockadeData {
                    name: b.text(row, "name")?.to_string(),
                    site: b.text(row, "site")?.to_string(),
                    start: b.num(row, "start_day")?,
                    end: b.num(row, "end_day")?,
                    attack_prob: b.num(row, "attack_prob")?,
                    truck_loss_prob: b.num(row, "truck_loss_prob")?,
                    trucks_lost_mean: b.num(row, "trucks_lost_mean")?,
                    lost_mean: b.num(row, "lost_m3_mean")?,
                    cities: b.list(row, "cities"),
                })
            })
            .collect::<Result<_, OutputError>>()?;
        let attackers_path = dir.join("attackers.csv");
        let attackers = if attackers_path.exists() {
            let a = Csv::read(&attackers_path)?;
            a.rows
                .iter()
                .map(|row| {
                    Ok(AttackerRow {
                        attacker: a.text(row, "attacker")?.to_string(),
                        policy: a.text(row, "policy")?.to_string(),
                        period: a.num(row, "period")? as usize,
                        start: a.num(row, "start_day")?,
                        end: a.num(row, "end_day")?,
                        site: a.text(row, "site")?.to_string(),
                        held_share: a.num(row, "held_share")?,
                        attack_prob: a.num(row, "attack_prob")?,
                        cities: a.list(row, "cities"),
                    })
                })
                .collect::<Result<_, OutputError>>()?
        } else {
            Vec::new()
        };
        let (nodes, roads) = read_geojson(&dir.join("network.geojson"))?;
        let hindcast = super::HindcastData::load(dir, meta.calendar())?;
        Ok(OutputData { meta, demands, blockades, attackers, nodes, roads, hindcast })
    }
}

/// The nodes and roads of network.geojson, read as typed records from a buffered reader (no
/// document tree in memory).
fn read_geojson(path: &Path) -> Result<(Vec<NodeData>, Vec<RoadData>), OutputError> {
    use super::geojson::{Feature, Geometry, Properties};
    #[derive(serde::Deserialize)]
    struct Collection {
        features: Vec<Feature>,
    }
    let file = std::fs::File::open(path).map_err(|error| OutputError::Read { path: path.to_path_buf(), error })?;
    let collection: Collection = serde_json::from_reader(std::io::BufReader::new(file)).map_err(|e| {
        let message = crate::input::clip_quoted(&e.to_string());
        OutputError::Invalid { path: path.to_path_buf(), line: e.line() as u64, message }
    })?;
    let (mut nodes, mut roads) = (Vec::new(), Vec::new());
    for f in collection.features {
        let bad = |what: &str| OutputError::Invalid {
            path: path.to_path_buf(),
            line: 1,
            message: format!("a {what} feature without its geometry"),
        };
        match (f.properties, f.geometry) {
            (Properties::Node(p), Geometry::Point { coordinates: [lon, lat] }) => nodes.push(NodeData {
                id: p.id,
                name: p.name,
                kind: p.kind,
                lon,
                lat,
                p_shortage: p.results.map(|r| r.p_shortage),
                blockade_attack_prob: p.blockade_attack_prob,
                attacker_held_share: p.attacker_held_share,
                attacker_attack_prob: p.attacker_attack_prob,
            }),
            (Properties::Road(p), Geometry::LineString { coordinates }) => {
                let [a, b] = coordinates.as_slice() else { return Err(bad("road")) };
                roads.push(RoadData {
                    from: p.from,
                    to: p.to,
                    road: p.road,
                    ends: [(a[0], a[1]), (b[0], b[1])],
                    trucks_mean: p.trucks_mean,
                    trucks_lost_mean: p.trucks_lost_mean,
                    blockade_attack_prob: p.blockade_attack_prob,
                    attacker_held_share: p.attacker_held_share,
                    attacker_attack_prob: p.attacker_attack_prob,
                })
            }
            (Properties::Node(_), _) => return Err(bad("node")),
            (Properties::Road(_), _) => return Err(bad("road")),
        }
    }
    Ok((nodes, roads))
}

/// A TOML file of an output folder (meta.toml, compare.toml, …), read into `T`.
pub(super) fn read_toml<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, OutputError> {
    let text = std::fs::read_to_string(path).map_err(|error| OutputError::Read { path: path.to_path_buf(), error })?;
    toml::from_str(&text).map_err(|e| OutputError::Invalid {
        path: path.to_path_buf(),
        line: e.span().map_or(1, |s| text[..s.start].lines().count().max(1) as u64),
        message: e.message().to_string(),
    })
}

/// A CSV file read by column name.
pub(super) struct Csv {
    path: PathBuf,
    columns: HashMap<String, usize>,
    pub(super) rows: Vec<(u64, csv::StringRecord)>,
}

impl Csv {
    pub(super) fn read(path: &Path) -> Result<Csv, OutputError> {
        let bytes = std::fs::read(path).map_err(|error| OutputError::Read { path: path.to_path_buf(), error })?;
        let invalid = |e: csv::Error| OutputError::Invalid {
            path: path.to_path_buf(),
            line: e.position().map_or(1, |p| p.line()),
            message: e.to_string(),
        };
        let mut r = csv::Reader::from_reader(bytes.as_slice());
        let columns = r.headers().map_err(invalid)?.iter().enumerate().map(|(i, h)| (h.to_string(), i)).collect();
        let rows = r
            .records()
            .map(|rec| rec.map(|rec| (rec.position().map_or(0, |p| p.line()), rec)).map_err(invalid))
            .collect::<Result<_, _>>()?;
        Ok(Csv { path: path.to_path_buf(), columns, rows })
    }

    fn invalid(&self, (line, _): &(u64, csv::StringRecord), message: String) -> OutputError {
        OutputError::Invalid { path: self.path.clone(), line: *line, message }
    }

    pub(super) fn text<'r>(&self, row: &'r (u64, csv::StringRecord), column: &str) -> Result<&'r str, OutputError> {
        let i = self.columns.get(column).ok_or_else(|| OutputError::Invalid {
            path: self.path.clone(),
            line: 1,
            message: format!("missing column `{column}` (written by an older corridor? run it again)"),
        })?;
        Ok(row.1.get(*i).unwrap_or(""))
    }

    /// Whether the file has the column.
    pub(super) fn has(&self, column: &str) -> bool {
        self.columns.contains_key(column)
    }

    /// A list column (`a;b;c`), or `None` when the file has no such column.
    pub(super) fn list(&self, row: &(u64, csv::StringRecord), column: &str) -> Option<Vec<String>> {
        let i = self.columns.get(column)?;
        let cell = row.1.get(*i).unwrap_or("");
        Some(cell.split(';').filter(|s| !s.is_empty()).map(str::to_string).collect())
    }

    pub(super) fn num(&self, row: &(u64, csv::StringRecord), column: &str) -> Result<f64, OutputError> {
        let t = self.text(row, column)?;
        t.parse().map_err(|_| self.invalid(row, format!("`{column}`: expected a number, found `{t}`")))
    }
}
