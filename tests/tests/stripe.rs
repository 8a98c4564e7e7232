//! Stripe v1, as shared/vendors/stripe.md records it: the error object's type, code
//! and extras, the idempotency rules for retries, `Stripe-Should-Retry`, and the
//! SDK's schedule as `RetryPolicy::for_vendor`.

use std::time::Duration;

use api_errors::{
    ApiError, ApiErrorKind, Jitter, LongWait, ManualClock, RetryPolicy, RetryWhen, Retryable,
    TransportError, TransportKind,
};

#[api_errors::api_errors(vendor = "stripe")]
pub enum Stripe {}

fn error(status: u16, headers: &[(&str, &str)], body: &str) -> ApiError<Stripe> {
    ApiError::from_response(status, headers, body.as_bytes())
}

#[test]
fn a_declined_card_keeps_everything_the_error_object_says() {
    let body = r#"{"error":{"type":"card_error","code":"card_declined","decline_code":"insufficient_funds","message":"Your card has insufficient funds.","param":"","doc_url":"https://stripe.com/docs/error-codes/card-declined","charge":"ch_1","payment_intent":{"id":"pi_1"},"advice_code":"try_again_later"}}"#;
    let e = error(402, &[], body);
    assert_eq!(e.kind(), Stripe::RequestFailed);
    assert_eq!(
        (e.error_type(), e.code()),
        (Some("card_error"), Some("card_declined"))
    );
    assert_eq!(e.member("decline_code"), Some("insufficient_funds"));
    assert_eq!(e.member("advice_code"), Some("try_again_later"));
    assert_eq!(e.member("charge"), Some("ch_1"));
    // What has no extra of its own is in the whole error object.
    let whole: serde_json::Value = serde_json::from_str(e.details_json().unwrap()).unwrap();
    assert_eq!(whole["payment_intent"]["id"], "pi_1");
    assert!(!e.kind().is_retryable());
}

#[test]
fn an_idempotency_error_at_any_client_status_is_never_retried() {
    let body = r#"{"error":{"type":"idempotency_error","message":"Keys for idempotent requests can only be used with the same parameters they were first used with."}}"#;
    for status in [400, 409, 422] {
        let e = error(status, &[], body);
        assert_eq!(e.kind(), Stripe::IdempotencyError, "{status}");
        assert!(!e.kind().is_retryable());
    }
    // A 409 that is no idempotency error is retried (the SDK does).
    let e = error(409, &[], r#"{"error":{"type":"invalid_request_error"}}"#);
    assert_eq!(e.kind(), Stripe::Conflict);
    assert!(e.kind().is_retryable());
    // 400 is fixed with a new key, never retried.
    assert_eq!(error(400, &[], "{}").kind(), Stripe::BadRequest);
}

#[test]
fn rate_limits_and_lock_timeouts_retry_server_errors_only_when_idempotent() {
    let rate = error(
        429,
        &[],
        r#"{"error":{"type":"invalid_request_error","code":"rate_limit"}}"#,
    );
    let lock = error(
        429,
        &[],
        r#"{"error":{"type":"invalid_request_error","code":"lock_timeout"}}"#,
    );
    assert_eq!(
        (rate.kind(), lock.kind()),
        (Stripe::RateLimited, Stripe::LockTimeout)
    );
    assert!(rate.kind().is_retryable() && lock.kind().is_retryable());
    for status in [500, 502, 503, 504] {
        let e = error(status, &[], r#"{"error":{"type":"api_error"}}"#);
        assert_eq!(e.kind(), Stripe::ServerError);
        assert_eq!(e.retry_hint().when(), RetryWhen::IfIdempotent);
    }
    // The server overrides the status either way.
    let no = error(503, &[("Stripe-Should-Retry", "false")], "{}");
    assert_eq!(no.server_says_retry(), Some(false));
    assert!(!no.retry_hint().is_retryable());
    // 424: not stated, so the class default (never).
    assert!(!error(424, &[], "{}").retry_hint().is_retryable());
    // A network error: retried with the same key, so only when idempotent.
    let t = TransportError::new(TransportKind::Timeout, std::io::Error::other("timed out"));
    assert_eq!(t.retry_hint::<Stripe>().when(), RetryWhen::IfIdempotent);
}

#[test]
fn the_sdk_schedule_with_retry_after_as_a_floor() {
    let s = RetryPolicy::for_vendor::<Stripe>().settings();
    assert_eq!(
        s.backoff,
        (Duration::from_millis(500), Duration::from_secs(5))
    );
    assert_eq!(s.jitter, Jitter::factor(0.5, 1.0));
    assert_eq!(s.min_delay, Duration::from_millis(500));
    assert_eq!(
        (s.max_wait, s.long_wait),
        (Some(Duration::from_secs(60)), LongWait::Backoff)
    );
    // Retry-After: 3 is a floor under the SDK's schedule (at most 1 s here).
    let e = error(
        429,
        &[("Retry-After", "3")],
        r#"{"error":{"code":"rate_limit"}}"#,
    );
    assert_eq!(e.retry_after(), Some(Duration::from_secs(3)));
    assert!(e.wait_is_minimum());
    let clock = ManualClock::new();
    let mut calls = 0;
    RetryPolicy::for_vendor::<Stripe>()
        .without_budget()
        .retry(|| {
            calls += 1;
            if calls == 1 {
                return Err(error(
                    429,
                    &[("Retry-After", "3")],
                    r#"{"error":{"code":"rate_limit"}}"#,
                ));
            }
            Ok(())
        })
        .sleeper(clock.clone())
        .call()
        .unwrap();
    assert_eq!(clock.sleeps(), [Duration::from_secs(3)]);
    assert_eq!(Stripe::CLIENT.sdk_name(), Some("stripe-python"));
}
