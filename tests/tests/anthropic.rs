//! Anthropic, as shared/vendors/anthropic.md records it.

use std::time::Duration;

use api_errors::{ApiError, Retryable};

#[api_errors::api_errors(spec = "anthropic.yaml")]
pub enum Claude {}

fn err(status: u16, kind: &str) -> ApiError<Claude> {
    let body = format!(
        r#"{{"type":"error","error":{{"type":"{kind}","message":"m"}},"request_id":"req_018E"}}"#
    );
    ApiError::from_response(status, &[("retry-after", "7")], body.as_bytes())
}

#[test]
fn types_and_statuses() {
    assert_eq!(err(529, "overloaded_error").kind(), Claude::Overloaded);
    assert!(Claude::Overloaded.is_retryable());
    assert_eq!(Claude::from_status(529), Claude::Overloaded);
    assert_eq!(
        err(413, "request_too_large").kind(),
        Claude::RequestTooLarge
    );
    assert!(!Claude::RequestTooLarge.is_retryable());
    let e = err(429, "rate_limit_error");
    assert_eq!(
        (e.kind(), e.retry_after()),
        (Claude::RateLimit, Some(Duration::from_secs(7)))
    );
    assert_eq!(e.request_id(), Some("req_018E"));
    assert_eq!(e.error_type(), Some("rate_limit_error"));
}

#[test]
fn an_unlisted_type_falls_back_to_its_status() {
    // The type set is open: a new type keeps the status's entry.
    let e = err(400, "brand_new_error");
    assert_eq!(e.kind(), Claude::InvalidRequest);
    assert!(!e.retry_hint().is_retryable());
}

#[test]
fn errors_mid_stream() {
    let e = ApiError::<Claude>::from_stream_event(
        br#"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#,
    );
    assert_eq!((e.kind(), e.status()), (Claude::Overloaded, 529));
    assert!(e.retry_hint().is_retryable());
}
