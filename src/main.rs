//! `houqin`: the command line over the same core the desktop app uses, for
//! scripting, batch printing and testing. Errors go to stderr in Chinese with a
//! non-zero exit code; a failed write changes nothing.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::run_from(std::env::args_os())
}
