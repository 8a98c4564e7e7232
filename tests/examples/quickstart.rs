//! The whole story against an embedded HTTP server on 127.0.0.1: typed errors from
//! Attraqt's error page, their documented meaning and advice, the retries the page
//! allows (refresh the token on 401, honour Retry-After on 429, back off on 503) with
//! their delays, and the final result; then an error that must not be retried.
//!
//! Run: `cargo run --example quickstart`

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use api_errors::reqwest::send;
use api_errors::{api_errors, RequestError, RetryPolicy};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;

/// Errors of Attraqt's Items API, generated from `specs/attraqt.yaml`.
#[api_errors(spec = "../specs/attraqt.yaml")]
pub enum AttraqtError {}

/// A stand-in for Attraqt: 401 until the token is fresh, then 429 (Retry-After: 1),
/// then 503, then 200. A PUT of a bad item gets 400.
async fn start_server() -> String {
    let hits = Arc::new(AtomicU32::new(0));
    let app = axum::Router::new().fallback(
        move |method: axum::http::Method, headers: HeaderMap| {
            let hits = hits.clone();
            async move {
                let json = [("content-type", "application/json")];
                if method == axum::http::Method::PUT {
                    let body = r#"{"code": 1002, "message": "item.price must be a number", "details": []}"#;
                    return (StatusCode::BAD_REQUEST, json, body).into_response();
                }
                let fresh = headers.get("authorization").is_some_and(|v| v == "Bearer fresh-token");
                if !fresh {
                    let body = r#"{"code": 1001, "message": "access token expired", "details": []}"#;
                    return (StatusCode::UNAUTHORIZED, json, body).into_response();
                }
                match hits.fetch_add(1, Ordering::SeqCst) {
                    0 => {
                        let body = r#"{"code": 1029, "message": "slow down", "details": []}"#;
                        let headers = [("content-type", "application/json"), ("retry-after", "1")];
                        (StatusCode::TOO_MANY_REQUESTS, headers, body).into_response()
                    }
                    1 => {
                        let body = r#"{"code": 1503, "message": "scaling up", "details": []}"#;
                        (StatusCode::SERVICE_UNAVAILABLE, json, body).into_response()
                    }
                    _ => (StatusCode::OK, json, r#"{"items": 42}"#).into_response(),
                }
            }
        },
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/items", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    url
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = start_server().await;
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()?;
    let token = Mutex::new(String::from("stale-token"));
    let policy = RetryPolicy::default()
        .max_attempts(5)
        .backoff(Duration::from_millis(200), Duration::from_secs(2))
        .max_elapsed(Duration::from_secs(30));

    println!("GET {url}");
    let response = policy
        .retry_async(|| {
            let bearer = format!("Bearer {}", token.lock().unwrap());
            send::<AttraqtError>(http.get(&url).header("authorization", bearer))
        })
        .notify(|ev| {
            if let RequestError::Api(e) = ev.error {
                let kind = e.kind();
                println!("\nattempt {}: {kind:?} (HTTP {})", ev.attempt, e.status());
                println!("  meaning: {}", kind.message());
                println!("  advice:  {}", kind.advice().unwrap_or("-"));
                println!("  server:  {}", e.message().unwrap_or("-"));
            } else {
                println!("\nattempt {}: {}", ev.attempt, ev.error);
            }
            match ev.delay {
                Some(d) if d.is_zero() => println!("  -> retry at once"),
                Some(d) => println!("  -> retry in {d:?}"),
                None => println!("  -> give up"),
            }
        })
        .reauthenticate(|_| {
            println!("  -> refreshed the access token");
            *token.lock().unwrap() = "fresh-token".into();
            async { Ok(()) }
        })
        .call_reported()
        .await?;
    println!(
        "\nattempt {}: HTTP {} {}\nsucceeded after {} attempts, {:?} waited\n",
        response.attempts,
        response.value.status(),
        response.value.text().await?,
        response.attempts,
        response.waited
    );

    println!("PUT {url} (a bad item)\n");
    let err = policy
        .retry_async(|| {
            send::<AttraqtError>(http.put(&url).header("authorization", "Bearer fresh-token"))
        })
        .call()
        .await
        .unwrap_err();
    if let Some(RequestError::Api(e)) = &err.error {
        match e.kind() {
            AttraqtError::BadRequest => {
                println!("{e}");
                println!("  advice: {}", e.kind().advice().unwrap_or("-"));
                println!(
                    "  app code {}; gave up after {} attempt: {}",
                    e.code().unwrap_or("-"),
                    err.attempts,
                    err.reason
                );
            }
            other => println!("unexpected: {other:?}"),
        }
    }
    Ok(())
}
