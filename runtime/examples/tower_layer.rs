//! A hyper client wrapped in api-errors' tower layer, against a server on 127.0.0.1
//! that this example starts: one `503` with `Retry-After: 1`, then `200`. The layer
//! judges each response by the spec and waits as the server asked.
//!
//! Run: `cargo run --example tower_layer --features tower`

use api_errors::{api_errors, tower::RetryLayer, RetryPolicy};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use tower_layer::Layer;
use tower_service::Service;

#[path = "shared/scripted.rs"]
mod scripted;

#[api_errors(spec = "examples/specs/layers.yaml")]
pub enum Layered {}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), api_errors::BoxError> {
    let server = scripted::start(|n| match n {
        1 => (
            503,
            Some("1"),
            r#"{"error":{"message":"busy","code":"overloaded"}}"#,
        ),
        _ => (200, None, r#"{"done":true}"#),
    })
    .await?;
    let url = format!("{}jobs", server.url);

    let client = Client::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
    let mut service = RetryLayer::<Layered>::new(RetryPolicy::default())
        .on_retry(|ev| match ev.delay {
            Some(d) => println!("  {} -> retry in {d:?}", ev.error),
            None => println!("  {} -> no retry", ev.error),
        })
        .layer(client);
    let started = std::time::Instant::now();
    let request = http::Request::get(&url).body(Full::new(Bytes::new()))?;
    std::future::poll_fn(|cx| service.poll_ready(cx)).await?;
    let response = service.call(request).await?;
    let status = response.status();
    let body = response.into_body().collect().await?.to_bytes();
    println!(
        "GET {url}: {status} {:?} after {} requests, {:?}",
        String::from_utf8_lossy(&body),
        server.hits(),
        started.elapsed()
    );
    assert_eq!((status.as_u16(), server.hits()), (200, 2));
    Ok(())
}
