//! backon's own retry loop, deciding with a spec: which errors to retry, and the
//! server's `Retry-After` as the delay. Against a server on 127.0.0.1 that this
//! example starts: one `503` with `Retry-After: 1`, then `200`.
//!
//! Run: `cargo run --example backon --features reqwest`

use std::time::Duration;

use api_errors::{api_errors, backon as spec};
use backon::{ExponentialBuilder, Retryable};

#[path = "shared/scripted.rs"]
mod scripted;

#[api_errors(spec = "examples/specs/layers.yaml")]
pub enum Layered {}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let server = scripted::start(|n| match n {
        1 => (503, Some("1"), r#"{"error":{"message":"busy"}}"#),
        _ => (200, None, r#"{"done":true}"#),
    })
    .await?;
    let url = server.url.clone();

    let client = reqwest::Client::new();
    // backon's loop, with the spec deciding: here on `ApiError` directly.
    let typed = || async {
        let response = client
            .get(&url)
            .send()
            .await
            .expect("the local server answers");
        api_errors::reqwest::check::<Layered>(response).await
    };
    // The spec's waits, bounded as the executor bounds them: here no single wait
    // above 5 s, whatever the server asks.
    let policy = api_errors::RetryPolicy::default().max_wait(Duration::from_secs(5));
    let started = std::time::Instant::now();
    let response = typed
        .retry(ExponentialBuilder::default().with_min_delay(Duration::from_millis(10)))
        .sleep(tokio::time::sleep)
        .when(spec::when_with(&policy, true))
        .adjust(spec::adjust_with(&policy))
        .notify(|e, d| println!("  {e} -> retry in {d:?}"))
        .await?;
    println!(
        "GET -> {} after {} requests, {:?}",
        response.status(),
        server.hits(),
        started.elapsed()
    );
    Ok(())
}
