//! The tower layer end to end: a hyper client wrapped in `RetryLayer`, against a
//! scripted server on 127.0.0.1. Waits on a manual clock.

mod common;

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

use api_errors::tower::RetryLayer;
use api_errors::{DeadlineExceeded, Idempotent, Jitter, ManualClock, RetryPolicy};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use tower_layer::Layer;
use tower_service::Service;

use common::{closed_port, layer_policy, layered_error, serve, tower_service_fn, Reply, Server};

#[api_errors::api_errors(spec = "../runtime/examples/specs/layers.yaml")]
pub enum Layered {}

/// Sends one request through the layer: status, body, and the clock's sleeps.
async fn send(
    server: &Server,
    layer: RetryLayer<Layered, ManualClock>,
    request: http::request::Builder,
) -> Result<(u16, String), api_errors::BoxError> {
    let client = Client::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
    let mut service = layer.layer(client);
    let request = request
        .uri(&server.url)
        .body(Full::new(Bytes::from_static(b"{}")))
        .unwrap();
    std::future::poll_fn(|cx| service.poll_ready(cx)).await?;
    let response = service.call(request).await?;
    let status = response.status().as_u16();
    let body = response.into_body().collect().await?.to_bytes();
    Ok((status, String::from_utf8_lossy(&body).into_owned()))
}

#[tokio::test]
async fn retries_a_503_after_the_servers_wait_then_passes_the_success_through() {
    let server = serve(|n, _| match n {
        1 => Reply::new(503)
            .header("retry-after", "7")
            .json(&layered_error("overloaded")),
        2 => Reply::new(200).json(r#"{"id":1}"#),
        _ => Reply::new(599),
    })
    .await;
    let clock = ManualClock::new();
    let layer = RetryLayer::<Layered>::new(layer_policy()).sleeper(clock.clone());
    let (status, body) = send(&server, layer, http::Request::post("/"))
        .await
        .unwrap();
    assert_eq!((status, body.as_str()), (200, r#"{"id":1}"#));
    assert_eq!(server.hits(), 2);
    assert_eq!(clock.sleeps(), [Duration::from_secs(7)]);
}

#[tokio::test(start_paused = true)]
async fn under_a_deadline_every_attempt_runs_in_the_executor_and_retries_the_same() {
    // With `max_elapsed`, the first attempt is not taken outside the executor: the
    // ready service goes first, then clones of it (made ready) for the retries.
    // In-process (no sockets), so tokio's paused clock stands for the waits.
    let calls = Arc::new(AtomicU32::new(0));
    let counter = calls.clone();
    let flaky = tower_service_fn(move |_req: http::Request<Full<Bytes>>| {
        let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
        async move {
            let response = match n {
                1 | 2 => http::Response::builder()
                    .status(503)
                    .header("retry-after", "1")
                    .body(Full::new(Bytes::from(layered_error("overloaded")))),
                _ => http::Response::builder().body(Full::new(Bytes::from_static(b"ok"))),
            };
            Ok::<_, std::io::Error>(response.unwrap())
        }
    });
    let policy = layer_policy().max_elapsed(Duration::from_secs(60));
    let mut service = RetryLayer::<Layered>::new(policy).layer(flaky);
    let start = tokio::time::Instant::now();
    std::future::poll_fn(|cx| service.poll_ready(cx))
        .await
        .unwrap();
    let request = http::Request::get("/")
        .body(Full::new(Bytes::new()))
        .unwrap();
    let response = service.call(request).await.unwrap();
    assert_eq!(response.status(), 200);
    let body = response.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(&body[..], b"ok");
    assert_eq!(calls.load(Ordering::SeqCst), 3);
    assert_eq!(
        start.elapsed(),
        Duration::from_secs(2),
        "two waits of the server's 1 s"
    );
}

#[tokio::test]
async fn a_500_is_retried_for_get_and_for_a_post_marked_idempotent_but_not_a_bare_post() {
    for (request, expected_hits) in [
        (http::Request::get("/"), 3),
        (http::Request::post("/"), 1),
        (http::Request::post("/").extension(Idempotent::YES), 3),
        (http::Request::delete("/").extension(Idempotent::NO), 1),
    ] {
        let server = serve(|_, _| Reply::new(500).json(&layered_error("boom"))).await;
        let clock = ManualClock::new();
        let layer = RetryLayer::<Layered>::new(layer_policy()).sleeper(clock.clone());
        let (status, body) = send(&server, layer, request).await.unwrap();
        // Given up: the last response comes back whole, as without the layer.
        assert_eq!(
            (status, body.as_str()),
            (500, layered_error("boom").as_str())
        );
        assert_eq!(server.hits(), expected_hits);
        assert_eq!(clock.sleeps().len(), expected_hits - 1);
    }
}

#[tokio::test]
async fn a_400_is_never_retried() {
    let server = serve(|_, _| Reply::new(400).json(&layered_error("bad"))).await;
    let layer = RetryLayer::<Layered>::new(layer_policy()).sleeper(ManualClock::new());
    let (status, _) = send(&server, layer, http::Request::get("/")).await.unwrap();
    assert_eq!((status, server.hits()), (400, 1));
}

#[tokio::test]
async fn an_error_inside_a_2xx_is_retried_and_a_clean_2xx_is_given_back_whole() {
    let server = serve(|n, _| match n {
        1 => Reply::new(200).json(&layered_error("busy")),
        2 => Reply::new(200).json(r#"{"data":{"ok":true}}"#),
        _ => Reply::new(599),
    })
    .await;
    let clock = ManualClock::new();
    let layer = RetryLayer::<Layered>::new(layer_policy()).sleeper(clock.clone());
    let (status, body) = send(&server, layer, http::Request::get("/")).await.unwrap();
    assert_eq!((status, body.as_str()), (200, r#"{"data":{"ok":true}}"#));
    assert_eq!((server.hits(), clock.sleeps().len()), (2, 1));
}

#[tokio::test]
async fn a_401_calls_the_reauthentication_hook_before_the_retry() {
    let server = serve(|n, _| match n {
        1 => Reply::new(401).json(&layered_error("expired")),
        2 => Reply::new(200).json("{}"),
        _ => Reply::new(599),
    })
    .await;
    let refreshed = Arc::new(AtomicU32::new(0));
    let seen = refreshed.clone();
    let layer = RetryLayer::<Layered>::new(layer_policy())
        .sleeper(ManualClock::new())
        .reauthenticate(move |e| {
            assert_eq!(e.kind(), Layered::Unauthorized);
            seen.fetch_add(1, Ordering::SeqCst);
            Box::pin(async { Ok(()) })
        });
    let (status, _) = send(&server, layer, http::Request::get("/")).await.unwrap();
    assert_eq!((status, server.hits()), (200, 2));
    assert_eq!(refreshed.load(Ordering::SeqCst), 1);

    // Without a hook, the 401 comes back at once.
    let server = serve(|_, _| Reply::new(401).json(&layered_error("expired"))).await;
    let layer = RetryLayer::<Layered>::new(layer_policy()).sleeper(ManualClock::new());
    let (status, _) = send(&server, layer, http::Request::get("/")).await.unwrap();
    assert_eq!((status, server.hits()), (401, 1));
}

#[tokio::test]
async fn a_refused_connection_is_retried_then_given_back_as_the_clients_error() {
    // A port that was just free: nothing listens there.
    let port = closed_port();
    let client = Client::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
    let clock = ManualClock::new();
    let mut service = RetryLayer::<Layered>::new(layer_policy())
        .sleeper(clock.clone())
        .layer(client);
    let request = http::Request::post(format!("http://127.0.0.1:{port}/"))
        .body(Full::new(Bytes::new()))
        .unwrap();
    let error = service.call(request).await.unwrap_err();
    // Connect failures are safe to retry whatever the method: all attempts made.
    assert_eq!(clock.sleeps().len(), 2);
    let client_error = error
        .downcast_ref::<hyper_util::client::legacy::Error>()
        .expect("the client's own error");
    assert!(client_error.is_connect());
}

#[tokio::test]
async fn the_budget_is_shared_by_every_request_through_the_layer() {
    let server = serve(|_, _| Reply::new(503).json(&layered_error("overloaded"))).await;
    let budget_policy = RetryPolicy::default()
        .max_attempts(3)
        .jitter(Jitter::None)
        .budget(api_errors::RetryBudget::new(2, 0.0));
    let layer = RetryLayer::<Layered>::new(budget_policy).sleeper(ManualClock::new());
    let client = Client::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
    let service = layer.layer(client);
    let mut total = 0;
    for _ in 0..5 {
        let mut service = service.clone();
        let request = http::Request::get(&server.url)
            .body(Full::new(Bytes::new()))
            .unwrap();
        let response = service.call(request).await.unwrap();
        assert_eq!(response.status(), 503);
        total += 1;
    }
    // Five requests; the shared budget soon stops the retries.
    assert!(server.hits() < total * 3, "hits {}", server.hits());
}

#[tokio::test(start_paused = true)]
async fn a_deadline_cancels_an_attempt_that_outlives_it() {
    // A service that never answers: the deadline ends the call with its own error.
    let never = tower_service_fn(|_req: http::Request<Full<Bytes>>| async {
        std::future::pending::<Result<http::Response<Full<Bytes>>, std::io::Error>>().await
    });
    let policy = layer_policy().max_elapsed(Duration::from_secs(2));
    let mut service = RetryLayer::<Layered>::new(policy).layer(never);
    let request = http::Request::get("/")
        .body(Full::new(Bytes::new()))
        .unwrap();
    let error = service.call(request).await.unwrap_err();
    let deadline = error.downcast_ref::<DeadlineExceeded>().expect("deadline");
    assert_eq!(deadline.attempts, 1);
}

/// A `Service` from an async closure (what `tower::service_fn` does), kept here so
/// the test needs no more of tower than the two traits.
#[test]
fn debug_names_the_type_and_its_setup() {
    let layer =
        RetryLayer::<Layered>::new(layer_policy()).reauthenticate(|_| Box::pin(async { Ok(()) }));
    let shown = format!("{layer:?}");
    assert!(shown.starts_with("RetryLayer {"), "{shown}");
    assert!(shown.contains("reauthenticate: true"), "{shown}");
}

/// Behind the layer, a throttle is learned once (by the executor that saw the
/// error), so an adaptive pacer is cut once per 503, as if it had been told by hand.
#[tokio::test]
async fn an_adaptive_pacer_behind_the_layer_is_cut_once_per_throttle() {
    use api_errors::{BlockingSleeper, PaceRequest, Pacer, VendorLimits};
    let server = serve(|n, _| match n {
        1 => Reply::new(503)
            .header("retry-after", "1")
            .json(&layered_error("overloaded")),
        2 => Reply::new(200).json(r#"{"id":1}"#),
        _ => Reply::new(599),
    })
    .await;
    let clock = ManualClock::new();
    let t0 = BlockingSleeper::now(&clock);
    let (layered, by_hand) = (
        Pacer::new(VendorLimits::NONE).adaptive(),
        Pacer::new(VendorLimits::NONE).adaptive(),
    );
    // The same first second for both: 40 requests, so the measured rate is 40/s.
    let r = PaceRequest::new();
    for i in 0..40 {
        let at = t0 + Duration::from_millis(i * 25);
        layered.reserve(&r, at);
        by_hand.reserve(&r, at);
    }
    BlockingSleeper::sleep(&clock, Duration::from_secs(1));
    let layer =
        RetryLayer::<Layered>::new(layer_policy().pacer(layered.clone())).sleeper(clock.clone());
    let (status, _) = send(&server, layer, http::Request::get("/")).await.unwrap();
    assert_eq!((status, server.hits()), (200, 2));
    assert_eq!(
        clock.sleeps(),
        [Duration::from_secs(1), Duration::from_secs(1)]
    );
    // By hand: one throttle at 1 s, one success at 2 s.
    let (t1, t2) = (t0 + Duration::from_secs(1), t0 + Duration::from_secs(2));
    let now = std::time::SystemTime::now();
    by_hand.reserve(&r, t1);
    by_hand.observe(&r, 503, &[("retry-after", "1")][..], t1, now);
    by_hand.reserve(&r, t2);
    by_hand.observe(&r, 200, &(), t2, now);
    let (once, seen) = (
        by_hand.key_state("", t2).rate.unwrap(),
        layered.key_state("", t2).rate.unwrap(),
    );
    assert!(
        (once - seen).abs() < 1e-6,
        "cut once: {once}/s, behind the layer: {seen}/s"
    );
    assert!(once < 40.0, "{once}");
}
