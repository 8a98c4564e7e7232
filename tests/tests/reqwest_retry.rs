//! `reqwest_retry::SpecStrategy` under reqwest-retry's `RetryTransientMiddleware`,
//! against a scripted server on 127.0.0.1. The middleware's own schedule waits (a
//! millisecond here); the strategy says what is transient: what the spec retries,
//! except what must wait as the server or the vendor says (the middleware cannot).

mod common;

use std::sync::Mutex;
use std::time::Duration;

use api_errors::reqwest_retry::SpecStrategy;
use api_errors::RetryBudget;
use reqwest_retry::policies::ExponentialBackoff;
use reqwest_retry::{RetryTransientMiddleware, Retryable, RetryableStrategy};

use common::{closed_port, layered_error, serve, Reply, Server};

#[api_errors::api_errors(spec = "specs/unread.yaml")]
pub enum Unread {}

fn client(strategy: SpecStrategy<Unread>) -> reqwest_middleware::ClientWithMiddleware {
    let backoff = ExponentialBackoff::builder()
        .retry_bounds(Duration::from_millis(1), Duration::from_millis(2))
        .build_with_max_retries(2);
    let retry = RetryTransientMiddleware::new_with_policy_and_strategy(backoff, strategy);
    reqwest_middleware::ClientBuilder::new(common::client())
        .with(retry)
        .build()
}

async fn scripted(replies: Vec<Reply>) -> Server {
    let replies = Mutex::new(replies.into_iter());
    serve(move |_, _| replies.lock().unwrap().next().unwrap_or(Reply::new(599))).await
}

/// A POST through the middleware: the status that came back, and the server's hits.
async fn post(strategy: SpecStrategy<Unread>, replies: Vec<Reply>) -> (u16, usize) {
    let server = scripted(replies).await;
    let response = client(strategy).post(&server.url).body("{}").send().await;
    (response.unwrap().status().as_u16(), server.hits())
}

fn strategy() -> SpecStrategy<Unread> {
    SpecStrategy::new().without_budget()
}

#[tokio::test]
async fn what_the_spec_retries_with_backoff_is_transient() {
    let got = post(strategy(), vec![Reply::new(503), Reply::new(200)]).await;
    assert_eq!(got, (200, 2));
    let got = post(
        strategy(),
        vec![Reply::new(503), Reply::new(503), Reply::new(503)],
    )
    .await;
    assert_eq!(
        got,
        (503, 3),
        "the middleware's two retries, then the last response"
    );
}

#[tokio::test]
async fn what_the_spec_never_retries_comes_back_at_once() {
    for status in [400, 401, 404] {
        let got = post(strategy(), vec![Reply::new(status), Reply::new(200)]).await;
        assert_eq!(got, (status, 1));
    }
}

#[tokio::test]
async fn a_status_whose_body_could_name_a_never_retried_error_is_fatal() {
    // 429: a rate limit (retried) or a spent quota (never); the body is not read.
    let quota = Reply::new(429).json(&layered_error("quota_exceeded"));
    let got = post(strategy(), vec![quota, Reply::new(200)]).await;
    assert_eq!(got, (429, 1));
}

#[tokio::test]
async fn an_error_that_must_wait_is_left_to_the_caller() {
    // The middleware would retry in a millisecond: the server asked for 1 s, and the
    // vendor's 504 entry demands 2 s.
    let stated = Reply::new(503).header("retry-after", "1");
    assert_eq!(
        post(strategy(), vec![stated, Reply::new(200)]).await,
        (503, 1)
    );
    assert_eq!(
        post(strategy(), vec![Reply::new(504), Reply::new(200)]).await,
        (504, 1)
    );
}

#[tokio::test]
async fn idempotent_only_errors_are_transient_for_an_idempotent_client() {
    assert_eq!(
        post(strategy(), vec![Reply::new(500), Reply::new(200)]).await,
        (500, 1)
    );
    let idempotent = strategy().idempotent(true);
    assert_eq!(
        post(idempotent, vec![Reply::new(500), Reply::new(200)]).await,
        (200, 2)
    );
    // 502 is retried always (its primary entry) or only when idempotent (by body).
    assert_eq!(
        post(strategy(), vec![Reply::new(502), Reply::new(200)]).await,
        (502, 1)
    );
    let idempotent = strategy().idempotent(true);
    assert_eq!(
        post(idempotent, vec![Reply::new(502), Reply::new(200)]).await,
        (200, 2)
    );
}

#[tokio::test]
async fn the_budget_is_shared_by_every_request() {
    // Three tokens: transient while the bucket holds more than 1.5. The first request
    // fails twice (3 -> 2, transient; 2 -> 1, not); the second is not retried.
    let server = scripted(vec![Reply::new(503), Reply::new(503), Reply::new(503)]).await;
    let client = client(SpecStrategy::new().budget(RetryBudget::new(3, 0.0)));
    for _ in 0..2 {
        let response = client.get(&server.url).send().await.unwrap();
        assert_eq!(response.status().as_u16(), 503);
    }
    assert_eq!(server.hits(), 3);
}

#[tokio::test]
async fn client_errors_are_classified() {
    let url = format!("http://127.0.0.1:{}/", closed_port());
    let refused = common::client().get(&url).send().await.unwrap_err();
    assert!(refused.is_connect());
    let refused = Err(reqwest_middleware::Error::Reqwest(refused));
    // The spec's transport rule: connect failures are retried with backoff.
    assert!(matches!(
        strategy().handle(&refused),
        Some(Retryable::Transient)
    ));
    // Another middleware's error, even one caused by a refused connection.
    let io = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
    let other = Err(reqwest_middleware::Error::middleware(io));
    assert!(matches!(strategy().handle(&other), Some(Retryable::Fatal)));
}

#[tokio::test]
async fn a_success_is_not_an_error() {
    let server = scripted(vec![Reply::new(204)]).await;
    let response = common::client().get(&server.url).send().await;
    assert!(strategy().handle(&response.map_err(Into::into)).is_none());
}
