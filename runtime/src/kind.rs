//! What every generated error enum implements, and the retry guidance it carries.

use core::fmt;
use core::hash::Hash;
use core::time::Duration;

use crate::response::body::BodyShape;

/// Under which condition an error may be retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RetryWhen {
    /// Never: the request must change first (400, 404, 413, ...).
    Never,
    /// Always, after a delay.
    Always,
    /// Only when the operation is idempotent or carries an idempotency key
    /// (Amplitude's 500: "make sure you are including `insert_id`").
    IfIdempotent,
    /// Only after the credentials were refreshed (a 401 whose advice is
    /// "refresh the access token and retry").
    AfterReauthentication,
}

/// A vendor's retry guidance for one error: whether, and how long to wait first.
///
/// The delay itself comes from the retry policy's backoff schedule, raised to
/// [`min_wait`](Self::min_wait) when the vendor demands a fixed wait, and replaced
/// by the server's `Retry-After` when it sends one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RetryHint {
    when: RetryWhen,
    min_wait: Option<Duration>,
    retry_after: bool,
    fallback: Option<Duration>,
    backoff: Option<(Duration, Duration)>,
    long_wait: Option<LongWait>,
}

impl RetryHint {
    /// Never retry.
    pub const NEVER: Self = Self::new(RetryWhen::Never, None, false);
    /// Retry with the policy's exponential backoff and jitter.
    pub const BACKOFF: Self = Self::new(RetryWhen::Always, None, false);
    /// Retry when the server's `Retry-After` says so, falling back to backoff.
    pub const RETRY_AFTER: Self = Self::new(RetryWhen::Always, None, true);
    /// Retry after refreshing credentials.
    pub const REAUTHENTICATE: Self = Self::new(RetryWhen::AfterReauthentication, None, false);
    /// Retry with backoff, but only an idempotent operation.
    pub const IF_IDEMPOTENT: Self = Self::new(RetryWhen::IfIdempotent, None, false);

    /// Builds a hint. `min_wait` is ignored (dropped) for [`RetryWhen::Never`],
    /// and so is `retry_after`: a never-retried error waits for nothing.
    pub const fn new(when: RetryWhen, min_wait: Option<Duration>, retry_after: bool) -> Self {
        match when {
            RetryWhen::Never => RetryHint {
                when,
                min_wait: None,
                retry_after: false,
                fallback: None,
                backoff: None,
                long_wait: None,
            },
            _ => RetryHint {
                when,
                min_wait,
                retry_after,
                fallback: None,
                backoff: None,
                long_wait: None,
            },
        }
    }

    /// Retry always, but wait at least `wait` first (Amplitude's 429: 30 s).
    pub const fn wait(wait: Duration) -> Self {
        Self::new(RetryWhen::Always, Some(wait), false)
    }

    /// The conservative default for a status a spec does not document, or an
    /// entry whose vendor gives no retry guidance: 408, 429, 500, 502, 503 and
    /// 504 are retried with backoff (honouring `Retry-After` when sent); every
    /// other status is never retried.
    pub const fn for_status(status: u16) -> Self {
        if Self::retries_by_default(status) {
            Self::BACKOFF
        } else {
            Self::NEVER
        }
    }

    /// `for_status(status).is_retryable()`, as a plain test on the status.
    #[inline]
    pub const fn retries_by_default(status: u16) -> bool {
        matches!(status, 408 | 429 | 500 | 502 | 503 | 504)
    }

    /// The same hint, waiting `d` when the server states no wait (instead of the
    /// backoff schedule's delay). Ignored for `Never`.
    #[must_use]
    pub const fn with_fallback(mut self, d: Duration) -> Self {
        if !matches!(self.when, RetryWhen::Never) {
            self.fallback = Some(d);
        }
        self
    }

    /// The same hint with its own exponential schedule, `min(cap, base * 2^n)`
    /// before the policy's jitter, instead of the policy's (a vendor's "back off
    /// exponentially from 30 seconds"). Ignored for `Never`.
    #[must_use]
    pub const fn with_backoff(mut self, base: Duration, cap: Duration) -> Self {
        if !matches!(self.when, RetryWhen::Never) {
            self.backoff = Some((base, cap));
        }
        self
    }

    /// The same hint, deciding itself what happens when a wait exceeds the policy's
    /// `max_wait` (instead of the policy's [`LongWait`]). Ignored for `Never`.
    #[must_use]
    pub const fn with_long_wait(mut self, what: LongWait) -> Self {
        if !matches!(self.when, RetryWhen::Never) {
            self.long_wait = Some(what);
        }
        self
    }

    /// The wait used when the server states none, if the vendor names one.
    pub const fn fallback(&self) -> Option<Duration> {
        self.fallback
    }

    /// The entry's own backoff schedule (base, cap), if the vendor gives one.
    pub const fn backoff(&self) -> Option<(Duration, Duration)> {
        self.backoff
    }

    /// What to do with a wait above the policy's `max_wait`, if the entry says.
    pub const fn long_wait(&self) -> Option<LongWait> {
        self.long_wait
    }

    /// The condition under which a retry is allowed.
    pub const fn when(&self) -> RetryWhen {
        self.when
    }

    /// The shortest wait the vendor demands before a retry.
    pub const fn min_wait(&self) -> Option<Duration> {
        self.min_wait
    }

    /// Whether the vendor documents a `Retry-After` header for this error.
    /// (A `Retry-After` the server actually sends is honoured either way.)
    pub const fn honours_retry_after(&self) -> bool {
        self.retry_after
    }

    /// Whether a retry may ever be made (perhaps only under a condition:
    /// see [`when`](Self::when)).
    pub const fn is_retryable(&self) -> bool {
        !matches!(self.when, RetryWhen::Never)
    }

    /// The same hint under the more cautious of its condition and `when` (never,
    /// then after re-authentication, then if idempotent, then always), its waits
    /// kept; `NEVER` when that is never.
    #[cfg(any(feature = "tower-retry", feature = "reqwest-retry"))]
    pub(crate) const fn at_most(self, when: RetryWhen) -> Self {
        const fn caution(w: RetryWhen) -> u8 {
            match w {
                RetryWhen::Always => 0,
                RetryWhen::IfIdempotent => 1,
                RetryWhen::AfterReauthentication => 2,
                RetryWhen::Never => 3,
            }
        }
        match when {
            RetryWhen::Never => Self::NEVER,
            _ if caution(when) > caution(self.when) => RetryHint { when, ..self },
            _ => self,
        }
    }
}

impl fmt::Display for RetryHint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.when {
            RetryWhen::Never => return f.write_str("never retry"),
            RetryWhen::Always => f.write_str("retry")?,
            RetryWhen::IfIdempotent => f.write_str("retry if idempotent")?,
            RetryWhen::AfterReauthentication => f.write_str("retry after re-authenticating")?,
        }
        match (self.min_wait, self.retry_after) {
            (Some(w), false) => write!(f, ", waiting at least {w:?}"),
            (Some(w), true) => write!(f, ", when Retry-After says (at least {w:?})"),
            (None, true) => f.write_str(", when Retry-After says (else with backoff)"),
            (None, false) => f.write_str(" with backoff"),
        }
    }
}

/// What to do when the wait an error asks for exceeds [`RetryPolicy::max_wait`](crate::RetryPolicy::max_wait).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum LongWait {
    /// Give up at once with [`GiveUp::WaitTooLong`](crate::GiveUp::WaitTooLong): the server said it will not be
    /// ready sooner, so an early retry would most likely fail again. The default.
    #[default]
    GiveUp,
    /// Wait `max_wait` and retry anyway.
    Cap,
    /// Ignore the server's wait and retry on the backoff schedule instead (as
    /// some vendors' own SDKs do with waits above their limit).
    Backoff,
}

/// The retry guidance a vendor gives for failures below HTTP, one per kind of
/// failure (`None`: the vendor says nothing; see
/// [`TransportError::retry_hint`](crate::TransportError::retry_hint) for the defaults).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub struct TransportRules {
    /// A connection that was never made (refused, unreachable): nothing was sent.
    pub connect: Option<RetryHint>,
    /// A request or response that timed out: the server may have acted on it.
    pub timeout: Option<RetryHint>,
    /// A connection reset or closed mid-way: the server may have acted on it.
    pub reset: Option<RetryHint>,
}

impl TransportRules {
    /// The vendor says nothing of transport failures.
    pub const NONE: Self = TransportRules {
        connect: None,
        timeout: None,
        reset: None,
    };

    /// Rules per kind of failure.
    pub const fn new(
        connect: Option<RetryHint>,
        timeout: Option<RetryHint>,
        reset: Option<RetryHint>,
    ) -> Self {
        TransportRules {
            connect,
            timeout,
            reset,
        }
    }
}

/// An entry told apart by more than its status and app code: by the body's error
/// type, by text in the server's message, by a response header's value, or by a code
/// that only identifies together with several statuses (an entry that lists
/// `status: [400, 412]`, or a code two entries share at different statuses). The
/// generated [`ApiErrorKind::MATCHERS`] lists them, most conditions first; an error
/// is the first matcher whose every condition holds, before app codes and statuses
/// are consulted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Matcher<K: 'static> {
    kind: K,
    status: u16,
    statuses: &'static [(u16, u16)],
    codes: &'static [&'static str],
    error_type: Option<&'static str>,
    message_contains: Option<&'static str>,
    headers: &'static [(&'static str, Option<&'static str>)],
}

impl<K: Copy> Matcher<K> {
    /// A matcher for `kind`: the response's status must be `status`; if `codes` is
    /// not empty, one of the body's codes must be among them; if given, the body's
    /// error type must equal `error_type` and its message must contain
    /// `message_contains`.
    pub const fn new(
        kind: K,
        status: u16,
        codes: &'static [&'static str],
        error_type: Option<&'static str>,
        message_contains: Option<&'static str>,
    ) -> Self {
        Matcher {
            kind,
            status,
            statuses: &[],
            codes,
            error_type,
            message_contains,
            headers: &[],
        }
    }

    /// The same matcher for every status in `statuses` (inclusive ranges: `(400,
    /// 400)`, `(500, 599)`) instead of the one given to [`new`](Self::new); an empty
    /// list keeps that one.
    #[must_use]
    pub const fn at_statuses(mut self, statuses: &'static [(u16, u16)]) -> Self {
        self.statuses = statuses;
        self
    }

    /// The same matcher, holding only when every `(name, value)` header is present
    /// with that value (surrounding whitespace aside; names compared without case),
    /// or, for a `None` value, present at all.
    #[must_use]
    pub const fn when_headers(
        mut self,
        headers: &'static [(&'static str, Option<&'static str>)],
    ) -> Self {
        self.headers = headers;
        self
    }

    /// The kind this matcher picks.
    pub const fn kind(&self) -> K {
        self.kind
    }

    /// Whether the matcher stands for responses of `status`.
    #[inline]
    pub fn covers(&self, status: u16) -> bool {
        if self.statuses.is_empty() {
            return status == self.status;
        }
        self.statuses
            .iter()
            .any(|&(lo, hi)| lo <= status && status <= hi)
    }

    /// Whether the matcher's header conditions hold for `headers`.
    #[inline]
    pub fn headers_hold<H: crate::Headers + ?Sized>(&self, headers: &H) -> bool {
        self.headers.iter().all(|(name, want)| {
            headers
                .header(name)
                .is_some_and(|have| want.is_none_or(|w| have.trim_ascii() == w.as_bytes()))
        })
    }

    /// Whether the matcher looks at nothing in the body (only status and headers):
    /// when it holds, the body cannot change the choice.
    pub fn ignores_body(&self) -> bool {
        self.codes.is_empty() && self.error_type.is_none() && self.message_contains.is_none()
    }

    /// Whether a response with `status` (`None`: any, for an error that arrived
    /// without one, inside a stream), the body's `codes`, `error_type` and
    /// `message`, and `headers` is this matcher's kind.
    #[inline]
    pub fn matches<'a, H: crate::Headers + ?Sized>(
        &self,
        status: Option<u16>,
        mut codes: impl Iterator<Item = &'a str>,
        error_type: Option<&str>,
        message: Option<&str>,
        headers: &H,
    ) -> bool {
        status.is_none_or(|s| self.covers(s))
            && self.error_type.is_none_or(|t| error_type == Some(t))
            && self
                .message_contains
                .is_none_or(|m| message.is_some_and(|text| text.contains(m)))
            && self.headers_hold(headers)
            && (self.codes.is_empty() || codes.any(|c| self.codes.contains(&c)))
    }
}

/// The retry defaults a vendor's own SDK publishes (a spec's `client:` section):
/// [`RetryPolicy::for_vendor`](crate::RetryPolicy::for_vendor) starts from them.
/// Each is `None` where the SDK says nothing (the policy's default then holds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct ClientDefaults {
    sdk: Option<&'static str>,
    max_attempts: Option<u32>,
    backoff: Option<(Duration, Duration)>,
    jitter: Option<crate::Jitter>,
    min_delay: Option<Duration>,
    max_wait: Option<Duration>,
    long_wait: Option<LongWait>,
}

impl ClientDefaults {
    /// The SDK says nothing.
    pub const NONE: Self = ClientDefaults {
        sdk: None,
        max_attempts: None,
        backoff: None,
        jitter: None,
        min_delay: None,
        max_wait: None,
        long_wait: None,
    };

    /// Which SDK these come from (`stripe-python`).
    #[must_use]
    pub const fn sdk(mut self, name: &'static str) -> Self {
        self.sdk = Some(name);
        self
    }
    /// Attempts in all, the first included.
    #[must_use]
    pub const fn max_attempts(mut self, n: u32) -> Self {
        self.max_attempts = Some(n);
        self
    }
    /// The exponential schedule's base and cap.
    #[must_use]
    pub const fn backoff(mut self, base: Duration, cap: Duration) -> Self {
        self.backoff = Some((base, cap));
        self
    }
    /// How randomness is mixed into the schedule.
    #[must_use]
    pub const fn jitter(mut self, jitter: crate::Jitter) -> Self {
        self.jitter = Some(jitter);
        self
    }
    /// No scheduled delay below this (after jitter).
    #[must_use]
    pub const fn min_delay(mut self, d: Duration) -> Self {
        self.min_delay = Some(d);
        self
    }
    /// The longest single wait the SDK makes.
    #[must_use]
    pub const fn max_wait(mut self, d: Duration) -> Self {
        self.max_wait = Some(d);
        self
    }
    /// What the SDK does with a longer wait.
    #[must_use]
    pub const fn long_wait(mut self, what: LongWait) -> Self {
        self.long_wait = Some(what);
        self
    }

    /// The SDK they come from, if the spec names it.
    pub const fn sdk_name(&self) -> Option<&'static str> {
        self.sdk
    }
    /// Attempts in all, if the SDK says.
    pub const fn attempts(&self) -> Option<u32> {
        self.max_attempts
    }
    /// The schedule (base, cap), if the SDK says.
    pub const fn schedule(&self) -> Option<(Duration, Duration)> {
        self.backoff
    }
    /// The jitter, if the SDK says.
    pub const fn jitter_kind(&self) -> Option<crate::Jitter> {
        self.jitter
    }
    /// The shortest scheduled delay, if the SDK says.
    pub const fn shortest_delay(&self) -> Option<Duration> {
        self.min_delay
    }
    /// The longest single wait, if the SDK says.
    pub const fn longest_wait(&self) -> Option<Duration> {
        self.max_wait
    }
    /// What happens above it, if the SDK says.
    pub const fn above_longest_wait(&self) -> Option<LongWait> {
        self.long_wait
    }
}

/// Implemented by every enum that `#[api_errors]` generates, so that generic code
/// (and the retry executor) can use any of them. Each method mirrors the enum's
/// inherent method of the same name.
pub trait ApiErrorKind:
    Copy + Eq + Hash + fmt::Debug + fmt::Display + std::error::Error + Send + Sync + 'static
{
    /// Every documented variant, in spec order (without `Unknown`).
    const ALL: &'static [Self];
    /// The vendor's name, as the spec gives it.
    const VENDOR: &'static str;
    /// The API's key in the spec (`batch`).
    const API: &'static str;
    /// The error body the vendor documents for this API.
    const BODY: BodyShape;
    /// [`BODY`](Self::BODY) laid out for the decoder, once, at compile time.
    #[doc(hidden)]
    const PLAN: crate::response::walk::Plan = crate::response::walk::Plan::of(&Self::BODY);
    /// What the vendor says of each transport failure (a refused connection, a
    /// timeout, a reset), where it says anything.
    const TRANSPORT: TransportRules = TransportRules::NONE;
    /// The entries told apart by error type or message text, most conditions first
    /// (none for a spec without such entries).
    const MATCHERS: &'static [Matcher<Self>] = &[];
    /// Where the server states how long to wait, in the order to try them (the
    /// first present and readable wins). Default: `Retry-After`.
    const WAITS: &'static [crate::WaitSource] = &[crate::WaitSource::RETRY_AFTER];
    /// When a successful (2xx) response is an error all the same (a GraphQL
    /// `errors` array, an `ok: false` flag); none: a 2xx is a success.
    const SUCCESS_ERRORS: &'static [crate::SuccessRule] = &[];
    /// When an error inside a 2xx took effect all the same (a GraphQL `data` beside
    /// its `errors`): such an error is never retried ([`ApiError::took_effect`](crate::ApiError::took_effect)).
    const PARTIAL_SUCCESS: &'static [crate::SuccessRule] = &[];
    /// Where a batch response holds its items' responses, where the spec says
    /// (`batch:`): what [`ApiError::from_batch`](crate::ApiError::from_batch) reads.
    const BATCH: Option<crate::BatchShape> = None;
    /// The longest wait this vendor's own waits may reasonably reach, where its spec
    /// says (`max_wait:`): the executor's `max_wait` when the policy sets none.
    const MAX_WAIT: Option<Duration> = None;
    /// The retry defaults of the vendor's own SDK, where its spec states them
    /// (`client:`): what [`RetryPolicy::for_vendor`](crate::RetryPolicy::for_vendor)
    /// starts from.
    const CLIENT: ClientDefaults = ClientDefaults::NONE;
    /// The vendor's documented limits and rate-limit headers, where its spec states
    /// them (`limits:`): what [`Pacer::for_vendor`](crate::Pacer::for_vendor) paces by.
    const LIMITS: crate::VendorLimits = crate::VendorLimits::NONE;
    /// A response header whose `true` or `false` overrides the retry decision the
    /// status and spec would make (`x-should-retry`), if the vendor sends one.
    const SHOULD_RETRY: Option<&'static str> = None;

    /// Whether a response of `status` is an error: 400 and above, and the 3xx
    /// statuses the spec documents as errors (a 300 "several resources match");
    /// what the HTTP integrations (`reqwest::send`, the tower layer, the middleware,
    /// the retry adapters) turn into an `ApiError`. Default: `status >= 400`.
    fn is_error_status(status: u16) -> bool {
        status >= 400
    }
    /// The HTTP status this error is documented with (the first its entry lists;
    /// the status itself for `Unknown`).
    fn status(&self) -> u16;
    /// Whether this error's entry stands for `status` (its `status:` may list
    /// several, or a range such as `5xx`). Default: `status() == status`.
    fn stands_for(&self, status: u16) -> bool {
        self.status() == status
    }
    /// The variant for a status: its documented one, else `Unknown(status)`.
    fn from_status(status: u16) -> Self;
    /// `Unknown(status)`: an error the spec does not document.
    fn unknown(status: u16) -> Self;
    /// The variant for an app error code, if the spec documents that code.
    fn from_code(code: &str) -> Option<Self>;
    /// The app error code of this variant, if it has one.
    fn code(&self) -> Option<&'static str>;
    /// The vendor's retry guidance for this error.
    fn retry_hint(&self) -> RetryHint;
    /// Whether a retry may ever be made; see [`RetryHint::is_retryable`].
    fn is_retryable(&self) -> bool {
        self.retry_hint().is_retryable()
    }
    /// What the error means, in the spec's words.
    fn message(&self) -> &'static str;
    /// What to do about it, in the spec's words.
    fn advice(&self) -> Option<&'static str>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn class_defaults() {
        for s in [408, 429, 500, 502, 503, 504] {
            assert_eq!(RetryHint::for_status(s), RetryHint::BACKOFF, "{s}");
        }
        for s in [0, 400, 401, 404, 413, 501, 599, 65535] {
            assert_eq!(RetryHint::for_status(s), RetryHint::NEVER, "{s}");
        }
    }

    #[test]
    fn never_drops_waits() {
        let h = RetryHint::new(RetryWhen::Never, Some(Duration::from_secs(3)), true);
        assert_eq!(h, RetryHint::NEVER);
        assert!(!h.is_retryable());
        assert_eq!(h.to_string(), "never retry");
    }

    #[test]
    fn display_says_everything() {
        let h = RetryHint::wait(Duration::from_secs(30));
        assert_eq!(h.to_string(), "retry, waiting at least 30s");
        assert_eq!(
            RetryHint::RETRY_AFTER.to_string(),
            "retry, when Retry-After says (else with backoff)"
        );
        assert_eq!(
            RetryHint::IF_IDEMPOTENT.to_string(),
            "retry if idempotent with backoff"
        );
    }
}
