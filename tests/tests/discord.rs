//! Discord, as shared/vendors/discord.md records it.

use std::time::Duration;

use api_errors::ApiError;

#[api_errors::api_errors(spec = "discord.yaml")]
pub enum Discord {}

#[test]
fn the_429_wait_comes_from_the_body_first() {
    let body = br#"{"message":"You are being rate limited.","retry_after":64.57,"global":false}"#;
    let e = ApiError::<Discord>::from_response(429, &[("Retry-After", "65")], body);
    assert_eq!(e.kind(), Discord::TooManyRequests);
    assert_eq!(e.retry_after(), Some(Duration::from_millis(64_570)));
    assert_eq!(e.member("global"), Some("false"));
    // Without the body's value, `Retry-After`.
    let e = ApiError::<Discord>::from_response(429, &[("Retry-After", "65")], b"");
    assert_eq!(e.retry_after(), Some(Duration::from_secs(65)));
    // The bucket's reset, only once it is exhausted.
    let reset = [
        ("X-RateLimit-Reset-After", "1.5"),
        ("X-RateLimit-Remaining", "0"),
    ];
    assert_eq!(
        ApiError::<Discord>::from_response(429, &reset, b"").retry_after(),
        Some(Duration::from_millis(1500))
    );
    let not_yet = [
        ("X-RateLimit-Reset-After", "1.5"),
        ("X-RateLimit-Remaining", "3"),
    ];
    assert_eq!(
        ApiError::<Discord>::from_response(429, &not_yet, b"").retry_after(),
        None
    );
}

#[test]
fn the_numeric_code_and_the_errors_tree_are_kept() {
    let body = br#"{"code":50035,"errors":{"content":{"_errors":[{"code":"BASE_TYPE_REQUIRED","message":"This field is required"}]}},"message":"Invalid Form Body"}"#;
    let e = ApiError::<Discord>::from_response(400, &(), body);
    assert_eq!(
        (e.kind(), e.code(), e.message()),
        (
            Discord::BadRequest,
            Some("50035"),
            Some("Invalid Form Body")
        )
    );
    assert!(e.details_json().unwrap().contains("BASE_TYPE_REQUIRED"));
    assert!(!Discord::Unauthorized.is_retryable());
    assert!(Discord::BadGateway.is_retryable());
}
