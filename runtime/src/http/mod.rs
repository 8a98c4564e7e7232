//! Where requests are made: failures below HTTP (`transport.rs`), how much of a
//! body is read to judge it (`limits.rs`), and the integrations: reqwest, the tower
//! layer and the reqwest middleware (sharing `layer.rs`), backon, and the adapters
//! to tower's and reqwest-retry's own retry middleware (sharing `status_only.rs`).

#[cfg(any(
    feature = "tower",
    feature = "reqwest-middleware",
    feature = "tower-retry"
))]
pub(crate) mod attempt;
pub mod backon;
#[cfg(any(feature = "tower", feature = "reqwest-middleware"))]
pub(crate) mod layer;
pub(crate) mod limits;
#[cfg(feature = "reqwest")]
pub mod reqwest;
#[cfg(feature = "reqwest-middleware")]
pub mod reqwest_middleware;
#[cfg(feature = "reqwest-retry")]
pub mod reqwest_retry;
#[cfg(any(feature = "tower-retry", feature = "reqwest-retry"))]
pub(crate) mod status_only;
#[cfg(feature = "tower")]
pub mod tower;
#[cfg(feature = "tower-retry")]
pub mod tower_retry;
pub(crate) mod transport;
