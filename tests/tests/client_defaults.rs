//! The vendor's SDK retry defaults (issue 18.12): a spec's `client:` section, and
//! `RetryPolicy::for_vendor::<K>()` starting from it; the user's settings win.

use std::time::Duration;

use api_errors::{ApiError, ApiErrorKind, Jitter, LongWait, ManualClock, RetryPolicy};

#[api_errors::api_errors(spec = "specs/client.yaml", api = "main")]
pub enum Main {}

#[api_errors::api_errors(spec = "specs/client.yaml", api = "other")]
pub enum Other {}

#[api_errors::api_errors(vendor = "amplitude", api = "batch")]
pub enum Silent {}

const MS: fn(u64) -> Duration = Duration::from_millis;

#[test]
fn the_policy_starts_from_the_sdk_defaults() {
    let c = Main::CLIENT;
    assert_eq!(c.sdk_name(), Some("example-sdk 1.2"));
    let s = RetryPolicy::for_vendor::<Main>().settings();
    assert_eq!(s.max_attempts, 4);
    assert_eq!(s.backoff, (MS(500), MS(5_000)));
    assert_eq!(s.jitter, Jitter::factor(0.5, 1.0));
    assert_eq!(s.min_delay, MS(500));
    assert_eq!(s.max_wait, Some(MS(60_000)));
    assert_eq!(s.long_wait, LongWait::Backoff);
}

#[test]
fn an_api_replaces_the_spec_wide_section_whole() {
    // Like every shared setting, an API's own `client:` replaces the spec's.
    let s = RetryPolicy::for_vendor::<Other>().settings();
    assert_eq!(s.jitter, Jitter::Equal);
    assert_eq!(
        s.max_attempts,
        RetryPolicy::default().settings().max_attempts
    );
    assert_eq!(s.backoff, RetryPolicy::default().settings().backoff);
}

#[test]
fn a_spec_without_the_section_gives_the_default_policy() {
    let (a, b) = (
        RetryPolicy::for_vendor::<Silent>().settings(),
        RetryPolicy::default().settings(),
    );
    assert_eq!(
        (a.max_attempts, a.backoff, a.jitter, a.min_delay, a.max_wait),
        (b.max_attempts, b.backoff, b.jitter, b.min_delay, b.max_wait)
    );
}

#[test]
fn the_users_settings_win() {
    let s = RetryPolicy::for_vendor::<Main>()
        .max_attempts(2)
        .jitter(Jitter::None)
        .min_delay(Duration::ZERO)
        .settings();
    assert_eq!(
        (s.max_attempts, s.jitter, s.min_delay),
        (2, Jitter::None, Duration::ZERO)
    );
    assert_eq!(
        s.backoff,
        (MS(500), MS(5_000)),
        "what the user left alone stays the SDK's"
    );
}

#[test]
fn the_executor_waits_as_the_sdk_would() {
    // 0.5 s doubling to 5 s, times a factor in [0.5, 1], at least 0.5 s.
    for seed in 0..50 {
        let clock = ManualClock::new();
        let mut left = 3;
        let out = RetryPolicy::for_vendor::<Main>()
            .without_budget()
            .seed(seed)
            .retry(|| {
                if left == 0 {
                    return Ok(());
                }
                left -= 1;
                Err(ApiError::<Main>::from_response(503, &(), b""))
            })
            .sleeper(clock.clone())
            .call_reported()
            .unwrap();
        assert_eq!(out.attempts, 4);
        let sleeps = clock.sleeps();
        let full = [500, 1_000, 2_000];
        for (d, t) in sleeps.iter().zip(full) {
            assert!(
                *d >= MS(500),
                "seed {seed}: {d:?} is under the SDK's minimum"
            );
            assert!(
                *d >= MS(t / 2) && *d <= MS(t),
                "seed {seed}: {d:?} outside [{}, {t}] ms",
                t / 2
            );
        }
    }
}

#[test]
fn min_delay_raises_every_scheduled_delay() {
    let clock = ManualClock::new();
    let mut left = 2;
    RetryPolicy::default()
        .backoff(MS(10), MS(20))
        .jitter(Jitter::None)
        .min_delay(MS(300))
        .without_budget()
        .retry(|| {
            if left == 0 {
                return Ok(());
            }
            left -= 1;
            Err(ApiError::<Silent>::from_response(503, &(), b""))
        })
        .sleeper(clock.clone())
        .call()
        .unwrap();
    assert_eq!(clock.sleeps(), [MS(300), MS(300)]);
}
