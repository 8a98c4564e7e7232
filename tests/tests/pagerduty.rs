//! PagerDuty REST API v2 and Events API v2, as shared/vendors/pagerduty.md records
//! them: 400 never, 408 and 500 retried, the 429's reset in delta seconds, serial
//! requests per token, the Events API's 30 s retries.

use std::time::{Duration, Instant};

use api_errors::{ApiError, HoldReason, PaceRequest, Pacer, RetryWhen, Retryable};

#[api_errors::api_errors(vendor = "pagerduty", api = "rest")]
pub enum Rest {}

#[api_errors::api_errors(vendor = "pagerduty", api = "events")]
pub enum Events {}

#[test]
fn rest_errors_and_their_waits() {
    let e = ApiError::<Rest>::from_response(
        429,
        &[
            ("ratelimit-reset", "12"),
            ("ratelimit-remaining", "0"),
            ("x-request-id", "q1"),
        ],
        br#"{"error":{"message":"Rate Limit Exceeded","code":2020}}"#,
    );
    assert_eq!(e.kind(), Rest::TooManyRequests);
    assert_eq!(e.code(), Some("2020"));
    assert_eq!(e.retry_after(), Some(Duration::from_secs(12)));
    assert_eq!(e.request_id(), Some("q1"));
    let invalid = ApiError::<Rest>::from_response(
        400,
        &(),
        br#"{"error":{"message":"Invalid Input Provided","code":2001,"errors":["Offset must be less than 10000"]}}"#,
    );
    assert_eq!(invalid.code(), Some("2001"));
    assert!(invalid.details_json().unwrap().contains("10000"));
    assert!(!invalid.retry_hint().is_retryable());
    for status in [408, 500] {
        assert!(ApiError::<Rest>::from_response(status, &(), b"")
            .retry_hint()
            .is_retryable());
    }
    for status in [401, 402, 403, 404] {
        assert!(!ApiError::<Rest>::from_response(status, &(), b"")
            .retry_hint()
            .is_retryable());
    }
}

#[test]
fn one_request_in_flight_per_token_and_960_a_minute() {
    let pacer = Pacer::for_vendor::<Rest>();
    let now = Instant::now();
    let r = PaceRequest::new();
    assert_eq!(pacer.reserve(&r, now).wait, Duration::ZERO);
    pacer.start(&r, now);
    assert_eq!(pacer.reserve(&r, now).reason, Some(HoldReason::Concurrency));
    pacer.release(&r);
    assert_eq!(pacer.reserve(&r, now).wait, Duration::ZERO);
}

#[test]
fn events_retry_a_dropped_event_30_seconds_later() {
    let e = ApiError::<Events>::from_response(429, &(), b"");
    assert_eq!(e.retry_hint().min_wait(), Some(Duration::from_secs(30)));
    assert_eq!(e.retry_hint().when(), RetryWhen::Always);
    assert_eq!(
        ApiError::<Events>::from_response(502, &(), b"").kind(),
        Events::ServerError
    );
    // 120 a minute per integration key.
    let pacer = Pacer::for_vendor::<Events>();
    let now = Instant::now();
    let key = PaceRequest::new().caller("R0123456789");
    for _ in 0..120 {
        assert_eq!(pacer.reserve(&key, now).wait, Duration::ZERO);
    }
    assert_eq!(pacer.reserve(&key, now).wait, Duration::from_millis(500));
}
