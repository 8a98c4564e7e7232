//! Identifying an error by more than its status: body members at any depth, the
//! body's error type, several codes per entry, text in the message, and statuses
//! outside the standard registry.

use api_errors::{ApiError, ApiErrorKind};

#[api_errors::api_errors(spec = "specs/identify.yaml")]
pub enum Kind {}

fn body(kind: &str, code: Option<&str>, message: &str) -> String {
    let code = code.map_or("null".to_string(), |c| format!("\"{c}\""));
    format!(r#"{{"error":{{"message":"{message}","type":"{kind}","param":null,"code":{code}}}}}"#)
}

fn error(status: u16, body: &str) -> ApiError<Kind> {
    ApiError::from_response(status, &(), body.as_bytes())
}

#[test]
fn one_status_three_retry_classes() {
    let rate = error(
        429,
        &body(
            "requests",
            Some("rate_limit_exceeded"),
            "Rate limit reached for requests",
        ),
    );
    assert_eq!(rate.kind(), Kind::RateLimited);
    assert!(rate.kind().is_retryable());

    let too_large = error(
        429,
        &body(
            "tokens",
            Some("rate_limit_exceeded"),
            "Request too large for gpt-4 on tokens per min",
        ),
    );
    assert_eq!(
        too_large.kind(),
        Kind::RequestTooLarge,
        "the message decides"
    );
    assert!(!too_large.kind().is_retryable());

    for code in ["insufficient_quota", "credit_balance_exhausted"] {
        let quota = error(
            429,
            &body(
                "insufficient_quota",
                Some(code),
                "You exceeded your current quota",
            ),
        );
        assert_eq!(quota.kind(), Kind::QuotaExceeded, "{code}");
        assert!(!quota.kind().is_retryable());
    }
}

#[test]
fn every_condition_must_hold() {
    // The type matches but the code is none of the entry's: not QuotaExceeded.
    let e = error(
        429,
        &body(
            "insufficient_quota",
            Some("organization_spend_limit_exceeded"),
            "spend",
        ),
    );
    assert_eq!(e.kind(), Kind::RateLimited, "the status's primary entry");
    // The right type on another status: the status decides.
    let e = error(
        400,
        &body("insufficient_quota", Some("insufficient_quota"), "quota"),
    );
    assert_eq!(e.kind(), Kind::BadRequest);
}

#[test]
fn nested_members_are_read() {
    let e = error(
        429,
        &body(
            "requests",
            Some("rate_limit_exceeded"),
            "Rate limit reached",
        ),
    );
    assert_eq!(e.message(), Some("Rate limit reached"));
    assert_eq!(e.code(), Some("rate_limit_exceeded"));
    assert_eq!(e.error_type(), Some("requests"));
    assert_eq!(e.body_snippet(), None);
}

#[test]
fn several_codes_name_one_entry() {
    assert_eq!(Kind::from_code("server_error"), Some(Kind::ServerError));
    assert_eq!(Kind::from_code("internal_error"), Some(Kind::ServerError));
    assert_eq!(
        Kind::ServerError.code(),
        Some("server_error"),
        "the first code"
    );
    let e = error(
        500,
        r#"{"error":{"message":"boom","type":"server","code":"internal_error"}}"#,
    );
    assert_eq!(e.kind(), Kind::ServerError);
    // Entries matched on more than codes are not in `from_code`.
    assert_eq!(Kind::from_code("credit_balance_exhausted"), None);
}

#[test]
fn a_non_standard_status_is_an_entry_like_any_other() {
    let e = error(529, &body("overloaded_error", None, "Overloaded"));
    assert_eq!(e.kind(), Kind::OverloadedError, "named from its type");
    assert_eq!(Kind::from_status(529), Kind::OverloadedError);
    assert_eq!(Kind::OverloadedError.status(), 529);
    assert!(Kind::OverloadedError.is_retryable());
    assert_eq!(Kind::MATCHERS.len(), 3);
    assert_eq!(
        Kind::MATCHERS[0].kind(),
        Kind::RequestTooLarge,
        "most conditions first"
    );
}

#[test]
fn errors_inside_a_stream_use_the_same_spec() {
    // An SSE `error` event after a 200: found by type, kept with its documented status.
    let e = ApiError::<Kind>::from_stream_event(
        br#"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#,
    );
    assert_eq!((e.kind(), e.status()), (Kind::OverloadedError, 529));
    assert!(e.kind().is_retryable());
    // By code alone, whatever status the entry has.
    let e = ApiError::<Kind>::from_stream_event(
        br#"{"error":{"message":"boom","code":"internal_error"}}"#,
    );
    assert_eq!((e.kind(), e.status()), (Kind::ServerError, 500));
    // Matchers need all their other conditions still.
    let e = ApiError::<Kind>::from_stream_event(
        br#"{"error":{"message":"Request too large for model","code":"rate_limit_exceeded"}}"#,
    );
    assert_eq!(e.kind(), Kind::RequestTooLarge);
    // Undocumented: Unknown(200), and what it said is kept.
    let e = ApiError::<Kind>::from_stream_event(
        br#"{"error":{"message":"new kind of failure","type":"brand_new"}}"#,
    );
    assert_eq!((e.kind(), e.status()), (Kind::Unknown(200), 200));
    assert_eq!(
        (e.message(), e.error_type()),
        (Some("new kind of failure"), Some("brand_new"))
    );
    let e = ApiError::<Kind>::from_stream_event(b"data: not json");
    assert_eq!(e.body_snippet(), Some("data: not json"));
}
