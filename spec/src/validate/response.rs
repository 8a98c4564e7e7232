//! Where things are in a response, checked: the body's shape and member paths (with
//! their further sources and clean-up), wait sources, the rules that make a 2xx an
//! error, and header names. The rest of a spec is checked in `validate.rs`.

use super::{with, Cx};
use crate::model::{BodyModel, ObjectFields, WaitFromModel, WaitModel};
use crate::spec::{Body, BodyFormat, Seg, Source, Wait, LISTED_MEMBERS};

impl Cx<'_> {
    /// A header name: an HTTP token. `Some(Some(name))` when it is one.
    pub(super) fn header_name(&mut self, name: &str, path: &[Seg]) -> Option<Option<String>> {
        if !is_header_name(name) {
            self.error(
                path,
                format!("`{}` is not an HTTP header name (letters, digits and `-`, as in `retry-after`)", name.escape_debug()),
            );
            return None;
        }
        Some(Some(name.to_string()))
    }

    /// The rules that make a 2xx response an error, checked.
    pub(super) fn success_rules(
        &mut self,
        rules: &[(String, Option<String>)],
        path: &[Seg],
    ) -> Option<Vec<(Vec<String>, Option<String>)>> {
        let before = self.out.len();
        if rules.is_empty() {
            self.error(
                path,
                "`errors_in_success` is empty; list the rules, or remove it".into(),
            );
        }
        if rules.len() > 8 {
            self.error(
                path,
                format!(
                    "`errors_in_success` has {} rules; at most 8 are read",
                    rules.len()
                ),
            );
        }
        let mut out = Vec::new();
        for (i, (body, equals)) in rules.iter().enumerate() {
            let mut p = path.to_vec();
            p.push(Seg::Index(i));
            match member_path(body) {
                Ok(steps) => out.push((steps, equals.clone())),
                Err(why) => self.error(
                    &with(&p, "body"),
                    format!("`body: {}` {why}", body.escape_debug()),
                ),
            }
        }
        (self.out.len() == before).then_some(out)
    }

    /// The wait sources, checked. `Some(Some(list))` when all are sound.
    pub(super) fn waits(
        &mut self,
        ws: &[Wait],
        path: &[Seg],
        body: Option<&BodyModel>,
    ) -> Option<Option<Vec<WaitModel>>> {
        let before = self.out.len();
        let mut out = Vec::new();
        let mut body_source: Option<usize> = None;
        if ws.is_empty() {
            self.error(path, "`waits` is empty; list where the server states waits, or remove it (then `Retry-After` is read)".into());
        }
        for (i, w) in ws.iter().enumerate() {
            let mut p = path.to_vec();
            p.push(Seg::Index(i));
            let from = match (&w.header, &w.body) {
                (Some(h), _) => self
                    .header_name(h, &with(&p, "header"))
                    .flatten()
                    .map(WaitFromModel::Header),
                (None, Some(b)) => {
                    if let Some(j) = body_source {
                        let at = self.at(&{
                            let mut q = path.to_vec();
                            q.push(Seg::Index(j));
                            q
                        });
                        self.error(
                            &with(&p, "body"),
                            format!("only one wait source may read the body (the first is {at})"),
                        );
                    }
                    body_source = Some(i);
                    if !matches!(body, Some(BodyModel::Object(_))) {
                        self.error(&with(&p, "body"), "a `body:` wait source reads an `object` body, and this API declares none: add `body: { format: object, ... }`".into());
                    }
                    match member_path(b) {
                        Ok(steps) => Some(WaitFromModel::Body(steps)),
                        Err(why) => {
                            self.error(
                                &with(&p, "body"),
                                format!("`body: {}` {why}", b.escape_debug()),
                            );
                            None
                        }
                    }
                }
                (None, None) => None, // reported when read
            };
            if let Some((name, value)) = &w.only_if {
                let cond = with(&p, "only_if");
                self.header_name(name, &with(&cond, "header"));
                if value.is_empty() {
                    self.error(
                        &with(&cond, "equals"),
                        "`equals` is empty; write the header value that enables this source".into(),
                    );
                }
            }
            if let Some(from) = from {
                out.push(WaitModel {
                    from,
                    format: w.format,
                    only_if: w.only_if.clone(),
                });
            }
        }
        (self.out.len() == before).then_some(Some(out))
    }

    pub(super) fn body(&mut self, b: &Body, path: &[Seg]) -> Option<BodyModel> {
        let fields = [
            ("status", &b.status),
            ("code", &b.code),
            ("type", &b.error_type),
            ("message", &b.message),
            ("detail", &b.detail),
            ("request_id", &b.request_id),
            ("trace_id", &b.trace_id),
            ("details", &b.details),
        ];
        let mut named: Vec<&str> = fields
            .iter()
            .filter(|(_, v)| v.is_some())
            .map(|(k, _)| *k)
            .collect();
        if !b.extra.is_empty() {
            named.push("extra");
        }
        for (key, _, _) in &b.alternatives {
            if !named.contains(key) {
                named.push(key);
            }
        }
        if b.clean.is_some() {
            named.push("clean");
        }
        let body_alternatives = b
            .alternatives
            .iter()
            .filter(|(_, _, s)| matches!(s, Source::Path(_)))
            .count();
        if body_alternatives > MAX_ALTERNATIVES {
            self.error(path, format!("the body lists {body_alternatives} further paths; at most {MAX_ALTERNATIVES} are read"));
        }
        let mut alternatives = Vec::new();
        let mut alt_keys = Vec::new();
        for (key, index, source) in &b.alternatives {
            let mut at = with(path, key);
            at.push(Seg::Index(*index));
            let field = LISTED_MEMBERS.iter().position(|k| k == key).unwrap_or(0);
            match source {
                Source::Header(h) => {
                    if let Some(Some(h)) = self.header_name(h, &with(&at, "header")) {
                        alternatives.push((field, WaitFromModel::Header(h)));
                    }
                }
                Source::Path(p) => match member_path(p) {
                    Ok(steps) => {
                        alt_keys.push((format!("{key}[{index}]"), at, steps.clone()));
                        alternatives.push((field, WaitFromModel::Body(steps)));
                    }
                    Err(why) => self.error(&at, format!("`{key}: {}` {why}", p.escape_debug())),
                },
            }
        }
        if let Some((drop_from, keep_after)) = &b.clean {
            for (k, v) in [("drop_from", drop_from), ("keep_after", keep_after)] {
                if v.as_deref() == Some("") {
                    self.error(
                        &with(&with(path, "clean"), k),
                        format!("`{k}` is empty; write the text to cut at"),
                    );
                }
            }
        }
        if b.extra.len() > MAX_EXTRA {
            self.error(
                &with(path, "extra"),
                format!(
                    "`extra` names {} members; at most {MAX_EXTRA} are read",
                    b.extra.len()
                ),
            );
        }
        // The `extra` members take part in the path checks below, under their names.
        let extra_keys: Vec<String> = b.extra.iter().map(|(n, _)| format!("extra.{n}")).collect();
        let extra_fields: Vec<(&str, Option<String>)> = extra_keys
            .iter()
            .zip(&b.extra)
            .map(|(k, (_, p))| (k.as_str(), Some(p.clone())))
            .collect();
        let before = self.out.len();
        match b.format {
            BodyFormat::Object => {
                if b.errors.is_some() {
                    self.error(&with(path, "errors"), "`errors` belongs to `format: jsonapi`; an `object` body names its members with `status`, `code`, `message`, ...".into());
                }
                if named.is_empty() {
                    self.error(
                        path,
                        "an `object` body names at least one member, e.g. `message: message`"
                            .into(),
                    );
                }
            }
            BodyFormat::Jsonapi | BodyFormat::Problem => {
                for k in &named {
                    self.error(
                        &with(path, k),
                        format!(
                            "`{k}` is for `format: object`; `{}` bodies have standard member names",
                            if b.format == BodyFormat::Jsonapi {
                                "jsonapi"
                            } else {
                                "problem"
                            }
                        ),
                    );
                }
                if b.format == BodyFormat::Problem && b.errors.is_some() {
                    self.error(
                        &with(path, "errors"),
                        "`errors` belongs to `format: jsonapi`".into(),
                    );
                }
            }
        }
        let mut seen: Vec<(&str, Vec<String>)> = Vec::new();
        let all = fields
            .iter()
            .map(|(k, v)| (*k, v.as_deref()))
            .chain(extra_fields.iter().map(|(k, v)| (*k, v.as_deref())));
        for (k, v) in all {
            let at = match k.strip_prefix("extra.") {
                Some(name) => {
                    let mut p = with(path, "extra");
                    p.push(Seg::Key(name.to_string()));
                    p
                }
                None => with(path, k),
            };
            let Some(member) = v.filter(|m| !m.is_empty()) else {
                continue;
            };
            let segs = match member_path(member) {
                Ok(segs) => segs,
                Err(why) => {
                    self.error(&at, format!("`{k}: {}` {why}", member.escape_debug()));
                    continue;
                }
            };
            let clash = seen.iter().find(|(_, other)| {
                let n = other.len().min(segs.len());
                other[..n] == segs[..n]
            });
            match clash {
                Some((first, other)) if *other == segs => self.error(
                    &at,
                    format!("the JSON member `{member}` is named for both `{first}` and `{k}`; a member holds one datum, so name it for one of them"),
                ),
                Some((first, _)) => self.error(
                    &at,
                    format!("`{k}: {member}` and `{first}` lie one inside the other; a member is read whole or looked into, not both"),
                ),
                None => seen.push((k, segs)),
            }
        }
        for (k, at, segs) in &alt_keys {
            let clash = seen.iter().find(|(_, other)| {
                let n = other.len().min(segs.len());
                other[..n] == segs[..n]
            });
            if let Some((first, _)) = clash {
                self.error(
                    at,
                    format!("`{k}` and `{first}` name the same member, or one inside the other; each member is read once"),
                );
            }
        }
        for (k, v) in fields
            .iter()
            .map(|(k, v)| (*k, v.as_deref()))
            .chain([("errors", b.errors.as_deref())])
        {
            if v.is_some_and(|s| s.is_empty()) {
                self.error(
                    &with(path, k),
                    format!("`{k}` is empty; write the JSON member's name"),
                );
            }
        }
        if self.out.len() > before {
            return None;
        }
        Some(match b.format {
            BodyFormat::Object => {
                // Every path parsed above, without error (else we returned).
                let steps = |p: &Option<String>| p.as_deref().and_then(|t| member_path(t).ok());
                BodyModel::Object(Box::new(ObjectFields {
                    status: steps(&b.status),
                    code: steps(&b.code),
                    error_type: steps(&b.error_type),
                    message: steps(&b.message),
                    detail: steps(&b.detail),
                    request_id: steps(&b.request_id),
                    trace_id: steps(&b.trace_id),
                    details: steps(&b.details),
                    wait: None, // filled from `waits:` by the caller
                    extra: b
                        .extra
                        .iter()
                        .filter_map(|(n, p)| Some((n.clone(), member_path(p).ok()?)))
                        .collect(),
                    alternatives,
                    clean: b.clean.clone(),
                }))
            }
            BodyFormat::Jsonapi => BodyModel::JsonApi {
                errors: b.errors.clone().unwrap_or_else(|| "errors".into()),
            },
            BodyFormat::Problem => BodyModel::Problem,
        })
    }
}

/// Most `extra:` members a body may name (the runtime reads at most this many).
const MAX_EXTRA: usize = 8;
/// Most further body paths a body may list (the runtime reads at most this many).
const MAX_ALTERNATIVES: usize = 8;

/// Whether `name` is an HTTP header name (an RFC 9110 token: letters, digits and
/// `!#$%&'*+-.^_`|~`).
pub fn is_header_name(name: &str) -> bool {
    let token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
    !name.is_empty() && name.chars().all(token)
}

/// A body member path, as segments (unescaped, `*` kept): a bare top-level name
/// (`message`), or a JSON Pointer (`/error/code`, `/errors/*/extensions/code`).
/// The error says why the text is neither.
pub fn member_path(text: &str) -> Result<Vec<String>, String> {
    let Some(pointer) = text.strip_prefix('/') else {
        if let Some((head, tail)) = text.split_once('.') {
            return Err(format!(
                "names a top-level member with a dot in it, which is most likely not what the body has; to reach `{tail}` inside `{head}`, write the JSON Pointer `/{}`",
                text.replace('.', "/")
            ));
        }
        if text.contains(['*', '~']) || text.trim() != text {
            return Err("is not a member name; write the name as the body has it, or a JSON Pointer such as `/error/message`".into());
        }
        return Ok(vec![text.to_string()]);
    };
    let mut segs = Vec::new();
    for seg in pointer.split('/') {
        if seg.is_empty() {
            return Err("has an empty step (`//` or a trailing `/`); each step names a member, an array index, or `*`".into());
        }
        let mut out = String::new();
        let mut chars = seg.chars();
        while let Some(c) = chars.next() {
            match (c, c == '~') {
                (_, true) => match chars.next() {
                    Some('0') => out.push('~'),
                    Some('1') => out.push('/'),
                    _ => return Err("has a `~` that is not `~0` (for `~`) or `~1` (for `/`), the only escapes of a JSON Pointer".into()),
                },
                (c, false) => out.push(c),
            }
        }
        segs.push(out);
    }
    Ok(segs)
}
