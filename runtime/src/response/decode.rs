//! Decoding the error bodies a spec declares: an object with named members (walked
//! in `walk.rs`), a JSON:API-style error array, or RFC 9457 problem details.
//!
//! Unknown members are ignored (vendors add fields without notice). Nothing here
//! panics on any input: a body that is not the declared shape is simply not decoded,
//! and the caller keeps a snippet of it instead.

use std::fmt;

use serde_core::de::{
    self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor,
};

use crate::response::body::BodyShape;
pub use crate::response::decoded::{Decoded, ErrorObject, ErrorSource};
use crate::response::text::{AnyText, Key, PARSE_LIMIT};
pub use crate::response::text::{Text, JSON_LIMIT, TEXT_LIMIT};
use crate::response::walk::{decode_object, Plan};

/// Most error objects kept from a JSON:API array; the rest are skipped.
pub const ERRORS_LIMIT: usize = 32;

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
            // The declared shape is an object (or, for paths from the root, an
            // array): anything else is not decoded.
            if !matches!(
                body.iter().find(|b| !b.is_ascii_whitespace()),
                Some(b'{' | b'[')
            ) {
                return false;
            }
            return decode_object(fields, plan, body, out);
        }
        BodyShape::JsonApi { errors } => JsonApiShape(errors).deserialize(&mut de),
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

/// The error array of a JSON:API-style body, at the spec's path (steps: member
/// names or indices; none: the body itself is the array). Everything else is
/// skipped unparsed.
struct JsonApiShape<'f>(&'f [&'f str]);

impl<'de> DeserializeSeed<'de> for JsonApiShape<'_> {
    type Value = Decoded;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Decoded, D::Error> {
        let errors = AtPath(self.0, ErrorList)
            .deserialize(d)?
            .ok_or_else(|| de::Error::missing_field("errors"))?;
        // Message, code and id are read from the error objects when asked for
        // (see `ApiError`), not copied out of them here.
        Ok(Decoded {
            errors,
            ..Decoded::default()
        })
    }
}

/// `S` read at the end of a path of member names and array indices; `None` when
/// the body has nothing there.
struct AtPath<'f, S>(&'f [&'f str], S);

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for AtPath<'_, S> {
    type Value = Option<S::Value>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        match self.0 {
            [] => self.1.deserialize(d).map(Some),
            _ => d.deserialize_any(self),
        }
    }
}

impl<'de, S: DeserializeSeed<'de>> Visitor<'de> for AtPath<'_, S> {
    type Value = Option<S::Value>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object or array")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let (step, rest) = (self.0[0], &self.0[1..]);
        let (mut seed, mut found) = (Some(self.1), None);
        while let Some(Key(key)) = map.next_key()? {
            match seed.take() {
                Some(inner) if *key == *step.as_bytes() => {
                    found = map.next_value_seed(AtPath(rest, inner))?;
                }
                other => {
                    seed = other;
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(found)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let (step, rest) = (self.0[0], &self.0[1..]);
        let (mut seed, mut found, mut index) = (Some(self.1), None, 0);
        loop {
            let more = match seed.take() {
                Some(inner) if crate::response::walk::selects(step, index) => {
                    match seq.next_element_seed(AtPath(rest, inner))? {
                        Some(value) => {
                            found = value;
                            true
                        }
                        None => false,
                    }
                }
                other => {
                    seed = other;
                    seq.next_element::<IgnoredAny>()?.is_some()
                }
            };
            if !more {
                return Ok(found);
            }
            index += 1;
        }
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
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
    use crate::response::body::ObjectFields;

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
        clean: crate::response::body::Clean::NONE,
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
            &BodyShape::JsonApi {
                errors: &["errors"],
            },
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
        static ALTERNATIVES: [crate::response::body::Alternative; 1] =
            [crate::response::body::Alternative::new(
                crate::response::body::Field::Code,
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
        let shape = BodyShape::JsonApi {
            errors: &["_errors"],
        };
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
            assert_eq!(
                decode(
                    &BodyShape::JsonApi {
                        errors: &["errors"]
                    },
                    body
                ),
                None
            );
            assert_eq!(decode(&BodyShape::Problem, body), None);
        }
        assert_eq!(
            decode(
                &BodyShape::JsonApi {
                    errors: &["errors"]
                },
                b"{}"
            ),
            None,
            "no array"
        );
        // An array is walked (paths may start at the root), and has none of these
        // names: decoded, with nothing in it.
        assert_eq!(decode(&AMPERITY, b"[1, 2, 3]"), Some(Decoded::default()));
        assert_eq!(
            decode(
                &BodyShape::JsonApi {
                    errors: &["errors"]
                },
                b"[1]"
            ),
            None
        );
    }

    #[test]
    fn a_top_level_array_is_read_from_the_root() {
        let fields = |code, message| {
            BodyShape::Object(ObjectFields {
                code: Some(code),
                message: Some(message),
                ..ObjectFields::default()
            })
        };
        let body = br#"[{"errorCode":"REQUEST_LIMIT_EXCEEDED","message":"Too many","fields":[]}]"#;
        for shape in [
            fields(&["0", "errorCode"], &["0", "message"]),
            fields(&["*", "errorCode"], &["*", "message"]),
        ] {
            let d = decode(&shape, body).unwrap();
            assert_eq!(d.get(d.code), Some("REQUEST_LIMIT_EXCEEDED"));
            assert_eq!(d.get(d.message), Some("Too many"));
        }
        // A JSON:API error array that is the whole body.
        let d = decode(
            &BodyShape::JsonApi { errors: &[] },
            br#"[{"code":"a","detail":"first"},{"code":"b"}]"#,
        )
        .unwrap();
        assert_eq!(d.errors.len(), 2);
        assert_eq!(d.errors[1].code.as_deref(), Some("b"));
        // ... or nested deeper.
        let d = decode(
            &BodyShape::JsonApi {
                errors: &["response", "errors"],
            },
            br#"{"response":{"errors":[{"code":"a"}]},"errors":"decoy"}"#,
        )
        .unwrap();
        assert_eq!(d.errors[0].code.as_deref(), Some("a"));
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
        let d = decode(
            &BodyShape::JsonApi {
                errors: &["errors"],
            },
            many.as_bytes(),
        )
        .unwrap();
        assert_eq!(d.errors.len(), ERRORS_LIMIT);
    }

    #[test]
    fn wrong_types_inside_the_right_shape_are_ignored() {
        let d = decode(
            &AMPERITY,
            br#"{"message":{"nested":true},"request_id":null,"trace_id":[1]}"#,
        )
        .unwrap();
        // Present but not text: nothing is read, and the decode says so (the caller
        // then keeps the body as a snippet); null is simply absent.
        assert_eq!(
            d,
            Decoded {
                unreadable: true,
                ..Decoded::default()
            }
        );
        let d = decode(&AMPERITY, br#"{"message":null,"request_id":"r"}"#).unwrap();
        assert!(!d.unreadable);
        let shape = BodyShape::JsonApi {
            errors: &["errors"],
        };
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
