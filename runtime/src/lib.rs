//! Typed errors from HTTP API vendors' error pages, checked at compile time.
//!
//! ```
//! use api_errors::{api_errors, RetryWhen};
//!
//! #[api_errors(spec = "../specs/amplitude.yaml", api = "batch")]
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
//! See the README for the spec format and every argument of the attribute.
#![warn(missing_docs)]

mod body;
mod kind;

pub use api_errors_macros::api_errors;
pub use body::{BodyShape, ObjectFields};
pub use kind::{ApiErrorKind, RetryHint, RetryWhen};

/// Items the generated code names. Not public API: no stability promise.
#[doc(hidden)]
pub mod __private {
    pub use crate::body::{BodyShape, ObjectFields};
    pub use crate::kind::{ApiErrorKind, RetryHint, RetryWhen};
    pub use core::time::Duration;
}
