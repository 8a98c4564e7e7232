//! The spec file's serde model, and [`load`]: text -> model, every error located.
//!
//! YAML itself is read in `yaml.rs` (one parse, a tree of positioned nodes) and
//! turned into this model by `de.rs`; validation later locates its findings on the
//! same tree, so nothing is ever parsed twice.

use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::Deserialize;

pub use crate::yaml::{Diagnostic, Pos, Seg, Tree};

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

/// Parses spec text: YAML syntax, the limits and the model's shape, every error
/// located. The tree comes back too, to locate what validation finds later.
pub fn load(source: &str) -> Result<(Spec, Tree), Diagnostic> {
    let tree = crate::yaml::parse(source)?;
    let spec = crate::de::from_tree(&tree).map_err(|e| Diagnostic {
        pos: e.pos,
        message: with_suggestion(e.message),
    })?;
    Ok((spec, tree))
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

#[cfg(test)]
mod tests {
    use super::*;

    const SRC: &str = "vendor: V\napis:\n  one:\n    title: One\n    errors:\n      - status: 400\n        meaning: bad\n      - status: 700\n        meaning: worse\n";

    fn key(k: &str) -> Seg {
        Seg::Key(k.into())
    }

    #[test]
    fn locates_nested_nodes() {
        let (_, l) = load(SRC).unwrap();
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
        let (_, l) = load(SRC).unwrap();
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
    fn syntax_errors_are_located() {
        let err = load("vendor: V\napis:\n  a:\n    title: \"open\n").unwrap_err();
        assert_eq!(err.pos.map(|p| p.line), Some(4));
        assert!(err.message.starts_with("invalid YAML: "), "{}", err.message);
    }

    #[test]
    fn retry_shorthand_and_mapping() {
        fn read(src: &str) -> Result<Retry, crate::de::Error> {
            crate::de::from_tree(&crate::yaml::parse(src).unwrap())
        }
        let r = read("retry_after").unwrap();
        assert_eq!((r.when, r.retry_after), (When::Always, true));
        let r = read("{ when: always, wait: 30s }").unwrap();
        assert_eq!(r.wait.as_deref(), Some("30s"));
        let e = read("sometimes").unwrap_err().to_string();
        assert!(e.contains("unknown variant `sometimes`"), "{e}");
        let e = read("3").unwrap_err().to_string();
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
