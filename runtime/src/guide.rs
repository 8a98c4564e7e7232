#![doc = include_str!("guide/index.md")]

#[doc = include_str!("guide/attribute.md")]
pub mod attribute {}

#[doc = include_str!("guide/spec_format.md")]
pub mod spec_format {}

#[doc = include_str!("guide/identification.md")]
pub mod identification {}

#[doc = include_str!("guide/waits.md")]
pub mod waits {}

#[doc = include_str!("guide/retries.md")]
pub mod retries {}

#[doc = include_str!("guide/pacing.md")]
pub mod pacing {}

#[doc = include_str!("guide/http.md")]
pub mod http {}

#[doc = include_str!("guide/tool.md")]
pub mod tool {}

#[doc = include_str!("guide/limits.md")]
pub mod limits {}
