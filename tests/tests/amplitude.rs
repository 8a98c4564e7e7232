//! Amplitude's page, asserted through the generated enums.

use std::time::Duration;

use api_errors::{api_errors, ApiErrorKind, RetryHint, RetryWhen};

#[api_errors(spec = "../specs/amplitude.yaml", api = "batch")]
pub enum BatchError {}

#[api_errors(spec = "../specs/amplitude.yaml", api = "export")]
pub enum ExportError {}

#[api_errors(spec = "../specs/amplitude.yaml", api = "identify")]
pub enum IdentifyError {}

#[api_errors(spec = "../specs/amplitude.yaml", api = "attribution")]
pub enum AttributionError {}

/// User docs and attributes stay on the enum.
#[api_errors(spec = "../specs/amplitude.yaml", api = "dashboard")]
#[derive(PartialOrd, Ord)]
pub(crate) enum DashboardError {}

#[test]
fn batch_variants_follow_the_page() {
    use BatchError::*;
    assert_eq!(
        BatchError::ALL,
        &[
            BadRequest,
            PayloadTooLarge,
            TooManyRequests,
            InternalServerError
        ]
    );
    assert_eq!(
        BatchError::ALL
            .iter()
            .map(|e| e.status())
            .collect::<Vec<_>>(),
        [400, 413, 429, 500]
    );
    for e in BatchError::ALL {
        assert_eq!(BatchError::from_status(e.status()), *e);
    }
    assert_eq!(BatchError::from_status(418), Unknown(418));
    assert_eq!(Unknown(418).status(), 418);
}

#[test]
fn batch_429_waits_30_seconds() {
    let hint = BatchError::TooManyRequests.retry_hint();
    assert_eq!(hint.when(), RetryWhen::Always);
    assert_eq!(hint.min_wait(), Some(Duration::from_secs(30)));
    assert!(BatchError::TooManyRequests
        .message()
        .contains("10 events per second"));
    assert!(BatchError::TooManyRequests
        .advice()
        .unwrap()
        .contains("30 seconds"));
}

#[test]
fn batch_413_and_400_are_never_retried() {
    for e in [BatchError::PayloadTooLarge, BatchError::BadRequest] {
        assert!(!e.is_retryable(), "{e:?}");
        assert_eq!(e.retry_hint(), RetryHint::NEVER);
    }
    assert!(BatchError::PayloadTooLarge.message().contains("1MB"));
}

#[test]
fn batch_500_only_with_an_idempotency_key() {
    let e = BatchError::InternalServerError;
    assert!(e.is_retryable());
    assert_eq!(e.retry_hint().when(), RetryWhen::IfIdempotent);
    assert!(e.advice().unwrap().contains("insert_id"));
}

#[test]
fn the_same_status_means_different_things_per_api() {
    assert_eq!(ExportError::from_status(400), ExportError::ExportTooLarge);
    assert!(ExportError::ExportTooLarge.message().contains("4GB"));
    assert_eq!(ExportError::from_status(404), ExportError::NoDataInRange);
    assert!(!ExportError::GatewayTimeout.is_retryable());
    assert!(ExportError::GatewayTimeout.advice().unwrap().contains("S3"));
    assert_eq!(BatchError::from_status(404), BatchError::Unknown(404));
    assert_ne!(
        BatchError::BadRequest.message(),
        ExportError::ExportTooLarge.message()
    );
}

#[test]
fn statuses_without_guidance_take_the_class_default() {
    // The page says nothing of retrying Identify's or Dashboard's 429.
    assert_eq!(
        IdentifyError::TooManyRequests.retry_hint(),
        RetryHint::for_status(429)
    );
    assert!(IdentifyError::TooManyRequests.is_retryable());
    assert_eq!(IdentifyError::TooManyRequests.advice(), None);
    assert!(!IdentifyError::UriTooLong.is_retryable());
    assert!(IdentifyError::UriTooLong.advice().unwrap().contains("POST"));
    assert_eq!(
        DashboardError::TooManyRequests.retry_hint(),
        RetryHint::BACKOFF
    );
    assert_eq!(AttributionError::ALL, &[AttributionError::BadRequest]);
}

#[test]
fn display_is_the_meaning_and_unknown_names_the_status() {
    assert_eq!(
        BatchError::PayloadTooLarge.to_string(),
        BatchError::PayloadTooLarge.message()
    );
    let s = BatchError::Unknown(599).to_string();
    assert!(
        s.starts_with("HTTP 599: ") && s.contains("Amplitude"),
        "{s}"
    );
    let boxed: Box<dyn std::error::Error> = Box::new(BatchError::BadRequest);
    assert_eq!(boxed.to_string(), BatchError::BadRequest.message());
}

#[test]
fn user_attributes_and_visibility_are_kept() {
    assert!(DashboardError::BadRequest < DashboardError::TooManyRequests);
}

#[test]
fn the_trait_mirrors_the_inherent_methods() {
    fn via_trait<K: ApiErrorKind>(status: u16) -> (K, bool, &'static str, &'static str) {
        let k = K::from_status(status);
        (k, k.is_retryable(), K::VENDOR, K::API)
    }
    let (k, retryable, vendor, api) = via_trait::<BatchError>(429);
    assert_eq!(
        (k, retryable, vendor, api),
        (BatchError::TooManyRequests, true, "Amplitude", "batch")
    );
    assert_eq!(<BatchError as ApiErrorKind>::ALL.len(), 4);
    assert_eq!(
        <BatchError as ApiErrorKind>::TRANSPORT,
        api_errors::TransportRules::NONE
    );
}

#[test]
fn kind_is_small() {
    assert!(std::mem::size_of::<BatchError>() <= 4);
}
