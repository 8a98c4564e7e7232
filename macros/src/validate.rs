//! Semantic checks on a loaded spec, producing the typed [`Model`].
//!
//! Every problem is collected (not just the first) and located in the spec text.

use std::collections::BTreeMap;

use crate::model::{
    BodyModel, Hint, Model, ObjectFields, TransportModel, Variant, WaitFromModel, WaitModel,
};
use crate::names;
use crate::spec::{
    Api, Body, BodyFormat, Diagnostic, Entry, Pos, Retry, Seg, Source, Spec, Tree, Wait, When,
    LISTED_MEMBERS,
};

/// Why a spec could not become a model.
#[derive(Debug, Default)]
pub struct Failure {
    /// Problems inside the spec, located.
    pub spec: Vec<Diagnostic>,
    /// A problem with the attribute's `api = "..."` (or its absence).
    pub api: Option<String>,
}

/// Checks the whole spec, then resolves the API that `api` selects.
pub fn validate(spec: &Spec, api: Option<&str>, located: &Tree) -> Result<Model, Failure> {
    let mut cx = Cx {
        located,
        out: Vec::new(),
    };
    let path = Vec::new();
    cx.nonempty(&spec.vendor, &path, "vendor");
    let spec_body = spec
        .body
        .as_ref()
        .and_then(|b| cx.body(b, &[Seg::Key("body".into())]));
    let transport = spec.transport.as_ref().and_then(|t| {
        let p = vec![Seg::Key("transport".into())];
        cx.nonempty(&t.meaning, &p, "meaning");
        let before = cx.out.len();
        let mut rule =
            |r: &Option<Retry>, key: &str| r.as_ref().and_then(|r| cx.retry(r, &with(&p, key)));
        let all = rule(&t.retry, "retry");
        let (connect, timeout, reset) = (
            rule(&t.connect, "connect").or(all),
            rule(&t.timeout, "timeout").or(all),
            rule(&t.reset, "reset").or(all),
        );
        (cx.out.len() == before).then(|| TransportModel {
            meaning: t.meaning.clone(),
            advice: t.advice.clone(),
            connect,
            timeout,
            reset,
        })
    });
    // Spec-wide settings: checked once, used by every API that does not override them.
    let spec_waits = match &spec.waits {
        Some(w) => cx.waits(w, &[Seg::Key("waits".into())], spec_body.as_ref()),
        None => Some(None),
    };
    let spec_should_retry = match &spec.should_retry_header {
        Some(h) => cx.header_name(h, &[Seg::Key("should_retry_header".into())]),
        None => Some(None),
    };
    let spec_success = match &spec.errors_in_success {
        Some(r) => cx.success_rules(r, &[Seg::Key("errors_in_success".into())]),
        None => Some(Vec::new()),
    };
    if spec.apis.0.is_empty() {
        cx.error(
            &[Seg::Key("apis".into())],
            "`apis` is empty; describe at least one API".into(),
        );
    }
    let mut models = Vec::new();
    for (key, a) in &spec.apis.0 {
        let p = vec![Seg::Key("apis".into()), Seg::Key(key.clone())];
        let body = match &a.body {
            Some(b) => cx.body(b, &with(&p, "body")),
            None => spec_body.clone(),
        };
        // A declared body that failed its own checks is not held against entries.
        let declared = a.body.is_some() || spec.body.is_some();
        let known_body = if declared && body.is_none() {
            KnownBody::Invalid
        } else {
            KnownBody::Is(body.as_ref())
        };
        let resolved = cx.api(a, &p, known_body);
        let waits = match &a.waits {
            Some(w) => cx.waits(w, &with(&p, "waits"), body.as_ref()),
            None => spec_waits.clone(),
        };
        let should_retry = match &a.should_retry_header {
            Some(h) => cx.header_name(h, &with(&p, "should_retry_header")),
            None => spec_should_retry.clone(),
        };
        let success = match &a.errors_in_success {
            Some(r) => cx.success_rules(r, &with(&p, "errors_in_success")),
            None => spec_success.clone(),
        };
        // A body wait source is read by the body decoder: give it the path.
        let body = match (body, &waits) {
            (Some(BodyModel::Object(mut f)), Some(Some(ws))) => {
                f.wait = ws.iter().find_map(|w| match &w.from {
                    WaitFromModel::Body(steps) => Some(steps.clone()),
                    WaitFromModel::Header(_) => None,
                });
                Some(BodyModel::Object(f))
            }
            (body, _) => body,
        };
        models.push((key, a, body, (resolved, waits, should_retry, success)));
    }

    let keys: Vec<&str> = spec.apis.0.iter().map(|(k, _)| k.as_str()).collect();
    let list = keys
        .iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let chosen = match api {
        Some(want) => match models.iter().position(|(k, ..)| *k == want) {
            Some(i) => Ok(i),
            None => {
                let hint = crate::names::closest(want, keys.iter().copied())
                    .map_or_else(String::new, |k| format!("; did you mean `{k}`?"));
                Err(format!(
                    "unknown api `{want}`: this spec describes {list}{hint}"
                ))
            }
        },
        None if models.len() == 1 => Ok(0),
        None if models.is_empty() => Err("the spec describes no API".into()),
        None => Err(format!(
            "this spec describes {} APIs ({list}); choose one with `api = \"{}\"`",
            models.len(),
            keys[0]
        )),
    };
    match (chosen, cx.out.is_empty()) {
        (Ok(i), true) => {
            let (key, a, body, (resolved, waits, should_retry, success)) = models.swap_remove(i);
            let errors_in_success = success.expect("no problems were reported");
            let (variants, by_status) = resolved.expect("no problems were reported");
            let waits = waits.expect("no problems were reported");
            let should_retry_header = should_retry.expect("no problems were reported");
            Ok(Model {
                vendor: spec.vendor.clone(),
                source: spec.source.clone(),
                api: key.clone(),
                api_title: a.title.clone(),
                body,
                transport,
                waits,
                should_retry_header,
                errors_in_success,
                variants,
                by_status,
            })
        }
        (chosen, _) => Err(Failure {
            spec: cx.out,
            api: chosen.err(),
        }),
    }
}

fn with(path: &[Seg], key: &str) -> Vec<Seg> {
    let mut p = path.to_vec();
    p.push(Seg::Key(key.into()));
    p
}

type Resolved = (Vec<Variant>, Vec<(u16, usize)>);

/// The body an API's entries are read against.
#[derive(Clone, Copy)]
enum KnownBody<'a> {
    /// Declared and valid, or not declared (`None`).
    Is(Option<&'a BodyModel>),
    /// Declared, but with errors of its own (already reported).
    Invalid,
}

struct Cx<'a> {
    located: &'a Tree,
    out: Vec<Diagnostic>,
}

impl Cx<'_> {
    fn pos(&self, path: &[Seg]) -> Option<Pos> {
        self.located.locate(path)
    }

    fn at(&self, path: &[Seg]) -> String {
        self.pos(path)
            .map_or_else(|| "earlier".into(), |p| format!("at {p}"))
    }

    fn error(&mut self, path: &[Seg], message: String) {
        let pos = self.pos(path);
        self.out.push(Diagnostic { pos, message });
    }

    fn nonempty(&mut self, text: &str, parent: &[Seg], key: &str) {
        if text.trim().is_empty() {
            self.error(
                &with(parent, key),
                format!("`{key}` is empty; write the text it stands for"),
            );
        }
    }

    /// A header name: an HTTP token. `Some(Some(name))` when it is one.
    fn header_name(&mut self, name: &str, path: &[Seg]) -> Option<Option<String>> {
        let token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
        if name.is_empty() || !name.chars().all(token) {
            self.error(
                path,
                format!("`{}` is not an HTTP header name (letters, digits and `-`, as in `retry-after`)", name.escape_debug()),
            );
            return None;
        }
        Some(Some(name.to_string()))
    }

    /// The rules that make a 2xx response an error, checked.
    fn success_rules(
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
    fn waits(
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

    fn api(&mut self, api: &Api, path: &[Seg], body: KnownBody) -> Option<Resolved> {
        let before = self.out.len();
        self.nonempty(&api.title, path, "title");
        let errors_path = with(path, "errors");
        if api.errors.is_empty() {
            self.error(
                &errors_path,
                "`errors` is empty; list the API's documented errors".into(),
            );
        }
        let mut variants = Vec::new();
        let mut paths = Vec::new();
        for (i, e) in api.errors.iter().enumerate() {
            let mut p = errors_path.clone();
            p.push(Seg::Index(i));
            if let Some(v) = self.entry(e, &p, body) {
                variants.push((v, e.primary));
                paths.push(p);
            }
        }
        self.unique_codes(&variants, &paths);
        self.unique_matchers(&variants, &paths);
        self.unique_names(&variants, &paths);
        let by_status = self.status_map(&variants, &paths);
        (self.out.len() == before && variants.len() == api.errors.len())
            .then(|| (variants.into_iter().map(|(v, _)| v).collect(), by_status))
    }

    fn entry(&mut self, e: &Entry, path: &[Seg], body: KnownBody) -> Option<Variant> {
        let before = self.out.len();
        let status = match u16::try_from(e.status) {
            Ok(s) if (100..=999).contains(&s) => s,
            _ => {
                self.error(
                    &with(path, "status"),
                    format!(
                        "status {} is outside 100-999; write the HTTP status code (three digits)",
                        e.status
                    ),
                );
                0
            }
        };
        let key = e.codes_key;
        for (i, c) in e.codes.iter().enumerate() {
            if c.trim().is_empty() {
                self.error(
                    &with(path, key),
                    format!("`{key}` has an empty code; write the code as the body carries it"),
                );
            } else if e.codes[..i].contains(c) {
                self.error(
                    &with(path, key),
                    format!(
                        "app code `{}` is listed twice in this entry; remove one",
                        c.escape_debug()
                    ),
                );
            }
        }
        let (has_type, has_message) = match body {
            KnownBody::Is(Some(BodyModel::Object(f))) => {
                // A datum may come from an alternative source alone (a header).
                let alt = |field| f.alternatives.iter().any(|(i, _)| *i == field);
                (
                    f.error_type.is_some() || alt(1),
                    f.message.is_some() || f.detail.is_some() || alt(2),
                )
            }
            KnownBody::Is(Some(BodyModel::JsonApi { .. } | BodyModel::Problem)) => (false, true),
            KnownBody::Is(None) => (false, false),
            KnownBody::Invalid => (true, true), // its own errors are reported
        };
        if let Some(t) = &e.error_type {
            self.nonempty(t, path, "type");
            if !has_type {
                self.error(
                    &with(path, "type"),
                    "`type` matches the body's error type, but the body declares none: add `type: /path/to/type` to the spec's `body` (an `object` body)".into(),
                );
            }
        }
        if let Some(m) = &e.message_contains {
            self.nonempty(m, path, "message_contains");
            if !has_message {
                self.error(
                    &with(path, "message_contains"),
                    "`message_contains` matches the server's message, but the body declares no message: add `message: ...` to the spec's `body`".into(),
                );
            }
        }
        self.nonempty(&e.meaning, path, "meaning");
        if let Some(code) = &e.code {
            self.nonempty(code, path, "code");
        }
        if let Some(title) = &e.title {
            self.nonempty(title, path, "title");
        }
        if let Some(advice) = &e.advice {
            self.nonempty(advice, path, "advice");
        }
        let name = self.variant_name(e, status, path);
        let retry = match &e.retry {
            Some(r) => self.retry(r, &with(path, "retry")),
            None => None,
        };
        if self.out.len() > before {
            return None;
        }
        Some(Variant {
            name: name?,
            status,
            code: e.code.clone(),
            codes: e.codes.clone(),
            codes_key: e.codes_key,
            error_type: e.error_type.clone(),
            message_contains: e.message_contains.clone(),
            title: e.title.clone(),
            meaning: e.meaning.clone(),
            advice: e.advice.clone(),
            retry,
        })
    }

    /// The variant's final name, from `name:`, else the app code, else the status's
    /// reason phrase; whichever it comes from, it passes the one name check, and a
    /// failure is reported at the key it came from.
    fn variant_name(&mut self, e: &Entry, status: u16, path: &[Seg]) -> Option<String> {
        let (name, key, origin) = match (&e.name, &e.code) {
            (Some(n), _) => (n.clone(), "name", String::new()),
            (None, Some(code)) if code.trim().is_empty() => return None,
            (None, None)
                if e.error_type
                    .as_deref()
                    .is_some_and(|t| !t.trim().is_empty()) =>
            {
                let t = e.error_type.as_deref().unwrap_or_default();
                match names::code_variant(t) {
                    Some(n) => (
                        n,
                        "type",
                        format!("error type `{}` makes the variant name", t.escape_debug()),
                    ),
                    None => {
                        self.error(
                            &with(path, "type"),
                            format!("error type `{}` does not start with a letter, so it cannot name a variant; add `name: ...`", t.escape_debug()),
                        );
                        return None;
                    }
                }
            }
            (None, Some(code)) => match names::code_variant(code) {
                Some(n) => (
                    n,
                    "code",
                    format!("app code `{}` makes the variant name", code.escape_debug()),
                ),
                None => {
                    self.error(
                        &with(path, "code"),
                        format!("app code `{}` does not start with a letter, so it cannot name a variant; add `name: ...`", code.escape_debug()),
                    );
                    return None;
                }
            },
            (None, None) if status == 0 => return None,
            (None, None) => match names::reason_variant(status) {
                Some(n) => (
                    n.to_string(),
                    "status",
                    format!("status {status} makes the variant name"),
                ),
                None => {
                    self.error(
                        &with(path, "status"),
                        format!("status {status} has no standard reason phrase to name its variant; add `name: ...`"),
                    );
                    return None;
                }
            },
        };
        let message = if origin.is_empty() {
            names::check_variant_name(&name)
                .err()
                .map(|why| format!("invalid `name`: {why}"))
        } else {
            names::problem(&name).map(|why| {
                format!("{origin} `{name}`, which cannot be used ({why}); add `name: ...` to this entry")
            })
        };
        match message {
            None => Some(name),
            Some(m) => {
                self.error(&with(path, key), m);
                None
            }
        }
    }

    fn retry(&mut self, r: &Retry, path: &[Seg]) -> Option<Hint> {
        let before = self.out.len();
        let mut duration = |text: &str, p: Vec<Seg>, key: &str| match parse_duration_ms(text) {
            Ok(ms) => Some(ms),
            Err(m) => {
                self.error(&p, m.replacen("`wait:", &format!("`{key}:"), 1));
                None
            }
        };
        let wait_ms = r
            .wait
            .as_deref()
            .and_then(|w| duration(w, with(path, "wait"), "wait"));
        let fallback_ms = r
            .fallback
            .as_deref()
            .and_then(|w| duration(w, with(path, "fallback"), "fallback"));
        let backoff_path = with(path, "backoff");
        let backoff_ms = r.backoff.as_ref().and_then(|(base, cap)| {
            let base = duration(base, with(&backoff_path, "base"), "base");
            let cap = duration(cap, with(&backoff_path, "cap"), "cap");
            Some((base?, cap?))
        });
        if r.when == When::Never {
            let waits = [
                ("wait", r.wait.is_some()),
                ("retry_after", r.retry_after),
                ("fallback", r.fallback.is_some()),
                ("backoff", r.backoff.is_some()),
                ("long_wait", r.long_wait.is_some()),
            ];
            for (key, set) in waits {
                if set {
                    self.error(
                        &with(path, key),
                        format!("a `{key}` contradicts `when: never`: a never-retried error waits for nothing; remove `{key}` or change `when`"),
                    );
                }
            }
        }
        if let Some((base, cap)) = backoff_ms {
            if cap < base {
                self.error(
                    &with(&backoff_path, "cap"),
                    "the backoff's `cap` is below its `base`: the schedule would never grow; raise `cap` or lower `base`".into(),
                );
            }
        }
        if let (Some(f), Some(w)) = (fallback_ms, wait_ms) {
            if f < w {
                self.error(
                    &with(path, "fallback"),
                    "the `fallback` is below the minimum `wait`, so it would always be raised to it; write the wait once".into(),
                );
            }
        }
        (self.out.len() == before).then_some(Hint {
            when: r.when,
            wait_ms,
            retry_after: r.retry_after,
            fallback_ms,
            backoff_ms,
            long_wait: r.long_wait,
        })
    }

    /// An app code picks one entry: among the entries told apart by code alone, each
    /// code appears once. (Entries with `type` or `message_contains` are matched on
    /// all their conditions, so they may share a code with others.)
    fn unique_codes(&mut self, vs: &[(Variant, bool)], paths: &[Vec<Seg>]) {
        let mut first: BTreeMap<&str, usize> = BTreeMap::new();
        for (i, (v, _)) in vs.iter().enumerate().filter(|(_, (v, _))| !v.is_matcher()) {
            let key = v.codes_key;
            for code in &v.codes {
                if let Some(&j) = first.get(code.as_str()) {
                    let at = self.at(&paths[j]);
                    self.error(
                        &with(&paths[i], key),
                        format!("app code `{}` is listed twice in this API (first {at}); remove one, or tell the entries apart with `type:` or `message_contains:`", code.escape_debug()),
                    );
                } else {
                    first.insert(code, i);
                }
            }
        }
    }

    /// Two entries with the same status and the same conditions: the second could
    /// never be chosen.
    fn unique_matchers(&mut self, vs: &[(Variant, bool)], paths: &[Vec<Seg>]) {
        // (entry, (status, sorted codes, type, message text))
        type Conditions<'v> = (u16, Vec<&'v str>, Option<&'v str>, Option<&'v str>);
        let mut seen: Vec<(usize, Conditions)> = Vec::new();
        for (i, (v, _)) in vs.iter().enumerate().filter(|(_, (v, _))| v.is_matcher()) {
            let mut codes: Vec<&str> = v.codes.iter().map(String::as_str).collect();
            codes.sort_unstable();
            let key = (
                v.status,
                codes,
                v.error_type.as_deref(),
                v.message_contains.as_deref(),
            );
            match seen.iter().find(|(_, k)| *k == key) {
                Some(&(j, _)) => {
                    let at = self.at(&paths[j]);
                    self.error(
                        &paths[i],
                        format!("this entry has the same status and conditions as the one {at}, so it could never be chosen; tell them apart or remove one"),
                    );
                }
                None => seen.push((i, key)),
            }
        }
    }

    fn unique_names(&mut self, vs: &[(Variant, bool)], paths: &[Vec<Seg>]) {
        let mut first: BTreeMap<&str, usize> = BTreeMap::new();
        for (i, (v, _)) in vs.iter().enumerate() {
            if let Some(&j) = first.get(v.name.as_str()) {
                let other = &vs[j].0;
                let dup_code = v.code.is_some() && other.code == v.code;
                let dup_status =
                    v.code.is_none() && other.code.is_none() && other.status == v.status;
                if dup_code || dup_status {
                    continue; // reported as a duplicate code or status instead
                }
                let at = self.at(&paths[j]);
                self.error(
                    &paths[i],
                    format!(
                        "this entry and the one {at} both make the variant `{}`; give one of them a different `name: ...`",
                        v.name
                    ),
                );
            } else {
                first.insert(&v.name, i);
            }
        }
    }

    fn status_map(&mut self, vs: &[(Variant, bool)], paths: &[Vec<Seg>]) -> Vec<(u16, usize)> {
        let mut groups: BTreeMap<u16, Vec<usize>> = BTreeMap::new();
        for (i, (v, _)) in vs.iter().enumerate() {
            groups.entry(v.status).or_default().push(i);
        }
        let mut map = Vec::new();
        for (status, group) in groups {
            let primaries: Vec<usize> = group.iter().copied().filter(|&i| vs[i].1).collect();
            if group.len() == 1 {
                if let Some(&i) = primaries.first() {
                    self.error(
                        &with(&paths[i], "primary"),
                        format!("`primary` only matters when several entries share a status, and no other entry has status {status}; remove it"),
                    );
                }
                map.push((status, group[0]));
                continue;
            }
            // Entries with no condition at all: only the status tells them apart.
            let codeless: Vec<usize> = group
                .iter()
                .copied()
                .filter(|&i| vs[i].0.codes.is_empty() && !vs[i].0.is_matcher())
                .collect();
            if codeless.len() > 1 {
                let at = self.at(&paths[codeless[0]]);
                for &i in &codeless[1..] {
                    self.error(
                        &with(&paths[i], "status"),
                        format!("status {status} is listed twice in this API (first {at}); remove one, or tell them apart with `code:`, `type:` or `message_contains:`"),
                    );
                }
                continue;
            }
            match primaries.as_slice() {
                [one] => map.push((status, *one)),
                [] => {
                    let sharing = group
                        .iter()
                        .map(|&i| format!("`{}` ({})", vs[i].0.name, self.at(&paths[i])))
                        .collect::<Vec<_>>()
                        .join(", ");
                    self.error(
                        &with(&paths[group[0]], "status"),
                        format!("`from_status({status})` is ambiguous: {sharing} share status {status}; mark the one it should return with `primary: true`"),
                    );
                }
                [_, rest @ ..] => {
                    for &i in rest {
                        self.error(
                            &with(&paths[i], "primary"),
                            format!("several entries with status {status} are `primary: true`; keep it on one"),
                        );
                    }
                }
            }
        }
        map
    }

    fn body(&mut self, b: &Body, path: &[Seg]) -> Option<BodyModel> {
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

/// `30s`, `500ms`, `2m`, `1h` -> milliseconds.
pub fn parse_duration_ms(text: &str) -> Result<u64, String> {
    let bad = || {
        format!("`wait: {text}` is not a duration; write a whole number with a unit: `500ms`, `30s`, `2m` or `1h`")
    };
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?;
    let (num, unit) = t.split_at(split);
    let n: u64 = num.parse().map_err(|_| bad())?;
    let scale = match unit.trim() {
        "ms" => 1,
        "s" => 1_000,
        "m" => 60_000,
        "h" => 3_600_000,
        _ => return Err(bad()),
    };
    match n.checked_mul(scale) {
        Some(0) => Err(format!(
            "`wait: {text}` is zero; a fixed wait must be longer than nothing (or remove `wait`)"
        )),
        Some(ms) => Ok(ms),
        None => Err(format!("`wait: {text}` is too long")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::load;

    fn check(src: &str, api: Option<&str>) -> Result<Model, Failure> {
        let (spec, tree) = load(src).expect("loads");
        validate(&spec, api, &tree)
    }

    fn messages(src: &str) -> Vec<String> {
        let f = check(src, None).unwrap_err();
        f.spec
            .iter()
            .map(|d| {
                format!(
                    "{}: {}",
                    d.pos.map_or("?".into(), |p| p.to_string()),
                    d.message
                )
            })
            .collect()
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration_ms("30s"), Ok(30_000));
        assert_eq!(parse_duration_ms("500ms"), Ok(500));
        assert_eq!(parse_duration_ms("2m"), Ok(120_000));
        assert!(parse_duration_ms("30").is_err());
        assert!(parse_duration_ms("0s").is_err());
        assert!(parse_duration_ms("s").is_err());
        assert!(parse_duration_ms("99999999999999999999h").is_err());
        assert!(parse_duration_ms("-3s").is_err());
    }

    #[test]
    fn reports_every_problem_with_positions() {
        let src = "vendor: V\napis:\n  a:\n    title: A\n    errors:\n      - status: 1000\n        meaning: x\n      - status: 400\n        name: type\n        meaning: y\n      - status: 429\n        meaning: z\n        retry: { when: never, wait: 30s }\n";
        let m = messages(src);
        assert_eq!(m.len(), 3, "{m:#?}");
        assert!(
            m[0].starts_with("6:17: status 1000 is outside 100-999"),
            "{m:#?}"
        );
        assert!(
            m[1].starts_with("9:15: invalid `name`: `type` is a Rust keyword"),
            "{m:#?}"
        );
        assert!(
            m[2].starts_with("13:37: a `wait` contradicts `when: never`"),
            "{m:#?}"
        );
    }

    #[test]
    fn shared_status_needs_exactly_one_primary() {
        let base = "vendor: V\napis:\n  a:\n    title: A\n    errors:\n      - {status: 400, code: one, meaning: x}\n      - {status: 400, code: two, meaning: y";
        let m = messages(&format!("{base}}}\n"));
        assert!(
            m[0].contains("`from_status(400)` is ambiguous: `One` (at 6:9), `Two` (at 7:9)"),
            "{m:#?}"
        );
        let ok = check(&format!("{base}, primary: true}}\n"), None).unwrap();
        assert_eq!(ok.by_status, vec![(400, 1)]);
    }

    #[test]
    fn duplicates_name_the_first_position() {
        let src = "vendor: V\napis:\n  a:\n    title: A\n    errors:\n      - {status: 400, meaning: x}\n      - {status: 400, meaning: y}\n      - {status: 401, code: c, meaning: y}\n      - {status: 402, code: c, meaning: y}\n";
        let m = messages(src);
        assert!(
            m.iter()
                .any(|s| s.contains("status 400 is listed twice in this API (first at 6:9)")),
            "{m:#?}"
        );
        assert!(
            m.iter()
                .any(|s| s.contains("app code `c` is listed twice in this API (first at 8:9)")),
            "{m:#?}"
        );
    }

    #[test]
    fn a_one_item_codes_list_is_located_at_its_key() {
        let src = "vendor: V\napis:\n  a:\n    title: A\n    errors:\n      - status: 400\n        code: dup\n        meaning: x\n      - status: 401\n        meaning: y\n        codes: [dup]\n";
        let m = messages(src);
        assert!(
            m[0].starts_with("11:16: app code `dup` is listed twice"),
            "{m:#?}"
        );
    }

    #[test]
    fn api_selection() {
        let src = "vendor: V\napis:\n  a: {title: A, errors: [{status: 400, meaning: x}]}\n  b: {title: B, errors: [{status: 404, meaning: y}]}\n";
        assert_eq!(check(src, Some("b")).unwrap().variants[0].name, "NotFound");
        let e = check(src, None).unwrap_err().api.unwrap();
        assert!(e.contains("2 APIs (`a`, `b`)"), "{e}");
        let e = check(src, Some("c")).unwrap_err().api.unwrap();
        assert!(
            e.contains("unknown api `c`: this spec describes `a`, `b`"),
            "{e}"
        );
    }
}
