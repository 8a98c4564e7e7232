//! Object bodies read by member path: a walk along the declared paths only (all else
//! is skipped unparsed), filling one slot per declared member; also the rules that
//! make a 2xx an error, read the same way. Member paths arrive split into steps by
//! the macro (see [`MemberPath`](crate::body::MemberPath)).

use std::fmt;

use serde_core::de::{
    self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor,
};
use serde_core::Deserialize;

use crate::body::ObjectFields;
use crate::decode::{
    bounded, code_text, AnyCode, AnyText, Decoded, Key, Text, PARSE_LIMIT, TEXT_LIMIT,
};

/// How the value at a path is kept.
#[derive(Debug, Clone, Copy)]
enum Take {
    /// A scalar as text (objects and arrays: absent).
    Text,
    /// An app code: a string, or a number with its digits as sent.
    Code,
    /// Any JSON, kept raw (cut to [`TEXT_LIMIT`]).
    Raw,
}

/// One declared member: where it is, and which slot of [`Slots`] it fills.
#[derive(Debug, Clone, Copy)]
struct Want<'f> {
    path: &'f [&'f str],
    slot: usize,
    take: Take,
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
const SLOTS: usize = FIXED + MAX_EXTRA + MAX_ALTERNATIVES;

type Slots = [Option<Text>; SLOTS];

/// The members an `object` body declares, as paths to walk.
fn wants(f: &ObjectFields) -> ([Want<'_>; SLOTS], usize) {
    let declared = [
        (f.message, MESSAGE, Take::Text),
        (f.code, CODE, Take::Code),
        (f.request_id, REQUEST_ID, Take::Text),
        (f.trace_id, TRACE_ID, Take::Text),
        (f.detail, DETAIL, Take::Text),
        (f.details, DETAILS, Take::Raw),
        (f.kind, KIND, Take::Text),
        (f.wait, WAIT, Take::Text),
    ];
    let extra = f
        .extra
        .iter()
        .take(MAX_EXTRA)
        .enumerate()
        .map(|(i, (_, path))| (Some(*path), FIXED + i, Take::Text));
    let mut out = [Want {
        path: &[],
        slot: 0,
        take: Take::Text,
    }; SLOTS];
    let mut n = 0;
    let alternatives = f
        .alternatives
        .iter()
        .filter_map(|a| match a.from {
            crate::WaitFrom::Body(path) => Some((a.field, path)),
            crate::WaitFrom::Header(_) => None,
        })
        .take(MAX_ALTERNATIVES)
        .enumerate()
        .map(|(i, (field, path))| {
            let take = if field == crate::body::Field::Code {
                Take::Code
            } else {
                Take::Text
            };
            (Some(path), FIXED + MAX_EXTRA + i, take)
        });
    for (path, slot, take) in declared.into_iter().chain(extra).chain(alternatives) {
        if let Some(path) = path {
            out[n] = Want { path, slot, take };
            n += 1;
        }
    }
    (out, n)
}

/// Walks a JSON value along the wanted paths only (everything else is skipped
/// unparsed), filling each slot with the first value found at its path. Which wants
/// are still in play below this node is a bit mask over `wants` (at most 32), so
/// descending copies nothing.
struct Walk<'w, 'f> {
    wants: &'w [Want<'f>],
    live: u32,
    depth: usize,
    out: &'w mut Slots,
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

impl<'de> DeserializeSeed<'de> for Walk<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        // The macro forbids a path that is a prefix of another, so a node is either
        // one member's value or a way further down, never both.
        let ends_here = bits(self.live)
            .map(|i| self.wants[i])
            .find(|w| w.path.len() == self.depth);
        if let Some(w) = ends_here {
            let value = match w.take {
                Take::Text => AnyText.deserialize(d)?,
                Take::Code => AnyCode.deserialize(d)?,
                Take::Raw => {
                    let raw = <&'de serde_json::value::RawValue>::deserialize(d)?;
                    Some(Text(bounded(raw.get(), TEXT_LIMIT).to_owned()))
                }
            };
            let slot = &mut self.out[w.slot];
            if slot.is_none() {
                *slot = value;
            }
            return Ok(());
        }
        d.deserialize_any(self)
    }
}

impl Walk<'_, '_> {
    /// The live wants whose next step `matches`.
    fn next(&self, matches: impl Fn(&str) -> bool) -> u32 {
        bits(self.live)
            .filter(|&i| {
                self.wants[i]
                    .path
                    .get(self.depth)
                    .is_some_and(|seg| matches(seg))
            })
            .fold(0, |m, i| m | 1 << i)
    }
}

impl<'de> Visitor<'de> for Walk<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(Key(key)) = map.next_key()? {
            let live = self.next(|seg| seg == key);
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

/// A mask of the first `n` wants.
fn live_mask(n: usize) -> u32 {
    if n >= 32 {
        u32::MAX
    } else {
        (1u32 << n) - 1
    }
}

/// Whether any of `rules` holds for `body` (read once, along the rules' paths only).
/// A body that is not JSON holds none.
pub fn any_rule_holds(rules: &[crate::body::SuccessRule], body: &[u8]) -> bool {
    if rules.is_empty() || body.len() > PARSE_LIMIT {
        return false;
    }
    let mut wants = [Want {
        path: &[],
        slot: 0,
        take: Take::Raw,
    }; SLOTS];
    let n = rules.len().min(SLOTS);
    for (i, r) in rules.iter().take(n).enumerate() {
        wants[i] = Want {
            path: r.path,
            slot: i,
            take: Take::Raw,
        };
    }
    let mut out: Slots = Default::default();
    let mut de = serde_json::Deserializer::from_slice(body);
    let walked = Walk {
        wants: &wants[..n],
        live: live_mask(n),
        depth: 0,
        out: &mut out,
    }
    .deserialize(&mut de);
    if walked.is_err() {
        return false;
    }
    rules.iter().zip(out.iter()).any(|(rule, raw)| {
        let Some(raw) = raw.as_deref().filter(|r| *r != "null") else {
            return false;
        };
        match rule.equals {
            None => true,
            Some(want) => code_text(raw).is_some_and(|t| t.0 == want),
        }
    })
}

/// Decodes an `object` body: every declared member, wherever its path leads.
pub(crate) fn decode_object(
    fields: &ObjectFields,
    de: &mut serde_json::Deserializer<serde_json::de::SliceRead<'_>>,
) -> Result<Decoded, serde_json::Error> {
    let (wants, n) = wants(fields);
    let mut out: Slots = Default::default();
    Walk {
        wants: &wants[..n],
        live: live_mask(n),
        depth: 0,
        out: &mut out,
    }
    .deserialize(de)?;
    let mut take = |i: usize| out[i].take();
    let [message, code, request_id, trace_id, detail, details, kind, wait] = [
        MESSAGE, CODE, REQUEST_ID, TRACE_ID, DETAIL, DETAILS, KIND, WAIT,
    ]
    .map(&mut take);
    let extra = fields
        .extra
        .iter()
        .take(MAX_EXTRA)
        .enumerate()
        .filter_map(|(i, (name, _))| Some((*name, take(FIXED + i)?)))
        .collect();
    let body_alternatives = fields
        .alternatives
        .iter()
        .filter(|a| matches!(a.from, crate::WaitFrom::Body(_)))
        .count()
        .min(MAX_ALTERNATIVES);
    let alternatives = (0..body_alternatives)
        .map(|i| take(FIXED + MAX_EXTRA + i))
        .collect();
    Ok(Decoded {
        message: message.or(detail),
        code,
        kind,
        request_id,
        trace_id,
        details,
        wait,
        extra,
        alternatives,
        errors: Vec::new(),
    })
}

/// Whether a segment selects the array element at `index`: `*` selects each one,
/// digits select that one.
pub(crate) fn selects(segment: &str, index: usize) -> bool {
    segment == "*" || segment.parse::<usize>().is_ok_and(|i| i == index)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn array_selectors() {
        assert!(selects("*", 7) && selects("2", 2) && !selects("2", 1) && !selects("x", 0));
    }

    #[test]
    fn bit_masks() {
        assert_eq!(bits(0b1010_0001).collect::<Vec<_>>(), [0, 5, 7]);
        assert_eq!(live_mask(3), 0b111);
        assert_eq!(live_mask(32), u32::MAX);
    }
}
