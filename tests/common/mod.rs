//! Helpers shared by the integration tests: reading CSV outputs and output folders.
#![allow(dead_code)] // each test file uses some of them

use std::collections::BTreeMap;
use std::path::Path;

/// The rows of a CSV file as maps from column to value.
pub fn rows(path: &Path) -> Vec<BTreeMap<String, String>> {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let headers = r.headers().unwrap().clone();
    r.records()
        .map(|rec| headers.iter().zip(rec.unwrap().iter()).map(|(h, v)| (h.to_string(), v.to_string())).collect())
        .collect()
}

/// A numeric cell.
pub fn f(row: &BTreeMap<String, String>, col: &str) -> f64 {
    row[col].parse().unwrap_or_else(|_| panic!("{col} = {:?}", row.get(col)))
}

/// Every file of a folder, by name.
pub fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap())
        })
        .collect()
}

/// The results of an output folder: every file but those that record how this particular run
/// was made (provenance.toml, and the reports that quote it).
pub fn results(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut f = files(dir);
    for name in ["provenance.toml", "report.html", "report.md"] {
        f.remove(name);
    }
    f
}
