//! Retries against a real HTTP server on 127.0.0.1 that this example starts itself.
//! The server answers `503 Service Unavailable` with `Retry-After: 1` twice, then
//! `200 OK`; the executor honours the header and prints each attempt.
//!
//! Run: `cargo run --example retry_http`

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use api_errors::{parse_retry_after, RetryHint, RetryPolicy, Retryable};
use axum::http::{header, StatusCode};
use axum::routing::post;
use axum::Router;

/// What a failed call returns: an HTTP status (with its `Retry-After`), or a
/// transport failure.
#[derive(Debug)]
enum CallError {
    Status {
        status: u16,
        retry_after: Option<Duration>,
    },
    Transport(reqwest::Error),
}

impl Retryable for CallError {
    fn retry_hint(&self) -> RetryHint {
        match self {
            CallError::Status { status, .. } => RetryHint::for_status(*status),
            CallError::Transport(_) => RetryHint::BACKOFF,
        }
    }
    fn retry_after(&self) -> Option<Duration> {
        match self {
            CallError::Status { retry_after, .. } => *retry_after,
            CallError::Transport(_) => None,
        }
    }
}

impl std::fmt::Display for CallError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CallError::Status { status, .. } => write!(f, "HTTP {status}"),
            CallError::Transport(e) => write!(f, "transport: {e}"),
        }
    }
}

impl std::error::Error for CallError {}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // A scripted server: two 503s with Retry-After: 1, then 200.
    let hits = Arc::new(AtomicU32::new(0));
    let served = hits.clone();
    let app = Router::new().route(
        "/events",
        post(move || {
            let n = served.fetch_add(1, Ordering::SeqCst) + 1;
            async move {
                if n <= 2 {
                    (
                        StatusCode::SERVICE_UNAVAILABLE,
                        [(header::RETRY_AFTER, "1")],
                        "busy",
                    )
                } else {
                    (
                        StatusCode::OK,
                        [(header::CACHE_CONTROL, "no-store")],
                        "accepted",
                    )
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/events", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, app).await });
    println!("server on {url}: 503 + Retry-After: 1 twice, then 200\n");

    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()?;
    let policy = RetryPolicy::default()
        .max_attempts(5)
        .max_elapsed(Duration::from_secs(20));
    let started = std::time::Instant::now();
    let done = policy
        .retry_async(|| async {
            let resp = client
                .post(&url)
                .send()
                .await
                .map_err(CallError::Transport)?;
            let status = resp.status().as_u16();
            if resp.status().is_success() {
                return resp.text().await.map_err(CallError::Transport);
            }
            let retry_after = resp
                .headers()
                .get(header::RETRY_AFTER)
                .and_then(|v| parse_retry_after(v.as_bytes(), SystemTime::now()));
            Err(CallError::Status {
                status,
                retry_after,
            })
        })
        .notify(|ev| match ev.delay {
            Some(d) => println!("attempt {}: {} -> retry in {d:?}", ev.attempt, ev.error),
            None => println!("attempt {}: {} -> giving up", ev.attempt, ev.error),
        })
        .call_reported()
        .await?;
    println!(
        "attempt {}: HTTP 200 {:?}\n\nsucceeded after {} attempts, {:?} waited ({:?} in all)",
        done.attempts,
        done.value,
        done.attempts,
        done.waited,
        started.elapsed()
    );
    assert_eq!(hits.load(Ordering::SeqCst), 3);
    Ok(())
}
