//! Slack's Web API, as shared/vendors/slack.md records it: errors inside HTTP 200
//! (`ok: false`), a real 429 with `Retry-After`, and each error string's class.

use std::time::Duration;

use api_errors::{ApiError, RetryWhen, Retryable};

#[api_errors::api_errors(vendor = "slack")]
pub enum Slack {}

fn in_200(error: &str) -> ApiError<Slack> {
    let body = format!(r#"{{"ok":false,"error":"{error}"}}"#);
    ApiError::from_success(200, &(), body.as_bytes()).expect("ok:false is an error")
}

#[test]
fn a_200_with_ok_false_is_the_error_its_string_names() {
    for (code, kind, when) in [
        ("invalid_auth", Slack::NotAuthorized, RetryWhen::Never),
        ("missing_scope", Slack::NotAuthorized, RetryWhen::Never),
        (
            "token_expired",
            Slack::TokenExpired,
            RetryWhen::AfterReauthentication,
        ),
        (
            "internal_error",
            Slack::InternalError,
            RetryWhen::IfIdempotent,
        ),
        ("fatal_error", Slack::FatalError, RetryWhen::Never),
        (
            "team_added_to_org",
            Slack::MigrationInProgress,
            RetryWhen::Always,
        ),
        (
            "invalid_form_data",
            Slack::MalformedRequest,
            RetryWhen::Never,
        ),
        ("method_deprecated", Slack::Deprecated, RetryWhen::Never),
    ] {
        let e = in_200(code);
        assert_eq!((e.kind(), e.status()), (kind, 200), "{code}");
        assert_eq!(e.code(), Some(code));
        assert_eq!(e.retry_hint().when(), when, "{code}");
    }
    // "Implied transient" with no policy: the class default of a 200, never.
    assert!(!in_200("service_unavailable").retry_hint().is_retryable());
    // An error string the spec does not list: Unknown(200), never retried.
    let e = in_200("channel_not_found");
    assert_eq!(e.kind(), Slack::Unknown(200));
    assert_eq!(e.code(), Some("channel_not_found"));
    assert!(!e.retry_hint().is_retryable());
}

#[test]
fn ok_true_is_a_success_and_its_warnings_are_readable() {
    let body = br#"{"ok":true,"warning":"missing_charset,superfluous_charset","response_metadata":{"warnings":["missing_charset"]}}"#;
    assert!(ApiError::<Slack>::from_success(200, &(), body).is_none());
    let body = br#"{"ok":false,"error":"invalid_arguments","warning":"missing_charset","response_metadata":{"messages":["[ERROR] missing required field: channel"]}}"#;
    let e = ApiError::<Slack>::from_success(200, &(), body).unwrap();
    assert_eq!(e.member("warning"), Some("missing_charset"));
    assert_eq!(
        e.member_json("messages"),
        Some(r#"["[ERROR] missing required field: channel"]"#)
    );
    assert!(e.details_json().unwrap().contains("missing required field"));
}

#[test]
fn ratelimited_is_a_real_429_with_retry_after() {
    let e = ApiError::<Slack>::from_response(
        429,
        &[("Retry-After", "30")],
        br#"{"ok":false,"error":"ratelimited"}"#,
    );
    assert_eq!(e.kind(), Slack::RateLimited);
    assert_eq!(e.retry_after(), Some(Duration::from_secs(30)));
    // Without a body too.
    assert_eq!(
        ApiError::<Slack>::from_response(429, &(), b"").kind(),
        Slack::RateLimited
    );
}
