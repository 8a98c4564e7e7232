//! What a decode gives: the members a body said, as spans into one buffer, and the
//! JSON:API-style error objects of an error array.

use std::fmt;

use serde_core::de::{Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_core::Deserialize;

use crate::response::text::{push_into, AnyCode, AnyText, Key, Span, Text};

/// One JSON:API-style error object (Amplemarket's `_errors` items).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ErrorObject {
    /// A unique identifier for this occurrence of the problem.
    pub id: Option<Text>,
    /// The HTTP status for this problem (JSON:API sends it as a string).
    pub status: Option<Text>,
    /// The application-specific error code (a number keeps its digits as sent).
    pub code: Option<Text>,
    /// A short, human-readable summary of the problem.
    pub title: Option<Text>,
    /// A human-readable explanation of this occurrence.
    pub detail: Option<Text>,
    /// What in the request caused the error.
    pub source: Option<ErrorSource>,
}

/// Where in the request an [`ErrorObject`]'s problem lies.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ErrorSource {
    /// A JSON Pointer (RFC 6901) into the request document.
    pub pointer: Option<Text>,
    /// The URI query parameter that caused the error.
    pub parameter: Option<Text>,
    /// The request header that caused the error.
    pub header: Option<Text>,
}

// The two error-object types are read by hand (no serde derive, which would put a
// proc-macro crate on every user's build path): known members by name, unknown
// ones skipped, any member's wrong type read as absent.
impl<'de> Deserialize<'de> for ErrorObject {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = ErrorObject;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an error object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ErrorObject, A::Error> {
                let mut e = ErrorObject::default();
                while let Some(Key(key)) = map.next_key()? {
                    let slot = match &*key {
                        b"id" => &mut e.id,
                        b"status" => &mut e.status,
                        b"title" => &mut e.title,
                        b"detail" => &mut e.detail,
                        b"code" => {
                            e.code = map.next_value_seed(AnyCode)?;
                            continue;
                        }
                        b"source" => {
                            e.source = map.next_value()?;
                            continue;
                        }
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                            continue;
                        }
                    };
                    *slot = map.next_value_seed(AnyText)?;
                }
                Ok(e)
            }
        }
        d.deserialize_map(V)
    }
}

impl<'de> Deserialize<'de> for ErrorSource {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = ErrorSource;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an error source object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ErrorSource, A::Error> {
                let mut e = ErrorSource::default();
                while let Some(Key(key)) = map.next_key()? {
                    let slot = match &*key {
                        b"pointer" => &mut e.pointer,
                        b"parameter" => &mut e.parameter,
                        b"header" => &mut e.header,
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                            continue;
                        }
                    };
                    *slot = map.next_value_seed(AnyText)?;
                }
                Ok(e)
            }
        }
        d.deserialize_map(V)
    }
}

/// What a body said, as far as it matched the declared shape. The text of every
/// member read sits in one buffer, [`text`](Self::text): one allocation however
/// many members there are.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Decoded {
    /// The members' text, one after another.
    pub text: String,
    pub message: Option<Span>,
    pub code: Option<Span>,
    /// The body's error type (a second identity beside the code), where declared.
    pub kind: Option<Span>,
    pub request_id: Option<Span>,
    pub trace_id: Option<Span>,
    /// The raw JSON of an `object` body's `details` member.
    pub details: Option<Span>,
    /// The text of the body's wait member, where the spec declares one.
    pub wait: Option<Span>,
    /// The spec's `extra:` members that the response had.
    pub extra: Vec<Extra>,
    /// A declared member was present but not readable as declared (an object where
    /// text was declared, or JSON too long to keep): the body is kept as a snippet.
    pub unreadable: bool,
    /// The values at the alternative body paths, in the order the spec lists them.
    pub alternatives: Vec<Option<Span>>,
    pub errors: Vec<ErrorObject>,
}

/// One `extra:` member the response had: its text (a scalar's; `None` for an
/// object or an array) and its raw JSON (`None` for a header).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Extra {
    pub name: &'static str,
    pub text: Option<Span>,
    pub json: Option<Span>,
}

impl Decoded {
    /// The text at `span`.
    #[inline]
    pub fn get(&self, span: Option<Span>) -> Option<&str> {
        self.text.get(span?.range())
    }

    /// Keeps `s`; where it went.
    pub fn push(&mut self, s: &str) -> Span {
        push_into(&mut self.text, s)
    }

    /// Whether any declared member was read out of the body.
    pub fn extracted_anything(&self) -> bool {
        self.message.is_some()
            || self.code.is_some()
            || self.kind.is_some()
            || self.request_id.is_some()
            || self.trace_id.is_some()
            || self.details.is_some()
            || !self.extra.is_empty()
            || self.alternatives.iter().any(Option::is_some)
            || self.errors.iter().any(|e| *e != ErrorObject::default())
    }
}
