//! Okta Management, as shared/vendors/okta.md records it: `E00000nn` codes with odd
//! statuses, the OAuth dialect, the epoch reset, request ids.

use std::time::{Duration, SystemTime};

use api_errors::{ApiError, RetryWhen, Retryable};

#[api_errors::api_errors(vendor = "okta")]
pub enum Okta {}

fn error(status: u16, headers: &[(&str, &str)], code: &str) -> ApiError<Okta> {
    let body = format!(
        r#"{{"errorCode":"{code}","errorSummary":"s","errorLink":"{code}","errorId":"oae1","errorCauses":[{{"errorSummary":"cause"}}]}}"#
    );
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_763_805_600);
    ApiError::from_response_at(status, headers, body.as_bytes(), now)
}

#[test]
fn codes_and_their_odd_statuses() {
    assert_eq!(error(401, &[], "E0000015").kind(), Okta::FeatureNotEnabled);
    assert_eq!(
        error(404, &[], "E0000012").kind(),
        Okta::UnsupportedMediaType
    );
    let token = error(401, &[], "E0000011");
    assert_eq!(token.kind(), Okta::InvalidToken);
    assert_eq!(token.retry_hint().when(), RetryWhen::AfterReauthentication);
    let e = error(400, &[("X-Okta-Request-Id", "rid")], "E0000001");
    assert_eq!(e.kind(), Okta::BadRequest);
    assert_eq!(e.request_id(), Some("rid"));
    assert_eq!(e.member("error_id"), Some("oae1"));
    assert!(e.details_json().unwrap().contains("cause"));
    assert!(error(503, &[], "E0000010").retry_hint().is_retryable());
    // The OAuth dialect.
    let oauth = ApiError::<Okta>::from_response(
        400,
        &(),
        br#"{"error":"invalid_client","error_description":"Client authentication failed."}"#,
    );
    assert_eq!(
        (oauth.code(), oauth.message()),
        (
            Some("invalid_client"),
            Some("Client authentication failed.")
        )
    );
}

#[test]
fn a_429_waits_until_the_epoch_reset() {
    let e = error(
        429,
        &[
            ("X-Rate-Limit-Limit", "600"),
            ("X-Rate-Limit-Remaining", "0"),
            ("X-Rate-Limit-Reset", "1763805642"),
        ],
        "E0000047",
    );
    assert_eq!(e.kind(), Okta::RateLimitExceeded);
    assert_eq!(e.retry_after(), Some(Duration::from_secs(42)));
    let state = e.rate_limit().unwrap();
    assert_eq!((state.remaining, state.limit), (Some(0), Some(600)));
}
