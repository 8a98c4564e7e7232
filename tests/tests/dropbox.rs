//! Dropbox v2, as shared/vendors/dropbox.md records it: Stone tags as codes, two 429s
//! (a rate limit and a lock contention), a transient 409 variant, waits in the body.

use std::time::Duration;

use api_errors::{ApiError, RetryWhen, Retryable};

#[api_errors::api_errors(vendor = "dropbox")]
pub enum Dropbox {}

fn error(status: u16, headers: &[(&str, &str)], body: &str) -> ApiError<Dropbox> {
    ApiError::from_response(status, headers, body.as_bytes())
}

#[test]
fn the_two_429s_and_their_waits() {
    let rate = error(
        429,
        &[("Retry-After", "15")],
        r#"{"error_summary":"too_many_requests/..","error":{"reason":{".tag":"too_many_requests"},"retry_after":3}}"#,
    );
    assert_eq!(rate.kind(), Dropbox::TooManyRequests);
    assert_eq!(
        rate.retry_after(),
        Some(Duration::from_secs(3)),
        "the body first"
    );
    let lock = error(
        429,
        &[],
        r#"{"error_summary":"too_many_write_operations/","error":{"reason":{".tag":"too_many_write_operations"},"retry_after":1}}"#,
    );
    assert_eq!(lock.kind(), Dropbox::TooManyWriteOperations);
    // A plain-text 429 is the rate limit; the header gives the wait.
    let plain = error(429, &[("Retry-After", "7")], "Too many requests");
    assert_eq!(plain.kind(), Dropbox::TooManyRequests);
    assert_eq!(plain.retry_after(), Some(Duration::from_secs(7)));
}

#[test]
fn auth_and_route_errors() {
    let expired = error(
        401,
        &[("x-dropbox-request-id", "rq1")],
        r#"{"error_summary":"expired_access_token/","error":{".tag":"expired_access_token"}}"#,
    );
    assert_eq!(expired.kind(), Dropbox::ExpiredAccessToken);
    assert_eq!(
        expired.retry_hint().when(),
        RetryWhen::AfterReauthentication
    );
    assert_eq!(expired.request_id(), Some("rq1"));
    let scope = error(
        401,
        &[],
        r#"{"error_summary":"missing_scope/","error":{".tag":"missing_scope","required_scope":"files.content.write"}}"#,
    );
    assert_eq!(scope.kind(), Dropbox::AuthError);
    assert_eq!(scope.member("required_scope"), Some("files.content.write"));
    let contention = error(
        409,
        &[],
        r#"{"error_summary":"path/too_many_write_operations/..","error":{".tag":"path","path":{".tag":"too_many_write_operations"}}}"#,
    );
    assert_eq!(contention.kind(), Dropbox::WriteContention);
    assert!(contention.retry_hint().is_retryable());
    let missing = error(
        409,
        &[],
        r#"{"error_summary":"path/not_found/..","error":{".tag":"path","path":{".tag":"not_found"}}}"#,
    );
    assert_eq!(missing.kind(), Dropbox::RouteError);
    assert_eq!(missing.code(), Some("path"));
    assert!(missing.details_json().unwrap().contains("not_found"));
    assert!(!missing.retry_hint().is_retryable());
    assert_eq!(
        error(400, &[], "Error in call to API function").kind(),
        Dropbox::BadRequest
    );
}
