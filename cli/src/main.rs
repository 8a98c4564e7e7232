//! The `api-errors` command: see `api-errors help` and the crate's README.

use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (mut out, mut err) = (std::io::stdout().lock(), std::io::stderr().lock());
    let code = api_errors_cli::run(&args, &mut out, &mut err);
    // A closed pipe (`| head`) is not worth a second message.
    let _ = (out.flush(), err.flush());
    ExitCode::from(code)
}
