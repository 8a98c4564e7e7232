//! The retry executor, driven by the seed vendors' generated errors and by custom
//! errors, on a manual clock (blocking) and on tokio's paused clock (async).

use api_errors_tests::vendors::{AmplitudeBatch, Attraqt};
use std::cell::Cell;
use std::future::Future;
use std::time::Duration;

use api_errors::{
    GiveUp, Jitter, LongWait, ManualClock, RetryBudget, RetryHint, RetryPolicy, Retryable,
};

/// A custom error type: the executor serves any `Retryable`.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Custom {
    hint: RetryHint,
    retry_after: Option<Duration>,
}

impl Retryable for Custom {
    fn retry_hint(&self) -> RetryHint {
        self.hint
    }
    fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }
}

const TRANSIENT: Custom = Custom {
    hint: RetryHint::BACKOFF,
    retry_after: None,
};

fn secs(s: u64) -> Duration {
    Duration::from_secs(s)
}

fn fast() -> RetryPolicy {
    RetryPolicy::default()
        .backoff(Duration::from_millis(10), Duration::from_millis(100))
        .without_budget()
        .seed(7)
}

#[test]
fn makes_exactly_max_attempts() {
    for n in [1, 2, 3, 7, 20, 1_000] {
        let clock = ManualClock::new();
        let calls = Cell::new(0);
        let err = fast()
            .max_attempts(n)
            .retry(|| {
                calls.set(calls.get() + 1);
                Err::<(), _>(TRANSIENT)
            })
            .sleeper(clock.clone())
            .call()
            .unwrap_err();
        assert_eq!(calls.get(), n, "calls");
        assert_eq!(err.attempts, n);
        assert!(matches!(err.reason, GiveUp::AttemptsExhausted));
        assert_eq!(clock.sleeps().len() as u32, n - 1);
        assert_eq!(err.waited, clock.sleeps().iter().sum::<Duration>());
    }
}

#[test]
fn never_retries_what_is_not_retryable() {
    let clock = ManualClock::new();
    let calls = Cell::new(0);
    let err = fast()
        .max_attempts(10)
        .retry(|| {
            calls.set(calls.get() + 1);
            Err::<(), _>(AmplitudeBatch::PayloadTooLarge)
        })
        .sleeper(clock.clone())
        .call()
        .unwrap_err();
    assert_eq!((calls.get(), err.attempts), (1, 1));
    assert!(matches!(err.reason, GiveUp::NotRetryable));
    assert!(clock.sleeps().is_empty());
    assert_eq!(err.error, Some(AmplitudeBatch::PayloadTooLarge));
}

#[test]
fn amplitude_429_waits_at_least_30_seconds() {
    let clock = ManualClock::new();
    let mut left = 2;
    let ok = fast()
        .retry(|| {
            if left > 0 {
                left -= 1;
                Err(AmplitudeBatch::TooManyRequests)
            } else {
                Ok(200)
            }
        })
        .sleeper(clock.clone())
        .call_reported()
        .unwrap();
    assert_eq!((ok.value, ok.attempts), (200, 3));
    assert_eq!(clock.sleeps(), [secs(30), secs(30)]);
    assert_eq!(ok.waited, secs(60));
}

#[test]
fn amplitude_500_is_retried_only_when_idempotent() {
    let run = |idempotent: bool| {
        let calls = Cell::new(0);
        let r = fast()
            .retry(|| {
                calls.set(calls.get() + 1);
                Err::<(), _>(AmplitudeBatch::InternalServerError)
            })
            .idempotent(idempotent)
            .sleeper(ManualClock::new())
            .call()
            .unwrap_err();
        (calls.get(), r.reason)
    };
    let (calls, reason) = run(false);
    assert_eq!(calls, 1);
    assert!(matches!(reason, GiveUp::NotIdempotent));
    let (calls, reason) = run(true);
    assert_eq!(calls, 3);
    assert!(matches!(reason, GiveUp::AttemptsExhausted));
}

#[test]
fn retry_after_replaces_the_schedule_but_not_the_limits() {
    let clock = ManualClock::new();
    let err = fast()
        .max_attempts(4)
        .retry(|| {
            Err::<(), _>(Custom {
                hint: RetryHint::RETRY_AFTER,
                retry_after: Some(secs(5)),
            })
        })
        .sleeper(clock.clone())
        .call()
        .unwrap_err();
    assert_eq!(clock.sleeps(), [secs(5), secs(5), secs(5)]);
    assert_eq!(err.attempts, 4, "Retry-After does not add attempts");
}

#[test]
fn fixed_wait_is_a_floor_under_retry_after() {
    let clock = ManualClock::new();
    let hint = RetryHint::wait(secs(30));
    let _ = fast()
        .max_attempts(2)
        .retry(|| {
            Err::<(), _>(Custom {
                hint,
                retry_after: Some(secs(1)),
            })
        })
        .sleeper(clock.clone())
        .call();
    assert_eq!(clock.sleeps(), [secs(30)]);
}

#[test]
fn hostile_retry_after_gives_up_or_is_capped() {
    let hostile = Custom {
        hint: RetryHint::RETRY_AFTER,
        retry_after: Some(secs(99_999_999)),
    };
    let clock = ManualClock::new();
    let err = fast()
        .retry(|| Err::<(), _>(hostile))
        .sleeper(clock.clone())
        .call()
        .unwrap_err();
    assert!(
        matches!(err.reason, GiveUp::WaitTooLong { requested } if requested == secs(99_999_999))
    );
    assert!(clock.sleeps().is_empty());

    let clock = ManualClock::new();
    let err = fast()
        .max_wait(secs(45))
        .long_wait(LongWait::Cap)
        .retry(|| Err::<(), _>(hostile))
        .sleeper(clock.clone())
        .call()
        .unwrap_err();
    assert_eq!(clock.sleeps(), [secs(45), secs(45)]);
    assert!(matches!(err.reason, GiveUp::AttemptsExhausted));
}

#[test]
fn deadline_is_never_overshot() {
    for seed in 0..200 {
        for jitter in [
            Jitter::None,
            Jitter::Full,
            Jitter::Equal,
            Jitter::Decorrelated,
        ] {
            let clock = ManualClock::new();
            let op_time = Duration::from_millis(seed % 7 * 3);
            let deadline = Duration::from_millis(500);
            let err = RetryPolicy::default()
                .backoff(Duration::from_millis(20), Duration::from_millis(300))
                .jitter(jitter)
                .max_attempts(1_000)
                .max_elapsed(deadline)
                .without_budget()
                .seed(seed)
                .retry(|| {
                    clock.advance(op_time);
                    Err::<(), _>(TRANSIENT)
                })
                .sleeper(clock.clone())
                .call()
                .unwrap_err();
            assert!(matches!(err.reason, GiveUp::Deadline), "{:?}", err.reason);
            let slept: Duration = clock.sleeps().iter().sum();
            // Every sleep ended before the deadline; only the last attempt may run past it.
            assert!(
                clock.elapsed() - op_time < deadline,
                "seed {seed} {jitter:?}: {:?}",
                clock.elapsed()
            );
            assert_eq!(err.waited, slept);
        }
    }
}

#[test]
fn server_waits_do_not_bypass_the_deadline() {
    let clock = ManualClock::new();
    let err = fast()
        .max_attempts(100)
        .max_elapsed(secs(10))
        .retry(|| {
            Err::<(), _>(Custom {
                hint: RetryHint::RETRY_AFTER,
                retry_after: Some(secs(4)),
            })
        })
        .sleeper(clock.clone())
        .call()
        .unwrap_err();
    assert_eq!(clock.sleeps(), [secs(4), secs(4)]);
    assert!(matches!(err.reason, GiveUp::Deadline));
}

#[test]
fn every_jitter_kind_keeps_waits_within_the_cap() {
    let cap = Duration::from_millis(250);
    for jitter in [
        Jitter::None,
        Jitter::Full,
        Jitter::Equal,
        Jitter::Decorrelated,
    ] {
        for seed in 0..100 {
            let clock = ManualClock::new();
            let _ = RetryPolicy::default()
                .backoff(Duration::from_millis(5), cap)
                .jitter(jitter)
                .max_attempts(30)
                .without_budget()
                .seed(seed)
                .retry(|| Err::<(), _>(TRANSIENT))
                .sleeper(clock.clone())
                .call();
            let sleeps = clock.sleeps();
            assert_eq!(sleeps.len(), 29);
            assert!(
                sleeps.iter().all(|d| *d <= cap),
                "{jitter:?} {seed}: {sleeps:?}"
            );
        }
    }
}

#[test]
fn attraqt_401_refreshes_once_per_failure_then_retries() {
    let refreshes = Cell::new(0);
    let mut left = 2;
    let clock = ManualClock::new();
    let ok = fast()
        .max_attempts(5)
        .retry(|| {
            if left > 0 {
                left -= 1;
                Err(Attraqt::Unauthorized)
            } else {
                Ok("items")
            }
        })
        .reauthenticate(|e| {
            assert_eq!(*e, Attraqt::Unauthorized);
            refreshes.set(refreshes.get() + 1);
            Ok(())
        })
        .sleeper(clock.clone())
        .call_reported()
        .unwrap();
    assert_eq!((ok.value, ok.attempts, refreshes.get()), ("items", 3, 2));
    assert!(clock.sleeps().is_empty(), "a fresh token needs no wait");
}

#[test]
fn a_failed_refresh_gives_up_and_says_why() {
    let calls = Cell::new(0);
    let err = fast()
        .retry(|| {
            calls.set(calls.get() + 1);
            Err::<(), _>(Attraqt::Unauthorized)
        })
        .reauthenticate(|_| Err("token endpoint said 400".into()))
        .sleeper(ManualClock::new())
        .call()
        .unwrap_err();
    assert_eq!(calls.get(), 1);
    assert!(
        err.to_string()
            .contains("re-authentication failed: token endpoint said 400"),
        "{err}"
    );

    let err = fast()
        .retry(|| Err::<(), _>(Attraqt::Unauthorized))
        .sleeper(ManualClock::new())
        .call()
        .unwrap_err();
    assert!(matches!(err.reason, GiveUp::NoReauthenticator));
}

#[test]
fn notify_sees_every_failure_attempt_and_delay() {
    let clock = ManualClock::new();
    let mut seen = Vec::new();
    let _ = fast()
        .max_attempts(3)
        .jitter(Jitter::None)
        .retry(|| Err::<(), _>(TRANSIENT))
        .notify(|ev| seen.push((ev.attempt, ev.delay, ev.give_up.map(|g| g.to_string()))))
        .sleeper(clock.clone())
        .call();
    let ms = Duration::from_millis;
    assert_eq!(
        seen,
        [
            (1, Some(ms(10)), None),
            (2, Some(ms(20)), None),
            (3, None, Some("no attempts left".to_string())),
        ]
    );
}

#[test]
fn budget_bounds_load_under_a_full_outage() {
    let calls = Cell::new(0u32);
    let run = |policy: &RetryPolicy| {
        let clock = ManualClock::new();
        for _ in 0..1_000 {
            let _ = policy
                .retry(|| {
                    calls.set(calls.get() + 1);
                    Err::<(), _>(TRANSIENT)
                })
                .sleeper(clock.clone())
                .call();
        }
        calls.replace(0)
    };
    let without = run(&fast().max_attempts(3));
    assert_eq!(without, 3_000);
    let budget = RetryBudget::new(10, 0.1);
    let with = run(&fast().max_attempts(3).budget(budget.clone()));
    // Retries stop once the bucket is at half: at most max_tokens / 2 of them.
    assert!(with <= 1_000 + 5, "{with} calls");
    assert!(with > 1_000, "the budget allowed the first retries");
    assert!(!budget.can_retry());
}

#[test]
fn clones_of_a_policy_share_the_budget() {
    let a = fast().budget(RetryBudget::new(4, 0.1));
    let b = a.clone();
    for _ in 0..2 {
        let _ = a
            .retry(|| Err::<(), _>(RetryHintOnly))
            .sleeper(ManualClock::new())
            .call();
    }
    let err = b
        .retry(|| Err::<(), _>(RetryHintOnly))
        .sleeper(ManualClock::new())
        .call()
        .unwrap_err();
    assert!(
        matches!(err.reason, GiveUp::BudgetExhausted),
        "{:?}",
        err.reason
    );
}

#[derive(Debug)]
struct RetryHintOnly;
impl Retryable for RetryHintOnly {
    fn retry_hint(&self) -> RetryHint {
        RetryHint::BACKOFF
    }
}

#[test]
fn retry_error_reports_and_chains() {
    let err = fast()
        .retry(|| Err::<(), _>(AmplitudeBatch::BadRequest))
        .sleeper(ManualClock::new())
        .call()
        .unwrap_err();
    // Each error in the chain says its own part once: the executor why it gave up,
    // its source (the last error) what that error was.
    let text = err.to_string();
    assert_eq!(
        text,
        "gave up after 1 attempt and 0ns of waiting: the error is not retryable"
    );
    let source = std::error::Error::source(&err).unwrap();
    assert_eq!(source.to_string(), AmplitudeBatch::BadRequest.message());
    assert!(source.source().is_none());
}

#[test]
fn a_whole_chain_says_each_thing_once() {
    use api_errors::{ApiError, RequestError};
    let body = br#"{"code":4000,"message":"price must be positive","details":[]}"#;
    let api = ApiError::<api_errors_tests::vendors::Attraqt>::from_response(400, &(), body);
    let err = fast()
        .retry(|| Err::<(), _>(RequestError::Api(api.clone())))
        .sleeper(ManualClock::new())
        .call()
        .unwrap_err();
    // What `anyhow`'s `{:#}` prints: each error's text, joined by ": ".
    let mut chain = vec![err.to_string()];
    let mut next = std::error::Error::source(&err);
    while let Some(e) = next {
        chain.push(e.to_string());
        next = e.source();
    }
    let rendered = chain.join(": ");
    assert_eq!(
        rendered.matches("price must be positive").count(),
        1,
        "{rendered}"
    );
    assert!(
        rendered.starts_with("gave up after 1 attempt"),
        "{rendered}"
    );
    assert!(rendered.contains("Attraqt items: HTTP 400: "), "{rendered}");
    // A transport error: its cause is its source, said once too.
    let t = api_errors::TransportError::new(
        api_errors::TransportKind::Timeout,
        std::io::Error::other("operation timed out after 5s"),
    );
    let e = RequestError::<api_errors_tests::vendors::Attraqt>::Transport(t);
    assert_eq!(e.to_string(), "timed out");
    assert_eq!(
        std::error::Error::source(&e).unwrap().to_string(),
        "operation timed out after 5s"
    );
}

#[tokio::test(start_paused = true)]
async fn async_executor_on_paused_tokio_time() {
    let start = tokio::time::Instant::now();
    let calls = Cell::new(0);
    let ok = fast()
        .retry_async(|| {
            calls.set(calls.get() + 1);
            let n = calls.get();
            async move {
                if n < 3 {
                    Err(AmplitudeBatch::TooManyRequests)
                } else {
                    Ok(n)
                }
            }
        })
        .call_reported()
        .await
        .unwrap();
    assert_eq!((ok.value, ok.attempts), (3, 3));
    assert_eq!(ok.waited, secs(60));
    assert_eq!(
        start.elapsed(),
        secs(60),
        "virtual time moved by exactly the waits"
    );
}

#[tokio::test(start_paused = true)]
async fn async_reauthentication_hook() {
    let refreshed = Cell::new(false);
    let ok = fast()
        .retry_async(|| {
            let fresh = refreshed.get();
            async move {
                if fresh {
                    Ok("ok")
                } else {
                    Err(Attraqt::Unauthorized)
                }
            }
        })
        .reauthenticate(|_| {
            refreshed.set(true);
            async { Ok(()) }
        })
        .call()
        .await;
    assert_eq!(ok.unwrap(), "ok");
}

#[tokio::test(start_paused = true)]
async fn dropping_the_future_stops_retrying_at_once() {
    let calls = std::rc::Rc::new(Cell::new(0));
    let c = calls.clone();
    let policy = fast().max_attempts(100);
    let run = policy
        .retry_async(move || {
            c.set(c.get() + 1);
            async { Err::<(), _>(AmplitudeBatch::TooManyRequests) }
        })
        .call();
    // Each retry waits 30 s: after 45 s, two calls were made; then the future is dropped.
    let out = tokio::time::timeout(secs(45), run).await;
    assert!(out.is_err());
    assert_eq!(calls.get(), 2);
    tokio::time::sleep(secs(600)).await;
    assert_eq!(calls.get(), 2, "no call after the future was dropped");
}

#[test]
fn async_executor_with_a_custom_sleeper() {
    // Any runtime: here the manual clock, polled by hand.
    let clock = ManualClock::new();
    let policy = fast();
    let mut fut = std::pin::pin!(policy
        .retry_async(|| async { Err::<(), _>(TRANSIENT) })
        .sleeper(clock.clone())
        .call());
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    let std::task::Poll::Ready(Err(e)) = fut.as_mut().poll(&mut cx) else {
        panic!("a manual clock never blocks");
    };
    assert_eq!(e.attempts, 3);
    assert_eq!(clock.sleeps().len(), 2);
}

#[test]
fn the_call_builders_are_debug() {
    let policy = RetryPolicy::default();
    let shown = format!(
        "{:?}",
        policy.retry(|| Ok::<_, AmplitudeBatch>(1)).idempotent(true)
    );
    assert!(
        shown.starts_with("Retry {") && shown.contains("idempotent: true"),
        "{shown}"
    );
    let shown = format!(
        "{:?}",
        policy.retry_async(|| async { Ok::<_, AmplitudeBatch>(1) })
    );
    assert!(
        shown.starts_with("RetryAsync {") && shown.contains("max_attempts: 3"),
        "{shown}"
    );
}

/// Reasons compare by their kind, for tests and metrics; each reason has its own.
#[test]
fn give_up_reasons_compare_by_kind() {
    use api_errors::GiveUpKind;
    let hostile = Custom {
        hint: RetryHint::RETRY_AFTER,
        retry_after: Some(secs(99_999_999)),
    };
    let err = fast()
        .retry(|| Err::<(), _>(hostile))
        .sleeper(ManualClock::new())
        .call()
        .unwrap_err();
    assert_eq!(err.reason.kind(), GiveUpKind::WaitTooLong);
    assert!(err.reason == GiveUpKind::WaitTooLong && err.reason != GiveUpKind::Deadline);
    let never = Custom {
        hint: RetryHint::NEVER,
        retry_after: None,
    };
    let err = fast().retry(|| Err::<(), _>(never)).call().unwrap_err();
    assert_eq!(err.reason.kind(), GiveUpKind::NotRetryable);
    let failed = GiveUp::ReauthenticationFailed("token endpoint said 400".into());
    assert_eq!(failed.kind(), GiveUpKind::ReauthenticationFailed);
}

/// An `io::Error` converts into a classified transport failure.
#[test]
fn io_errors_become_transport_failures() {
    use api_errors::{TransportError, TransportKind};
    use std::io::{Error, ErrorKind};
    for (kind, want) in [
        (ErrorKind::ConnectionRefused, TransportKind::Connect),
        (ErrorKind::TimedOut, TransportKind::Timeout),
        (ErrorKind::ConnectionReset, TransportKind::Reset),
        (ErrorKind::UnexpectedEof, TransportKind::Reset),
        (ErrorKind::InvalidData, TransportKind::Other),
    ] {
        let e: TransportError = Error::from(kind).into();
        assert_eq!(e.kind(), want, "{kind:?}");
    }
}
