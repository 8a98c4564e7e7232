//! Kleene's connector error FAQ, asserted through the generated enum.

use api_errors::{api_errors, RetryHint};

#[api_errors(spec = "../specs/kleene.yaml")]
pub enum KleeneError {}

#[test]
fn every_code_of_the_page_is_a_variant() {
    let statuses: Vec<u16> = KleeneError::ALL.iter().map(|e| e.status()).collect();
    assert_eq!(statuses, [400, 401, 403, 404, 414, 429, 500, 502, 503, 504]);
    assert!(KleeneError::ALL.iter().all(|e| e.advice().is_some()));
}

#[test]
fn server_side_errors_are_retried_later() {
    for e in [
        KleeneError::InternalServerError,
        KleeneError::BadGateway,
        KleeneError::ServiceUnavailable,
    ] {
        assert_eq!(e.retry_hint(), RetryHint::BACKOFF, "{e:?}");
        assert!(e.advice().unwrap().contains("try again later"));
    }
}

#[test]
fn gateway_timeout_asks_for_less_data_not_a_retry() {
    assert!(!KleeneError::GatewayTimeout.is_retryable());
    assert!(KleeneError::GatewayTimeout
        .advice()
        .unwrap()
        .contains("volume of data"));
}

#[test]
fn client_errors_are_not_retried() {
    for s in [400, 401, 403, 404, 414] {
        assert!(!KleeneError::from_status(s).is_retryable(), "{s}");
    }
    // 429's advice is about scheduling, not retrying: the class default applies.
    assert_eq!(
        KleeneError::TooManyRequests.retry_hint(),
        RetryHint::for_status(429)
    );
    assert!(KleeneError::TooManyRequests
        .advice()
        .unwrap()
        .contains("concurrent extract runs"));
}
