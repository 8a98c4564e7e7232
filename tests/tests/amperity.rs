//! Amperity's API response codes, asserted through the generated enum.

use api_errors::{api_errors, ApiErrorKind, BodyShape, RetryHint};

#[api_errors(spec = "../specs/amperity.yaml")]
pub enum AmperityError {}

#[test]
fn client_errors_are_fatal() {
    use AmperityError::*;
    for e in [
        BadRequest,
        AuthenticationRequired,
        NotAuthorized,
        NotFound,
        MethodNotAllowed,
        Conflict,
    ] {
        assert!(!e.is_retryable(), "{e:?}");
        assert!(e.status() >= 400 && e.status() < 500);
    }
    assert!(AuthenticationRequired.message().contains("expired token"));
}

#[test]
fn rate_limit_and_server_errors_back_off() {
    use AmperityError::*;
    for e in [TooManyRequests, ServerError, ServiceUnavailable] {
        assert_eq!(e.retry_hint(), RetryHint::BACKOFF, "{e:?}");
    }
    assert!(ServerError
        .advice()
        .unwrap()
        .contains("Simplify the request"));
    assert!(TooManyRequests
        .message()
        .contains("does not currently enforce"));
    assert_eq!(AmperityError::from_status(500), ServerError);
    assert_eq!(AmperityError::from_status(502), Unknown(502));
}

#[test]
fn declares_its_flat_error_body() {
    let BodyShape::Object(f) = <AmperityError as ApiErrorKind>::BODY else {
        panic!("Amperity documents an object body");
    };
    assert_eq!(
        (f.status, f.message, f.request_id, f.trace_id, f.code),
        (
            Some(&["status"][..]),
            Some(&["message"][..]),
            Some(&["request_id"][..]),
            Some(&["trace_id"][..]),
            None
        )
    );
}
