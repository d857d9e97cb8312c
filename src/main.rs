//! The `paradup` binary: parse arguments, run, turn the outcome into an exit code.

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::Args::parse(); // clap prints usage errors and exits 2
    match cli::run(args) {
        Ok(status) => status.into(),
        Err(err) => cli::report_error(&err),
    }
}
