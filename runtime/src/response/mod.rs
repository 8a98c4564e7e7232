//! The response side: what a server said, read as the spec declares it. The body
//! shapes (`body.rs`), the members kept as text (`text.rs`, `decoded.rs`), the object
//! walk (`walk.rs`) and the fixed-shape decoders (`decode.rs`), the waits a server
//! states (`wait.rs`, `retry_after.rs`), and [`ApiError`](error::ApiError), which
//! joins them (`error.rs`); batch responses split into items (`batch.rs`).

pub(crate) mod batch;
pub(crate) mod body;
pub(crate) mod decode;
pub(crate) mod decoded;
pub(crate) mod error;
pub(crate) mod retry_after;
pub(crate) mod text;
pub(crate) mod wait;
pub(crate) mod walk;
