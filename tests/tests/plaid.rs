//! Plaid, as shared/vendors/plaid.md records it: identity by `error_code` and
//! `error_type` (the status is coarse), an Item's error inside a 200, per-Item causes.

use api_errors::{ApiError, RetryWhen, Retryable};

#[api_errors::api_errors(vendor = "plaid")]
pub enum Plaid {}

fn body(kind: &str, code: &str) -> String {
    format!(
        r#"{{"error_type":"{kind}","error_code":"{code}","error_message":"m","display_message":null,"request_id":"req-1"}}"#
    )
}

fn error(status: u16, kind: &str, code: &str) -> ApiError<Plaid> {
    ApiError::from_response(status, &(), body(kind, code).as_bytes())
}

#[test]
fn one_status_many_retry_classes_by_code() {
    for (kind, code, want, when) in [
        (
            "ITEM_ERROR",
            "ITEM_LOGIN_REQUIRED",
            Plaid::ItemLoginRequired,
            RetryWhen::Never,
        ),
        (
            "ITEM_ERROR",
            "PRODUCT_NOT_READY",
            Plaid::ProductNotReady,
            RetryWhen::Always,
        ),
        (
            "ITEM_ERROR",
            "NO_ACCOUNTS",
            Plaid::ItemUnusable,
            RetryWhen::Never,
        ),
        (
            "INSTITUTION_ERROR",
            "INSTITUTION_NOT_RESPONDING",
            Plaid::InstitutionNotResponding,
            RetryWhen::Always,
        ),
        (
            "TRANSACTIONS_ERROR",
            "TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION",
            Plaid::TransactionsSyncMutationDuringPagination,
            RetryWhen::Never,
        ),
        (
            "INVALID_INPUT",
            "INVALID_API_KEYS",
            Plaid::InvalidInput,
            RetryWhen::Never,
        ),
        (
            "INVALID_REQUEST",
            "INVALID_FIELD",
            Plaid::InvalidRequest,
            RetryWhen::Never,
        ),
    ] {
        let e = error(400, kind, code);
        assert_eq!(e.kind(), want, "{code}");
        assert_eq!(e.retry_hint().when(), when, "{code}");
        assert_eq!(e.request_id(), Some("req-1"));
    }
    let limited = error(429, "RATE_LIMIT_EXCEEDED", "ACCOUNTS_LIMIT");
    assert_eq!(limited.kind(), Plaid::RateLimitExceeded);
    assert_eq!(limited.code(), Some("ACCOUNTS_LIMIT"));
    assert!(limited.retry_hint().is_retryable());
    assert_eq!(
        error(503, "API_ERROR", "PLANNED_MAINTENANCE").kind(),
        Plaid::PlannedMaintenance
    );
}

#[test]
fn an_items_error_inside_a_200_and_per_item_causes() {
    let item = br#"{"item":{"item_id":"i1","error":{"error_type":"ITEM_ERROR","error_code":"ITEM_LOGIN_REQUIRED","error_message":"the login details of this item have changed"}},"request_id":"r9"}"#;
    let e = ApiError::<Plaid>::from_success(200, &(), item).expect("the Item's error");
    assert_eq!(e.kind(), Plaid::ItemLoginRequired);
    assert_eq!(
        e.message(),
        Some("the login details of this item have changed")
    );
    assert!(!e.retry_hint().is_retryable());
    assert!(ApiError::<Plaid>::from_success(
        200,
        &(),
        br#"{"item":{"item_id":"i1","error":null}}"#
    )
    .is_none());
    let assets = br#"{"error_type":"ASSET_REPORT_ERROR","error_code":"ASSET_REPORT_GENERATION_FAILED","error_message":"m","causes":[{"error_type":"ITEM_ERROR","error_code":"ITEM_LOGIN_REQUIRED","item_id":"i2"}],"request_id":"r3","suggested_action":"retry later"}"#;
    let e = ApiError::<Plaid>::from_response(400, &(), assets);
    assert!(e.details_json().unwrap().contains("i2"));
    assert_eq!(e.member("suggested_action"), Some("retry later"));
}
