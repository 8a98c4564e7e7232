//! Variant names: from an app code, from a status's reason phrase, and their checks.

/// The variant name for a status with no `name:` and no `code:`: its RFC 9110
/// (or common registry) reason phrase in PascalCase.
pub fn reason_variant(status: u16) -> Option<&'static str> {
    Some(match status {
        100 => "Continue",
        101 => "SwitchingProtocols",
        102 => "Processing",
        103 => "EarlyHints",
        200 => "Ok",
        201 => "Created",
        202 => "Accepted",
        203 => "NonAuthoritativeInformation",
        204 => "NoContent",
        205 => "ResetContent",
        206 => "PartialContent",
        207 => "MultiStatus",
        208 => "AlreadyReported",
        226 => "ImUsed",
        300 => "MultipleChoices",
        301 => "MovedPermanently",
        302 => "Found",
        303 => "SeeOther",
        304 => "NotModified",
        305 => "UseProxy",
        307 => "TemporaryRedirect",
        308 => "PermanentRedirect",
        400 => "BadRequest",
        401 => "Unauthorized",
        402 => "PaymentRequired",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        406 => "NotAcceptable",
        407 => "ProxyAuthenticationRequired",
        408 => "RequestTimeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "LengthRequired",
        412 => "PreconditionFailed",
        413 => "PayloadTooLarge",
        414 => "UriTooLong",
        415 => "UnsupportedMediaType",
        416 => "RangeNotSatisfiable",
        417 => "ExpectationFailed",
        418 => "ImATeapot",
        421 => "MisdirectedRequest",
        422 => "UnprocessableEntity",
        423 => "Locked",
        424 => "FailedDependency",
        425 => "TooEarly",
        426 => "UpgradeRequired",
        428 => "PreconditionRequired",
        429 => "TooManyRequests",
        431 => "RequestHeaderFieldsTooLarge",
        451 => "UnavailableForLegalReasons",
        500 => "InternalServerError",
        501 => "NotImplemented",
        502 => "BadGateway",
        503 => "ServiceUnavailable",
        504 => "GatewayTimeout",
        505 => "HttpVersionNotSupported",
        506 => "VariantAlsoNegotiates",
        507 => "InsufficientStorage",
        508 => "LoopDetected",
        510 => "NotExtended",
        511 => "NetworkAuthenticationRequired",
        _ => return None,
    })
}

/// `insufficient_credits` -> `InsufficientCredits`; `rate-limit.HIT` -> `RateLimitHit`;
/// `ResourceNotFoundException` stays as it is (a word in mixed case keeps its inner
/// capitals; one in capitals only, `THROTTLED`, becomes `Throttled`).
/// `None` when the code has no letters to start a name with.
pub fn code_variant(code: &str) -> Option<String> {
    let mut out = String::new();
    for word in code.split(|c: char| !c.is_ascii_alphanumeric()) {
        let shouting = !word.bytes().any(|b| b.is_ascii_lowercase());
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            if shouting {
                out.extend(chars.map(|c| c.to_ascii_lowercase()));
            } else {
                out.extend(chars);
            }
        }
    }
    match out.chars().next() {
        Some(c) if c.is_ascii_alphabetic() => Some(out),
        _ => None,
    }
}

/// Rust's keywords, strict and reserved (all editions): identifier-shaped, yet not
/// identifiers.
pub const KEYWORDS: &[&str] = &[
    "Self", "abstract", "as", "async", "await", "become", "box", "break", "const", "continue",
    "crate", "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if",
    "impl", "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub",
    "ref", "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Names the generated code uses on the enum itself: a variant may not take one.
/// (`Self::status` must stay the method, `Self::ALL` the constant.) Kept in step
/// with the macro's `expand.rs` by a test in its `lib.rs`.
pub const RESERVED: &[&str] = &[
    "Unknown",
    "ALL",
    "status",
    "from_status",
    "stands_for",
    "from_code",
    "code",
    "retry_hint",
    "is_retryable",
    "message",
    "advice",
];

/// Why `name` cannot be a variant name, if it cannot. Exact: the name must be an
/// ASCII Rust identifier as written, with nothing around it (no spaces, no
/// comments), not a keyword and not a name the generated code uses. ASCII only,
/// so that two names can never be equal after Unicode normalisation while looking
/// different here, and no confusable letters reach the user's code.
pub fn check_variant_name(name: &str) -> Result<(), String> {
    problem(name).map_or(Ok(()), |why| {
        Err(if RESERVED.contains(&name) {
            format!("{why}; choose another name")
        } else {
            format!(
                "{why}; write a PascalCase name such as `{}`",
                suggestion(name)
            )
        })
    })
}

/// What is wrong with `name` as a variant name, without the fix.
pub fn problem(name: &str) -> Option<String> {
    if RESERVED.contains(&name) {
        return Some(format!(
            "`{name}` is the name of a generated item of the enum"
        ));
    }
    if name.is_empty() {
        return Some("the name is empty".into());
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '_'))
    {
        let what = match bad {
            ' ' => "a space".to_string(),
            '\n' | '\r' => "a line break".to_string(),
            '\t' => "a tab".to_string(),
            c if c.is_ascii() => format!("`{c}`"),
            c => format!("`{c}` (variant names are ASCII)"),
        };
        return Some(format!(
            "`{}` is not a Rust identifier: it contains {what}",
            name.escape_debug()
        ));
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) || name == "_" {
        return Some(format!("`{name}` is not a Rust identifier"));
    }
    // Identifier-shaped; only keywords are left to reject.
    if KEYWORDS.contains(&name) {
        return Some(format!("`{name}` is a Rust keyword"));
    }
    None
}

/// The name with its stray characters dropped and each word capitalised, keeping
/// the letters' case otherwise (`Not Found ` -> `NotFound`, `type` -> `Type`).
fn suggestion(name: &str) -> String {
    let mut out = String::new();
    for word in name.split(|c: char| !c.is_ascii_alphanumeric()) {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars);
        }
    }
    if out != name && problem(&out).is_none() {
        out
    } else {
        "MyError".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_names() {
        assert_eq!(
            code_variant("insufficient_credits").as_deref(),
            Some("InsufficientCredits")
        );
        assert_eq!(
            code_variant("rate-limit.HIT").as_deref(),
            Some("RateLimitHit")
        );
        assert_eq!(code_variant("4001"), None);
        assert_eq!(
            code_variant("ResourceNotFoundException").as_deref(),
            Some("ResourceNotFoundException")
        );
        assert_eq!(code_variant("THROTTLED").as_deref(), Some("Throttled"));
        assert_eq!(
            code_variant("jira-burst-based").as_deref(),
            Some("JiraBurstBased")
        );
        assert_eq!(code_variant("__"), None);
    }

    #[test]
    fn name_checks() {
        assert!(check_variant_name("TooManyRequests").is_ok());
        let e = check_variant_name("type").unwrap_err();
        assert!(
            e.contains("is a Rust keyword") && e.contains("`Type`"),
            "{e}"
        );
        let e = check_variant_name("Too Many").unwrap_err();
        assert!(
            e.contains("not a Rust identifier") && e.contains("`TooMany`"),
            "{e}"
        );
        for bad in [
            "Unknown",
            "ALL",
            "status",
            "code",
            "r#Foo",
            "",
            "_",
            "9Lives",
            "Self",
            "self",
            "NotFound ",
            "Foo\n",
            "Foo // c",
            "Foo/*x*/",
            "Caf\u{e9}",
        ] {
            assert!(check_variant_name(bad).is_err(), "{bad:?}");
        }
        let e = check_variant_name("NotFound ").unwrap_err();
        assert!(
            e.contains("contains a space") && e.contains("`NotFound`"),
            "{e}"
        );
        let e = check_variant_name("Foo\n").unwrap_err();
        assert!(e.contains("`Foo\\n`") && e.contains("a line break"), "{e}");
        assert!(check_variant_name("ALL")
            .unwrap_err()
            .contains("generated item"));
        assert!(check_variant_name("Status").is_ok());
        assert!(check_variant_name("_Private2").is_ok());
    }

    #[test]
    fn reason_phrases() {
        assert_eq!(reason_variant(429), Some("TooManyRequests"));
        assert_eq!(reason_variant(499), None);
    }
}

/// The candidate closest to `word` (edit distance at most 2, or a case slip), to
/// suggest as "did you mean ...".
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = word.to_ascii_lowercase();
    candidates
        .into_iter()
        .map(|c| (distance(&lower, &c.to_ascii_lowercase()), c))
        .filter(|(d, c)| *d <= 2.min(c.len().saturating_sub(1)))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Levenshtein distance over chars.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod suggest_tests {
    use super::*;

    #[test]
    fn suggests_near_misses_only() {
        let keys = ["status", "meaning", "advice", "retry"];
        assert_eq!(closest("meanin", keys), Some("meaning"));
        assert_eq!(closest("Advise", keys), Some("advice"));
        assert_eq!(closest("retyr", keys), Some("retry"));
        assert_eq!(closest("colour", keys), None);
        assert_eq!(closest("", keys), None);
        assert_eq!(closest("a", ["b"]), None, "one letter is no hint");
    }
}
