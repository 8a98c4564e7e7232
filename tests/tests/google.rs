//! Google APIs (google.rpc over HTTP/JSON), as shared/vendors/google.md records them:
//! the canonical status names as codes at their HTTP statuses (FAILED_PRECONDITION at
//! 400 and 412), ErrorInfo read from `details[]`, RetryInfo's delay as a floor under
//! the backoff, and the two sources' disagreement kept as two APIs.

use std::time::Duration;

use api_errors::{ApiError, Jitter, ManualClock, RetryPolicy, RetryWhen, Retryable};

#[api_errors::api_errors(vendor = "google", api = "rpc")]
pub enum Google {}

#[api_errors::api_errors(vendor = "google", api = "service_usage")]
pub enum Quota {}

fn body(code: u16, status: &str, details: &str) -> String {
    format!(
        r#"{{"error":{{"code":{code},"message":"m","status":"{status}","details":[{details}]}}}}"#
    )
}

const ERROR_INFO: &str = r#"{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"RATE_LIMIT_EXCEEDED","domain":"googleapis.com","metadata":{"service":"pubsub.googleapis.com","quota_limit":"ReadRequestsPerMinute"}}"#;

#[test]
fn canonical_names_identify_at_their_http_statuses() {
    for status in [400, 412] {
        let e = ApiError::<Google>::from_response(
            status,
            &(),
            body(status, "FAILED_PRECONDITION", "").as_bytes(),
        );
        assert_eq!(e.kind(), Google::FailedPrecondition, "{status}");
    }
    for (status, name, kind) in [
        (400, "INVALID_ARGUMENT", Google::InvalidArgument),
        (400, "OUT_OF_RANGE", Google::OutOfRange),
        (409, "ALREADY_EXISTS", Google::AlreadyExists),
        (409, "ABORTED", Google::Aborted),
        (500, "UNKNOWN", Google::UnknownError),
        (500, "DATA_LOSS", Google::DataLoss),
        (499, "CANCELLED", Google::Cancelled),
        (501, "UNIMPLEMENTED", Google::Unimplemented),
    ] {
        let e = ApiError::<Google>::from_response(status, &(), body(status, name, "").as_bytes());
        assert_eq!(e.kind(), kind, "{name}");
        assert!(!e.retry_hint().is_retryable(), "{name}");
    }
    // Without a body, the status's primary entry.
    assert_eq!(
        ApiError::<Google>::from_response(409, &(), b"").kind(),
        Google::Aborted
    );
    assert_eq!(
        ApiError::<Google>::from_response(500, &(), b"").kind(),
        Google::Internal
    );
}

#[test]
fn error_info_is_read_from_the_details() {
    let e = ApiError::<Google>::from_response(
        429,
        &(),
        body(429, "RESOURCE_EXHAUSTED", ERROR_INFO).as_bytes(),
    );
    assert_eq!(e.kind(), Google::ResourceExhausted);
    assert_eq!(e.member("reason"), Some("RATE_LIMIT_EXCEEDED"));
    assert_eq!(e.member("domain"), Some("googleapis.com"));
    let metadata: serde_json::Value =
        serde_json::from_str(e.member_json("metadata").unwrap()).unwrap();
    assert_eq!(metadata["quota_limit"], "ReadRequestsPerMinute");
    // AIP-194: RESOURCE_EXHAUSTED is generally not retried.
    assert!(!e.retry_hint().is_retryable());
}

#[test]
fn unavailable_waits_at_least_retry_delay_then_backs_off() {
    let retry_info = r#"{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"3.5s"}"#;
    let reply = body(503, "UNAVAILABLE", retry_info);
    let e = ApiError::<Google>::from_response(503, &(), reply.as_bytes());
    assert_eq!(e.kind(), Google::Unavailable);
    assert_eq!(e.retry_after(), Some(Duration::from_millis(3500)));
    assert!(e.wait_is_minimum());
    // Only calls safe to repeat.
    assert_eq!(e.retry_hint().when(), RetryWhen::IfIdempotent);
    let clock = ManualClock::new();
    let mut calls = 0;
    let err = RetryPolicy::default()
        .max_attempts(5)
        .backoff(Duration::from_secs(1), Duration::from_secs(60))
        .jitter(Jitter::None)
        .without_budget()
        .retry(|| -> Result<(), _> {
            calls += 1;
            Err(ApiError::<Google>::from_response(
                503,
                &(),
                reply.as_bytes(),
            ))
        })
        .idempotent(true)
        .sleeper(clock.clone())
        .call()
        .unwrap_err();
    assert_eq!(err.attempts, 5);
    // At least 3.5 s, then the schedule once it passes it: 3.5, 3.5, 4, 8.
    let ms = Duration::from_millis;
    assert_eq!(clock.sleeps(), [ms(3500), ms(3500), ms(4000), ms(8000)]);
}

#[test]
fn the_service_usage_page_retries_quota_and_internal_errors() {
    let e = ApiError::<Quota>::from_response(
        429,
        &(),
        body(429, "RESOURCE_EXHAUSTED", ERROR_INFO).as_bytes(),
    );
    assert_eq!(e.kind(), Quota::ResourceExhausted);
    let h = e.retry_hint();
    assert_eq!(h.when(), RetryWhen::Always);
    // At least 30 s, then exponential backoff.
    assert_eq!(h.fallback(), Some(Duration::from_secs(30)));
    assert_eq!(
        h.backoff(),
        Some((Duration::from_secs(30), Duration::from_secs(60)))
    );
    let internal = ApiError::<Quota>::from_response(500, &(), body(500, "INTERNAL", "").as_bytes());
    assert_eq!(
        internal.retry_hint().min_wait(),
        Some(Duration::from_secs(1))
    );
    let unavailable =
        ApiError::<Quota>::from_response(503, &(), body(503, "UNAVAILABLE", "").as_bytes());
    assert_eq!(unavailable.retry_hint().when(), RetryWhen::IfIdempotent);
    assert_eq!(
        unavailable.retry_hint().min_wait(),
        Some(Duration::from_secs(1))
    );
    // AIP-194 says otherwise for the same two.
    let aip = ApiError::<Google>::from_response(500, &(), body(500, "INTERNAL", "").as_bytes());
    assert!(!aip.retry_hint().is_retryable());
}
