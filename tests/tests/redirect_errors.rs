//! Errors a spec documents at 3xx statuses (issue 18.13) are errors through every
//! HTTP integration: `reqwest::send`, the reqwest middleware, the tower layer and
//! tower's own `Retry` with `SpecPolicy`. A spec without 3xx entries lets them pass.
//! Against a scripted server on 127.0.0.1, waits on a manual clock.

mod common;

use std::sync::Mutex;

use api_errors::{ApiErrorKind, ManualClock, RequestError};
use bytes::Bytes;
use http_body_util::Full;
use tower::{Layer, Service, ServiceExt};

use common::{hyper_client, layer_policy, serve, Reply, Server};

#[api_errors::api_errors(spec = "specs/redirects.yaml")]
pub enum Redirects {}

/// A spec with no 3xx entries.
#[api_errors::api_errors(spec = "specs/unread.yaml")]
pub enum Plain {}

async fn scripted(replies: Vec<Reply>) -> Server {
    let replies = Mutex::new(replies.into_iter());
    serve(move |_, _| replies.lock().unwrap().next().unwrap_or(Reply::new(599))).await
}

#[test]
fn documented_3xx_statuses_are_error_statuses() {
    assert!(Redirects::is_error_status(300) && Redirects::is_error_status(399));
    assert!(!Redirects::is_error_status(301) && !Redirects::is_error_status(200));
    assert!(Redirects::is_error_status(404));
    assert!(!Plain::is_error_status(300) && Plain::is_error_status(400));
}

#[tokio::test]
async fn reqwest_send_returns_a_documented_300_as_its_error() {
    let body = r#"{"message":"3 contacts have this external id"}"#;
    let server = scripted(vec![Reply::new(300).json(body)]).await;
    let got = api_errors::reqwest::send::<Redirects>(reqwest::Client::new().get(&server.url)).await;
    match got {
        Err(RequestError::Api(e)) => {
            assert_eq!(e.kind(), Redirects::SeveralMatches);
            assert_eq!(e.message(), Some("3 contacts have this external id"));
        }
        other => panic!("expected the 300 as an error, got {other:?}"),
    }
    // Under a spec that documents none, a 300 is the caller's to handle.
    let server = scripted(vec![Reply::new(300).json(body)]).await;
    let got = api_errors::reqwest::send::<Plain>(reqwest::Client::new().get(&server.url)).await;
    assert_eq!(got.unwrap().status(), 300);
}

#[tokio::test]
async fn the_middleware_retries_a_retryable_3xx() {
    for (retried, hits, last) in [(true, 3, 200), (false, 1, 399)] {
        let server = scripted(vec![Reply::new(399), Reply::new(399), Reply::new(200)]).await;
        let clock = ManualClock::new();
        let builder = reqwest_middleware::ClientBuilder::new(reqwest::Client::new());
        let client = if retried {
            builder.with(
                api_errors::reqwest_middleware::RetryMiddleware::<Redirects>::new(layer_policy())
                    .sleeper(clock.clone()),
            )
        } else {
            builder.with(
                api_errors::reqwest_middleware::RetryMiddleware::<Plain>::new(layer_policy())
                    .sleeper(clock.clone()),
            )
        }
        .build();
        let response = client.get(&server.url).send().await.unwrap();
        assert_eq!((response.status().as_u16(), server.hits()), (last, hits));
        assert_eq!(clock.sleeps().len(), hits - 1);
    }
}

#[tokio::test]
async fn the_tower_layer_and_towers_retry_retry_a_retryable_3xx() {
    let server = scripted(vec![Reply::new(399), Reply::new(200)]).await;
    let clock = ManualClock::new();
    let mut service = api_errors::tower::RetryLayer::<Redirects>::new(layer_policy())
        .sleeper(clock.clone())
        .layer(hyper_client());
    let request = http::Request::get(&server.url)
        .body(Full::new(Bytes::new()))
        .unwrap();
    let response = service.ready().await.unwrap().call(request).await.unwrap();
    assert_eq!((response.status().as_u16(), server.hits()), (200, 2));

    let server = scripted(vec![Reply::new(399), Reply::new(200)]).await;
    let policy = api_errors::tower_retry::SpecPolicy::<Redirects>::new(layer_policy())
        .sleeper(ManualClock::new());
    let mut service = tower::retry::Retry::new(policy, hyper_client());
    let request = http::Request::get(&server.url)
        .body(Full::new(Bytes::new()))
        .unwrap();
    let response = service.ready().await.unwrap().call(request).await.unwrap();
    assert_eq!((response.status().as_u16(), server.hits()), (200, 2));
}
