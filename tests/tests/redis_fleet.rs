//! A fleet shares one quota through Redis (issue 20): pacers of separate clients
//! (each its own connection) that share a key pace as one; when Redis stops, every
//! decision falls back to the local cells within the bound, and when it comes back the
//! pacers use it again. Against a real `redis-server` that each test starts itself on
//! a free 127.0.0.1 port (no persistence) and stops by its process id. `.ci/run`
//! installs the Debian package when it is missing; without it these tests fail.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use api_errors::redis::RedisStore;
use api_errors::{DocumentedLimit, PaceRequest, Pacer, RateHeaders, VendorLimits};

/// A `redis-server` of this test's own.
struct Redis {
    child: Option<Child>,
    port: u16,
}

impl Redis {
    fn start() -> Redis {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free port");
        let mut r = Redis { child: None, port };
        r.spawn();
        r
    }

    fn spawn(&mut self) {
        let child = Command::new("redis-server")
            .args(["--port", &self.port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("redis-server must be installed (`.ci/run` installs the Debian package)");
        self.child = Some(child);
        let start = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "redis-server did not start"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Stops it by its process id, and waits for it to be gone.
    fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = Command::new("kill")
                .args(["-9", &child.id().to_string()])
                .status();
            let _ = child.wait();
        }
    }

    fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }

    fn cli(&self, args: &[&str]) -> String {
        let out = Command::new("redis-cli")
            .args(["-p", &self.port.to_string()])
            .args(args)
            .output()
            .expect("redis-cli");
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }
}

impl Drop for Redis {
    fn drop(&mut self) {
        self.stop();
    }
}

static TEN_PER_SECOND: [DocumentedLimit; 1] = [DocumentedLimit::count(10, Duration::from_secs(1))];

fn pacer(redis: &Redis, namespace: &str) -> Pacer {
    let store = RedisStore::open(&redis.url(), namespace).unwrap();
    Pacer::new(VendorLimits::new(&TEN_PER_SECOND, RateHeaders::NONE)).shared(Arc::new(store))
}

#[tokio::test]
async fn four_clients_that_share_a_key_pace_as_one() {
    let redis = Redis::start();
    let fleet: Vec<Pacer> = (0..4).map(|_| pacer(&redis, "fleet")).collect();
    let now = Instant::now();
    let mut waits = Vec::new();
    for round in 0..10 {
        for p in &fleet {
            let _ = round;
            waits.push(p.reserve_async(&PaceRequest::new(), now).await.wait);
        }
    }
    waits.sort();
    // One burst of ten for the fleet, then one every 100 ms: 40 requests over 3 s.
    let near = |d: Duration, want: Duration| d.abs_diff(want) < Duration::from_millis(25);
    assert!(
        waits[..10].iter().all(|w| near(*w, Duration::ZERO)),
        "{waits:?}"
    );
    assert!(near(waits[10], Duration::from_millis(100)), "{waits:?}");
    assert!(near(waits[39], Duration::from_millis(3000)), "{waits:?}");
    // Alone, each would have let its own ten through at once.
    let alone: Vec<Pacer> = (0..4)
        .map(|_| Pacer::new(VendorLimits::new(&TEN_PER_SECOND, RateHeaders::NONE)))
        .collect();
    let mut zero = 0;
    for _ in 0..10 {
        for p in &alone {
            zero += usize::from(
                p.reserve_async(&PaceRequest::new(), now)
                    .await
                    .wait
                    .is_zero(),
            );
        }
    }
    assert_eq!(zero, 40);
    // Keys are namespaced and expire once their booking has passed.
    let keys = redis.cli(&["--scan", "--pattern", "fleet:*"]);
    assert_eq!(keys, "fleet:pacer:0:", "{keys}");
    let ttl: i64 = redis.cli(&["PTTL", "fleet:pacer:0:"]).parse().unwrap();
    assert!(ttl > 0 && ttl < 10_000, "{ttl}");
}

#[tokio::test]
async fn a_stopped_redis_is_never_worse_than_pacing_alone_and_a_restarted_one_is_used_again() {
    let mut redis = Redis::start();
    let p = pacer(&redis, "failover");
    let now = Instant::now();
    // Up: eleven requests, the eleventh held.
    for _ in 0..10 {
        assert!(p.reserve_async(&PaceRequest::new(), now).await.wait < Duration::from_millis(25));
    }
    assert!(p.reserve_async(&PaceRequest::new(), now).await.wait >= Duration::from_millis(75));
    // Down, under load: every decision comes back within the bound (20 ms, and
    // scheduling), decided by the local cells (fresh: a burst of ten, then spaced).
    redis.stop();
    let mut slowest = Duration::ZERO;
    let tasks: Vec<_> = (0..16)
        .map(|_| {
            let p = p.clone();
            tokio::spawn(async move {
                let t = Instant::now();
                let hold = p.reserve_async(&PaceRequest::new(), now).await;
                (t.elapsed(), hold.wait)
            })
        })
        .collect();
    let mut local_zero = 0;
    for t in tasks {
        let (took, wait) = t.await.expect("no panic");
        slowest = slowest.max(took);
        local_zero += usize::from(wait.is_zero());
    }
    assert!(
        slowest < Duration::from_millis(500),
        "a decision took {slowest:?}"
    );
    assert_eq!(local_zero, 10, "the local cells decided");
    // Back up (a fresh server: nothing persisted); a second later the pacer asks it
    // again, reconnecting.
    redis.spawn();
    let later = now + Duration::from_secs(5);
    for _ in 0..10 {
        p.reserve_async(&PaceRequest::new(), later).await;
    }
    let keys = redis.cli(&["--scan", "--pattern", "failover:*"]);
    assert_eq!(keys, "failover:pacer:0:", "Redis is used again: {keys}");
}

#[tokio::test]
async fn a_fleets_retry_budget_is_spent_once_under_a_full_outage() {
    use api_errors::{ApiError, ManualClock, RetryBudget, RetryPolicy};

    #[api_errors::api_errors(vendor = "amperity")]
    pub enum Amperity {}

    // Every call fails with a retryable 503; each of four clients makes 20 calls.
    async fn retries(policy: &RetryPolicy) -> u32 {
        let mut retries = 0;
        for _ in 0..20 {
            let err = policy
                .retry_async(|| async {
                    Err::<(), _>(ApiError::<Amperity>::from_response(503, &(), b""))
                })
                .sleeper(ManualClock::new())
                .call()
                .await
                .unwrap_err();
            retries += err.attempts - 1;
        }
        retries
    }
    let alone = retries(&RetryPolicy::default().max_attempts(3)).await;
    let redis = Redis::start();
    let mut fleet = 0;
    let policies: Vec<RetryPolicy> = (0..4)
        .map(|_| {
            let store = Arc::new(RedisStore::open(&redis.url(), "budget-test").unwrap());
            RetryPolicy::default()
                .max_attempts(3)
                .budget(RetryBudget::default().shared(store, "svc:amperity"))
        })
        .collect();
    for p in &policies {
        fleet += retries(p).await;
    }
    // One process alone: 3 retries (each failure costs one of 10 tokens; none at or
    // below half). Four sharing the bucket: the same in all, within 1.1x.
    assert_eq!(alone, 3);
    assert!(
        f64::from(fleet) <= 1.1 * f64::from(alone),
        "fleet {fleet} against {alone} alone"
    );
    assert!(fleet >= 1);
    // Four unshared budgets would have made four times as many.
    let mut unshared = 0;
    for _ in 0..4 {
        unshared += retries(&RetryPolicy::default().max_attempts(3)).await;
    }
    assert_eq!(unshared, 4 * alone);
}

/// A store that counts its round trips.
#[derive(Debug)]
struct Counting(RedisStore, std::sync::atomic::AtomicU64);

impl api_errors::SharedLimits for Counting {
    fn reserve<'a>(
        &'a self,
        cells: &'a [api_errors::CellRequest],
        now_us: u64,
    ) -> api_errors::SharedFuture<'a> {
        self.1.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.0.reserve(cells, now_us)
    }
}

#[tokio::test]
async fn leases_ask_redis_once_per_ten_requests_and_keep_the_fleets_schedule() {
    let redis = Redis::start();
    let stores: Vec<Arc<Counting>> = (0..4)
        .map(|_| {
            Arc::new(Counting(
                RedisStore::open(&redis.url(), "leases").unwrap(),
                Default::default(),
            ))
        })
        .collect();
    let fleet: Vec<Pacer> = stores
        .iter()
        .map(|s| {
            Pacer::new(VendorLimits::new(&TEN_PER_SECOND, RateHeaders::NONE))
                .shared(s.clone())
                .lease(10)
        })
        .collect();
    let now = Instant::now();
    let mut waits = Vec::new();
    for p in &fleet {
        for _ in 0..10 {
            waits.push(p.reserve_async(&PaceRequest::new(), now).await.wait);
        }
    }
    let trips: u64 = stores
        .iter()
        .map(|s| s.1.load(std::sync::atomic::Ordering::Relaxed))
        .sum();
    assert_eq!(trips, 4, "one round trip per ten requests");
    // Each client's ten go together, a second after the previous client's: the
    // fleet's 40 requests still take 3 s, as without leases.
    let near =
        |d: Duration, want: u64| d.abs_diff(Duration::from_secs(want)) < Duration::from_millis(25);
    for (c, chunk) in waits.chunks(10).enumerate() {
        assert!(
            chunk.iter().all(|w| near(*w, c as u64)),
            "client {c}: {chunk:?}"
        );
    }
    // A lease lapses: a second later than its units' spread, the next asks again.
    fleet[0]
        .reserve_async(&PaceRequest::new(), now + Duration::from_secs(10))
        .await;
    assert_eq!(stores[0].1.load(std::sync::atomic::Ordering::Relaxed), 2);
}
