//! Jira Cloud, as shared/vendors/jira.md records it.

use std::time::{Duration, SystemTime};

use api_errors::{ApiError, RetryWhen};

#[api_errors::api_errors(spec = "jira.yaml")]
pub enum Jira {}

#[test]
fn the_reason_header_picks_the_limiter() {
    let e = ApiError::<Jira>::from_response(
        429,
        &[
            ("RateLimit-Reason", "jira-burst-based"),
            ("Retry-After", "5"),
        ],
        b"",
    );
    assert_eq!(e.kind(), Jira::BurstRateLimited);
    assert_eq!(e.retry_after(), Some(Duration::from_secs(5)));
    let e = ApiError::<Jira>::from_response(
        429,
        &[("RateLimit-Reason", "jira-per-issue-on-write")],
        b"",
    );
    assert_eq!(e.kind(), Jira::PerIssueWriteLimited);
    let e = ApiError::<Jira>::from_response(
        429,
        &[("RateLimit-Reason", "jira-quota-tenant-based")],
        b"",
    );
    assert_eq!(e.kind(), Jira::RateLimited);
    assert_eq!(
        Jira::RateLimited.retry_hint().when(),
        RetryWhen::IfIdempotent,
        "no retries unless idempotent"
    );
}

#[test]
fn the_reset_at_minute_precision() {
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_763_805_600); // 2025-11-22T10:00:00Z
    let e = ApiError::<Jira>::from_response_at(
        429,
        &[("X-RateLimit-Reset", "2025-11-22T10:02Z")],
        b"",
        now,
    );
    assert_eq!(e.retry_after(), Some(Duration::from_secs(120)));
    let body = br#"{"errorMessages":["Rate limit exceeded."],"errors":{}}"#;
    assert_eq!(
        ApiError::<Jira>::from_response(503, &(), body).message(),
        Some("Rate limit exceeded.")
    );
}

#[test]
fn the_beta_ietf_headers_come_after_the_documented_ones() {
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_763_805_600);
    let beta = ("Beta-RateLimit", r#""tenant-app-quota";r=0;t=2107"#);
    let e = ApiError::<Jira>::from_response_at(429, &[beta], b"", now);
    assert_eq!(e.retry_after(), Some(Duration::from_secs(2107)));
    // Retry-After, when sent, is read first.
    let e = ApiError::<Jira>::from_response_at(429, &[beta, ("Retry-After", "5")], b"", now);
    assert_eq!(e.retry_after(), Some(Duration::from_secs(5)));
}
