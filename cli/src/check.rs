//! `check`: the macro's checks, shown against the spec text.

use std::io::Write;

use api_errors_spec::spec::{self, Diagnostic};
use api_errors_spec::validate;

/// Checks one spec; `true` when it has no problem. Problems go to `err`, each with
/// its line and a caret; a summary of a good spec goes to `out`.
pub fn check(path: &str, text: &str, out: &mut dyn Write, err: &mut dyn Write) -> bool {
    let problems = match spec::load(text) {
        Err(problems) => problems,
        Ok((loaded, tree)) => {
            // Every API is checked whichever is selected; select the first so that a
            // spec with several is not asked which one.
            let first = loaded.apis.0.first().map(|(k, _)| k.as_str());
            match validate::validate(&loaded, first, &tree) {
                Ok(_) => {
                    let apis = loaded.apis.0.len();
                    let entries: usize = loaded.apis.0.iter().map(|(_, a)| a.errors.len()).sum();
                    let _ = writeln!(
                        out,
                        "{path}: ok ({apis} API{}, {entries} entr{})",
                        if apis == 1 { "" } else { "s" },
                        if entries == 1 { "y" } else { "ies" }
                    );
                    return true;
                }
                Err(failure) => {
                    let mut all = failure.spec;
                    all.extend(failure.api.map(|message| Diagnostic { pos: None, message }));
                    all
                }
            }
        }
    };
    report(path, text, &problems, err);
    let n = problems.len();
    let _ = writeln!(err, "{path}: {n} problem{}", if n == 1 { "" } else { "s" });
    false
}

/// Most problems shown for one file (as the macro shows); the rest are counted.
pub const SHOWN: usize = 50;

/// Writes the first [`SHOWN`] of `problems` to `err`, each with its line, then a
/// count of the rest. The text is split into lines once, so that many problems
/// render in time linear in the text and their number.
pub fn report(path: &str, text: &str, problems: &[Diagnostic], err: &mut dyn Write) {
    let lines: Vec<&str> = match api_errors_spec::yaml::not_printable(text) {
        // A file with characters YAML does not allow is not shown at all.
        Some(_) => Vec::new(),
        None => text.lines().collect(),
    };
    for d in problems.iter().take(SHOWN) {
        let line = d
            .pos
            .and_then(|p| lines.get(p.line.saturating_sub(1)).copied());
        let _ = err.write_all(render_with(path, line, d).as_bytes());
    }
    if let Some(rest @ 1..) = problems.len().checked_sub(SHOWN) {
        let _ = writeln!(
            err,
            "... and {rest} more problem{} (fix these first)\n",
            if rest == 1 { "" } else { "s" }
        );
    }
}

/// One diagnostic as the compiler shows one: the message, where, the spec's line
/// and a caret under the column.
///
/// ```
/// use api_errors_spec::spec::Diagnostic;
/// use api_errors_spec::yaml::Pos;
///
/// let text = "vendor: V\napis: [\n";
/// let d = Diagnostic::at(Pos { line: 2, column: 7 }, "invalid YAML");
/// assert_eq!(
///     api_errors_cli::render("v.yaml", text, &d),
///     "error: invalid YAML\n --> v.yaml:2:7\n  |\n2 | apis: [\n  |       ^\n\n"
/// );
/// ```
pub fn render(path: &str, text: &str, d: &Diagnostic) -> String {
    let line = match api_errors_spec::yaml::not_printable(text) {
        // A file with characters YAML does not allow is not shown at all.
        Some(_) => None,
        None => d
            .pos
            .and_then(|p| text.lines().nth(p.line.saturating_sub(1))),
    };
    render_with(path, line, d)
}

/// [`render`], given the diagnostic's line of the text.
fn render_with(path: &str, line: Option<&str>, d: &Diagnostic) -> String {
    let Some(pos) = d.pos else {
        return format!("error: {}\n --> {path}\n\n", d.message);
    };
    let mut s = format!("error: {}\n --> {path}:{pos}\n", d.message);
    if let Some(line) = line {
        // The line as it is, but nothing that a terminal would act on.
        let shown: String = line
            .chars()
            .map(|c| match c {
                '\t' => ' ',
                c if c.is_control() => '\u{fffd}',
                c => c,
            })
            .collect();
        let number = pos.line.to_string();
        let pad = " ".repeat(number.len());
        let caret = " ".repeat(pos.column.saturating_sub(1).min(shown.chars().count()));
        s.push_str(&format!("{pad} |\n{number} | {shown}\n{pad} | {caret}^\n"));
    }
    s.push('\n');
    s
}
