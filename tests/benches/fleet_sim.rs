//! The fleet benchmark (issue 20): four independent clients (each its own pacer and
//! its own Redis connection) share one key against a limit of 50 requests per second,
//! burst 10, each offering the whole limit for 60 s of virtual time. Every pacing
//! decision is a real round trip to a `redis-server` this benchmark starts on a free
//! 127.0.0.1 port (and stops by its process id); times are virtual (the store is given
//! the clients' simulated clock), so the figures are exact. Also: the time per
//! decision on the real clock, Redis against the in-process cells.
//!
//! `cargo bench -p api-errors-tests --bench fleet_sim` (needs `redis-server`).

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use api_errors::redis::RedisStore;
use api_errors::{DocumentedLimit, PaceRequest, Pacer, RateHeaders, VendorLimits};

static LIMIT: [DocumentedLimit; 1] = [DocumentedLimit::count(10, Duration::from_millis(200))];
const CLIENTS: usize = 4;
const SECONDS: u64 = 60;

/// A store that counts its round trips.
#[derive(Debug)]
struct Counting(RedisStore, AtomicU64);

impl api_errors::SharedLimits for Counting {
    fn reserve<'a>(
        &'a self,
        cells: &'a [api_errors::CellRequest],
        now_us: u64,
    ) -> api_errors::SharedFuture<'a> {
        self.1.fetch_add(1, Ordering::Relaxed);
        self.0.reserve(cells, now_us)
    }
}

fn server_take(tat: &mut Duration, t: Duration) -> bool {
    let per = Duration::from_millis(20);
    let next = (*tat).max(t) + per;
    if next - t <= per * 10 {
        *tat = next;
        true
    } else {
        false
    }
}

fn run(rt: &tokio::runtime::Runtime, pacers: &[Pacer]) -> (u64, u64, u64, u64) {
    let base = Instant::now();
    let gap = Duration::from_millis(20); // each client offers 50/s
    let mut heap: BinaryHeap<Reverse<(Duration, usize)>> = BinaryHeap::new();
    for c in 0..CLIENTS {
        heap.push(Reverse((gap * c as u32 / CLIENTS as u32, c)));
    }
    // Sends, in time order (a reservation is made at its offer; the send follows).
    let mut sends: BinaryHeap<Reverse<Duration>> = BinaryHeap::new();
    let end = Duration::from_secs(SECONDS);
    let mut decisions = 0;
    while let Some(Reverse((t, c))) = heap.pop() {
        if t >= end {
            continue;
        }
        decisions += 1;
        let hold = rt.block_on(pacers[c].reserve_async(&PaceRequest::new(), base + t));
        if t + hold.wait < end {
            sends.push(Reverse(t + hold.wait));
        }
        heap.push(Reverse((t + gap, c)));
    }
    let (mut tat, mut ok, mut refused) = (Duration::ZERO, 0, 0);
    while let Some(Reverse(t)) = sends.pop() {
        if server_take(&mut tat, t) {
            ok += 1;
        } else {
            refused += 1;
        }
    }
    (ok + refused, refused, ok, decisions)
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = Command::new("redis-server")
        .args([
            "--port",
            &port.to_string(),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ])
        .stdout(Stdio::null())
        .spawn()
        .expect("redis-server (the Debian package redis-server)");
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        std::thread::sleep(Duration::from_millis(20));
    }
    let url = format!("redis://127.0.0.1:{port}/");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let local = |_| Pacer::new(VendorLimits::new(&LIMIT, RateHeaders::NONE));
    let alone: Vec<Pacer> = (0..CLIENTS).map(local).collect();
    let fleet: Vec<Pacer> = (0..CLIENTS)
        .map(|_| {
            // Each client its own connection; one namespace for the fleet: the same key.
            let store = RedisStore::open(&url, "fleet").unwrap();
            local(0).shared(Arc::new(store))
        })
        .collect();
    println!("Four clients sharing one key, each offering the whole limit (50/s, burst 10), {SECONDS} s virtual\n");
    let counters: Vec<Arc<Counting>> = (0..CLIENTS)
        .map(|_| {
            Arc::new(Counting(
                RedisStore::open(&url, "leased").unwrap(),
                AtomicU64::new(0),
            ))
        })
        .collect();
    let leased: Vec<Pacer> = counters
        .iter()
        .map(|c| local(0).shared(c.clone()).lease(10))
        .collect();
    println!("| pacing | requests sent | rejected (429) | goodput (of the limit) | Redis round trips per decision |");
    println!("|---|---:|---:|---:|---:|");
    for (name, pacers, counted) in [
        ("in-process, each alone", &alone, false),
        ("Redis, shared", &fleet, false),
        ("Redis, shared, leases of 10", &leased, true),
    ] {
        let (sent, refused, ok, decisions) = run(&rt, pacers);
        let trips: u64 = counters.iter().map(|c| c.1.load(Ordering::Relaxed)).sum();
        let per = match (counted, name.starts_with("Redis")) {
            (true, _) => format!("{:.3}", trips as f64 / decisions as f64),
            (false, true) => "1".into(),
            (false, false) => "0".into(),
        };
        println!(
            "| {name} | {sent} | {:.2}% | {:.1}% | {per} |",
            100.0 * refused as f64 / sent.max(1) as f64,
            100.0 * ok as f64 / (50.0 * SECONDS as f64)
        );
    }
    // The time per decision on the real clock (a request that never waits).
    let timings = |p: &Pacer| {
        let mut v: Vec<Duration> = (0..5_000)
            .map(|i| {
                let now = Instant::now() + Duration::from_secs(i);
                let t = Instant::now();
                rt.block_on(p.reserve_async(&PaceRequest::new(), now));
                t.elapsed()
            })
            .collect();
        v.sort();
        (v[v.len() / 2], v[v.len() * 99 / 100])
    };
    let (lm, lp) = timings(&local(0));
    let (rm, rp) = timings(&fleet[0]);
    println!("\n| decision | median | p99 |\n|---|---:|---:|");
    println!("| in-process cells | {lm:?} | {lp:?} |");
    println!("| Redis (one script round trip, 127.0.0.1) | {rm:?} | {rp:?} |");
    let _ = Command::new("kill")
        .args(["-9", &child.id().to_string()])
        .status();
    let _ = child.wait();
}
