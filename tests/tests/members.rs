//! Where an error's members are: a body that is a top-level array, members read
//! whole and looked into, extras that are objects, arrays or headers, and members
//! present but not readable as declared (kept as a snippet, never silently lost).

use std::time::Duration;

use api_errors::ApiError;

#[api_errors::api_errors(spec = "specs/members.yaml", api = "array")]
pub enum Array {}

#[api_errors::api_errors(spec = "specs/members.yaml", api = "whole")]
pub enum Whole {}

#[api_errors::api_errors(spec = "specs/members.yaml", api = "one_header")]
pub enum OneHeader {}

#[api_errors::api_errors(spec = "specs/members.yaml", api = "jsonapi_root")]
pub enum JsonApiRoot {}

#[api_errors::api_errors(vendor = "amperity")]
pub enum Amperity {}

#[test]
fn a_body_that_is_an_array_is_read_from_its_root() {
    let body = br#"[{"errorCode":"REQUEST_LIMIT_EXCEEDED","message":"TotalRequests Limit exceeded.","fields":[]}]"#;
    let e = ApiError::<Array>::from_response(400, &(), body);
    assert_eq!(
        e.kind(),
        Array::RequestLimitExceeded,
        "by its code, not by 400's primary entry"
    );
    assert_eq!(e.code(), Some("REQUEST_LIMIT_EXCEEDED"));
    assert_eq!(e.message(), Some("TotalRequests Limit exceeded."));
    assert_eq!(e.member_json("fields"), Some("[]"));
    // `*`: the first element that has a code.
    let e = ApiError::<Array>::from_response(
        400,
        &(),
        br#"[{"message":"x"},{"errorCode":"INVALID_FIELD"}]"#,
    );
    assert_eq!(e.kind(), Array::InvalidField);
    // An object body under the same spec: nothing at these paths, kept as a snippet.
    let e =
        ApiError::<Array>::from_response(400, &(), br#"{"errorCode":"REQUEST_LIMIT_EXCEEDED"}"#);
    assert_eq!(e.kind(), Array::InvalidField, "the status's primary entry");
    assert!(e.body_snippet().is_some());
}

#[test]
fn a_json_api_array_that_is_the_whole_body() {
    let e = ApiError::<JsonApiRoot>::from_response(
        409,
        &(),
        br#"[{"code":"conflict","detail":"Version 3 is newer"}]"#,
    );
    assert_eq!(e.errors().len(), 1);
    assert_eq!(
        (e.code(), e.message()),
        (Some("conflict"), Some("Version 3 is newer"))
    );
}

#[test]
fn a_member_is_read_whole_and_looked_into() {
    let body = br#"{"message":"Validation Failed","errors":[{"resource":"Issue","field":"title","code":"missing_field"},{"code":"already_exists"}],"documentation_url":"https://docs"}"#;
    let e = ApiError::<Whole>::from_response(422, &(), body);
    assert_eq!(
        e.kind(),
        Whole::MissingField,
        "identified by the first error inside"
    );
    assert_eq!(e.code(), Some("missing_field"));
    assert_eq!(
        e.details_json(),
        Some(
            r#"[{"resource":"Issue","field":"title","code":"missing_field"},{"code":"already_exists"}]"#
        ),
        "and every error, whole"
    );
    assert_eq!(
        e.member_json("first"),
        Some(r#"{"resource":"Issue","field":"title","code":"missing_field"}"#)
    );
    assert_eq!(e.member("first"), None, "an object is not text");
    assert_eq!(e.message(), Some("Validation Failed"));
    assert!(e.body_snippet().is_none(), "everything declared was read");
}

#[test]
fn extras_are_text_json_or_headers() {
    let body = br#"{"message":"m","tags":["a","b"],"note":"say \"hi\"","retry_after":2.5}"#;
    let headers = [
        ("X-Sso", "required; url=https://github.com/orgs/x/sso"),
        ("api-usage", "25/15000"),
    ];
    let e = ApiError::<Whole>::from_response(429, &headers, body);
    assert_eq!(e.member_json("tags"), Some(r#"["a","b"]"#));
    assert_eq!(e.member("tags"), None);
    assert_eq!(e.member("note"), Some(r#"say "hi""#), "unescaped");
    assert_eq!(e.member_json("note"), Some(r#""say \"hi\"""#), "as sent");
    assert_eq!(
        e.member("sso"),
        Some("required; url=https://github.com/orgs/x/sso")
    );
    assert_eq!(e.member("usage"), Some("25/15000"));
    assert_eq!(e.member_json("usage"), None, "a header is text, not JSON");
    // The wait member is an extra too: both read it.
    assert_eq!(e.member("retry_after"), Some("2.5"));
    assert_eq!(e.retry_after(), Some(Duration::from_millis(2500)));
    assert_eq!(e.member("absent"), None);
}

#[test]
fn a_member_present_but_not_readable_keeps_the_body() {
    // `message` is an object where text is declared: `trace_id` is read, and the
    // body is kept, so the text is not lost.
    let body = br#"{"message":{"en":"Campaign not found"},"trace_id":"t1"}"#;
    let e = ApiError::<Amperity>::from_response(404, &(), body);
    assert_eq!(e.trace_id(), Some("t1"));
    assert_eq!(e.message(), None);
    assert_eq!(e.body_snippet(), Some(std::str::from_utf8(body).unwrap()));
    // null is absent, not unreadable: nothing to keep beyond the members.
    let e = ApiError::<Amperity>::from_response(404, &(), br#"{"message":null,"trace_id":"t1"}"#);
    assert_eq!(e.body_snippet(), None);
}

#[test]
fn json_too_long_to_keep_whole_is_not_cut() {
    let long = format!(
        r#"{{"message":"m","errors":[{{"code":"missing_field","x":"{}"}}]}}"#,
        "y".repeat(api_errors::JSON_LIMIT)
    );
    let e = ApiError::<Whole>::from_response(422, &(), long.as_bytes());
    assert_eq!(e.kind(), Whole::MissingField);
    assert_eq!(
        e.details_json(),
        None,
        "not kept rather than cut into invalid JSON"
    );
    assert!(
        e.body_snippet().is_some(),
        "the body's start is kept instead"
    );
}

/// A single source may be written as the mapping itself, not a one-item list.
#[test]
fn a_header_source_written_as_one_mapping() {
    let e = ApiError::<OneHeader>::from_response(
        500,
        &[("x-request-id", "req-7")],
        br#"{"message":"m"}"#,
    );
    assert_eq!((e.request_id(), e.message()), (Some("req-7"), Some("m")));
}
