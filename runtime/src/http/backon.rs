//! The spec's decisions for [backon](https://docs.rs/backon) users: which errors to
//! retry, and how long to wait, decided exactly as
//! [`RetryPolicy`](crate::RetryPolicy)'s executor decides (the server's wait, the
//! entry's minimum and fallback, the policy's `max_wait` and the entry's
//! `long_wait`). Plain closures over any [`Retryable`] (an
//! [`ApiError`](crate::ApiError), a generated kind, a
//! [`RequestError`](crate::RequestError)), so no feature is needed.
//!
//! Async (`backon::Retryable::retry`): `when` and `adjust` carry everything backon can
//! take. `adjust` bounds every wait as the executor does: above the policy's
//! `max_wait` (default: the vendor's ceiling from its spec, else 60 s), a
//! `Retry-After: 1000000000` gives up (backon stops) or is cut, as the entry's
//! `long_wait` (else the policy's) says.
//!
//! ```no_run
//! # async fn demo() {
//! use std::time::Duration;
//! use api_errors::{api_errors, backon as spec, ApiError, RetryPolicy};
//! use backon::{ExponentialBuilder, Retryable};
//!
//! #[api_errors(vendor = "openai")]
//! pub enum OpenAi {}
//!
//! async fn call() -> Result<String, ApiError<OpenAi>> {
//!     // ... send, then `api_errors::reqwest::check` ...
//! #   unimplemented!()
//! }
//!
//! // No single wait above 30 s, whatever the server asks.
//! let policy = RetryPolicy::default().max_wait(Duration::from_secs(30));
//! let text = call
//!     .retry(ExponentialBuilder::default())
//!     .when(spec::when(false))         // not idempotent: `if_idempotent` errors are not retried
//!     .adjust(spec::adjust_with(&policy)) // the server's wait, the spec's minimum, bounded
//!     .await;
//! # }
//! ```
//!
//! Blocking (`backon::BlockingRetryable`): backon's blocking API has no `adjust`, so
//! it cannot take the server's wait as its delay. The nearest correct thing: sleep
//! the part of the wait beyond backon's own delay in `notify` (which backon calls just
//! before it sleeps), so that the total is what the executor would wait. A wait the
//! executor would give up on cannot stop backon from `notify`; `when` turns such an
//! error down before it is retried, so `when` and `extra_wait` go together:
//!
//! ```no_run
//! use api_errors::{api_errors, backon as spec, ApiError};
//! use backon::{BlockingRetryable, ExponentialBuilder};
//!
//! #[api_errors(vendor = "openai")]
//! pub enum OpenAi {}
//!
//! fn call() -> Result<(), ApiError<OpenAi>> {
//!     // ... a blocking client, then `ApiError::from_response` on an error ...
//! #   Ok(())
//! }
//!
//! let mut extra = spec::extra_wait();
//! let done = call
//!     .retry(ExponentialBuilder::default())
//!     .when(spec::when(true))
//!     .notify(|e, delay| std::thread::sleep(extra(e, delay)))
//!     .call();
//! ```
//!
//! What stays with [`RetryPolicy`](crate::RetryPolicy)'s executor and cannot be said to
//! backon: re-authentication (errors whose entry says `after_reauthentication` are not
//! retried here: backon cannot refresh credentials between attempts), an entry's own
//! `backoff:` schedule (backon's schedule is used, except for a fallback that grows),
//! the policy's attempts, jitter and deadline (backon's own), and the retry budget.

use std::time::Duration;

use crate::kind::RetryWhen;
use crate::retry::executor::Retryable;
use crate::retry::policy::{wait_before_retry, Limits, RetryPolicy};

/// backon's `when`: whether the spec retries this error, for a call that is (or is
/// not) idempotent, under the default [`RetryPolicy`]'s bounds. `Never` and
/// `AfterReauthentication` errors are not retried (see the module documentation);
/// `IfIdempotent` ones only when `idempotent`; an error whose wait the executor would
/// give up on (above `max_wait`) is not retried either.
pub fn when<E: Retryable>(idempotent: bool) -> impl FnMut(&E) -> bool {
    when_with(&RetryPolicy::default(), idempotent)
}

/// As [`when`], under `policy`'s `max_wait` and `long_wait`.
pub fn when_with<E: Retryable>(policy: &RetryPolicy, idempotent: bool) -> impl FnMut(&E) -> bool {
    let policy = policy.clone();
    move |e| {
        let hint = e.retry_hint();
        let allowed = match hint.when() {
            RetryWhen::Always => true,
            RetryWhen::IfIdempotent => idempotent,
            RetryWhen::Never | RetryWhen::AfterReauthentication => false,
        };
        // The wait itself is backon's; what matters here is only whether the
        // executor would give up on the server's.
        allowed && wait_before_retry(e, hint, Duration::ZERO, 0, limits(&policy, e)).is_ok()
    }
}

/// backon's `adjust`, under the default [`RetryPolicy`]'s bounds: the delay before the
/// next attempt, as the executor would choose it with backon's `delay` as the
/// schedule's (the server's wait, else the entry's fallback, else backon's delay; at
/// least the entry's minimum; above the policy's `max_wait`, `None`, which stops
/// backon, or the wait cut, as `long_wait` says). `None` in (backon's schedule is
/// exhausted) stays `None`. It counts its calls, so a fallback that grows (`fallback`
/// with `backoff`) grows here too: use one per call.
pub fn adjust<E: Retryable>() -> impl FnMut(&E, Option<Duration>) -> Option<Duration> {
    adjust_with(&RetryPolicy::default())
}

/// As [`adjust`], under `policy`'s `max_wait` and `long_wait`.
pub fn adjust_with<E: Retryable>(
    policy: &RetryPolicy,
) -> impl FnMut(&E, Option<Duration>) -> Option<Duration> {
    let policy = policy.clone();
    let mut n = 0u32;
    move |error, delay| {
        let delay = delay?;
        let chosen = wait_before_retry(error, error.retry_hint(), delay, n, limits(&policy, error));
        n = n.saturating_add(1);
        chosen.ok()
    }
}

/// For backon's blocking API (no `adjust`): how much longer than backon's `delay` to
/// wait before the next attempt so that the wait is what [`adjust`] would choose;
/// zero when backon's delay is long enough (or the executor would give up: pair it
/// with [`when`], which turns such errors down). Sleep it in `notify`.
pub fn extra_wait<E: Retryable>() -> impl FnMut(&E, Duration) -> Duration {
    let mut adjust = adjust();
    move |error, delay| {
        adjust(error, Some(delay)).map_or(Duration::ZERO, |d| d.saturating_sub(delay))
    }
}

fn limits<E: Retryable>(policy: &RetryPolicy, error: &E) -> Limits {
    Limits {
        max_wait: policy.max_wait_for(error),
        long_wait: policy.long_wait,
    }
}
