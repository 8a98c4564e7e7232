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

mod backoff;
mod body;
mod budget;
mod decode;
mod error;
mod kind;
#[cfg(any(feature = "tower", feature = "reqwest-middleware"))]
mod layer;
mod limits;
mod policy;
mod retry;
mod retry_after;
mod time;
mod transport;
mod wait;
mod walk;

/// reqwest integration (feature `reqwest`).
#[cfg(feature = "reqwest")]
#[cfg_attr(docsrs, doc(cfg(feature = "reqwest")))]
pub mod reqwest;

#[cfg(feature = "tower")]
#[cfg_attr(docsrs, doc(cfg(feature = "tower")))]
pub mod tower;

#[cfg(feature = "reqwest-middleware")]
#[cfg_attr(docsrs, doc(cfg(feature = "reqwest-middleware")))]
pub mod reqwest_middleware;

pub mod backon;

pub use api_errors_macros::{api_errors, bundled_spec, spec_schema};
pub use backoff::{Backoff, Jitter, Rng};
pub use body::{Alternative, BodyShape, Clean, Field, MemberPath, ObjectFields, SuccessRule};
pub use budget::RetryBudget;
pub use decode::{ErrorObject, ErrorSource, Text, TEXT_LIMIT};
pub use error::{ApiError, Headers, SNIPPET_LIMIT};
pub use kind::{ApiErrorKind, Matcher, RetryHint, RetryWhen, TransportRules};
#[cfg(any(feature = "tower", feature = "reqwest-middleware"))]
#[cfg_attr(
    docsrs,
    doc(cfg(any(feature = "tower", feature = "reqwest-middleware")))
)]
pub use layer::{is_idempotent, DeadlineExceeded, Idempotent, ReauthFuture, Reauthenticate};
pub use limits::BodyLimits;
pub use policy::{LongWait, RetryPolicy, Settings};
pub use retry::{
    BoxError, DefaultSleeper, GiveUp, Retried, Retry, RetryAsync, RetryError, RetryEvent, Retryable,
};
pub use retry_after::parse_retry_after;
#[cfg(feature = "tokio")]
#[cfg_attr(docsrs, doc(cfg(feature = "tokio")))]
pub use time::TokioSleeper;
pub use time::{BlockingSleeper, ManualClock, NoSleeper, Ready, Sleeper, ThreadSleeper};
pub use transport::{RequestError, TransportError, TransportKind};
pub use wait::{parse_wait, WaitFormat, WaitFrom, WaitSource};
pub use walk::{MAX_ALTERNATIVES, MAX_EXTRA};

/// Items the generated code names. Not public API: no stability promise.
#[doc(hidden)]
pub mod __private {
    pub use crate::body::{Alternative, BodyShape, Clean, Field, ObjectFields, SuccessRule};
    pub use crate::kind::{ApiErrorKind, Matcher, RetryHint, RetryWhen, TransportRules};
    pub use crate::policy::LongWait;
    pub use crate::retry::Retryable;
    pub use crate::wait::{WaitFormat, WaitFrom, WaitSource};
    pub use core::time::Duration;
}
