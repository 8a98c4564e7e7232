//! reqwest under the executor, against a server on 127.0.0.1 that this example
//! starts: `503` with `Retry-After: 1` twice, then `200`. `api_errors::reqwest::send`
//! judges each response by the spec; the executor honours the server's wait.
//!
//! Run: `cargo run --example retry_http --features reqwest`

use std::time::Duration;

use api_errors::reqwest::send;
use api_errors::{api_errors, RetryPolicy};

#[path = "shared/scripted.rs"]
mod scripted;

#[api_errors(spec = "examples/specs/layers.yaml")]
pub enum Layered {}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let server = scripted::start(|n| match n {
        1 | 2 => (
            503,
            Some("1"),
            r#"{"error":{"message":"busy","code":"overloaded"}}"#,
        ),
        _ => (200, None, r#"{"accepted":true}"#),
    })
    .await?;
    let url = format!("{}events", server.url);
    println!("server on {url}: 503 + Retry-After: 1 twice, then 200\n");

    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()?;
    let policy = RetryPolicy::default()
        .max_attempts(5)
        .max_elapsed(Duration::from_secs(20));
    let started = std::time::Instant::now();
    let done = policy
        .retry_async(|| send::<Layered>(client.post(&url)))
        .idempotent(true)
        .notify(|ev| match ev.delay {
            Some(d) => println!("attempt {}: {} -> retry in {d:?}", ev.attempt, ev.error),
            None => println!("attempt {}: {} -> giving up", ev.attempt, ev.error),
        })
        .call_reported()
        .await?;
    println!(
        "attempt {}: HTTP {} {}\n\nsucceeded after {} attempts, {:?} waited ({:?} in all)",
        done.attempts,
        done.value.status(),
        done.value.text().await?,
        done.attempts,
        done.waited,
        started.elapsed()
    );
    assert_eq!(server.hits(), 3);
    Ok(())
}
