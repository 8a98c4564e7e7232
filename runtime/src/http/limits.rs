//! How much of a response body is read to judge it.

use std::time::Duration;

use crate::response::text::PARSE_LIMIT;

/// How much of an error response's body is read, and for how long.
///
/// A body that is larger, or slower, than this is cut where the bound is hit: the
/// error keeps its status and kind, and what did arrive (decoded when it is whole,
/// else as a snippet). The defaults: 1 MiB and 10 seconds. A success's body is never
/// read here.
///
/// Used by `reqwest::check`/`send` and by the tower layer and the reqwest middleware.
/// The time bound runs on tokio's timer, so the runtime needs its time driver
/// (`#[tokio::main]` and `Runtime::new` have it), as reqwest's own timeouts do.
///
/// ```
/// use std::time::Duration;
/// use api_errors::BodyLimits;
///
/// let limits = BodyLimits::default().timeout(Duration::from_secs(2)).max_bytes(64 * 1024);
/// assert_eq!(limits.time_limit(), Duration::from_secs(2));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BodyLimits {
    max_bytes: usize,
    timeout: Duration,
}

impl Default for BodyLimits {
    fn default() -> Self {
        BodyLimits {
            max_bytes: PARSE_LIMIT,
            timeout: Duration::from_secs(10),
        }
    }
}

impl BodyLimits {
    /// Reads at most `n` bytes of an error body (more is not read: the connection is
    /// dropped). Above 1 MiB nothing more is decoded, only kept as a snippet.
    #[must_use]
    pub fn max_bytes(mut self, n: usize) -> Self {
        self.max_bytes = n;
        self
    }

    /// Spends at most `d` reading an error body, from the moment the headers arrived.
    #[must_use]
    pub fn timeout(mut self, d: Duration) -> Self {
        self.timeout = d;
        self
    }

    /// The byte bound.
    pub fn byte_limit(&self) -> usize {
        self.max_bytes
    }

    /// The time bound.
    pub fn time_limit(&self) -> Duration {
        self.timeout
    }
}
