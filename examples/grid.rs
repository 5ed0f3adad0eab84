//! Writes a synthetic square grid network and a scenario on it, for measuring `corridor` on
//! networks of any size: `cargo run --release --example grid -- SIDE DIR` writes
//! DIR/net/nodes.csv and DIR/net/edges.csv (SIDE × SIDE nodes, each joined to its right and
//! lower neighbours: 2 · SIDE · (SIDE − 1) roads) and DIR/grid.toml: 6 supply streams from the
//! grid's edges to 4 cities near its centre, 5 blockades on the way, `avoid` routing.
//! Lengths vary (deterministically) between 40 and 80 km so that routes are unique.

use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(side), Some(dir)) = (args.get(1).and_then(|s| s.parse::<usize>().ok()), args.get(2)) else {
        eprintln!("usage: grid SIDE DIR   (SIDE × SIDE nodes; 1000 makes a million)");
        std::process::exit(2);
    };
    if side < 8 {
        eprintln!("error: SIDE must be at least 8");
        std::process::exit(2);
    }
    let dir = Path::new(dir);
    std::fs::create_dir_all(dir.join("net")).expect("cannot create the folder");
    let id = |r: usize, c: usize| format!("n{r}_{c}");
    let mut nodes = std::io::BufWriter::new(std::fs::File::create(dir.join("net/nodes.csv")).expect("nodes.csv"));
    writeln!(nodes, "id,name,country,kind,lat,lon,delay_mean_days,delay_cv").unwrap();
    let step = 10.0 / side as f64;
    for r in 0..side {
        for c in 0..side {
            let kind = if r == 0 || c == 0 { "port" } else { "junction" };
            let (lat, lon) = (20.0 - r as f64 * step, -15.0 + c as f64 * step);
            writeln!(nodes, "{},{},ML,{kind},{lat:.5},{lon:.5},0,0", id(r, c), id(r, c)).unwrap();
        }
    }
    let mut edges = std::io::BufWriter::new(std::fs::File::create(dir.join("net/edges.csv")).expect("edges.csv"));
    writeln!(edges, "from,to,road,length_km,speed_km_per_day,capacity_trucks_per_day").unwrap();
    // A fixed, well-spread pseudo-random length per road.
    let length = |i: u64| 40.0 + (i.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 40) as f64 / (1u64 << 24) as f64 * 40.0;
    let mut n = 0u64;
    for r in 0..side {
        for c in 0..side {
            if c + 1 < side {
                writeln!(edges, "{},{},R,{:.1},,", id(r, c), id(r, c + 1), length(n)).unwrap();
                n += 1;
            }
            if r + 1 < side {
                writeln!(edges, "{},{},R,{:.1},,", id(r, c), id(r + 1, c), length(n)).unwrap();
                n += 1;
            }
        }
    }
    let m = side / 2;
    let cities = [id(m, m), id(m + 2, m), id(m, m + 2), id(m + 2, m + 2)];
    let origins = [id(0, 0), id(0, side - 1), id(side - 1, 0), id(0, m), id(m, 0), id(side - 1, side - 1)];
    let mut s = String::new();
    let _ = write!(
        s,
        "name = \"grid{side}\"\nnetwork = \"net\"\n[simulation]\nhorizon_days = 120\nruns = 1000\nseed = 1\n\
         travel_time_cv = 0.25\ndefault_speed_km_per_day = 350\n[routing]\npolicy = \"avoid\"\ndetection_delay_days = 3\n"
    );
    for city in &cities {
        let _ = write!(s, "[[demand]]\nnode = \"{city}\"\nconsumption_m3_per_day = 400\ninitial_stock_m3 = 4000\n");
    }
    for (i, from) in origins.iter().enumerate() {
        let to = &cities[i % cities.len()];
        let _ = write!(
            s,
            "[[supply]]\nname = \"s{i}\"\nfrom = \"{from}\"\nto = \"{to}\"\nconvoys_per_day = 0.5\n\
             trucks_per_convoy = 20\ntruck_m3 = 45\n"
        );
    }
    let q = side / 4;
    let sites = [id(q, q), id(q, 3 * q), id(3 * q, q), id(m, q), id(q, m)];
    for (i, site) in sites.iter().enumerate() {
        let _ = write!(
            s,
            "[[blockade]]\nname = \"b{i}\"\nnode = \"{site}\"\nstart_day = {}\nattack_prob = 0.3\ntruck_loss_prob = 0.5\n",
            10 * i
        );
    }
    std::fs::write(dir.join("grid.toml"), s).expect("grid.toml");
    println!("wrote {} ({} nodes, {n} roads)", dir.display(), side * side);
}
