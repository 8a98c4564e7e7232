//! The reqwest-middleware middleware end to end, against a scripted server on
//! 127.0.0.1. Waits on a manual clock.

mod common;

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

use api_errors::reqwest_middleware::RetryMiddleware;
use api_errors::{Idempotent, ManualClock};
use reqwest_middleware::{ClientBuilder, ClientWithMiddleware};

use common::{client, closed_port, layer_policy, layered_error, serve, Reply};

#[api_errors::api_errors(spec = "../runtime/examples/specs/layers.yaml")]
pub enum Layered {}

fn with(middleware: RetryMiddleware<Layered, ManualClock>) -> ClientWithMiddleware {
    ClientBuilder::new(client()).with(middleware).build()
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
    let http = with(RetryMiddleware::new(layer_policy()).sleeper(clock.clone()));
    let response = http.post(&server.url).body("{}").send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.unwrap(), r#"{"id":1}"#);
    assert_eq!(server.hits(), 2);
    assert_eq!(clock.sleeps(), [Duration::from_secs(7)]);
}

#[tokio::test]
async fn under_a_deadline_every_attempt_runs_in_the_executor_with_a_copy_of_the_request() {
    // With `max_elapsed`, no attempt runs outside the executor; each sends a copy of
    // the request (its body included: the server checks its length). The server asks for no wait, so the real timer's
    // sleeps are of zero length and the deadline (a minute) is never reached.
    let server = serve(|n, headers| match n {
        1 | 2 => Reply::new(503)
            .header("retry-after", "0")
            .json(&layered_error("overloaded")),
        3 if headers.get("content-length").is_some_and(|l| l == "7") => {
            Reply::new(200).json(r#"{"id":3}"#)
        }
        _ => Reply::new(599),
    })
    .await;
    let policy = layer_policy().max_elapsed(Duration::from_secs(60));
    let http = ClientBuilder::new(client())
        .with(RetryMiddleware::<Layered>::new(policy))
        .build();
    let response = http
        .put(&server.url)
        .body(r#"{"n":1}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.unwrap(), r#"{"id":3}"#);
    assert_eq!(server.hits(), 3);
}

#[tokio::test]
async fn a_500_is_retried_for_get_and_an_idempotent_post_and_given_back_whole() {
    for (method, idempotent, expected_hits) in [
        (reqwest::Method::GET, None, 3),
        (reqwest::Method::POST, None, 1),
        (reqwest::Method::POST, Some(true), 3),
    ] {
        let server = serve(|_, _| Reply::new(500).json(&layered_error("boom"))).await;
        let clock = ManualClock::new();
        let http = with(RetryMiddleware::new(layer_policy()).sleeper(clock.clone()));
        let mut request = http.request(method, &server.url).body("{}");
        if let Some(yes) = idempotent {
            request = request.with_extension(Idempotent::new(yes));
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 500);
        assert_eq!(response.url().as_str(), server.url);
        // The given-back response still reads as the typed error.
        let e = api_errors::reqwest::check::<Layered>(response)
            .await
            .unwrap_err();
        assert_eq!(
            (e.kind(), e.message()),
            (Layered::InternalServerError, Some("m-boom"))
        );
        assert_eq!(server.hits(), expected_hits);
        assert_eq!(clock.sleeps().len(), expected_hits - 1);
    }
}

#[tokio::test]
async fn a_streaming_body_is_sent_once_and_never_retried() {
    let server = serve(|_, _| Reply::new(503).json(&layered_error("overloaded"))).await;
    let clock = ManualClock::new();
    let http = with(RetryMiddleware::new(layer_policy()).sleeper(clock.clone()));
    let chunks = futures_util::stream::iter([Ok::<_, std::io::Error>("{}")]);
    let response = http
        .put(&server.url)
        .body(reqwest::Body::wrap_stream(chunks))
        .send()
        .await
        .unwrap();
    assert_eq!((response.status().as_u16(), server.hits()), (503, 1));
    assert!(clock.sleeps().is_empty());
}

#[tokio::test]
async fn an_error_inside_a_2xx_is_retried() {
    let server = serve(|n, _| match n {
        1 => Reply::new(200).json(&layered_error("busy")),
        2 => Reply::new(200).json(r#"{"ok":true}"#),
        _ => Reply::new(599),
    })
    .await;
    let http = with(RetryMiddleware::new(layer_policy()).sleeper(ManualClock::new()));
    let response = http.get(&server.url).send().await.unwrap();
    assert_eq!(response.text().await.unwrap(), r#"{"ok":true}"#);
    assert_eq!(server.hits(), 2);
}

#[tokio::test]
async fn a_401_refreshes_credentials_through_the_hook_then_retries() {
    let server = serve(|n, _| match n {
        1 => Reply::new(401).json(&layered_error("expired")),
        2 => Reply::new(204),
        _ => Reply::new(599),
    })
    .await;
    let refreshed = Arc::new(AtomicU32::new(0));
    let seen = refreshed.clone();
    let http = with(
        RetryMiddleware::new(layer_policy())
            .sleeper(ManualClock::new())
            .reauthenticate(move |_| {
                seen.fetch_add(1, Ordering::SeqCst);
                Box::pin(async { Ok(()) })
            }),
    );
    let response = http.get(&server.url).send().await.unwrap();
    assert_eq!((response.status().as_u16(), server.hits()), (204, 2));
    assert_eq!(refreshed.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_refused_connection_is_retried_even_for_a_post_then_given_back() {
    let port = closed_port();
    let clock = ManualClock::new();
    let http = with(RetryMiddleware::new(layer_policy()).sleeper(clock.clone()));
    let error = http
        .post(format!("http://127.0.0.1:{port}/"))
        .send()
        .await
        .unwrap_err();
    assert!(error.is_connect(), "{error}");
    assert_eq!(clock.sleeps().len(), 2);
}

#[test]
fn debug_names_the_type_and_its_setup() {
    let shown = format!("{:?}", RetryMiddleware::<Layered>::new(layer_policy()));
    assert!(shown.starts_with("RetryMiddleware {"), "{shown}");
    assert!(shown.contains("reauthenticate: false"), "{shown}");
}

/// Behind the middleware, a throttle is learned once (by the executor that saw the
/// error), so an adaptive pacer is cut once per 503, as if it had been told by hand.
#[tokio::test]
async fn an_adaptive_pacer_behind_the_middleware_is_cut_once_per_throttle() {
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
    let r = PaceRequest::new();
    for i in 0..40 {
        let at = t0 + Duration::from_millis(i * 25);
        layered.reserve(&r, at);
        by_hand.reserve(&r, at);
    }
    BlockingSleeper::sleep(&clock, Duration::from_secs(1));
    let http =
        with(RetryMiddleware::new(layer_policy().pacer(layered.clone())).sleeper(clock.clone()));
    let response = http.get(&server.url).send().await.unwrap();
    assert_eq!((response.status().as_u16(), server.hits()), (200, 2));
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
        "cut once: {once}/s, behind the middleware: {seen}/s"
    );
    assert!(once < 40.0, "{once}");
}
