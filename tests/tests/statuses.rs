//! Identity beyond one status (issue 18.4-18.6): an entry that lists several
//! statuses, classes and ranges (`5xx`, `502-504`), one app code documented at two
//! statuses, and entries told apart by a response header's value.

use std::time::Duration;

use api_errors::{ApiError, ApiErrorKind, ManualClock, RetryPolicy, RetryWhen, Retryable};

#[api_errors::api_errors(spec = "specs/statuses.yaml")]
pub enum Kind {}

fn error(status: u16, headers: &[(&str, &str)], body: &str) -> ApiError<Kind> {
    ApiError::from_response(status, headers, body.as_bytes())
}

fn coded(code: &str) -> String {
    format!(r#"{{"error":{{"code":"{code}","message":"m"}}}}"#)
}

#[test]
fn one_entry_for_several_statuses() {
    for status in [400, 412] {
        let e = error(status, &[], &coded("FAILED_PRECONDITION"));
        assert_eq!(e.kind(), Kind::FailedPrecondition, "{status}");
        assert_eq!(e.status(), status, "the response's own status is kept");
    }
    // The entry's first status is its documented one; it stands for both.
    assert_eq!(Kind::FailedPrecondition.status(), 400);
    assert!(Kind::FailedPrecondition.stands_for(412));
    assert!(!Kind::FailedPrecondition.stands_for(409));
    assert_eq!(Kind::from_status(412), Kind::FailedPrecondition);
    // At another status the code does not move the error there.
    assert_eq!(
        error(409, &[], &coded("FAILED_PRECONDITION")).kind(),
        Kind::Unknown(409)
    );
    // 400 without a code is the plain 400.
    assert_eq!(error(400, &[], "{}").kind(), Kind::BadRequest);
    // An entry may list its statuses in any order; each identifies.
    assert_eq!(
        error(402, &[], &coded("card_declined")).kind(),
        Kind::CardDeclined
    );
    assert_eq!(
        error(400, &[], &coded("card_declined")).kind(),
        Kind::CardDeclined
    );
    assert_eq!(Kind::CardDeclined.status(), 402);
}

#[test]
fn one_code_at_two_statuses_means_two_things() {
    let at_401 = error(401, &[], &coded("AUTH_FAILED"));
    let at_403 = error(403, &[], &coded("AUTH_FAILED"));
    assert_eq!(at_401.kind(), Kind::AuthRejected);
    assert_eq!(at_403.kind(), Kind::AuthLockedOut);
    assert_eq!(at_401.retry_hint().when(), RetryWhen::AfterReauthentication);
    assert_eq!(at_403.retry_hint().when(), RetryWhen::Never);
    // `from_code` gives the first entry with the code, as documented.
    assert_eq!(Kind::from_code("AUTH_FAILED"), Some(Kind::AuthRejected));
}

#[test]
fn classes_and_ranges_cover_undocumented_statuses() {
    // A 520 no page lists is retried, as "every 5xx" says.
    let e = error(520, &[], "");
    assert_eq!(e.kind(), Kind::ServerError);
    assert!(e.kind().is_retryable());
    assert_eq!(e.status(), 520);
    // The narrower range wins over the class, a status's own entry over both.
    assert_eq!(Kind::from_status(503), Kind::GatewayError);
    assert_eq!(Kind::from_status(501), Kind::NotImplemented);
    assert_eq!(Kind::from_status(500), Kind::ServerError);
    assert_eq!(Kind::from_status(599), Kind::ServerError);
    assert_eq!(Kind::from_status(600), Kind::Unknown(600));
    assert_eq!(Kind::from_status(499), Kind::Unknown(499));
    assert_eq!(Kind::ServerError.status(), 500);
    assert!(Kind::ServerError.stands_for(577));
    assert_eq!(
        Kind::GatewayError.retry_hint().min_wait(),
        Some(Duration::from_secs(2))
    );
}

#[test]
fn a_header_value_decides_between_entries_of_one_status() {
    let limited = error(
        403,
        &[("X-RateLimit-Remaining", " 0 ")],
        r#"{"error":{"message":"API rate limit exceeded"}}"#,
    );
    assert_eq!(limited.kind(), Kind::PrimaryRateLimit);
    let forbidden = error(
        403,
        &[("x-ratelimit-remaining", "17")],
        r#"{"error":{"message":"Must have admin rights"}}"#,
    );
    assert_eq!(forbidden.kind(), Kind::Forbidden);
    assert!(!forbidden.kind().is_retryable());
    let no_header = error(
        403,
        &[],
        r#"{"error":{"message":"Must have admin rights"}}"#,
    );
    assert_eq!(no_header.kind(), Kind::Forbidden);
    // The type of a GitHub-style error stays what the body says: the header is a
    // condition, not a source of the error's type.
    assert_eq!(limited.error_type(), None);
    let secondary = error(
        403,
        &[("x-ratelimit-remaining", "12")],
        r#"{"error":{"message":"You have exceeded a secondary rate limit"}}"#,
    );
    assert_eq!(secondary.kind(), Kind::SecondaryRateLimit);
    // Every matcher lists its conditions.
    let m = Kind::MATCHERS
        .iter()
        .find(|m| m.kind() == Kind::PrimaryRateLimit)
        .unwrap();
    assert!(m.covers(403) && !m.covers(429) && m.ignores_body());
    assert!(m.headers_hold(&[("x-ratelimit-remaining", "0")]));
    assert!(!m.headers_hold(&[("x-ratelimit-remaining", "00")]));
}

#[test]
fn the_executor_retries_by_the_header_condition() {
    let clock = ManualClock::new();
    let policy = RetryPolicy::default().max_attempts(3).without_budget();
    let mut calls = 0;
    let out = policy
        .retry(|| {
            calls += 1;
            match calls {
                1 => Err(error(
                    403,
                    &[("x-ratelimit-remaining", "0"), ("retry-after", "7")],
                    "{}",
                )),
                _ => Ok(calls),
            }
        })
        .sleeper(clock.clone())
        .call_reported()
        .unwrap();
    assert_eq!((out.value, out.attempts), (2, 2));
    assert_eq!(out.waited, Duration::from_secs(7));

    // Without the header the same status is a permission error: not retried.
    let mut calls = 0;
    let err = policy
        .retry(|| -> Result<(), _> {
            calls += 1;
            Err(error(403, &[("x-ratelimit-remaining", "9")], "{}"))
        })
        .sleeper(clock.clone())
        .call()
        .unwrap_err();
    assert_eq!(calls, 1);
    assert_eq!(err.last_error().unwrap().kind(), Kind::Forbidden);
}
