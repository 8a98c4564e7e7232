//! GitHub REST, as shared/vendors/github.md records it: a 403 that is a rate limit
//! by its header or its message, a permission error otherwise; the rate-limit waits
//! in the page's order; validation errors read whole and by their first code.

use std::time::{Duration, SystemTime};

use api_errors::{ApiError, ApiErrorKind, ManualClock, RetryPolicy, RetryWhen, Retryable};

#[api_errors::api_errors(vendor = "github")]
pub enum GitHub {}

/// 2025-11-22T10:00:00Z
fn now() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_763_805_600)
}

fn error(status: u16, headers: &[(&str, &str)], body: &str) -> ApiError<GitHub> {
    ApiError::from_response_at(status, headers, body.as_bytes(), now())
}

const RATE: &str = r#"{"message":"API rate limit exceeded for user ID 1.","documentation_url":"https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting"}"#;

#[test]
fn a_403_is_a_rate_limit_by_its_header_or_its_message_else_a_permission_error() {
    let primary = error(
        403,
        &[
            ("x-ratelimit-remaining", "0"),
            ("x-ratelimit-reset", "1763806500"),
        ],
        RATE,
    );
    assert_eq!(primary.kind(), GitHub::PrimaryRateLimit);
    // Until x-ratelimit-reset: 15 minutes away (the spec allows up to an hour).
    assert_eq!(primary.retry_after(), Some(Duration::from_secs(900)));
    assert_eq!(GitHub::MAX_WAIT, Some(Duration::from_secs(3600)));
    assert_eq!(
        primary.member("documentation_url"),
        Some("https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting")
    );

    let secondary = error(
        403,
        &[("x-ratelimit-remaining", "4000"), ("retry-after", "30")],
        r#"{"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again."}"#,
    );
    assert_eq!(secondary.kind(), GitHub::SecondaryRateLimit);
    assert_eq!(secondary.retry_after(), Some(Duration::from_secs(30)));

    let sso = error(
        403,
        &[(
            "X-GitHub-SSO",
            "required; url=https://github.com/orgs/o/sso?authorization_request=x",
        )],
        r#"{"message":"Resource protected by organization SAML enforcement."}"#,
    );
    assert_eq!(sso.kind(), GitHub::Forbidden);
    assert!(!sso.kind().is_retryable());
    assert_eq!(
        sso.member("sso"),
        Some("required; url=https://github.com/orgs/o/sso?authorization_request=x")
    );
    // The header is a condition, not the error's type.
    assert_eq!(sso.error_type(), None);
    // A remaining count that is not 0 does not make the limit.
    let not_spent = error(403, &[("x-ratelimit-remaining", "10")], "{}");
    assert_eq!(not_spent.kind(), GitHub::Forbidden);
}

#[test]
fn rate_limit_waits_in_the_pages_order() {
    // retry-after first ...
    let e = error(
        429,
        &[
            ("retry-after", "7"),
            ("x-ratelimit-remaining", "0"),
            ("x-ratelimit-reset", "1763806500"),
        ],
        RATE,
    );
    assert_eq!(e.retry_after(), Some(Duration::from_secs(7)));
    // ... then the reset, only when nothing remains ...
    let e = error(
        429,
        &[
            ("x-ratelimit-remaining", "0"),
            ("x-ratelimit-reset", "1763805660"),
        ],
        RATE,
    );
    assert_eq!(e.retry_after(), Some(Duration::from_secs(60)));
    let e = error(
        429,
        &[
            ("x-ratelimit-remaining", "3"),
            ("x-ratelimit-reset", "1763805660"),
        ],
        RATE,
    );
    assert_eq!(e.retry_after(), None);
    // ... else at least 60 s, then exponentially longer (up to the hour).
    let h = GitHub::RateLimited.retry_hint();
    assert_eq!(h.when(), RetryWhen::Always);
    assert_eq!(h.fallback(), Some(Duration::from_secs(60)));
    assert_eq!(
        h.backoff(),
        Some((Duration::from_secs(60), Duration::from_secs(3600)))
    );
    let clock = ManualClock::new();
    let mut calls = 0;
    let err = RetryPolicy::default()
        .max_attempts(4)
        .without_budget()
        .retry(|| -> Result<(), _> {
            calls += 1;
            Err(error(429, &[], RATE))
        })
        .sleeper(clock.clone())
        .call()
        .unwrap_err();
    assert_eq!(err.attempts, 4);
    let s = Duration::from_secs;
    assert_eq!(clock.sleeps(), [s(60), s(120), s(240)]);
}

#[test]
fn validation_errors_are_kept_whole_and_identified_by_their_first_code() {
    let body = r#"{"message":"Validation Failed","errors":[{"resource":"Issue","field":"title","code":"missing_field"},{"resource":"Issue","field":"body","code":"invalid"}],"documentation_url":"https://docs.github.com/rest/issues/issues#create-an-issue","status":"422"}"#;
    let e = error(422, &[], body);
    assert_eq!(e.kind(), GitHub::UnprocessableEntity);
    assert_eq!(e.code(), Some("missing_field"));
    assert_eq!(e.message(), Some("Validation Failed"));
    assert_eq!(e.member("field"), Some("title"));
    assert_eq!(e.member("resource"), Some("Issue"));
    assert_eq!(e.member("status"), Some("422"));
    let all: serde_json::Value = serde_json::from_str(e.details_json().unwrap()).unwrap();
    assert_eq!(all.as_array().unwrap().len(), 2);
    assert!(!e.kind().is_retryable());
    // validation-error-simple: `errors` is an array of strings.
    let simple = error(
        422,
        &[],
        r#"{"message":"Validation Failed","errors":["title is too long"]}"#,
    );
    assert_eq!(simple.code(), None);
    assert_eq!(simple.details_json(), Some(r#"["title is too long"]"#));
}

#[test]
fn every_5xx_is_a_server_error_retried_with_backoff_and_the_rest_is_never_retried() {
    for status in [500, 502, 503, 504, 520] {
        let e = error(status, &[], r#"{"message":"Server Error"}"#);
        assert_eq!(e.kind(), GitHub::ServerError, "{status}");
        assert_eq!(e.retry_hint(), api_errors::RetryHint::BACKOFF);
    }
    for (status, kind) in [
        (400, GitHub::BadRequest),
        (401, GitHub::Unauthorized),
        (404, GitHub::NotFound),
    ] {
        let e = error(status, &[], r#"{"message":"Problems parsing JSON"}"#);
        assert_eq!(e.kind(), kind);
        assert!(!e.kind().is_retryable(), "{status}");
    }
    // Not errors: a 304 answers a conditional request.
    assert!(!GitHub::is_error_status(304));
}
