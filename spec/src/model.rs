//! The typed model between validation and expansion: one API of a spec, checked.
//! Expansion reads only this, never the YAML.

use crate::spec::When;

/// One API of a spec, resolved and checked: all that expansion needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Model {
    pub vendor: String,
    pub source: Option<String>,
    pub api: String,
    pub api_title: String,
    pub body: Option<BodyModel>,
    pub transport: Option<TransportModel>,
    /// The wait sources in order; `None`: the runtime's default (`Retry-After`).
    pub waits: Option<Vec<WaitModel>>,
    /// The header whose `true`/`false` overrides the retry decision.
    pub should_retry_header: Option<String>,
    /// When a 2xx response is an error: (path steps, value).
    pub errors_in_success: Vec<(Vec<String>, Option<String>)>,
    /// When such an error took effect all the same: (path steps, value).
    pub partial_success: Vec<(Vec<String>, Option<String>)>,
    /// The vendor's ceiling on single waits, in milliseconds, if the spec states one.
    pub max_wait_ms: Option<u64>,
    /// The vendor's SDK's retry defaults, if the spec states them.
    pub client: Option<ClientModel>,
    /// The vendor's documented limits and rate-limit headers, if the spec states them.
    pub limits: Option<LimitsModel>,
    /// Where a batch response holds its items' responses, if the spec says.
    pub batch: Option<BatchModel>,
    pub variants: Vec<Variant>,
    /// Status -> index into `variants`, ascending by status.
    pub by_status: Vec<(u16, usize)>,
    /// Ranges of statuses (`5xx`) -> index into `variants`, for the statuses
    /// `by_status` does not list; they do not overlap.
    pub by_range: Vec<((u16, u16), usize)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    pub name: String,
    /// The first status the entry lists: what `status()` returns.
    pub status: u16,
    /// Every status the entry stands for, as inclusive ranges in spec order
    /// (`[(404, 404)]` for one status).
    pub statuses: Vec<(u16, u16)>,
    /// `header:` conditions that must all hold: (name, value; `None`: present).
    pub headers: Vec<(String, Option<String>)>,
    /// Whether another entry of the API lists one of this entry's codes (at other
    /// statuses): the code then identifies only together with the status.
    pub shared_code: bool,
    /// The first of `codes`: what `code()` returns.
    pub code: Option<String>,
    /// Every app code this entry stands for.
    pub codes: Vec<String>,
    /// The spec key they were written under (`code` or `codes`), to locate them.
    pub codes_key: &'static str,
    /// The body's error type this entry is, if it says.
    pub error_type: Option<String>,
    /// Text the server's message must contain, if the entry says.
    pub message_contains: Option<String>,
    pub title: Option<String>,
    pub meaning: String,
    pub advice: Option<String>,
    /// `None`: the vendor gives no retry guidance; the status class default applies.
    pub retry: Option<Hint>,
}

impl Variant {
    /// Whether the entry is told apart by more than status and app code: it is then
    /// matched on its conditions before codes and statuses are looked up.
    pub fn is_matcher(&self) -> bool {
        self.has_conditions()
            || (!self.codes.is_empty() && (self.shared_code || !self.single_status()))
    }

    /// Whether the entry sets conditions beyond status and code (error type,
    /// message text, headers).
    pub fn has_conditions(&self) -> bool {
        self.error_type.is_some() || self.message_contains.is_some() || !self.headers.is_empty()
    }

    /// Whether the entry stands for exactly one status.
    pub fn single_status(&self) -> bool {
        matches!(self.statuses.as_slice(), [(lo, hi)] if lo == hi)
    }

    /// Whether the entry stands for `status`.
    pub fn covers(&self, status: u16) -> bool {
        self.statuses
            .iter()
            .any(|&(lo, hi)| (lo..=hi).contains(&status))
    }

    /// How many conditions the entry sets (codes count as one, each header one): the
    /// more, the earlier it is tried.
    pub fn specificity(&self) -> usize {
        usize::from(!self.codes.is_empty())
            + usize::from(self.error_type.is_some())
            + usize::from(self.message_contains.is_some())
            + self.headers.len()
    }
}

impl Variant {
    /// The entry's statuses as a spec writes them: `404`, `400, 412`, `5xx`.
    pub fn statuses_text(&self) -> String {
        self.statuses
            .iter()
            .map(|&(lo, hi)| status_text(lo, hi))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A status or range as a spec writes it: `404`, `5xx`, `500-504`.
pub fn status_text(lo: u16, hi: u16) -> String {
    if lo == hi {
        lo.to_string()
    } else if lo.is_multiple_of(100) && hi == lo + 99 {
        format!("{}xx", lo / 100)
    } else {
        format!("{lo}-{hi}")
    }
}

/// The retry defaults of a vendor's SDK (`client:`), checked; durations in
/// milliseconds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientModel {
    pub sdk: Option<String>,
    pub attempts: Option<u32>,
    pub backoff_ms: Option<(u64, u64)>,
    pub jitter: Option<JitterModel>,
    pub min_delay_ms: Option<u64>,
    pub max_wait_ms: Option<u64>,
    /// An index into `spec::LONG_WAIT_WORDS`.
    pub long_wait: Option<usize>,
}

/// `limits:`, checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LimitsModel {
    pub rates: Vec<RateModel>,
    pub headers: Option<RateHeadersModel>,
}

/// One documented limit, checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateModel {
    pub kind: RateKind,
    /// An index into `spec::PER_WORDS`.
    pub per: usize,
    /// An index into `spec::REQUEST_WORDS`.
    pub requests: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateKind {
    /// `count` requests per `window_ms`.
    Count { count: u64, window_ms: u64 },
    /// At least `ms` between requests.
    Interval { ms: u64 },
    /// At most this many in flight.
    Concurrency(u32),
}

/// `limits.headers:`, checked (header names valid).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RateHeadersModel {
    pub remaining: Option<String>,
    pub limit: Option<String>,
    /// (header, an index into `spec::WAIT_FORMATS`).
    pub reset: Option<(String, usize)>,
    pub bucket: Option<String>,
    pub global: Option<(String, String)>,
    pub used: Option<String>,
    pub ietf: Option<String>,
    /// The bucket refills continuously (the reset is when it is full again).
    pub continuous: bool,
}

/// A jitter kind, checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JitterModel {
    /// An index into `spec::JITTER_WORDS`.
    Word(usize),
    /// A factor range in millionths, `0 <= low <= high <= 1000 × 10^6`.
    Factor(u64, u64),
}

/// One wait source, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitModel {
    pub from: WaitFromModel,
    /// An index into `spec::WAIT_FORMATS`.
    pub format: usize,
    pub only_if: Option<(String, String)>,
    /// The value is a minimum under the schedule (`as: minimum`).
    pub minimum: bool,
    /// The IETF `RateLimit` policy to read (format `ratelimit`); `None`: the first.
    pub policy: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WaitFromModel {
    Header(String),
    /// The member path's steps.
    Body(Vec<String>),
    /// The next wall-clock boundary: multiples of `every_ms` since the Unix epoch,
    /// shifted by `offset_ms` (`every: 24h, offset: 8h`: 08:00 UTC each day).
    Until {
        every_ms: u64,
        offset_ms: u64,
    },
}

/// The longest single wait when neither the policy nor the spec sets one (the
/// runtime's default `max_wait`), in milliseconds.
pub const DEFAULT_MAX_WAIT_MS: u64 = 60_000;

/// The statuses that an entry without retry guidance retries, with backoff (the
/// status class default, as the runtime's `RetryHint::for_status` applies it); an
/// entry of any other status without guidance is not retried.
pub const RETRIED_BY_DEFAULT: &[u16] = &[408, 429, 500, 502, 503, 504];

/// Retry guidance, checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hint {
    pub when: When,
    pub wait_ms: Option<u64>,
    pub retry_after: bool,
    pub fallback_ms: Option<u64>,
    /// (base, cap) in milliseconds.
    pub backoff_ms: Option<(u64, u64)>,
    /// An index into `spec::LONG_WAIT_WORDS`.
    pub long_wait: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransportModel {
    pub meaning: String,
    pub advice: Option<String>,
    /// The rule for each kind of failure (`retry:` filling those not given).
    pub connect: Option<Hint>,
    pub timeout: Option<Hint>,
    pub reset: Option<Hint>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyModel {
    Object(Box<ObjectFields>),
    /// The error array's path: its steps (none: the body itself is the array).
    JsonApi {
        errors: Vec<String>,
    },
    Problem,
}

/// Where each datum of an `object` body is: the member path's steps (unescaped).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ObjectFields {
    pub status: Option<Vec<String>>,
    pub code: Option<Vec<String>>,
    pub error_type: Option<Vec<String>>,
    pub message: Option<Vec<String>>,
    pub detail: Option<Vec<String>>,
    pub request_id: Option<Vec<String>>,
    pub trace_id: Option<Vec<String>>,
    pub details: Option<Vec<String>>,
    /// Where a body wait source reads (from `waits:`).
    pub wait: Option<Vec<String>>,
    /// `extra:` members: name, and a body path's steps or a header.
    pub extra: Vec<(String, WaitFromModel)>,
    /// Further sources, in priority order: (datum, source). Datum indices follow
    /// `spec::LISTED_MEMBERS` (code, type, message, request_id).
    pub alternatives: Vec<(usize, WaitFromModel)>,
    /// The clean-up of codes and types: (drop_from, keep_after).
    pub clean: Option<(Option<String>, Option<String>)>,
}

/// `batch:`, checked: member paths (as steps) to the items array (empty: the body
/// itself) and, from each item, to its status, headers, body and id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchModel {
    pub items: Vec<String>,
    pub status: Vec<String>,
    pub headers: Option<Vec<String>>,
    pub body: Option<Vec<String>>,
    pub id: Option<Vec<String>>,
    /// The most requests one batch may hold (`max_items`), 1 or more.
    pub max_items: Option<u32>,
}
