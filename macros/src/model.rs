//! The typed model between validation and expansion: one API of a spec, checked.
//! Expansion reads only this, never the YAML.

use crate::spec::When;

/// One API of a spec, resolved and checked: all that expansion needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Model {
    pub vendor: String,
    pub source: Option<String>,
    pub api: String,
    pub api_title: String,
    pub body: Option<BodyModel>,
    pub transport: Option<TransportModel>,
    pub variants: Vec<Variant>,
    /// Status -> index into `variants`, ascending by status.
    pub by_status: Vec<(u16, usize)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    pub name: String,
    pub status: u16,
    pub code: Option<String>,
    pub title: Option<String>,
    pub meaning: String,
    pub advice: Option<String>,
    /// `None`: the vendor gives no retry guidance; the status class default applies.
    pub retry: Option<Hint>,
}

/// Retry guidance, checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hint {
    pub when: When,
    pub wait_ms: Option<u64>,
    pub retry_after: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransportModel {
    pub meaning: String,
    pub advice: Option<String>,
    pub retry: Hint,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyModel {
    Object(ObjectFields),
    JsonApi { errors: String },
    Problem,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ObjectFields {
    pub status: Option<String>,
    pub code: Option<String>,
    pub message: Option<String>,
    pub detail: Option<String>,
    pub request_id: Option<String>,
    pub trace_id: Option<String>,
    pub details: Option<String>,
}
