//! Twilio SendGrid v3, as shared/vendors/sendgrid.md records it: no error codes, so a
//! 401 of spent credits and a 403 temporary block are told apart by their message;
//! the wait until `X-RateLimit-Reset`; the SDK's attempts.

use std::time::{Duration, SystemTime};

use api_errors::{ApiError, ApiErrorKind, Retryable};

#[api_errors::api_errors(vendor = "sendgrid")]
pub enum SendGrid {}

fn error(status: u16, headers: &[(&str, &str)], body: &str) -> ApiError<SendGrid> {
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_392_815_200);
    ApiError::from_response_at(status, headers, body.as_bytes(), now)
}

#[test]
fn the_message_tells_what_the_status_cannot() {
    let credits = error(
        401,
        &[],
        r#"{"errors":[{"field":null,"message":"Maximum credits exceeded"}]}"#,
    );
    assert_eq!(credits.kind(), SendGrid::CreditsExceeded);
    let auth = error(
        401,
        &[],
        r#"{"errors":[{"field":null,"message":"The provided authorization grant is invalid"}]}"#,
    );
    assert_eq!(auth.kind(), SendGrid::Unauthorized);
    let block = error(
        403,
        &[],
        r#"{"errors":[{"field":null,"message":"Too many bad requests. Temporary block"}]}"#,
    );
    assert_eq!(block.kind(), SendGrid::TemporarilyBlocked);
    assert_eq!(error(403, &[], "{}").kind(), SendGrid::Forbidden);
    for e in [credits, auth, block] {
        assert!(!e.retry_hint().is_retryable());
    }
}

#[test]
fn validation_errors_keep_their_fields_and_the_429_waits_for_the_reset() {
    let body = r#"{"errors":[{"message":"The from email does not contain a valid address.","field":"from.email","help":"http://sendgrid.com/docs/API_Reference/Web_API_v3/Mail/errors.html#message.from"}],"id":"e1"}"#;
    let e = error(400, &[], body);
    assert_eq!(
        e.message(),
        Some("The from email does not contain a valid address.")
    );
    assert_eq!(e.member("field"), Some("from.email"));
    assert_eq!(e.member("error_id"), Some("e1"));
    let limited = error(
        429,
        &[
            ("X-RateLimit-Limit", "150"),
            ("X-RateLimit-Remaining", "0"),
            ("X-RateLimit-Reset", "1392815263"),
        ],
        r#"{"errors":[{"field":null,"message":"too many requests"}]}"#,
    );
    assert_eq!(limited.kind(), SendGrid::TooManyRequests);
    assert_eq!(limited.retry_after(), Some(Duration::from_secs(63)));
    assert_eq!(SendGrid::CLIENT.attempts(), Some(6));
    assert_eq!(
        error(451, &[], "{}").kind(),
        SendGrid::UnavailableForLegalReasons
    );
}
