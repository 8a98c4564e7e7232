//! Decoding the error bodies a spec declares: an object with named members, a
//! JSON:API-style error array, or RFC 9457 problem details.
//!
//! Unknown members are ignored (vendors add fields without notice). Nothing here
//! panics on any input: a body that is not the declared shape is simply not decoded,
//! and the caller keeps a snippet of it instead.

use std::borrow::Cow;
use std::fmt;

use serde_core::de::{
    self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor,
};
use serde_core::Deserialize;

use crate::body::BodyShape;
use crate::walk::{decode_object, Plan};

/// Longest text kept from any one JSON member (bytes; cut at a character boundary).
pub const TEXT_LIMIT: usize = 4 * 1024;
/// Most error objects kept from a JSON:API array; the rest are skipped.
pub const ERRORS_LIMIT: usize = 32;
/// Largest body that is parsed at all; a larger one is kept only as a snippet.
pub const PARSE_LIMIT: usize = 1024 * 1024;

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

/// A JSON scalar kept as text: strings as they are (cut to [`TEXT_LIMIT`]), numbers
/// and booleans written out. Objects, arrays and null read as absent.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Text(pub String);

impl std::ops::Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Cuts `s` to at most `limit` bytes at a character boundary.
pub fn bounded(s: &str, limit: usize) -> &str {
    if s.len() <= limit {
        return s;
    }
    let mut end = limit;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Reads a scalar as an owned [`Text`]. Strings are copied once, at their length;
/// everything else is read as [`TextInto`] reads it (one definition of what becomes
/// text), into a text of its own.
struct TextVisitor;

/// What `read` writes through a [`TextInto`], as a [`Text`] of its own.
fn owned<E>(read: impl FnOnce(TextInto<'_>) -> Result<Option<Span>, E>) -> Result<Option<Text>, E> {
    let mut text = String::new();
    Ok(read(TextInto(&mut text))?.map(|_| Text(text)))
}

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Option<Text>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON scalar")
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
        Ok(Some(Text(bounded(s, TEXT_LIMIT).to_owned())))
    }
    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Self::Value, E> {
        owned(|t| t.visit_i64(n))
    }
    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Self::Value, E> {
        owned(|t| t.visit_u64(n))
    }
    fn visit_f64<E: de::Error>(self, n: f64) -> Result<Self::Value, E> {
        owned(|t| t.visit_f64(n))
    }
    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Self::Value, E> {
        owned(|t| t.visit_bool(b))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_map<A: MapAccess<'de>>(self, m: A) -> Result<Self::Value, A::Error> {
        owned(|t| t.visit_map(m))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, s: A) -> Result<Self::Value, A::Error> {
        owned(|t| t.visit_seq(s))
    }
}

/// Reads any JSON value as an optional [`Text`].
pub(crate) struct AnyText;

impl<'de> DeserializeSeed<'de> for AnyText {
    type Value = Option<Text>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<Text>, D::Error> {
        d.deserialize_any(TextVisitor)
    }
}

/// Reads a code member through its raw JSON (see [`code_text`]).
pub(crate) struct AnyCode;

impl<'de> DeserializeSeed<'de> for AnyCode {
    type Value = Option<Text>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<Text>, D::Error> {
        let raw = <&'de serde_json::value::RawValue>::deserialize(d)?;
        Ok(code_text(raw.get()))
    }
}

/// Where one member's text sits in [`Decoded::text`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    start: u32,
    end: u32,
}

impl Span {
    /// Where the text is in its buffer.
    #[inline]
    pub(crate) fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// Appends `s` to `buf`; where it went.
pub(crate) fn push_into(buf: &mut String, s: &str) -> Span {
    let start = offset(buf);
    buf.push_str(s);
    Span {
        start,
        end: offset(buf),
    }
}

/// A number or boolean written out at the end of `buf`.
fn push_display(buf: &mut String, v: impl fmt::Display) -> Span {
    use fmt::Write;
    let start = offset(buf);
    // Writing to a `String` cannot fail.
    let _ = write!(buf, "{v}");
    Span {
        start,
        end: offset(buf),
    }
}

/// The end of `buf` as a span offset. (Past `u32::MAX`, which the parse and text
/// limits rule out, a span would read as absent, never as other text.)
fn offset(buf: &str) -> u32 {
    u32::try_from(buf.len()).unwrap_or(u32::MAX)
}

/// Reads any JSON scalar as text at the end of the buffer (as [`Text`] does: strings
/// cut to [`TEXT_LIMIT`], numbers and booleans written out; null, objects and arrays
/// absent).
pub(crate) struct TextInto<'b>(pub(crate) &'b mut String);

impl<'de> DeserializeSeed<'de> for TextInto<'_> {
    type Value = Option<Span>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<Span>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for TextInto<'_> {
    type Value = Option<Span>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON scalar")
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Option<Span>, E> {
        Ok(Some(push_into(self.0, bounded(s, TEXT_LIMIT))))
    }
    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Option<Span>, E> {
        Ok(Some(push_display(self.0, n)))
    }
    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Option<Span>, E> {
        Ok(Some(push_display(self.0, n)))
    }
    fn visit_f64<E: de::Error>(self, n: f64) -> Result<Option<Span>, E> {
        Ok(Some(push_display(self.0, n)))
    }
    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Option<Span>, E> {
        Ok(Some(push_display(self.0, b)))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Option<Span>, E> {
        Ok(None)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Option<Span>, A::Error> {
        while m.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(None)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<Option<Span>, A::Error> {
        while s.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }
}

/// A code read in one pass: exact unless the number needed a float.
pub(crate) enum QuickCode {
    /// The code's text, exactly as sent (absent: null, an object or an array).
    Exact(Option<Span>),
    /// A number that is not a 64-bit integer (a fraction, an exponent, more digits,
    /// `-0`): its digits as sent are not known; read it again raw ([`AnyCode`]).
    Inexact,
}

/// Reads a code member without `RawValue`, at the end of the buffer: strings,
/// booleans and 64-bit integers have one spelling in JSON, so their text is the
/// text sent. Anything the parser had to turn into a float is
/// [`QuickCode::Inexact`], for the caller to read again raw (rare; keeps a 23-digit
/// code exact without paying for a raw read every time).
pub(crate) struct QuickCodeInto<'b>(pub(crate) &'b mut String);

impl<'de> DeserializeSeed<'de> for QuickCodeInto<'_> {
    type Value = QuickCode;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<QuickCode, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for QuickCodeInto<'_> {
    type Value = QuickCode;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an app code")
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<QuickCode, E> {
        Ok(QuickCode::Inexact)
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<QuickCode, E> {
        TextInto(self.0).visit_str(s).map(QuickCode::Exact)
    }
    fn visit_i64<E: de::Error>(self, n: i64) -> Result<QuickCode, E> {
        TextInto(self.0).visit_i64(n).map(QuickCode::Exact)
    }
    fn visit_u64<E: de::Error>(self, n: u64) -> Result<QuickCode, E> {
        TextInto(self.0).visit_u64(n).map(QuickCode::Exact)
    }
    fn visit_bool<E: de::Error>(self, b: bool) -> Result<QuickCode, E> {
        TextInto(self.0).visit_bool(b).map(QuickCode::Exact)
    }
    fn visit_unit<E: de::Error>(self) -> Result<QuickCode, E> {
        Ok(QuickCode::Exact(None))
    }
    fn visit_map<A: MapAccess<'de>>(self, m: A) -> Result<QuickCode, A::Error> {
        TextInto(self.0).visit_map(m).map(QuickCode::Exact)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, s: A) -> Result<QuickCode, A::Error> {
        TextInto(self.0).visit_seq(s).map(QuickCode::Exact)
    }
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

/// An app code from its raw JSON: a string unescaped, a number or boolean exactly as
/// sent (so `12345678901234567890123` keeps every digit; a float would not), and
/// anything else (null, objects, arrays) absent.
pub(crate) fn code_text(raw: &str) -> Option<Text> {
    let kept = |t: &str| Some(Text(bounded(t, TEXT_LIMIT).to_owned()));
    match raw.as_bytes().first()? {
        // A string without escapes is its raw text between the quotes: one copy.
        b'"' => match raw.get(1..raw.len() - 1) {
            // (A byte loop: faster than `memchr` on names and codes this short.)
            Some(inner) if !inner.bytes().any(|b| b == b'\\') => kept(inner),
            _ => kept(&serde_json::from_str::<String>(raw).ok()?),
        },
        b'-' | b'0'..=b'9' | b't' | b'f' => kept(raw),
        _ => None,
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
    /// The spec's `extra:` members that the body had, by name.
    pub extra: Vec<(&'static str, Span)>,
    /// The values at the alternative body paths, in the order the spec lists them.
    pub alternatives: Vec<Option<Span>>,
    pub errors: Vec<ErrorObject>,
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

/// Decodes `body` as `shape` (laid out as `plan`: [`Plan::of`] the shape) says, into `out` (which starts empty). `false`: the
/// body is not that shape (or too big, or no shape is declared), and `out` is left
/// empty; the caller keeps a snippet instead.
pub fn decode(shape: &BodyShape, plan: &Plan, body: &[u8], out: &mut Decoded) -> bool {
    let decoded = decode_any(shape, plan, body, out);
    if !decoded {
        *out = Decoded::default();
    }
    decoded
}

fn decode_any(shape: &BodyShape, plan: &Plan, body: &[u8], out: &mut Decoded) -> bool {
    if body.is_empty() || body.len() > PARSE_LIMIT {
        return false;
    }
    let mut de = serde_json::Deserializer::from_slice(body);
    let decoded = match shape {
        BodyShape::Unspecified => return false,
        BodyShape::Object(fields) => {
            // The declared shape is an object: anything else is not decoded.
            if body.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
                return false;
            }
            return decode_object(fields, plan, body, out);
        }
        BodyShape::JsonApi { errors } => de.deserialize_map(JsonApiShape(errors)),
        BodyShape::Problem => de.deserialize_map(ProblemShape),
    };
    match decoded {
        Ok(decoded) if de.end().is_ok() => {
            *out = decoded;
            true
        }
        _ => false,
    }
}

/// A member name as bytes, borrowed from the body when it has no escapes. Read
/// without UTF-8 validation (names are only compared with the spec's, which are
/// valid UTF-8, so an invalid name matches nothing and is skipped).
pub(crate) struct Key<'de>(pub(crate) Cow<'de, [u8]>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a member name")
            }
            fn visit_borrowed_bytes<E: de::Error>(self, b: &'de [u8]) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(b)))
            }
            fn visit_bytes<E: de::Error>(self, b: &[u8]) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(b.to_owned())))
            }
            fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(s.as_bytes())))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(s.as_bytes().to_owned())))
            }
        }
        d.deserialize_bytes(V)
    }
}

struct JsonApiShape<'f>(&'f str);

impl<'de> Visitor<'de> for JsonApiShape<'_> {
    type Value = Decoded;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a JSON object with an `{}` array", self.0)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Decoded, A::Error> {
        let mut errors = None;
        while let Some(Key(key)) = map.next_key()? {
            if *key == *self.0.as_bytes() {
                errors = Some(map.next_value_seed(ErrorList)?);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        let errors: Vec<ErrorObject> = errors.ok_or_else(|| de::Error::missing_field("errors"))?;
        // Message, code and id are read from the error objects when asked for
        // (see `ApiError`), not copied out of them here.
        Ok(Decoded {
            errors,
            ..Decoded::default()
        })
    }
}

struct ErrorList;

impl<'de> DeserializeSeed<'de> for ErrorList {
    type Value = Vec<ErrorObject>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for ErrorList {
    type Value = Vec<ErrorObject>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of error objects")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        while out.len() < ERRORS_LIMIT {
            match seq.next_element::<ErrorObject>()? {
                Some(e) => out.push(e),
                None => return Ok(out),
            }
        }
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(out)
    }
}

struct ProblemShape;

impl<'de> Visitor<'de> for ProblemShape {
    type Value = Decoded;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an RFC 9457 problem details object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Decoded, A::Error> {
        let (mut title, mut detail, mut kind, mut instance) = (None, None, None, None);
        while let Some(Key(key)) = map.next_key()? {
            let slot = match &*key {
                b"title" => &mut title,
                b"detail" => &mut detail,
                b"type" => &mut kind,
                b"instance" => &mut instance,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                    continue;
                }
            };
            *slot = map.next_value_seed(AnyText)?;
        }
        let mut d = Decoded::default();
        d.message = detail.or(title).map(|t| d.push(&t));
        // The problem type URI is the closest thing RFC 9457 has to an app code.
        d.code = kind.filter(|t| t.0 != "about:blank").map(|t| d.push(&t));
        d.request_id = instance.map(|t| d.push(&t));
        Ok(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::body::ObjectFields;

    /// The decoder as a value: `None` when the body is not the shape, and then the
    /// output it was given is checked to be left empty.
    fn decode(shape: &BodyShape, body: &[u8]) -> Option<Decoded> {
        let mut out = Decoded::default();
        let decoded = super::decode(shape, &Plan::of(shape), body, &mut out);
        if !decoded {
            assert_eq!(
                out,
                Decoded::default(),
                "a failed decode leaves nothing behind"
            );
        }
        decoded.then_some(out)
    }

    const AMPERITY: BodyShape = BodyShape::Object(ObjectFields {
        status: Some(&["status"]),
        code: None,
        kind: None,
        message: Some(&["message"]),
        detail: None,
        request_id: Some(&["request_id"]),
        trace_id: Some(&["trace_id"]),
        details: None,
        wait: None,
        extra: &[],
        alternatives: &[],
        clean: crate::body::Clean::NONE,
    });

    #[test]
    fn object_members_by_the_names_the_spec_gives() {
        let body = br#"{"status":400,"message":"Can't find campaign","request_id":"1ab","trace_id":"9z","new_field":{"x":[1,2]}}"#;
        let d = decode(&AMPERITY, body).unwrap();
        assert_eq!(d.get(d.message), Some("Can't find campaign"));
        assert_eq!(
            (d.get(d.request_id), d.get(d.trace_id)),
            (Some("1ab"), Some("9z"))
        );
    }

    #[test]
    fn numeric_codes_become_text() {
        let shape = BodyShape::Object(ObjectFields {
            code: Some(&["code"]),
            message: Some(&["message"]),
            details: Some(&["details"]),
            ..ObjectFields::default()
        });
        let d = decode(
            &shape,
            br#"{"code": 4001, "message": "bad item", "details": [{"field": "price"}]}"#,
        )
        .unwrap();
        assert_eq!(d.get(d.code), Some("4001"));
        assert_eq!(d.get(d.details), Some(r#"[{"field": "price"}]"#));
        let d = decode(
            &shape,
            br#"{"code": 12345678901234567890123, "message": "m"}"#,
        )
        .unwrap();
        assert_eq!(
            d.get(d.code),
            Some("12345678901234567890123"),
            "every digit kept"
        );
        let d = decode(&shape, br#"{"code": "a\"b", "message": "m"}"#).unwrap();
        assert_eq!(d.get(d.code), Some("a\"b"));
        let d = decode(
            &BodyShape::JsonApi { errors: "errors" },
            br#"{"errors":[{"code": 98765432109876543210}]}"#,
        )
        .unwrap();
        assert_eq!(d.errors[0].code.as_deref(), Some("98765432109876543210"));
    }

    #[test]
    fn a_body_cut_short_keeps_nothing_it_read_before_the_cut() {
        let shape = BodyShape::Object(ObjectFields {
            message: Some(&["error", "message"]),
            code: Some(&["error", "code"]),
            ..ObjectFields::default()
        });
        let whole = br#"{"error":{"message":"m","code":1.5,"x":[1,2]}}"#;
        assert!(decode(&shape, whole).is_some());
        for cut in 1..whole.len() {
            assert_eq!(decode(&shape, &whole[..cut]), None, "cut at {cut}");
        }
        assert_eq!(
            decode(&shape, br#"{"error":{"message":"m"}} trailing"#),
            None
        );
    }

    #[test]
    fn codes_one_pass_cannot_keep_are_read_again_raw() {
        let shape = BodyShape::Object(ObjectFields {
            code: Some(&["errors", "*", "code"]),
            message: Some(&["errors", "*", "message"]),
            ..ObjectFields::default()
        });
        // Each number a float parse would change: the digits as sent, every one.
        for (sent, kept) in [
            ("1.50", "1.50"),
            ("-0", "-0"),
            ("1e3", "1e3"),
            ("18446744073709551616", "18446744073709551616"),
            ("-9223372036854775809", "-9223372036854775809"),
            ("-9223372036854775808", "-9223372036854775808"),
            ("18446744073709551615", "18446744073709551615"),
            ("0", "0"),
            ("true", "true"),
        ] {
            let body = format!(r#"{{"errors":[{{"message":"m","code":{sent}}}]}}"#);
            let d = decode(&shape, body.as_bytes()).unwrap();
            assert_eq!(d.get(d.code), Some(kept), "{sent}");
            assert_eq!(d.get(d.message), Some("m"));
        }
        // The first code at the path wins, even when only the second pass can read it
        // (the first pass skipped it and found a later one).
        let d = decode(
            &shape,
            br#"{"errors":[{"code":12345678901234567890123},{"code":"LATER","message":"m"}]}"#,
        )
        .unwrap();
        assert_eq!(d.get(d.code), Some("12345678901234567890123"));
        assert_eq!(d.get(d.message), Some("m"), "the other members are kept");
        // A code at an alternative path is read the same way.
        static ALTERNATIVES: [crate::body::Alternative; 1] = [crate::body::Alternative::new(
            crate::body::Field::Code,
            crate::WaitFrom::Body(&["error", "code"]),
        )];
        let shape = BodyShape::Object(ObjectFields {
            code: Some(&["code"]),
            alternatives: &ALTERNATIVES,
            ..ObjectFields::default()
        });
        let d = decode(&shape, br#"{"error":{"code":2.50}}"#).unwrap();
        assert_eq!(d.code, None);
        assert_eq!(d.get(d.alternatives[0]), Some("2.50"));
        let shape = BodyShape::Object(ObjectFields {
            code: Some(&["errors", "*", "code"]),
            ..ObjectFields::default()
        });
        // A null code is absent, and a later one is found.
        let d = decode(&shape, br#"{"errors":[{"code":null},{"code":7}]}"#).unwrap();
        assert_eq!(d.get(d.code), Some("7"));
    }

    #[test]
    fn nested_paths_reach_members_anywhere() {
        let openai = BodyShape::Object(ObjectFields {
            message: Some(&["error", "message"]),
            code: Some(&["error", "code"]),
            kind: Some(&["error", "type"]),
            ..ObjectFields::default()
        });
        let body = br#"{"error":{"message":"Rate limit reached","type":"requests","param":null,"code":"rate_limit_exceeded"},"other":{"error":{"code":"decoy"}}}"#;
        let d = decode(&openai, body).unwrap();
        assert_eq!(d.get(d.message), Some("Rate limit reached"));
        assert_eq!(d.get(d.code), Some("rate_limit_exceeded"));
        assert_eq!(d.get(d.kind), Some("requests"));

        // `*`: the first array element that has the rest of the path.
        let graphql = BodyShape::Object(ObjectFields {
            message: Some(&["errors", "*", "message"]),
            code: Some(&["errors", "*", "extensions", "code"]),
            ..ObjectFields::default()
        });
        let body = br#"{"data":null,"errors":[{"message":"first"},{"message":"second","extensions":{"code":"THROTTLED"}}]}"#;
        let d = decode(&graphql, body).unwrap();
        assert_eq!(
            (d.get(d.message), d.get(d.code)),
            (Some("first"), Some("THROTTLED"))
        );

        // An index, and escapes (`~1` is `/`).
        let odd = BodyShape::Object(ObjectFields {
            message: Some(&["list", "1", "a/b"]),
            ..ObjectFields::default()
        });
        let d = decode(&odd, br#"{"list":[{"a/b":"no"},{"a/b":"yes"}]}"#).unwrap();
        assert_eq!(d.get(d.message), Some("yes"));

        // A path into a scalar, or a missing branch: absent, not an error.
        let d = decode(&openai, br#"{"error":"quota exceeded"}"#).unwrap();
        assert_eq!(d, Decoded::default());
        // Details kept raw, from anywhere.
        let raw = BodyShape::Object(ObjectFields {
            details: Some(&["error", "param"]),
            ..ObjectFields::default()
        });
        let d = decode(&raw, br#"{"error":{"param":{"name":"model"}}}"#).unwrap();
        assert_eq!(d.get(d.details), Some(r#"{"name":"model"}"#));
    }

    #[test]
    fn jsonapi_keeps_every_error() {
        let shape = BodyShape::JsonApi { errors: "_errors" };
        let body = br#"{"_errors":[{"status":"400","code":"unsupported_value","title":"Unsupported Value","detail":"Number of emails exceeds 100000 limit","source":{"pointer":"/emails"}},{"code":"missing_field","detail":"name is required","source":{"parameter":"name"}}]}"#;
        let d = decode(&shape, body).unwrap();
        assert_eq!(d.errors.len(), 2);
        assert_eq!(d.errors[0].code.as_deref(), Some("unsupported_value"));
        let detail = d.errors[0].detail.as_deref();
        assert_eq!(detail, Some("Number of emails exceeds 100000 limit"));
        let src = d.errors[0].source.as_ref().unwrap();
        assert_eq!(src.pointer.as_deref(), Some("/emails"));
        assert_eq!(
            d.errors[1].source.as_ref().unwrap().parameter.as_deref(),
            Some("name")
        );
    }

    #[test]
    fn problem_details() {
        let body = br#"{"type":"https://example.com/probs/out-of-credit","title":"You do not have enough credit.","status":403,"detail":"Your current balance is 30, but that costs 50.","instance":"/account/12345/msgs/abc","balance":30}"#;
        let d = decode(&BodyShape::Problem, body).unwrap();
        assert_eq!(
            d.get(d.message),
            Some("Your current balance is 30, but that costs 50.")
        );
        assert_eq!(
            d.get(d.code),
            Some("https://example.com/probs/out-of-credit")
        );
        assert_eq!(d.get(d.request_id), Some("/account/12345/msgs/abc"));
    }

    #[test]
    fn bad_bodies_decode_to_none_without_panicking() {
        let deep = "[".repeat(100_000);
        let huge = format!("{{\"message\":\"{}\"}}", "x".repeat(PARSE_LIMIT));
        for body in [
            &b""[..],
            b"not json",
            b"{\"message\": \"trunc",
            b"[1, 2, 3]",
            b"{\"message\": \"ok\"} trailing",
            deep.as_bytes(),
            huge.as_bytes(),
            &[0xff, 0xfe, 0x00],
        ] {
            assert_eq!(
                decode(&AMPERITY, body),
                None,
                "{:?}",
                String::from_utf8_lossy(&body[..body.len().min(40)])
            );
            assert_eq!(decode(&BodyShape::JsonApi { errors: "errors" }, body), None);
            assert_eq!(decode(&BodyShape::Problem, body), None);
        }
        assert_eq!(
            decode(&BodyShape::JsonApi { errors: "errors" }, b"{}"),
            None,
            "no array"
        );
    }

    #[test]
    fn long_texts_and_long_arrays_are_bounded() {
        let long = format!("{{\"message\":\"{}\"}}", "é".repeat(TEXT_LIMIT));
        let d = decode(&AMPERITY, long.as_bytes()).unwrap();
        let m = d.get(d.message).unwrap();
        assert!(m.len() <= TEXT_LIMIT && m.len() > TEXT_LIMIT - 4);
        assert!(
            d.text.capacity() <= d.text.len() + 256,
            "no room kept beyond the text"
        );
        let many = format!(
            "{{\"errors\":[{}]}}",
            vec![r#"{"code":"c"}"#; 1000].join(",")
        );
        let d = decode(&BodyShape::JsonApi { errors: "errors" }, many.as_bytes()).unwrap();
        assert_eq!(d.errors.len(), ERRORS_LIMIT);
    }

    #[test]
    fn wrong_types_inside_the_right_shape_are_ignored() {
        let d = decode(
            &AMPERITY,
            br#"{"message":{"nested":true},"request_id":null,"trace_id":[1]}"#,
        )
        .unwrap();
        assert_eq!(d, Decoded::default());
        let shape = BodyShape::JsonApi { errors: "errors" };
        let d = decode(
            &shape,
            br#"{"errors":[{"code":{"x":1},"detail":null,"status":400,"source":"oops"}]}"#,
        );
        // A `source` that is not an object breaks the declared shape: not decoded.
        assert_eq!(d, None);
        let d = decode(
            &shape,
            br#"{"errors":[{"code":{"x":1},"detail":null,"status":400}]}"#,
        )
        .unwrap();
        assert_eq!(
            d.errors[0],
            ErrorObject {
                status: Some(Text("400".into())),
                ..ErrorObject::default()
            }
        );
    }
}
