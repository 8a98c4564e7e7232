//! The pacer: before each request, how long to hold it so that the vendor's limits
//! hold; after each response, what the vendor said of them.
//!
//! Documented limits are GCRA cells (one theoretical arrival time per key: exact
//! rates, no background task): a reservation in call order, so requests that share a
//! limit are released first come, first served. What responses state (remaining,
//! reset, bucket, scope) replaces the documented guess for the requests it covers. An
//! opt-in adaptive rate (a CUBIC curve, as the AWS SDKs' adaptive mode) paces a vendor
//! that states nothing. Every table is bounded: idle keys are dropped first, then the
//! least recently used.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime};

use crate::pace::limits::{DocumentedLimit, LimitKind, Per, RateState, Requests, VendorLimits};
use crate::response::error::Headers;

/// The most live keys a pacer keeps in each of its tables, unless set otherwise
/// ([`Pacer::max_keys`]).
pub const DEFAULT_MAX_KEYS: usize = 10_000;

/// What one request is, for the pacer: who it is for, which route, read or write, and
/// how much of a limit it uses.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PaceRequest<'a> {
    caller: Option<&'a str>,
    route: Option<&'a str>,
    write: bool,
    cost: u32,
}

impl<'a> PaceRequest<'a> {
    /// A read of cost 1, for no caller, on no route.
    pub const fn new() -> Self {
        PaceRequest {
            caller: None,
            route: None,
            write: false,
            cost: 1,
        }
    }

    /// The key a `per: caller` limit counts by (a user id, a channel id).
    #[must_use]
    pub const fn caller(mut self, key: &'a str) -> Self {
        self.caller = Some(key);
        self
    }

    /// The route a `per: route` limit (and a bucket the server names) counts by: the
    /// method and the path, or its template (`POST /channels/{id}/messages`).
    #[must_use]
    pub const fn route(mut self, route: &'a str) -> Self {
        self.route = Some(route);
        self
    }

    /// Whether the request changes something (not GET, HEAD or OPTIONS).
    #[must_use]
    pub const fn write(mut self, write: bool) -> Self {
        self.write = write;
        self
    }

    /// How much of a limit the request uses (events in a batch, tokens), at least 1.
    #[must_use]
    pub const fn cost(mut self, cost: u32) -> Self {
        self.cost = if cost == 0 { 1 } else { cost };
        self
    }

    /// A request by its method: writes are every method but GET, HEAD and OPTIONS.
    pub fn method(self, method: &str) -> Self {
        let read = ["GET", "HEAD", "OPTIONS"]
            .iter()
            .any(|m| m.eq_ignore_ascii_case(method));
        self.write(!read)
    }
}

/// Why the pacer holds a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum HoldReason {
    /// A documented count per window.
    Documented,
    /// A documented least interval between requests.
    Interval,
    /// The most requests in flight the vendor allows are in flight.
    Concurrency,
    /// The server said the window is spent (remaining 0), until its reset.
    Spent,
    /// The server said a global limit holds every request.
    Global,
    /// The adaptive rate, after throttling responses.
    Adaptive,
}

/// What the pacer decided for one request: how long to hold it first, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hold {
    /// How long to wait before sending (zero: at once).
    pub wait: Duration,
    /// Why, when there is a wait.
    pub reason: Option<HoldReason>,
}

/// A pacer's state for one key, for metrics.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[non_exhaustive]
pub struct KeyState {
    /// Requests left in the server's window, as last reported and counted since.
    pub remaining: Option<u64>,
    /// Until the server's window resets.
    pub reset: Option<Duration>,
    /// The adaptive rate, in requests per second, when adaptive pacing is on.
    pub rate: Option<f64>,
}

/// Paces requests to a vendor's limits. Clones share one state: give every task and
/// client of a process a clone (or set it on a [`RetryPolicy`](crate::RetryPolicy),
/// whose clones share it).
///
/// ```
/// use std::time::{Duration, Instant};
/// use api_errors::{api_errors, PaceRequest, Pacer};
///
/// // Amplitude: "10 events per second per user" (the spec's `limits:`).
/// #[api_errors(vendor = "amplitude", api = "batch")]
/// pub enum Amplitude {}
///
/// let pacer = Pacer::for_vendor::<Amplitude>();
/// let now = Instant::now();
/// let batch = PaceRequest::new().caller("user-1").cost(10).write(true);
/// assert_eq!(pacer.reserve(&batch, now).wait, Duration::ZERO); // the first ten events
/// assert_eq!(pacer.reserve(&batch, now).wait, Duration::from_secs(1)); // the next ten
/// // Another user has a limit of their own.
/// let other = PaceRequest::new().caller("user-2").cost(10).write(true);
/// assert_eq!(pacer.reserve(&other, now).wait, Duration::ZERO);
/// ```
#[derive(Debug, Clone)]
pub struct Pacer {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    limits: VendorLimits,
    adaptive: bool,
    max_keys: usize,
    state: Mutex<State>,
    /// Where the documented limits' cells live when shared beyond the process.
    shared: Option<Arc<dyn crate::pace::shared::SharedLimits>>,
    /// The longest a shared decision may take before the local cells decide.
    shared_timeout: Duration,
    /// Until when the shared store is not asked (it failed; the local cells decide).
    shared_down: Mutex<Option<Instant>>,
    /// How many requests' worth a shared decision books at once (1: no lease).
    lease: u32,
    /// Leased units per set of cells: (units left, when they may go, when they lapse).
    leases: Mutex<HashMap<String, (u64, Instant, Instant)>>,
    /// The vendor and API, for the shared store's keys.
    name: String,
    /// A clock every process shares (the wall clock), paired with this process's
    /// instants, for the shared store's times.
    epoch: (Instant, SystemTime),
}

#[derive(Debug, Default)]
struct State {
    /// (documented limit's place, scope key) -> its cell.
    cells: HashMap<(usize, String), Cell>,
    /// Server buckets: bucket id (or route, or "") -> what the server said.
    servers: HashMap<String, Server>,
    /// Route -> the bucket id the server named for it.
    routes: HashMap<String, String>,
    /// (documented limit's place, scope key) -> requests in flight.
    in_flight: HashMap<(usize, String), (u32, Instant)>,
    /// Until when a global limit holds every request.
    global_until: Option<Instant>,
    /// The adaptive rate, one for the pacer.
    adaptive: Option<Cubic>,
    adaptive_cell: Cell,
    /// Requests booked in the current second, and the second's start (the measured
    /// send rate the adaptive rate is cut from).
    sent: (u32, Option<Instant>),
    /// The last full second's count.
    measured: f64,
}

/// A GCRA cell: the theoretical arrival time of the next request.
#[derive(Debug, Clone, Copy, Default)]
struct Cell {
    tat: Option<Instant>,
    used: Option<Instant>,
}

/// What a server said of one bucket.
#[derive(Debug, Clone, Copy)]
struct Server {
    /// Requests left in the current window (counted down as requests are released).
    remaining: u64,
    /// When the current window ends.
    reset_at: Instant,
    /// The window's limit, if stated.
    limit: Option<u64>,
    /// The window's length, as first seen (the reset's distance).
    window: Duration,
    /// Requests booked beyond the current window, in order.
    queued: u64,
    used: Instant,
    /// A bucket that refills continuously: its GCRA cell (emission interval, the
    /// arrival time, the tolerance), from the server's latest statement.
    refill: Option<(Duration, Instant, Duration)>,
}

impl Pacer {
    /// A pacer for `K`'s vendor: its spec's `limits:` (documented limits and
    /// rate-limit headers). With neither, it holds nothing (see [`adaptive`](Self::adaptive)).
    pub fn for_vendor<K: crate::ApiErrorKind>() -> Self {
        let mut p = Self::new(K::LIMITS);
        if let Some(inner) = Arc::get_mut(&mut p.inner) {
            inner.name = format!("{}:{}", K::VENDOR, K::API);
        }
        p
    }

    /// A pacer for `limits`.
    pub fn new(limits: VendorLimits) -> Self {
        Pacer {
            inner: Arc::new(Inner {
                limits,
                adaptive: false,
                max_keys: DEFAULT_MAX_KEYS,
                state: Mutex::new(State::default()),
                shared: None,
                shared_timeout: DEFAULT_SHARED_TIMEOUT,
                shared_down: Mutex::new(None),
                lease: 1,
                leases: Mutex::new(HashMap::new()),
                name: "pacer".into(),
                epoch: (Instant::now(), SystemTime::now()),
            }),
        }
    }

    /// The same limits, their documented cells kept in `store` (Redis: feature
    /// `redis`), so that every process that paces with the same store and vendor
    /// paces as one client. Only the async paths ask it
    /// ([`reserve_async`](Self::reserve_async): the async executor, the tower layer,
    /// the reqwest middleware); each decision waits at most
    /// [`shared_timeout`](Self::shared_timeout) for it, then decides with the local
    /// cells, and the store is not asked again for a second. The state starts afresh.
    #[must_use]
    pub fn shared(self, store: Arc<dyn crate::pace::shared::SharedLimits>) -> Self {
        self.rebuild(|i| i.shared = Some(store))
    }

    /// With a shared store, book `n` requests' worth at each round trip (at least 1,
    /// at most the smallest burst is sensible) and hand out the rest locally: a busy
    /// process then asks the store once per `n` requests. A lease lapses once its
    /// units would have been spread (`n` emission intervals after it may go); units
    /// left then are not handed out (the fleet under-uses the limit by at most that
    /// much, never over-uses it). The state starts afresh.
    #[must_use]
    pub fn lease(self, n: u32) -> Self {
        self.rebuild(|i| i.lease = n.max(1))
    }

    /// The longest a shared decision may take (default 20 ms) before the local cells
    /// decide instead. Enforced on tokio's timer (feature `tokio`); without it the
    /// store must bound its own calls. The state starts afresh.
    #[must_use]
    pub fn shared_timeout(self, d: Duration) -> Self {
        self.rebuild(|i| i.shared_timeout = d)
    }

    /// The same limits, and an adaptive rate on top: cut on each throttling response
    /// (a 429 or 503), grown again along a CUBIC curve while requests succeed (the AWS
    /// SDKs' adaptive retry mode). For a vendor that states neither limits nor
    /// headers. The state starts afresh.
    #[must_use]
    pub fn adaptive(self) -> Self {
        self.rebuild(|i| i.adaptive = true)
    }

    /// At most `n` live keys in each of the pacer's tables (at least 16; default
    /// [`DEFAULT_MAX_KEYS`]): past it, idle keys are dropped first, then the least
    /// recently used half. The state starts afresh.
    #[must_use]
    pub fn max_keys(self, n: usize) -> Self {
        self.rebuild(|i| i.max_keys = n.max(16))
    }

    fn rebuild(self, f: impl FnOnce(&mut Inner)) -> Self {
        let mut inner = Inner {
            limits: self.inner.limits,
            adaptive: self.inner.adaptive,
            max_keys: self.inner.max_keys,
            state: Mutex::new(State::default()),
            shared: self.inner.shared.clone(),
            shared_timeout: self.inner.shared_timeout,
            shared_down: Mutex::new(None),
            lease: self.inner.lease,
            leases: Mutex::new(HashMap::new()),
            name: self.inner.name.clone(),
            epoch: self.inner.epoch,
        };
        f(&mut inner);
        Pacer {
            inner: Arc::new(inner),
        }
    }

    /// Whether it can never hold a request: no documented limit, no rate-limit
    /// header, not adaptive.
    pub fn is_inert(&self) -> bool {
        self.inner.limits.is_empty() && !self.inner.adaptive
    }

    /// The limits it paces by.
    pub fn limits(&self) -> &VendorLimits {
        &self.inner.limits
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // A panic elsewhere while holding the lock leaves plain numbers: go on.
        self.inner
            .state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Books `request` to be sent at `now` plus the returned wait: the least wait
    /// that keeps every limit it falls under (documented, stated by the server,
    /// global, adaptive). The booking is made: a later request of the same key waits
    /// behind it (first come, first served). A concurrency limit that is full holds
    /// the request without a booking: ask again after [`CONCURRENCY_POLL`], or after
    /// a [`release`](Self::release).
    pub fn reserve(&self, request: &PaceRequest<'_>, now: Instant) -> Hold {
        self.reserve_with(request, now, true)
    }

    /// As [`reserve`](Self::reserve), asking the shared store (if the pacer has one:
    /// [`shared`](Self::shared)) for the documented limits: one round trip, bounded
    /// by the shared timeout; when the store is slow or down, the local cells decide.
    pub async fn reserve_async(&self, request: &PaceRequest<'_>, now: Instant) -> Hold {
        let Some(store) = self.inner.shared.as_ref() else {
            return self.reserve_with(request, now, true);
        };
        let down = self
            .inner
            .shared_down
            .lock()
            .map(|d| d.is_some_and(|until| now < until))
            .unwrap_or(false);
        if down {
            return self.reserve_with(request, now, true);
        }
        let cells: Vec<crate::pace::shared::CellRequest> = self
            .applicable(request)
            .filter_map(|(i, limit)| {
                let (emission, tolerance) = gcra(limit.kind(), request.cost)?;
                Some(crate::pace::shared::CellRequest {
                    key: format!(
                        "{}:{i}:{}",
                        self.inner.name,
                        scope(limit.counted_per(), request)
                    ),
                    emission,
                    tolerance,
                })
            })
            .collect();
        if cells.is_empty() {
            return self.reserve_with(request, now, true);
        }
        let lease = u64::from(self.inner.lease);
        let cost = u64::from(request.cost);
        let signature = (lease > 1).then(|| {
            cells
                .iter()
                .map(|c| c.key.as_str())
                .collect::<Vec<_>>()
                .join("\u{1f}")
        });
        if let Some(sig) = &signature {
            let leased = self.inner.leases.lock().ok().and_then(|mut leases| {
                let (left, ready, lapse) = leases.get_mut(sig)?;
                if *left >= cost && now < *lapse {
                    *left -= cost;
                    Some(ready.saturating_duration_since(now))
                } else {
                    None
                }
            });
            if let Some(wait) = leased {
                return self.with_documented(request, now, wait);
            }
        }
        let cells: Vec<crate::pace::shared::CellRequest> = if lease > 1 {
            let n = u32::try_from(lease).unwrap_or(u32::MAX);
            cells
                .into_iter()
                .map(|c| crate::pace::shared::CellRequest {
                    emission: c.emission.saturating_mul(n),
                    ..c
                })
                .collect()
        } else {
            cells
        };
        let (base, wall) = self.inner.epoch;
        let at = wall + now.saturating_duration_since(base);
        let now_us = at
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| u64::try_from(d.as_micros()).unwrap_or(u64::MAX));
        let asked = store.reserve(&cells, now_us);
        #[cfg(feature = "tokio")]
        let answer = match tokio::time::timeout(self.inner.shared_timeout, asked).await {
            Ok(answer) => answer,
            Err(elapsed) => Err(Box::new(elapsed) as crate::BoxError),
        };
        #[cfg(not(feature = "tokio"))]
        let answer = asked.await;
        match answer {
            Ok(wait) => {
                if let Some(sig) = signature {
                    let spread = cells.iter().map(|c| c.emission).max().unwrap_or_default();
                    let ready = now + wait;
                    if let Ok(mut leases) = self.inner.leases.lock() {
                        leases.insert(sig, ((lease - 1) * cost, ready, ready + spread));
                        if leases.len() > self.inner.max_keys {
                            leases.retain(|_, l| l.2 > now);
                        }
                    }
                }
                self.with_documented(request, now, wait)
            }
            Err(_error) => {
                #[cfg(feature = "tracing")]
                tracing::warn!(error = %_error, "api-errors: the shared pacing store failed; pacing alone for a second");
                if let Ok(mut d) = self.inner.shared_down.lock() {
                    *d = Some(now + SHARED_RETRY);
                }
                self.reserve_with(request, now, true)
            }
        }
    }

    /// Everything but the documented cells, held at least `wait` for them.
    fn with_documented(&self, request: &PaceRequest<'_>, now: Instant, wait: Duration) -> Hold {
        let mut hold = self.reserve_with(request, now, false);
        if wait > hold.wait {
            hold = Hold {
                wait,
                reason: Some(HoldReason::Documented),
            };
        }
        hold
    }

    fn reserve_with(&self, request: &PaceRequest<'_>, now: Instant, documented: bool) -> Hold {
        let max_keys = self.inner.max_keys;
        let mut st = self.state();
        let mut hold = Hold {
            wait: Duration::ZERO,
            reason: None,
        };
        let raise = |wait: Duration, reason: HoldReason, hold: &mut Hold| {
            if wait > hold.wait {
                *hold = Hold {
                    wait,
                    reason: Some(reason),
                };
            }
        };
        // A concurrency limit that is full: no booking at all.
        for (i, limit) in self.applicable(request) {
            if let LimitKind::Concurrency(n) = limit.kind() {
                let key = (i, scope(limit.counted_per(), request));
                if st.in_flight.get(&key).is_some_and(|(k, _)| *k >= n) {
                    return Hold {
                        wait: CONCURRENCY_POLL,
                        reason: Some(HoldReason::Concurrency),
                    };
                }
            }
        }
        if let Some(until) = st.global_until {
            if until > now {
                raise(until - now, HoldReason::Global, &mut hold);
            } else {
                st.global_until = None;
            }
        }
        // The server's own state for the request's bucket.
        let bucket = server_key(&st, request, &self.inner.limits);
        if let Some(server) = st.servers.get_mut(&bucket) {
            let at = server.book(u64::from(request.cost), now);
            if at > now {
                raise(at - now, HoldReason::Spent, &mut hold);
            }
        }
        // Documented limits: find the wait every cell allows, then book them all.
        let mut cells = Vec::new();
        for (i, limit) in self.applicable(request).filter(|_| documented) {
            let Some((emission, tolerance)) = gcra(limit.kind(), request.cost) else {
                continue;
            };
            let key = (i, scope(limit.counted_per(), request));
            let cell = st.cells.get(&key).copied().unwrap_or_default();
            // GCRA: a request may go when its new arrival time is within the
            // tolerance of it: max(tat, t) + emission - tolerance <= t.
            let next = cell.tat.map_or(now, |tat| tat.max(now)) + emission;
            let allowed = next.checked_sub(tolerance).unwrap_or(now).max(now);
            if allowed > now {
                let reason = match limit.kind() {
                    LimitKind::Interval(_) => HoldReason::Interval,
                    _ => HoldReason::Documented,
                };
                raise(allowed - now, reason, &mut hold);
            }
            // Booked when this limit lets it go: a request held longer by another
            // limit (a spent server bucket) does not push this one's schedule ahead
            // for requests that are not held by it.
            cells.push((
                key,
                Cell {
                    tat: Some(next),
                    used: Some(now),
                },
            ));
        }
        if self.inner.adaptive {
            let (count, since) = st.sent;
            match since {
                Some(t) if now.saturating_duration_since(t) < Duration::from_secs(1) => {
                    st.sent = (count.saturating_add(1), Some(t));
                }
                _ => {
                    if since.is_some() {
                        st.measured = f64::from(count);
                    }
                    st.sent = (1, Some(now));
                }
            }
        }
        if let Some(cubic) = st.adaptive {
            let emission = Duration::from_secs_f64(1.0 / cubic.rate.max(MIN_RATE));
            let cell = st.adaptive_cell;
            let at = cell.tat.map_or(now, |t| t.max(now));
            if at > now {
                raise(at - now, HoldReason::Adaptive, &mut hold);
            }
            st.adaptive_cell = Cell {
                tat: Some(at + emission),
                used: Some(now),
            };
        }
        for (key, cell) in cells {
            st.cells.insert(key, cell);
        }
        if st.cells.len() > max_keys {
            evict(&mut st.cells, max_keys, |c| {
                (c.used.unwrap_or(now), c.tat.is_none_or(|t| t <= now))
            });
        }
        #[cfg(feature = "tracing")]
        if let Some(reason) = hold.reason {
            tracing::debug!(wait = ?hold.wait, ?reason, "api-errors: pacing holds a request");
        }
        hold
    }

    /// A request counted against a concurrency limit is in flight: call when it is
    /// sent (after a [`reserve`](Self::reserve) that held it for nothing else), and
    /// [`release`](Self::release) when its response is in.
    pub fn start(&self, request: &PaceRequest<'_>, now: Instant) {
        let mut st = self.state();
        for (i, limit) in self.applicable(request) {
            if let LimitKind::Concurrency(_) = limit.kind() {
                let key = (i, scope(limit.counted_per(), request));
                let entry = st.in_flight.entry(key).or_insert((0, now));
                *entry = (entry.0.saturating_add(1), now);
            }
        }
    }

    /// The request's response is in (or it failed): a concurrency slot is free.
    pub fn release(&self, request: &PaceRequest<'_>) {
        let mut st = self.state();
        for (i, limit) in self.applicable(request) {
            if let LimitKind::Concurrency(_) = limit.kind() {
                let key = (i, scope(limit.counted_per(), request));
                if let Some(entry) = st.in_flight.get_mut(&key) {
                    entry.0 = entry.0.saturating_sub(1);
                    if entry.0 == 0 {
                        st.in_flight.remove(&key);
                    }
                }
            }
        }
    }

    /// What a response said: its status and headers (the spec's rate-limit headers,
    /// and `Retry-After` for a throttled one), read at `now` (`wall` is the wall
    /// clock, for resets stated as dates or epoch seconds).
    pub fn observe<H: Headers + ?Sized>(
        &self,
        request: &PaceRequest<'_>,
        status: u16,
        headers: &H,
        now: Instant,
        wall: SystemTime,
    ) {
        let stated = self.inner.limits.headers().read(headers, wall);
        let throttled = status == 429 || status == 503;
        let retry_after = (status == 429)
            .then(|| headers.header("retry-after"))
            .flatten()
            .and_then(|v| crate::parse_retry_after(v, wall));
        self.learn(request, &stated, throttled, retry_after, now);
    }

    /// What a response's headers said ([`RateHeaders::read`](crate::RateHeaders::read)),
    /// whether the response was a throttling one, and the server's `Retry-After` on
    /// a 429; for callers that read the headers themselves.
    pub fn learn(
        &self,
        request: &PaceRequest<'_>,
        stated: &RateState,
        throttled: bool,
        retry_after: Option<Duration>,
        now: Instant,
    ) {
        let max_keys = self.inner.max_keys;
        let limits = self.inner.limits;
        let mut st = self.state();
        if let (Some(route), Some(bucket)) = (request.route, &stated.bucket) {
            if st.routes.get(route) != Some(bucket) {
                st.routes.insert(route.to_owned(), bucket.clone());
                if st.routes.len() > max_keys {
                    // Route names carry no time: drop half, arbitrarily (bounded).
                    let drop: Vec<String> = st.routes.keys().take(max_keys / 2).cloned().collect();
                    for k in drop {
                        st.routes.remove(&k);
                    }
                }
            }
        }
        let reset = stated.reset.or(retry_after.filter(|_| throttled));
        if throttled && stated.global {
            if let Some(r) = reset {
                let until = now.checked_add(r).unwrap_or(now + MAX_HOLD);
                st.global_until = Some(st.global_until.map_or(until, |g| g.max(until)));
            }
        }
        let remaining = match (stated.remaining, throttled) {
            (Some(r), _) => Some(r),
            // A throttled answer with a stated reset: nothing remains until then.
            (None, true) if reset.is_some() && !limits.headers().is_empty() => Some(0),
            _ => None,
        };
        if let (Some(remaining), Some(reset), true) =
            (remaining, reset, limits.headers().refills_continuously())
        {
            // A token bucket: spread what is left of the limit over the refill.
            let key = server_key(&st, request, &limits);
            let limit = stated
                .limit
                .or_else(|| st.servers.get(&key).and_then(|s| s.limit));
            if let Some(limit) = limit.filter(|&l| l > 0) {
                let reset = reset.min(MAX_HOLD);
                let missing = limit.saturating_sub(remaining).max(1);
                let per = reset / u32::try_from(missing).unwrap_or(u32::MAX);
                let per = per.max(Duration::from_nanos(1));
                let tau = per.saturating_mul(u32::try_from(limit).unwrap_or(u32::MAX));
                let full = now.checked_add(reset).unwrap_or(now);
                let entry = st.servers.entry(key).or_insert(Server {
                    remaining,
                    reset_at: full,
                    limit: Some(limit),
                    window: reset,
                    queued: 0,
                    used: now,
                    refill: None,
                });
                // The server's word, or what has been booked since, whichever is later.
                let tat = entry.refill.map_or(full, |(_, t, _)| t.max(full));
                entry.refill = Some((per, tat, tau));
                entry.limit = Some(limit);
                entry.used = now;
                if st.servers.len() > max_keys {
                    evict(&mut st.servers, max_keys, |s| {
                        let at_rest = s.refill.is_none_or(|(_, tat, _)| tat <= now);
                        (s.used, at_rest && s.reset_at <= now && s.queued == 0)
                    });
                }
            }
        } else if let (Some(remaining), Some(reset)) = (remaining, reset) {
            let key = server_key(&st, request, &limits);
            let reset_at = now.checked_add(reset.min(MAX_HOLD)).unwrap_or(now);
            match st.servers.get_mut(&key) {
                Some(s) if now < s.reset_at && reset_at <= s.reset_at + s.window => {
                    // The same window (its end as the server now says): what the
                    // server counts, or what has been booked since, whichever is less.
                    s.remaining = s.remaining.min(remaining);
                    s.reset_at = s.reset_at.max(reset_at);
                    s.window = s.window.max(reset.min(MAX_HOLD));
                    s.limit = stated.limit.or(s.limit);
                    s.used = now;
                }
                _ => {
                    // A new window; the longest reset distance seen is the window's
                    // length (a fixed window's first answer, a token bucket's refill).
                    let window = st
                        .servers
                        .get(&key)
                        .map_or(Duration::ZERO, |s| s.window)
                        .max(reset.min(MAX_HOLD));
                    let queued = st.servers.get(&key).map_or(0, |s| s.queued);
                    let server = Server {
                        remaining,
                        reset_at,
                        limit: stated.limit,
                        window,
                        queued,
                        used: now,
                        refill: None,
                    };
                    st.servers.insert(key, server);
                    if st.servers.len() > max_keys {
                        evict(&mut st.servers, max_keys, |s| {
                            (s.used, s.reset_at <= now && s.queued == 0)
                        });
                    }
                }
            }
        }
        if self.inner.adaptive {
            let measured = st.measured.max(f64::from(st.sent.0));
            let cubic = st.adaptive.get_or_insert_with(Cubic::start);
            if throttled {
                cubic.throttled(measured, now);
            } else {
                cubic.succeeded(now);
            }
        }
    }

    /// The pacer's state for a caller or route key (`""`: the whole API), for metrics.
    pub fn key_state(&self, key: &str, now: Instant) -> KeyState {
        let st = self.state();
        let server = st
            .routes
            .get(key)
            .and_then(|b| st.servers.get(&bucket_key(b)))
            .or_else(|| st.servers.get(key));
        KeyState {
            remaining: server.map(|s| {
                if now >= s.reset_at {
                    s.limit.unwrap_or(s.remaining)
                } else {
                    s.remaining
                }
            }),
            reset: server.map(|s| s.reset_at.saturating_duration_since(now)),
            rate: st.adaptive.map(|c| c.rate),
        }
    }

    /// How many keys the pacer holds state for (cells, server buckets, routes).
    pub fn live_keys(&self) -> usize {
        let st = self.state();
        st.cells.len() + st.servers.len() + st.routes.len() + st.in_flight.len()
    }

    /// The documented limits `request` falls under, with their places.
    fn applicable<'s>(
        &'s self,
        request: &'s PaceRequest<'_>,
    ) -> impl Iterator<Item = (usize, &'s DocumentedLimit)> + 's {
        self.inner
            .limits
            .documented()
            .iter()
            .enumerate()
            .filter(move |(_, l)| match l.counts() {
                Requests::All => true,
                Requests::Reads => !request.write,
                Requests::Writes => request.write,
            })
    }
}

/// How long a shared decision may take by default before the local cells decide.
pub const DEFAULT_SHARED_TIMEOUT: Duration = Duration::from_millis(20);

/// How long a failed shared store is left alone before it is asked again.
const SHARED_RETRY: Duration = Duration::from_secs(1);

/// How long a full concurrency limit holds a request before it asks again.
pub const CONCURRENCY_POLL: Duration = Duration::from_millis(10);

/// No server-stated window or reset is held longer than this (a year away is a day).
const MAX_HOLD: Duration = Duration::from_secs(86_400);

/// The adaptive rate's floor, in requests per second.
const MIN_RATE: f64 = 0.5;

/// The key of a limit's scope for `request`.
fn scope(per: Per, request: &PaceRequest<'_>) -> String {
    match per {
        Per::Api => String::new(),
        Per::Caller => request.caller.unwrap_or_default().to_owned(),
        Per::Route => request.route.unwrap_or_default().to_owned(),
    }
}

fn bucket_key(bucket: &str) -> String {
    format!("bucket:{bucket}")
}

/// Which server bucket `request` counts against: the bucket the server named for its
/// route, else its route where the vendor names buckets (limits per route), else the
/// whole API.
fn server_key(st: &State, request: &PaceRequest<'_>, limits: &VendorLimits) -> String {
    let per_route = limits.headers().bucket_named();
    match request.route {
        Some(route) => match st.routes.get(route) {
            Some(bucket) => bucket_key(bucket),
            None if per_route => route.to_owned(),
            None => String::new(),
        },
        None => String::new(),
    }
}

/// A limit's GCRA parameters for a request of `cost`: (emission interval, tolerance).
fn gcra(kind: LimitKind, cost: u32) -> Option<(Duration, Duration)> {
    match kind {
        LimitKind::Count { count, window } => {
            let window = window.max(Duration::from_millis(1));
            let per = window / u32::try_from(count).unwrap_or(u32::MAX).max(1);
            // A burst of `count` (a window's worth) goes at once.
            Some((per.saturating_mul(cost), window))
        }
        LimitKind::Interval(d) => Some((d.saturating_mul(cost), d)),
        LimitKind::Concurrency(_) => None,
    }
}

impl Server {
    /// Books `cost` in this bucket; the time the request may be sent.
    fn book(&mut self, cost: u64, now: Instant) -> Instant {
        self.used = now;
        if let Some((per, tat, tau)) = self.refill {
            let next = tat.max(now) + per.saturating_mul(u32::try_from(cost).unwrap_or(u32::MAX));
            self.refill = Some((per, next, tau));
            return next.checked_sub(tau).unwrap_or(now).max(now);
        }
        if now >= self.reset_at {
            // A new window: as the server said the limit is (else one probe).
            let windows =
                1 + now.duration_since(self.reset_at).as_nanos() / self.window.as_nanos().max(1);
            let advance = self
                .window
                .saturating_mul(u32::try_from(windows).unwrap_or(u32::MAX));
            self.reset_at = self.reset_at.checked_add(advance).unwrap_or(now);
            let fresh = self.limit.unwrap_or(1);
            let carried = self.queued.min(fresh);
            self.queued -= carried;
            self.remaining = fresh - carried;
        }
        if self.remaining >= cost {
            self.remaining -= cost;
            return now;
        }
        // Spent: the request goes in a later window, behind those already booked.
        let per_window = self.limit.unwrap_or(1).max(1);
        let ahead = self.queued / per_window;
        self.queued = self.queued.saturating_add(cost);
        let later = self
            .window
            .saturating_mul(u32::try_from(ahead).unwrap_or(u32::MAX));
        self.reset_at.checked_add(later).unwrap_or(self.reset_at)
    }
}

/// Drops idle entries (`meta` gives each its last use and whether it is idle), then,
/// if more than half of `max` are left, the least recently used down to half.
fn evict<K: Clone + Eq + std::hash::Hash, V>(
    map: &mut HashMap<K, V>,
    max: usize,
    meta: impl Fn(&V) -> (Instant, bool),
) {
    map.retain(|_, v| !meta(v).1);
    if map.len() > max / 2 {
        let mut ages: Vec<(Instant, K)> = map.iter().map(|(k, v)| (meta(v).0, k.clone())).collect();
        ages.sort_unstable_by_key(|a| a.0);
        let drop = map.len() - max / 2;
        for (_, k) in ages.into_iter().take(drop) {
            map.remove(&k);
        }
    }
}

/// A CUBIC rate (the AWS SDKs' adaptive retry mode): cut to 70% of the rate at the
/// last throttle, then grown along `C × (t − K)^3 + W_max`.
#[derive(Debug, Clone, Copy)]
struct Cubic {
    /// The current send rate, requests per second.
    rate: f64,
    /// The rate when the last throttle came.
    w_max: f64,
    last_throttle: Option<Instant>,
}

impl Cubic {
    const BETA: f64 = 0.7;
    const SCALE: f64 = 0.4;
    /// The rate before any throttle: unbounded in effect (it paces nothing).
    const START: f64 = 1e6;

    fn start() -> Self {
        Cubic {
            rate: Self::START,
            w_max: Self::START,
            last_throttle: None,
        }
    }

    /// A throttling response; `measured` is the send rate of the last second.
    fn throttled(&mut self, measured: f64, now: Instant) {
        // Cut from the rate actually achieved: the lesser of what was sent and what
        // the curve allowed.
        let base = measured.min(self.rate).max(MIN_RATE);
        self.w_max = base;
        self.rate = (base * Self::BETA).max(MIN_RATE);
        self.last_throttle = Some(now);
    }

    fn succeeded(&mut self, now: Instant) {
        let Some(at) = self.last_throttle else {
            return;
        };
        let t = now.saturating_duration_since(at).as_secs_f64();
        let k = (self.w_max * (1.0 - Self::BETA) / Self::SCALE).cbrt();
        let grown = Self::SCALE * (t - k).powi(3) + self.w_max;
        if grown.is_finite() {
            self.rate = grown.clamp(MIN_RATE, Self::START);
        }
    }
}
