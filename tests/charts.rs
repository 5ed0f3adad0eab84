//! Charts: `corridor plot` redraws exactly what `corridor run` drew; every PNG decodes at its
//! size and is not blank; SVGs carry their text; the greyscale palette is grey.

mod common;

use assert_cmd::Command;
use common::files;
use std::path::Path;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data");

/// The charts every run draws, for a scenario whose demand nodes are c and d.
const CHARTS: [&str; 8] = [
    "stock_c",
    "stock_d",
    "shortage_probability",
    "fuel_c",
    "fuel_d",
    "first_shortage_day",
    "road_losses",
    "network_map",
];

fn run_mixed(out: &Path) {
    Command::cargo_bin("corridor")
        .unwrap()
        .args(["run", &format!("{DATA}/mixed.toml"), "--runs", "200", "--quiet", "--out", out.to_str().unwrap()])
        .assert()
        .success();
}

/// (width, height, share of pixels that are not white, whether every pixel is grey).
fn png_stats(path: &Path) -> (u32, u32, f64, bool) {
    let decoder = png::Decoder::new(std::fs::File::open(path).unwrap());
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    let pixels = &buf[..info.buffer_size()];
    let (mut ink, mut grey) = (0usize, true);
    for p in pixels.chunks(channels) {
        if p[..3].iter().any(|&c| c < 245) {
            ink += 1;
        }
        grey &= p[0] == p[1] && p[1] == p[2];
    }
    (info.width, info.height, ink as f64 / (pixels.len() / channels) as f64, grey)
}

#[test]
fn plot_redraws_the_same_files_as_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    run_mixed(&out);
    let before = files(&out);
    for chart in CHARTS {
        for ext in ["svg", "png"] {
            let name = format!("{chart}.{ext}");
            assert!(before.contains_key(&name), "{name} missing");
            std::fs::remove_file(out.join(&name)).ok();
        }
    }
    Command::cargo_bin("corridor").unwrap().args(["plot", out.to_str().unwrap(), "--quiet"]).assert().success();
    assert_eq!(files(&out), before, "plot must reproduce every file byte for byte");
}

#[test]
fn pngs_decode_at_their_size_and_are_not_blank() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    run_mixed(&out);
    Command::cargo_bin("corridor")
        .unwrap()
        .args(["plot", out.to_str().unwrap(), "--format", "png", "--width", "900", "--height", "520", "--quiet"])
        .assert()
        .success();
    for chart in CHARTS {
        let (w, h, ink, _) = png_stats(&out.join(format!("{chart}.png")));
        assert_eq!((w, h), (900, 520), "{chart}: every chart is the size asked for");
        assert!(ink > 0.03, "{chart}: only {:.1} % of pixels drawn", 100.0 * ink);
    }
}

#[test]
fn svgs_carry_titles_axis_labels_and_legends() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    run_mixed(&out);
    let svg = |name: &str| std::fs::read_to_string(out.join(format!("{name}.svg"))).unwrap();
    let stock = svg("stock_c");
    for text in [
        "Fuel stock at City C",
        "Days since the scenario starts",
        "Stock (thousand m³)",
        "median",
        "5–95 % of runs",
        "Blockades",
        "scenario mixed",
    ] {
        assert!(stock.contains(text), "stock_c.svg lacks {text:?}");
    }
    let curves = svg("shortage_probability");
    for text in ["Probability that a fuel shortage has begun", "Runs with a shortage by then (%)", "City C:", "seed 5"]
    {
        assert!(curves.contains(text), "shortage_probability.svg lacks {text:?}");
    }
    let map = svg("network_map");
    for text in ["Fuel corridors, flows and shortages", "country border", "City C", "blockaded road"] {
        assert!(map.contains(text), "network_map.svg lacks {text:?}");
    }
    for (name, text) in [
        ("fuel_c", "needed: full consumption"),
        ("first_shortage_day", "Day of the first shortage"),
        ("road_losses", "Trucks lost on the road"),
    ] {
        assert!(svg(name).contains(text), "{name}.svg lacks {text:?}");
    }
}

#[test]
fn the_greyscale_palette_is_grey() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    run_mixed(&out);
    Command::cargo_bin("corridor")
        .unwrap()
        .args(["plot", out.to_str().unwrap(), "--format", "png", "--palette", "greyscale", "--quiet"])
        .assert()
        .success();
    for chart in CHARTS {
        let (_, _, _, grey) = png_stats(&out.join(format!("{chart}.png")));
        assert!(grey, "{chart}.png has colour");
    }
    let (_, _, _, grey) = png_stats(&{
        run_mixed(&dir.path().join("colour"));
        dir.path().join("colour/stock_c.png")
    });
    assert!(!grey, "the default palette is in colour");
}

#[test]
fn plot_of_a_folder_that_is_not_an_output_is_an_input_error() {
    let dir = tempfile::tempdir().unwrap();
    let a = Command::cargo_bin("corridor").unwrap().args(["plot", dir.path().to_str().unwrap()]).assert().code(2);
    let stderr = String::from_utf8(a.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("meta.toml: cannot read") && stderr.contains("corridor run"), "{stderr}");
    Command::cargo_bin("corridor").unwrap().args(["plot", "no/such/folder"]).assert().code(2);
    Command::cargo_bin("corridor")
        .unwrap()
        .args(["plot", dir.path().to_str().unwrap(), "--format", "jpg"])
        .assert()
        .code(2);
}

#[test]
fn network_geojson_holds_the_network_with_its_results() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    run_mixed(&out);
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("network.geojson")).unwrap()).unwrap();
    assert_eq!(doc["type"], "FeatureCollection");
    let features = doc["features"].as_array().unwrap();
    let kind = |k: &str| features.iter().filter(|f| f["properties"]["feature"] == k).count();
    assert_eq!((kind("node"), kind("road")), (4, 4), "the line network: 4 nodes, 4 roads");
    for f in features {
        let g = &f["geometry"];
        match g["type"].as_str().unwrap() {
            "Point" => {
                let (lon, lat) = (g["coordinates"][0].as_f64().unwrap(), g["coordinates"][1].as_f64().unwrap());
                assert!((-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat));
            }
            "LineString" => assert_eq!(g["coordinates"].as_array().unwrap().len(), 2),
            other => panic!("unexpected geometry {other}"),
        }
        assert_eq!(f["properties"]["runs"], 200);
    }
    let c = features.iter().find(|f| f["properties"]["id"] == "c").unwrap();
    assert_eq!(c["properties"]["demand"], true);
    assert!(c["properties"]["p_shortage"].as_f64().unwrap() > 0.0);
    let border = features.iter().find(|f| f["properties"]["id"] == "b").unwrap();
    assert_eq!(border["properties"]["blockades"][0], "border");
    let dc = features.iter().find(|f| f["properties"]["from"] == "d" && f["properties"]["to"] == "c").unwrap();
    assert_eq!(dc["properties"]["blockades"][0], "road");
    assert!(dc["properties"]["trucks_mean"].as_f64().unwrap() > 0.0);
}
