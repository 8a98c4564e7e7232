//! Where things are in a response, checked: the body's shape and member paths (with
//! their further sources and clean-up), wait sources, the rules that make a 2xx an
//! error, and header names. The rest of a spec is checked in `validate.rs`.

use super::{with, CheckedRule, Cx, KnownBody};
use crate::model::{BodyModel, ObjectFields, WaitFromModel, WaitModel};
use crate::spec::{Body, BodyFormat, Rule, Seg, Source, Wait, LISTED_MEMBERS};

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
        rules: &[Rule],
        path: &[Seg],
    ) -> Option<Vec<CheckedRule>> {
        let before = self.out.len();
        let key = match path.last() {
            Some(Seg::Key(k)) => k.as_str(),
            _ => "errors_in_success",
        };
        if rules.is_empty() {
            self.error(
                path,
                format!("`{key}` is empty; list the rules, or remove it"),
            );
        }
        if rules.len() > 8 {
            self.error(
                path,
                format!("`{key}` has {} rules; at most 8 are read", rules.len()),
            );
        }
        let mut out = Vec::new();
        for (i, Rule { body, equals }) in rules.iter().enumerate() {
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
        body: KnownBody,
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
                    // A declared body with problems of its own is not held against it.
                    if !matches!(
                        body,
                        KnownBody::Is(Some(BodyModel::Object(_))) | KnownBody::Invalid
                    ) {
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
                (None, None) => match &w.until {
                    Some((every, offset)) => {
                        let at = with(&p, "until");
                        self.boundary(every, offset.as_deref(), &at)
                    }
                    None => None, // reported when read
                },
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
                    minimum: w.minimum,
                    policy: w.policy.clone(),
                });
            }
        }
        (self.out.len() == before).then_some(Some(out))
    }

    /// `until: { every, offset }`, checked: a period of at least a second and at most
    /// a year, and an offset within it.
    fn boundary(&mut self, every: &str, offset: Option<&str>, at: &[Seg]) -> Option<WaitFromModel> {
        const YEAR_MS: u64 = 366 * 24 * 3_600_000;
        let every_ms = match super::parse_duration_ms(every) {
            Ok(ms) if (1_000..=YEAR_MS).contains(&ms) => Some(ms),
            Ok(_) => {
                self.error(
                    &with(at, "every"),
                    format!("`every: {}` is outside 1s to 366 days; write the period the limit resets on (`1h`, `24h`)", every.escape_debug()),
                );
                None
            }
            Err(m) => {
                self.error(&with(at, "every"), m.replacen("`wait:", "`every:", 1));
                None
            }
        };
        let offset_ms = match offset {
            None => Some(0),
            Some(o) => match super::parse_duration_ms(o) {
                Ok(ms) => Some(ms),
                Err(m) => {
                    self.error(&with(at, "offset"), m.replacen("`wait:", "`offset:", 1));
                    None
                }
            },
        };
        let (every_ms, offset_ms) = (every_ms?, offset_ms?);
        if offset_ms >= every_ms {
            self.error(
                &with(at, "offset"),
                format!("`offset: {}` is not shorter than `every: {}`; the offset moves the boundary within one period (`every: 24h, offset: 8h` is 08:00 UTC)", offset.unwrap_or_default().escape_debug(), every.escape_debug()),
            );
            return None;
        }
        Some(WaitFromModel::Until {
            every_ms,
            offset_ms,
        })
    }

    pub(super) fn body(&mut self, b: &Body, path: &[Seg]) -> Option<BodyModel> {
        let before = self.out.len();
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
                let format = if b.format == BodyFormat::Jsonapi {
                    "jsonapi"
                } else {
                    "problem"
                };
                for k in &named {
                    self.error(
                        &with(path, k),
                        format!("`{k}` is for `format: object`; `{format}` bodies have standard member names"),
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
        // Every path, checked where it is written. Paths may share members or lie
        // one inside another: a member read whole is looked into as well.
        let mut steps = |cx: &mut Self, key: &str, at: &[Seg], text: &str| -> Option<Vec<String>> {
            if text.is_empty() {
                cx.error(
                    at,
                    format!("`{key}` is empty; write the JSON member's name"),
                );
                return None;
            }
            match member_path(text) {
                Ok(steps) => Some(steps),
                Err(why) => {
                    cx.error(at, format!("`{key}: {}` {why}", text.escape_debug()));
                    None
                }
            }
        };
        let mut fixed: [Option<Vec<String>>; 8] = Default::default();
        for (slot, (key, text)) in fixed.iter_mut().zip(&fields) {
            if let Some(text) = text {
                *slot = steps(self, key, &with(path, key), text);
            }
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
        for (key, index, source) in &b.alternatives {
            let mut at = with(path, key);
            at.push(Seg::Index(*index));
            let field = LISTED_MEMBERS.iter().position(|k| k == key).unwrap_or(0);
            if let Some(from) = self.source(source, key, &at, &mut steps) {
                alternatives.push((field, from));
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
        let mut extra = Vec::new();
        for (name, source) in &b.extra {
            let mut at = with(path, "extra");
            at.push(Seg::Key(name.clone()));
            let key = format!("extra.{name}");
            if let Some(from) = self.source(source, &key, &at, &mut steps) {
                extra.push((name.clone(), from));
            }
        }
        let errors = match (b.format, b.errors.as_deref()) {
            (BodyFormat::Jsonapi, None) => Some(vec!["errors".to_string()]),
            // The empty JSON Pointer is the whole body: an array of error objects.
            (BodyFormat::Jsonapi, Some("")) => Some(Vec::new()),
            (BodyFormat::Jsonapi, Some("/")) => {
                self.error(&with(path, "errors"), "`errors: /` names a member whose name is empty (RFC 6901); for a body that is itself the array of error objects, write `errors: \"\"` (the JSON Pointer to the whole body)".into());
                None
            }
            (BodyFormat::Jsonapi, Some(text)) => {
                let at = with(path, "errors");
                let found = steps(self, "errors", &at, text);
                if found.as_ref().is_some_and(|s| s.iter().any(|s| s == "*")) {
                    self.error(&at, format!("`errors: {}` has a `*`; the error array is at one place, so name each step", text.escape_debug()));
                }
                found
            }
            _ => None,
        };
        if self.out.len() > before {
            return None;
        }
        Some(match b.format {
            BodyFormat::Object => {
                let [status, code, error_type, message, detail, request_id, trace_id, details] =
                    fixed;
                BodyModel::Object(Box::new(ObjectFields {
                    status,
                    code,
                    error_type,
                    message,
                    detail,
                    request_id,
                    trace_id,
                    details,
                    wait: None, // filled from `waits:` by the caller
                    extra,
                    alternatives,
                    clean: b.clean.clone(),
                }))
            }
            BodyFormat::Jsonapi => BodyModel::JsonApi {
                errors: errors.unwrap_or_default(),
            },
            BodyFormat::Problem => BodyModel::Problem,
        })
    }

    /// A datum's source, checked: a header name, or a body path (through `steps`).
    fn source(
        &mut self,
        source: &Source,
        key: &str,
        at: &[Seg],
        steps: &mut impl FnMut(&mut Self, &str, &[Seg], &str) -> Option<Vec<String>>,
    ) -> Option<WaitFromModel> {
        match source {
            Source::Header(h) => self
                .header_name(h, &with(at, "header"))
                .flatten()
                .map(WaitFromModel::Header),
            Source::Path(p) => steps(self, key, at, p).map(WaitFromModel::Body),
        }
    }
}

/// Most `extra:` members a body may name (the runtime reads at most this many).
const MAX_EXTRA: usize = 8;
/// Most further body paths a body may list (the runtime reads at most this many).
const MAX_ALTERNATIVES: usize = 8;
/// Most steps in a member path: a deeper one could never match, as a body is read
/// to at most 128 levels of nesting.
pub const MAX_PATH_STEPS: usize = 64;

/// Whether `name` is an HTTP header name (an RFC 9110 token: letters, digits and
/// `!#$%&'*+-.^_`|~`).
pub fn is_header_name(name: &str) -> bool {
    let token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
    !name.is_empty() && name.chars().all(token)
}

/// A path's steps written back as a JSON Pointer (`~` and `/` escaped as RFC 6901
/// does; `*` stays `*`): the inverse of [`member_path`], for showing one.
pub fn pointer(steps: &[String]) -> String {
    steps
        .iter()
        .map(|s| format!("/{}", s.replace('~', "~0").replace('/', "~1")))
        .collect()
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
    if pointer.split('/').count() > MAX_PATH_STEPS {
        return Err(format!("has more than {MAX_PATH_STEPS} steps, deeper than any body that is read (bodies nest at most 128 levels); name a member nearer the top"));
    }
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
