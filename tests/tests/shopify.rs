//! Shopify, REST and GraphQL, as shared/vendors/shopify.md records it.

use std::time::Duration;

use api_errors::ApiError;

#[api_errors::api_errors(spec = "shopify.yaml", api = "rest")]
pub enum Rest {}

#[api_errors::api_errors(spec = "shopify.yaml", api = "graphql")]
pub enum Graphql {}

#[test]
fn rest_statuses_and_decimal_retry_after() {
    let e = ApiError::<Rest>::from_response(429, &[("Retry-After", "2.0")], b"");
    assert_eq!(
        (e.kind(), e.retry_after()),
        (Rest::TooManyRequests, Some(Duration::from_secs(2)))
    );
    for (status, kind) in [
        (430, Rest::SecurityRejection),
        (530, Rest::OriginDnsError),
        (540, Rest::EndpointTemporarilyDisabled),
        (783, Rest::JsonSyntaxError),
    ] {
        assert_eq!(Rest::from_status(status), kind);
    }
    assert!(Rest::EndpointTemporarilyDisabled.is_retryable());
    assert!(!Rest::JsonSyntaxError.is_retryable());
    assert!(
        !Rest::GatewayTimeout.is_retryable(),
        "504: split the request instead"
    );
    assert!(!Rest::Locked.is_retryable());
}

#[test]
fn graphql_errors_inside_a_200() {
    let throttled = br#"{"errors":[{"message":"Throttled","extensions":{"code":"THROTTLED","documentation":"https://shopify.dev/api/usage/rate-limits"}}],"extensions":{"cost":{"requestedQueryCost":101,"actualQueryCost":null,"throttleStatus":{"maximumAvailable":1000.0,"currentlyAvailable":50,"restoreRate":50.0}}}}"#;
    let e = ApiError::<Graphql>::from_success(200, &(), throttled).expect("an error in a 200");
    assert_eq!(e.kind(), Graphql::Throttled);
    assert!(e.kind().is_retryable());
    assert_eq!(
        e.member("documentation"),
        Some("https://shopify.dev/api/usage/rate-limits")
    );
    assert!(
        e.member("throttle_status").is_none(),
        "an object is not text"
    );
    assert_eq!(
        e.member_json("throttle_status"),
        Some(r#"{"maximumAvailable":1000.0,"currentlyAvailable":50,"restoreRate":50.0}"#),
        "... but its JSON is kept whole"
    );
    let cost = br#"{"errors":[{"message":"Query cost is 1200","extensions":{"code":"MAX_COST_EXCEEDED"}}]}"#;
    let e = ApiError::<Graphql>::from_success(200, &(), cost).unwrap();
    assert_eq!(e.kind(), Graphql::MaxCostExceeded);
    assert!(!e.kind().is_retryable());
    assert!(
        ApiError::<Graphql>::from_success(200, &(), br#"{"data":{"shop":{"name":"x"}}}"#).is_none()
    );
}

/// Nothing in a 2xx or a stream is identified by the status alone: what the body
/// does not name is `Unknown(200)`, never the 200 entry (`Throttled`, retried).
#[test]
fn graphql_errors_the_spec_does_not_document_are_unknown_and_not_retried() {
    use api_errors::Retryable;
    let undocumented = [
        &br#"{"errors":[{"message":"Field 'x' doesn't exist on type 'Shop'","locations":[{"line":1,"column":9}]}]}"#[..],
        br#"{"errors":[{"message":"m","extensions":{"code":"SOMETHING_NEW"}}]}"#,
    ];
    for body in undocumented {
        let e = ApiError::<Graphql>::from_success(200, &(), body).expect("an error");
        assert_eq!(
            e.kind(),
            Graphql::Unknown(200),
            "{}",
            String::from_utf8_lossy(body)
        );
        assert!(!e.retry_hint().is_retryable());
    }
    for event in [&b"[DONE]"[..], b"", b"not json", b"{}", b"{\"errors\":[]}"] {
        let e = ApiError::<Graphql>::from_stream_event(event);
        assert_eq!(
            (e.kind(), e.status()),
            (Graphql::Unknown(200), 200),
            "{}",
            String::from_utf8_lossy(event)
        );
        assert!(!e.retry_hint().is_retryable());
    }
    // A documented code in a stream event is still found.
    let e = ApiError::<Graphql>::from_stream_event(
        br#"{"errors":[{"message":"Throttled","extensions":{"code":"THROTTLED"}}]}"#,
    );
    assert_eq!(e.kind(), Graphql::Throttled);
}

/// `data` beside `errors`: the mutation took effect, so the error is not retried
/// although its code is (`INTERNAL_SERVER_ERROR` alone would be).
#[test]
fn a_partial_success_is_not_retried() {
    use api_errors::Retryable;
    let partial = br#"{"data":{"productCreate":{"product":{"id":"gid://shopify/Product/1"}}},"errors":[{"message":"Internal error","extensions":{"code":"INTERNAL_SERVER_ERROR"}}]}"#;
    let e = ApiError::<Graphql>::from_success(200, &(), partial).expect("an error");
    assert_eq!(e.kind(), Graphql::InternalServerError);
    assert!(e.kind().is_retryable(), "the kind alone is retryable");
    assert!(e.took_effect());
    assert!(
        !e.retry_hint().is_retryable(),
        "but not once it took effect"
    );
    let failed = br#"{"data":null,"errors":[{"message":"Internal error","extensions":{"code":"INTERNAL_SERVER_ERROR"}}]}"#;
    let e = ApiError::<Graphql>::from_success(200, &(), failed).expect("an error");
    assert!(!e.took_effect(), "`data: null`: nothing happened");
    assert!(e.retry_hint().is_retryable());
}
