//! `tower_retry::SpecPolicy` under tower's own `Retry` middleware: a hyper client
//! against a scripted server on 127.0.0.1, waits on a manual clock. The policy sees
//! statuses and headers only (tower asks before a body is read): where the spec tells
//! a status's errors apart by body, it takes the most cautious decision.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use api_errors::tower_retry::SpecPolicy;
use api_errors::{GiveUpKind, Idempotent, ManualClock, RetryBudget, TransportError};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use tower::retry::Retry;
use tower::{Service, ServiceBuilder, ServiceExt};

use common::{closed_port, layer_policy, layered_error, serve, tower_service_fn, Reply, Server};

#[api_errors::api_errors(spec = "specs/unread.yaml")]
pub enum Unread {}

/// What the callback saw: (attempt, delay, why it gave up).
type Seen = Arc<Mutex<Vec<(u32, Option<Duration>, Option<GiveUpKind>)>>>;

fn policy(clock: &ManualClock, seen: &Seen) -> SpecPolicy<Unread, ManualClock> {
    let seen = seen.clone();
    SpecPolicy::<Unread>::new(layer_policy())
        .sleeper(clock.clone())
        .on_retry(move |ev| {
            let give_up = ev.give_up.map(|g| g.kind());
            seen.lock().unwrap().push((ev.attempt, ev.delay, give_up));
        })
}

/// Sends one request to `url` through `Retry<SpecPolicy, hyper client>`: the status
/// and body of what came back.
async fn send(
    policy: SpecPolicy<Unread, ManualClock>,
    url: &str,
    request: http::request::Builder,
) -> Result<(u16, String), hyper_util::client::legacy::Error> {
    let client = Client::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
    let mut service = Retry::new(policy, client);
    let request = request
        .uri(url)
        .body(Full::new(Bytes::from_static(b"{}")))
        .unwrap();
    let response = service.ready().await?.call(request).await?;
    let status = response.status().as_u16();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    Ok((status, String::from_utf8_lossy(&body).into_owned()))
}

async fn scripted(replies: Vec<Reply>) -> Server {
    let replies = Mutex::new(replies.into_iter());
    serve(move |_, _| replies.lock().unwrap().next().unwrap_or(Reply::new(599))).await
}

#[tokio::test]
async fn retries_what_the_spec_retries_on_its_schedule_and_passes_the_success_through() {
    let server = scripted(vec![
        Reply::new(503).json(&layered_error("busy")),
        Reply::new(504),
        Reply::new(200).json(r#"{"id":1}"#),
    ])
    .await;
    let (clock, seen) = (ManualClock::new(), Seen::default());
    let got = send(policy(&clock, &seen), &server.url, http::Request::post("/")).await;
    assert_eq!(got.unwrap(), (200, r#"{"id":1}"#.to_owned()));
    assert_eq!(server.hits(), 3);
    // 503: the policy's backoff (1 s, no jitter); 504: the vendor's fixed 2 s.
    let waits = [Duration::from_secs(1), Duration::from_secs(2)];
    assert_eq!(clock.sleeps(), waits);
    let events = seen.lock().unwrap().clone();
    assert_eq!(
        events,
        [(1, Some(waits[0]), None), (2, Some(waits[1]), None)]
    );
}

#[tokio::test]
async fn waits_as_long_as_the_server_says() {
    let server = scripted(vec![
        Reply::new(503).header("retry-after", "7"),
        Reply::new(204),
    ])
    .await;
    let (clock, seen) = (ManualClock::new(), Seen::default());
    let got = send(policy(&clock, &seen), &server.url, http::Request::get("/")).await;
    assert_eq!(got.unwrap().0, 204);
    assert_eq!(clock.sleeps(), [Duration::from_secs(7)]);
}

#[tokio::test]
async fn a_status_whose_body_could_name_a_never_retried_error_is_not_retried() {
    // 429 is a rate limit (retried after Retry-After) or a spent quota (never): the
    // body says which, and the policy cannot read it. The response comes back whole.
    let quota = layered_error("quota_exceeded");
    let server = scripted(vec![
        Reply::new(429).header("retry-after", "1").json(&quota),
        Reply::new(200),
    ])
    .await;
    let (clock, seen) = (ManualClock::new(), Seen::default());
    let got = send(policy(&clock, &seen), &server.url, http::Request::get("/")).await;
    assert_eq!(got.unwrap(), (429, quota));
    assert_eq!(server.hits(), 1);
    assert!(clock.sleeps().is_empty());
    let events = seen.lock().unwrap().clone();
    assert_eq!(events, [(1, None, Some(GiveUpKind::NotRetryable))]);
}

#[tokio::test]
async fn a_status_whose_body_could_name_an_idempotent_only_error_needs_an_idempotent_request() {
    // 502 is retried with backoff (the primary entry) or only when idempotent.
    for (request, hits) in [
        (http::Request::post("/"), 1),
        (http::Request::get("/"), 2),
        (http::Request::post("/").extension(Idempotent::YES), 2),
    ] {
        let server = scripted(vec![Reply::new(502), Reply::new(200)]).await;
        let (clock, seen) = (ManualClock::new(), Seen::default());
        let got = send(policy(&clock, &seen), &server.url, request).await;
        assert_eq!(got.unwrap().0, if hits == 1 { 502 } else { 200 });
        assert_eq!(server.hits(), hits);
    }
}

#[tokio::test]
async fn a_header_condition_decides_without_the_body() {
    // 403 with `x-ratelimit-remaining: 0` is the spent rate limit whatever the body
    // says: retried after Retry-After. Without the header, the body could name a
    // secondary limit (retried) or a permission error (never): not retried.
    let server = scripted(vec![
        Reply::new(403)
            .header("x-ratelimit-remaining", "0")
            .header("retry-after", "3"),
        Reply::new(200),
    ])
    .await;
    let (clock, seen) = (ManualClock::new(), Seen::default());
    let got = send(policy(&clock, &seen), &server.url, http::Request::get("/")).await;
    assert_eq!(got.unwrap().0, 200);
    assert_eq!(clock.sleeps(), [Duration::from_secs(3)]);

    let server = scripted(vec![
        Reply::new(403).header("x-ratelimit-remaining", "4"),
        Reply::new(200),
    ])
    .await;
    let (clock, seen) = (ManualClock::new(), Seen::default());
    let got = send(policy(&clock, &seen), &server.url, http::Request::get("/")).await;
    assert_eq!(got.unwrap().0, 403);
    assert_eq!(server.hits(), 1);
    assert!(clock.sleeps().is_empty());
}

#[tokio::test]
async fn a_status_range_is_retried_like_its_entry() {
    // 523 is listed by no entry of its own: the `520-529` range retries it.
    let server = scripted(vec![Reply::new(523), Reply::new(200)]).await;
    let (clock, seen) = (ManualClock::new(), Seen::default());
    let got = send(policy(&clock, &seen), &server.url, http::Request::post("/")).await;
    assert_eq!(got.unwrap().0, 200);
    assert_eq!(server.hits(), 2);
    assert_eq!(clock.sleeps(), [Duration::from_secs(1)]);
}

#[tokio::test]
async fn never_and_reauthenticate_errors_come_back_at_once() {
    for (status, why) in [
        (404, GiveUpKind::NotRetryable),
        (401, GiveUpKind::NoReauthenticator),
    ] {
        let server = scripted(vec![Reply::new(status), Reply::new(200)]).await;
        let (clock, seen) = (ManualClock::new(), Seen::default());
        let got = send(policy(&clock, &seen), &server.url, http::Request::get("/")).await;
        assert_eq!(got.unwrap().0, status);
        assert_eq!(server.hits(), 1);
        assert_eq!(seen.lock().unwrap().clone(), [(1, None, Some(why))]);
    }
}

#[tokio::test]
async fn gives_up_after_max_attempts_with_the_last_response() {
    let server = scripted(vec![Reply::new(503), Reply::new(503), Reply::new(503)]).await;
    let (clock, seen) = (ManualClock::new(), Seen::default());
    let got = send(policy(&clock, &seen), &server.url, http::Request::get("/")).await;
    assert_eq!(got.unwrap().0, 503);
    assert_eq!(server.hits(), 3);
    let last = seen.lock().unwrap().last().copied();
    assert_eq!(last, Some((3, None, Some(GiveUpKind::AttemptsExhausted))));
}

#[tokio::test]
async fn each_request_has_its_own_attempts() {
    // One service, two requests in turn: the second gets its three attempts too.
    let server = scripted(vec![
        Reply::new(503),
        Reply::new(503),
        Reply::new(200),
        Reply::new(503),
        Reply::new(503),
        Reply::new(201),
    ])
    .await;
    let (clock, seen) = (ManualClock::new(), Seen::default());
    let client = Client::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
    let mut service = Retry::new(policy(&clock, &seen), client);
    for expected in [200, 201] {
        let request = http::Request::get(&server.url)
            .body(Full::new(Bytes::new()))
            .unwrap();
        let response = service.ready().await.unwrap().call(request).await.unwrap();
        assert_eq!(response.status().as_u16(), expected);
    }
    assert_eq!(server.hits(), 6);
    let attempts: Vec<u32> = seen.lock().unwrap().iter().map(|e| e.0).collect();
    assert_eq!(attempts, [1, 2, 1, 2]);
}

#[tokio::test]
async fn a_wait_past_the_deadline_is_not_made() {
    let server = scripted(vec![
        Reply::new(503).header("retry-after", "10"),
        Reply::new(200),
    ])
    .await;
    let (clock, seen) = (ManualClock::new(), Seen::default());
    let policy = SpecPolicy::<Unread>::new(layer_policy().max_elapsed(Duration::from_secs(5)))
        .sleeper(clock.clone())
        .on_retry({
            let seen = seen.clone();
            move |ev| {
                seen.lock()
                    .unwrap()
                    .push((ev.attempt, ev.delay, ev.give_up.map(|g| g.kind())))
            }
        });
    let got = send(policy, &server.url, http::Request::get("/")).await;
    assert_eq!(got.unwrap().0, 503);
    assert_eq!(server.hits(), 1);
    assert_eq!(
        seen.lock().unwrap().clone(),
        [(1, None, Some(GiveUpKind::Deadline))]
    );
}

#[tokio::test]
async fn the_budget_is_shared_by_every_request() {
    // Three tokens: a retry is made while the bucket holds more than 1.5. The first
    // request fails twice (3 -> 2, retried; 2 -> 1, not); the second request finds
    // the bucket low and is not retried either. Budgets of their own would have let
    // it retry.
    let server = scripted(vec![
        Reply::new(503),
        Reply::new(503),
        Reply::new(503),
        Reply::new(200),
    ])
    .await;
    let clock = ManualClock::new();
    let retry_policy = layer_policy().budget(RetryBudget::new(3, 0.0));
    let policy = SpecPolicy::<Unread>::new(retry_policy).sleeper(clock.clone());
    let client = Client::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
    let mut service = Retry::new(policy, client);
    for _ in 0..2 {
        let request = http::Request::get(&server.url)
            .body(Full::new(Bytes::new()))
            .unwrap();
        let response = service.ready().await.unwrap().call(request).await.unwrap();
        assert_eq!(response.status().as_u16(), 503);
    }
    assert_eq!(server.hits(), 3);
    assert_eq!(clock.sleeps().len(), 1);
}

#[tokio::test]
async fn a_refused_connection_is_retried_and_its_error_given_back() {
    let (clock, seen) = (ManualClock::new(), Seen::default());
    let url = format!("http://127.0.0.1:{}/", closed_port());
    let got = send(policy(&clock, &seen), &url, http::Request::post("/")).await;
    let error = got.unwrap_err();
    assert!(error.is_connect(), "{error:?}");
    // Connect failures never reached the server: retried even for a POST.
    let attempts: Vec<u32> = seen.lock().unwrap().iter().map(|e| e.0).collect();
    assert_eq!(attempts, [1, 2, 3]);
    assert_eq!(clock.sleeps().len(), 2);
}

#[tokio::test(start_paused = true)]
async fn a_boxed_error_stack_classifies_towers_timeout() {
    // `ServiceBuilder`: retry, then `map_err(TransportError::from_boxed)` over tower's
    // timeout (whose error is boxed). The spec retries timeouts with backoff; the
    // first attempt never answers, the second does. In-process: tokio's paused
    // clock runs the timeout.
    let calls = Arc::new(Mutex::new(0u32));
    let counter = calls.clone();
    let slow_then_fine = tower_service_fn(move |_req: http::Request<String>| {
        let n = {
            let mut c = counter.lock().unwrap();
            *c += 1;
            *c
        };
        async move {
            if n == 1 {
                std::future::pending::<()>().await;
            }
            Ok::<_, std::io::Error>(http::Response::new(String::from("ok")))
        }
    });
    let (clock, seen) = (ManualClock::new(), Seen::default());
    let mut service = ServiceBuilder::new()
        .retry(policy(&clock, &seen))
        .map_err(TransportError::from_boxed)
        .timeout(Duration::from_secs(30))
        .service(slow_then_fine);
    let request = http::Request::post("http://127.0.0.1/")
        .body(String::new())
        .unwrap();
    let response = service.ready().await.unwrap().call(request).await.unwrap();
    assert_eq!(response.body(), "ok");
    assert_eq!(*calls.lock().unwrap(), 2);
    assert_eq!(
        seen.lock().unwrap().clone(),
        [(1, Some(Duration::from_secs(1)), None)]
    );
}

#[test]
fn a_boxed_error_keeps_its_kind() {
    use api_errors::TransportKind;
    let refused = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
    let boxed: api_errors::BoxError = Box::new(refused);
    assert_eq!(TransportError::from(boxed).kind(), TransportKind::Connect);
    let already: api_errors::BoxError = Box::new(TransportError::new(TransportKind::Reset, "cut"));
    assert_eq!(TransportError::from(already).kind(), TransportKind::Reset);
    let other: api_errors::BoxError = "no idea".into();
    assert_eq!(TransportError::from(other).kind(), TransportKind::Other);
}
