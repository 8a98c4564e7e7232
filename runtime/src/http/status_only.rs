//! Judging a failed attempt by what can be seen without reading the body: the
//! status and the headers of an error response, or the client's error. For the
//! adapters that decide before a body could be read (tower's retry `Policy`,
//! reqwest-retry's `RetryableStrategy`).

use std::time::Duration;

#[cfg(feature = "tower-retry")]
use crate::http::attempt::Failure;
#[cfg(feature = "tower-retry")]
use crate::http::transport::classify;
use crate::http::transport::{hint_for, TransportKind};
use crate::kind::{ApiErrorKind, RetryHint};
use crate::response::error::{ApiError, Headers};
use crate::retry::executor::Retryable;

/// A failed attempt, judged without its body.
pub(crate) enum Unread<'e, K> {
    /// An error status: the error its status and headers give, and the guidance
    /// that holds whichever of the status's entries the body would have named.
    Status { error: ApiError<K>, hint: RetryHint },
    /// No response: a failure below HTTP (the client's error), classified.
    Transport {
        kind: TransportKind,
        #[cfg_attr(not(feature = "tower-retry"), allow(dead_code))]
        error: &'e (dyn std::error::Error + Send + Sync + 'static),
    },
}

impl<'e, K: ApiErrorKind> Unread<'e, K> {
    /// An error response of `status` (at least 400) judged by its status and headers.
    ///
    /// The spec may tell errors of one status apart by their bodies (an app code, a
    /// type, a message), with different retry classes: a 429 that is a rate limit
    /// (retried) or a spent quota (never). Without the body there is no knowing which
    /// came, so the decision is the most cautious that any of them allows: never if
    /// one is never retried, else only after re-authenticating if one needs it, else
    /// only an idempotent request if one says so. The waits are the status's entry's
    /// and the server's (its headers: `Retry-After` and the spec's other sources).
    ///
    /// Entries the headers rule out do not count: a matcher whose header conditions
    /// fail, and, once a matcher that looks at nothing in the body holds (`header:`
    /// conditions alone), every entry after it.
    pub(crate) fn status<H: Headers + ?Sized>(status: u16, headers: &H) -> Self {
        let error = ApiError::<K>::from_response(status, headers, b"");
        let mut hint = error.retry_hint();
        for m in K::MATCHERS.iter().filter(|m| m.covers(status)) {
            if !m.headers_hold(headers) {
                continue;
            }
            hint = hint.at_most(m.kind().retry_hint().when());
            if m.ignores_body() {
                return Unread::Status { error, hint };
            }
        }
        let matcher = |k: &K| K::MATCHERS.iter().any(|m| m.kind() == *k);
        let hint = K::ALL
            .iter()
            .filter(|kind| kind.stands_for(status) && !matcher(kind))
            .fold(hint, |hint, kind| hint.at_most(kind.retry_hint().when()));
        Unread::Status { error, hint }
    }

    /// A failure below HTTP: the client's `error`, classified by its causes.
    #[cfg(feature = "tower-retry")]
    pub(crate) fn transport(error: &'e (dyn std::error::Error + Send + Sync + 'static)) -> Self {
        Unread::Transport {
            kind: classify(error),
            error,
        }
    }

    /// The error response, when this is one.
    pub(crate) fn api_error(&self) -> Option<&ApiError<K>> {
        match self {
            Unread::Status { error, .. } => Some(error),
            Unread::Transport { .. } => None,
        }
    }

    /// What failed, as a layer's callback sees it.
    #[cfg(feature = "tower-retry")]
    pub(crate) fn failure(&self) -> Failure<'_, K> {
        match self {
            Unread::Status { error, .. } => Failure::Status(error),
            Unread::Transport { error, .. } => Failure::Transport(*error),
        }
    }
}

impl<K: ApiErrorKind> Retryable for Unread<'_, K> {
    fn retry_hint(&self) -> RetryHint {
        match self {
            Unread::Status { hint, .. } => *hint,
            Unread::Transport { kind, .. } => hint_for::<K>(*kind),
        }
    }
    fn retry_after(&self) -> Option<Duration> {
        self.api_error().and_then(Retryable::retry_after)
    }
    fn wait_floor(&self) -> Option<Duration> {
        self.api_error().and_then(Retryable::wait_floor)
    }
    fn max_wait(&self) -> Option<Duration> {
        K::MAX_WAIT
    }
}
