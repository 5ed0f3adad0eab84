//! The README's figures cannot go stale: every block between `<!-- begin generated: NAME -->`
//! and `<!-- end generated: NAME -->` is made here from real runs of the shipped scenarios
//! (scenarios/*.toml, with their own seeds and runs) and from the command-line definition, and
//! this test fails when the README differs. `scripts/readme-figures` rewrites the blocks
//! (it runs this test with README_WRITE=1).
//!
//! Every scenario is run once, all together with common random numbers (run i of each draws
//! the same numbers as `corridor run` of that scenario alone does), so one pass gives each
//! scenario's own results and the paired differences that `corridor compare` prints.

use corridor::critical::{Strength, search};
use corridor::observations::load_observations;
use corridor::report::{Results, ScoredTarget, hindcast_table, summary_table, thousands};
use corridor::scenario::{Scenario, load_scenario};
use corridor::sim::{Batch, Model, simulate, simulate_summaries};
use corridor::stats::Metric;
use std::path::{Path, PathBuf};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
/// The city the README's tables are about.
const CITY: &str = "bamako";
/// The reference scenario (first in the comparison).
const REFERENCE: &str = "bamako_2025";
/// The observed timeline the README's hindcast scores the reference against.
const OBSERVATIONS: &str = "data/west_africa/observations_2025.csv";
/// Runs behind the README's critical-sites table.
const CRITICAL_RUNS: u64 = 200;

/// The shipped scenarios: the reference first, then by file name.
fn scenarios() -> Vec<(PathBuf, Scenario)> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(Path::new(ROOT).join("scenarios"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort_by_key(|p| (p.file_stem().is_none_or(|s| s != REFERENCE), p.clone()));
    let out: Vec<(PathBuf, Scenario)> =
        paths.into_iter().map(|p| (p.clone(), load_scenario(&p).unwrap_or_else(|e| panic!("{e}")))).collect();
    assert_eq!(out[0].1.name, REFERENCE, "scenarios/{REFERENCE}.toml is the reference");
    out
}

fn city(s: &Scenario) -> Option<usize> {
    s.demands.iter().position(|d| s.network.node(d.node).id == CITY)
}

fn prob(p: f64) -> String {
    match p {
        p if p > 0.0 && p < 0.0005 => "<0.001".to_string(),
        p if (0.9995..1.0).contains(&p) => ">0.999".to_string(),
        p => format!("{p:.3}"),
    }
}

fn m3(v: f64) -> String {
    thousands(v.max(0.0).round() as u64)
}

fn signed(v: f64) -> String {
    let r = v.round();
    let s = thousands(r.abs() as u64);
    if r < 0.0 {
        format!("−{s}")
    } else if r > 0.0 {
        format!("+{s}")
    } else {
        s
    }
}

/// A change in probability in percentage points, signed: "+2.7", "−100.0", "0.0".
fn points(d: f64) -> String {
    let v = 100.0 * d;
    if v >= 0.05 {
        format!("+{v:.1}")
    } else if v <= -0.05 {
        format!("−{:.1}", -v)
    } else {
        "0.0".to_string()
    }
}

fn rel(p: &Path) -> String {
    p.strip_prefix(ROOT).unwrap().display().to_string()
}

/// " Without the blockade (`baseline.toml`) no city runs short." (or the cities that do).
fn baseline_sentence(all: &[(PathBuf, Scenario)], batch: &Batch) -> String {
    let Some(b) = all.iter().position(|(_, s)| s.name == "baseline") else { return String::new() };
    let sc = &all[b].1;
    let short: Vec<String> = (0..sc.demands.len())
        .filter(|&d| batch.accs[b].demand(d).p_shortage > 0.0)
        .map(|d| {
            format!(
                "{} (P(shortage) {})",
                sc.network.node(sc.demands[d].node).name,
                prob(batch.accs[b].demand(d).p_shortage)
            )
        })
        .collect();
    match short.as_slice() {
        [] => " Without the blockade (`baseline.toml`) no city runs short in any run.".to_string(),
        _ => format!(" Without the blockade (`baseline.toml`), {} run short in some runs.", short.join(", ")),
    }
}

/// The README's generated blocks: (name, text).
fn blocks() -> Vec<(&'static str, String)> {
    let all = scenarios();
    let (seed, runs) = (all[0].1.simulation.seed, all[0].1.simulation.runs);
    for (p, s) in &all {
        assert_eq!(
            (s.simulation.seed, s.simulation.runs),
            (seed, runs),
            "{}: the README's tables assume one seed and run count",
            p.display()
        );
    }
    let models: Vec<Model> = all.iter().map(|(_, s)| Model::new(s)).collect();
    let refs: Vec<&Model> = models.iter().collect();
    let pool = rayon::ThreadPoolBuilder::new().build().unwrap();
    let batch: Batch = simulate_summaries(&refs, seed, runs, &pool, |_| ());
    let reference = &all[0].1;
    let mut out = Vec::new();

    // The quick start: what `corridor run scenarios/bamako_2025.toml` prints (but the timing).
    let results = Results { scenario: reference, acc: &batch.accs[0], seed };
    out.push(("quick-start", format!("```\n{}```", summary_table(&results))));
    let d = city(reference).expect("the reference has the city");
    let s = batch.accs[0].demand(d);
    let cal = reference.simulation.calendar();
    let name = &reference.network.node(reference.demands[d].node).name;
    let first = s.first_shortage_day_p50.map_or("never".to_string(), |f| cal.describe(i64::from(f)));
    out.push((
        "reading",
        format!(
            "Read it as: in {} of the {} runs {name} runs short (P(shortage) {}), from {first} in the median run; \
             {} m³ of its demand goes unmet over {} days on average, and {} m³ bound for it are lost on the way.",
            thousands(s.runs_with_shortage),
            thousands(s.runs),
            prob(s.p_shortage),
            m3(s.unmet_m3.mean),
            reference.simulation.horizon_days,
            m3(s.lost_m3.mean),
        ) + &baseline_sentence(&all, &batch),
    ));

    // The planner's question of mid-October: what `corridor run scenarios/october_outlook.toml`
    // prints, and when Bamako recovers in the median run.
    let o = all.iter().position(|(_, s)| s.name == "october_outlook").expect("october_outlook is shipped");
    let outlook = &all[o].1;
    let results = Results { scenario: outlook, acc: &batch.accs[o], seed };
    out.push(("outlook", format!("```\n{}```", summary_table(&results))));

    // The hindcast: the reference scored against the observed 2025 timeline, as
    // `corridor hindcast` prints it.
    let observations = Path::new(ROOT).join(OBSERVATIONS);
    let targets = load_observations(&observations, reference).expect("the shipped observations load");
    let mut model = Model::new(reference);
    model.targets = targets.clone();
    let acc = simulate(&model, seed, runs, &pool, |_| (), |()| Ok::<(), ()>(()), |_| ()).expect("no sink error");
    let scores = acc.targets().map(|t| t.scores()).unwrap_or_default();
    let title =
        format!("hindcast of {} against {OBSERVATIONS}: {} runs, seed {seed}", reference.name, thousands(acc.runs()));
    let scored: Vec<ScoredTarget> = targets.iter().zip(&scores).map(|(t, s)| ScoredTarget::new(t, s)).collect();
    let table = hindcast_table(&title, &scored, reference.simulation.calendar());
    out.push((
        "hindcast",
        format!("```sh\ncorridor hindcast {} --observations {OBSERVATIONS}\n```\n\n```\n{table}```", rel(&all[0].0)),
    ));

    // The scenario library, at the city.
    let mut t = format!(
        "Results with seed {seed} and {} runs, for {name}:\n\n| scenario | what it is | P(shortage) | median first short day | unmet m³ | lost m³ |\n|---|---|---|---|---|---|\n",
        thousands(runs)
    );
    let mut library: Vec<usize> = (0..all.len()).collect();
    library.sort_by_key(|&i| all[i].0.clone());
    for i in library {
        let (path, sc) = &all[i];
        let row = match city(sc) {
            Some(d) => {
                let s = batch.accs[i].demand(d);
                let first = s.first_shortage_day_p50.map_or("–".to_string(), |f| f.to_string());
                format!("{} | {first} | {} | {}", prob(s.p_shortage), m3(s.unmet_m3.mean), m3(s.lost_m3.mean))
            }
            None => "– | – | – | –".to_string(),
        };
        t += &format!("| [{}]({}) | {} | {row} |\n", sc.name, rel(path), sc.description);
    }
    out.push(("scenarios", t.trim_end().to_string()));

    // The comparison: every other scenario on the reference's calendar against the reference,
    // at the city.
    let same = |s: &Scenario| {
        s.simulation.start_date == reference.simulation.start_date
            && s.simulation.horizon_days == reference.simulation.horizon_days
    };
    let compared: Vec<usize> = (0..all.len()).filter(|&i| same(&all[i].1)).collect();
    let mut c = format!(
        "```sh\ncorridor compare {}\n```\n\n| scenario | change in P(shortage) | change in unmet m³ (± paired; ± unpaired) | change in lost m³ |\n|---|---|---|---|\n",
        compared.iter().map(|&i| rel(&all[i].0)).collect::<Vec<_>>().join(" ")
    );
    for &m in compared.iter().skip(1) {
        let sc = &all[m].1;
        let Some(d) = city(sc) else { continue };
        let diff = |metric| batch.paired.difference(m, d, metric).expect("paired with the reference");
        let (p, u, l) = (diff(Metric::Shortage), diff(Metric::Unmet), diff(Metric::Lost));
        c += &format!(
            "| {} | {} ± {:.1} points | {} (± {}; ± {}) | {} ± {} |\n",
            sc.name,
            points(p.mean),
            100.0 * p.ci95,
            signed(u.mean),
            m3(u.ci95),
            m3(u.ci95_unpaired),
            signed(l.mean),
            m3(l.ci95)
        );
    }
    out.push(("comparison", c.trim_end().to_string()));

    // Critical sites for the city in the reference: groups of sites with the same effect.
    let mut base = reference.clone();
    base.simulation.runs = CRITICAL_RUNS;
    let found = search(&base, d, 1, Strength::default(), &pool, &|_| ());
    let groups = corridor::report::critical_groups(&found.singles);
    let net = &reference.network;
    let mut k = format!(
        "```sh\ncorridor critical {} --runs {CRITICAL_RUNS}\n```\n\n| sites (a total blockade on any one of them) | unmet m³ added at {name} (± 95 %) |\n|---|---|\n",
        rel(&all[0].0)
    );
    let mut i = 0;
    while i < found.singles.len() {
        let j = (i..found.singles.len()).find(|&j| groups[j] != groups[i]).unwrap_or(found.singles.len());
        let names: Vec<String> =
            found.singles[i..j].iter().map(|e| corridor::report::site_names(net, &e.sites)).collect();
        let e = &found.singles[i];
        k += &format!("| {} | {} ± {} |\n", names.join(", "), signed(e.unmet.mean), m3(e.unmet.ci95));
        i = j;
    }
    out.push(("critical", k.trim_end().to_string()));

    out.push(("commands", format!("```\n{}```", corridor::cli::command_summary())));
    out
}

/// The README with every generated block replaced; errors for a missing block.
fn regenerate(readme: &str, blocks: &[(&str, String)]) -> Result<String, String> {
    let mut text = readme.to_string();
    for (name, body) in blocks {
        let begin = format!("<!-- begin generated: {name} (scripts/readme-figures) -->\n");
        let end = format!("\n<!-- end generated: {name} -->");
        let a = text.find(&begin).ok_or(format!("README.md has no block `{name}`: add {begin:?}"))? + begin.len();
        let b = a + text[a..].find(&end).ok_or(format!("README.md: block `{name}` has no end"))?;
        text.replace_range(a..b, body);
    }
    Ok(text)
}

#[test]
fn the_readme_figures_are_what_the_shipped_scenarios_give() {
    let path = Path::new(ROOT).join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let fresh = regenerate(&readme, &blocks()).unwrap_or_else(|e| panic!("{e}"));
    if std::env::var_os("README_WRITE").is_some() {
        std::fs::write(&path, &fresh).unwrap();
        return;
    }
    if fresh != readme {
        let changed: Vec<String> = readme
            .lines()
            .zip(fresh.lines())
            .filter(|(a, b)| a != b)
            .take(8)
            .map(|(a, b)| format!("  README: {a}\n  now:    {b}"))
            .collect();
        panic!("README.md's generated figures are stale: run scripts/readme-figures\n{}", changed.join("\n"));
    }
}

#[test]
fn generated_blocks_are_found_and_replaced() {
    let readme = "a\n<!-- begin generated: x (scripts/readme-figures) -->\nold\n<!-- end generated: x -->\nb\n";
    let out = regenerate(readme, &[("x", "new".to_string())]).unwrap();
    assert_eq!(out, "a\n<!-- begin generated: x (scripts/readme-figures) -->\nnew\n<!-- end generated: x -->\nb\n");
    assert!(regenerate(readme, &[("y", String::new())]).is_err());
}

/// Regression: a merge once left its conflict markers in ARCHITECTURE.md, and nothing failed.
#[test]
fn conflict_markers_left_by_a_merge_fail_the_tests() {
    let mut files: Vec<PathBuf> =
        ["README.md", "ARCHITECTURE.md", "Cargo.toml"].iter().map(|f| Path::new(ROOT).join(f)).collect();
    for dir in ["docs", "scenarios", "data/west_africa", "benches", "scripts", ".ci"] {
        let entries = std::fs::read_dir(Path::new(ROOT).join(dir)).into_iter().flatten().flatten();
        files.extend(entries.map(|e| e.path()).filter(|p| p.is_file()));
    }
    for file in files {
        let Ok(text) = std::fs::read_to_string(&file) else { continue };
        for (i, line) in text.lines().enumerate() {
            let marker = line.starts_with("<<<<<<< ") || line.starts_with(">>>>>>> ") || line == "=======";
            assert!(!marker, "{}:{}: a merge conflict marker", file.display(), i + 1);
        }
    }
}
