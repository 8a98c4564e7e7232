//! Object bodies read by member path: a walk along the declared paths only (all else
//! is skipped unparsed), filling one slot per declared member; also the rules that
//! make a 2xx an error, read the same way. Member paths arrive split into steps by
//! the macro (see [`MemberPath`](crate::response::body::MemberPath)).

use std::fmt;

use serde_core::de::{
    self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor,
};
use serde_core::Deserialize;

use crate::response::body::{BodyShape, Field, MemberPath, ObjectFields, SuccessRule};
use crate::response::decoded::{Decoded, Extra};
use crate::response::text::{
    bounded, code_text, push_into, AnyCode, Key, QuickCode, QuickCodeInto, Scalar, Span, TextInto,
    JSON_LIMIT, PARSE_LIMIT, TEXT_LIMIT,
};
use crate::WaitFrom;

/// How the value at a path is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Take {
    /// A scalar as text (an object or an array: present, but unreadable as text).
    Text,
    /// An app code: a string, or a number with its digits as sent.
    Code,
    /// Any JSON, kept raw but cut to [`TEXT_LIMIT`] (for a rule's value, which is
    /// only tested for `null` and compared with a short value).
    Raw,
    /// Any JSON, kept raw and whole: up to [`JSON_LIMIT`] bytes, else not kept (and
    /// the body is then kept as a snippet).
    Json,
    /// An `extra:` member: its raw JSON as [`Json`](Take::Json) does, and its text
    /// as [`Text`](Take::Text) does when it is a scalar.
    Member,
}

const MESSAGE: usize = 0;
const CODE: usize = 1;
const REQUEST_ID: usize = 2;
const TRACE_ID: usize = 3;
const DETAIL: usize = 4;
const DETAILS: usize = 5;
const KIND: usize = 6;
const WAIT: usize = 7;
const FIXED: usize = 8;
/// Most `extra:` members a spec may name (the macro checks it).
pub const MAX_EXTRA: usize = 8;
/// Most alternative body paths a spec may give, over all its members.
pub const MAX_ALTERNATIVES: usize = 8;
const ALTERNATIVES: usize = FIXED + MAX_EXTRA;
const SLOTS: usize = ALTERNATIVES + MAX_ALTERNATIVES;
/// Most room reserved for a body's text before it is read.
const TEXT_RESERVE: usize = 4 * 1024;

/// Where a walk puts what it finds: slot `i` for want `i` (`None`: nowhere), its
/// text at the end of the buffer beside it.
trait Out {
    fn slot(&mut self, i: usize) -> (Option<&mut Option<Span>>, &mut String);

    /// The text of a [`Take::Member`] whose JSON went to slot `i`.
    fn member_text(&mut self, _i: usize, _text: Option<Span>) {}

    /// A declared member was present but could not be read as declared (an object
    /// where text was declared, or JSON too long to keep whole).
    fn unreadable(&mut self) {}

    /// Whether codes are read raw: the second pass, after a code that one pass
    /// could not read exactly (see [`QuickCode`]).
    fn exact_codes(&self) -> bool {
        false
    }

    /// A code was a number whose digits one pass could not keep.
    fn inexact(&mut self) {}
}

/// The values of `errors_in_success` rules, raw, in the rules' order.
#[derive(Default)]
struct Slots {
    text: String,
    spans: [Option<Span>; SLOTS],
}

impl Out for Slots {
    fn slot(&mut self, i: usize) -> (Option<&mut Option<Span>>, &mut String) {
        (self.spans.get_mut(i), &mut self.text)
    }
}

/// An `object` body's members go straight into the decoded result; `extra:` ones
/// into `extra`, one per declared member (its JSON, and its text when a scalar).
struct Members<'d> {
    decoded: &'d mut Decoded,
    /// The longer explanation, the message when the body has no message.
    detail: Option<Span>,
    extra: &'d mut [(Option<Span>, Option<Span>)],
    /// Codes are read raw (the second pass).
    exact: bool,
    /// A code needs the second pass.
    inexact: bool,
}

impl Out for Members<'_> {
    #[inline]
    fn slot(&mut self, i: usize) -> (Option<&mut Option<Span>>, &mut String) {
        let d = &mut *self.decoded;
        let slot = match i {
            MESSAGE => Some(&mut d.message),
            CODE => Some(&mut d.code),
            REQUEST_ID => Some(&mut d.request_id),
            TRACE_ID => Some(&mut d.trace_id),
            DETAIL => Some(&mut self.detail),
            DETAILS => Some(&mut d.details),
            KIND => Some(&mut d.kind),
            WAIT => Some(&mut d.wait),
            i if i < ALTERNATIVES => self.extra.get_mut(i - FIXED).map(|(json, _)| json),
            i => d.alternatives.get_mut(i - ALTERNATIVES),
        };
        (slot, &mut d.text)
    }

    fn member_text(&mut self, i: usize, text: Option<Span>) {
        if let Some((_, t)) = i.checked_sub(FIXED).and_then(|e| self.extra.get_mut(e)) {
            *t = text;
        }
    }

    fn unreadable(&mut self) {
        self.decoded.unreadable = true;
    }

    fn exact_codes(&self) -> bool {
        self.exact
    }

    fn inexact(&mut self) {
        self.inexact = true;
    }
}

/// What a walk looks for: want `i` (below [`SLOTS`]) is a path and how its value is
/// kept, and fills slot `i`. Only wants in [`all`](Wanted::all) are asked for.
trait Wanted: Copy {
    fn want(self, i: usize) -> (MemberPath, Take);

    /// The mask of the wants that exist.
    fn all(self) -> u32;
}

/// The members an `object` body declares, laid out once per error type at compile
/// time (an associated constant of [`ApiErrorKind`](crate::ApiErrorKind)), so that
/// a decode reads want `i` as one array element: the fixed members in slots
/// `0..FIXED`, the `extra:` ones next, then the alternative body paths (header ones
/// skipped).
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    wants: [(MemberPath, Take); SLOTS],
    all: u32,
}

impl Plan {
    /// The plan of `shape` (empty for any shape but an object).
    pub const fn of(shape: &BodyShape) -> Plan {
        let mut plan = Plan {
            wants: [(&[], Take::Text); SLOTS],
            all: 0,
        };
        let BodyShape::Object(f) = shape else {
            return plan;
        };
        let fixed = [
            (f.message, Take::Text),
            (f.code, Take::Code),
            (f.request_id, Take::Text),
            (f.trace_id, Take::Text),
            (f.detail, Take::Text),
            (f.details, Take::Json),
            (f.kind, Take::Text),
            (f.wait, Take::Text),
        ];
        let mut i = 0;
        while i < FIXED {
            if let (Some(path), take) = fixed[i] {
                plan = plan.with(i, path, take);
            }
            i += 1;
        }
        // Header extras are read by the caller; body ones keep their place among the
        // extras (slot `FIXED + e` for the spec's `e`-th extra).
        let mut e = 0;
        while e < f.extra.len() && e < MAX_EXTRA {
            if let WaitFrom::Body(path) = f.extra[e].1 {
                plan = plan.with(FIXED + e, path, Take::Member);
            }
            e += 1;
        }
        let (mut a, mut n) = (0, 0);
        while a < f.alternatives.len() && n < MAX_ALTERNATIVES {
            if let WaitFrom::Body(path) = f.alternatives[a].from {
                let take = match f.alternatives[a].field {
                    Field::Code => Take::Code,
                    _ => Take::Text,
                };
                plan = plan.with(ALTERNATIVES + n, path, take);
                n += 1;
            }
            a += 1;
        }
        plan
    }

    const fn with(mut self, i: usize, path: MemberPath, take: Take) -> Plan {
        self.wants[i] = (path, take);
        self.all |= 1 << i;
        self
    }
}

impl Wanted for &Plan {
    #[inline]
    fn want(self, i: usize) -> (MemberPath, Take) {
        self.wants.get(i).copied().unwrap_or((&[], Take::Text))
    }

    fn all(self) -> u32 {
        self.all
    }
}

/// A mask of the first `n` (at most 31) bits.
fn first(n: usize) -> u32 {
    (1u32 << n.min(31)) - 1
}

/// The alternatives that are body paths, in the order the spec lists them.
fn body_alternatives(f: &ObjectFields) -> impl Iterator<Item = (Field, MemberPath)> + '_ {
    f.alternatives.iter().filter_map(|a| match a.from {
        WaitFrom::Body(path) => Some((a.field, path)),
        WaitFrom::Header(_) | WaitFrom::Until { .. } => None,
    })
}

/// The paths of `errors_in_success` rules, each read raw.
impl Wanted for &[SuccessRule] {
    #[inline]
    fn want(self, i: usize) -> (MemberPath, Take) {
        (self.get(i).map_or(&[], |r| r.path), Take::Raw)
    }

    fn all(self) -> u32 {
        first(self.len().min(SLOTS))
    }
}

/// Walks a JSON value along the wanted paths only (everything else is skipped
/// unparsed), filling each slot with the first value found at its path. Which wants
/// are still in play below this node is a bit mask over `wants` (at most 32), so
/// descending copies nothing.
struct Walk<'w, W, O> {
    wants: W,
    live: u32,
    depth: usize,
    out: &'w mut O,
}

/// Whether two member names are equal: a byte loop, inlined (names are short, and
/// a call to `memcmp` costs more than comparing them).
#[inline]
fn same(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let (mut a8, mut b8) = (a.chunks_exact(8), b.chunks_exact(8));
    let word = |c: &[u8]| u64::from_ne_bytes(c.try_into().unwrap_or_default());
    std::iter::zip(&mut a8, &mut b8).all(|(x, y)| word(x) == word(y))
        && std::iter::zip(a8.remainder(), b8.remainder()).all(|(x, y)| x == y)
}

/// The indices of the set bits of `mask`, lowest first.
fn bits(mut mask: u32) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        let i = mask.trailing_zeros();
        (i < 32).then(|| {
            mask &= mask - 1;
            i as usize
        })
    })
}

impl<'de, W: Wanted, O: Out> DeserializeSeed<'de> for Walk<'_, W, O> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        // Most nodes are on one want's path: it ends here, or goes further down.
        if self.live.is_power_of_two() {
            let i = self.live.trailing_zeros() as usize;
            if self.wants.want(i).0.len() == self.depth {
                return self.take(i, d);
            }
            return d.deserialize_any(self);
        }
        // The wants whose path ends at this node; the others go further down. (A
        // want whose slot is filled already keeps the first value found at its
        // path: `take` skips it.)
        let mut ending = 0u32;
        for i in bits(self.live) {
            if self.wants.want(i).0.len() == self.depth {
                ending |= 1 << i;
            }
        }
        if ending == 0 {
            return d.deserialize_any(self);
        }
        let deeper = self.live & !ending;
        match (ending & (ending - 1), deeper) {
            // The common case: one member, read as it is declared.
            (0, 0) => {
                let i = ending.trailing_zeros() as usize;
                self.take(i, d)
            }
            _ => self.take_shared(ending, deeper, d),
        }
    }
}

impl<'de, W: Wanted, O: Out> Walk<'_, W, O> {
    /// A node read whole by several wants (`ending`), or read whole and looked into
    /// (`deeper`): its raw JSON is read once, then given to each.
    #[inline(never)]
    fn take_shared<D: Deserializer<'de>>(
        mut self,
        ending: u32,
        deeper: u32,
        d: D,
    ) -> Result<(), D::Error> {
        let raw = <&'de serde_json::value::RawValue>::deserialize(d)?;
        for i in bits(ending) {
            self.take_raw(i, raw.get()).map_err(de::Error::custom)?;
        }
        if deeper != 0 {
            let mut inner = serde_json::Deserializer::from_str(raw.get());
            Walk {
                wants: self.wants,
                live: deeper,
                depth: self.depth,
                out: &mut *self.out,
            }
            .deserialize(&mut inner)
            .map_err(de::Error::custom)?;
        }
        Ok(())
    }
}

impl<'de, W: Wanted, O: Out> Walk<'_, W, O> {
    /// Reads the value of want `i` from `d`, as the want declares. Text and codes
    /// (nearly every member) take the short way, inlined; raw JSON the long one.
    #[inline]
    fn take<D: Deserializer<'de>>(self, i: usize, d: D) -> Result<(), D::Error> {
        match self.wants.want(i).1 {
            Take::Text => self.take_text(i, d),
            Take::Code => self.take_code(i, d),
            take => self.take_json(i, take, d),
        }
    }

    #[inline]
    fn take_text<D: Deserializer<'de>>(self, i: usize, d: D) -> Result<(), D::Error> {
        // The first value found at a path is kept; later ones are skipped.
        let (Some(slot @ None), text) = self.out.slot(i) else {
            return IgnoredAny::deserialize(d).map(|_| ());
        };
        match TextInto(text).deserialize(d)? {
            Scalar::Text(span) => *slot = Some(span),
            Scalar::Null => {}
            Scalar::Structured => self.out.unreadable(),
        }
        Ok(())
    }

    #[inline]
    fn take_code<D: Deserializer<'de>>(self, i: usize, d: D) -> Result<(), D::Error> {
        let exact = self.out.exact_codes();
        let (Some(slot @ None), text) = self.out.slot(i) else {
            return IgnoredAny::deserialize(d).map(|_| ());
        };
        if exact {
            *slot = AnyCode.deserialize(d)?.map(|t| push_into(text, &t));
            return Ok(());
        }
        match QuickCodeInto(text).deserialize(d)? {
            QuickCode::Exact(Scalar::Text(span)) => *slot = Some(span),
            QuickCode::Exact(Scalar::Null) => {}
            QuickCode::Exact(Scalar::Structured) => self.out.unreadable(),
            QuickCode::Inexact => self.out.inexact(),
        }
        Ok(())
    }

    /// Raw JSON: a rule's value, `details`, an `extra:` member.
    #[inline(never)]
    fn take_json<D: Deserializer<'de>>(self, i: usize, take: Take, d: D) -> Result<(), D::Error> {
        let (Some(slot @ None), text) = self.out.slot(i) else {
            return IgnoredAny::deserialize(d).map(|_| ());
        };
        let raw = <&'de serde_json::value::RawValue>::deserialize(d)?;
        let (mut unreadable, mut member_text) = (false, None);
        *slot = match take {
            Take::Json | Take::Member => match json(text, raw.get(), take == Take::Member) {
                Json::Kept(json, t) => {
                    member_text = t;
                    Some(json)
                }
                Json::Null => None,
                Json::TooLong => {
                    unreadable = true;
                    None
                }
            },
            _ => Some(push_into(text, bounded(raw.get(), TEXT_LIMIT))),
        };
        if member_text.is_some() {
            self.out.member_text(i, member_text);
        }
        if unreadable {
            self.out.unreadable();
        }
        Ok(())
    }

    /// Reads the value of want `i` from `raw`, the node's JSON text (read whole
    /// because several wants share the node).
    fn take_raw(&mut self, i: usize, raw: &str) -> Result<(), serde_json::Error> {
        let take = self.wants.want(i).1;
        let (mut unreadable, mut member_text) = (false, None);
        let (Some(slot @ None), text) = self.out.slot(i) else {
            return Ok(());
        };
        *slot = match take {
            Take::Text => {
                match TextInto(text).deserialize(&mut serde_json::Deserializer::from_str(raw))? {
                    Scalar::Structured => {
                        unreadable = true;
                        None
                    }
                    scalar => scalar.span(),
                }
            }
            // The raw text is at hand: every code is read exactly, in one pass.
            Take::Code => match raw.as_bytes().first() {
                Some(b'{' | b'[') => {
                    unreadable = true;
                    None
                }
                _ => code_text(raw).map(|t| push_into(text, &t)),
            },
            Take::Raw => Some(push_into(text, bounded(raw, TEXT_LIMIT))),
            Take::Json | Take::Member => match json(text, raw, take == Take::Member) {
                Json::Kept(json, t) => {
                    member_text = t;
                    Some(json)
                }
                Json::Null => None,
                Json::TooLong => {
                    unreadable = true;
                    None
                }
            },
        };
        if member_text.is_some() {
            self.out.member_text(i, member_text);
        }
        if unreadable {
            self.out.unreadable();
        }
        Ok(())
    }
}

/// What [`json`] kept.
enum Json {
    /// The JSON's span, and (for a member) its text when it is a scalar.
    Kept(Span, Option<Span>),
    /// `null`: nothing.
    Null,
    /// Longer than [`JSON_LIMIT`]: not kept.
    TooLong,
}

/// Keeps `raw` (a JSON value's text) whole at the end of `buf`, and, when `member`,
/// its text too when it is a scalar: a string's text is the JSON's own bytes between
/// the quotes unless it has escapes (then it is unescaped, after it); a number's or a
/// boolean's text is the JSON itself.
fn json(buf: &mut String, raw: &str, member: bool) -> Json {
    if raw == "null" {
        return Json::Null;
    }
    if raw.len() > JSON_LIMIT {
        return Json::TooLong;
    }
    let span = push_into(buf, raw);
    if !member {
        return Json::Kept(span, None);
    }
    let text = match raw.as_bytes().first() {
        Some(b'{' | b'[') => None,
        Some(b'"') if !raw.contains('\\') => {
            let inner = &raw[1..raw.len() - 1];
            let inner = bounded(inner, TEXT_LIMIT);
            Some(span.slice(1, 1 + inner.len()))
        }
        Some(b'"') => serde_json::from_str::<String>(raw)
            .ok()
            .map(|t| push_into(buf, bounded(&t, TEXT_LIMIT))),
        _ => Some(span),
    };
    Json::Kept(span, text)
}

impl<W: Wanted, O: Out> Walk<'_, W, O> {
    /// The live wants whose next step `matches`.
    fn next(&self, matches: impl Fn(&str) -> bool) -> u32 {
        bits(self.live)
            .filter(|&i| {
                self.wants
                    .want(i)
                    .0
                    .get(self.depth)
                    .is_some_and(|seg| matches(seg))
            })
            .fold(0, |m, i| m | 1 << i)
    }
}

impl<'de, W: Wanted, O: Out> Visitor<'de> for Walk<'_, W, O> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(Key(key)) = map.next_key()? {
            let live = self.next(|seg| same(seg.as_bytes(), &key));
            if live == 0 {
                map.next_value::<IgnoredAny>()?;
                continue;
            }
            map.next_value_seed(Walk {
                wants: self.wants,
                live,
                depth: self.depth + 1,
                out: &mut *self.out,
            })?;
        }
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut index = 0;
        loop {
            let live = self.next(|seg| selects(seg, index));
            let more = if live == 0 {
                seq.next_element::<IgnoredAny>()?.is_some()
            } else {
                seq.next_element_seed(Walk {
                    wants: self.wants,
                    live,
                    depth: self.depth + 1,
                    out: &mut *self.out,
                })?
                .is_some()
            };
            if !more {
                return Ok(());
            }
            index += 1;
        }
    }
    // A scalar where the path wanted to go deeper: nothing there.
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
}

/// Whether any of `rules` holds for `body` (read once, along the rules' paths only).
/// A body that is not JSON holds none.
pub fn any_rule_holds(rules: &[SuccessRule], body: &[u8]) -> bool {
    if rules.is_empty() || body.len() > PARSE_LIMIT {
        return false;
    }
    let mut out = Slots::default();
    let mut de = serde_json::Deserializer::from_slice(body);
    let walked = Walk {
        wants: rules,
        live: rules.all(),
        depth: 0,
        out: &mut out,
    }
    .deserialize(&mut de);
    if walked.is_err() {
        return false;
    }
    let raws = out.spans.iter().map(|&span| {
        let span = span?;
        out.text.get(span.range())
    });
    rules.iter().zip(raws).any(|(rule, raw)| {
        let Some(raw) = raw.filter(|r| *r != "null") else {
            return false;
        };
        match rule.equals {
            None => true,
            Some(want) => code_text(raw).is_some_and(|t| t.0 == want),
        }
    })
}

/// Decodes an `object` body: every declared member, wherever its path leads.
/// `false`: the body is not JSON (and `decoded` holds whatever was read before the
/// walk found that out).
///
/// One pass reads everything. Codes are read without `RawValue` (see [`QuickCode`]);
/// only when a code was a number whose digits that pass could not keep is the body
/// walked again, along the code paths alone, reading them raw.
pub(crate) fn decode_object(
    fields: &ObjectFields,
    plan: &Plan,
    body: &[u8],
    decoded: &mut Decoded,
) -> bool {
    if let n @ 1.. = body_alternatives(fields).count().min(MAX_ALTERNATIVES) {
        decoded.alternatives = vec![None; n];
    }
    let declared = fields.extra.len().min(MAX_EXTRA);
    let mut extra = match declared {
        0 => Vec::new(),
        n => vec![(None, None); n],
    };
    // One buffer for every member's text, sized once: the text read out of a body
    // is never longer than the body (past a few KiB, it grows as needed).
    decoded.text = String::with_capacity(body.len().min(TEXT_RESERVE));
    let mut members = Members {
        decoded: &mut *decoded,
        detail: None,
        extra: &mut extra,
        exact: false,
        inexact: false,
    };
    let mut de = serde_json::Deserializer::from_slice(body);
    let walked = Walk {
        wants: plan,
        live: plan.all(),
        depth: 0,
        out: &mut members,
    }
    .deserialize(&mut de);
    if walked.is_err() || de.end().is_err() {
        return false;
    }
    if members.inexact {
        let codes = bits(plan.all())
            .filter(|&i| matches!(plan.want(i), (_, Take::Code)))
            .fold(0, |m, i| m | 1 << i);
        // Read again from scratch, so each code is the first at its path, as sent.
        for i in bits(codes) {
            if let (Some(slot), _) = members.slot(i) {
                *slot = None;
            }
        }
        members.exact = true;
        let walked = Walk {
            wants: plan,
            live: codes,
            depth: 0,
            out: &mut members,
        }
        .deserialize(&mut serde_json::Deserializer::from_slice(body));
        if walked.is_err() {
            return false;
        }
    }
    if let Some(detail) = members.detail.take() {
        decoded.message.get_or_insert(detail);
    }
    // A large body with little text in it: do not keep the room reserved for it.
    if decoded.text.capacity() - decoded.text.len() > 256 {
        decoded.text.shrink_to_fit();
    }
    if declared > 0 {
        decoded.extra = fields
            .extra
            .iter()
            .zip(extra)
            .filter_map(|((name, _), (json, text))| {
                json.map(|json| Extra {
                    name,
                    text,
                    json: Some(json),
                })
            })
            .collect();
    }
    true
}

/// Whether a segment selects the array element at `index`: `*` selects each one,
/// an index as RFC 6901 writes it (digits, no leading zero) selects that one.
pub(crate) fn selects(segment: &str, index: usize) -> bool {
    let b = segment.as_bytes();
    match b {
        [b'*'] => true,
        [b'0'] => index == 0,
        [b'1'..=b'9', rest @ ..] if rest.iter().all(u8::is_ascii_digit) => {
            segment.parse::<usize>().is_ok_and(|i| i == index)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn array_selectors() {
        assert!(selects("*", 7) && selects("2", 2) && !selects("2", 1) && !selects("x", 0));
        assert!(selects("0", 0) && selects("10", 10));
        // RFC 6901: an index has no leading zero and no sign.
        for not_an_index in ["00", "01", "+1", "-0", " 1", "1 ", ""] {
            assert!(
                (0..12).all(|i| !selects(not_an_index, i)),
                "{not_an_index:?}"
            );
        }
    }

    #[test]
    fn bit_masks() {
        assert_eq!(bits(0b1010_0001).collect::<Vec<_>>(), [0, 5, 7]);
    }
}
