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

/// `insufficient_credits` -> `InsufficientCredits`; `rate-limit.hit` -> `RateLimitHit`.
/// `None` when the code has no letters to start a name with.
pub fn code_variant(code: &str) -> Option<String> {
    let mut out = String::new();
    for word in code.split(|c: char| !c.is_ascii_alphanumeric()) {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars.map(|c| c.to_ascii_lowercase()));
        }
    }
    match out.chars().next() {
        Some(c) if c.is_ascii_alphabetic() => Some(out),
        _ => None,
    }
}

/// Why `name` cannot be a variant name, if it cannot.
pub fn check_variant_name(name: &str) -> Result<(), String> {
    if name == "Unknown" {
        return Err(
            "`Unknown` is reserved for the generated `Unknown(u16)` variant; choose another name"
                .into(),
        );
    }
    if name.starts_with("r#") || syn::parse_str::<syn::Ident>(name).is_err() {
        let why = if is_keyword(name) {
            "is a Rust keyword"
        } else {
            "is not a Rust identifier"
        };
        return Err(format!(
            "`{name}` {why}; write a PascalCase name such as `{}`",
            suggestion(name)
        ));
    }
    Ok(())
}

fn is_keyword(name: &str) -> bool {
    // Identifier-shaped but rejected by the parser: only keywords are.
    !name.is_empty()
        && name.chars().all(|c| c == '_' || c.is_ascii_alphanumeric())
        && !name.starts_with(|c: char| c.is_ascii_digit())
}

fn suggestion(name: &str) -> String {
    match code_variant(name) {
        Some(s) if syn::parse_str::<syn::Ident>(&s).is_ok() && s != name => s,
        _ => "MyError".into(),
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
        assert!(check_variant_name("Unknown").is_err());
        assert!(check_variant_name("r#Foo").is_err());
        assert!(check_variant_name("").is_err());
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
