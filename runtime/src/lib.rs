//! Typed errors from HTTP API vendors' error pages, checked at compile time.
//!
//! ```
//! use api_errors::{api_errors, RetryWhen};
//!
//! #[api_errors(vendor = "amplitude", api = "batch")]
//! pub enum AmplitudeBatchError {}
//!
//! let e = AmplitudeBatchError::from_status(429);
//! assert_eq!(e, AmplitudeBatchError::TooManyRequests);
//! assert_eq!(e.retry_hint().min_wait(), Some(std::time::Duration::from_secs(30)));
//! assert!(!AmplitudeBatchError::PayloadTooLarge.is_retryable());
//! assert_eq!(
//!     AmplitudeBatchError::InternalServerError.retry_hint().when(),
//!     RetryWhen::IfIdempotent
//! );
//! ```
//!
//! The rest of this page is the manual: the attribute, the complete spec format, the
//! retry model and the reqwest walkthrough (it is also the repository's README).
//!
#![doc = include_str!("../README.md")]
#![warn(missing_docs, missing_debug_implementations)]
// On docs.rs (which sets `docsrs`), items behind a feature say which one.
#![cfg_attr(docsrs, feature(doc_cfg))]

mod http;
mod kind;
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

pub use http::backon;

pub use api_errors_macros::{api_errors, bundled_spec, spec_schema};
#[cfg(any(feature = "tower", feature = "reqwest-middleware"))]
#[cfg_attr(
    docsrs,
    doc(cfg(any(feature = "tower", feature = "reqwest-middleware")))
)]
pub use http::layer::{is_idempotent, DeadlineExceeded, Idempotent, ReauthFuture, Reauthenticate};
pub use http::limits::BodyLimits;
pub use http::transport::{RequestError, TransportError, TransportKind};
pub use kind::{ApiErrorKind, LongWait, Matcher, RetryHint, RetryWhen, TransportRules};
pub use response::body::{
    Alternative, BodyShape, Clean, Field, MemberPath, ObjectFields, SuccessRule,
};
pub use response::decode::{ErrorObject, ErrorSource, Text, JSON_LIMIT, TEXT_LIMIT};
pub use response::error::{ApiError, Headers, SNIPPET_LIMIT};
pub use response::retry_after::parse_retry_after;
pub use response::wait::{parse_wait, WaitFormat, WaitFrom, WaitSource};
pub use response::walk::{MAX_ALTERNATIVES, MAX_EXTRA};
pub use retry::backoff::{Backoff, Jitter, Rng};
pub use retry::budget::RetryBudget;
pub use retry::executor::{
    BoxError, DefaultSleeper, GiveUp, Retried, Retry, RetryAsync, RetryError, RetryEvent, Retryable,
};
pub use retry::policy::{RetryPolicy, Settings};
#[cfg(feature = "tokio")]
#[cfg_attr(docsrs, doc(cfg(feature = "tokio")))]
pub use retry::time::TokioSleeper;
pub use retry::time::{BlockingSleeper, ManualClock, NoSleeper, Ready, Sleeper, ThreadSleeper};

/// Items the generated code names. Not public API: no stability promise.
#[doc(hidden)]
pub mod __private {
    pub use crate::kind::{ApiErrorKind, LongWait, Matcher, RetryHint, RetryWhen, TransportRules};
    pub use crate::response::body::{
        Alternative, BodyShape, Clean, Field, ObjectFields, SuccessRule,
    };
    pub use crate::response::wait::{WaitFormat, WaitFrom, WaitSource};
    pub use crate::retry::executor::Retryable;
    pub use core::time::Duration;
}
