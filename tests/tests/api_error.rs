//! `ApiError<K>`: decoding each declared body shape, choosing the kind, and never
//! panicking or losing the status on bodies that are not what the spec says.

use api_errors_tests::vendors::{Amperity, Amplemarket, AmplitudeBatch, Attraqt};
use std::mem::size_of;
use std::time::{Duration, SystemTime};

use api_errors::{ApiError, RetryHint, Retryable, SNIPPET_LIMIT};
use proptest::prelude::*;

#[test]
fn sizes() {
    assert_eq!(size_of::<Amperity>(), 4, "the kind");
    assert_eq!(
        size_of::<ApiError<Amperity>>(),
        16,
        "kind + status + one optional box"
    );
    assert_eq!(size_of::<Result<u64, ApiError<Amperity>>>(), 16);
    assert_eq!(size_of::<Result<(), ApiError<Amperity>>>(), 16);
}

#[test]
fn amperity_flat_body() {
    let body = br#"{"status": 400, "message": "Error updating database: Can't find campaign named 'CampaignName'", "request_id":"1ab23456-c78d-9012-3456-78efg9hi01j2", "trace_id":"1a2b3456789cd0ef1g234hijklm5nopq"}"#;
    let e = ApiError::<Amperity>::from_response(400, &(), body);
    assert_eq!(e.kind(), Amperity::BadRequest);
    assert_eq!(e.status(), 400);
    assert!(e.message().unwrap().starts_with("Error updating database"));
    assert_eq!(e.request_id(), Some("1ab23456-c78d-9012-3456-78efg9hi01j2"));
    assert_eq!(e.trace_id(), Some("1a2b3456789cd0ef1g234hijklm5nopq"));
    assert_eq!(e.body_snippet(), None);
    assert_eq!(
        e.to_string(),
        format!(
            "Amperity rest: HTTP 400: {} (server: Error updating database: Can't find campaign named 'CampaignName') [request_id 1ab23456-c78d-9012-3456-78efg9hi01j2]",
            Amperity::BadRequest.message()
        )
    );
}

#[test]
fn kind_by_app_code_first_then_status() {
    // A 400 whose code is documented as another entry's: the code wins.
    let body = br#"{"_errors":[{"status":"400","code":"missing_field","detail":"name"}]}"#;
    let e = ApiError::<Amplemarket>::from_response(400, &(), body);
    assert_eq!(e.kind(), Amplemarket::MissingField);
    // An undocumented code: by status.
    let body = br#"{"_errors":[{"code":"brand_new_code"}]}"#;
    let e = ApiError::<Amplemarket>::from_response(400, &(), body);
    assert_eq!(e.kind(), Amplemarket::UnsupportedValue);
    assert_eq!(e.code(), Some("brand_new_code"));
    // Several errors: the first documented code.
    let body = br#"{"_errors":[{"code":"brand_new_code"},{"code":"person_not_found"}]}"#;
    let e = ApiError::<Amplemarket>::from_response(404, &(), body);
    assert_eq!(e.kind(), Amplemarket::PersonNotFound);
    assert_eq!(e.errors().len(), 2);
}

#[test]
fn retry_after_header_overrides_the_spec_wait() {
    let e = ApiError::<AmplitudeBatch>::from_response(429, &[("Retry-After", "7")], b"");
    assert_eq!(e.kind(), AmplitudeBatch::TooManyRequests);
    assert_eq!(Retryable::retry_after(&e), Some(Duration::from_secs(7)));
    assert_eq!(e.retry_hint(), AmplitudeBatch::TooManyRequests.retry_hint());
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777);
    let e = ApiError::<Attraqt>::from_response_at(
        429,
        &[("retry-after", "Sun, 06 Nov 1994 08:49:47 GMT")],
        b"",
        now,
    );
    assert_eq!(e.retry_after(), Some(Duration::from_secs(10)));
    assert_eq!(e.retry_hint(), RetryHint::RETRY_AFTER);
    for garbage in ["soon", "-1", "", "1e3", "1.5s"] {
        let e = ApiError::<Attraqt>::from_response(429, &[("retry-after", garbage)], b"");
        assert_eq!(e.retry_after(), None, "{garbage:?}");
    }
    // Decimal seconds are read too (vendors send `Retry-After: 2.0`).
    let e = ApiError::<Attraqt>::from_response(429, &[("retry-after", "1.5")], b"");
    assert_eq!(e.retry_after(), Some(Duration::from_millis(1500)));
}

#[test]
fn bodies_that_are_not_what_the_spec_says() {
    let deep = "[".repeat(50_000);
    let megabytes = format!("{{\"message\": \"{}\"}}", "m".repeat(3 * 1024 * 1024));
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("not json", b"<html>Bad Gateway</html>".to_vec()),
        (
            "truncated",
            br#"{"status": 502, "message": "upstr"#.to_vec(),
        ),
        ("wrong shape", br#"[{"message": "in an array"}]"#.to_vec()),
        ("deeply nested", deep.clone().into_bytes()),
        ("megabytes", megabytes.clone().into_bytes()),
        ("binary", vec![0xff, 0x00, 0xfe, 0x80]),
    ];
    for (what, body) in cases {
        let e = ApiError::<Amperity>::from_response(502, &(), &body);
        assert_eq!(e.status(), 502, "{what}");
        assert_eq!(e.kind(), Amperity::Unknown(502), "{what}");
        assert_eq!(e.message(), None, "{what}");
        let snippet = e
            .body_snippet()
            .unwrap_or_else(|| panic!("{what}: a snippet"));
        assert!(snippet.len() <= SNIPPET_LIMIT, "{what}: {}", snippet.len());
        assert!(!snippet.is_empty());
    }
    let e = ApiError::<Amperity>::from_response(503, &(), b"");
    assert_eq!(
        (e.kind(), e.body_snippet()),
        (Amperity::ServiceUnavailable, None)
    );
}

#[test]
fn unknown_fields_are_ignored() {
    let body = br#"{"code": 1001, "message": "attribute missing", "details": [{"field":"name"}], "category": "items", "new": {"a": [1, {"b": null}]}}"#;
    let e = ApiError::<Attraqt>::from_response(400, &(), body);
    assert_eq!(
        (e.code(), e.message()),
        (Some("1001"), Some("attribute missing"))
    );
    assert_eq!(e.kind(), Attraqt::BadRequest);
}

#[test]
fn from_http_types() {
    let response = http::Response::builder()
        .status(503)
        .header("Retry-After", "3")
        .body(br#"{"status":503,"message":"down","request_id":"r1"}"#.to_vec())
        .unwrap();
    let e = ApiError::<Amperity>::from_http(&response);
    assert_eq!(e.kind(), Amperity::ServiceUnavailable);
    assert_eq!((e.message(), e.request_id()), (Some("down"), Some("r1")));
    assert_eq!(e.retry_after(), Some(Duration::from_secs(3)));
}

#[test]
fn error_without_anything_to_keep_does_not_allocate_a_box() {
    let e = ApiError::<Amperity>::from_response(404, &(), b"");
    assert_eq!(format!("{e:?}"), "ApiError { kind: NotFound, status: 404 }");
    assert_eq!(e, ApiError::new(Amperity::NotFound, 404));
}

proptest! {
    #[test]
    fn any_bytes_any_status_never_panic(status in any::<u16>(), body in prop::collection::vec(any::<u8>(), 0..2048), ra in "\\PC{0,12}") {
        let headers = [("retry-after", ra.as_str())];
        let a = ApiError::<Amperity>::from_response(status, &headers, &body);
        prop_assert_eq!(a.status(), status);
        let b = ApiError::<Amplemarket>::from_response(status, &headers, &body);
        prop_assert_eq!(b.status(), status);
        let _ = (a.to_string(), b.to_string(), format!("{a:?}"));
        if let Some(s) = b.body_snippet() { prop_assert!(s.len() <= SNIPPET_LIMIT) }
    }

    #[test]
    fn any_wait_text_in_any_format_never_panics(text in "[\\PC\"\\\\;,=]{0,40}") {
        use api_errors::{parse_wait, WaitFormat};
        let now = std::time::SystemTime::now();
        for f in [WaitFormat::Seconds, WaitFormat::Milliseconds, WaitFormat::HttpRetryAfter,
                  WaitFormat::EpochSeconds, WaitFormat::Timestamp, WaitFormat::GoDuration,
                  WaitFormat::RateLimit] {
            let _ = parse_wait(f, &text, now);
        }
        let _ = api_errors::ratelimit_reset(&text, Some("p"));
    }

    #[test]
    fn json_like_bodies_never_panic(body in r#"\{("_errors"|"message"|"code"|"status"|"x"):(\[|\{|"[a-z]*"|[0-9]{1,30}|null|true)[\]\}\[\{",:a-z0-9]{0,40}"#) {
        let e = ApiError::<Amplemarket>::from_response(400, &(), body.as_bytes());
        prop_assert_eq!(e.status(), 400);
        let e = ApiError::<Attraqt>::from_response(400, &(), body.as_bytes());
        prop_assert_eq!(e.status(), 400);
    }
}
