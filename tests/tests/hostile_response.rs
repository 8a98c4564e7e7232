//! Responses are untrusted input: a body that stalls or trickles, a body that
//! parses but carries nothing declared, a code that contradicts the status, text
//! with control characters, an attempt that never ends. None may hang the caller,
//! lose what the server said, or decide a retry against the status.

use std::time::Duration;

use api_errors::reqwest::{check, check_with, BodyLimits};
use api_errors::{ApiError, GiveUp, ManualClock, RetryPolicy};
use api_errors_tests::vendors::{Amperity, Amplemarket};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A raw HTTP/1.1 server on 127.0.0.1 that answers one request with a 503 whose
/// declared body is 1,000 bytes, then sends `sent` of them at `every` intervals (or
/// nothing more, when `every` is `None`) and keeps the connection open.
async fn slow_body_server(sent: usize, every: Option<Duration>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut buf = [0u8; 4096];
        let _ = socket.read(&mut buf).await;
        let head = "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{\"message\":\"";
        socket.write_all(head.as_bytes()).await.unwrap();
        for _ in 0..sent {
            if let Some(d) = every {
                tokio::time::sleep(d).await;
            }
            if socket.write_all(b"x").await.is_err() {
                return;
            }
        }
        // Stall: hold the connection open, sending nothing, until the test ends.
        tokio::time::sleep(Duration::from_secs(24 * 3600)).await;
        drop(socket);
    });
    format!("http://{addr}/")
}

#[tokio::test(start_paused = true)]
async fn a_stalled_error_body_does_not_hang_check() {
    let url = slow_body_server(0, None).await;
    let started = tokio::time::Instant::now();
    let response = reqwest::get(&url).await.unwrap();
    let err = check::<Amperity>(response).await.unwrap_err();
    assert_eq!(err.status(), 503);
    assert_eq!(err.kind(), Amperity::ServiceUnavailable);
    // What did arrive is kept (the body is cut, so not decoded: a snippet).
    assert_eq!(err.body_snippet(), Some("{\"message\":\""));
    let took = started.elapsed();
    assert!(
        took >= Duration::from_secs(10) && took < Duration::from_secs(11),
        "{took:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_trickling_error_body_is_cut_at_the_configured_time() {
    // One byte a second for 1,000 seconds: the bound is on the whole read, not
    // on each chunk.
    let url = slow_body_server(1000, Some(Duration::from_secs(1))).await;
    let started = tokio::time::Instant::now();
    let response = reqwest::get(&url).await.unwrap();
    let limits = BodyLimits::default().timeout(Duration::from_secs(3));
    let err = check_with::<Amperity>(response, limits).await.unwrap_err();
    assert_eq!(err.kind(), Amperity::ServiceUnavailable);
    let took = started.elapsed();
    assert!(took < Duration::from_secs(4), "{took:?}");
    let kept = err.body_snippet().unwrap();
    assert!(kept.starts_with("{\"message\":\"xx"), "{kept}");
}

#[test]
fn a_body_without_any_declared_member_is_kept_as_a_snippet() {
    for body in [
        r#"{"error":"quota exceeded"}"#,
        r#"{"message":{"en":"localised text"}}"#,
    ] {
        let e = ApiError::<Amperity>::from_response(429, &(), body.as_bytes());
        assert_eq!(e.message(), None);
        assert_eq!(
            e.body_snippet(),
            Some(body),
            "nothing the server said is lost"
        );
    }
    // When a declared member was read, no snippet is needed.
    let e = ApiError::<Amperity>::from_response(429, &(), br#"{"message":"slow down"}"#);
    assert_eq!((e.message(), e.body_snippet()), (Some("slow down"), None));
}

fn jsonapi(code: &str) -> String {
    format!(r#"{{"_errors":[{{"code":"{code}","detail":"d"}}]}}"#)
}

#[test]
fn a_body_code_picks_the_entry_only_with_its_documented_status() {
    // internal_server_error is documented with 500: on a 400 the status decides.
    let e = ApiError::<Amplemarket>::from_response(
        400,
        &(),
        jsonapi("internal_server_error").as_bytes(),
    );
    assert_eq!(e.kind().status(), 400);
    assert!(!e.kind().is_retryable());
    assert_eq!(
        e.code(),
        Some("internal_server_error"),
        "the code is still kept"
    );
    // insufficient_credits is documented with 402: a 503 carrying it is a 503.
    let e = ApiError::<Amplemarket>::from_response(
        503,
        &(),
        jsonapi("insufficient_credits").as_bytes(),
    );
    assert_eq!(e.kind(), Amplemarket::from_status(503));
    assert!(e.kind().is_retryable());
    // With its own status, the code decides.
    let e = ApiError::<Amplemarket>::from_response(
        402,
        &(),
        jsonapi("insufficient_credits").as_bytes(),
    );
    assert_eq!(e.kind(), Amplemarket::InsufficientCredits);
}

#[test]
fn a_contradicting_code_is_retried_as_its_status_says() {
    let policy = RetryPolicy::default().without_budget();
    let run = |status: u16, code: &str| {
        let body = jsonapi(code);
        let clock = ManualClock::new();
        let err = policy
            .retry(|| {
                Err::<(), _>(ApiError::<Amplemarket>::from_response(
                    status,
                    &(),
                    body.as_bytes(),
                ))
            })
            .sleeper(clock)
            .call()
            .unwrap_err();
        (err.attempts, err.reason)
    };
    let (attempts, reason) = run(400, "internal_server_error");
    assert_eq!(
        attempts, 1,
        "a 400 is not retried, whatever code it carries"
    );
    assert!(matches!(reason, GiveUp::NotRetryable), "{reason:?}");
    let (attempts, reason) = run(503, "insufficient_credits");
    assert_eq!(attempts, 3, "a 503 is retried, whatever code it carries");
    assert!(matches!(reason, GiveUp::AttemptsExhausted), "{reason:?}");
}

#[test]
fn display_escapes_control_characters_in_server_text() {
    let body =
        br#"{"message":"line one\nFAKE LOG LINE \u001b[31mred\u0007","request_id":"id\r\n"}"#;
    let e = ApiError::<Amperity>::from_response(400, &(), body);
    assert_eq!(
        e.message(),
        Some("line one\nFAKE LOG LINE \u{1b}[31mred\u{7}"),
        "kept as sent"
    );
    let shown = e.to_string();
    assert!(!shown.chars().any(char::is_control), "{shown:?}");
    assert!(
        shown
            .ends_with(r"(server: line one\nFAKE LOG LINE \u{1b}[31mred\u{7}) [request_id id\r\n]"),
        "{shown}"
    );
}

#[tokio::test(start_paused = true)]
async fn the_async_deadline_cancels_a_stalled_attempt() {
    let policy = RetryPolicy::default().max_elapsed(Duration::from_secs(2));
    let started = tokio::time::Instant::now();
    let err = policy
        .retry_async(std::future::pending::<Result<(), ApiError<Amperity>>>)
        .call()
        .await
        .unwrap_err();
    assert_eq!(started.elapsed(), Duration::from_secs(2));
    assert!(
        matches!(err.reason, GiveUp::CancelledAtDeadline),
        "{:?}",
        err.reason
    );
    assert_eq!((err.attempts, err.error.is_none()), (1, true));
    assert!(
        err.to_string()
            .ends_with("(no attempt returned before the deadline)"),
        "{err}"
    );
}

#[tokio::test(start_paused = true)]
async fn the_async_deadline_bounds_slow_attempts_too() {
    // 9-second attempts under a 10-second deadline: before, the call ended after
    // 18 s (the deadline bounded only the waits).
    let policy = RetryPolicy::default()
        .without_budget()
        .backoff(Duration::from_millis(100), Duration::from_millis(100))
        .max_elapsed(Duration::from_secs(10));
    let started = tokio::time::Instant::now();
    let err = policy
        .retry_async(|| async {
            tokio::time::sleep(Duration::from_secs(9)).await;
            Err::<(), _>(ApiError::<Amperity>::new(Amperity::ServiceUnavailable, 503))
        })
        .call()
        .await
        .unwrap_err();
    assert_eq!(started.elapsed(), Duration::from_secs(10));
    assert_eq!(err.attempts, 2);
    assert!(matches!(err.reason, GiveUp::CancelledAtDeadline));
    assert_eq!(
        err.error.map(|e| e.status()),
        Some(503),
        "the first attempt's error"
    );
}

#[tokio::test(start_paused = true)]
async fn without_a_deadline_attempts_are_not_raced() {
    let policy = RetryPolicy::default();
    let done = policy
        .retry_async(|| async {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            Ok::<_, ApiError<Amperity>>("slow but fine")
        })
        .call()
        .await
        .unwrap();
    assert_eq!(done, "slow but fine");
}
