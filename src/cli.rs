//! The command line. clap's types stay in this module: it hands the application a [`Command`].

use crate::app::{Command, RunOptions};
use clap::{Parser, Subcommand};
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

#[derive(Debug, Subcommand)]
enum Verb {
    /// Run a scenario and write tables and charts to output/<name>/
    #[command(
        after_help = "Example:\n  corridor run scenarios/bamako_2025.toml --runs 20000 --threads 2"
    )]
    Run {
        /// The scenario file (TOML)
        scenario: PathBuf,
        /// Number of Monte Carlo runs (overrides [simulation] runs)
        #[arg(long, value_parser = clap::value_parser!(u64).range(1..=crate::scenario::MAX_RUNS))]
        runs: Option<u64>,
        /// Random seed (overrides [simulation] seed)
        #[arg(long)]
        seed: Option<u64>,
        /// Worker threads (default: one per core); results do not depend on it
        #[arg(long, value_parser = clap::value_parser!(u16).range(1..=1024))]
        threads: Option<u16>,
        /// Output folder (default: output/<scenario name>)
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Print nothing but errors: no progress bar, no table
        #[arg(long)]
        quiet: bool,
    },
    /// Check a scenario and its network without running it
    #[command(after_help = "Example:\n  corridor validate scenarios/bamako_2025.toml")]
    Validate {
        /// The scenario file (TOML)
        scenario: PathBuf,
    },
}

/// Parses the process arguments; on a usage error clap prints it and exits with code 2.
pub fn parse() -> Command {
    match Cli::parse().command {
        Verb::Run {
            scenario,
            runs,
            seed,
            threads,
            out,
            quiet,
        } => Command::Run(RunOptions {
            scenario,
            runs,
            seed,
            threads: threads.map(usize::from),
            out,
            quiet,
        }),
        Verb::Validate { scenario } => Command::Validate(scenario),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn zero_runs_and_threads_are_usage_errors() {
        for args in [
            ["corridor", "run", "x.toml", "--runs", "0"],
            ["corridor", "run", "x.toml", "--threads", "0"],
        ] {
            let e = Cli::try_parse_from(args).unwrap_err();
            assert_eq!(e.exit_code(), 2);
        }
    }
}
