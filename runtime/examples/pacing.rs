//! Pacing against an HTTP server on 127.0.0.1 that this example starts, which allows
//! 5 requests per second and answers 429 (`Retry-After: 1`) past it. Twenty requests
//! go out twice: retrying only, then with a `Pacer` from the spec's documented limit.
//! Time is virtual (a `ManualClock`, shared with the server), so it runs at once.
//!
//! Run: `cargo run --example pacing`

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use api_errors::{api_errors, ApiError, BlockingSleeper, ManualClock, Pacer, RetryPolicy};

#[path = "shared/http.rs"]
mod http;

#[api_errors(spec = "examples/specs/pacing.yaml")]
pub enum Paced {}

/// The server: a token bucket of 5 per second (burst 5) on `clock`; counts its 429s.
fn server(clock: ManualClock, refused: Arc<AtomicU32>) -> std::io::Result<String> {
    let next = Mutex::new(None::<Instant>);
    http::serve(move |_, _| {
        let now = clock.now();
        let mut tat = next.lock().unwrap();
        let at = tat.unwrap_or(now).max(now) + Duration::from_millis(200);
        if at.saturating_duration_since(now) > Duration::from_secs(1) {
            refused.fetch_add(1, Ordering::SeqCst);
            return http::Response {
                status: 429,
                headers: vec![("retry-after".into(), "1".into())],
                body: Vec::new(),
            };
        }
        *tat = Some(at);
        http::Response {
            status: 200,
            headers: Vec::new(),
            body: b"ok".to_vec(),
        }
    })
}

fn run(policy: &RetryPolicy) -> Result<(u32, Duration), Box<dyn std::error::Error>> {
    let clock = ManualClock::new();
    let refused = Arc::new(AtomicU32::new(0));
    let addr = server(clock.clone(), refused.clone())?;
    for _ in 0..20 {
        policy
            .retry(|| {
                let r = http::request(&addr, "GET", "/", &[]).map_err(|_| {
                    ApiError::<Paced>::from_response(599, &(), b"connection failed")
                })?;
                if r.status == 429 {
                    return Err(ApiError::<Paced>::from_response(
                        429,
                        &r.headers[..],
                        &r.body,
                    ));
                }
                Ok(())
            })
            .sleeper(clock.clone())
            .call()?;
    }
    Ok((refused.load(Ordering::SeqCst), clock.elapsed()))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let retrying = RetryPolicy::default().max_attempts(10).without_budget();
    let (refused, took) = run(&retrying)?;
    println!(
        "retrying only:     20 requests, {refused} answered 429, {} of (virtual) time",
        http::human(took)
    );

    let paced = retrying.clone().pacer(Pacer::for_vendor::<Paced>());
    let (refused, took) = run(&paced)?;
    println!(
        "with the pacer:    20 requests, {refused} answered 429, {} of (virtual) time",
        http::human(took)
    );
    Ok(())
}
