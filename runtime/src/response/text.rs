//! JSON values kept as text: where each member's text sits in a decode's one buffer
//! ([`Span`]), the readers that put it there (scalars as text, codes exactly as
//! sent), member names as bytes, and the limits on what is kept. Shared by the
//! object walk (`walk.rs`) and the fixed-shape decoders (`decode.rs`).

use std::borrow::Cow;
use std::fmt;

use serde_core::de::{
    self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor,
};
use serde_core::Deserialize;

/// Longest text kept from any one JSON member (bytes; cut at a character boundary).
pub const TEXT_LIMIT: usize = 4 * 1024;
/// Largest body that is parsed at all; a larger one is kept only as a snippet.
pub const PARSE_LIMIT: usize = 1024 * 1024;
/// Longest raw JSON kept from one member (`details`, and `extra:` members read as
/// JSON): kept whole up to this many bytes, else not kept at all (a cut JSON text
/// would not parse), and the body is then kept as a snippet.
pub const JSON_LIMIT: usize = 64 * 1024;

/// A JSON scalar kept as text: strings as they are (cut to [`TEXT_LIMIT`]), numbers
/// and booleans written out. Objects, arrays and null read as absent. Read it as a
/// `&str` (it derefs to one, and compares with one).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Text(pub(crate) String);

impl Text {
    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The text, owned.
    pub fn into_string(self) -> String {
        self.0
    }
}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

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
fn owned<E>(read: impl FnOnce(TextInto<'_>) -> Result<Scalar, E>) -> Result<Option<Text>, E> {
    let mut text = String::new();
    Ok(read(TextInto(&mut text))?.span().map(|_| Text(text)))
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

    /// The part of this span from byte `from` to byte `to` of it (both at most
    /// its length).
    pub(crate) fn slice(self, from: usize, to: usize) -> Span {
        let at = |n: usize| {
            let n = u32::try_from(n).unwrap_or(u32::MAX);
            self.start.saturating_add(n).min(self.end)
        };
        Span {
            start: at(from),
            end: at(to),
        }
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

/// What a reader of text found at a member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scalar {
    /// A scalar, kept as text.
    Text(Span),
    /// `null`: the member says nothing.
    Null,
    /// An object or an array where text was declared: present, but not readable as
    /// declared (the caller keeps a snippet of the body, so that nothing is lost).
    Structured,
}

impl Scalar {
    /// The text's span, if there is text.
    #[inline]
    pub(crate) fn span(self) -> Option<Span> {
        match self {
            Scalar::Text(s) => Some(s),
            Scalar::Null | Scalar::Structured => None,
        }
    }
}

/// Reads any JSON scalar as text at the end of the buffer (as [`Text`] does: strings
/// cut to [`TEXT_LIMIT`], numbers and booleans written out); null is
/// [`Scalar::Null`], objects and arrays [`Scalar::Structured`].
pub(crate) struct TextInto<'b>(pub(crate) &'b mut String);

impl<'de> DeserializeSeed<'de> for TextInto<'_> {
    type Value = Scalar;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Scalar, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for TextInto<'_> {
    type Value = Scalar;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON scalar")
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Scalar, E> {
        Ok(Scalar::Text(push_into(self.0, bounded(s, TEXT_LIMIT))))
    }
    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Scalar, E> {
        Ok(Scalar::Text(push_display(self.0, n)))
    }
    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Scalar, E> {
        Ok(Scalar::Text(push_display(self.0, n)))
    }
    fn visit_f64<E: de::Error>(self, n: f64) -> Result<Scalar, E> {
        Ok(Scalar::Text(push_display(self.0, n)))
    }
    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Scalar, E> {
        Ok(Scalar::Text(push_display(self.0, b)))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Scalar, E> {
        Ok(Scalar::Null)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Scalar, A::Error> {
        while m.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Scalar::Structured)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<Scalar, A::Error> {
        while s.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Scalar::Structured)
    }
}

/// A code read in one pass: exact unless the number needed a float.
pub(crate) enum QuickCode {
    /// The code's text, exactly as sent (or null, or an object or an array).
    Exact(Scalar),
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
        Ok(QuickCode::Exact(Scalar::Null))
    }
    fn visit_map<A: MapAccess<'de>>(self, m: A) -> Result<QuickCode, A::Error> {
        TextInto(self.0).visit_map(m).map(QuickCode::Exact)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, s: A) -> Result<QuickCode, A::Error> {
        TextInto(self.0).visit_seq(s).map(QuickCode::Exact)
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
