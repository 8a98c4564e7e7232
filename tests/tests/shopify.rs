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
        "an object: read it from the body"
    );
    let cost = br#"{"errors":[{"message":"Query cost is 1200","extensions":{"code":"MAX_COST_EXCEEDED"}}]}"#;
    let e = ApiError::<Graphql>::from_success(200, &(), cost).unwrap();
    assert_eq!(e.kind(), Graphql::MaxCostExceeded);
    assert!(!e.kind().is_retryable());
    assert!(
        ApiError::<Graphql>::from_success(200, &(), br#"{"data":{"shop":{"name":"x"}}}"#).is_none()
    );
}
