//! Attraqt's Items API troubleshooting page, asserted through the generated enum.

use api_errors::{api_errors, ApiErrorKind, BodyShape, RetryHint, RetryWhen};

#[api_errors(spec = "../specs/attraqt.yaml")]
pub enum AttraqtError {}

#[test]
fn unauthorized_is_retried_after_refreshing_the_token() {
    let h = AttraqtError::Unauthorized.retry_hint();
    assert_eq!(h.when(), RetryWhen::AfterReauthentication);
    assert!(AttraqtError::Unauthorized
        .advice()
        .unwrap()
        .contains("Refresh the access token"));
}

#[test]
fn rate_limit_follows_retry_after() {
    let h = AttraqtError::TooManyRequests.retry_hint();
    assert_eq!(h, RetryHint::RETRY_AFTER);
    assert!(h.honours_retry_after());
}

#[test]
fn server_errors_back_off_and_client_errors_do_not_retry() {
    for s in [500, 502, 503, 504] {
        let e = AttraqtError::from_status(s);
        assert_eq!(e.retry_hint(), RetryHint::BACKOFF, "{s}");
        assert!(e.message().contains("1%"));
    }
    assert!(!AttraqtError::BadRequest.is_retryable());
    assert!(!AttraqtError::Forbidden.is_retryable());
}

#[test]
fn transport_timeouts_are_retried() {
    let rules = <AttraqtError as ApiErrorKind>::TRANSPORT;
    assert_eq!(rules.timeout, Some(RetryHint::BACKOFF));
    assert_eq!(
        (rules.connect, rules.reset),
        (None, None),
        "the page speaks of timeouts only"
    );
}

#[test]
fn declares_code_message_details_body() {
    let BodyShape::Object(f) = <AttraqtError as ApiErrorKind>::BODY else {
        panic!("Attraqt documents an object body");
    };
    assert_eq!(
        (f.code, f.message, f.details),
        (
            Some(&["code"][..]),
            Some(&["message"][..]),
            Some(&["details"][..])
        )
    );
}
