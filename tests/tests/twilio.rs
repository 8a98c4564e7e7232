//! Twilio, as shared/vendors/twilio.md records it: three body shapes, one spec.

use api_errors::{ApiError, RetryWhen};

#[api_errors::api_errors(spec = "twilio.yaml")]
pub enum Twilio {}

#[test]
fn all_three_body_shapes() {
    let classic = br#"{"code":20404,"message":"The requested resource was not found","more_info":"https://www.twilio.com/docs/errors/20404","status":404}"#;
    let e = ApiError::<Twilio>::from_response(404, &(), classic);
    assert_eq!(
        (e.kind(), e.code()),
        (Twilio::ResourceNotFound, Some("20404"))
    );
    assert_eq!(
        e.member("more_info"),
        Some("https://www.twilio.com/docs/errors/20404")
    );
    let problem = br#"{"type":"https://www.twilio.com/docs/errors/20429","title":"Too Many Requests","status":429,"code":20429,"detail":"Too many concurrent requests"}"#;
    let e = ApiError::<Twilio>::from_response(429, &(), problem);
    assert_eq!(
        (e.kind(), e.message()),
        (
            Twilio::TooManyConcurrentRequests,
            Some("Too many concurrent requests")
        )
    );
    let list = br#"{"errors":[{"code":20503,"message":"Service unavailable","infoUrl":"u","context":"c"}]}"#;
    let e = ApiError::<Twilio>::from_response(503, &(), list);
    assert_eq!(
        (e.kind(), e.message()),
        (Twilio::ServiceUnavailable, Some("Service unavailable"))
    );
}

#[test]
fn retry_classes() {
    assert!(
        Twilio::TooManyConcurrentRequests.is_retryable(),
        "never processed: always safe"
    );
    assert_eq!(
        Twilio::InternalServerError.retry_hint().when(),
        RetryWhen::IfIdempotent
    );
    assert!(!Twilio::Authenticate.is_retryable());
    // No code in the body: the status decides.
    let e =
        ApiError::<Twilio>::from_response(401, &(), br#"{"message":"Authenticate","status":401}"#);
    assert_eq!(e.kind(), Twilio::Authenticate);
}
