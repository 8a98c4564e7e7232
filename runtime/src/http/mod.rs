//! Where requests are made: failures below HTTP (`transport.rs`), how much of a
//! body is read to judge it (`limits.rs`), and the integrations: reqwest, the tower
//! layer and the reqwest middleware (sharing `layer.rs`), and backon.

pub mod backon;
#[cfg(any(feature = "tower", feature = "reqwest-middleware"))]
pub(crate) mod layer;
pub(crate) mod limits;
#[cfg(feature = "reqwest")]
pub mod reqwest;
#[cfg(feature = "reqwest-middleware")]
pub mod reqwest_middleware;
#[cfg(feature = "tower")]
pub mod tower;
pub(crate) mod transport;
