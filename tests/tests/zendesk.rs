//! Zendesk Support, as shared/vendors/zendesk.md records it: the `error` string code,
//! plain-text bodies, a 503 retried only when it carries `Retry-After`, `TooManyJobs`
//! at a status the docs do not state, and the headers the pacer reads.

use std::time::Duration;

use api_errors::{ApiError, ApiErrorKind, RetryWhen, Retryable};

#[api_errors::api_errors(vendor = "zendesk")]
pub enum Zendesk {}

fn error(status: u16, headers: &[(&str, &str)], body: &str) -> ApiError<Zendesk> {
    ApiError::from_response(status, headers, body.as_bytes())
}

#[test]
fn the_error_code_and_its_details() {
    let body = r#"{"error": "RecordInvalid", "description": "Record validation errors", "details": {"subject": [{"error": "blank", "description": "can't be blank"}]}}"#;
    let e = error(422, &[("X-Zendesk-Request-Id", "abc-1")], body);
    assert_eq!(e.kind(), Zendesk::RecordInvalid);
    assert_eq!(e.message(), Some("Record validation errors"));
    assert_eq!(e.request_id(), Some("abc-1"));
    let details: serde_json::Value = serde_json::from_str(e.details_json().unwrap()).unwrap();
    assert_eq!(details["subject"][0]["error"], "blank");
    assert!(!e.retry_hint().is_retryable());
    assert_eq!(
        error(404, &[], r#"{"error":"RecordNotFound"}"#).kind(),
        Zendesk::RecordNotFound
    );
    // A plain-text 400 is kept as a snippet.
    let e = error(
        400,
        &[("x-request-id", "r2")],
        "Bad Request: subdomain does not exist",
    );
    assert_eq!(e.kind(), Zendesk::BadRequest);
    assert_eq!(
        e.body_snippet(),
        Some("Bad Request: subdomain does not exist")
    );
    assert_eq!(e.request_id(), Some("r2"));
}

#[test]
fn a_503_is_retried_only_with_a_retry_after() {
    let deadlock = error(503, &[("Retry-After", "5")], "");
    assert_eq!(deadlock.kind(), Zendesk::DatabaseBusy);
    assert_eq!(deadlock.retry_after(), Some(Duration::from_secs(5)));
    assert_eq!(deadlock.retry_hint().when(), RetryWhen::Always);
    let maintenance = error(503, &[], "");
    assert_eq!(maintenance.kind(), Zendesk::Unavailable);
    assert!(!maintenance.retry_hint().is_retryable());
    assert_eq!(Zendesk::from_status(503), Zendesk::Unavailable);
    for status in [500, 502, 504, 520] {
        assert_eq!(
            error(status, &[], "").kind(),
            Zendesk::ServerError,
            "{status}"
        );
    }
}

#[test]
fn too_many_jobs_at_any_client_status_and_the_rate_headers() {
    let e = error(
        429,
        &[],
        r#"{"error":"TooManyJobs","description":"Number of jobs exceeds 30","current_job_ids":["j1","j2"]}"#,
    );
    assert_eq!(e.kind(), Zendesk::TooManyJobs);
    assert_eq!(e.member_json("current_job_ids"), Some(r#"["j1","j2"]"#));
    let e = error(
        429,
        &[
            ("ratelimit-remaining", "0"),
            ("ratelimit-reset", "41"),
            ("ratelimit-limit", "700"),
        ],
        "Too Many Requests",
    );
    assert_eq!(e.kind(), Zendesk::TooManyRequests);
    assert_eq!(e.retry_after(), Some(Duration::from_secs(41)));
    let state = e.rate_limit().unwrap();
    assert_eq!(
        (state.remaining, state.limit, state.reset),
        (Some(0), Some(700), Some(Duration::from_secs(41)))
    );
    assert_eq!(Zendesk::CLIENT.attempts(), Some(2));
}
