//! `corridor plot` options (--out, --only, --format pdf, --days), dates on time axes, the
//! `cities` column and per-city fan charts, and `report` on every kind of folder.

mod common;

use assert_cmd::Command;
use common::{files, rows};
use std::path::{Path, PathBuf};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data");

fn corridor(args: &[&str]) -> assert_cmd::assert::Assert {
    Command::cargo_bin("corridor").unwrap().args(args).assert()
}

/// mixed.toml, with a start date when `dated`.
fn run_mixed(dir: &Path, dated: bool) -> PathBuf {
    let out = dir.join(if dated { "dated" } else { "out" });
    let mut scenario = format!("{DATA}/mixed.toml");
    if dated {
        let text = std::fs::read_to_string(&scenario).unwrap();
        let text = text
            .replace("network = \"line\"", &format!("network = \"{DATA}/line\""))
            .replace("horizon_days = 40", "horizon_days = 120")
            .replacen("[simulation]", "[simulation]\nstart_date = 2025-09-04", 1);
        scenario = dir.join("dated.toml").to_str().unwrap().to_string();
        std::fs::write(&scenario, text).unwrap();
    }
    corridor(&["run", &scenario, "--runs", "100", "--quiet", "--out", out.to_str().unwrap()]).success();
    out
}

#[test]
fn plot_out_only_and_pdf_write_the_charts_asked_for_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_mixed(dir.path(), false);
    let before = files(&out);
    let figures = dir.path().join("figures");
    corridor(&[
        "plot",
        out.to_str().unwrap(),
        "--out",
        figures.to_str().unwrap(),
        "--only",
        "stock_c,network_map",
        "--format",
        "svg,png,pdf",
        "--palette",
        "greyscale",
        "--quiet",
    ])
    .success();
    let written: Vec<String> = files(&figures).into_keys().collect();
    assert_eq!(
        written,
        ["network_map.pdf", "network_map.png", "network_map.svg", "stock_c.pdf", "stock_c.png", "stock_c.svg"]
    );
    assert_eq!(files(&out), before, "the run's folder is left as it was");
    // (svg2pdf orders a PDF's resources by a hash: the drawing is the same every time, not
    // always the bytes.)
    let pdf = std::fs::read(figures.join("stock_c.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let text = String::from_utf8_lossy(&pdf);
    assert!(text.contains("DejaVu") && text.contains("/FontFile2"), "the font is embedded");
    // One page of the chart's size, at 96 pixels to the inch (mixed's charts are 1200 × 700).
    assert!(text.contains("/MediaBox [0 0 900 525]"), "page size");
}

#[test]
fn plot_only_with_an_unknown_chart_is_a_usage_error_naming_the_charts() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_mixed(dir.path(), false);
    let a = corridor(&["plot", out.to_str().unwrap(), "--only", "stock_x"]).code(2);
    let stderr = String::from_utf8(a.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("--only stock_x") && stderr.contains("stock_c, stock_d"), "{stderr}");
}

#[test]
fn time_axes_show_dates_from_the_start_date_and_day_numbers_with_days() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_mixed(dir.path(), true);
    let svg = |name: &str| std::fs::read_to_string(out.join(format!("{name}.svg"))).unwrap();
    for chart in ["stock_c", "shortage_probability", "fuel_c", "first_shortage_day"] {
        let s = svg(chart);
        assert!(s.contains("day 0 = 4 Sep 2025"), "{chart}: the axis says when day 0 is");
        assert!(s.contains("Oct 2025") && s.contains("Nov 2025"), "{chart}: month ticks");
    }
    corridor(&["plot", out.to_str().unwrap(), "--days", "--format", "svg", "--quiet"]).success();
    let s = svg("stock_c");
    assert!(s.contains("Days since the scenario starts") && !s.contains("Oct 2025"), "--days keeps day numbers");
    // Without a start date, day numbers.
    let plain = run_mixed(dir.path(), false);
    let s = std::fs::read_to_string(plain.join("stock_c.svg")).unwrap();
    assert!(s.contains("Days since the scenario starts") && !s.contains("2025"));
}

#[test]
fn fan_charts_show_only_the_blockades_on_routes_to_their_city() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_mixed(dir.path(), false);
    let blockades = rows(&out.join("blockades.csv"));
    let cities: Vec<(&str, &str)> = blockades.iter().map(|r| (r["name"].as_str(), r["cities"].as_str())).collect();
    // Convoys to d go a–d; to c, a–b–c, or a–d–c round the known blockade at b.
    assert_eq!(cities, [("border", "c"), ("road", "c")]);
    let c = std::fs::read_to_string(out.join("stock_c.svg")).unwrap();
    assert!(c.contains("Blockades on routes to City C") && c.contains("(border)") && c.contains("(road)"));
    assert!(c.contains("Share of runs short on that day"), "the shortage strip");
    let d = std::fs::read_to_string(out.join("stock_d.svg")).unwrap();
    assert!(
        !d.contains("(border)") && !d.contains("(road)") && !d.contains("Blockades on routes"),
        "no blockade reaches d"
    );
}

#[test]
fn report_works_on_compare_sweep_and_critical_folders() {
    let dir = tempfile::tempdir().unwrap();
    let a = format!("{DATA}/mixed.toml");
    let text = std::fs::read_to_string(&a).unwrap();
    let text =
        text.replace("name = \"mixed\"", "name = \"stronger\"").replace("attack_prob = 0.4", "attack_prob = 0.8");
    let b = dir.path().join("stronger.toml");
    std::fs::write(&b, text.replace("network = \"line\"", &format!("network = \"{DATA}/line\""))).unwrap();
    let compare = dir.path().join("compare");
    let b = b.to_str().unwrap();
    corridor(&["compare", &a, b, "--runs", "50", "--quiet", "--out", compare.to_str().unwrap()]).success();
    let sweep = dir.path().join("sweep");
    let set = "blockade.border.attack_prob=0:0.4:0.2";
    corridor(&["sweep", &a, "--set", set, "--runs", "50", "--quiet", "--out", sweep.to_str().unwrap()]).success();
    let critical = dir.path().join("critical");
    corridor(&["critical", &a, "--runs", "50", "--quiet", "--out", critical.to_str().unwrap()]).success();
    for (folder, heading, charts) in [
        (&compare, "# Comparison against mixed", 3),
        (&sweep, "# Sweep of mixed", 6),
        (&critical, "# Critical sites for City C in mixed", 1),
    ] {
        let before = files(folder);
        // Charts are drawn from the folder's files: plot redraws them byte for byte.
        corridor(&["plot", folder.to_str().unwrap(), "--quiet"]).success();
        assert_eq!(files(folder), before, "{}", folder.display());
        corridor(&["report", folder.to_str().unwrap(), "--quiet"]).success();
        let md = std::fs::read_to_string(folder.join("report.md")).unwrap();
        assert!(md.starts_with(heading), "{md}");
        assert_eq!(md.matches("![").count(), charts, "{md}");
        assert!(md.contains("## Provenance") && md.contains("runs"));
        let html = std::fs::read_to_string(folder.join("report.html")).unwrap();
        assert_eq!(html.matches("<img ").count(), charts);
    }
    let md = std::fs::read_to_string(critical.join("report.md")).unwrap();
    assert!(md.contains("Border B") && md.contains("unmet m³ added"), "sites by display name: {md}");
}
