//! A scripted HTTP server on 127.0.0.1 (an ephemeral port) for end-to-end tests:
//! each request is answered by a closure of its number and headers; every request
//! is counted, and the server stops when the test's runtime ends.

#![allow(dead_code)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use axum::body::Body;
use axum::http::{HeaderMap, Response, StatusCode};

/// A reply: status, headers, body.
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: String,
}

impl Reply {
    pub fn new(status: u16) -> Self {
        Reply {
            status,
            headers: Vec::new(),
            body: String::new(),
        }
    }
    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }
    pub fn json(mut self, body: &str) -> Self {
        self.headers
            .push(("content-type", "application/json".into()));
        self.body = body.into();
        self
    }
}

pub struct Server {
    pub url: String,
    hits: Arc<AtomicUsize>,
}

impl Server {
    /// How many requests the server has answered.
    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }
}

/// Starts a server that answers request `n` (1-based) with `script(n, headers)`.
/// A script must bound itself: after the replies a test expects, answer 599 so that
/// an unexpected request fails the test.
pub async fn serve<S>(script: S) -> Server
where
    S: Fn(usize, &HeaderMap) -> Reply + Send + Sync + 'static,
{
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    let script = Arc::new(script);
    let app = axum::Router::new().fallback(move |headers: HeaderMap| {
        let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
        let reply = script(n, &headers);
        async move {
            let mut response =
                Response::builder().status(StatusCode::from_u16(reply.status).unwrap());
            for (name, value) in reply.headers {
                response = response.header(name, value);
            }
            response.body(Body::from(reply.body)).unwrap()
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    Server { url, hits }
}

/// A client that gives up on any one request after a few seconds.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(5))
        .build()
        .unwrap()
}

/// The policy of the middleware tests (`runtime/examples/specs/layers.yaml`, shared with the examples): three attempts, no
/// budget, no jitter, so attempts and waits are exact.
pub fn layer_policy() -> api_errors::RetryPolicy {
    api_errors::RetryPolicy::default()
        .max_attempts(3)
        .without_budget()
        .jitter(api_errors::Jitter::None)
}

/// An error body in the shape `runtime/examples/specs/layers.yaml` declares.
pub fn layered_error(code: &str) -> String {
    format!(r#"{{"error":{{"message":"m-{code}","code":"{code}"}}}}"#)
}

/// A port on 127.0.0.1 where nothing listens (it was free a moment ago).
pub fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// What a raw server does after writing a reply.
#[derive(Clone, Copy)]
pub enum Then {
    /// Close the connection.
    Close,
    /// Keep it open, sending nothing more (until the test's runtime ends).
    Stall,
}

/// A server on 127.0.0.1 that answers connection `n` (1-based) with the raw bytes
/// of `replies[n - 1]` (HTTP written by hand: cut bodies, bad chunks), then closes
/// or stalls; connections beyond the list are closed at once. Every connection is
/// counted.
pub async fn raw(replies: Vec<(Vec<u8>, Then)>) -> Server {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let n = counter.fetch_add(1, Ordering::SeqCst);
            let reply = replies.get(n).cloned();
            tokio::spawn(async move {
                // Read the request's head (bounded), then answer.
                let mut seen = Vec::new();
                let mut buf = [0u8; 4096];
                while !seen.windows(4).any(|w| w == b"\r\n\r\n") && seen.len() < 65_536 {
                    match socket.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(k) => seen.extend_from_slice(&buf[..k]),
                    }
                }
                let Some((bytes, then)) = reply else {
                    return;
                };
                let _ = socket.write_all(&bytes).await;
                let _ = socket.flush().await;
                if let Then::Stall = then {
                    std::future::pending::<()>().await;
                }
            });
        }
    });
    Server { url, hits }
}

/// An HTTP/1.1 response head with these headers, then `body` as it is.
pub fn http_reply(status: &str, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status}\r\n").into_bytes();
    for (name, value) in headers {
        out.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
    }
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(body);
    out
}

/// A tower service from a closure of the request (an in-process server, for tests
/// on tokio's paused clock).
pub fn tower_service_fn<F>(f: F) -> ServiceFn<F> {
    ServiceFn(f)
}

#[derive(Clone)]
pub struct ServiceFn<F>(F);

impl<F, Fut, Req, Res, E> tower_service::Service<Req> for ServiceFn<F>
where
    F: FnMut(Req) -> Fut,
    Fut: std::future::Future<Output = Result<Res, E>>,
{
    type Response = Res;
    type Error = E;
    type Future = Fut;
    fn poll_ready(&mut self, _: &mut std::task::Context<'_>) -> std::task::Poll<Result<(), E>> {
        std::task::Poll::Ready(Ok(()))
    }
    fn call(&mut self, req: Req) -> Fut {
        (self.0)(req)
    }
}

/// A plain hyper client (HTTP/1, no TLS) with `Full<Bytes>` request bodies.
pub fn hyper_client() -> hyper_util::client::legacy::Client<
    hyper_util::client::legacy::connect::HttpConnector,
    http_body_util::Full<bytes::Bytes>,
> {
    hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .build_http::<http_body_util::Full<bytes::Bytes>>()
}
