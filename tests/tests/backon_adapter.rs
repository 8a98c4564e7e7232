//! The backon adapter: backon's own retry loops, deciding with the spec. The async
//! test runs on tokio's paused clock; the blocking one sleeps through a recording
//! sleeper.

use std::cell::RefCell;
use std::time::Duration;

use api_errors::backon as spec;
use api_errors::ApiError;
use backon::{BlockingRetryable, ConstantBuilder, Retryable};

#[api_errors::api_errors(spec = "../runtime/examples/specs/layers.yaml")]
pub enum Layered {}

fn overloaded(wait: &str) -> ApiError<Layered> {
    let headers = http::HeaderMap::from_iter([(
        http::header::RETRY_AFTER,
        http::HeaderValue::from_str(wait).unwrap(),
    )]);
    ApiError::from_response(503, &headers, b"")
}

#[test]
fn when_follows_the_retry_class_and_idempotency() {
    let e = |status| ApiError::<Layered>::from_response(status, &(), b"");
    let (mut idem, mut not) = (spec::when(true), spec::when(false));
    assert!(idem(&e(503)) && not(&e(503))); // always
    assert!(idem(&e(500)) && !not(&e(500))); // if idempotent
    assert!(!idem(&e(400)) && !not(&e(400))); // never
    assert!(!idem(&e(401))); // after reauthentication: backon cannot refresh
}

#[test]
fn adjust_takes_the_servers_wait_in_place_of_backons_delay() {
    let d = Some(Duration::from_millis(100));
    let mut adjust = spec::adjust();
    assert_eq!(adjust(&overloaded("7"), d), Some(Duration::from_secs(7)));
    // No server wait: backon's delay stands; backon's schedule exhausted: stop.
    let plain = ApiError::<Layered>::from_response(500, &(), b"");
    assert_eq!(adjust(&plain, d), d);
    assert_eq!(adjust(&overloaded("7"), None), None);
    let mut extra = spec::extra_wait();
    assert_eq!(
        extra(&overloaded("7"), Duration::from_secs(2)),
        Duration::from_secs(5)
    );
    assert_eq!(
        extra(&overloaded("1"), Duration::from_secs(2)),
        Duration::ZERO
    );
}

/// A server's wait is bounded exactly as the executor bounds it: above `max_wait`
/// (60 s by default), give up (backon stops) or cut, as the policy says.
#[test]
fn adjust_bounds_the_servers_wait_as_the_executor_does() {
    let d = Some(Duration::from_millis(100));
    let mut adjust = spec::adjust();
    assert_eq!(adjust(&overloaded("1000000000"), d), None, "gives up");
    let huge_ms =
        ApiError::<Layered>::from_response(503, &[("retry-after", "18446744073709551615")], b"");
    assert_eq!(adjust(&huge_ms, d), None);
    assert!(
        !spec::when(true)(&overloaded("1000000000")),
        "when turns it down too"
    );
    assert!(spec::when(true)(&overloaded("59")));
    let capped = api_errors::RetryPolicy::default()
        .max_wait(Duration::from_secs(20))
        .long_wait(api_errors::LongWait::Cap);
    let mut adjust = spec::adjust_with(&capped);
    assert_eq!(
        adjust(&overloaded("1000000000"), d),
        Some(Duration::from_secs(20)),
        "cut to the policy's maximum"
    );
    assert!(spec::when_with(&capped, true)(&overloaded("1000000000")));
    // The blocking form: nothing beyond backon's own delay when the executor would
    // have given up (`when` stops it first).
    assert_eq!(
        spec::extra_wait()(&overloaded("1000000000"), Duration::from_secs(1)),
        Duration::ZERO
    );
}

#[tokio::test(start_paused = true)]
async fn async_backon_waits_as_the_server_asked() {
    let started = tokio::time::Instant::now();
    let attempts = RefCell::new(0);
    let call = || async {
        *attempts.borrow_mut() += 1;
        match *attempts.borrow() {
            1 | 2 => Err(overloaded("3")),
            _ => Ok("done"),
        }
    };
    let done = call
        .retry(ConstantBuilder::default().with_delay(Duration::from_millis(10)))
        .sleep(tokio::time::sleep)
        .when(spec::when(false))
        .adjust(spec::adjust())
        .await;
    assert_eq!(done.unwrap(), "done");
    assert_eq!(*attempts.borrow(), 3);
    assert_eq!(started.elapsed(), Duration::from_secs(6));
}

#[test]
fn blocking_backon_sleeps_the_rest_of_the_servers_wait_in_notify() {
    let slept = RefCell::new(Vec::new());
    let mut attempts = 0;
    let done = (|| {
        attempts += 1;
        if attempts < 3 {
            Err(overloaded("3"))
        } else {
            Ok(attempts)
        }
    })
    .retry(ConstantBuilder::default().with_delay(Duration::from_millis(10)))
    .sleep(|_| {}) // backon's own (10 ms) sleeps, skipped in the test
    .when(spec::when(false))
    .notify({
        let (slept, mut extra) = (&slept, spec::extra_wait());
        move |e, delay| slept.borrow_mut().push(extra(e, delay))
    })
    .call();
    assert_eq!(done.unwrap(), 3);
    assert_eq!(*slept.borrow(), [Duration::from_millis(2990); 2]);
}
