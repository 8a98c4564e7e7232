//! The spec's decisions for [backon](https://docs.rs/backon) users: which errors to
//! retry, and how long the server asked to wait. Plain functions over any
//! [`Retryable`] (an [`ApiError`](crate::ApiError), a generated kind, a
//! [`RequestError`](crate::RequestError)), so no feature is needed.
//!
//! Async (`backon::Retryable::retry`): `when` and `adjust` carry everything backon can
//! take.
//!
//! ```no_run
//! # async fn demo() {
//! use api_errors::{api_errors, backon as spec, ApiError};
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
//! let text = call
//!     .retry(ExponentialBuilder::default())
//!     .when(spec::when(false)) // not idempotent: `if_idempotent` errors are not retried
//!     .adjust(spec::adjust)    // the server's wait, the spec's minimum
//!     .await;
//! # }
//! ```
//!
//! Blocking (`backon::BlockingRetryable`): backon's blocking API has no `adjust`, so
//! it cannot take the server's wait as its delay. The nearest correct thing: sleep
//! the part of the server's wait beyond backon's own delay in `notify` (which backon
//! calls just before it sleeps), so that the total is at least what the server asked:
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
//! let done = call
//!     .retry(ExponentialBuilder::default())
//!     .when(spec::when(true))
//!     .notify(|e, delay| std::thread::sleep(spec::extra_wait(e, delay)))
//!     .call();
//! ```
//!
//! What stays with [`RetryPolicy`](crate::RetryPolicy)'s executor and cannot be said to
//! backon: re-authentication (errors whose entry says `after_reauthentication` are not
//! retried here: backon cannot refresh credentials between attempts), an entry's own
//! `backoff:` schedule and `long_wait` (backon's schedule is used), the retry budget,
//! and the policy's `max_wait` (cap the wait in your own `adjust` if you need one).

use std::time::Duration;

use crate::kind::RetryWhen;
use crate::retry::executor::Retryable;

/// backon's `when`: whether the spec retries this error, for a call that is (or is
/// not) idempotent. `Never` and `AfterReauthentication` errors are not retried (see
/// the module documentation); `IfIdempotent` ones only when `idempotent`.
pub fn when<E: Retryable>(idempotent: bool) -> impl FnMut(&E) -> bool {
    move |e| match e.retry_hint().when() {
        RetryWhen::Always => true,
        RetryWhen::IfIdempotent => idempotent,
        RetryWhen::Never | RetryWhen::AfterReauthentication => false,
    }
}

/// backon's `adjust`: the delay before the next attempt. backon's own `delay` (from
/// its backoff), replaced by the server's wait where the spec honours one (else by the
/// entry's `fallback`, when it has one), and at least the entry's minimum wait. `None`
/// (backon's schedule is exhausted) stays `None`: no further attempt.
pub fn adjust<E: Retryable>(error: &E, delay: Option<Duration>) -> Option<Duration> {
    let delay = delay?;
    let hint = error.retry_hint();
    let server = hint
        .honours_retry_after()
        .then(|| error.retry_after())
        .flatten();
    let chosen = server.or(hint.fallback()).unwrap_or(delay);
    Some(chosen.max(hint.min_wait().unwrap_or_default()))
}

/// For backon's blocking API (no `adjust`): how much longer than backon's `delay` to
/// wait before the next attempt so that the spec's wait is honoured; zero when
/// backon's delay is long enough. Sleep it in `notify`.
pub fn extra_wait<E: Retryable>(error: &E, delay: Duration) -> Duration {
    adjust(error, Some(delay)).map_or(Duration::ZERO, |d| d.saturating_sub(delay))
}
