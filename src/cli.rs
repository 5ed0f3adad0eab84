//! The command line. clap's types stay in this module: it hands the application a [`Command`].

use crate::app::plot::PlotRequest;
use crate::app::{CalibrateArgs, Checks, Command, Common};
use crate::report::charts::{Format, Palette, Style};
use crate::shards::ShardSpec;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "corridor",
    version,
    about = "Monte Carlo simulator of fuel convoys on a road network under blockade",
    long_about = "corridor answers: under this blockade, these escorts and this routing policy, how likely \
                  is each city to run dry, from which day, and how much fuel is lost on the way?\n\n\
                  Exit codes: 0 success, 2 bad input or usage, 1 any other failure."
)]
struct Cli {
    #[command(subcommand)]
    command: Verb,
}

/// Flags every simulating verb takes.
#[derive(Debug, Args)]
struct CommonArgs {
    /// Number of Monte Carlo runs (overrides [simulation] runs)
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=crate::scenario::MAX_RUNS))]
    runs: Option<u64>,
    /// Random seed (overrides [simulation] seed)
    #[arg(long)]
    seed: Option<u64>,
    /// Worker threads (default: one per core); results do not depend on it
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=1024))]
    threads: Option<u16>,
    /// Output folder (default: under output/)
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Print nothing but errors: no progress bar, no table
    #[arg(long)]
    quiet: bool,
    /// Play only shard I of N of the work (1-based) and write it to a partial file for
    /// `corridor merge` (--out names the file; default output/<name>/shard-I-of-N.partial);
    /// `auto`: from SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT, or JOB_COMPLETION_INDEX with --shards
    #[arg(long, value_name = "I/N|auto")]
    shard: Option<ShardSpec>,
    /// With --shard auto: the number of shards (required with JOB_COMPLETION_INDEX, a Kubernetes
    /// Indexed Job's completions; with Slurm, checked against SLURM_ARRAY_TASK_COUNT)
    #[arg(long, value_name = "N", requires = "shard", value_parser = clap::value_parser!(u64).range(1..=crate::shards::MAX_SHARDS))]
    shards: Option<u64>,
    #[command(flatten)]
    checks: CheckArgs,
}

/// `--precision`, on the verbs that take it.
#[derive(Debug, Args)]
struct PrecisionArgs {
    /// Stop the runs once the 95 % interval is this narrow: NODE.METRIC=HALF_WIDTH, METRIC one of
    /// p_shortage, first_shortage_day, unmet_m3, delivered_m3, lost_m3 (repeat: all must hold);
    /// checked every 1,000 runs, --runs is the cap
    #[arg(long, value_name = "NODE.METRIC=HALF_WIDTH")]
    precision: Vec<String>,
}

/// Limits and warnings, for the simulating verbs and `validate`.
#[derive(Debug, Args)]
struct CheckArgs {
    /// Refuse a simulation that needs more memory than SIZE (such as 8G or 500M; default: half
    /// the machine's memory)
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    max_memory: Option<u64>,
    /// Treat warnings about the scenario as errors (exit code 2)
    #[arg(long)]
    deny_warnings: bool,
}

impl From<CheckArgs> for Checks {
    fn from(a: CheckArgs) -> Checks {
        Checks { max_memory: a.max_memory, deny_warnings: a.deny_warnings }
    }
}

fn parse_size(text: &str) -> Result<u64, String> {
    crate::memory::parse_bytes(text).ok_or_else(|| "expected a size such as 8G, 500M or 2000000 (bytes)".to_string())
}

impl From<CommonArgs> for Common {
    fn from(a: CommonArgs) -> Common {
        Common {
            runs: a.runs,
            seed: a.seed,
            threads: a.threads.map(usize::from),
            out: a.out,
            quiet: a.quiet,
            report: false,
            shard: a.shard,
            shards: a.shards,
            precision: Vec::new(),
            no_runs_csv: false,
            checks: a.checks.into(),
        }
    }
}

#[derive(Debug, Subcommand)]
enum Verb {
    /// Run a scenario; write tables and charts to output/<name>/
    #[command(
        long_about = "Run a scenario: P(shortage), first-shortage day, unmet, delivered and lost fuel per city, \
                      with tables (summary.csv, daily.csv, runs.csv, edges.csv, blockades.csv) and charts \
                      (stock_<city>, shortage_probability) in output/<name>/.",
        after_help = "Examples:\n  corridor run scenarios/bamako_2025.toml --runs 20000 --threads 2\n  \
                      corridor run scenarios/bamako_2025.toml --precision bamako.unmet_m3=200 --runs 1000000\n  \
                      corridor run scenarios/bamako_2025.toml --runs 1000000 --shard 3/8   (then corridor merge)"
    )]
    Run {
        /// The scenario file (TOML)
        scenario: PathBuf,
        #[command(flatten)]
        common: CommonArgs,
        #[command(flatten)]
        precision: PrecisionArgs,
        /// Also write report.html and report.md (as `corridor report` does)
        #[arg(long)]
        report: bool,
        /// Leave runs.csv out (for very large runs)
        #[arg(long)]
        no_runs_csv: bool,
    },
    /// Check a scenario and its network without running it
    #[command(after_help = "Example:\n  corridor validate scenarios/bamako_2025.toml")]
    Validate {
        /// The scenario file (TOML)
        scenario: PathBuf,
        #[command(flatten)]
        checks: CheckArgs,
    },
    /// Compare scenarios run by run with common random numbers
    #[command(
        long_about = "Run every scenario with the same random numbers for the same purposes (common random \
                      numbers) and read each against the first: P(shortage), first-shortage day, unmet, lost \
                      and delivered fuel, and the run-by-run difference with its 95 % interval. Writes \
                      comparison.csv, shortage_<city> (curves overlaid) and differences charts to \
                      output/compare_<first>_<second>/. The first scenario's runs and seed apply to all.",
        after_help = "Example:\n  corridor compare scenarios/baseline.toml scenarios/bamako_2025.toml --runs 5000"
    )]
    Compare {
        /// Two or more scenario files; the first is the reference
        #[arg(required = true, num_args = 2.., value_name = "SCENARIO")]
        scenarios: Vec<PathBuf>,
        #[command(flatten)]
        common: CommonArgs,
        #[command(flatten)]
        precision: PrecisionArgs,
    },
    /// Run one scenario over a grid of parameter values with common random numbers
    #[command(
        long_about = "Run variants of one scenario, each --set KEY=FROM:TO:STEP giving a parameter and its values \
                      (several --set make a grid). KEY is a path into the scenario: simulation.KEY, routing.KEY, \
                      supply.NAME.KEY, blockade.NAME.KEY, attacker.NAME.KEY or demand.NODE.KEY. Every point is validated like a \
                      scenario file and run with the same random numbers. Writes sweep.csv and \
                      sweep_<outcome>_<city> charts (outcome against the first parameter, with its 95 % band) \
                      to output/sweep_<name>/.",
        after_help = "Examples:\n  corridor sweep scenarios/bamako_2025.toml --set blockade.kayes_diema.attack_prob=0:0.5:0.1\n  \
                      corridor sweep scenarios/bamako_2025.toml --set supply.dakar-bamako.convoys_per_day=0.25:0.75:0.25 \
                      --set demand.bamako.initial_stock_m3=18000:36000:9000 --runs 2000"
    )]
    Sweep {
        /// The scenario file (TOML)
        scenario: PathBuf,
        /// KEY=FROM:TO:STEP (or KEY=VALUE); repeat for a grid
        #[arg(long = "set", value_name = "KEY=FROM:TO:STEP", required = true)]
        sets: Vec<String>,
        #[command(flatten)]
        common: CommonArgs,
    },
    /// Rank nodes and roads by how much a blockade there worsens a city's shortage
    #[command(
        long_about = "Put a blockade of the given strength on each node and road on the routes (for the whole \
                      horizon), run each variant with common random numbers against the scenario as it is, and \
                      rank the sites by the increase in the target's expected unmet demand, then in its \
                      P(shortage). --k 2 also searches every pair exactly; a larger k adds sites greedily to \
                      the best pair. Writes critical.csv and critical_sites (and critical_pairs) bar charts to \
                      output/critical_<name>_<target>/.",
        after_help = "Examples:\n  corridor critical scenarios/baseline.toml --target bamako --runs 2000\n  \
                      corridor critical scenarios/baseline.toml --k 2 --strength attack_prob=0.5,truck_loss_prob=0.6 --runs 500"
    )]
    Critical {
        /// The scenario file (TOML)
        scenario: PathBuf,
        /// The demand node whose shortage is ranked (default: the first [[demand]])
        #[arg(long)]
        target: Option<String>,
        /// Number of sites blockaded together: 1, 2 (every pair) or more (greedy)
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=10))]
        k: u16,
        /// The blockade on each site: attack_prob, truck_loss_prob, hold_days (default: a total blockade)
        #[arg(long, default_value = "attack_prob=1,truck_loss_prob=1,hold_days=0")]
        strength: String,
        #[command(flatten)]
        common: CommonArgs,
    },
    /// Score a scenario against what was observed
    #[command(
        long_about = "Run a scenario and score it against an observations file (CSV: name, quantity, node, site, \
                      from, to, low, high, source): for each target, the model's statistic over the runs, the 5 and \
                      95 % points across runs, the observed band and whether the statistic falls in it. Writes \
                      hindcast.csv and losses_daily.csv beside the usual run outputs to output/hindcast_<name>/. \
                      Exit 0 whether or not targets are met.",
        after_help = "Example:\n  corridor hindcast scenarios/bamako_2025.toml --observations data/west_africa/observations_2025.csv"
    )]
    Hindcast {
        /// The scenario file (TOML)
        scenario: PathBuf,
        /// The observations file (CSV)
        #[arg(long, value_name = "FILE")]
        observations: PathBuf,
        #[command(flatten)]
        common: CommonArgs,
    },
    /// Fit a scenario's uncertain parameters to observations
    #[command(
        long_about = "Approximate Bayesian computation by rejection: draw --samples parameter sets from a scrambled \
                      Sobol design over the box given by the --fit ranges (KEY as in `sweep`), run each --runs times \
                      with common random numbers, score each against the observations (distance: root sum of squares \
                      of how far each statistic lies outside its band, in band widths) and keep the closest --accept \
                      share. Writes calibration.csv, posterior.csv, calibrated.toml (the scenario with the posterior \
                      medians written in) and calibrated_hindcast.csv (the calibrated scenario against every target) \
                      to output/calibrate_<name>/. With --train-until, only targets ending by then are fitted; the \
                      others are predicted, out of sample. With --shard I/N, plays only its share of the parameter \
                      sets into a partial file; `corridor merge` of every shard accepts, runs the check of the \
                      calibrated scenario and writes the same folder.",
        after_help = "Example:\n  corridor calibrate scenarios/bamako_2025.toml --observations data/west_africa/observations_2025.csv \\\n    \
                      --fit demand.bamako.consumption_m3_per_day=1500:2100 --fit deterrence.per_attack=0.1:0.9 \\\n    \
                      --samples 500 --runs 200 --train-until 2025-10-31   (add --shard 3/8, then corridor merge)"
    )]
    Calibrate {
        /// The scenario file (TOML)
        scenario: PathBuf,
        /// The observations file (CSV)
        #[arg(long, value_name = "FILE")]
        observations: PathBuf,
        /// KEY=LO:HI, a parameter and its prior range; repeat for several
        #[arg(long = "fit", value_name = "KEY=LO:HI", required = true)]
        fits: Vec<String>,
        /// Parameter sets to draw (at most 65,536)
        #[arg(long, default_value_t = 1000)]
        samples: u64,
        /// Share of the sets kept (the closest)
        #[arg(long, default_value_t = 0.1)]
        accept: f64,
        /// Fit only targets ending by this day (a number or a date); predict the others
        #[arg(long, value_name = "DAY")]
        train_until: Option<String>,
        /// Runs of the calibrated scenario when it is scored (default: the scenario's runs)
        #[arg(long, value_parser = clap::value_parser!(u64).range(1..=crate::scenario::MAX_RUNS))]
        check_runs: Option<u64>,
        /// Runs per parameter set (default 200), seed, threads, output folder, quiet
        #[command(flatten)]
        common: CommonArgs,
    },
    /// Write report.html and report.md for an output folder
    #[command(
        long_about = "Write report.html (one self-contained page: every chart embedded, no network access \
                      needed, prints well) and report.md for a folder written by `corridor run`, `hindcast`, \
                      `compare`, `sweep`, `critical` or `calibrate`, with the content that fits it: for a run, the \
                      scenario in plain words, the key numbers with 95 % intervals, every chart and a provenance \
                      block (version, scenario and network hashes, seed, runs, threads, date); for a hindcast, the \
                      same with every observation against the model; for the others, what was run, \
                      their table of results, every chart and their provenance.",
        after_help = "Examples:\n  corridor report output/bamako_2025\n  corridor run scenarios/bamako_2025.toml --report\n  \
                      corridor report output/critical_bamako_2025_bamako"
    )]
    Report {
        /// A folder written by `corridor run`, `hindcast`, `compare`, `sweep`, `critical` or `calibrate`
        dir: PathBuf,
        /// Print nothing but errors
        #[arg(long)]
        quiet: bool,
    },
    /// Merge the partial files of a job split with --shard into the folder the unsplit command writes
    #[command(
        long_about = "Merge the partial files written by `corridor run|compare|sweep|critical|calibrate --shard \
                      I/N` into the output folder the same command without --shard writes (default: its folder \
                      under output/): every file byte for byte the same, provenance.toml aside, which records \
                      the shards. The partials may come in any order; partials of different jobs (scenarios, \
                      networks, seeds, runs, arguments, observations, versions), two copies of one shard, or a \
                      missing shard are refused. The merge of a calibration accepts the closest sets of all \
                      shards and then simulates the check runs of the calibrated scenario itself.",
        after_help = "Example:\n  corridor merge output/bamako_2025/shard-*-of-8.partial"
    )]
    Merge {
        /// The partial files, every shard of one job once
        #[arg(required = true)]
        partials: Vec<PathBuf>,
        /// Output folder (default: the one the unsplit command writes, under output/)
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Print nothing but errors
        #[arg(long)]
        quiet: bool,
    },
    /// Redraw the charts of an output folder from its files, without simulating again
    #[command(
        long_about = "Redraw the charts of a folder written by `corridor run`, `hindcast`, `compare`, `sweep`, `critical` or `calibrate` \
                      from the files in it, without simulating again: in other formats (SVG, PNG, PDF with its \
                      font embedded), at another size (every chart lays itself out for it), in greys for \
                      black-and-white print, with day numbers instead of dates, only some of them, or into \
                      another folder.",
        after_help = "Examples:\n  corridor plot output/bamako_2025 --format svg\n  \
                      corridor plot output/bamako_2025 --only stock_bamako,network_map --width 600 --height 400 \
                      --palette greyscale --format pdf --out paper/figures"
    )]
    Plot {
        /// A folder written by `corridor run`, `hindcast`, `compare`, `sweep`, `critical` or `calibrate`
        dir: PathBuf,
        /// Formats to write, comma-separated
        #[arg(long, value_enum, value_delimiter = ',', default_value = "svg,png")]
        format: Vec<FormatArg>,
        /// Chart width in pixels
        #[arg(long, default_value_t = 1200, value_parser = clap::value_parser!(u32).range(400..=4000))]
        width: u32,
        /// Chart height in pixels
        #[arg(long, default_value_t = 700, value_parser = clap::value_parser!(u32).range(300..=4000))]
        height: u32,
        /// Colours: colour (Okabe–Ito, colour-blind safe) or greyscale (for black-and-white print)
        #[arg(long, value_enum, default_value = "colour")]
        palette: PaletteArg,
        /// Write the charts into this folder (default: the folder itself)
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Draw only these charts (names as in the folder, without extension), comma-separated
        #[arg(long, value_name = "NAME", value_delimiter = ',')]
        only: Option<Vec<String>>,
        /// Day numbers on time axes, even when the scenario has a start date
        #[arg(long)]
        days: bool,
        /// Print nothing but errors
        #[arg(long)]
        quiet: bool,
    },
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum FormatArg {
    Svg,
    Png,
    Pdf,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum PaletteArg {
    Colour,
    Greyscale,
}

/// Parses the process arguments; on a usage error clap prints it and exits with code 2.
pub fn parse() -> Command {
    match Cli::parse().command {
        Verb::Run { scenario, common, precision, report, no_runs_csv } => Command::Run {
            scenario,
            common: Common { report, no_runs_csv, precision: precision.precision, ..common.into() },
        },
        Verb::Validate { scenario, checks } => Command::Validate { scenario, checks: checks.into() },
        Verb::Compare { scenarios, common, precision } => {
            Command::Compare { scenarios, common: Common { precision: precision.precision, ..common.into() } }
        }
        Verb::Merge { partials, out, quiet } => Command::Merge { partials, out, quiet },
        Verb::Sweep { scenario, sets, common } => Command::Sweep { scenario, sets, common: common.into() },
        Verb::Report { dir, quiet } => Command::Report { dir, quiet },
        Verb::Calibrate { scenario, observations, fits, samples, accept, train_until, check_runs, common } => {
            let args = CalibrateArgs { observations, fits, samples, accept, train_until, check_runs };
            Command::Calibrate { scenario, args, common: common.into() }
        }
        Verb::Hindcast { scenario, observations, common } => {
            Command::Hindcast { scenario, observations, common: common.into() }
        }
        Verb::Plot { dir, format, width, height, palette, out, only, days, quiet } => {
            let mut formats = Vec::new();
            for f in format {
                let f = match f {
                    FormatArg::Svg => Format::Svg,
                    FormatArg::Png => Format::Png,
                    FormatArg::Pdf => Format::Pdf,
                };
                if !formats.contains(&f) {
                    formats.push(f);
                }
            }
            let palette = match palette {
                PaletteArg::Colour => Palette::Colour,
                PaletteArg::Greyscale => Palette::Greyscale,
            };
            let style = Style { width, height, formats, palette, days };
            Command::Plot { dir, request: PlotRequest { style, out, only }, quiet }
        }
        Verb::Critical { scenario, target, k, strength, common } => {
            Command::Critical { scenario, target, k: usize::from(k), strength, common: common.into() }
        }
    }
}

/// Every verb: its synopsis (positional arguments and its own options; the flags every
/// simulating verb takes, and the checks `validate` shares with them, are left out) and what it
/// does, as the README lists them.
pub fn command_summary() -> String {
    use clap::CommandFactory;
    const COMMON: [&str; 7] = ["runs", "seed", "threads", "out", "quiet", "shard", "shards"];
    const CHECKS: [&str; 2] = ["max_memory", "deny_warnings"];
    let cli = Cli::command();
    let mut out = String::new();
    for verb in cli.get_subcommands() {
        let simulating = verb.get_arguments().any(|a| a.get_id() == "threads");
        let mut synopsis = format!("corridor {}", verb.get_name());
        for arg in verb.get_arguments() {
            let name = arg.get_id().as_str();
            let common = simulating && COMMON.contains(&name);
            if name == "help" || common || CHECKS.contains(&name) || (!simulating && name == "quiet") {
                continue;
            }
            let value = arg.get_value_names().and_then(|v| v.first()).map_or(name.to_uppercase(), |v| v.to_string());
            let takes_value = arg.get_action().takes_values();
            let many = arg.get_num_args().is_some_and(|n| n.min_values() > 1);
            let repeated = matches!(arg.get_action(), clap::ArgAction::Append);
            synopsis.push(' ');
            synopsis.push_str(&match (arg.get_long(), takes_value, arg.is_required_set()) {
                (None, _, true) if many => format!("{value} {value} [...]"),
                (None, _, true) => value,
                (None, _, false) => format!("[{value}]"),
                (Some(long), true, true) if repeated => format!("--{long} {value} [--{long} ...]"),
                (Some(long), true, true) => format!("--{long} {value}"),
                (Some(long), true, false) => format!("[--{long} {value}]"),
                (Some(long), false, _) => format!("[--{long}]"),
            });
        }
        let about = verb.get_about().map(|a| a.to_string()).unwrap_or_default();
        out.push_str(&format!("{synopsis}\n    {about}\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_summary_lists_every_verb() {
        let s = command_summary();
        for line in
            ["corridor run SCENARIO [--precision", "corridor compare SCENARIO SCENARIO [...]", "corridor plot DIR"]
        {
            assert!(s.contains(line), "{s}");
        }
        assert!(s.contains("[--only NAME]") && !s.contains("--threads") && !s.contains("[--shard"), "{s}");
    }

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn usage_errors_exit_with_2() {
        for args in [
            &["corridor", "run", "x.toml", "--runs", "0"][..],
            &["corridor", "run", "x.toml", "--threads", "0"],
            &["corridor", "compare", "only_one.toml"],
            &["corridor", "run", "x.toml", "--max-memory", "lots"],
        ] {
            let e = Cli::try_parse_from(args).unwrap_err();
            assert_eq!(e.exit_code(), 2, "{args:?}");
        }
    }
}
