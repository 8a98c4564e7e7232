//! A successful status that carries an error, per the spec's `errors_in_success`.

use api_errors::{ApiError, ApiErrorKind};

#[api_errors::api_errors(spec = "specs/success_errors.yaml")]
pub enum Graph {}

fn check(body: &str) -> Option<ApiError<Graph>> {
    ApiError::from_success(200, &(), body.as_bytes())
}

#[test]
fn a_graphql_errors_array_makes_a_200_an_error() {
    let e = check(r#"{"data":null,"errors":[{"message":"Throttled","extensions":{"code":"THROTTLED","cost":{"requestedQueryCost":101}}}]}"#)
        .expect("an error");
    assert_eq!((e.kind(), e.status()), (Graph::Throttled, 200));
    assert!(e.kind().is_retryable());
    assert_eq!(e.message(), Some("Throttled"));
}

#[test]
fn passing_responses_are_not_errors() {
    assert!(check(r#"{"data":{"shop":{"name":"x"}}}"#).is_none());
    assert!(
        check(r#"{"data":{},"errors":[]}"#).is_none(),
        "an empty array has no element 0"
    );
    assert!(check(r#"{"data":{},"errors":null}"#).is_none());
    assert!(check(r#"{"ok":true}"#).is_none());
    assert!(
        check("not json at all").is_none(),
        "not JSON: no rule can hold"
    );
}

#[test]
fn a_flag_member_makes_a_200_an_error() {
    let e = check(r#"{"ok":false,"errors":[{"message":"nope"}]}"#).expect("an error");
    assert_eq!(
        e.kind(),
        Graph::Unknown(200),
        "no documented code: an error the spec does not document, never the 200 entry"
    );
    assert!(!api_errors::Retryable::retry_hint(&e).is_retryable());
    assert_eq!(e.message(), Some("nope"));
    assert!(check(r#"{"ok":"false"}"#).is_some(), "the text false");
    assert_eq!(Graph::SUCCESS_ERRORS.len(), 2);
}
