//! serde over the positioned YAML tree: the spec model keeps `#[derive(Deserialize)]`
//! (with `deny_unknown_fields`), and every error it raises is stamped with the
//! position of the innermost node being read when it was raised.
//!
//! Plain scalars follow YAML 1.2's core schema (null, booleans, integers, floats);
//! where the model asks for a string, any scalar gives its text as written, so
//! `code: 20003` is the code `"20003"`.

use std::fmt;

use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor};

use crate::yaml::{Diagnostic, Id, Kind, Pos, Scalar, Tree};

/// A deserialization error, located once some node claims it.
#[derive(Debug)]
pub struct Error {
    pub message: String,
    pub pos: Option<Pos>,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error {
            message: msg.to_string(),
            pos: None,
        }
    }
}

impl From<Error> for Diagnostic {
    fn from(e: Error) -> Self {
        Diagnostic {
            pos: e.pos,
            message: e.message,
        }
    }
}

/// Reads `T` from the whole tree.
pub fn from_tree<'de, T: de::Deserialize<'de>>(tree: &Tree) -> Result<T, Error> {
    T::deserialize(NodeDe {
        tree,
        id: tree.root(),
    })
}

/// A deserializer for one node.
#[derive(Clone, Copy)]
pub struct NodeDe<'t> {
    tree: &'t Tree,
    id: Id,
}

enum Plain<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    Str(&'a str),
}

/// The core schema's reading of a scalar.
fn resolve(s: &Scalar) -> Plain<'_> {
    let t = s.text.as_str();
    if !s.plain {
        return Plain::Str(t);
    }
    match t {
        "" | "~" | "null" | "Null" | "NULL" => return Plain::Null,
        "true" | "True" | "TRUE" => return Plain::Bool(true),
        "false" | "False" | "FALSE" => return Plain::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Plain::Float(f64::INFINITY)
        }
        "-.inf" | "-.Inf" | "-.INF" => return Plain::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Plain::Float(f64::NAN),
        _ => {}
    }
    let digits = |d: &str| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit());
    let unsigned = t.strip_prefix('+').unwrap_or(t);
    if digits(unsigned) {
        if let Ok(n) = unsigned.parse::<u64>() {
            return match i64::try_from(n) {
                Ok(i) => Plain::Int(i),
                Err(_) => Plain::Uint(n),
            };
        }
    }
    if let Some(neg) = t.strip_prefix('-') {
        if digits(neg) {
            if let Ok(i) = t.parse::<i64>() {
                return Plain::Int(i);
            }
        }
    }
    if let Some(h) = t.strip_prefix("0x") {
        if let Ok(n) = u64::from_str_radix(h, 16) {
            return i64::try_from(n).map_or(Plain::Uint(n), Plain::Int);
        }
    }
    if let Some(o) = t.strip_prefix("0o") {
        if let Ok(n) = u64::from_str_radix(o, 8) {
            return i64::try_from(n).map_or(Plain::Uint(n), Plain::Int);
        }
    }
    let float_shaped = t
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'))
        && t.bytes().any(|b| b.is_ascii_digit());
    if float_shaped {
        if let Ok(f) = t.parse::<f64>() {
            return Plain::Float(f);
        }
    }
    Plain::Str(t)
}

impl<'t> NodeDe<'t> {
    fn pos(&self) -> Pos {
        self.tree.node(self.id).pos
    }

    /// Stamps an error that no inner node claimed with this node's position.
    fn claim<T>(&self, r: Result<T, Error>) -> Result<T, Error> {
        r.map_err(|mut e| {
            e.pos.get_or_insert(self.pos());
            e
        })
    }

    fn kind(&self) -> &'t Kind {
        &self.tree.resolve(self.id).kind
    }

    fn any<'de, V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        let r = match self.kind() {
            Kind::Scalar(s) => match resolve(s) {
                Plain::Null => v.visit_unit(),
                Plain::Bool(b) => v.visit_bool(b),
                Plain::Int(i) => v.visit_i64(i),
                Plain::Uint(u) => v.visit_u64(u),
                Plain::Float(f) => v.visit_f64(f),
                Plain::Str(s) => v.visit_str(s),
            },
            Kind::Seq(items) => v.visit_seq(Items {
                tree: self.tree,
                items: items.iter(),
            }),
            Kind::Map(entries) => v.visit_map(Entries {
                tree: self.tree,
                entries: entries.iter(),
                value: None,
            }),
            Kind::Alias(_) => unreachable!("resolved above"),
        };
        self.claim(r)
    }

    fn text<'de, V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        match self.kind() {
            Kind::Scalar(s) if !matches!(resolve(s), Plain::Null) => {
                let r = v.visit_str(&s.text);
                self.claim(r)
            }
            _ => self.any(v),
        }
    }
}

impl<'de> de::Deserializer<'de> for NodeDe<'_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        self.any(v)
    }

    fn deserialize_str<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        self.text(v)
    }

    fn deserialize_string<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        self.text(v)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        self.text(v)
    }

    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        match self.kind() {
            Kind::Scalar(s) if matches!(resolve(s), Plain::Null) => self.claim(v.visit_none()),
            _ => {
                let r = v.visit_some(self);
                self.claim(r)
            }
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, Error> {
        match self.kind() {
            Kind::Scalar(s) => {
                let r = v.visit_enum(s.text.as_str().into_deserializer());
                self.claim(r)
            }
            _ => self.claim(Err(de::Error::custom(
                "expected one word here, not a mapping or a list",
            ))),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char
        bytes byte_buf unit unit_struct newtype_struct seq tuple
        tuple_struct map struct ignored_any
    }
}

struct Items<'t> {
    tree: &'t Tree,
    items: std::slice::Iter<'t, Id>,
}

impl<'de> SeqAccess<'de> for Items<'_> {
    type Error = Error;
    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        match self.items.next() {
            Some(&id) => seed
                .deserialize(NodeDe {
                    tree: self.tree,
                    id,
                })
                .map(Some),
            None => Ok(None),
        }
    }
    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

struct Entries<'t> {
    tree: &'t Tree,
    entries: std::slice::Iter<'t, (Id, Id)>,
    value: Option<Id>,
}

impl<'de> MapAccess<'de> for Entries<'_> {
    type Error = Error;
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        match self.entries.next() {
            Some(&(k, v)) => {
                self.value = Some(v);
                seed.deserialize(NodeDe {
                    tree: self.tree,
                    id: k,
                })
                .map(Some)
            }
            None => Ok(None),
        }
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        match self.value.take() {
            Some(id) => seed.deserialize(NodeDe {
                tree: self.tree,
                id,
            }),
            None => Err(de::Error::custom("a mapping value was read before its key")),
        }
    }
    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct S {
        name: String,
        n: i64,
        #[serde(default)]
        opt: Option<String>,
        #[serde(default)]
        flag: bool,
        #[serde(default)]
        list: Vec<u16>,
    }

    fn read(src: &str) -> Result<S, Error> {
        from_tree(&crate::yaml::parse(src).unwrap())
    }

    #[test]
    fn reads_the_core_schema() {
        let s = read("name: 20003\nn: -4\nopt: ~\nflag: true\nlist: [1, 0x10]\n").unwrap();
        assert_eq!(
            s,
            S {
                name: "20003".into(),
                n: -4,
                opt: None,
                flag: true,
                list: vec![1, 16]
            }
        );
        let s = read("name: 'x'\nn: +7\nopt: \"null\"\n").unwrap();
        assert_eq!((s.n, s.opt.as_deref()), (7, Some("null")));
    }

    #[test]
    fn errors_carry_the_innermost_position() {
        let e = read("name: x\nn: 1\nlist: [1, 70000]\n").unwrap_err();
        assert_eq!(e.pos.unwrap().to_string(), "3:11", "{e}");
        assert!(e.message.contains("invalid value: integer `70000`"), "{e}");
        let e = read("name: x\nn: 1\nnmae: y\n").unwrap_err();
        assert_eq!(e.pos.unwrap().to_string(), "3:1");
        assert!(e.message.contains("unknown field `nmae`"), "{e}");
        let e = read("\n  name: x\n").unwrap_err();
        assert_eq!(e.pos.unwrap().to_string(), "2:3");
        assert!(e.message.contains("missing field `n`"), "{e}");
        let e = read("name: x\nn: \"1\"\n").unwrap_err();
        assert!(e.message.contains("invalid type: string \"1\""), "{e}");
        let e = read("name:\nn: 1\n").unwrap_err();
        assert_eq!(e.pos.unwrap().line, 1);
        assert!(
            e.message
                .contains("invalid type: unit value, expected a string"),
            "{e}"
        );
    }

    #[test]
    fn duplicate_keys_are_errors() {
        let e = read("name: x\nn: 1\nname: y\n").unwrap_err();
        assert!(e.message.contains("duplicate field `name`"), "{e}");
    }
}
