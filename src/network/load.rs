//! Reads `nodes.csv` and `edges.csv` from a network folder and checks them once, so that every
//! later stage can trust ids, lengths and coordinates. Every error names the file, the line and
//! the field.

use super::{Edge, Network, Node, NodeId, NodeKind};
use crate::input::Range;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// What can be wrong with a network folder.
#[derive(Debug, thiserror::Error)]
pub enum NetworkError {
    #[error("{}: cannot read: {error}", path.display())]
    Read { path: PathBuf, error: std::io::Error },
    #[error("{}:{line}: {message}", path.display())]
    Malformed { path: PathBuf, line: u64, message: String },
    #[error("{}: {message}", path.display())]
    Empty { path: PathBuf, message: String },
    #[error("{}:1: missing column `{column}` (expected columns: {expected})", path.display())]
    MissingColumn { path: PathBuf, column: String, expected: String },
    #[error("{}:1: unknown column `{column}` (allowed columns: {expected})", path.display())]
    UnknownColumn { path: PathBuf, column: String, expected: String },
    #[error("{}:{line}: field `{field}`: {message}", path.display())]
    Invalid { path: PathBuf, line: u64, field: String, message: String },
}

const NODE_COLUMNS: &[&str] = &["id", "name", "country", "kind", "lat", "lon"];
const NODE_OPTIONAL: &[&str] = &["delay_mean_days", "delay_cv", "capacity_trucks_per_day"];
const EDGE_COLUMNS: &[&str] = &["from", "to", "road", "length_km"];
const EDGE_OPTIONAL: &[&str] = &["speed_km_per_day", "capacity_trucks_per_day"];

/// The most bytes of nodes.csv or edges.csv (about 1.5 million rows): a larger file is refused
/// before it is read.
pub const MAX_FILE_BYTES: u64 = 100_000_000;

/// The bytes of a file of at most `max` bytes.
fn read_limited(path: &Path, max: u64) -> Result<Vec<u8>, NetworkError> {
    let read = |error| NetworkError::Read { path: path.to_path_buf(), error };
    let size = std::fs::metadata(path).map_err(read)?.len();
    if size > max {
        let message = format!("the file has {size} bytes; a network file may have at most {max}");
        return Err(NetworkError::Malformed { path: path.to_path_buf(), line: 1, message });
    }
    std::fs::read(path).map_err(read)
}

/// Loads `dir/nodes.csv` and `dir/edges.csv`.
pub fn load_network(dir: &Path) -> Result<Network, NetworkError> {
    let read = |name: &str| read_limited(&dir.join(name), MAX_FILE_BYTES);
    network_from_csv(dir, &read("nodes.csv")?, &read("edges.csv")?)
}

/// The network of the contents of `dir/nodes.csv` and `dir/edges.csv` (as read earlier, such
/// as from a shard's partial file); errors name those files.
pub fn network_from_csv(dir: &Path, nodes_csv: &[u8], edges_csv: &[u8]) -> Result<Network, NetworkError> {
    let nodes = read_nodes(&dir.join("nodes.csv"), nodes_csv)?;
    let by_id: HashMap<&str, NodeId> =
        nodes.iter().enumerate().map(|(i, n)| (n.id.as_str(), NodeId(i as u32))).collect();
    let edges = read_edges(&dir.join("edges.csv"), edges_csv, &by_id)?;
    Ok(Network::new(nodes, edges))
}

/// One CSV file being read: its path, column positions and the current line.
struct Table {
    path: PathBuf,
    columns: HashMap<String, usize>,
    rows: Vec<(u64, csv::StringRecord)>,
}

impl Table {
    fn open(path: &Path, bytes: &[u8], required: &[&str], optional: &[&str]) -> Result<Table, NetworkError> {
        let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(bytes);
        let malformed = |e: csv::Error| {
            let line = e.position().map(|p| p.line()).unwrap_or(1);
            let message = match e.kind() {
                csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
                    format!("row has {len} fields, expected {expected_len} (truncated or extra field?)")
                }
                csv::ErrorKind::Utf8 { .. } => "not valid UTF-8".to_string(),
                _ => e.to_string(),
            };
            NetworkError::Malformed { path: path.to_path_buf(), line, message }
        };
        let headers = reader.headers().map_err(malformed)?.clone();
        if headers.iter().all(|h| h.is_empty()) {
            return Err(NetworkError::Empty {
                path: path.to_path_buf(),
                message: format!("empty file (expected a header: {})", required.join(",")),
            });
        }
        let expected = required.iter().chain(optional).copied().collect::<Vec<_>>().join(", ");
        let mut columns = HashMap::new();
        for (i, h) in headers.iter().enumerate() {
            let h = h.trim_start_matches('\u{feff}');
            if !required.contains(&h) && !optional.contains(&h) {
                let column = crate::input::clip(h);
                return Err(NetworkError::UnknownColumn { path: path.to_path_buf(), column, expected });
            }
            if columns.insert(h.to_string(), i).is_some() {
                return Err(NetworkError::Malformed {
                    path: path.to_path_buf(),
                    line: 1,
                    message: format!("column `{}` appears twice", crate::input::clip(h)),
                });
            }
        }
        if let Some(missing) = required.iter().find(|c| !columns.contains_key(**c)) {
            return Err(NetworkError::MissingColumn {
                path: path.to_path_buf(),
                column: missing.to_string(),
                expected,
            });
        }
        let mut rows = Vec::new();
        for record in reader.records() {
            let record = record.map_err(malformed)?;
            let line = record.position().map(|p| p.line()).unwrap_or(0);
            rows.push((line, record));
        }
        if rows.is_empty() {
            return Err(NetworkError::Empty {
                path: path.to_path_buf(),
                message: "no rows after the header".to_string(),
            });
        }
        Ok(Table { path: path.to_path_buf(), columns, rows })
    }

    fn invalid(&self, line: u64, field: &str, message: String) -> NetworkError {
        let message = crate::input::clip_quoted(&message);
        NetworkError::Invalid { path: self.path.clone(), line, field: field.to_string(), message }
    }

    /// The text of `field` on a row; "" where the optional column is absent.
    fn text<'r>(&self, row: &'r csv::StringRecord, field: &str) -> &'r str {
        self.columns.get(field).and_then(|&i| row.get(i)).unwrap_or("")
    }

    fn required_text<'r>(
        &self,
        (line, row): &'r (u64, csv::StringRecord),
        field: &str,
    ) -> Result<&'r str, NetworkError> {
        let s = self.text(row, field);
        if s.is_empty() {
            return Err(self.invalid(*line, field, "is empty (expected a value)".to_string()));
        }
        Ok(s)
    }

    /// A number in `range`; `default` where the cell is empty, or an error if there is none.
    fn number(
        &self,
        (line, row): &(u64, csv::StringRecord),
        field: &str,
        range: Range,
        default: Option<f64>,
    ) -> Result<Option<f64>, NetworkError> {
        let s = self.text(row, field);
        if s.is_empty() {
            return match default {
                Some(d) => Ok(Some(d).filter(|d| !d.is_nan())),
                None => Err(self.invalid(*line, field, "is empty (expected a number)".to_string())),
            };
        }
        let v: f64 = s.parse().map_err(|_| self.invalid(*line, field, format!("expected a number, found `{s}`")))?;
        if !range.contains(v) {
            return Err(self.invalid(*line, field, format!("expected {range}, found `{s}`")));
        }
        Ok(Some(v))
    }
}

/// Marks an optional numeric column whose empty cell means "none".
const ABSENT: Option<f64> = Some(f64::NAN);

fn read_nodes(path: &Path, bytes: &[u8]) -> Result<Vec<Node>, NetworkError> {
    let t = Table::open(path, bytes, NODE_COLUMNS, NODE_OPTIONAL)?;
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut nodes = Vec::with_capacity(t.rows.len());
    for row in &t.rows {
        let line = row.0;
        let id = t.required_text(row, "id")?;
        if !id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_') {
            return Err(t.invalid(line, "id", format!("`{id}`: expected only a-z, 0-9 and '_'")));
        }
        if let Some(first) = seen.insert(id.to_string(), line) {
            return Err(t.invalid(line, "id", format!("duplicate id `{id}` (first on line {first})")));
        }
        let country = t.required_text(row, "country")?;
        if country.len() != 2 || !country.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(t.invalid(
                line,
                "country",
                format!("expected an ISO 3166 alpha-2 code such as ML, found `{country}`"),
            ));
        }
        let kind_text = t.required_text(row, "kind")?;
        let kind = NodeKind::parse(kind_text).ok_or_else(|| {
            t.invalid(line, "kind", format!("expected one of {}, found `{kind_text}`", NodeKind::NAMES.join(", ")))
        })?;
        let (lat, lon) = (Range::closed(-90.0, 90.0), Range::closed(-180.0, 180.0));
        nodes.push(Node {
            id: id.to_string(),
            name: t.required_text(row, "name")?.to_string(),
            country: country.to_string(),
            kind,
            lat: t.number(row, "lat", lat, None)?.unwrap_or_default(),
            lon: t.number(row, "lon", lon, None)?.unwrap_or_default(),
            delay_mean_days: t.number(row, "delay_mean_days", Range::NON_NEGATIVE, Some(0.0))?.unwrap_or_default(),
            delay_cv: t.number(row, "delay_cv", Range::closed(0.0, 10.0), Some(0.0))?.unwrap_or_default(),
            capacity_trucks_per_day: t.number(row, "capacity_trucks_per_day", Range::POSITIVE, ABSENT)?,
        });
    }
    Ok(nodes)
}

fn read_edges(path: &Path, bytes: &[u8], by_id: &HashMap<&str, NodeId>) -> Result<Vec<Edge>, NetworkError> {
    let t = Table::open(path, bytes, EDGE_COLUMNS, EDGE_OPTIONAL)?;
    let mut edges = Vec::with_capacity(t.rows.len());
    for row in &t.rows {
        let line = row.0;
        let node = |field: &str| -> Result<NodeId, NetworkError> {
            let id = t.required_text(row, field)?;
            by_id
                .get(id)
                .copied()
                .ok_or_else(|| t.invalid(line, field, format!("unknown node id `{id}` (not in nodes.csv)")))
        };
        let (from, to) = (node("from")?, node("to")?);
        if from == to {
            return Err(t.invalid(line, "to", "an edge must join two different nodes".to_string()));
        }
        edges.push(Edge {
            from,
            to,
            road: t.text(&row.1, "road").to_string(),
            length_km: t.number(row, "length_km", Range::POSITIVE, None)?.unwrap_or_default(),
            speed_km_per_day: t.number(row, "speed_km_per_day", Range::POSITIVE, ABSENT)?,
            capacity_trucks_per_day: t.number(row, "capacity_trucks_per_day", Range::POSITIVE, ABSENT)?,
        });
    }
    Ok(edges)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder(nodes: &str, edges: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("nodes.csv"), nodes).unwrap();
        std::fs::write(dir.path().join("edges.csv"), edges).unwrap();
        dir
    }

    const NODES: &str = "id,name,country,kind,lat,lon,delay_mean_days\n\
        a,A,SN,port,14.6,-17.4,\nb,B,ML,border,14.4,-12.2,1.5\nc,C,ML,city,12.6,-8.0,\n";

    fn error(nodes: &str, edges: &str) -> String {
        let dir = folder(nodes, edges);
        load_network(dir.path()).unwrap_err().to_string()
    }

    #[test]
    fn loads_nodes_and_edges_with_defaults() {
        let dir = folder(NODES, "from,to,road,length_km,speed_km_per_day\na,b,N1,600,\nb,c,RN1,300,250\n");
        let net = load_network(dir.path()).unwrap();
        assert_eq!(net.nodes().len(), 3);
        assert_eq!(net.node(NodeId(1)).delay_mean_days, 1.5);
        assert_eq!(net.node(NodeId(0)).delay_mean_days, 0.0);
        assert_eq!(net.edges()[0].speed_km_per_day, None);
        assert_eq!(net.edges()[1].speed_km_per_day, Some(250.0));
        assert_eq!(net.edges()[1].capacity_trucks_per_day, None);
    }

    #[test]
    fn rejects_unknown_node_with_line_and_field() {
        let e = error(NODES, "from,to,road,length_km\na,b,N1,600\nb,zz,RN1,300\n");
        assert!(e.ends_with("edges.csv:3: field `to`: unknown node id `zz` (not in nodes.csv)"), "{e}");
    }

    #[test]
    fn rejects_duplicate_ids() {
        let e = error(&format!("{NODES}a,A2,SN,port,1,1,\n"), "from,to,road,length_km\na,b,N1,1\n");
        assert!(e.contains("nodes.csv:5: field `id`: duplicate id `a` (first on line 2)"), "{e}");
    }

    #[test]
    fn rejects_bad_numbers() {
        let edges = |len: &str| format!("from,to,road,length_km\na,b,N1,{len}\n");
        for bad in ["-5", "0", "NaN", "inf", "ten"] {
            let e = error(NODES, &edges(bad));
            assert!(e.contains("edges.csv:2: field `length_km`: expected"), "{bad}: {e}");
        }
        let e = error(&NODES.replace("14.6", "95"), &edges("1"));
        assert!(e.contains("field `lat`: expected a number from -90 to 90, found `95`"), "{e}");
    }

    #[test]
    fn rejects_missing_unknown_and_truncated() {
        let e = error("id,name,country,kind,lat\na,A,SN,port,1\n", "");
        assert!(e.contains("missing column `lon`"), "{e}");
        let e = error(NODES, "from,to,road,length_km,lanes\na,b,N1,1,2\n");
        assert!(e.contains("edges.csv:1: unknown column `lanes`"), "{e}");
        let e = error(NODES, "from,to,road,length_km\na,b,N1,1\nb,c\n");
        assert!(e.contains("edges.csv:3: row has 2 fields, expected 4"), "{e}");
        let e = error(NODES, "");
        assert!(e.contains("edges.csv: empty file"), "{e}");
        let e = error(NODES, "from,to,road,length_km\n");
        assert!(e.contains("edges.csv: no rows after the header"), "{e}");
    }

    #[test]
    fn rejects_bad_ids_kinds_and_countries() {
        let edges = "from,to,road,length_km\na,b,N1,1\n";
        let e = error(&NODES.replace("a,A,SN", "A-1,A,SN"), edges);
        assert!(e.contains("field `id`: `A-1`: expected only a-z, 0-9 and '_'"), "{e}");
        let e = error(&NODES.replace("port", "harbour"), edges);
        assert!(e.contains("field `kind`: expected one of port, depot"), "{e}");
        let e = error(&NODES.replace("SN", "SEN"), edges);
        assert!(e.contains("field `country`: expected an ISO 3166 alpha-2 code"), "{e}");
        let e = error(NODES, "from,to,road,length_km\na,a,N1,1\n");
        assert!(e.contains("field `to`: an edge must join two different nodes"), "{e}");
    }

    #[test]
    fn files_above_the_limit_are_refused_before_they_are_read() {
        let dir = folder(NODES, "from,to,road,length_km\na,b,N1,1\n");
        let path = dir.path().join("nodes.csv");
        assert!(read_limited(&path, 1000).is_ok());
        let e = read_limited(&path, 10).unwrap_err().to_string();
        assert!(e.ends_with("nodes.csv:1: the file has 121 bytes; a network file may have at most 10"), "{e}");
    }

    #[test]
    fn missing_folder_is_a_read_error() {
        let e = load_network(Path::new("/nonexistent/net")).unwrap_err().to_string();
        assert!(e.starts_with("/nonexistent/net/nodes.csv: cannot read"), "{e}");
    }
}
