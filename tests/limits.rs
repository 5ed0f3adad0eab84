//! Limits on hostile sizes, through the binary: a large network writes a network.geojson a
//! user can open, and the memory estimate refuses before allocating.

use assert_cmd::Command;

/// A grid network of `side` × `side` nodes, 1 km apart, and a scenario supplying its middle
/// from a corner.
fn grid(dir: &std::path::Path, side: usize) {
    let mut nodes = String::from("id,name,country,kind,lat,lon\n");
    let mut edges = String::from("from,to,road,length_km\n");
    for i in 0..side * side {
        let (r, c) = (i / side, i % side);
        nodes.push_str(&format!("n{i},N{i},ML,junction,{},{}\n", 10.0 + r as f64 * 0.01, -10.0 + c as f64 * 0.01));
        if c + 1 < side {
            edges.push_str(&format!("n{i},n{},R,1\n", i + 1));
        }
        if r + 1 < side {
            edges.push_str(&format!("n{i},n{},R,1\n", i + side));
        }
    }
    std::fs::create_dir(dir.join("net")).unwrap();
    std::fs::write(dir.join("net/nodes.csv"), nodes).unwrap();
    std::fs::write(dir.join("net/edges.csv"), edges).unwrap();
    let middle = side * side / 2 + side / 2;
    let scenario = format!(
        "name = \"grid\"\nnetwork = \"net\"\n[simulation]\nhorizon_days = 20\nruns = 4\nseed = 1\n\
         [[demand]]\nnode = \"n{middle}\"\nconsumption_m3_per_day = 10\ninitial_stock_m3 = 100\n\
         [[supply]]\nname = \"s\"\nfrom = \"n0\"\nto = \"n{middle}\"\nconvoys_per_day = 1\ntrucks_per_convoy = 2\ntruck_m3 = 40\n\
         [[blockade]]\nname = \"far\"\nnode = \"n{}\"\nattack_prob = 0.5\n",
        side * side - 1
    );
    std::fs::write(dir.join("s.toml"), scenario).unwrap();
}

#[test]
fn a_large_network_writes_only_the_features_that_carry_results() {
    // A 100,000-node network wrote a 122 MB GeoJSON (1,000,000 nodes aborted at 4 GiB).
    let dir = tempfile::tempdir().unwrap();
    grid(dir.path(), 80); // 6,400 nodes and 12,640 roads: above 10,000 features
    let out = dir.path().join("out");
    Command::cargo_bin("corridor")
        .unwrap()
        .args(["run", dir.path().join("s.toml").to_str().unwrap(), "--quiet", "--out", out.to_str().unwrap()])
        .assert()
        .success();
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("network.geojson")).unwrap()).unwrap();
    let features = doc["features"].as_array().unwrap();
    let roads: Vec<&serde_json::Value> = features.iter().filter(|f| f["properties"]["feature"] == "road").collect();
    let nodes = features.len() - roads.len();
    // The route from the corner to the middle, on a grid: 80 roads, 81 nodes; and the
    // blockaded far corner.
    assert_eq!(roads.len(), 80, "the roads with traffic");
    assert!(roads.iter().all(|r| r["properties"]["trucks_mean"].as_f64().unwrap() > 0.0));
    assert_eq!(nodes, 82, "their nodes and the blockaded node");
    assert_eq!(doc["omitted_roads"], 12_640 - 80);
    assert_eq!(doc["omitted_nodes"], 6_400 - 82);
    assert!(out.join("network_map.svg").exists());
}
