//! Microsoft Graph, as shared/vendors/microsoft-graph.md records it: OData error
//! bodies whose innererror chain is walked for the most specific known code,
//! `Retry-After` on 429 and 503, 509 retried, 410 resync never, the identity
//! throttling headers kept, 2,000 requests a second per app, Kiota's schedule.

use std::time::{Duration, Instant};

use api_errors::{ApiError, ApiErrorKind, PaceRequest, Pacer, RetryWhen, Retryable};

#[api_errors::api_errors(vendor = "microsoft-graph")]
pub enum Graph {}

#[test]
fn a_throttled_request_waits_retry_after_and_keeps_the_identity_headers() {
    let e = ApiError::<Graph>::from_response(
        429,
        &[
            ("Retry-After", "7"),
            ("request-id", "r-1"),
            ("client-request-id", "c-1"),
            ("x-ms-throttle-scope", "Tenant_Application/ReadWrite/9a3a/4b5c"),
            ("x-ms-throttle-information", "ResourceUnitLimitExceeded"),
            ("x-ms-resource-unit", "2"),
        ],
        br#"{"error":{"code":"activityLimitReached","message":"The request has been throttled","innerError":{"code":"throttledRequest","request-id":"r-1","date":"2026-12-02T10:00:00"}}}"#,
    );
    assert_eq!(e.kind(), Graph::TooManyRequests);
    assert_eq!(e.retry_after(), Some(Duration::from_secs(7)));
    assert_eq!(e.retry_hint().when(), RetryWhen::Always);
    // The innermost code is `code()`; the outer one stays a member.
    assert_eq!(e.code(), Some("throttledRequest"));
    assert_eq!(e.member("error_code"), Some("activityLimitReached"));
    assert_eq!(e.request_id(), Some("r-1"));
    assert_eq!(e.member("client_request_id"), Some("c-1"));
    assert_eq!(
        e.member("throttle_scope"),
        Some("Tenant_Application/ReadWrite/9a3a/4b5c")
    );
    assert_eq!(
        e.member("throttle_information"),
        Some("ResourceUnitLimitExceeded")
    );
    assert_eq!(e.member("resource_unit"), Some("2"));
    assert_eq!(e.member("date"), Some("2026-12-02T10:00:00"));
    // Without Retry-After (services that send none): backoff, never at once.
    let bare = ApiError::<Graph>::from_response(
        429,
        &(),
        br#"{"error":{"code":"throttledRequest","message":"Too many requests"}}"#,
    );
    assert_eq!(
        (bare.kind(), bare.retry_after()),
        (Graph::TooManyRequests, None)
    );
    assert!(bare.retry_hint().is_retryable());
}

#[test]
fn the_most_specific_code_the_spec_knows_identifies() {
    // An unknown inner code does not hide a known outer one...
    let e = ApiError::<Graph>::from_response(
        410,
        &(),
        br#"{"error":{"code":"resyncRequired","message":"Resync required","innererror":{"code":"resyncApplyDifferences"}}}"#,
    );
    assert_eq!(e.kind(), Graph::ResyncRequired);
    assert_eq!(e.code(), Some("resyncApplyDifferences"));
    assert!(!e.retry_hint().is_retryable());
    // ... and a known inner code, two levels down, wins over the outer one.
    let e = ApiError::<Graph>::from_response(
        500,
        &(),
        br#"{"error":{"code":"generalException","message":"m","innerError":{"code":"x","innererror":{"code":"cannotSnapshotTree"}}}}"#,
    );
    assert_eq!(e.kind(), Graph::CannotSnapshotTree);
    assert!(e.retry_hint().is_retryable());
    // The inner code says "try again later" at whatever status it comes with.
    let e = ApiError::<Graph>::from_response(
        409,
        &(),
        br#"{"error":{"code":"nameAlreadyExists","innererror":{"code":"cannotSnapshotTree"}}}"#,
    );
    assert_eq!(e.kind(), Graph::CannotSnapshotTree);
    // A known code further out is found past an unknown inner one.
    let e = ApiError::<Graph>::from_response(
        500,
        &(),
        br#"{"error":{"code":"cannotSnapshotTree","message":"m","innerError":{"code":"snapshotBusy","request-id":"r"}}}"#,
    );
    assert_eq!(
        (e.kind(), e.code()),
        (Graph::CannotSnapshotTree, Some("snapshotBusy"))
    );
    // A workload code the notes give no status for identifies nothing: the status.
    let e = ApiError::<Graph>::from_response(
        403,
        &(),
        br#"{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges"}}"#,
    );
    assert_eq!(e.kind(), Graph::Forbidden);
    assert_eq!(e.code(), Some("Authorization_RequestDenied"));
    // An empty code (the batch example) is the status's entry too.
    let e = ApiError::<Graph>::from_response(
        405,
        &(),
        br#"{"error":{"code":"","message":"Unsupported method"}}"#,
    );
    assert_eq!(e.kind(), Graph::MethodNotAllowed);
}

#[test]
fn every_status_of_the_table_and_its_retry_class() {
    let never = [
        400, 402, 403, 404, 405, 406, 409, 410, 411, 412, 413, 415, 416, 422, 423, 424, 501, 507,
    ];
    for status in never {
        let kind = Graph::from_status(status);
        assert_eq!(kind.status(), status);
        assert!(!kind.is_retryable(), "{status}");
    }
    assert_eq!(
        Graph::from_status(401).retry_hint().when(),
        RetryWhen::AfterReauthentication
    );
    for status in [429, 500, 503, 504, 509] {
        assert!(Graph::from_status(status).is_retryable(), "{status}");
    }
    assert_eq!(Graph::from_status(509), Graph::BandwidthLimitExceeded);
    let e = ApiError::<Graph>::from_response(
        503,
        &[("Retry-After", "Wed, 02 Dec 2099 10:00:00 GMT")],
        br#"{"error":{"code":"serviceNotAvailable","message":"Service unavailable"}}"#,
    );
    assert_eq!(e.kind(), Graph::ServiceUnavailable);
    assert!(e.retry_after().unwrap() > Duration::from_secs(3600));
}

#[test]
fn the_sdk_schedule_and_the_global_limit() {
    let sdk = Graph::CLIENT;
    assert_eq!(sdk.sdk_name(), Some("kiota-http-go"));
    assert_eq!(sdk.attempts(), Some(4));
    assert_eq!(
        sdk.schedule(),
        Some((Duration::from_secs(3), Duration::from_secs(180)))
    );
    assert_eq!(sdk.longest_wait(), Some(Duration::from_secs(180)));
    // 2,000 requests a second per app: the 2,001st waits half a millisecond.
    let pacer = Pacer::for_vendor::<Graph>();
    let now = Instant::now();
    let r = PaceRequest::new();
    for _ in 0..2000 {
        assert_eq!(pacer.reserve(&r, now).wait, Duration::ZERO);
    }
    assert_eq!(pacer.reserve(&r, now).wait, Duration::from_micros(500));
}

/// json-batching.md: a `$batch` answers 200 with `responses[]`, each item with its id,
/// status, headers and body; items may be 403, 405, 424 or 429, and an item's body
/// may carry an empty `code`.
#[test]
fn a_batch_is_split_into_items_each_typed_with_its_own_headers() {
    let body = br#"{"responses": [
      {"id": "1", "status": 403, "headers": {"Content-Type": "application/json"},
       "body": {"error": {"code": "Forbidden", "message": "Forbidden"}}},
      {"id": "2", "status": 424, "body": {"error": {"code": "", "message": "Dependency failed"}}},
      {"id": "3", "status": 429, "headers": {"Retry-After": "30", "request-id": "r-3"},
       "body": {"error": {"code": "activityLimitReached", "message": "Throttled",
                          "innerError": {"code": "throttledRequest"}}}},
      {"id": "4", "status": 405, "body": {"error": {"code": "BadRequest", "message": "No"}}},
      {"id": "5", "status": 201, "body": {"id": "new"}}
    ]}"#;
    let items = ApiError::<Graph>::from_batch(body).expect("a batch");
    let kinds: Vec<_> = items
        .iter()
        .map(|i| i.error.as_ref().map(|e| e.kind()))
        .collect();
    assert_eq!(
        kinds,
        [
            Some(Graph::Forbidden),
            Some(Graph::FailedDependency),
            Some(Graph::TooManyRequests),
            Some(Graph::MethodNotAllowed),
            None
        ]
    );
    let throttled = items[2].error.as_ref().unwrap();
    assert_eq!(throttled.retry_after(), Some(Duration::from_secs(30)));
    assert_eq!(throttled.code(), Some("throttledRequest"));
    assert_eq!(throttled.request_id(), Some("r-3"));
    assert!(items[4].is_success() && items[4].status == Some(201));
    // The 424 is fixed by fixing its dependency, not by resending it.
    assert_eq!(
        items[1].error.as_ref().unwrap().retry_hint().when(),
        RetryWhen::Never
    );
    // At most 20 requests a batch.
    assert_eq!(Graph::BATCH.and_then(|b| b.max_items), Some(20));
}
