//! A vendor's limits as data: what its pages document (a count per window, the least
//! time between requests, the most in flight) and where its responses state the live
//! state (remaining, limit, reset, bucket, scope). Generated from a spec's `limits:`;
//! read by the [`Pacer`](crate::Pacer).

use std::time::{Duration, SystemTime};

use crate::response::error::Headers;
use crate::response::wait::{parse_wait, WaitFormat};

/// What a documented limit is counted per.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Per {
    /// Every request through the pacer (the whole API key). The default.
    #[default]
    Api,
    /// A key the caller supplies with each request (a user id, a channel id):
    /// [`PaceRequest::caller`](crate::PaceRequest::caller).
    Caller,
    /// The request's route (its method and path, as the request says:
    /// [`PaceRequest::route`](crate::PaceRequest::route)).
    Route,
}

/// Which requests a documented limit counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Requests {
    /// All of them. The default.
    #[default]
    All,
    /// Reads only (GET, HEAD, OPTIONS).
    Reads,
    /// Writes only (every other method): "wait 1 s between mutating requests".
    Writes,
}

/// What a documented limit bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum LimitKind {
    /// At most `count` requests (or units of cost) per `window`, in bursts up to
    /// `count`.
    Count {
        /// Requests per window.
        count: u64,
        /// The window.
        window: Duration,
    },
    /// At least this long between two requests.
    Interval(Duration),
    /// At most this many requests in flight at once.
    Concurrency(u32),
}

/// One documented limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DocumentedLimit {
    kind: LimitKind,
    per: Per,
    requests: Requests,
}

impl DocumentedLimit {
    /// `count` requests per `window` (`count` at least 1; a zero window counts as a
    /// millisecond).
    pub const fn count(count: u64, window: Duration) -> Self {
        Self::of(LimitKind::Count {
            count: if count == 0 { 1 } else { count },
            window,
        })
    }

    /// At least `d` between two requests.
    pub const fn interval(d: Duration) -> Self {
        Self::of(LimitKind::Interval(d))
    }

    /// At most `n` requests in flight (at least 1).
    pub const fn concurrency(n: u32) -> Self {
        Self::of(LimitKind::Concurrency(if n == 0 { 1 } else { n }))
    }

    const fn of(kind: LimitKind) -> Self {
        DocumentedLimit {
            kind,
            per: Per::Api,
            requests: Requests::All,
        }
    }

    /// The same limit, counted per `per`.
    #[must_use]
    pub const fn per(mut self, per: Per) -> Self {
        self.per = per;
        self
    }

    /// The same limit, counting only `requests`.
    #[must_use]
    pub const fn requests(mut self, requests: Requests) -> Self {
        self.requests = requests;
        self
    }

    /// What it bounds.
    pub const fn kind(&self) -> LimitKind {
        self.kind
    }

    /// What it is counted per.
    pub const fn counted_per(&self) -> Per {
        self.per
    }

    /// Which requests it counts.
    pub const fn counts(&self) -> Requests {
        self.requests
    }
}

/// Where a vendor's responses state the live state of its limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct RateHeaders {
    remaining: Option<&'static str>,
    limit: Option<&'static str>,
    reset: Option<(&'static str, WaitFormat)>,
    bucket: Option<&'static str>,
    global: Option<(&'static str, &'static str)>,
    used: Option<&'static str>,
    ietf: Option<&'static str>,
    continuous: bool,
}

impl RateHeaders {
    /// No headers.
    pub const NONE: Self = RateHeaders {
        remaining: None,
        limit: None,
        reset: None,
        bucket: None,
        global: None,
        used: None,
        ietf: None,
        continuous: false,
    };

    /// The bucket refills continuously (a token bucket): the stated reset is when it
    /// is full again, and requests are spread over it, `reset / (limit - remaining)`
    /// apart. Without it, the reset ends a fixed window: the remaining count holds
    /// until then, and the limit is whole again after it.
    #[must_use]
    pub const fn continuous(mut self) -> Self {
        self.continuous = true;
        self
    }

    /// Whether the bucket refills continuously (see [`continuous`](Self::continuous)).
    pub const fn refills_continuously(&self) -> bool {
        self.continuous
    }

    /// The header with the requests left in the window (`x-ratelimit-remaining`).
    #[must_use]
    pub const fn remaining(mut self, name: &'static str) -> Self {
        self.remaining = Some(name);
        self
    }
    /// The header with the window's limit (`x-ratelimit-limit`).
    #[must_use]
    pub const fn limit(mut self, name: &'static str) -> Self {
        self.limit = Some(name);
        self
    }
    /// The header with the window's reset, in `format` (epoch seconds, a delta, a
    /// Go duration, ...).
    #[must_use]
    pub const fn reset(mut self, name: &'static str, format: WaitFormat) -> Self {
        self.reset = Some((name, format));
        self
    }
    /// The header naming the bucket a request counted against: requests of routes
    /// that share a bucket share its state (`X-RateLimit-Bucket`).
    #[must_use]
    pub const fn bucket(mut self, name: &'static str) -> Self {
        self.bucket = Some(name);
        self
    }
    /// The header (and value) that says the reported limit holds every key: a 429
    /// with it holds every request until its reset.
    #[must_use]
    pub const fn global(mut self, name: &'static str, equals: &'static str) -> Self {
        self.global = Some((name, equals));
        self
    }
    /// A header with a compound `used/limit` value (`32/40`).
    #[must_use]
    pub const fn used(mut self, name: &'static str) -> Self {
        self.used = Some(name);
        self
    }
    /// An IETF `RateLimit` field (`"default";r=0;t=30`: remaining `r`, reset `t`).
    #[must_use]
    pub const fn ietf(mut self, name: &'static str) -> Self {
        self.ietf = Some(name);
        self
    }

    /// Whether the vendor names buckets (its limits are per route until a bucket
    /// id says which routes share one).
    pub const fn bucket_named(&self) -> bool {
        self.bucket.is_some()
    }

    /// Whether any header is named.
    pub const fn is_empty(&self) -> bool {
        self.remaining.is_none()
            && self.limit.is_none()
            && self.reset.is_none()
            && self.bucket.is_none()
            && self.global.is_none()
            && self.used.is_none()
            && self.ietf.is_none()
    }

    /// What a response's headers say. Unreadable values (a negative or garbage
    /// count, a reset that is not in its format) are left out, never guessed.
    pub fn read<H: Headers + ?Sized>(&self, headers: &H, now: SystemTime) -> RateState {
        let text = |name: Option<&str>| {
            name.and_then(|n| headers.header(n))
                .and_then(|v| std::str::from_utf8(v).ok())
                .map(str::trim)
        };
        let count = |t: Option<&str>| t.and_then(|t| t.parse::<u64>().ok());
        let mut state = RateState {
            remaining: count(text(self.remaining)),
            limit: count(text(self.limit)),
            reset: self
                .reset
                .and_then(|(n, f)| parse_wait(f, text(Some(n))?, now)),
            bucket: text(self.bucket)
                .filter(|b| !b.is_empty())
                .map(|b| bounded(b).to_owned()),
            global: self
                .global
                .is_some_and(|(n, want)| text(Some(n)) == Some(want)),
        };
        if let Some((used, limit)) = text(self.used).and_then(|t| t.split_once('/')) {
            if let (Some(u), Some(l)) = (count(Some(used.trim())), count(Some(limit.trim()))) {
                state.limit = state.limit.or(Some(l));
                state.remaining = state.remaining.or(Some(l.saturating_sub(u)));
            }
        }
        if let Some(field) = text(self.ietf) {
            let (r, t) = crate::response::wait::ratelimit_parts(field, None);
            state.remaining = state.remaining.or(r);
            state.reset = state.reset.or(t);
        }
        state
    }
}

/// A bucket id is the server's text: kept to a bound.
fn bounded(s: &str) -> &str {
    let mut end = s.len().min(128);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// What one response's headers said of its limit.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RateState {
    /// Requests left in the window.
    pub remaining: Option<u64>,
    /// The window's limit.
    pub limit: Option<u64>,
    /// Until the window resets.
    pub reset: Option<Duration>,
    /// The bucket the request counted against.
    pub bucket: Option<String>,
    /// Whether the limit holds every key (a global limit).
    pub global: bool,
}

impl RateState {
    /// Nothing said.
    pub const NONE: Self = RateState {
        remaining: None,
        limit: None,
        reset: None,
        bucket: None,
        global: false,
    };

    /// Whether the headers said anything.
    pub fn is_empty(&self) -> bool {
        *self == RateState::default()
    }
}

/// A vendor's limits: the documented ones and the headers that state the live state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct VendorLimits {
    documented: &'static [DocumentedLimit],
    headers: RateHeaders,
}

impl VendorLimits {
    /// The vendor documents no limit and sends no headers.
    pub const NONE: Self = VendorLimits {
        documented: &[],
        headers: RateHeaders::NONE,
    };

    /// Documented limits, and where responses state the live state.
    pub const fn new(documented: &'static [DocumentedLimit], headers: RateHeaders) -> Self {
        VendorLimits {
            documented,
            headers,
        }
    }

    /// The documented limits.
    pub const fn documented(&self) -> &'static [DocumentedLimit] {
        self.documented
    }

    /// The rate-limit headers.
    pub const fn headers(&self) -> &RateHeaders {
        &self.headers
    }

    /// Whether there is nothing to pace by.
    pub const fn is_empty(&self) -> bool {
        self.documented.is_empty() && self.headers.is_empty()
    }
}
