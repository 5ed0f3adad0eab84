//! provenance.toml: how this particular run was made — threads, date, time taken, command.
//! It is the one output that differs between runs of the same scenario and seed (results are
//! byte-identical for any thread count and any day); the report's provenance block reads it.

use super::ReportError;
use serde::{Deserialize, Serialize};
use std::path::Path;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provenance {
    pub threads: usize,
    /// UTC, "YYYY-MM-DD HH:MM UTC"; from SOURCE_DATE_EPOCH when it is set.
    pub date: String,
    pub simulation_seconds: f64,
    pub command: String,
    /// For a folder merged from shards (`corridor merge`): each shard and how it was made.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shards: Vec<ShardProvenance>,
}

/// One shard of a merged folder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShardProvenance {
    pub file: String,
    /// `I/N`.
    pub shard: String,
    /// Which part of the job it held, such as `runs 0–2,499`.
    pub held: String,
    pub threads: u64,
    pub date: String,
    pub simulation_seconds: f64,
    pub command: String,
}

/// The civil date and time of a Unix time, in UTC.
pub fn utc(seconds: i64) -> String {
    let (days, secs) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    // Howard Hinnant's days-to-civil algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02} {:02}:{:02} UTC", secs / 3600, secs % 3600 / 60)
}

/// Now, or SOURCE_DATE_EPOCH when it is set (for reproducible documents).
pub fn now() -> String {
    let seconds = std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|s| s.parse::<i64>().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
    });
    utc(seconds)
}

pub fn write_provenance(p: &Provenance, path: &Path) -> Result<(), ReportError> {
    let text =
        toml::to_string(p).map_err(|e| ReportError::Encode { path: path.to_path_buf(), message: e.to_string() })?;
    std::fs::write(path, text).map_err(|error| ReportError::Io { path: path.to_path_buf(), error })
}

/// The provenance of a folder, if it has one.
pub fn read_provenance(dir: &Path) -> Option<Provenance> {
    toml::from_str(&std::fs::read_to_string(dir.join("provenance.toml")).ok()?).ok()
}

#[cfg(test)]
mod tests {
    use super::utc;

    #[test]
    fn unix_times_to_utc_dates() {
        assert_eq!(utc(0), "1970-01-01 00:00 UTC");
        assert_eq!(utc(1_756_944_000), "2025-09-04 00:00 UTC");
        assert_eq!(utc(951_782_400 + 3_661), "2000-02-29 01:01 UTC");
    }
}
