//! Writes a synthetic square grid network and a scenario on it, for measuring `corridor` on
//! networks of any size: `cargo run --release --example grid -- SIDE DIR` writes
//! DIR/net/nodes.csv, DIR/net/edges.csv and DIR/grid.toml (see benches/common/grid.rs), then
//! `corridor validate DIR/grid.toml` or `corridor run DIR/grid.toml --runs 1000` measures them.

#[path = "../benches/common/grid.rs"]
mod grid;

use std::path::Path;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(side), Some(dir)) = (args.get(1).and_then(|s| s.parse::<usize>().ok()), args.get(2)) else {
        eprintln!("usage: grid SIDE DIR   (SIDE × SIDE nodes, SIDE >= 8; 1000 makes a million)");
        std::process::exit(2);
    };
    if side < 8 {
        eprintln!("error: SIDE must be at least 8");
        std::process::exit(2);
    }
    match grid::write_grid(side, Path::new(dir)) {
        Ok(roads) => println!("wrote {dir} ({} nodes, {roads} roads)", side * side),
        Err(e) => {
            eprintln!("error: cannot write {dir}: {e}");
            std::process::exit(1);
        }
    }
}
