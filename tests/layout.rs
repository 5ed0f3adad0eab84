//! Charts lay themselves out for their size: at 600 × 400, 1200 × 700 and 2400 × 1400, for
//! every kind of output folder, no text leaves the image, no two texts overlap and no legend
//! covers data (the charts record where they put each text, legend and mark).

mod common;

use assert_cmd::Command;
use corridor::report::Folder;
use corridor::report::charts::{Palette, Style};
use std::path::{Path, PathBuf};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const SIZES: [(u32, u32); 3] = [(600, 400), (1200, 700), (2400, 1400)];

fn corridor(args: &[&str]) {
    Command::cargo_bin("corridor").unwrap().args(args).arg("--quiet").assert().success();
}

/// bamako_2025 with a start date, so that time axes carry dates.
fn dated_scenario(dir: &Path) -> PathBuf {
    let text = std::fs::read_to_string(format!("{ROOT}/scenarios/bamako_2025.toml")).unwrap();
    let mut text = text.replace("network = \"../data/west_africa\"", &format!("network = \"{ROOT}/data/west_africa\""));
    if !text.contains("start_date") {
        text = text.replacen("[simulation]", "[simulation]\nstart_date = 2025-09-04", 1);
    }
    let path = dir.join("dated.toml");
    std::fs::write(&path, text).unwrap();
    path
}

/// Checks every chart of the folder at every size and palette.
fn check(dir: &Path) -> usize {
    let folder = Folder::load(dir).unwrap();
    let mut charts = 0;
    for (width, height) in SIZES {
        for palette in [Palette::Colour, Palette::Greyscale] {
            let style = Style { width, height, formats: Vec::new(), palette, days: false };
            for drawn in folder.draw_charts(&style, dir, None).unwrap() {
                let problems = drawn.layout.problems();
                assert!(
                    problems.is_empty(),
                    "{} {}×{} {palette:?}:\n{}",
                    drawn.stem,
                    width,
                    height,
                    problems.join("\n")
                );
                assert!(drawn.layout.texts.len() > 3, "{}: texts are recorded", drawn.stem);
                charts += 1;
            }
        }
    }
    charts
}

#[test]
fn run_charts_fit_every_size() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("run");
    let scenario = dated_scenario(tmp.path());
    corridor(&["run", scenario.to_str().unwrap(), "--runs", "200", "--out", out.to_str().unwrap()]);
    assert_eq!(check(&out), 14 * 6);
    let attackers = tmp.path().join("attackers");
    let scenario = format!("{ROOT}/scenarios/adaptive_attacker.toml");
    corridor(&["run", &scenario, "--runs", "10", "--out", attackers.to_str().unwrap()]);
    check(&attackers);
    let mixed = tmp.path().join("mixed");
    corridor(&["run", &format!("{ROOT}/tests/data/mixed.toml"), "--runs", "100", "--out", mixed.to_str().unwrap()]);
    check(&mixed);
}

#[test]
fn compare_sweep_and_critical_charts_fit_every_size() {
    let tmp = tempfile::tempdir().unwrap();
    let s = |name: &str| format!("{ROOT}/scenarios/{name}.toml");
    let compare = tmp.path().join("compare");
    let (a, b, c, d) = (s("bamako_2025"), s("escorts"), s("rationing"), s("abidjan_attacked"));
    corridor(&["compare", &a, &b, &c, &d, "--runs", "100", "--out", compare.to_str().unwrap()]);
    check(&compare);
    let sweep = tmp.path().join("sweep");
    corridor(&[
        "sweep",
        &a,
        "--set",
        "blockade.sikasso_south.attack_prob=0:0.04:0.01",
        "--set",
        "demand.bamako.initial_stock_m3=18000:36000:18000",
        "--runs",
        "50",
        "--out",
        sweep.to_str().unwrap(),
    ]);
    check(&sweep);
    let critical = tmp.path().join("critical");
    let mixed = format!("{ROOT}/tests/data/mixed.toml");
    corridor(&["critical", &mixed, "--k", "2", "--runs", "50", "--out", critical.to_str().unwrap()]);
    check(&critical);
    let critical = tmp.path().join("critical_bamako");
    corridor(&["critical", &a, "--runs", "30", "--out", critical.to_str().unwrap()]);
    check(&critical);
}

#[test]
fn hindcast_charts_fit_every_size_and_plot_and_report_draw_them() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("hindcast");
    let scenario = dated_scenario(tmp.path());
    let observations = format!("{ROOT}/data/west_africa/observations_2025.csv");
    let (s, o) = (scenario.to_str().unwrap(), out.to_str().unwrap());
    corridor(&["hindcast", s, "--observations", &observations, "--runs", "100", "--out", o]);
    // Bamako is the only city the observations are about: its stock with them, and the losses.
    for file in ["hindcast_bamako.svg", "hindcast_bamako.png", "hindcast_losses.svg", "hindcast_losses.png"] {
        assert!(out.join(file).exists(), "{file}");
    }
    assert!(!out.join("hindcast_kayes.svg").exists(), "no chart for a city without observations");
    // The run's 14 charts and the hindcast's two, at every size and palette.
    assert_eq!(check(&out), 16 * 6);
    let redrawn = tmp.path().join("redrawn");
    let r = redrawn.to_str().unwrap();
    corridor(&["plot", o, "--only", "hindcast_losses,hindcast_bamako", "--format", "svg", "--out", r]);
    for chart in ["hindcast_losses.svg", "hindcast_bamako.svg"] {
        assert_eq!(
            std::fs::read(redrawn.join(chart)).unwrap(),
            std::fs::read(out.join(chart)).unwrap(),
            "plot redraws {chart} byte for byte"
        );
    }
    let fan = std::fs::read_to_string(out.join("hindcast_bamako.svg")).unwrap();
    for label in ["1 ", "first_shortage_bamako", "schools_closed", "observed band"] {
        assert!(fan.contains(label), "the stock chart lists the observation {label}");
    }
    corridor(&["report", o]);
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("against the counts the reports give"), "the report shows the hindcast chart");
    assert!(html.contains("Against what was observed"), "the report has the observations section");
    assert!(html.contains("targets met") && html.contains("schools_closed"), "with the targets and the met count");
}

#[test]
fn calibration_charts_fit_every_size_and_plot_and_report_draw_them() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("calibrate");
    let scenario = dated_scenario(tmp.path());
    let observations = format!("{ROOT}/data/west_africa/observations_2025.csv");
    let (s, o) = (scenario.to_str().unwrap(), out.to_str().unwrap());
    corridor(&[
        "calibrate",
        s,
        "--observations",
        &observations,
        "--fit",
        "demand.bamako.consumption_m3_per_day=1400:2200",
        "--fit",
        "deterrence.per_attack=0.1:0.9",
        "--samples",
        "20",
        "--runs",
        "10",
        "--check-runs",
        "20",
        "--train-until",
        "2025-10-31",
        "--out",
        o,
    ]);
    let stems = [
        "posterior_demand_bamako_consumption_m3_per_day",
        "posterior_deterrence_per_attack",
        "accepted_demand_bamako_consumption_m3_per_day__deterrence_per_attack",
    ];
    for stem in stems {
        assert!(out.join(format!("{stem}.png")).exists(), "{stem}");
    }
    assert_eq!(check(&out), 3 * 6);
    corridor(&["plot", o, "--palette", "greyscale", "--format", "png"]);
    corridor(&["report", o]);
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("Calibration of bamako_2025") && html.contains("over its whole prior range"), "the report");
    // The calibrated scenario against the targets, fitted and predicted apart, as on stdout.
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    let fitted = md.find("Fitted: ").expect("the fitted targets");
    let predicted = md.find("Predicted (out of sample): ").expect("the predicted targets");
    assert!(md.contains("those ending by day 57 (31 Oct 2025) were fitted"), "{md}");
    assert!(md[fitted..predicted].contains("short_by_10_october"), "a target of October is fitted");
    assert!(md[predicted..].contains("relapse_december") && !md[predicted..].contains("short_by_10_october"));
}
