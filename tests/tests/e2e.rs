//! End to end: a real HTTP client (reqwest) against a real HTTP server (axum) on
//! 127.0.0.1, scripted to reproduce each seed vendor's documented failures. Waits
//! run on a `ManualClock`, so a 30-second wait costs nothing; requests are counted.

mod common;

use api_errors_tests::vendors::{Amperity, Amplemarket, AmplitudeBatch, Attraqt, Kleene};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use api_errors::reqwest::send;
use api_errors::{GiveUp, ManualClock, RequestError, RetryPolicy, TransportKind};
use common::{client, serve, Reply};

fn policy() -> RetryPolicy {
    RetryPolicy::default()
        .max_attempts(4)
        .backoff(Duration::from_millis(100), Duration::from_secs(2))
        .without_budget()
        .seed(11)
}

fn secs(s: u64) -> Duration {
    Duration::from_secs(s)
}

#[tokio::test]
async fn amplitude_batch_429_waits_30_s_then_succeeds() {
    let server = serve(|n, _| match n {
        1 => Reply::new(429),
        2 => Reply::new(200).json(r#"{"code":200,"events_ingested":1}"#),
        _ => Reply::new(599),
    })
    .await;
    let (http, clock) = (client(), ManualClock::new());
    let ok = policy()
        .retry_async(|| send::<AmplitudeBatch>(http.post(&server.url).body("{}")))
        .sleeper(&clock)
        .call_reported()
        .await
        .unwrap();
    assert_eq!(ok.value.status(), 200);
    assert_eq!((ok.attempts, server.hits()), (2, 2));
    assert_eq!(clock.sleeps(), [secs(30)]);
}

#[tokio::test]
async fn amplitude_batch_413_is_never_retried() {
    let server = serve(|_, _| Reply::new(413)).await;
    let http = client();
    let err = policy()
        .retry_async(|| send::<AmplitudeBatch>(http.post(&server.url).body("{}")))
        .sleeper(ManualClock::new())
        .call()
        .await
        .unwrap_err();
    assert_eq!(server.hits(), 1);
    assert!(matches!(err.reason, GiveUp::NotRetryable));
    let api = err.last_error().unwrap().api().unwrap();
    assert_eq!(api.kind(), AmplitudeBatch::PayloadTooLarge);
    assert!(api.to_string().contains("1MB"), "{api}");
}

#[tokio::test]
async fn amplitude_batch_500_is_retried_only_with_insert_id() {
    for with_insert_id in [false, true] {
        let server = serve(|n, _| {
            if n == 1 {
                Reply::new(500)
            } else {
                Reply::new(200)
            }
        })
        .await;
        let http = client();
        let body = if with_insert_id {
            r#"{"events":[{"event_type":"x","insert_id":"a1"}]}"#
        } else {
            r#"{"events":[{"event_type":"x"}]}"#
        };
        let result = policy()
            .retry_async(|| send::<AmplitudeBatch>(http.post(&server.url).body(body)))
            .idempotent(body.contains("insert_id"))
            .sleeper(ManualClock::new())
            .call()
            .await;
        if with_insert_id {
            assert_eq!(result.unwrap().status(), 200);
            assert_eq!(server.hits(), 2);
        } else {
            assert!(matches!(result.unwrap_err().reason, GiveUp::NotIdempotent));
            assert_eq!(server.hits(), 1);
        }
    }
}

#[tokio::test]
async fn amperity_503_backs_off_and_keeps_the_server_context() {
    let body = r#"{"status":503,"message":"Tenant is restarting","request_id":"1ab23456","trace_id":"1a2b3456789c","extra":{"new":true}}"#;
    let server = serve(move |n, _| {
        if n <= 2 {
            Reply::new(503).json(body)
        } else {
            Reply::new(200)
        }
    })
    .await;
    let (http, clock) = (client(), ManualClock::new());
    let seen = Mutex::new(Vec::new());
    let ok = policy()
        .retry_async(|| send::<Amperity>(http.get(&server.url)))
        .notify(|ev| {
            let api = ev.error.api().unwrap();
            seen.lock().unwrap().push((
                api.kind(),
                api.message().map(str::to_owned),
                api.request_id().map(str::to_owned),
                api.trace_id().map(str::to_owned),
            ));
        })
        .sleeper(&clock)
        .call_reported()
        .await
        .unwrap();
    assert_eq!((ok.attempts, server.hits()), (3, 3));
    let seen = seen.into_inner().unwrap();
    assert_eq!(seen.len(), 2);
    assert_eq!(
        seen[0],
        (
            Amperity::ServiceUnavailable,
            Some("Tenant is restarting".into()),
            Some("1ab23456".into()),
            Some("1a2b3456789c".into())
        )
    );
    let sleeps = clock.sleeps();
    assert_eq!(sleeps.len(), 2);
    assert!(
        sleeps[0] <= Duration::from_millis(100) && sleeps[1] <= Duration::from_millis(200),
        "{sleeps:?}"
    );
}

#[tokio::test]
async fn attraqt_retry_after_is_honoured_to_the_second() {
    let server = serve(|n, _| match n {
        1 => Reply::new(429)
            .header("retry-after", "2")
            .json(r#"{"code":4290,"message":"rate limited","details":[]}"#),
        2 => Reply::new(200),
        _ => Reply::new(599),
    })
    .await;
    let (http, clock) = (client(), ManualClock::new());
    let seen = Mutex::new(None);
    policy()
        .retry_async(|| send::<Attraqt>(http.get(&server.url)))
        .notify(|ev| {
            *seen.lock().unwrap() = ev
                .error
                .api()
                .map(|a| (a.code().map(str::to_owned), a.retry_after()))
        })
        .sleeper(&clock)
        .call()
        .await
        .unwrap();
    assert_eq!(clock.sleeps(), [secs(2)]);
    assert_eq!(server.hits(), 2);
    assert_eq!(
        seen.into_inner().unwrap(),
        Some((Some("4290".into()), Some(secs(2))))
    );
}

#[tokio::test]
async fn attraqt_retry_after_as_an_http_date() {
    let server = serve(|n, _| match n {
        1 => {
            let at = std::time::SystemTime::now() + secs(3);
            Reply::new(429).header("retry-after", httpdate::fmt_http_date(at))
        }
        2 => Reply::new(200),
        _ => Reply::new(599),
    })
    .await;
    let (http, clock) = (client(), ManualClock::new());
    policy()
        .retry_async(|| send::<Attraqt>(http.get(&server.url)))
        .sleeper(&clock)
        .call()
        .await
        .unwrap();
    let slept = clock.sleeps();
    // The date has whole seconds: the wait is 2 to 3 s from now.
    assert!(
        slept.len() == 1 && slept[0] > secs(1) && slept[0] <= secs(3),
        "{slept:?}"
    );
}

#[tokio::test]
async fn attraqt_401_refreshes_the_token_once_then_retries() {
    let server = serve(|n, headers| {
        let fresh = headers
            .get("authorization")
            .is_some_and(|v| v == "Bearer fresh");
        match (n, fresh) {
            (_, true) => Reply::new(200),
            (1, false) => {
                Reply::new(401).json(r#"{"code":401,"message":"token expired","details":[]}"#)
            }
            _ => Reply::new(599),
        }
    })
    .await;
    let http = client();
    let token = Arc::new(Mutex::new("stale".to_string()));
    let refreshes = Mutex::new(0);
    let ok = policy()
        .retry_async(|| {
            let bearer = format!("Bearer {}", token.lock().unwrap());
            send::<Attraqt>(http.get(&server.url).header("authorization", bearer))
        })
        .reauthenticate(|err| {
            assert_eq!(err.api().unwrap().kind(), Attraqt::Unauthorized);
            *refreshes.lock().unwrap() += 1;
            *token.lock().unwrap() = "fresh".into();
            async { Ok(()) }
        })
        .sleeper(ManualClock::new())
        .call_reported()
        .await
        .unwrap();
    assert_eq!(
        (ok.attempts, server.hits(), *refreshes.lock().unwrap()),
        (2, 2, 1)
    );
}

#[tokio::test]
async fn amplemarket_errors_array_surfaces_insufficient_credits() {
    let body = r#"{"_errors":[
        {"status":"402","code":"insufficient_credits","title":"Insufficient Credits","detail":"0 credits left","id":"e-1"},
        {"status":"400","code":"unsupported_value","title":"Unsupported Value","detail":"Number of emails exceeds 100000 limit","source":{"pointer":"/emails"}}
    ],"meta":{"new":"field"}}"#;
    let server = serve(move |_, _| Reply::new(402).json(body)).await;
    let http = client();
    let err = policy()
        .retry_async(|| send::<Amplemarket>(http.post(&server.url)))
        .sleeper(ManualClock::new())
        .call()
        .await
        .unwrap_err();
    assert_eq!(server.hits(), 1, "402 is not retried");
    let Some(RequestError::Api(api)) = err.error else {
        panic!("an API error")
    };
    assert_eq!(api.kind(), Amplemarket::InsufficientCredits);
    assert_eq!(api.code(), Some("insufficient_credits"));
    assert_eq!(api.message(), Some("0 credits left"));
    assert_eq!(api.errors().len(), 2);
    let second = &api.errors()[1];
    assert_eq!(second.code.as_deref(), Some("unsupported_value"));
    assert_eq!(
        second.source.as_ref().unwrap().pointer.as_deref(),
        Some("/emails")
    );
}

#[tokio::test]
async fn kleene_502_is_tried_again_later() {
    let server = serve(|n, _| {
        if n == 1 {
            Reply::new(502)
        } else {
            Reply::new(200)
        }
    })
    .await;
    let http = client();
    let ok = policy()
        .retry_async(|| send::<Kleene>(http.get(&server.url)))
        .sleeper(ManualClock::new())
        .call_reported()
        .await
        .unwrap();
    assert_eq!((ok.attempts, server.hits()), (2, 2));
}

#[tokio::test]
async fn refused_connections_are_retried_with_backoff() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    drop(listener); // nothing listens there now
    let (http, clock) = (client(), ManualClock::new());
    let err = policy()
        .retry_async(|| send::<Kleene>(http.get(&url)))
        .sleeper(&clock)
        .call()
        .await
        .unwrap_err();
    let Some(RequestError::Transport(t)) = &err.error else {
        panic!("a transport error: {err}")
    };
    assert_eq!(t.kind(), TransportKind::Connect);
    assert_eq!(err.attempts, 4);
    assert_eq!(clock.sleeps().len(), 3);
}

#[tokio::test]
async fn timeouts_follow_the_spec_transport_guidance() {
    // A server that answers after 300 ms, and a client that waits 100 ms.
    let app = axum::Router::new().fallback(|| async {
        tokio::time::sleep(Duration::from_millis(300)).await;
        "late"
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    let http = reqwest::Client::builder()
        .timeout(Duration::from_millis(100))
        .build()
        .unwrap();

    // Attraqt's page says to retry timeouts.
    let err = policy()
        .max_attempts(2)
        .retry_async(|| send::<Attraqt>(http.get(&url)))
        .sleeper(ManualClock::new())
        .call()
        .await
        .unwrap_err();
    assert!(
        matches!(&err.error, Some(RequestError::Transport(t)) if t.kind() == TransportKind::Timeout)
    );
    assert!(
        matches!(err.reason, GiveUp::AttemptsExhausted),
        "{:?}",
        err.reason
    );

    // Kleene's says nothing: a timed-out request is retried only if idempotent.
    let err = policy()
        .retry_async(|| send::<Kleene>(http.post(&url)))
        .sleeper(ManualClock::new())
        .call()
        .await
        .unwrap_err();
    assert!(
        matches!(err.reason, GiveUp::NotIdempotent),
        "{:?}",
        err.reason
    );
    assert_eq!(err.attempts, 1);
}

#[tokio::test]
async fn reset_connections_are_retried_when_idempotent() {
    // A server that accepts each connection and closes it before answering (bounded).
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    tokio::spawn(async move {
        for _ in 0..8 {
            let Ok((socket, _)) = listener.accept().await else {
                return;
            };
            drop(socket);
        }
    });
    let http = client();
    let err = policy()
        .retry_async(|| send::<Kleene>(http.get(&url)))
        .idempotent(true)
        .sleeper(ManualClock::new())
        .call()
        .await
        .unwrap_err();
    let Some(RequestError::Transport(t)) = &err.error else {
        panic!("a transport error: {err}")
    };
    assert_eq!(t.kind(), TransportKind::Reset, "{t}");
    assert_eq!(err.attempts, 4, "retried: the request is idempotent");
    assert!(matches!(err.reason, GiveUp::AttemptsExhausted));
}
