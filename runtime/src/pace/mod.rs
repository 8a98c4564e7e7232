//! Pacing: holding requests so that a vendor's limits hold, before the vendor says 429.

pub(crate) mod limits;
pub(crate) mod pacer;
#[cfg(feature = "redis")]
pub mod redis;
pub(crate) mod shared;
