//! The spec file: its serde model, and the one place that touches YAML.
//!
//! serde_yaml gives positions for syntax and type errors only. For the semantic
//! errors found later (duplicates, bad names, ...) [`Located::locate`] finds the
//! position of a node by its path: it re-reads the text with a probe that fails on
//! purpose at that node, and serde_yaml stamps the failure with the node's mark.
//! Errors are rare and specs are small, so the second read costs nothing that matters.

use std::fmt;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

/// A whole spec file: one vendor, one or more APIs.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    /// The vendor's name, for docs and messages.
    pub vendor: String,
    /// Where the vendor documents these errors (a page title or address).
    #[serde(default)]
    pub source: Option<String>,
    /// The error body shape shared by every API of the spec.
    #[serde(default)]
    pub body: Option<Body>,
    /// What the vendor says of transport failures (timeouts, resets).
    #[serde(default)]
    pub transport: Option<Transport>,
    /// The APIs, in file order.
    pub apis: Ordered<Api>,
}

/// One API of a vendor (Amplitude's "HTTP/Batch API", ...).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Api {
    pub title: String,
    /// Overrides the spec-wide body shape for this API.
    #[serde(default)]
    pub body: Option<Body>,
    pub errors: Vec<Entry>,
}

/// One documented error.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// Kept wide so that a bad value is a located semantic error, not a type error.
    pub status: i64,
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    pub meaning: String,
    #[serde(default)]
    pub advice: Option<String>,
    #[serde(default)]
    pub retry: Option<Retry>,
    #[serde(default)]
    pub primary: bool,
}

/// Retry guidance as written: a shorthand word or a mapping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Retry {
    pub when: When,
    pub wait: Option<String>,
    pub retry_after: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum When {
    Never,
    Always,
    Idempotent,
    Reauthenticated,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RetryMap {
    when: When,
    #[serde(default)]
    wait: Option<String>,
    #[serde(default)]
    retry_after: bool,
}

const RETRY_WORDS: &[&str] = &[
    "never",
    "backoff",
    "retry_after",
    "reauthenticate",
    "idempotent",
];

impl<'de> Deserialize<'de> for Retry {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Retry;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("one of ")?;
                for w in RETRY_WORDS {
                    write!(f, "`{w}`, ")?;
                }
                f.write_str("or a mapping `{ when: ..., wait: ..., retry_after: ... }`")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Retry, E> {
                let (when, retry_after) = match s {
                    "never" => (When::Never, false),
                    "backoff" => (When::Always, false),
                    "retry_after" => (When::Always, true),
                    "reauthenticate" => (When::Reauthenticated, false),
                    "idempotent" => (When::Idempotent, false),
                    _ => return Err(E::unknown_variant(s, RETRY_WORDS)),
                };
                Ok(Retry {
                    when,
                    wait: None,
                    retry_after,
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Retry, A::Error> {
                let m = RetryMap::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(Retry {
                    when: m.when,
                    wait: m.wait,
                    retry_after: m.retry_after,
                })
            }
        }
        d.deserialize_any(V)
    }
}

/// The shape of the vendor's error body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Body {
    pub format: BodyFormat,
    /// `jsonapi`: the member that holds the error array (default `errors`).
    #[serde(default)]
    pub errors: Option<String>,
    /// `object`: the members that hold each datum.
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub detail: Option<String>,
    #[serde(default)]
    pub request_id: Option<String>,
    #[serde(default)]
    pub trace_id: Option<String>,
    #[serde(default)]
    pub details: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BodyFormat {
    Object,
    Jsonapi,
    Problem,
}

/// Transport failures (no HTTP status at all).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Transport {
    pub meaning: String,
    #[serde(default)]
    pub advice: Option<String>,
    pub retry: Retry,
}

/// A YAML mapping that keeps file order and rejects duplicate keys.
#[derive(Debug)]
pub struct Ordered<T>(pub Vec<(String, T)>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Ordered<T> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = Ordered<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a mapping from API name to API")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Ordered<T>, A::Error> {
                let mut out: Vec<(String, T)> = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    if out.iter().any(|(k, _)| *k == key) {
                        return Err(de::Error::custom(format_args!(
                            "api `{key}` is defined twice; rename or merge one"
                        )));
                    }
                    let value = map.next_value()?;
                    out.push((key, value));
                }
                Ok(Ordered(out))
            }
        }
        d.deserialize_map(V(std::marker::PhantomData))
    }
}

/// One step of a YAML path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// 1-based line and column in the spec file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// A located message: what [`load`] and validation report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub pos: Option<Pos>,
    pub message: String,
}

/// Parses spec text. Syntax and shape errors come back located.
pub fn load(source: &str) -> Result<Spec, Diagnostic> {
    serde_yaml::from_str(source).map_err(|e| {
        let pos = e.location().map(|l| Pos {
            line: l.line(),
            column: l.column(),
        });
        Diagnostic {
            pos,
            message: with_suggestion(tidy_marks(&e.to_string(), pos)),
        }
    })
}

/// serde says "unknown field `meanin`, expected one of `status`, `meaning`, ...":
/// add "did you mean `meaning`?" when one of them is a near miss.
fn with_suggestion(message: String) -> String {
    let Some(at) = message
        .find("unknown field `")
        .or_else(|| message.find("unknown variant `"))
    else {
        return message;
    };
    let rest = &message[at..];
    let Some(word) = rest.split('`').nth(1) else {
        return message;
    };
    let Some(list) = rest.find("expected ").map(|i| &rest[i..]) else {
        return message;
    };
    let candidates = list.split('`').skip(1).step_by(2);
    match crate::names::closest(word, candidates) {
        Some(best) => format!("{message}; did you mean `{best}`?"),
        None => message,
    }
}

/// serde_yaml writes marks as " at line L column C". The diagnostic leads with its
/// own position, so that one is dropped; any other (a scanner's context) becomes `L:C`.
fn tidy_marks(message: &str, pos: Option<Pos>) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(i) = rest.find(" at line ") {
        out.push_str(&rest[..i]);
        let after = &rest[i + " at line ".len()..];
        let mark = parse_mark(after);
        match mark {
            Some((p, used)) => {
                if Some(p) != pos {
                    out.push_str(&format!(" at {p}"));
                }
                rest = &after[used..];
            }
            None => {
                out.push_str(" at line ");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Reads "L column C" at the start of `s`; returns the mark and the bytes used.
fn parse_mark(s: &str) -> Option<(Pos, usize)> {
    let digits = |t: &str| t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let n = digits(s);
    let line = s[..n].parse().ok()?;
    let tail = s[n..].strip_prefix(" column ")?;
    let m = digits(tail);
    let column = tail[..m].parse().ok()?;
    Some((Pos { line, column }, s.len() - tail.len() + m))
}

/// Finds positions of nodes in one spec text.
pub struct Located<'a> {
    source: &'a str,
}

const PROBE: &str = "\u{0}api-errors-probe";

impl<'a> Located<'a> {
    pub fn new(source: &'a str) -> Self {
        Located { source }
    }

    /// The position of the node at `path`, or of its nearest ancestor that exists.
    pub fn locate(&self, path: &[Seg]) -> Option<Pos> {
        (0..=path.len())
            .rev()
            .find_map(|n| self.locate_exact(&path[..n]))
    }

    fn locate_exact(&self, path: &[Seg]) -> Option<Pos> {
        let de = serde_yaml::Deserializer::from_str(self.source);
        match Probe(path).deserialize(de) {
            Err(e) if e.to_string().contains(PROBE) => e.location().map(|l| Pos {
                line: l.line(),
                column: l.column(),
            }),
            _ => None,
        }
    }
}

/// Walks to one node and fails there, so that serde_yaml reports its mark.
struct Probe<'p>(&'p [Seg]);

impl<'de> DeserializeSeed<'de> for Probe<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl Probe<'_> {
    fn here<E: de::Error>(&self) -> Result<(), E> {
        if self.0.is_empty() {
            Err(E::custom(PROBE))
        } else {
            Ok(())
        }
    }
}

macro_rules! probe_scalars {
    ($($f:ident: $t:ty),*) => {$(
        fn $f<E: de::Error>(self, _: $t) -> Result<(), E> { self.here() }
    )*};
}

impl<'de> Visitor<'de> for Probe<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML node")
    }
    probe_scalars!(visit_bool: bool, visit_i64: i64, visit_u64: u64, visit_f64: f64, visit_str: &str);
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.here()
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        self.here()?;
        let (want, rest) = match self.0.split_first() {
            Some((Seg::Key(k), rest)) => (k, rest),
            _ => return Ok(()),
        };
        while let Some(key) = map.next_key::<KeyText>()? {
            if key.0.as_deref() == Some(want.as_str()) {
                return map.next_value_seed(Probe(rest));
            }
            map.next_value::<IgnoredAny>()?;
        }
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.here()?;
        let (want, rest) = match self.0.split_first() {
            Some((Seg::Index(i), rest)) => (*i, rest),
            _ => return Ok(()),
        };
        let mut i = 0;
        while i < want {
            if seq.next_element::<IgnoredAny>()?.is_none() {
                return Ok(());
            }
            i += 1;
        }
        seq.next_element_seed(Probe(rest)).map(|_| ())
    }
}

/// A mapping key read as text when it is a string, skipped otherwise.
struct KeyText(Option<String>);

impl<'de> Deserialize<'de> for KeyText {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = KeyText;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a mapping key")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<KeyText, E> {
                Ok(KeyText(Some(s.to_string())))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<KeyText, E> {
                Ok(KeyText(None))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<KeyText, E> {
                Ok(KeyText(None))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<KeyText, E> {
                Ok(KeyText(None))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<KeyText, E> {
                Ok(KeyText(None))
            }
            fn visit_unit<E: de::Error>(self) -> Result<KeyText, E> {
                Ok(KeyText(None))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<KeyText, A::Error> {
                while m.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(KeyText(None))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<KeyText, A::Error> {
                while s.next_element::<IgnoredAny>()?.is_some() {}
                Ok(KeyText(None))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SRC: &str = "vendor: V\napis:\n  one:\n    title: One\n    errors:\n      - status: 400\n        meaning: bad\n      - status: 700\n        meaning: worse\n";

    fn key(k: &str) -> Seg {
        Seg::Key(k.into())
    }

    #[test]
    fn locates_nested_nodes() {
        let l = Located::new(SRC);
        let path = [
            key("apis"),
            key("one"),
            key("errors"),
            Seg::Index(1),
            key("status"),
        ];
        assert_eq!(
            l.locate(&path),
            Some(Pos {
                line: 8,
                column: 17
            })
        );
        let entry = [key("apis"), key("one"), key("errors"), Seg::Index(1)];
        assert_eq!(l.locate(&entry), Some(Pos { line: 8, column: 9 }));
    }

    #[test]
    fn missing_node_falls_back_to_nearest_ancestor() {
        let l = Located::new(SRC);
        let path = [
            key("apis"),
            key("one"),
            key("errors"),
            Seg::Index(0),
            key("name"),
        ];
        assert_eq!(l.locate(&path), Some(Pos { line: 6, column: 9 }));
    }

    #[test]
    fn load_reports_unknown_key_with_position_and_allowed_keys() {
        let err = load("vendor: V\nvendr: W\napis: {}\n").unwrap_err();
        assert_eq!(err.pos.map(|p| p.line), Some(2));
        assert!(
            err.message.contains("unknown field `vendr`"),
            "{}",
            err.message
        );
        assert!(err.message.contains("`vendor`"), "{}", err.message);
        assert!(!err.message.contains(" at line "), "{}", err.message);
        assert!(
            err.message.ends_with("did you mean `vendor`?"),
            "{}",
            err.message
        );
    }

    #[test]
    fn unknown_retry_words_get_a_suggestion() {
        let src = "vendor: V\napis:\n  a:\n    title: A\n    errors:\n      - {status: 500, meaning: m, retry: backof}\n";
        let err = load(src).unwrap_err();
        assert!(
            err.message.contains("unknown variant `backof`"),
            "{}",
            err.message
        );
        assert!(
            err.message.ends_with("did you mean `backoff`?"),
            "{}",
            err.message
        );
    }

    #[test]
    fn scanner_errors_keep_their_context_mark_in_short_form() {
        let err = load("vendor: V\napis:\n  a:\n    title: \"open\n").unwrap_err();
        assert_eq!(err.pos, Some(Pos { line: 5, column: 1 }));
        assert_eq!(
            err.message,
            "found unexpected end of stream, while scanning a quoted scalar at 4:12"
        );
    }

    #[test]
    fn retry_shorthand_and_mapping() {
        let r: Retry = serde_yaml::from_str("retry_after").unwrap();
        assert_eq!((r.when, r.retry_after), (When::Always, true));
        let r: Retry = serde_yaml::from_str("{ when: always, wait: 30s }").unwrap();
        assert_eq!(r.wait.as_deref(), Some("30s"));
        let e = serde_yaml::from_str::<Retry>("sometimes")
            .unwrap_err()
            .to_string();
        assert!(e.contains("unknown variant `sometimes`"), "{e}");
        let e = serde_yaml::from_str::<Retry>("3").unwrap_err().to_string();
        assert!(e.contains("expected one of `never`, `backoff`"), "{e}");
        assert!(e.contains("`idempotent`, or a mapping"), "{e}");
    }

    #[test]
    fn duplicate_api_names_are_rejected() {
        let err =
            load("vendor: V\napis:\n  a: {title: A, errors: []}\n  a: {title: B, errors: []}\n")
                .unwrap_err();
        assert!(
            err.message.contains("api `a` is defined twice"),
            "{}",
            err.message
        );
    }
}
