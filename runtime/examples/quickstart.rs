//! The whole story against an HTTP server on 127.0.0.1 that this example starts:
//! typed errors from Attraqt's error page (its spec ships inside the crate), their
//! documented meaning and advice, the retries the page allows (refresh the token on
//! 401, honour `Retry-After` on 429, back off on 503) with their waits, and the final
//! result; then an error that must not be retried.
//!
//! Run: `cargo run --example quickstart`

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use api_errors::{api_errors, ApiError, RetryPolicy};

#[path = "shared/http.rs"]
mod http;

/// Errors of Attraqt's Items API, from the bundled spec.
#[api_errors(vendor = "attraqt")]
pub enum Attraqt {}

/// A stand-in for Attraqt: 401 until the token is fresh, then 429 (Retry-After: 1),
/// then 503, then 200. A PUT of a bad item gets 400.
fn server() -> std::io::Result<String> {
    let hits = AtomicU32::new(0);
    http::serve(move |method, headers| {
        let json = |status: u16, body: &str, extra: &[(&str, &str)]| http::Response {
            status,
            headers: extra
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .chain([("content-type".into(), "application/json".into())])
                .collect(),
            body: body.as_bytes().to_vec(),
        };
        if method == "PUT" {
            return json(
                400,
                r#"{"code": 1002, "message": "item.price must be a number", "details": []}"#,
                &[],
            );
        }
        let fresh = headers
            .iter()
            .any(|(n, v)| n == "authorization" && v == "Bearer fresh-token");
        if !fresh {
            return json(
                401,
                r#"{"code": 1001, "message": "access token expired", "details": []}"#,
                &[],
            );
        }
        match hits.fetch_add(1, Ordering::SeqCst) {
            0 => json(
                429,
                r#"{"code": 1029, "message": "slow down", "details": []}"#,
                &[("retry-after", "1")],
            ),
            1 => json(
                503,
                r#"{"code": 1503, "message": "scaling up", "details": []}"#,
                &[],
            ),
            _ => json(200, r#"{"items": 42}"#, &[]),
        }
    })
}

/// One call: a response of 400 or above becomes the spec's typed error.
fn call(addr: &str, method: &str, token: &str) -> Result<String, ApiError<Attraqt>> {
    let bearer = format!("Bearer {token}");
    let r = http::request(addr, method, "/items", &[("authorization", &bearer)])
        .expect("the local server answers");
    if r.status >= 400 {
        let headers: Vec<(&str, &str)> = r
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        return Err(ApiError::from_response(r.status, &headers[..], &r.body));
    }
    Ok(String::from_utf8_lossy(&r.body).into_owned())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let addr = server()?;
    let token = Mutex::new(String::from("stale-token"));
    let policy = RetryPolicy::default()
        .max_attempts(5)
        .backoff(Duration::from_millis(200), Duration::from_secs(2))
        .max_elapsed(Duration::from_secs(30));

    println!("GET http://{addr}/items");
    let done = policy
        .retry(|| call(&addr, "GET", &token.lock().unwrap()))
        .notify(|ev| {
            let (e, kind) = (ev.error, ev.error.kind());
            println!("\nattempt {}: {kind:?} (HTTP {})", ev.attempt, e.status());
            println!("  meaning: {}", kind.message());
            println!("  advice:  {}", kind.advice().unwrap_or("-"));
            println!("  server:  {}", e.message().unwrap_or("-"));
            match ev.delay {
                Some(d) if d.is_zero() => println!("  -> retry at once"),
                Some(d) => println!("  -> retry in {}", http::human(d)),
                None => println!("  -> give up"),
            }
        })
        .reauthenticate(|_| {
            println!("  -> refreshed the access token");
            *token.lock().unwrap() = "fresh-token".into();
            Ok(())
        })
        .call_reported()?;
    println!(
        "\nattempt {}: HTTP 200 {}\nsucceeded after {} attempts, {} waited\n",
        done.attempts,
        done.value,
        done.attempts,
        http::human(done.waited)
    );

    println!("PUT http://{addr}/items (a bad item)\n");
    let err = policy
        .retry(|| call(&addr, "PUT", "fresh-token"))
        .call()
        .unwrap_err();
    let e = err.last_error().expect("the attempt returned");
    assert_eq!(e.kind(), Attraqt::BadRequest);
    println!("{e}");
    println!("  advice: {}", e.kind().advice().unwrap_or("-"));
    println!(
        "  app code {}; gave up after {} attempt: {}",
        e.code().unwrap_or("-"),
        err.attempts,
        err.reason
    );
    Ok(())
}
