//! Wait semantics named per entry: a minimum, a fallback used only when the server
//! states no wait, an entry's own backoff that grows, and what to do with a server
//! wait above the policy's maximum. Exact, on a manual clock and without jitter.

use std::time::Duration;

use api_errors::{ApiError, GiveUp, Jitter, ManualClock, RetryPolicy};

#[api_errors::api_errors(spec = "specs/wait_semantics.yaml", api = "main")]
pub enum Kind {}

#[api_errors::api_errors(spec = "specs/wait_semantics.yaml", api = "floor")]
pub enum Floor {}

/// The waits of four attempts at `status` (every one failing with `header`), under
/// `policy`, in milliseconds; or why the executor gave up.
fn waits<K: api_errors::ApiErrorKind>(
    policy: RetryPolicy,
    status: u16,
    header: Option<(&str, &str)>,
) -> Result<Vec<u128>, GiveUp> {
    let headers: Vec<(&str, &str)> = header.into_iter().collect();
    let clock = ManualClock::new();
    let err = policy
        .without_budget()
        .max_attempts(4)
        .jitter(Jitter::None)
        .retry(|| Err::<(), _>(ApiError::<K>::from_response(status, &headers[..], b"")))
        .sleeper(clock.clone())
        .call()
        .unwrap_err();
    match err.reason {
        GiveUp::AttemptsExhausted => Ok(clock.sleeps().iter().map(Duration::as_millis).collect()),
        other => Err(other),
    }
}

/// As [`waits`], in whole seconds, under a policy whose `max_wait` is 300 s.
fn sleeps(status: u16, retry_after: Option<&str>) -> Result<Vec<u64>, GiveUp> {
    let policy = RetryPolicy::default().max_wait(Duration::from_secs(300));
    let header = retry_after.map(|v| ("retry-after", v));
    let ms = waits::<Kind>(policy, status, header)?;
    Ok(ms.iter().map(|&m| (m / 1000) as u64).collect())
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

#[test]
fn a_fallback_with_a_backoff_grows_from_the_fallback() {
    assert_eq!(sleeps(403, None).unwrap(), [60, 120, 240]);
    assert_eq!(
        sleeps(403, Some("5")).unwrap(),
        [5, 5, 5],
        "the server's wait first"
    );
}

#[test]
fn a_server_wait_stated_as_a_minimum_is_a_floor_under_the_schedule() {
    let policy = || RetryPolicy::default().backoff(Duration::from_secs(1), Duration::from_secs(60));
    let floor = Some(("retry-delay", "3.5"));
    // The entry's schedule (1, 2, 4 s), at least 3.5 s each: repeated answers
    // grow instead of waiting a flat 3.5 s.
    assert_eq!(
        waits::<Floor>(policy(), 503, floor).unwrap(),
        [3_500, 3_500, 4_000]
    );
    let e = ApiError::<Floor>::from_response(503, &[("retry-delay", "3.5")], b"");
    assert_eq!(e.retry_after(), Some(Duration::from_millis(3_500)));
    assert!(e.wait_is_minimum());
    assert_eq!(
        waits::<Floor>(policy(), 503, None).unwrap(),
        [1_000, 2_000, 4_000]
    );
}

#[test]
fn the_vendors_ceiling_applies_unless_the_policy_sets_one() {
    // The spec says this vendor's waits may reach an hour: the default policy honours
    // a 40-minute Retry-After ...
    let forty_minutes = Some(("retry-after", "2400"));
    assert_eq!(
        waits::<Kind>(RetryPolicy::default(), 503, forty_minutes).unwrap(),
        [2_400_000; 3]
    );
    // ... and gives up on two hours.
    assert!(matches!(
        waits::<Kind>(RetryPolicy::default(), 503, Some(("retry-after", "7200"))),
        Err(GiveUp::WaitTooLong { .. })
    ));
    // The policy's own setting wins, both ways.
    let short = RetryPolicy::default().max_wait(Duration::from_secs(60));
    assert!(matches!(
        waits::<Kind>(short, 503, forty_minutes),
        Err(GiveUp::WaitTooLong { .. })
    ));
    // Another API's ceiling is its own (2 minutes here).
    assert!(matches!(
        waits::<Floor>(RetryPolicy::default(), 503, Some(("retry-delay", "180"))),
        Err(GiveUp::WaitTooLong { .. })
    ));
    assert_eq!(
        <Kind as api_errors::ApiErrorKind>::MAX_WAIT,
        Some(Duration::from_secs(3600))
    );
    assert_eq!(RetryPolicy::default().settings().max_wait, None);
}
