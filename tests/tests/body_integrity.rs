//! The success path never lies: a 2xx body that fails while it is read to judge it
//! (under a spec with `errors_in_success`) reaches the caller as the transport error
//! it is, never as a shorter success; an error response comes back whole (no stale
//! `Content-Length`); a deadline that passes while an error body arrives keeps the
//! status and its wait. Through `reqwest::check`/`send`, the tower layer and the
//! reqwest middleware, against servers on 127.0.0.1 that cut their bodies.

mod common;

use std::time::Duration;

use api_errors::{Jitter, ManualClock, RequestError, RetryPolicy, TransportKind};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use tower_layer::Layer;
use tower_service::Service;

use common::{http_reply, hyper_client, layer_policy, raw, Then};

#[api_errors::api_errors(spec = "../runtime/examples/specs/layers.yaml")]
pub enum Layered {}

const GOOD: &[u8] = br#"{"data":{"shop":{"name":"x"}}}"#;

/// Three ways a 2xx body breaks off: a `Content-Length` the body does not reach, a
/// chunked body cut mid-chunk, and a chunk that is not one.
fn broken_successes() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        (
            "short Content-Length",
            http_reply("200 OK", &[("content-length", "1000")], &GOOD[..28]),
        ),
        (
            "chunked, cut",
            http_reply(
                "200 OK",
                &[("transfer-encoding", "chunked")],
                b"14\r\n{\"data\":{\"shop\":{\"n\r\n10\r\nabc",
            ),
        ),
        (
            "chunked, invalid",
            http_reply(
                "200 OK",
                &[("transfer-encoding", "chunked")],
                b"5\r\n{\"dat\r\nZZ\r\nnot a chunk\r\n",
            ),
        ),
    ]
}

fn good() -> Vec<u8> {
    http_reply(
        "200 OK",
        &[("content-length", &GOOD.len().to_string())],
        GOOD,
    )
}

#[tokio::test]
async fn check_gives_back_a_body_that_ends_in_the_error_and_send_a_reset() {
    for (what, broken) in broken_successes() {
        let server = raw(vec![(broken.clone(), Then::Close)]).await;
        let response = reqwest::get(&server.url).await.unwrap();
        let passed = api_errors::reqwest::check::<Layered>(response)
            .await
            .unwrap_or_else(|e| panic!("{what}: not an API error: {e}"));
        assert!(
            passed.bytes().await.is_err(),
            "{what}: the body must end in its error, as plain reqwest gives it"
        );

        let server = raw(vec![(broken, Then::Close)]).await;
        let sent =
            api_errors::reqwest::send::<Layered>(reqwest::Client::new().get(&server.url)).await;
        match sent {
            Err(RequestError::Transport(t)) => {
                assert_eq!(t.kind(), TransportKind::Reset, "{what}")
            }
            other => panic!("{what}: {other:?}"),
        }
    }
}

/// The layers retry such a body as the reset it is (an idempotent GET), and give a
/// POST back as the transport error (never `Ok` with a shorter body).
#[tokio::test]
async fn the_middleware_retries_a_cut_success_as_a_reset() {
    for (what, broken) in broken_successes() {
        let server = raw(vec![(broken.clone(), Then::Close), (good(), Then::Close)]).await;
        let clock = ManualClock::new();
        let client = reqwest_middleware::ClientBuilder::new(reqwest::Client::new())
            .with(
                api_errors::reqwest_middleware::RetryMiddleware::<Layered>::new(layer_policy())
                    .sleeper(clock.clone()),
            )
            .build();
        let response = client.get(&server.url).send().await.unwrap();
        assert_eq!(response.bytes().await.unwrap(), GOOD, "{what}");
        assert_eq!(server.hits(), 2, "{what}");

        let server = raw(vec![(broken, Then::Close)]).await;
        let client = reqwest_middleware::ClientBuilder::new(reqwest::Client::new())
            .with(
                api_errors::reqwest_middleware::RetryMiddleware::<Layered>::new(layer_policy())
                    .sleeper(ManualClock::new()),
            )
            .build();
        let err = client.post(&server.url).send().await.unwrap_err();
        assert!(
            matches!(err, reqwest_middleware::Error::Reqwest(_)),
            "{what}: {err:?}"
        );
        assert_eq!(server.hits(), 1, "{what}: a POST is not repeated");
    }
}

#[tokio::test]
async fn the_tower_layer_retries_a_cut_success_as_a_reset() {
    for (what, broken) in broken_successes() {
        for (method, replies, hits) in [
            (
                "GET",
                vec![(broken.clone(), Then::Close), (good(), Then::Close)],
                2,
            ),
            ("POST", vec![(broken.clone(), Then::Close)], 1),
        ] {
            let server = raw(replies).await;
            let layer = api_errors::tower::RetryLayer::<Layered>::new(layer_policy())
                .sleeper(ManualClock::new());
            let mut service = layer.layer(hyper_client());
            let request = http::Request::builder()
                .method(method)
                .uri(&server.url)
                .body(Full::new(Bytes::new()))
                .unwrap();
            std::future::poll_fn(|cx| service.poll_ready(cx))
                .await
                .unwrap();
            let outcome = service.call(request).await;
            match method {
                "GET" => {
                    let body = outcome.unwrap().into_body().collect().await.unwrap();
                    assert_eq!(body.to_bytes(), GOOD, "{what}");
                }
                _ => assert!(
                    outcome.is_err(),
                    "{what}: the transport error, not a success"
                ),
            }
            assert_eq!(server.hits(), hits, "{what} {method}");
        }
    }
}

/// An error body larger than the bound comes back whole: the headers still tell
/// the truth (`Content-Length`), and the body has every byte.
#[tokio::test]
async fn an_error_response_comes_back_whole() {
    let big = vec![b'x'; 3 * 1024 * 1024];
    let reply = || {
        http_reply(
            "400 Bad Request",
            &[("content-length", &big.len().to_string())],
            &big,
        )
    };
    // The middleware (400: not retried, given back).
    let server = raw(vec![(reply(), Then::Close)]).await;
    let client = reqwest_middleware::ClientBuilder::new(reqwest::Client::new())
        .with(api_errors::reqwest_middleware::RetryMiddleware::<Layered>::new(layer_policy()))
        .build();
    let response = client.get(&server.url).send().await.unwrap();
    assert_eq!(response.status(), 400);
    let length = response.headers()["content-length"]
        .to_str()
        .unwrap()
        .to_owned();
    let body = response.bytes().await.unwrap();
    assert_eq!((body.len(), length), (big.len(), big.len().to_string()));
    // The tower layer.
    let server = raw(vec![(reply(), Then::Close)]).await;
    let mut service =
        api_errors::tower::RetryLayer::<Layered>::new(layer_policy()).layer(hyper_client());
    let request = http::Request::get(&server.url)
        .body(Full::new(Bytes::new()))
        .unwrap();
    std::future::poll_fn(|cx| service.poll_ready(cx))
        .await
        .unwrap();
    let response = service.call(request).await.unwrap();
    let length = response.headers()["content-length"]
        .to_str()
        .unwrap()
        .to_owned();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    assert_eq!((body.len(), length), (big.len(), big.len().to_string()));
}

/// A body that stalls after the headers: the one chunk there is, then nothing.
struct Stalled(Option<Bytes>);

impl http_body::Body for Stalled {
    type Data = Bytes;
    type Error = std::io::Error;
    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Bytes>, std::io::Error>>> {
        match self.0.take() {
            Some(chunk) => std::task::Poll::Ready(Some(Ok(http_body::Frame::data(chunk)))),
            None => std::task::Poll::Pending,
        }
    }
}

/// A deadline that passes while an error body is still arriving keeps what arrived:
/// the 503 and its `Retry-After` come back, not `DeadlineExceeded`. (In-process, on
/// tokio's paused clock.)
#[tokio::test(start_paused = true)]
async fn a_deadline_while_an_error_body_arrives_keeps_the_status() {
    let stalled = common::tower_service_fn(|_req: http::Request<Full<Bytes>>| async {
        let response = http::Response::builder()
            .status(503)
            .header("retry-after", "1")
            .header("content-length", "100")
            .body(Stalled(Some(Bytes::from_static(b"{\"error\":"))))
            .unwrap();
        Ok::<_, std::io::Error>(response)
    });
    let policy = RetryPolicy::default()
        .without_budget()
        .jitter(Jitter::None)
        .max_elapsed(Duration::from_secs(2));
    let mut service = api_errors::tower::RetryLayer::<Layered>::new(policy).layer(stalled);
    std::future::poll_fn(|cx| service.poll_ready(cx))
        .await
        .unwrap();
    let response = service
        .call(
            http::Request::get("/")
                .body(Full::new(Bytes::new()))
                .unwrap(),
        )
        .await
        .expect("the 503 that arrived, not DeadlineExceeded");
    assert_eq!(response.status(), 503);
    assert_eq!(response.headers()["retry-after"], "1");
}

/// The same through the reqwest middleware, against a server on 127.0.0.1 that
/// sends a 503's head and stalls (real time: a half-second deadline).
#[tokio::test]
async fn a_deadline_while_an_error_body_arrives_keeps_the_status_in_the_middleware() {
    let head = http_reply(
        "503 Service Unavailable",
        &[("retry-after", "1"), ("content-length", "100")],
        b"{\"error\":",
    );
    let server = raw(vec![(head, Then::Stall)]).await;
    let policy = RetryPolicy::default()
        .without_budget()
        .max_elapsed(Duration::from_millis(500));
    let client = reqwest_middleware::ClientBuilder::new(reqwest::Client::new())
        .with(api_errors::reqwest_middleware::RetryMiddleware::<Layered>::new(policy))
        .build();
    let response = client
        .get(&server.url)
        .send()
        .await
        .expect("the 503 that arrived, not DeadlineExceeded");
    assert_eq!(response.status(), 503);
    assert_eq!(response.headers()["retry-after"], "1");
    assert_eq!(server.hits(), 1);
}
