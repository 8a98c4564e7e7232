//! A hyper client wrapped in api-errors' tower layer, against a server on 127.0.0.1
//! that this example starts: one `503` with `Retry-After: 1`, then `200`. The layer
//! judges each response by the spec and waits as the server asked.
//!
//! Run: `cargo run --example tower_layer`

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use api_errors::{api_errors, tower::RetryLayer, RetryPolicy};
use axum::http::{header, StatusCode};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use tower_layer::Layer;
use tower_service::Service;

#[api_errors(spec = "tests/specs/layers.yaml")]
pub enum Layered {}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), api_errors::BoxError> {
    let hits = Arc::new(AtomicU32::new(0));
    let served = hits.clone();
    let app = axum::Router::new().fallback(move || {
        let n = served.fetch_add(1, Ordering::SeqCst) + 1;
        async move {
            match n {
                1 => (
                    StatusCode::SERVICE_UNAVAILABLE,
                    [(header::RETRY_AFTER, "1")],
                    "busy",
                ),
                _ => (
                    StatusCode::OK,
                    [(header::CACHE_CONTROL, "no-store")],
                    "done",
                ),
            }
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/jobs", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, app).await });

    let client = Client::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
    let mut service = RetryLayer::<Layered>::new(RetryPolicy::default()).layer(client);
    let started = std::time::Instant::now();
    let request = http::Request::get(&url).body(Full::new(Bytes::new()))?;
    std::future::poll_fn(|cx| service.poll_ready(cx)).await?;
    let response = service.call(request).await?;
    let status = response.status();
    let body = response.into_body().collect().await?.to_bytes();
    println!(
        "GET {url}: {status} {:?} after {} requests, {:?}",
        String::from_utf8_lossy(&body),
        hits.load(Ordering::SeqCst),
        started.elapsed()
    );
    assert_eq!((status.as_u16(), hits.load(Ordering::SeqCst)), (200, 2));
    Ok(())
}
