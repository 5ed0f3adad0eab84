//! A seeded mutation test of the input edges: the shipped scenarios (scenarios/*.toml) and the
//! tiny test scenarios and networks (tests/data) are mutated — values replaced by hostile ones
//! (NaN, 1e300, strings, arrays, boundaries of the documented ranges), keys misspelt,
//! duplicated or moved, tables flipped between `[x]` and `[[x]]`, lines dropped, files cut,
//! invalid UTF-8 inserted, CSV cells emptied or spoilt, rows and columns dropped — and every
//! input goes in-process through `validate` and, when it passes, through a run: 2 runs of the
//! simulation, every table written and read back, and the charts drawn as SVG. Asserted for
//! every input: no panic, an exit code of 0 or 2, under a second, and every exit-2 message
//! names a file and a line. It prints how many inputs it tried and the classes of message.

use corridor::app::{Checks, Command, error_line, execute, exit_code};
use corridor::report::{self, OutputData, Results, charts};
use corridor::scenario::load_scenario;
use corridor::sim::{Model, simulate};
use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
/// Inputs tried (the same ones on every run: the mutator is seeded).
const INPUTS: usize = 2500;
const SEED: u64 = 0x5eed_c0ff_ee15_2025;
/// The memory a fuzzed simulation may ask for: hostile sizes are refused, not allocated.
const MAX_MEMORY: u64 = 256_000_000;

/// xorshift64*: the mutator's random numbers.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len())]
    }
}

/// Hostile TOML values.
const VALUES: &[&str] = &[
    "0",
    "-1",
    "1e300",
    "-1e300",
    "nan",
    "inf",
    "-inf",
    "1e9",
    "1e12",
    "1e15",
    "36500",
    "36501",
    "10000",
    "10001",
    "4294967296",
    "10000000000",
    "9223372036854775807",
    "0.001",
    "1e-300",
    "\"0.20\"",
    "\"\"",
    "true",
    "[1, 2]",
    "[\"a\", \"b\"]",
    "[]",
    "{ a = 1 }",
    "2025-09-04",
    "\"2025-02-30\"",
    "1979-05-27T07:32:00Z",
    "\"kayes\"",
    "\"../escape\"",
    "\"no-such-node\"",
    "\"é\"",
];

/// Keys inserted where they may or may not belong.
const KEYS: &[&str] = &[
    "threads",
    "horizon_days",
    "start_day",
    "end_day",
    "convoys_per_day",
    "truck_m3",
    "attack_prob",
    "period_days",
    "sites",
    "units",
    "node",
    "edge",
    "name",
    "via",
    "warm_up_days",
    "start_date",
    "reserve_m3",
    "consumption_m3_per_dya",
];

/// Hostile CSV cells.
const CELLS: &[&str] =
    &["", "-1", "nan", "inf", "1e300", "0", "zz", "A-1", "a", "SEN", "harbour", "\"", "1,2", "Ö", "1e-300", "95"];

/// One input: files to write (relative to the input's folder) and the scenario to check.
struct Input {
    source: String,
    files: Vec<(String, Vec<u8>)>,
    scenario: String,
}

fn read(path: &str) -> Vec<u8> {
    std::fs::read(Path::new(ROOT).join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn mutate_toml(rng: &mut Rng, text: &[u8]) -> Vec<u8> {
    let mut lines: Vec<Vec<u8>> = text.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
    for _ in 0..1 + rng.below(3) {
        let n = lines.len().max(1);
        let i = rng.below(n).min(lines.len().saturating_sub(1));
        let line = String::from_utf8_lossy(lines.get(i).map_or(&[][..], |l| l.as_slice())).into_owned();
        let kv = line.split_once(" = ").filter(|_| !line.starts_with('#'));
        match rng.below(11) {
            0..=2 => {
                if let Some((k, _)) = kv {
                    lines[i] = format!("{k} = {}", rng.pick(VALUES)).into_bytes();
                }
            }
            3 => {
                if let Some((k, v)) = kv
                    && let Ok(x) = v.trim().parse::<f64>()
                {
                    let scale = *rng.pick(&[1e-9, 1e3, 1e6, 1e9, 1e300, -1.0, 0.0]);
                    lines[i] = format!("{k} = {:?}", x * scale).into_bytes();
                }
            }
            4 if !lines.is_empty() => {
                lines.remove(i);
            }
            5 if !lines.is_empty() => lines.insert(i, lines[i].clone()),
            6 => {
                if let Some((k, v)) = kv
                    && k.len() > 1
                {
                    let mut key: Vec<char> = k.chars().collect();
                    let j = rng.below(key.len() - 1);
                    match rng.below(3) {
                        0 => key.swap(j, j + 1),
                        1 => {
                            key.remove(j);
                        }
                        _ => key.insert(j, 'x'),
                    }
                    lines[i] = format!("{} = {v}", key.into_iter().collect::<String>()).into_bytes();
                }
            }
            7 => {
                let t = line.trim();
                if let Some(inner) = t.strip_prefix("[[").and_then(|t| t.strip_suffix("]]")) {
                    lines[i] = format!("[{inner}]").into_bytes();
                } else if let Some(inner) = t.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
                    lines[i] = format!("[[{inner}]]").into_bytes();
                }
            }
            8 => {
                let mut all = lines.join(&b'\n');
                all.truncate(rng.below(all.len() + 1));
                return all;
            }
            9 => {
                let junk: &[&[u8]] = &[b"\xff\xfe", b"\x00", b"\t", b"\"", b"[", b" = ", b"\xc3", b"]]", b"\r"];
                let mut all = lines.join(&b'\n');
                let at = rng.below(all.len() + 1);
                let bytes = rng.pick(junk).to_vec();
                all.splice(at..at, bytes);
                return all;
            }
            _ => {
                let value = rng.pick(VALUES);
                lines.insert(i, format!("{} = {value}", rng.pick(KEYS)).into_bytes());
            }
        }
    }
    lines.join(&b'\n')
}

fn mutate_csv(rng: &mut Rng, text: &[u8]) -> Vec<u8> {
    let mut rows: Vec<Vec<String>> =
        String::from_utf8_lossy(text).lines().map(|l| l.split(',').map(str::to_string).collect()).collect();
    for _ in 0..1 + rng.below(2) {
        let r = rng.below(rows.len());
        match rng.below(6) {
            0..=2 if r > 0 && !rows[r].is_empty() => {
                let c = rng.below(rows[r].len());
                rows[r][c] = rng.pick(CELLS).to_string();
            }
            3 if rows.len() > 1 => {
                let row = rows[r].clone();
                if rng.below(2) == 0 {
                    rows.remove(r);
                } else {
                    rows.push(row);
                }
            }
            4 => {
                let c = rng.below(rows[0].len());
                for row in &mut rows {
                    if c < row.len() && rng.below(4) > 0 {
                        row.remove(c);
                    }
                }
            }
            _ => {
                let mut all = rows.iter().map(|r| r.join(",")).collect::<Vec<_>>().join("\n").into_bytes();
                let at = rng.below(all.len() + 1);
                all.splice(at..at, rng.pick(&[&b"\xff"[..], b"\n", b",,", b"\"", b"x,y,z\n"]).iter().copied());
                all.truncate(at + rng.below(all.len() - at + 1));
                return all;
            }
        }
    }
    rows.iter().map(|r| r.join(",")).collect::<Vec<_>>().join("\n").into_bytes()
}

/// The inputs, in a fixed order.
fn inputs() -> Vec<Input> {
    let mut rng = Rng(SEED);
    let mut shipped: Vec<String> = std::fs::read_dir(Path::new(ROOT).join("scenarios"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    shipped.sort();
    let tiny =
        [("p_attack.toml", "line"), ("mixed.toml", "line"), ("cut.toml", "cut"), ("total_blockade.toml", "line")];
    let west_africa = [
        ("data/west_africa/nodes.csv".to_string(), read("data/west_africa/nodes.csv")),
        ("data/west_africa/edges.csv".to_string(), read("data/west_africa/edges.csv")),
    ];
    let mut out = Vec::with_capacity(INPUTS);
    for k in 0..INPUTS {
        let input = match k % 5 {
            0 | 1 => {
                let name = rng.pick(&shipped).clone();
                let text = mutate_toml(&mut rng, &read(&format!("scenarios/{name}")));
                let mut files = west_africa.to_vec();
                files.push((format!("scenarios/{name}"), text));
                Input { source: format!("scenarios/{name}"), files, scenario: format!("scenarios/{name}") }
            }
            2 | 3 => {
                let (name, net) = *rng.pick(&tiny);
                let text = mutate_toml(&mut rng, &read(&format!("tests/data/{name}")));
                let files = vec![
                    (format!("t/{name}"), text),
                    (format!("t/{net}/nodes.csv"), read(&format!("tests/data/{net}/nodes.csv"))),
                    (format!("t/{net}/edges.csv"), read(&format!("tests/data/{net}/edges.csv"))),
                ];
                Input { source: format!("tests/data/{name}"), files, scenario: format!("t/{name}") }
            }
            _ => {
                let (name, net) = *rng.pick(&tiny);
                let mut nodes = read(&format!("tests/data/{net}/nodes.csv"));
                let mut edges = read(&format!("tests/data/{net}/edges.csv"));
                let which = rng.below(2);
                if which == 0 {
                    nodes = mutate_csv(&mut rng, &nodes);
                } else {
                    edges = mutate_csv(&mut rng, &edges);
                }
                let files = vec![
                    (format!("t/{name}"), read(&format!("tests/data/{name}"))),
                    (format!("t/{net}/nodes.csv"), nodes),
                    (format!("t/{net}/edges.csv"), edges),
                ];
                let file = ["nodes.csv", "edges.csv"][which];
                Input { source: format!("tests/data/{net}/{file}"), files, scenario: format!("t/{name}") }
            }
        };
        out.push(input);
    }
    out
}

/// What became of one input.
struct Outcome {
    code: u8,
    message: String,
    took: Duration,
}

/// How far an input goes once it is valid.
#[derive(Debug, Clone, Copy)]
struct Stage {
    run: bool,
    charts: bool,
}

impl Stage {
    /// Every valid tiny input is run, one in ten of the shipped scenarios' (5 cities × 120
    /// days: their daily quantiles take about half a second in a debug build); charts are
    /// drawn for one run in three.
    fn of(i: usize, input: &Input) -> Stage {
        let run = !input.source.starts_with("scenarios/") || i.is_multiple_of(10);
        Stage { run, charts: run && i.is_multiple_of(3) }
    }
}

/// Validates, and when valid runs, the scenario at `path` in-process.
fn check(path: &Path, out: &Path, stage: Stage) -> Result<(), anyhow::Error> {
    let checks = Checks { max_memory: Some(MAX_MEMORY), deny_warnings: false };
    execute(Command::Validate { scenario: path.to_path_buf(), checks })?;
    if !stage.run {
        return Ok(());
    }
    let mut scenario = load_scenario(path)?;
    scenario.simulation.runs = 2;
    let model = Model::new(&scenario);
    let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build()?;
    let acc = simulate(&model, scenario.simulation.seed, 2, &pool, |_| (), |()| Ok::<(), anyhow::Error>(()), |_| ())?;
    let _ = std::fs::remove_dir_all(out);
    std::fs::create_dir_all(out)?;
    let r = Results { scenario: &scenario, acc: &acc, seed: scenario.simulation.seed };
    report::write_tables(&r, &report::Meta::of(&r)?, out)?;
    let data = OutputData::load(out)?;
    if stage.charts {
        let style = charts::Style { formats: vec![charts::Format::Svg], ..charts::Style::default() };
        charts::draw_run_charts(&data, &style, out, None)?;
    }
    Ok(())
}

fn run_one(input: &Input, stage: Stage, root: &Path) -> Outcome {
    for (rel, bytes) in &input.files {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    let path: PathBuf = root.join(&input.scenario);
    let start = Instant::now();
    let result = catch_unwind(AssertUnwindSafe(|| check(&path, &root.join("out"), stage)));
    let took = start.elapsed();
    match result {
        Ok(Ok(())) => Outcome { code: 0, message: String::new(), took },
        Ok(Err(e)) => Outcome { code: exit_code(&e), message: error_line(&e), took },
        Err(panic) => {
            let text = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            Outcome { code: 101, message: format!("panic: {text}"), took }
        }
    }
}

/// A message's class: its key with entry names as `*`, and its words with values, numbers
/// and the path taken out.
fn class(message: &str, root: &str) -> String {
    let first = message.lines().next().unwrap_or_default().replace(root, "");
    let rest = first.trim_start_matches("error: ");
    // Past "file:line[:column]: ".
    let mut parts = rest.splitn(2, ": ");
    let (_, body) = (parts.next(), parts.next().unwrap_or_default());
    let (field, text) = match body.split_once(": ") {
        Some((f, t)) if !f.contains(' ') => (f.to_string(), t.to_string()),
        // A CSV error names its column as "field `to`" (or in "missing column `lon`").
        Some((f, t)) if f.starts_with("field `") => {
            (format!("csv.{}", f.trim_start_matches("field ").trim_matches('`')), t.to_string())
        }
        _ if body.contains(" column `") => ("csv".to_string(), body.to_string()),
        _ => (String::new(), body.to_string()),
    };
    let field: Vec<&str> = field.split('.').collect();
    let field = match field.as_slice() {
        ["csv", c] => format!("csv.{c}"),
        [t, _, k] => format!("{t}.*.{k}"),
        [t, _] if ["supply", "demand", "blockade", "attacker", "origin", "convoy"].contains(t) => format!("{t}.*"),
        other => other.join("."),
    };
    let mut words = String::new();
    let mut quote = None;
    for c in text.chars() {
        match (quote, c) {
            (None, '`' | '"') => {
                quote = Some(c);
                words.push('_');
            }
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, c) if c.is_ascii_digit() || c == '.' && words.ends_with('#') => {
                if !words.ends_with('#') {
                    words.push('#');
                }
            }
            (None, c) => words.push(c),
        }
    }
    let words: String = words.chars().take(48).collect();
    format!("{field}: {words}")
}

#[test]
fn mutated_inputs_never_panic_and_exit_0_or_2_naming_file_and_line() {
    let inputs = inputs();
    // FUZZ_DUMP=DIR writes every input to DIR/<n>/ (to run another corridor on the same ones).
    if let Ok(dump) = std::env::var("FUZZ_DUMP") {
        for (i, input) in inputs.iter().enumerate() {
            for (rel, bytes) in &input.files {
                let path = Path::new(&dump).join(format!("{i:04}")).join(rel);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(path, bytes).unwrap();
            }
            std::fs::write(Path::new(&dump).join(format!("{i:04}/SCENARIO")), &input.scenario).unwrap();
        }
    }
    let roots: Vec<tempfile::TempDir> = (0..2).map(|_| tempfile::tempdir().unwrap()).collect();
    let start = Instant::now();
    let outcomes: Vec<(usize, Outcome)> = std::thread::scope(|scope| {
        let workers: Vec<_> = roots
            .iter()
            .enumerate()
            .map(|(w, root)| {
                let inputs = &inputs;
                scope.spawn(move || {
                    (w..inputs.len())
                        .step_by(2)
                        .map(|i| (i, run_one(&inputs[i], Stage::of(i, &inputs[i]), root.path())))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    let elapsed = start.elapsed();
    let mut failures = Vec::new();
    let mut classes: BTreeMap<String, usize> = BTreeMap::new();
    let (mut accepted, mut rejected, mut keyed, mut slowest) = (0, 0, 0, Duration::ZERO);
    let file_and_line = |m: &str| {
        let first = m.lines().next().unwrap_or_default();
        [".toml:", ".csv:"]
            .iter()
            .any(|ext| first.split(ext).nth(1).is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit())))
    };
    for (i, o) in &outcomes {
        let input = &inputs[*i];
        slowest = slowest.max(o.took);
        let root = roots[i % 2].path().to_str().unwrap();
        match o.code {
            0 => accepted += 1,
            2 => {
                rejected += 1;
                let c = class(&o.message, root);
                if std::env::var("FUZZ_SHOW").is_ok_and(|v| c.contains(&v)) {
                    println!("{}", o.message); // FUZZ_SHOW=text prints the messages of the classes holding it
                }
                if !c.starts_with(':') {
                    keyed += 1;
                }
                *classes.entry(c).or_default() += 1;
                if !file_and_line(&o.message) {
                    failures.push(format!("#{i} {}: no file and line: {}", input.source, o.message));
                }
            }
            code => failures.push(format!("#{i} {}: exit {code}: {}", input.source, o.message)),
        }
        if o.took > Duration::from_secs(1) {
            // Timed again on its own, to tell a slow input from a busy machine.
            let again = run_one(input, Stage::of(*i, input), roots[0].path()).took;
            if again > Duration::from_secs(1) {
                failures.push(format!("#{i} {}: took {:?}, then {again:?}", input.source, o.took));
            }
        }
    }
    println!(
        "fuzz: {} inputs in {:.1} s (slowest {:.0} ms): {accepted} accepted and run, {rejected} rejected with exit 2 \
         ({keyed} naming a key or column, {} syntax errors without one), {} classes of message",
        outcomes.len(),
        elapsed.as_secs_f64(),
        slowest.as_secs_f64() * 1000.0,
        rejected - keyed,
        classes.len()
    );
    // Kinds of message: the words of a class without its key, cut at the first value.
    let mut kinds: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for (c, n) in &classes {
        let words = c.split_once(": ").map_or(c.as_str(), |(_, w)| w);
        let kind: String = words.split(['_', '#']).next().unwrap_or(words).trim_end_matches([' ', ',']).into();
        let k = kinds.entry(kind).or_default();
        k.0 += n;
        k.1 += 1;
    }
    println!("{} kinds of message (inputs, classes):", kinds.len());
    let mut by_count: Vec<(&String, &(usize, usize))> = kinds.iter().collect();
    by_count.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    for (kind, (n, c)) in by_count {
        println!("{n:6} {c:4}  {kind}");
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
    assert_eq!(outcomes.len(), INPUTS);
    assert!(accepted > INPUTS / 10 && rejected > INPUTS / 3, "{accepted} accepted, {rejected} rejected");
}
