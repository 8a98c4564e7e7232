//! Wait semantics named per entry: a minimum, a fallback used only when the server
//! states no wait, an entry's own backoff that grows, and what to do with a server
//! wait above the policy's maximum. Exact, on a manual clock and without jitter.

use std::time::Duration;

use api_errors::{ApiError, GiveUp, Jitter, ManualClock, RetryPolicy};

#[api_errors::api_errors(spec = "specs/wait_semantics.yaml")]
pub enum Kind {}

fn sleeps(status: u16, retry_after: Option<&str>) -> Result<Vec<u64>, GiveUp> {
    let headers: Vec<(&str, &str)> = retry_after
        .map(|v| ("retry-after", v))
        .into_iter()
        .collect();
    let clock = ManualClock::new();
    let err = RetryPolicy::default()
        .without_budget()
        .max_attempts(4)
        .max_wait(Duration::from_secs(300))
        .jitter(Jitter::None)
        .retry(|| Err::<(), _>(ApiError::<Kind>::from_response(status, &headers[..], b"")))
        .sleeper(clock.clone())
        .call()
        .unwrap_err();
    match err.reason {
        GiveUp::AttemptsExhausted => Ok(clock.sleeps().iter().map(Duration::as_secs).collect()),
        other => Err(other),
    }
}

#[test]
fn a_minimum_raises_every_wait() {
    assert_eq!(sleeps(429, None).unwrap(), [30, 30, 30]);
    assert_eq!(
        sleeps(429, Some("5")).unwrap(),
        [30, 30, 30],
        "the server's 5 s is raised"
    );
}

#[test]
fn a_fallback_applies_only_when_the_server_is_silent() {
    assert_eq!(sleeps(503, None).unwrap(), [10, 10, 10]);
    assert_eq!(sleeps(503, Some("2")).unwrap(), [2, 2, 2]);
}

#[test]
fn an_entry_backoff_grows_from_its_own_base() {
    assert_eq!(sleeps(500, None).unwrap(), [30, 60, 120]);
}

#[test]
fn long_server_waits_follow_the_entry() {
    // Above the policy's maximum (300 s here): back off on the policy's schedule.
    assert_eq!(sleeps(502, Some("3600")).unwrap(), [1, 2, 4]);
    // ... or cut the wait to the maximum.
    assert_eq!(sleeps(504, Some("3600")).unwrap(), [300, 300, 300]);
    // Without a word in the spec, the policy's default gives up.
    assert!(matches!(
        sleeps(503, Some("3600")),
        Err(GiveUp::WaitTooLong { .. })
    ));
}
