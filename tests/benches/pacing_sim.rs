//! The pacing benchmark (issue 19), as a discrete-event simulation on a virtual clock
//! (exact, and fast: 60 s of traffic in well under a second): a server that enforces
//! a token bucket of 50 requests per second, burst 10, per key (answering 429 with
//! `Retry-After` and, where the scenario says, its rate-limit headers), and 8 workers
//! that together offer 3x that rate for 60 s, each with one request in flight, retrying
//! a 429 after `Retry-After` (at most 3 attempts). The client paces with the library's
//! `Pacer` (the real code, on simulated instants), with `governor` at the documented
//! rate, or not at all.
//!
//! `cargo bench -p api-errors-tests --bench pacing_sim` prints the table for
//! BENCHMARKS.md.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::num::NonZeroU32;
use std::time::{Duration, Instant, SystemTime};

use api_errors::{
    DocumentedLimit, PaceRequest, Pacer, RateHeaders, RateState, VendorLimits, WaitFormat,
};
use governor::clock::{Clock, FakeRelativeClock};
use governor::{Quota, RateLimiter};

const WORKERS: usize = 8;
const SECONDS: u64 = 60;
const LIMIT: u32 = 50;
const BURST: u32 = 10;
/// Network round trip of one request.
const RTT: Duration = Duration::from_millis(5);

/// The server's token bucket, per key: a GCRA cell.
struct Bucket {
    per: Duration,
    tau: Duration,
    tat: HashMap<String, Duration>,
}

/// What the server answered: accepted, or refused with the time to the next token.
struct Answer {
    ok: bool,
    /// Tokens left (whole), and time until the bucket is full.
    remaining: u32,
    full_in: Duration,
    retry_after: Duration,
}

impl Bucket {
    fn new(rate: u32) -> Self {
        let per = Duration::from_secs(1) / rate;
        Bucket {
            per,
            tau: per * BURST,
            tat: HashMap::new(),
        }
    }

    fn take(&mut self, key: &str, t: Duration) -> Answer {
        let tat = self.tat.get(key).copied().unwrap_or(t).max(t);
        let next = tat + self.per;
        if next - t <= self.tau {
            self.tat.insert(key.to_owned(), next);
            let used = next - t;
            let remaining = ((self.tau - used).as_nanos() / self.per.as_nanos()) as u32;
            Answer {
                ok: true,
                remaining,
                full_in: used,
                retry_after: Duration::ZERO,
            }
        } else {
            let retry = next - t - self.tau;
            Answer {
                ok: false,
                remaining: 0,
                full_in: tat - t,
                retry_after: retry,
            }
        }
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Client {
    /// Retries only (the library before the pacer).
    Bare,
    /// The pacer, with the documented limit.
    Documented,
    /// The pacer, learning from the server's headers only.
    Headers,
    /// Discord-like: three routes, two of which share a bucket only its header names.
    Buckets,
    /// The adaptive pacer: nothing stated.
    Adaptive,
    /// governor at the documented rate.
    Governor,
}

struct Outcome {
    sent: u64,
    refused: u64,
    ok: u64,
}

static DOCUMENTED: [DocumentedLimit; 1] = [DocumentedLimit::count(
    LIMIT as u64 / 5,
    Duration::from_millis(200),
)];
const HEADERS: RateHeaders = RateHeaders::NONE
    .remaining("x-ratelimit-remaining")
    .limit("x-ratelimit-limit")
    .reset("x-ratelimit-reset-after", WaitFormat::Seconds)
    .bucket("x-ratelimit-bucket")
    .continuous();

fn run(client: Client, server_rate: u32) -> Outcome {
    let base = Instant::now();
    let wall = SystemTime::now();
    let pacer = match client {
        Client::Documented => Some(Pacer::new(VendorLimits::new(
            &DOCUMENTED,
            RateHeaders::NONE,
        ))),
        Client::Headers | Client::Buckets => Some(Pacer::new(VendorLimits::new(&[], HEADERS))),
        Client::Adaptive => Some(Pacer::new(VendorLimits::NONE).adaptive()),
        _ => None,
    };
    let fake = FakeRelativeClock::default();
    let governor = (client == Client::Governor).then(|| {
        let quota = Quota::per_second(NonZeroU32::new(LIMIT).unwrap())
            .allow_burst(NonZeroU32::new(BURST).unwrap());
        RateLimiter::direct_with_clock(quota, fake.clone())
    });
    let mut server = Bucket::new(server_rate);
    let routes = [
        "POST /channels/1/messages",
        "PATCH /channels/1",
        "GET /guilds/2",
    ];
    // Which server bucket each route counts against (two share one).
    let bucket_of = |route: &str| if route.starts_with("GET") { "g" } else { "c" };
    // Offers: every worker offers its share of 3x the limit, evenly spread (with two
    // server buckets, 3x each: half the offers go to the route of its own bucket).
    let buckets = if client == Client::Buckets { 2.0 } else { 1.0 };
    let offered_per_worker = f64::from(LIMIT) * 3.0 * buckets / WORKERS as f64;
    let gap = Duration::from_secs_f64(1.0 / offered_per_worker);
    // Events: (time, worker, attempt, request number).
    let mut heap: BinaryHeap<Reverse<(Duration, usize, u32, u64)>> = BinaryHeap::new();
    for w in 0..WORKERS {
        heap.push(Reverse((gap * w as u32 / WORKERS as u32, w, 1, 0)));
    }
    let end = Duration::from_secs(SECONDS);
    let mut out = Outcome {
        sent: 0,
        refused: 0,
        ok: 0,
    };
    let mut now_fake = Duration::ZERO;
    while let Some(Reverse((t, w, attempt, n))) = heap.pop() {
        if t >= end {
            continue;
        }
        let k = w + n as usize;
        let route = if k.is_multiple_of(2) {
            routes[2]
        } else {
            routes[(k / 2) % 2]
        };
        let request = match client {
            Client::Buckets => PaceRequest::new().route(route),
            _ => PaceRequest::new(),
        };
        let server_key = match client {
            Client::Buckets => bucket_of(route),
            _ => "",
        };
        // Hold as the client paces (every send, a retry's too).
        let mut send = t;
        if let Some(p) = &pacer {
            let hold = p.reserve(&request, base + t);
            send = t + hold.wait;
        }
        if let Some(g) = &governor {
            if t > now_fake {
                fake.advance(t - now_fake);
                now_fake = t;
            }
            if let Err(not_until) = g.check() {
                // Not yet: ask again when it allows (nothing sent).
                let wait = not_until.wait_time_from(fake.now());
                heap.push(Reverse((
                    t + wait.max(Duration::from_micros(1)),
                    w,
                    attempt,
                    n,
                )));
                continue;
            }
        }
        if send >= end {
            continue;
        }
        out.sent += 1;
        let answer = server.take(server_key, send);
        let done = send + RTT;
        if let Some(p) = &pacer {
            let state = match client {
                Client::Headers | Client::Buckets => {
                    let mut s = RateState::NONE;
                    s.remaining = Some(u64::from(answer.remaining));
                    s.limit = Some(u64::from(BURST));
                    s.reset = Some(answer.full_in);
                    if client == Client::Buckets {
                        s.bucket = Some(server_key.to_owned());
                    }
                    s
                }
                _ => RateState::NONE,
            };
            let retry_after = (!answer.ok).then_some(answer.retry_after);
            p.learn(&request, &state, !answer.ok, retry_after, base + done);
        }
        let _ = wall;
        if answer.ok {
            out.ok += 1;
            // The next offer of this worker: its schedule, or now if it is behind.
            let next = (gap * (n as u32 + 1)).max(done);
            heap.push(Reverse((next, w, 1, n + 1)));
        } else {
            out.refused += 1;
            if attempt < 3 {
                heap.push(Reverse((done + answer.retry_after, w, attempt + 1, n)));
            } else {
                let next = (gap * (n as u32 + 1)).max(done);
                heap.push(Reverse((next, w, 1, n + 1)));
            }
        }
    }
    out
}

/// The process's peak resident set, in KiB (Linux: `VmHWM`).
fn peak_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// A server that names a new bucket on every response, for a new route each time:
/// the pacer's tables stay bounded (default `max_keys`).
fn hostile_buckets(n: u32) -> (u64, u64, usize) {
    let before = peak_kib();
    let pacer = Pacer::new(VendorLimits::new(&[], HEADERS));
    let now = Instant::now();
    for i in 0..n {
        let route = format!("GET /r/{i}");
        let r = PaceRequest::new().route(&route);
        pacer.reserve(&r, now);
        let mut s = RateState::NONE;
        s.bucket = Some(format!("bucket-{i}"));
        s.remaining = Some(0);
        s.limit = Some(10);
        s.reset = Some(Duration::from_secs(1));
        pacer.learn(&r, &s, false, None, now);
    }
    (before, peak_kib(), pacer.live_keys())
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let real = LIMIT;
    let lower = LIMIT * 7 / 10;
    println!("Pacing simulation: {WORKERS} workers offering 3x of {LIMIT}/s (burst {BURST}) for {SECONDS} s of virtual time\n");
    println!("| client | server limit | requests sent | rejected (429) | goodput (of the server's limit) |");
    println!("|---|---:|---:|---:|---:|");
    let cases = [
        ("retries only (today)", Client::Bare, real),
        ("governor at the documented rate", Client::Governor, real),
        ("(a) pacer, documented limit", Client::Documented, real),
        ("(b) pacer, headers only", Client::Headers, real),
        ("(c) pacer, buckets by header", Client::Buckets, real),
        ("(d) pacer, adaptive", Client::Adaptive, real),
        ("governor, real limit 30% lower", Client::Governor, lower),
        (
            "pacer with headers, real limit 30% lower",
            Client::Headers,
            lower,
        ),
    ];
    for (name, client, rate) in cases {
        let o = run(client, rate);
        // Scenario (c) has two buckets: its limit is twice the rate.
        let capacity =
            f64::from(rate) * SECONDS as f64 * if client == Client::Buckets { 2.0 } else { 1.0 };
        println!(
            "| {name} | {rate}/s | {} | {:.2}% | {:.1}% |",
            o.sent,
            100.0 * o.refused as f64 / o.sent.max(1) as f64,
            100.0 * o.ok as f64 / capacity,
        );
    }
    let (before, after, live) = hostile_buckets(1_000_000);
    println!("\n1,000,000 distinct bucket ids (and routes): peak resident set {before} KiB before, {after} KiB after; {live} live keys at the end (cap {} per table)", api_errors::DEFAULT_MAX_KEYS);
}
