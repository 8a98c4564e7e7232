//! Wait sources beyond `Retry-After`, tried in the spec's order, and a server header
//! that overrides the retry decision; through `ApiError` and the executor.

use std::time::{Duration, SystemTime};

use api_errors::{ApiError, ApiErrorKind, GiveUp, ManualClock, RetryPolicy, Retryable};

#[api_errors::api_errors(spec = "specs/waits.yaml")]
pub enum Kind {}

/// 2025-11-22T10:00:00Z
fn now() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_763_805_600)
}

fn wait(headers: &[(&str, &str)], body: &str) -> Option<Duration> {
    ApiError::<Kind>::from_response_at(429, headers, body.as_bytes(), now()).retry_after()
}

fn ms(n: u64) -> Option<Duration> {
    Some(Duration::from_millis(n))
}

#[test]
fn the_first_readable_source_wins() {
    assert_eq!(
        wait(&[("retry-after", "3"), ("retry-after-ms", "1500")], ""),
        ms(1500)
    );
    assert_eq!(
        wait(&[("retry-after-ms", "soon"), ("retry-after", "3")], ""),
        ms(3000),
        "unreadable: next"
    );
    assert_eq!(
        wait(&[("retry-after", "2.5")], ""),
        ms(2500),
        "decimal Retry-After"
    );
    assert_eq!(
        wait(&[("x-ratelimit-reset-requests", "6m0s")], ""),
        ms(360_000)
    );
    assert_eq!(
        wait(&[("x-ratelimit-reset-at", "2025-11-22T10:00:07Z")], ""),
        ms(7000)
    );
    assert_eq!(
        wait(&[], r#"{"message":"slow down","retry_after":1.25}"#),
        ms(1250)
    );
    assert_eq!(wait(&[], r#"{"message":"nothing said"}"#), None);
    assert_eq!(wait(&[], "not json"), None);
}

#[test]
fn a_source_with_a_condition_is_read_only_when_it_holds() {
    let reset = ("x-ratelimit-reset", "1763805612");
    assert_eq!(
        wait(&[reset, ("x-ratelimit-remaining", "0")], ""),
        ms(12_000)
    );
    assert_eq!(wait(&[reset, ("x-ratelimit-remaining", "4")], ""), None);
    assert_eq!(
        wait(&[reset], ""),
        None,
        "no remaining-count header: not read"
    );
}

#[test]
fn the_declared_sources_are_the_kinds() {
    assert_eq!(Kind::WAITS.len(), 6);
    assert_eq!(Kind::SHOULD_RETRY, Some("x-should-retry"));
}

fn attempts(status: u16, headers: &[(&str, &str)]) -> (u32, GiveUp, Vec<Duration>) {
    let clock = ManualClock::new();
    let err = RetryPolicy::default()
        .without_budget()
        .retry(|| {
            Err::<(), _>(ApiError::<Kind>::from_response_at(
                status,
                headers,
                b"",
                now(),
            ))
        })
        .sleeper(clock.clone())
        .call()
        .unwrap_err();
    (err.attempts, err.reason, clock.sleeps())
}

#[test]
fn the_executor_waits_what_the_server_said() {
    let (n, _, sleeps) = attempts(429, &[("retry-after-ms", "1500")]);
    assert_eq!(n, 3);
    assert_eq!(sleeps, [Duration::from_millis(1500); 2]);
}

#[test]
fn the_server_header_overrides_the_retry_decision() {
    // A 503 is retried by the spec, but the server says not to.
    let (n, reason, _) = attempts(503, &[("x-should-retry", "false")]);
    assert_eq!(n, 1);
    assert!(matches!(reason, GiveUp::NotRetryable), "{reason:?}");
    // A 400 is never retried by the spec, but the server says to.
    let (n, _, _) = attempts(400, &[("x-should-retry", "TRUE")]);
    assert_eq!(n, 3);
    // Anything else is no override.
    let e = ApiError::<Kind>::from_response(400, &[("x-should-retry", "maybe")], b"");
    assert_eq!(e.server_says_retry(), None);
    assert!(!e.retry_hint().is_retryable());
}

#[test]
fn extra_members_are_reachable_by_name() {
    let body = br#"{"message":"slow down","doc_url":"https://example.com/errors/429","meta":{"warning":"deprecated endpoint"}}"#;
    let e = ApiError::<Kind>::from_response(429, &(), body);
    assert_eq!(e.member("doc_url"), Some("https://example.com/errors/429"));
    assert_eq!(e.member("warning"), Some("deprecated endpoint"));
    assert_eq!(e.member("nothing"), None);
    // Only extra members read: still kept, so no snippet is needed.
    let e = ApiError::<Kind>::from_response(429, &(), br#"{"meta":{"warning":"w"}}"#);
    assert_eq!((e.member("warning"), e.body_snippet()), (Some("w"), None));
}

#[test]
fn builders_set_what_a_spec_cannot_say() {
    let e = ApiError::<Kind>::from_response(400, &(), br#"{"message":"bad"}"#)
        .with_kind(Kind::ServiceUnavailable)
        .with_retry_after(Some(Duration::from_secs(4)));
    assert_eq!((e.kind(), e.status()), (Kind::ServiceUnavailable, 400));
    assert_eq!(e.message(), Some("bad"), "what the server said is kept");
    assert_eq!(e.retry_after(), Some(Duration::from_secs(4)));
    assert!(e.retry_hint().is_retryable());
    let e = ApiError::new(Kind::BadRequest, 400).with_message("built by hand");
    assert_eq!(e.message(), Some("built by hand"));
    assert_eq!(e.clone().with_retry_after(None).retry_after(), None);
}

mod clock_and_structured_fields {
    use super::*;

    #[api_errors::api_errors(spec = "specs/clock_waits.yaml", api = "main")]
    pub enum Main {}

    #[api_errors::api_errors(spec = "specs/clock_waits.yaml", api = "first")]
    pub enum First {}

    fn main_wait(headers: &[(&str, &str)]) -> Option<Duration> {
        ApiError::<Main>::from_response_at(429, headers, b"", now()).retry_after()
    }

    #[test]
    fn the_named_ietf_ratelimit_policy_gives_the_wait() {
        let field = r#""burst";r=3;t=1, "hourly";r=0;t=1800"#;
        assert_eq!(
            main_wait(&[("RateLimit", field)]),
            Some(Duration::from_secs(1800))
        );
        // Without that policy the next source is read.
        assert_eq!(
            main_wait(&[("RateLimit", r#""burst";r=0;t=1"#), ("Retry-After", "9")]),
            Some(Duration::from_secs(9))
        );
        // The first policy when the source names none.
        let e = ApiError::<First>::from_response_at(429, &[("ratelimit", field)], b"", now());
        assert_eq!(e.retry_after(), Some(Duration::from_secs(1)));
        // Garbage is no wait (the policy's backoff then).
        let e = ApiError::<First>::from_response_at(429, &[("ratelimit", "t=5")], b"", now());
        assert_eq!(e.retry_after(), None);
    }

    #[test]
    fn a_quota_that_resets_on_the_clock() {
        // now() is 10:00:00 UTC: midnight is 14 h away, the next half past 30 min.
        assert_eq!(
            main_wait(&[("x-quota-spent", "daily")]),
            Some(Duration::from_secs(14 * 3600))
        );
        assert_eq!(
            main_wait(&[("x-quota-spent", "half-hourly")]),
            Some(Duration::from_secs(30 * 60))
        );
        // Not spent: no boundary wait.
        assert_eq!(main_wait(&[]), None);
    }

    #[test]
    fn the_executor_waits_until_the_boundary() {
        let clock = ManualClock::new();
        let mut calls = 0;
        RetryPolicy::default()
            .max_wait(Duration::from_secs(3600))
            .without_budget()
            .retry(|| {
                calls += 1;
                if calls == 1 {
                    return Err(ApiError::<Main>::from_response_at(
                        429,
                        &[("x-quota-spent", "half-hourly")],
                        b"",
                        now(),
                    ));
                }
                Ok(())
            })
            .sleeper(clock.clone())
            .call()
            .unwrap();
        assert_eq!(clock.sleeps(), [Duration::from_secs(1800)]);
    }
}
