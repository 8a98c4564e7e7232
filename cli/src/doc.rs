//! `doc`: a spec's errors as Markdown tables.

use std::io::Write;

use api_errors_spec::model::{Hint, Model, RETRIED_BY_DEFAULT};
use api_errors_spec::spec::{self, When, LONG_WAIT_WORDS};
use api_errors_spec::validate;

use crate::{FAILED, OK, USAGE};

/// Prints one table per API of the spec at `path` (or only `api`'s).
pub fn doc(
    path: &str,
    text: &str,
    api: Option<&str>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> u8 {
    let (loaded, tree) = match spec::load(text) {
        Ok(s) => s,
        Err(problems) => return report(path, text, &problems, err),
    };
    let keys: Vec<&str> = match api {
        Some(want) => {
            if !loaded.apis.0.iter().any(|(k, _)| k == want) {
                let keys: Vec<&str> = loaded.apis.0.iter().map(|(k, _)| k.as_str()).collect();
                let _ = writeln!(
                    err,
                    "error: {path} has no API `{want}`; its APIs are {}",
                    keys.iter()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                );
                return USAGE;
            }
            vec![want]
        }
        None => loaded.apis.0.iter().map(|(k, _)| k.as_str()).collect(),
    };
    let mut models = Vec::new();
    for key in keys {
        match validate::validate(&loaded, Some(key), &tree) {
            Ok(m) => models.push(m),
            Err(failure) => return report(path, text, &failure.spec, err),
        }
    }
    let mut s = String::new();
    for m in &models {
        table(m, &mut s);
    }
    let _ = out.write_all(s.as_bytes());
    OK
}

fn report(path: &str, text: &str, problems: &[spec::Diagnostic], err: &mut dyn Write) -> u8 {
    crate::check::report(path, text, problems, err);
    let _ = writeln!(
        err,
        "{path}: fix these problems first (`api-errors check {path}`)"
    );
    FAILED
}

/// One API's table, with a heading and the spec's source.
fn table(m: &Model, s: &mut String) {
    s.push_str(&format!(
        "## {}: {} (`{}`)\n\n",
        cell(&m.vendor),
        cell(&m.api_title),
        m.api
    ));
    if let Some(src) = &m.source {
        s.push_str(&format!("Source: {}\n\n", cell(src)));
    }
    if let Some(c) = &m.client {
        s.push_str(&client(c));
    }
    if let Some(l) = &m.limits {
        s.push_str(&limits(l));
    }
    if let Some(b) = &m.batch {
        s.push_str(&batch(b));
    }
    s.push_str("| Status | Code | Variant | Meaning | Advice | Retry |\n");
    s.push_str("|---:|---|---|---|---|---|\n");
    for v in &m.variants {
        let mut codes: Vec<String> = v.codes.iter().map(|c| format!("`{}`", cell(c))).collect();
        if let Some(t) = &v.error_type {
            codes.push(format!("type `{}`", cell(t)));
        }
        if let Some(t) = &v.message_contains {
            codes.push(format!("message has \"{}\"", cell(t)));
        }
        for (name, value) in &v.headers {
            match value {
                Some(value) => codes.push(format!("header `{}: {}`", cell(name), cell(value))),
                None => codes.push(format!("header `{}` present", cell(name))),
            }
        }
        s.push_str(&format!(
            "| {} | {} | `{}` | {} | {} | {} |\n",
            v.statuses_text(),
            codes.join(", "),
            v.name,
            cell(&v.meaning),
            v.advice.as_deref().map(cell).unwrap_or_default(),
            retry(v.retry.as_ref(), v.status),
        ));
    }
    s.push('\n');
}

/// Retry guidance in words.
fn retry(hint: Option<&Hint>, status: u16) -> String {
    let Some(h) = hint else {
        return if RETRIED_BY_DEFAULT.contains(&status) {
            "backoff (class default)".into()
        } else {
            "never (class default)".into()
        };
    };
    let mut parts = vec![match h.when {
        When::Never => return "never".into(),
        When::Always => "retry",
        When::Idempotent => "retry if idempotent",
        When::Reauthenticated => "retry after reauthenticating",
    }
    .to_string()];
    if h.retry_after {
        parts.push("after the server's wait".into());
    }
    if let Some(ms) = h.wait_ms {
        parts.push(format!("at least {}", duration(ms)));
    }
    match (h.fallback_ms, h.backoff_ms) {
        (Some(ms), Some((_, cap))) => parts.push(format!(
            "{} when the server states none, doubling up to {}",
            duration(ms),
            duration(cap)
        )),
        (Some(ms), None) => parts.push(format!("{} when the server states none", duration(ms))),
        (None, Some((base, cap))) => {
            parts.push(format!("backoff {} to {}", duration(base), duration(cap)))
        }
        (None, None) => {}
    }
    if let Some(word) = h.long_wait.and_then(|i| LONG_WAIT_WORDS.get(i)) {
        parts.push(format!("long waits: {word}"));
    }
    parts.join("; ")
}

fn duration(ms: u64) -> String {
    match ms {
        ms if ms % 3_600_000 == 0 && ms > 0 => format!("{} h", ms / 3_600_000),
        ms if ms % 60_000 == 0 && ms > 0 => format!("{} min", ms / 60_000),
        ms if ms % 1000 == 0 => format!("{} s", ms / 1000),
        ms => format!("{ms} ms"),
    }
}

/// Spec text made safe for a table cell: one line, pipes escaped, no HTML.
fn cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.split_whitespace().flat_map(|w| w.chars().chain([' '])) {
        match c {
            '|' => out.push_str("\\|"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.truncate(out.trim_end().len());
    out
}

/// The documented limits and the rate-limit headers in one sentence each.
fn limits(l: &api_errors_spec::model::LimitsModel) -> String {
    use api_errors_spec::model::RateKind;
    let mut out = String::new();
    let rates: Vec<String> = l
        .rates
        .iter()
        .map(|r| {
            let what = match r.kind {
                RateKind::Count { count, window_ms } => {
                    format!("{count} per {}", duration(window_ms))
                }
                RateKind::Interval { ms } => format!("at least {} between requests", duration(ms)),
                RateKind::Concurrency(n) => format!("at most {n} in flight"),
            };
            let per = ["", " per caller", " per route"][r.per.min(2)];
            let which = ["", " (reads)", " (writes)"][r.requests.min(2)];
            format!("{what}{per}{which}")
        })
        .collect();
    if !rates.is_empty() {
        out.push_str(&format!("Documented limits: {}.\n\n", rates.join("; ")));
    }
    if let Some(h) = &l.headers {
        let mut named = Vec::new();
        for (what, name) in [
            ("remaining", &h.remaining),
            ("limit", &h.limit),
            ("bucket", &h.bucket),
            ("used/limit", &h.used),
            ("IETF RateLimit", &h.ietf),
        ] {
            if let Some(n) = name {
                named.push(format!("{what} `{}`", cell(n)));
            }
        }
        if let Some((n, f)) = &h.reset {
            let format = spec::WAIT_FORMATS.get(*f).copied().unwrap_or("seconds");
            named.push(format!("reset `{}` ({format})", cell(n)));
        }
        if let Some((n, v)) = &h.global {
            named.push(format!("global when `{}: {}`", cell(n), cell(v)));
        }
        out.push_str(&format!(
            "Rate-limit headers: {}; `Pacer::for_vendor` paces by them.\n\n",
            named.join(", ")
        ));
    }
    out
}

/// Where a batch response holds its items, in one sentence.
fn batch(b: &api_errors_spec::model::BatchModel) -> String {
    let pointer = |steps: &[String]| -> String {
        let p = api_errors_spec::validate::pointer(steps);
        format!("`{}`", cell(if p.is_empty() { "\"\"" } else { &p }))
    };
    let mut parts = vec![format!("status {}", pointer(&b.status))];
    for (what, path) in [("headers", &b.headers), ("body", &b.body), ("id", &b.id)] {
        if let Some(p) = path {
            parts.push(format!("{what} {}", pointer(p)));
        }
    }
    let cap = b
        .max_items
        .map(|n| format!(", at most {n} requests a batch"))
        .unwrap_or_default();
    format!(
        "Batch responses: items at {} ({}){cap}; `ApiError::from_batch` splits them.\n\n",
        pointer(&b.items),
        parts.join(", ")
    )
}

/// The SDK's retry defaults in one sentence.
fn client(c: &api_errors_spec::model::ClientModel) -> String {
    use api_errors_spec::model::JitterModel;
    let ms = duration;
    let mut parts = Vec::new();
    if let Some(n) = c.attempts {
        parts.push(format!("{n} attempts"));
    }
    if let Some((b, cap)) = c.backoff_ms {
        parts.push(format!("backoff from {} doubling to {}", ms(b), ms(cap)));
    }
    match c.jitter {
        Some(JitterModel::Word(i)) => parts.push(format!(
            "{} jitter",
            spec::JITTER_WORDS.get(i).copied().unwrap_or("full")
        )),
        Some(JitterModel::Factor(lo, hi)) => parts.push(format!(
            "each delay times a factor in [{}, {}]",
            lo as f64 / 1e6,
            hi as f64 / 1e6
        )),
        None => {}
    }
    if let Some(d) = c.min_delay_ms {
        parts.push(format!("at least {}", ms(d)));
    }
    if let Some(d) = c.max_wait_ms {
        let above = c
            .long_wait
            .and_then(|w| LONG_WAIT_WORDS.get(w))
            .map_or(String::new(), |w| {
                format!(" (longer: {})", w.replace('_', " "))
            });
        parts.push(format!("waits up to {}{above}", ms(d)));
    }
    let sdk = c
        .sdk
        .as_deref()
        .map_or(String::new(), |n| format!(" ({})", cell(n)));
    format!(
        "SDK retry defaults{sdk}: {}; `RetryPolicy::for_vendor` starts from them.\n\n",
        parts.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_one_safe_line() {
        assert_eq!(cell("a | b\n  <c> & d "), "a \\| b &lt;c&gt; &amp; d");
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(
            [
                duration(500),
                duration(30_000),
                duration(120_000),
                duration(3_600_000)
            ],
            ["500 ms", "30 s", "2 min", "1 h"]
        );
    }
}
