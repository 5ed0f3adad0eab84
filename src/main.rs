//! The `corridor` binary: parses the command line, calls the library, reports errors.

use std::process::ExitCode;

fn main() -> ExitCode {
    let command = corridor::cli::parse();
    match corridor::app::execute(command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("{}", corridor::app::error_line(&err));
            ExitCode::from(corridor::app::exit_code(&err))
        }
    }
}
