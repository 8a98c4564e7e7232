//! The `api-errors` command-line tool, for people who write and review
//! [api-errors](https://docs.rs/api-errors) specs:
//!
//! - `api-errors check SPEC...`: the macro's own checks (one implementation, from
//!   `api-errors-spec`), each problem shown with its spec line and a caret; exits
//!   non-zero when any spec has a problem, so it fits a pre-commit hook or CI.
//! - `api-errors doc SPEC [--api NAME]`: Markdown tables, one per API (status, code,
//!   variant, meaning, advice, retry), for a project's docs.
//! - `api-errors import-openapi FILE`: a spec skeleton from an OpenAPI 3.0 or 3.1
//!   document (YAML or JSON), written to standard output.
//! - `api-errors schema`: the JSON Schema of the spec format.
//!
//! The binary is a thin shell over [`run`], which takes the arguments and two
//! writers and returns the exit status, so everything it does can be tested
//! without a process.

#![forbid(unsafe_code)]

use std::io::{Read, Write};

mod check;
mod doc;
pub mod openapi;

pub use check::render;

/// Exit status: everything checked out.
pub const OK: u8 = 0;
/// Exit status: a spec has problems, or a file could not be read or imported.
pub const FAILED: u8 = 1;
/// Exit status: the command line itself is wrong.
pub const USAGE: u8 = 2;

/// Largest file read (bytes): above every parser's own limit, so that a file too
/// big is reported by the parser with its limit, and a huge one is never loaded whole.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

const HELP: &str = "\
api-errors: check, document and import api-errors specs

Usage:
  api-errors check SPEC...            check specs as the #[api_errors] macro does
  api-errors doc SPEC [--api NAME]    print Markdown tables of a spec's errors
  api-errors import-openapi FILE      print a spec skeleton from an OpenAPI 3 document
  api-errors schema                   print the JSON Schema of the spec format
  api-errors help | --help | --version

Exit status: 0 all good, 1 a spec has problems (or a file could not be read),
2 the command line is wrong.
";

/// Runs the tool on `args` (without the program name), writing results to `out`
/// and problems to `err`; returns the exit status ([`OK`], [`FAILED`], [`USAGE`]).
/// Write errors on `out` and `err` are ignored (a closed pipe is no problem).
pub fn run(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let Some((command, rest)) = args.split_first() else {
        let _ = write!(err, "{HELP}");
        return USAGE;
    };
    match command.as_str() {
        "help" | "--help" | "-h" => {
            let _ = write!(out, "{HELP}");
            OK
        }
        "--version" | "-V" => {
            let _ = writeln!(out, "api-errors {}", env!("CARGO_PKG_VERSION"));
            OK
        }
        "check" => {
            if rest.is_empty() {
                return usage(err, "`check` needs at least one spec file");
            }
            if let Some(flag) = rest.iter().find(|a| a.starts_with('-')) {
                return usage(err, &format!("`check` takes no option `{flag}`"));
            }
            let mut status = OK;
            for path in rest {
                let ok = match read(path) {
                    Ok(text) => check::check(path, &text, out, err),
                    Err(why) => {
                        let _ = writeln!(err, "error: {why}");
                        false
                    }
                };
                if !ok {
                    status = FAILED;
                }
            }
            status
        }
        "doc" => {
            let (mut file, mut api) = (None, None);
            let mut it = rest.iter();
            while let Some(a) = it.next() {
                match a.as_str() {
                    "--api" => match it.next() {
                        Some(name) => api = Some(name.as_str()),
                        None => return usage(err, "`--api` needs an API key, e.g. `--api batch`"),
                    },
                    flag if flag.starts_with('-') => {
                        return usage(err, &format!("`doc` takes no option `{flag}`"))
                    }
                    _ if file.is_some() => return usage(err, "`doc` takes one spec file"),
                    path => file = Some(path),
                }
            }
            let Some(path) = file else {
                return usage(err, "`doc` needs a spec file");
            };
            match read(path) {
                Ok(text) => doc::doc(path, &text, api, out, err),
                Err(why) => {
                    let _ = writeln!(err, "error: {why}");
                    FAILED
                }
            }
        }
        "import-openapi" => {
            let [path] = rest else {
                return usage(err, "`import-openapi` takes one OpenAPI document");
            };
            let text = match read(path) {
                Ok(t) => t,
                Err(why) => {
                    let _ = writeln!(err, "error: {why}");
                    return FAILED;
                }
            };
            match openapi::import(&text, path) {
                Ok(import) => {
                    let _ = out.write_all(import.spec.as_bytes());
                    for note in &import.notes {
                        let _ = writeln!(err, "note: {note}");
                    }
                    OK
                }
                Err(why) => {
                    let _ = writeln!(err, "error: {path}: {why}");
                    FAILED
                }
            }
        }
        "schema" => {
            if !rest.is_empty() {
                return usage(err, "`schema` takes no arguments");
            }
            let _ = out.write_all(api_errors_spec::bundled::SCHEMA.as_bytes());
            OK
        }
        other => {
            let commands = ["check", "doc", "import-openapi", "schema", "help"];
            let hint = api_errors_spec::names::closest(other, commands)
                .map_or_else(String::new, |c| format!("; did you mean `{c}`?"));
            usage(err, &format!("no command `{other}`{hint}"))
        }
    }
}

fn usage(err: &mut dyn Write, message: &str) -> u8 {
    let _ = writeln!(err, "error: {message}\n\n{HELP}");
    USAGE
}

/// A file's text, read up to [`MAX_FILE_BYTES`] (one byte more is kept so that the
/// parser reports the size).
fn read(path: &str) -> Result<String, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("cannot open `{path}`: {e}"))?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read `{path}`: {e}"))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(format!(
            "`{path}` is larger than {} MiB; nothing this tool reads is that big",
            MAX_FILE_BYTES / (1024 * 1024)
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "`{path}` is not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })
}
