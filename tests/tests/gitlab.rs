//! GitLab REST, as shared/vendors/gitlab.md records it: a polymorphic `message`, a
//! plain-text 429, resets stated three ways, the request id header, a lock conflict
//! told from an existing resource, and the limits the pacer reads.

use std::time::{Duration, SystemTime};

use api_errors::{ApiError, ApiErrorKind, PaceRequest, Pacer, RetryWhen, Retryable};

#[api_errors::api_errors(vendor = "gitlab")]
pub enum GitLab {}

/// 2025-11-22T10:00:00Z
fn now() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_763_805_600)
}

fn error(status: u16, headers: &[(&str, &str)], body: &str) -> ApiError<GitLab> {
    ApiError::from_response_at(status, headers, body.as_bytes(), now())
}

#[test]
fn every_shape_of_message_is_kept() {
    let simple = error(
        400,
        &[("X-Request-Id", "01HX")],
        r#"{"message": "400 (Bad request) \"title\" not given"}"#,
    );
    assert_eq!(simple.kind(), GitLab::BadRequest);
    assert_eq!(
        simple.message(),
        Some("400 (Bad request) \"title\" not given")
    );
    assert_eq!(simple.request_id(), Some("01HX"));
    // A field -> messages map: not text, kept whole.
    let validation = error(
        400,
        &[],
        r#"{"message": {"title": ["can't be blank"], "milestone": {"title": ["is invalid"]}}}"#,
    );
    assert_eq!(validation.message(), None);
    let whole: serde_json::Value =
        serde_json::from_str(validation.details_json().unwrap()).unwrap();
    assert_eq!(whole["title"][0], "can't be blank");
    // A top-level `error`, read second.
    let other = error(404, &[], r#"{"error": "404 Not Found"}"#);
    assert_eq!(
        (other.kind(), other.message()),
        (GitLab::NotFound, Some("404 Not Found"))
    );
    // Spam detection with a CAPTCHA.
    let spam = error(
        400,
        &[],
        r#"{"message": {"error": "Your issue has been recognized as spam."}, "needs_captcha_response": true, "spam_log_id": 42, "captcha_site_key": "abc"}"#,
    );
    assert_eq!(spam.member("needs_captcha_response"), Some("true"));
    assert_eq!(spam.member("spam_log_id"), Some("42"));
}

#[test]
fn a_plain_text_429_waits_as_its_headers_say() {
    let e = error(
        429,
        &[
            ("Retry-After", "30"),
            ("RateLimit-Remaining", "0"),
            ("RateLimit-Reset", "1763805660"),
        ],
        "Retry later",
    );
    assert_eq!(e.kind(), GitLab::TooManyRequests);
    assert_eq!(e.body_snippet(), Some("Retry later"));
    assert_eq!(e.retry_after(), Some(Duration::from_secs(30)));
    // The HTTP-date, then the epoch reset (only when nothing remains).
    let e = error(
        429,
        &[("RateLimit-ResetTime", "Sat, 22 Nov 2025 10:00:45 GMT")],
        "Retry later",
    );
    assert_eq!(e.retry_after(), Some(Duration::from_secs(45)));
    let e = error(
        429,
        &[
            ("RateLimit-Remaining", "0"),
            ("RateLimit-Reset", "1763805620"),
        ],
        "Retry later",
    );
    assert_eq!(e.retry_after(), Some(Duration::from_secs(20)));
    let e = error(
        429,
        &[
            ("RateLimit-Remaining", "5"),
            ("RateLimit-Reset", "1763805620"),
        ],
        "Retry later",
    );
    assert_eq!(e.retry_after(), None);
    // A day-long Retry-After is above what a default policy waits: no `max_wait:`.
    assert_eq!(GitLab::MAX_WAIT, None);
}

#[test]
fn a_lock_conflict_is_retried_and_an_existing_resource_is_not() {
    let lock = error(
        409,
        &[],
        r#"{"message": "Resource lock is held by another job"}"#,
    );
    assert_eq!(lock.kind(), GitLab::ResourceLocked);
    assert_eq!(lock.retry_hint().when(), RetryWhen::Always);
    let exists = error(409, &[], r#"{"message": "Branch already exists"}"#);
    assert_eq!(exists.kind(), GitLab::Conflict);
    assert!(!exists.retry_hint().is_retryable());
    for (status, retried) in [
        (500, true),
        (503, true),
        (422, false),
        (412, false),
        (403, false),
    ] {
        assert_eq!(
            error(status, &[], "{}").retry_hint().is_retryable(),
            retried,
            "{status}"
        );
    }
}

#[test]
fn the_pacer_reads_the_limit_and_the_headers() {
    let pacer = Pacer::for_vendor::<GitLab>();
    let now = std::time::Instant::now();
    let r = PaceRequest::new();
    // 2,000 a minute: the whole burst at once, then one every 30 ms.
    for _ in 0..2000 {
        assert_eq!(pacer.reserve(&r, now).wait, Duration::ZERO);
    }
    assert_eq!(pacer.reserve(&r, now).wait, Duration::from_millis(30));
    let s = GitLab::CLIENT;
    assert_eq!(s.attempts(), Some(11));
    let state = error(
        200,
        &[("RateLimit-Remaining", "7"), ("RateLimit-Limit", "2000")],
        "",
    )
    .rate_limit()
    .cloned();
    assert_eq!(
        state.map(|s| (s.remaining, s.limit)),
        Some((Some(7), Some(2000)))
    );
}
