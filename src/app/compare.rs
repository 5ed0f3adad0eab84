//! `corridor compare`: several scenarios with common random numbers, read against the first.

use super::output::{Staged, pool, progress};
use super::{Common, UsageError, load, print};
use crate::report::{self, Comparison, charts};
use crate::sim::{Model, simulate_summaries};
use anyhow::Result;
use std::path::{Path, PathBuf};

pub fn compare(paths: &[PathBuf], common: &Common) -> Result<()> {
    if paths.len() < 2 {
        return Err(UsageError("compare needs at least two scenario files".into()).into());
    }
    let scenarios = paths.iter().map(|p| load(p, common)).collect::<Result<Vec<_>>>()?;
    // The first scenario's runs and seed apply to all, unless given on the command line.
    let runs = scenarios[0].simulation.runs;
    let seed = scenarios[0].simulation.seed;
    let out = common.out.clone().unwrap_or_else(|| Path::new("output").join(default_name(&scenarios)));
    let staged = Staged::new(&out)?;
    let (pool, _) = pool(common.threads)?;
    let models: Vec<Model> = scenarios.iter().map(Model::new).collect();
    let refs: Vec<&Model> = models.iter().collect();
    let bar = progress(runs, common.quiet);
    let batch = simulate_summaries(&refs, seed, runs, &pool, |n| bar.inc(n));
    bar.finish_and_clear();

    let c = Comparison { scenarios: &scenarios, batch: &batch, seed };
    let dir = staged.dir();
    report::write_comparison(&c, &dir.join("comparison.csv"))?;
    report::write_comparison_daily(&c, &dir.join("comparison_daily.csv"))?;
    report::write_compare_meta(&c, &dir.join("compare.toml"))?;
    // The charts are drawn from the files just written, as `corridor plot` draws them.
    let data = report::CompareData::load(dir)?;
    charts::draw_compare_charts(&data, &charts::Style::default(), dir, None)?;
    staged.publish()?;
    if !common.quiet {
        print(&format!("{}wrote {}\n", report::comparison_table(&c), out.display()));
    }
    Ok(())
}

/// `compare_<first>_<second>` (and `_and_<n>_more`).
fn default_name(scenarios: &[crate::scenario::Scenario]) -> String {
    let mut name = format!("compare_{}_{}", scenarios[0].name, scenarios[1].name);
    if scenarios.len() > 2 {
        name.push_str(&format!("_and_{}_more", scenarios.len() - 2));
    }
    name
}
