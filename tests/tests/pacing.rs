//! The pacer (issue 19): documented limits (a count per window, a least interval, a
//! concurrency), the live state the headers state (remaining, reset, bucket, global),
//! adaptive pacing, bounds under hostile servers; then end to end through the
//! executor, the reqwest middleware and the tower layer against servers on 127.0.0.1
//! that enforce their limits on the same virtual clock.

mod common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use api_errors::{
    ApiError, BlockingSleeper, DocumentedLimit, GiveUp, HoldReason, ManualClock, PaceKey,
    PaceRequest, Pacer, Per, RateHeaders, Requests, RetryPolicy, VendorLimits, WaitFormat,
};
use common::{serve, Reply, Server};

#[api_errors::api_errors(vendor = "amplitude", api = "batch")]
pub enum Amplitude {}

#[api_errors::api_errors(vendor = "github")]
pub enum GitHub {}

#[api_errors::api_errors(vendor = "discord")]
pub enum Discord {}

#[api_errors::api_errors(vendor = "openai")]
pub enum OpenAi {}

const S: fn(u64) -> Duration = Duration::from_secs;
const MS: fn(u64) -> Duration = Duration::from_millis;

fn waits(pacer: &Pacer, request: PaceRequest<'_>, n: usize, now: Instant) -> Vec<Duration> {
    (0..n).map(|_| pacer.reserve(&request, now).wait).collect()
}

#[test]
fn a_count_per_window_lets_a_burst_through_then_spaces_the_rest_in_order() {
    static LIMITS: [DocumentedLimit; 1] = [DocumentedLimit::count(3, Duration::from_secs(1))];
    let pacer = Pacer::new(VendorLimits::new(&LIMITS, RateHeaders::NONE));
    let now = Instant::now();
    // Three at once, then one every third of a second, each behind the last (FIFO).
    let w = waits(&pacer, PaceRequest::new(), 6, now);
    assert_eq!(w[..3], [Duration::ZERO; 3]);
    for (k, d) in w[3..].iter().enumerate() {
        let want = Duration::from_nanos(333_333_333 * (k as u64 + 1));
        assert!(d.abs_diff(want) < Duration::from_micros(1), "{w:?}");
    }
    assert!(
        w.windows(2).all(|p| p[0] <= p[1]),
        "released in order: {w:?}"
    );
    // A second later the burst is back.
    assert_eq!(
        pacer.reserve(&PaceRequest::new(), now + S(3)).wait,
        Duration::ZERO
    );
}

#[test]
fn amplitudes_per_user_limit_counts_events_per_caller() {
    let pacer = Pacer::for_vendor::<Amplitude>();
    let now = Instant::now();
    let batch = |user| PaceRequest::new().caller(user).cost(5).write(true);
    assert_eq!(
        waits(&pacer, batch("u1"), 4, now),
        [Duration::ZERO, Duration::ZERO, MS(500), S(1)]
    );
    assert_eq!(pacer.reserve(&batch("u2"), now).wait, Duration::ZERO);
}

#[test]
fn an_interval_for_writes_leaves_reads_alone() {
    let pacer = Pacer::for_vendor::<GitHub>();
    let now = Instant::now();
    let write = PaceRequest::new().method("POST");
    let read = PaceRequest::new().method("GET");
    assert_eq!(waits(&pacer, write, 3, now), [Duration::ZERO, S(1), S(2)]);
    let hold = pacer.reserve(&write, now);
    assert_eq!((hold.wait, hold.reason), (S(3), Some(HoldReason::Interval)));
    assert_eq!(waits(&pacer, read, 5, now), [Duration::ZERO; 5]);
}

#[test]
fn the_servers_remaining_count_and_reset_win_over_the_documented_guess() {
    let pacer = Pacer::for_vendor::<OpenAi>();
    let now = Instant::now();
    let r = PaceRequest::new();
    // Nothing known: no hold.
    assert_eq!(pacer.reserve(&r, now).wait, Duration::ZERO);
    // The server: 2 left, the window resets in 6 s.
    let headers = [
        ("x-ratelimit-remaining-requests", "2"),
        ("x-ratelimit-limit-requests", "3"),
        ("x-ratelimit-reset-requests", "6s"),
    ];
    pacer.observe(&r, 200, &headers[..], now, SystemTime::now());
    assert_eq!(pacer.key_state("", now).remaining, Some(2));
    let w = waits(&pacer, r, 6, now);
    // Two now; the next three in the next window, the one after in the window after.
    assert_eq!(w, [Duration::ZERO, Duration::ZERO, S(6), S(6), S(6), S(12)]);
    let hold = pacer.reserve(&r, now);
    assert_eq!(hold.reason, Some(HoldReason::Spent));
}

#[test]
fn a_global_429_holds_every_route() {
    let pacer = Pacer::for_vendor::<Discord>();
    let now = Instant::now();
    let a = PaceRequest::new().route("POST /channels/1/messages");
    let b = PaceRequest::new().route("GET /guilds/2");
    pacer.observe(
        &a,
        429,
        &[("x-ratelimit-global", "true"), ("retry-after", "4")][..],
        now,
        SystemTime::now(),
    );
    let hold = pacer.reserve(&b, now);
    assert_eq!((hold.wait, hold.reason), (S(4), Some(HoldReason::Global)));
    assert_eq!(pacer.reserve(&b, now + S(4)).wait, Duration::ZERO);
}

#[test]
fn routes_that_share_a_bucket_share_its_state() {
    let pacer = Pacer::for_vendor::<Discord>();
    let now = Instant::now();
    let a = PaceRequest::new().route("PATCH /channels/1");
    let b = PaceRequest::new().route("PUT /channels/1/permissions/9");
    let c = PaceRequest::new().route("GET /users/@me");
    let spent = |bucket| {
        [
            ("x-ratelimit-bucket", bucket),
            ("x-ratelimit-remaining", "0"),
            ("x-ratelimit-limit", "2"),
            ("x-ratelimit-reset-after", "5"),
        ]
    };
    pacer.observe(&a, 200, &spent("abcd")[..], now, SystemTime::now());
    // `b` is not known to share it until the server says so.
    assert_eq!(pacer.reserve(&b, now).wait, Duration::ZERO);
    pacer.observe(&b, 200, &spent("abcd")[..], now, SystemTime::now());
    assert_eq!(pacer.reserve(&a, now).wait, S(5));
    assert_eq!(pacer.reserve(&b, now).wait, S(5));
    // Another bucket is its own.
    pacer.observe(
        &c,
        200,
        &[
            ("x-ratelimit-bucket", "efgh"),
            ("x-ratelimit-remaining", "4"),
            ("x-ratelimit-reset-after", "1"),
        ][..],
        now,
        SystemTime::now(),
    );
    assert_eq!(pacer.reserve(&c, now).wait, Duration::ZERO);
}

#[test]
fn a_concurrency_limit_holds_until_a_slot_is_released() {
    static LIMITS: [DocumentedLimit; 1] = [DocumentedLimit::concurrency(2).per(Per::Caller)];
    let pacer = Pacer::new(VendorLimits::new(&LIMITS, RateHeaders::NONE));
    let now = Instant::now();
    let r = PaceRequest::new().caller("run-1");
    for _ in 0..2 {
        assert_eq!(pacer.reserve(&r, now).wait, Duration::ZERO);
        pacer.start(&r, now);
    }
    let hold = pacer.reserve(&r, now);
    assert_eq!(hold.reason, Some(HoldReason::Concurrency));
    // Another caller has slots of its own.
    assert_eq!(
        pacer.reserve(&PaceRequest::new().caller("run-2"), now).wait,
        Duration::ZERO
    );
    pacer.release(&r);
    assert_eq!(pacer.reserve(&r, now).wait, Duration::ZERO);
}

#[test]
fn adaptive_pacing_slows_down_on_throttles_and_recovers() {
    let pacer = Pacer::new(VendorLimits::NONE).adaptive();
    let start = Instant::now();
    let r = PaceRequest::new();
    // 40 requests in the first second: none held (the rate is not known yet).
    for i in 0..40 {
        assert_eq!(pacer.reserve(&r, start + MS(i * 25)).wait, Duration::ZERO);
    }
    let t = start + S(1);
    pacer.reserve(&r, t);
    pacer.observe(&r, 429, &(), t, SystemTime::now());
    let cut = pacer.key_state("", t).rate.unwrap();
    assert!(
        (27.0..=29.0).contains(&cut),
        "cut to about 70% of 40/s: {cut}"
    );
    // Held to the new rate: two at once are spaced by about 1/28 s.
    let first = pacer.reserve(&r, t + S(1)).wait;
    let second = pacer.reserve(&r, t + S(1)).wait;
    assert!(second > first && second <= MS(80), "{first:?} {second:?}");
    // Successes grow the rate back along the curve.
    pacer.observe(&r, 200, &(), t + S(10), SystemTime::now());
    let grown = pacer.key_state("", t + S(10)).rate.unwrap();
    assert!(grown > cut, "{grown} > {cut}");
}

#[test]
fn hostile_servers_cannot_grow_memory_make_it_wait_past_the_policy_or_panic() {
    let pacer = Pacer::for_vendor::<Discord>().max_keys(1_000);
    let now = Instant::now();
    // A new bucket id on every response, for a new route each time.
    for i in 0..100_000u32 {
        let route = format!("GET /r/{i}");
        let r = PaceRequest::new().route(&route);
        pacer.reserve(&r, now);
        let bucket = format!("b{i}");
        pacer.observe(
            &r,
            200,
            &[
                ("x-ratelimit-bucket", bucket.as_str()),
                ("x-ratelimit-remaining", "0"),
                ("x-ratelimit-reset-after", "1"),
            ][..],
            now,
            SystemTime::now(),
        );
    }
    assert!(pacer.live_keys() <= 3_000, "{}", pacer.live_keys());
    // A reset a year away is held to a day; garbage counts are ignored.
    let r = PaceRequest::new().route("GET /x");
    for garbage in ["-1", "1e9", "", "NaN", "99999999999999999999999"] {
        pacer.observe(
            &r,
            200,
            &[
                ("x-ratelimit-remaining", garbage),
                ("x-ratelimit-reset-after", "1"),
            ][..],
            now,
            SystemTime::now(),
        );
    }
    pacer.observe(
        &r,
        200,
        &[
            ("x-ratelimit-bucket", "year"),
            ("x-ratelimit-remaining", "0"),
            ("x-ratelimit-reset-after", "31536000"),
        ][..],
        now,
        SystemTime::now(),
    );
    let hold = pacer.reserve(&r, now);
    assert!(hold.wait <= S(86_400), "{:?}", hold.wait);
    // Through the executor, such a hold is not waited: the policy's max_wait (60 s).
    let clock = ManualClock::new();
    let policy = RetryPolicy::default().pacer(pacer.clone()).without_budget();
    let mut calls = 0;
    let err = policy
        .retry(|| -> Result<(), ApiError<Discord>> {
            calls += 1;
            Ok(())
        })
        .pace(r)
        .sleeper(clock.clone())
        .call()
        .map(|_| ())
        .err();
    // The route was booked at `now` on the real clock; the manual clock starts later:
    // the hold is what remains of the day.
    let err = err.expect("the pacer holds past max_wait");
    assert!(matches!(err.reason, GiveUp::Paced { .. }), "{}", err.reason);
    assert_eq!((calls, err.attempts), (0, 0));
    assert!(clock.sleeps().is_empty());
}

/// A local server that enforces a GCRA limit on the test's virtual clock: `count`
/// requests (or events, the `x-events` header) per `window` per `x-user`, answering
/// 429 with Amplitude's 30 s demand beyond it.
async fn limited_server(clock: ManualClock, count: u64, window: Duration) -> Server {
    let state: Mutex<HashMap<String, Instant>> = Mutex::new(HashMap::new());
    serve(move |_, headers| {
        let user = headers
            .get("x-user")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let cost: u32 = headers
            .get("x-events")
            .and_then(|v| v.to_str().ok()?.parse().ok())
            .unwrap_or(1);
        let now = BlockingSleeper::now(&clock);
        let per = window / u32::try_from(count).unwrap();
        let mut tats = state.lock().unwrap();
        let tat = tats.get(&user).copied().unwrap_or(now).max(now) + per * cost;
        if tat.saturating_duration_since(now) > window {
            return Reply::new(429)
                .json(r#"{"code":429,"error":"Too many requests for some devices and users"}"#);
        }
        tats.insert(user, tat);
        Reply::new(200).json(r#"{"code":200}"#)
    })
    .await
}

#[tokio::test]
async fn the_executor_paces_amplitude_batches_under_the_per_user_limit() {
    // Without pacing: the third batch of 5 events in the same second is refused.
    let clock = ManualClock::new();
    let server = limited_server(clock.clone(), 10, S(1)).await;
    let http = reqwest::Client::new();
    let send = |user: &'static str| {
        api_errors::reqwest::send::<Amplitude>(
            http.post(&server.url)
                .header("x-user", user)
                .header("x-events", "5"),
        )
    };
    let mut refused = 0;
    for _ in 0..6 {
        if send("u1").await.is_err() {
            refused += 1;
        }
    }
    assert_eq!(refused, 4);

    // With the pacer: every batch goes through, each held until the limit allows it.
    let clock = ManualClock::new();
    let server = limited_server(clock.clone(), 10, S(1)).await;
    let policy = RetryPolicy::default()
        .pacer(Pacer::for_vendor::<Amplitude>())
        .without_budget();
    for _ in 0..6 {
        let done = policy
            .retry_async(|| {
                api_errors::reqwest::send::<Amplitude>(
                    http.post(&server.url)
                        .header("x-user", "u1")
                        .header("x-events", "5"),
                )
            })
            .pace(PaceRequest::new().caller("u1").cost(5).write(true))
            .idempotent(true)
            .sleeper(&clock)
            .call_reported()
            .await
            .unwrap();
        assert_eq!(done.attempts, 1);
    }
    assert_eq!(server.hits(), 6);
    assert_eq!(clock.sleeps(), [MS(500), MS(500), MS(500), MS(500)]);
}

/// An OpenAI-like server: `limit` requests per window of `window` (on the virtual
/// clock), with `x-ratelimit-*-requests` on every response (the reset as a Go
/// duration), 429 past it.
async fn openai_like(clock: ManualClock, limit: u64, window: Duration) -> Server {
    let state = Mutex::new((None::<Instant>, 0u64));
    serve(move |_, _| {
        let now = BlockingSleeper::now(&clock);
        let mut st = state.lock().unwrap();
        let start = match st.0 {
            Some(s) if now < s + window => s,
            _ => {
                *st = (Some(now), 0);
                now
            }
        };
        let reset_in = (start + window).saturating_duration_since(now);
        let over = st.1 >= limit;
        if !over {
            st.1 += 1;
        }
        let remaining = limit - st.1.min(limit);
        let reply = if over {
            Reply::new(429).json(r#"{"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}"#)
        } else {
            Reply::new(200).json("{}")
        };
        reply
            .header("x-ratelimit-limit-requests", limit.to_string())
            .header("x-ratelimit-remaining-requests", remaining.to_string())
            .header("x-ratelimit-reset-requests", format!("{}ms", reset_in.as_millis()))
    })
    .await
}

#[tokio::test]
async fn the_middleware_paces_by_the_headers_and_is_never_refused() {
    let clock = ManualClock::new();
    let server = openai_like(clock.clone(), 3, S(60)).await;
    let policy = RetryPolicy::default()
        .pacer(Pacer::for_vendor::<OpenAi>())
        .max_wait(S(3600))
        .without_budget();
    let client = reqwest_middleware::ClientBuilder::new(reqwest::Client::new())
        .with(
            api_errors::reqwest_middleware::RetryMiddleware::<OpenAi>::new(policy)
                .sleeper(clock.clone()),
        )
        .build();
    for _ in 0..7 {
        let response = client.get(&server.url).send().await.unwrap();
        assert_eq!(response.status(), 200);
    }
    assert_eq!(server.hits(), 7, "no request was refused and retried");
    // Three, a wait to the reset, three, a wait, one.
    assert_eq!(clock.sleeps(), [S(60), S(60)]);

    // Without the pacer, the same client is refused and retries.
    let clock = ManualClock::new();
    let server = openai_like(clock.clone(), 3, S(60)).await;
    let client = reqwest_middleware::ClientBuilder::new(reqwest::Client::new())
        .with(
            api_errors::reqwest_middleware::RetryMiddleware::<OpenAi>::new(
                RetryPolicy::default().max_wait(S(3600)).without_budget(),
            )
            .sleeper(clock.clone()),
        )
        .build();
    for _ in 0..4 {
        let _ = client.get(&server.url).send().await.unwrap();
    }
    assert!(
        server.hits() > 4,
        "refused requests were retried: {}",
        server.hits()
    );
}

#[tokio::test]
async fn the_tower_layer_paces_with_the_callers_key() {
    use tower::{Layer, Service, ServiceExt};
    let clock = ManualClock::new();
    let server = limited_server(clock.clone(), 10, S(1)).await;
    let policy = RetryPolicy::default()
        .pacer(Pacer::for_vendor::<Amplitude>())
        .without_budget();
    let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .build_http::<http_body_util::Full<bytes::Bytes>>();
    let mut service = api_errors::tower::RetryLayer::<Amplitude>::new(policy)
        .sleeper(clock.clone())
        .layer(client);
    for user in ["u1", "u1", "u1", "u2", "u1"] {
        let mut request = http::Request::post(&server.url)
            .header("x-user", user)
            .header("x-events", "5")
            .body(http_body_util::Full::new(bytes::Bytes::new()))
            .unwrap();
        request.extensions_mut().insert(PaceKey::new(user).cost(5));
        let response = service.ready().await.unwrap().call(request).await.unwrap();
        assert_eq!(response.status(), 200, "{user}");
    }
    // u1's third and fourth batches wait half a second each; u2's goes at once.
    assert_eq!(clock.sleeps(), [MS(500), MS(500)]);
    assert_eq!(server.hits(), 5);
}

#[test]
fn the_spec_section_reads_into_the_kinds_limits() {
    use api_errors::{ApiErrorKind, LimitKind};
    let l = Amplitude::LIMITS;
    assert_eq!(l.documented().len(), 1);
    assert_eq!(
        l.documented()[0].kind(),
        LimitKind::Count {
            count: 10,
            window: S(1)
        }
    );
    assert_eq!(l.documented()[0].counted_per(), Per::Caller);
    let g = GitHub::LIMITS;
    assert_eq!(g.documented()[0].counts(), Requests::Writes);
    assert!(!g.headers().is_empty());
    // An error's own rate-limit headers, read with the spec's names.
    let e = ApiError::<GitHub>::from_response(
        403,
        &[
            ("x-ratelimit-remaining", "0"),
            ("x-ratelimit-limit", "5000"),
        ],
        b"{}",
    );
    let state = e.rate_limit().unwrap();
    assert_eq!((state.remaining, state.limit), (Some(0), Some(5000)));
    let _ = WaitFormat::EpochSeconds;
    let _ = Arc::new(());
}

#[api_errors::api_errors(vendor = "shopify", api = "rest")]
pub enum ShopifyRest {}

/// A Discord-like server: two routes share bucket `ab` (2 requests per 5 s window,
/// on the virtual clock), a third has bucket `c` of its own; the bucket headers on
/// every response, 429 past a bucket's limit.
async fn discord_like(clock: ManualClock) -> Server {
    let state: Mutex<HashMap<&'static str, (Instant, u64)>> = Mutex::new(HashMap::new());
    serve(move |_, headers| {
        let route = headers
            .get("x-route")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let bucket = if route == "c" { "c" } else { "ab" };
        let now = BlockingSleeper::now(&clock);
        let mut st = state.lock().unwrap();
        let entry = st.entry(bucket).or_insert((now, 0));
        if now >= entry.0 + S(5) {
            *entry = (now, 0);
        }
        let over = entry.1 >= 2;
        if !over {
            entry.1 += 1;
        }
        let reset = (entry.0 + S(5)).saturating_duration_since(now);
        let reply = if over {
            Reply::new(429).json(
                r#"{"message":"You are being rate limited.","retry_after":5.0,"global":false}"#,
            )
        } else {
            Reply::new(200).json("{}")
        };
        reply
            .header("x-ratelimit-bucket", bucket)
            .header("x-ratelimit-limit", "2")
            .header("x-ratelimit-remaining", (2 - entry.1.min(2)).to_string())
            .header(
                "x-ratelimit-reset-after",
                format!("{:.3}", reset.as_secs_f64()),
            )
    })
    .await
}

#[tokio::test]
async fn discord_routes_that_share_a_bucket_are_paced_together_once_the_server_says_so() {
    let clock = ManualClock::new();
    let server = discord_like(clock.clone()).await;
    let policy = RetryPolicy::default()
        .pacer(Pacer::for_vendor::<Discord>())
        .without_budget();
    let client = reqwest_middleware::ClientBuilder::new(reqwest::Client::new())
        .with(
            api_errors::reqwest_middleware::RetryMiddleware::<Discord>::new(policy)
                .sleeper(clock.clone()),
        )
        .build();
    // Route a twice: its answers name bucket `ab`, now spent. b is not known to share
    // it until the server says so in b's own first answer.
    let send = |route: &'static str, path: &'static str| {
        client
            .get(format!("{}{path}", server.url))
            .header("x-route", route)
            .send()
    };
    assert_eq!(send("a", "/channels/1").await.unwrap().status(), 200);
    assert_eq!(send("a", "/channels/1").await.unwrap().status(), 200);
    // b's first request: unknown bucket, sent at once; the server refuses it (the
    // shared bucket is spent) and says so; the executor waits its 5 s and retries.
    assert_eq!(send("b", "/channels/1/pins").await.unwrap().status(), 200);
    // Now both routes are known to share `ab`: the next ones are held, not refused.
    let hits = server.hits();
    assert_eq!(send("a", "/channels/1").await.unwrap().status(), 200);
    assert_eq!(send("b", "/channels/1/pins").await.unwrap().status(), 200);
    assert_eq!(
        server.hits() - hits,
        2,
        "held before the server would refuse them"
    );
    // Route c has a bucket of its own: not held by ab.
    let before = clock.elapsed();
    assert_eq!(send("c", "/users/@me").await.unwrap().status(), 200);
    assert_eq!(clock.elapsed(), before);
}

#[test]
fn shopifys_compound_call_limit_is_read() {
    let e = ApiError::<ShopifyRest>::from_response(
        429,
        &[
            ("X-Shopify-Shop-Api-Call-Limit", "40/40"),
            ("Retry-After", "2.0"),
        ],
        b"{}",
    );
    let state = e.rate_limit().unwrap();
    assert_eq!((state.remaining, state.limit), (Some(0), Some(40)));
}

#[tokio::test]
async fn github_mutating_requests_are_spaced_a_second_apart() {
    // The server refuses (a secondary rate limit) a write sooner than 1 s after the
    // last, as the best-practices page warns.
    let clock = ManualClock::new();
    let last: Mutex<Option<Instant>> = Mutex::new(None);
    let c = clock.clone();
    let server = serve(move |_, _| {
        let now = BlockingSleeper::now(&c);
        let mut last = last.lock().unwrap();
        if last.is_some_and(|t| now < t + S(1)) {
            return Reply::new(403)
                .json(r#"{"message":"You have exceeded a secondary rate limit."}"#);
        }
        *last = Some(now);
        Reply::new(201).json("{}")
    })
    .await;
    let http = reqwest::Client::new();
    let policy = RetryPolicy::default()
        .pacer(Pacer::for_vendor::<GitHub>())
        .without_budget();
    for _ in 0..3 {
        let done = policy
            .retry_async(|| api_errors::reqwest::send::<GitHub>(http.post(&server.url)))
            .pace(PaceRequest::new().method("POST"))
            .sleeper(&clock)
            .call_reported()
            .await
            .unwrap();
        assert_eq!(done.attempts, 1);
    }
    assert_eq!(server.hits(), 3);
    assert_eq!(clock.sleeps(), [S(1), S(1)]);
}
