//! The spec format of [api-errors](https://docs.rs/api-errors): loading a YAML spec
//! ([`spec::load`]), checking it ([`validate::validate`], every problem located in
//! the spec text) and the typed [`model::Model`] of one of its APIs.
//!
//! One implementation for every place a spec is checked: the `#[api_errors]` macro
//! (`api-errors-macros`) and the `api-errors` command-line tool (`api-errors-cli`).
//! The vendor specs that ship with api-errors and the format's JSON Schema are in
//! [`bundled`].
//!
//! This crate's API serves those two crates and has no stability promise of its own.
//!
//! ```
//! let text = "vendor: Example\napis:\n  main:\n    title: Main\n    errors:\n      - status: 429\n        meaning: Slow down.\n        retry: retry_after\n";
//! let (spec, tree) = api_errors_spec::spec::load(text).unwrap();
//! let model = api_errors_spec::validate::validate(&spec, None, &tree).unwrap();
//! assert_eq!(model.variants[0].name, "TooManyRequests");
//! ```

#![forbid(unsafe_code)]

pub mod bundled;
pub mod model;
pub mod names;
pub mod spec;
pub mod validate;
pub mod yaml;
