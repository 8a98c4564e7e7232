//! Typed, compile-time-checked Rust errors from the error pages of HTTP API vendors,
//! and a retry executor that retries exactly what the vendor says may be retried.
//!
//! The [`api_errors`] attribute reads a YAML spec of an API's status codes, app codes,
//! meanings, advice and retry guidance, and fills your enum: one variant per documented
//! error, with the vendor's own words as rustdoc, `Display`, `from_status`,
//! `from_code`, `is_retryable` and a [`RetryHint`]. A broken spec is a compile error at
//! its line and column. Specs for a dozen vendors ship inside the crate
//! (`vendor = "openai"`); a spec of your own is a YAML file beside your code. A
//! response becomes an [`ApiError`] (the kind, and what the server said), and a
//! [`RetryPolicy`] retries it as the spec says.
//!
//! ```sh
//! cargo add api-errors
//! ```
//!
//! ```
//! use std::time::Duration;
//! use api_errors::{api_errors, ApiError, ManualClock, RetryPolicy};
//!
//! #[api_errors(vendor = "amplitude", api = "batch")]
//! pub enum Amplitude {}
//!
//! // A response becomes the vendor's own error, with what the server said.
//! let e = ApiError::<Amplitude>::from_response(429, &[("retry-after", "5")], b"");
//! assert_eq!(e.kind(), Amplitude::TooManyRequests);
//! assert!(e.kind().is_retryable());
//!
//! // The executor retries it as the vendor says: Amplitude's 429 waits 30 s, whatever
//! // the server asks (a virtual clock here, so the example runs at once).
//! let clock = ManualClock::new();
//! let mut replies = [429, 200].into_iter();
//! let sent = RetryPolicy::default()
//!     .retry(|| match replies.next() {
//!         Some(429) => Err(ApiError::<Amplitude>::from_response(429, &[("retry-after", "5")], b"")),
//!         _ => Ok("sent"),
//!     })
//!     .sleeper(clock.clone())
//!     .call();
//! assert_eq!(sent.unwrap(), "sent");
//! assert_eq!(clock.sleeps(), [Duration::from_secs(30)]);
//! ```
//!
//! | feature | default | what |
//! |---|---|---|
//! | `tokio` | off (on with `reqwest`, `tower`, `tower-retry`, `redis`) | the async executor's default sleeper, `TokioSleeper`; without it, give the async executor a sleeper (`.sleeper(...)`) |
//! | `tracing` | off | `tracing` events on each retry and on giving up |
//! | `http` | off | `ApiError::from_http`, [`Headers`] for `http::HeaderMap` |
//! | `reqwest` | off | `api_errors::reqwest::{send, check}`: responses judged by the spec, transport failures classified |
//! | `tower` | off | `api_errors::tower::RetryLayer` for any `http` service (hyper, tonic) |
//! | `reqwest-middleware` | off | `api_errors::reqwest_middleware::RetryMiddleware` |
//! | `tower-retry` | off | `api_errors::tower_retry::SpecPolicy`: a `tower::retry::Policy` for tower's own `Retry` |
//! | `reqwest-retry` | off | `api_errors::reqwest_retry::SpecStrategy`: a `RetryableStrategy` for reqwest-retry's `RetryTransientMiddleware` |
//! | `redis` | off | `api_errors::redis::RedisStore`: a pacer's documented limits in Redis, shared by a fleet (see [`guide::pacing`]) |
//!
//! **The manual is the [`guide`]**: the spec format, how a response finds its entry,
//! what decides a wait, the executor, the HTTP integrations, the `api-errors` tool,
//! every limit.
#![warn(missing_docs, missing_debug_implementations)]
// On docs.rs (which sets `docsrs`), items behind a feature say which one.
#![cfg_attr(docsrs, feature(doc_cfg))]

mod http;
mod kind;
mod pace;
mod response;
mod retry;

/// reqwest integration (feature `reqwest`).
#[cfg(feature = "reqwest")]
#[cfg_attr(docsrs, doc(cfg(feature = "reqwest")))]
pub use http::reqwest;

#[cfg(feature = "tower")]
#[cfg_attr(docsrs, doc(cfg(feature = "tower")))]
pub use http::tower;

#[cfg(feature = "reqwest-middleware")]
#[cfg_attr(docsrs, doc(cfg(feature = "reqwest-middleware")))]
pub use http::reqwest_middleware;

#[cfg(feature = "tower-retry")]
#[cfg_attr(docsrs, doc(cfg(feature = "tower-retry")))]
pub use http::tower_retry;

#[cfg(feature = "reqwest-retry")]
#[cfg_attr(docsrs, doc(cfg(feature = "reqwest-retry")))]
pub use http::reqwest_retry;

pub use http::backon;

pub mod guide;

// The crate's README (its crates.io page) holds the same example: tested too.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

pub use api_errors_macros::{api_errors, bundled_spec, spec_schema};
#[cfg(any(
    feature = "tower",
    feature = "reqwest-middleware",
    feature = "tower-retry"
))]
#[cfg_attr(
    docsrs,
    doc(cfg(any(
        feature = "tower",
        feature = "reqwest-middleware",
        feature = "tower-retry"
    )))
)]
pub use http::attempt::{is_idempotent, Failure, Idempotent, OnRetry, PaceKey};
#[cfg(any(feature = "tower", feature = "reqwest-middleware"))]
#[cfg_attr(
    docsrs,
    doc(cfg(any(feature = "tower", feature = "reqwest-middleware")))
)]
pub use http::layer::{DeadlineExceeded, ReauthFuture, Reauthenticate};
pub use http::limits::BodyLimits;
pub use http::transport::{RequestError, TransportError, TransportKind};
pub use kind::{
    ApiErrorKind, ClientDefaults, LongWait, Matcher, RetryHint, RetryWhen, TransportRules,
};
pub use pace::limits::{
    DocumentedLimit, LimitKind, Per, RateHeaders, RateState, Requests, VendorLimits,
};
pub use pace::pacer::{
    Hold, HoldReason, KeyState, PaceRequest, Pacer, CONCURRENCY_POLL, DEFAULT_MAX_KEYS,
    DEFAULT_SHARED_TIMEOUT,
};
/// A pacer's documented limits kept in Redis (feature `redis`).
#[cfg(feature = "redis")]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub use pace::redis;
pub use pace::shared::{
    BudgetFuture, CellRequest, LocalLimits, SharedBudget, SharedFuture, SharedLimits,
};
pub use response::batch::{BatchItem, BatchShape};
pub use response::body::{
    Alternative, BodyShape, Clean, Field, MemberPath, ObjectFields, SuccessRule,
};
pub use response::decode::{ErrorObject, ErrorSource, Text, JSON_LIMIT, TEXT_LIMIT};
pub use response::error::{ApiError, Headers, SNIPPET_LIMIT};
pub use response::retry_after::parse_retry_after;
pub use response::wait::{parse_wait, ratelimit_reset, WaitFormat, WaitFrom, WaitSource};
pub use response::walk::{MAX_ALTERNATIVES, MAX_EXTRA};
pub use retry::backoff::{Backoff, Jitter, Rng};
pub use retry::budget::RetryBudget;
pub use retry::executor::{
    BoxError, DefaultSleeper, GiveUp, GiveUpKind, Retried, Retry, RetryAsync, RetryError,
    RetryEvent, Retryable,
};
pub use retry::policy::{RetryPolicy, Settings};
#[cfg(feature = "tokio")]
#[cfg_attr(docsrs, doc(cfg(feature = "tokio")))]
pub use retry::time::TokioSleeper;
pub use retry::time::{BlockingSleeper, ManualClock, NoSleeper, Ready, Sleeper, ThreadSleeper};

/// Items the generated code names. Not public API: no stability promise.
#[doc(hidden)]
pub mod __private {
    pub use crate::kind::{
        ApiErrorKind, ClientDefaults, LongWait, Matcher, RetryHint, RetryWhen, TransportRules,
    };
    pub use crate::pace::limits::{DocumentedLimit, Per, RateHeaders, Requests, VendorLimits};
    pub use crate::response::batch::BatchShape;
    pub use crate::response::body::{
        Alternative, BodyShape, Clean, Field, ObjectFields, SuccessRule,
    };
    pub use crate::response::wait::{WaitFormat, WaitFrom, WaitSource};
    pub use crate::retry::backoff::Jitter;
    pub use crate::retry::executor::Retryable;
    pub use core::time::Duration;
}
