//! reqwest-retry's middleware, deciding what is transient as a spec says (feature
//! `reqwest-retry`).
//!
//! [`SpecStrategy`] implements reqwest-retry's [`RetryableStrategy`], so a client
//! built with `RetryTransientMiddleware` keeps it and retries what the spec of `K`
//! says may be retried, and nothing else:
//!
//! ```no_run
//! use api_errors::{api_errors, reqwest_retry::SpecStrategy};
//! use reqwest_retry::{policies::ExponentialBackoff, RetryTransientMiddleware};
//!
//! #[api_errors(vendor = "openai")]
//! pub enum OpenAi {}
//!
//! let backoff = ExponentialBackoff::builder().build_with_max_retries(3);
//! let retry = RetryTransientMiddleware::new_with_policy_and_strategy(
//!     backoff,
//!     SpecStrategy::<OpenAi>::new(),
//! );
//! let client = reqwest_middleware::ClientBuilder::new(reqwest::Client::new())
//!     .with(retry)
//!     .build();
//! ```
//!
//! # What the middleware decides, and what it cannot
//!
//! A strategy only says whether a failure is transient: the middleware's own policy
//! decides how long to wait, from the number of retries alone. It never sees the
//! server's `Retry-After`, nor a vendor's fixed wait. So an error whose wait is set
//! (the server stated one, or the spec's entry has a `wait`, `fallback` or `backoff`
//! of its own) is not transient here: the middleware would retry it too early, which
//! is how clients get throttled harder. Such errors come back to the caller; to retry
//! them as the spec says, use [`RetryMiddleware`](crate::reqwest_middleware::RetryMiddleware)
//! (feature `reqwest-middleware`), which waits as the server and the spec ask.
//!
//! The strategy decides before the body is read (it would be consumed), so it judges
//! an error response by its status and headers. Where the spec tells errors of one
//! status apart by their bodies, with different retry classes (a 429 that is a rate
//! limit or a spent quota), it takes the most cautious decision any of them allows;
//! an error inside a 2xx (`errors_in_success`) is a success here.
//!
//! It does not see the request either: an error the spec retries only for an
//! idempotent request is transient only under [`idempotent(true)`](SpecStrategy::idempotent),
//! for a client whose requests are all safe to repeat (or carry idempotency keys).
//! An error that needs re-authenticating first is not transient. A client error
//! (reqwest's) is classified as connect, timeout or reset and decided by the spec's
//! `transport:` rules; another middleware's error is not retried.
//!
//! Each transient decision also consults a [`RetryBudget`] (the default one, unless
//! [`budget`](SpecStrategy::budget) or [`without_budget`](SpecStrategy::without_budget)
//! says otherwise), shared by every request through the client: when too many
//! requests fail, failures stop being transient, so the client does not turn an
//! outage into a retry storm.

use std::marker::PhantomData;

use reqwest_retry::{Retryable, RetryableStrategy};

use crate::http::status_only::Unread;
use crate::http::transport::{TransportError, TransportKind};
use crate::kind::{ApiErrorKind, RetryWhen};
use crate::retry::budget::RetryBudget;
use crate::retry::executor::Retryable as _;

/// A reqwest-retry [`RetryableStrategy`] that follows the spec of `K`. See the
/// [module documentation](self).
pub struct SpecStrategy<K> {
    idempotent: bool,
    budget: Option<RetryBudget>,
    kind: PhantomData<fn() -> K>,
}

impl<K: ApiErrorKind> SpecStrategy<K> {
    /// A strategy for requests that may not be safe to repeat, with the default
    /// [`RetryBudget`].
    pub fn new() -> Self {
        SpecStrategy {
            idempotent: false,
            budget: Some(RetryBudget::default()),
            kind: PhantomData,
        }
    }

    /// Whether every request through the client may be repeated (its errors that the
    /// spec retries only for idempotent requests are then transient).
    #[must_use]
    pub fn idempotent(mut self, yes: bool) -> Self {
        self.idempotent = yes;
        self
    }

    /// Consults `budget` (shared with whatever else holds a clone of it).
    #[must_use]
    pub fn budget(mut self, budget: RetryBudget) -> Self {
        self.budget = Some(budget);
        self
    }

    /// Consults no budget: every failure the spec retries is transient.
    #[must_use]
    pub fn without_budget(mut self) -> Self {
        self.budget = None;
        self
    }

    /// Whether a failure may be retried on the middleware's schedule.
    fn transient(&self, failed: &Unread<'_, K>) -> bool {
        let hint = failed.retry_hint();
        if !hint.is_retryable() {
            return false;
        }
        if let Some(b) = &self.budget {
            b.record_failure();
        }
        if !allows(hint.when(), self.idempotent) {
            return false;
        }
        // A wait the middleware's schedule knows nothing of: not for it to retry.
        let waits = failed.retry_after().is_some()
            || failed.wait_floor().is_some()
            || hint.min_wait().is_some()
            || hint.fallback().is_some()
            || hint.backoff().is_some();
        !waits && self.budget.as_ref().is_none_or(RetryBudget::can_retry)
    }
}

impl<K: ApiErrorKind> Default for SpecStrategy<K> {
    fn default() -> Self {
        Self::new()
    }
}

impl<K> Clone for SpecStrategy<K> {
    fn clone(&self) -> Self {
        SpecStrategy {
            idempotent: self.idempotent,
            budget: self.budget.clone(),
            kind: PhantomData,
        }
    }
}

impl<K> std::fmt::Debug for SpecStrategy<K> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SpecStrategy")
            .field("idempotent", &self.idempotent)
            .field("budget", &self.budget)
            .finish()
    }
}

impl<K: ApiErrorKind> RetryableStrategy for SpecStrategy<K> {
    fn handle(
        &self,
        result: &Result<reqwest::Response, reqwest_middleware::Error>,
    ) -> Option<Retryable> {
        let failed = match result {
            Ok(response) if !K::is_error_status(response.status().as_u16()) => {
                if let Some(b) = &self.budget {
                    b.record_success();
                }
                return None;
            }
            Ok(response) => Unread::status(response.status().as_u16(), response.headers()),
            Err(error) => Unread::Transport {
                // As the reqwest-middleware integration classifies them.
                kind: match error {
                    reqwest_middleware::Error::Reqwest(e) => TransportError::kind_of(e),
                    reqwest_middleware::Error::Middleware(_) => TransportKind::Other,
                },
                error,
            },
        };
        Some(if self.transient(&failed) {
            Retryable::Transient
        } else {
            Retryable::Fatal
        })
    }
}

/// Whether `when` lets a request be retried without re-authenticating first.
pub(crate) fn allows(when: RetryWhen, idempotent: bool) -> bool {
    match when {
        RetryWhen::Always => true,
        RetryWhen::IfIdempotent => idempotent,
        _ => false,
    }
}
