//! The server the integration examples call: on 127.0.0.1 (an ephemeral port),
//! answering request `n` (from 1) with `reply(n)`, and counting requests.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use axum::http::{header, Response, StatusCode};

/// A reply: status, an optional `Retry-After` value, body.
pub type Reply = (StatusCode, Option<&'static str>, &'static str);

pub struct Scripted {
    pub url: String,
    hits: Arc<AtomicU32>,
}

impl Scripted {
    /// Requests answered so far.
    pub fn hits(&self) -> u32 {
        self.hits.load(Ordering::SeqCst)
    }
}

/// Starts the server; requests to any path reach `reply`.
pub async fn start(reply: fn(u32) -> Reply) -> std::io::Result<Scripted> {
    let hits = Arc::new(AtomicU32::new(0));
    let served = hits.clone();
    let app = axum::Router::new().fallback(move || {
        let (status, retry_after, body) = reply(served.fetch_add(1, Ordering::SeqCst) + 1);
        let mut response = Response::builder().status(status);
        if let Some(wait) = retry_after {
            response = response.header(header::RETRY_AFTER, wait);
        }
        async move { response.body(axum::body::Body::from(body)).unwrap() }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok(Scripted { url, hits })
}
