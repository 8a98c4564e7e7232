//! Semantic checks on a loaded spec, producing the typed [`Model`].
//!
//! Every problem is collected (not just the first) and located in the spec text.

use std::collections::BTreeMap;

use crate::model::{BodyModel, Hint, Model, TransportModel, Variant, WaitFromModel};
use crate::names;
use crate::spec::{Api, Diagnostic, Entry, Pos, Retry, Seg, Shared, Spec, Tree, When};

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
    // Spec-wide settings: checked once, used by every API that does not override them.
    let spec_shared = cx.shared(&spec.shared, &path, &Checked::default());
    let spec_ceiling = spec_shared.ceiling();
    let transport = spec.transport.as_ref().and_then(|t| {
        let p = vec![Seg::Key("transport".into())];
        cx.nonempty(&t.meaning, &p, "meaning");
        let before = cx.out.len();
        let mut rule = |r: &Option<Retry>, key: &str| {
            r.as_ref()
                .and_then(|r| cx.retry(r, &with(&p, key), spec_ceiling))
        };
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
    if spec.apis.0.is_empty() {
        cx.error(
            &[Seg::Key("apis".into())],
            "`apis` is empty; describe at least one API".into(),
        );
    }
    let mut models = Vec::new();
    for (key, a) in &spec.apis.0 {
        let p = vec![Seg::Key("apis".into()), Seg::Key(key.clone())];
        let shared = cx.shared(&a.shared, &p, &spec_shared);
        let resolved = cx.api(a, &p, shared.body.known(), shared.ceiling());
        models.push((key, a, shared, resolved));
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
            let (key, a, shared, resolved) = models.swap_remove(i);
            let (variants, (by_status, by_range)) = resolved.expect("no problems were reported");
            let Checked {
                body,
                waits: Some(waits),
                should_retry: Some(should_retry_header),
                success: Some(errors_in_success),
                partial: Some(partial_success),
                max_wait: Some(max_wait_ms),
                client: Some(client),
                limits: Some(limits),
                batch: Some(batch),
            } = shared
            else {
                unreachable!("no problems were reported")
            };
            let mut body = match body {
                CheckedBody::Is(b) => b,
                CheckedBody::Invalid => unreachable!("no problems were reported"),
            };
            // A body wait source is read by the body decoder: give it the path.
            if let (Some(BodyModel::Object(f)), Some(ws)) = (&mut body, &waits) {
                f.wait = ws.iter().find_map(|w| match &w.from {
                    WaitFromModel::Body(steps) => Some(steps.clone()),
                    WaitFromModel::Header(_) | WaitFromModel::Until { .. } => None,
                });
            }
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
                partial_success,
                max_wait_ms,
                client,
                limits,
                batch,
                variants,
                by_status,
                by_range,
            })
        }
        (chosen, _) => Err(Failure {
            spec: cx.out,
            api: chosen.err(),
        }),
    }
}

/// A body rule, checked: the member path's steps and the value.
pub type CheckedRule = (Vec<String>, Option<String>);

/// The [`Shared`] settings, checked (`None` where the setting has problems, already
/// reported); an API's are its own where it gives them, else the spec's.
#[derive(Clone)]
struct Checked {
    body: CheckedBody,
    waits: Option<Option<Vec<crate::model::WaitModel>>>,
    should_retry: Option<Option<String>>,
    success: Option<Vec<CheckedRule>>,
    partial: Option<Vec<CheckedRule>>,
    /// The vendor's ceiling on single waits, in milliseconds.
    max_wait: Option<Option<u64>>,
    /// The vendor's SDK's retry defaults.
    client: Option<Option<crate::model::ClientModel>>,
    /// The vendor's limits.
    limits: Option<Option<crate::model::LimitsModel>>,
    /// Where a batch response holds its items' responses.
    batch: Option<Option<crate::model::BatchModel>>,
}

impl Default for Checked {
    /// What a spec that sets nothing has.
    fn default() -> Self {
        Checked {
            body: CheckedBody::Is(None),
            waits: Some(None),
            should_retry: Some(None),
            success: Some(Vec::new()),
            partial: Some(Vec::new()),
            max_wait: Some(None),
            client: Some(None),
            limits: Some(None),
            batch: Some(None),
        }
    }
}

impl Checked {
    /// The longest single wait a retry policy allows by default (in ms): the
    /// vendor's `max_wait:`, else the runtime's 60 s.
    fn ceiling(&self) -> u64 {
        self.max_wait
            .flatten()
            .unwrap_or(crate::model::DEFAULT_MAX_WAIT_MS)
    }
}

/// A body shape, checked.
#[derive(Clone)]
enum CheckedBody {
    /// Declared and valid, or not declared (`None`).
    Is(Option<BodyModel>),
    /// Declared, but with errors of its own (already reported).
    Invalid,
}

impl CheckedBody {
    fn known(&self) -> KnownBody<'_> {
        match self {
            CheckedBody::Is(b) => KnownBody::Is(b.as_ref()),
            CheckedBody::Invalid => KnownBody::Invalid,
        }
    }
}

impl Cx<'_> {
    /// Checks the settings `own` gives at `path`; those it does not give are
    /// `inherited`.
    fn shared(&mut self, own: &Shared, path: &[Seg], inherited: &Checked) -> Checked {
        let body = match &own.body {
            Some(b) => match self.body(b, &with(path, "body")) {
                Some(model) => CheckedBody::Is(Some(model)),
                None => CheckedBody::Invalid,
            },
            None => inherited.body.clone(),
        };
        let waits = match &own.waits {
            Some(w) => self.waits(w, &with(path, "waits"), body.known()),
            None => inherited.waits.clone(),
        };
        let should_retry = match &own.should_retry_header {
            Some(h) => self.header_name(h, &with(path, "should_retry_header")),
            None => inherited.should_retry.clone(),
        };
        let success = match &own.errors_in_success {
            Some(r) => self.success_rules(r, &with(path, "errors_in_success")),
            None => inherited.success.clone(),
        };
        let partial = match &own.partial_success {
            Some(r) => {
                let p = with(path, "partial_success");
                let checked = self.success_rules(r, &p);
                if success.as_ref().is_some_and(Vec::is_empty) {
                    self.error(&p, "`partial_success` says when an error inside a 2xx took effect, and this API has no `errors_in_success` rules to find one; add them, or remove `partial_success`".into());
                }
                checked
            }
            None => inherited.partial.clone(),
        };
        let max_wait = match &own.max_wait {
            Some(text) => match parse_duration_ms(text) {
                Ok(ms) => Some(Some(ms)),
                Err(m) => {
                    self.error(
                        &with(path, "max_wait"),
                        m.replacen("`wait:", "`max_wait:", 1),
                    );
                    None
                }
            },
            None => inherited.max_wait,
        };
        // A boundary the clock computes may be a whole period away: the default
        // policy must allow that long a wait, or the retry would give up instead.
        if let (Some(ws), Some(Some(Some(models)))) = (&own.waits, Some(&waits)) {
            let ceiling = max_wait
                .flatten()
                .unwrap_or(crate::model::DEFAULT_MAX_WAIT_MS);
            for (i, m) in models.iter().enumerate() {
                if let crate::model::WaitFromModel::Until { every_ms, .. } = m.from {
                    if every_ms > ceiling {
                        let every = ws
                            .get(i)
                            .and_then(|w| w.until.as_ref())
                            .map_or(String::new(), |(e, _)| e.trim().to_string());
                        let mut at = with(path, "waits");
                        at.push(Seg::Index(i));
                        self.error(
                            &with(&with(&at, "until"), "every"),
                            format!("this boundary may be up to {every} away, above the longest single wait a retry policy allows by default for this API ({}), so the retry would give up instead; if the vendor's waits are this long, say so with `max_wait: {every}` (for the spec or this API)", duration_text(ceiling)),
                        );
                    }
                }
            }
        }
        let client = match &own.client {
            Some(c) => self.client(c, &with(path, "client")).map(Some),
            None => inherited.client.clone(),
        };
        let limits = match &own.limits {
            Some(l) => self.limits(l, &with(path, "limits")).map(Some),
            None => inherited.limits.clone(),
        };
        let batch = match &own.batch {
            Some(b) => self.batch(b, &with(path, "batch")).map(Some),
            None => inherited.batch.clone(),
        };
        Checked {
            body,
            waits,
            should_retry,
            success,
            partial,
            max_wait,
            client,
            limits,
            batch,
        }
    }

    /// `batch:`, checked at `path`: every place a member path (`items` may be `""`,
    /// the body itself).
    fn batch(&mut self, b: &crate::spec::Batch, path: &[Seg]) -> Option<crate::model::BatchModel> {
        let before = self.out.len();
        let place = |cx: &mut Self, key: &str, text: &str| -> Vec<String> {
            if text.is_empty() {
                if key != "items" {
                    let why = format!("`{key}` is empty; write the path from an item to its {key}");
                    cx.error(&with(path, key), why);
                }
                return Vec::new();
            }
            match crate::validate::response::member_path(text) {
                Ok(steps) => steps,
                Err(why) => {
                    cx.error(
                        &with(path, key),
                        format!("`{key}: {}` {why}", text.escape_debug()),
                    );
                    Vec::new()
                }
            }
        };
        let items = place(self, "items", &b.items);
        let status = place(self, "status", &b.status);
        let headers = b.headers.as_deref().map(|t| place(self, "headers", t));
        let body = b.body.as_deref().map(|t| place(self, "body", t));
        let id = b.id.as_deref().map(|t| place(self, "id", t));
        let max_items = b.max_items.and_then(|n| match u32::try_from(n) {
            Ok(n) if n >= 1 => Some(n),
            _ => {
                self.error(
                    &with(path, "max_items"),
                    format!("`max_items: {n}` is not a number of requests; write 1 or more (the most requests one batch may hold)"),
                );
                None
            }
        });
        (self.out.len() == before).then_some(crate::model::BatchModel {
            items,
            status,
            headers,
            body,
            id,
            max_items,
        })
    }

    /// `limits:`, checked at `path`.
    fn limits(
        &mut self,
        l: &crate::spec::Limits,
        path: &[Seg],
    ) -> Option<crate::model::LimitsModel> {
        use crate::model::{LimitsModel, RateHeadersModel, RateKind, RateModel};
        let before = self.out.len();
        let mut rates = Vec::new();
        for (i, r) in l.rates.iter().enumerate() {
            let mut at = with(path, "rates");
            at.push(Seg::Index(i));
            let kind = if let Some(text) = &r.limit {
                match parse_rate(text) {
                    Ok((count, window_ms)) => Some(RateKind::Count { count, window_ms }),
                    Err(why) => {
                        self.error(&with(&at, "limit"), why);
                        None
                    }
                }
            } else if let Some(text) = &r.interval {
                match parse_duration_ms(text) {
                    Ok(ms) => Some(RateKind::Interval { ms }),
                    Err(m) => {
                        self.error(
                            &with(&at, "interval"),
                            m.replacen("`wait:", "`interval:", 1),
                        );
                        None
                    }
                }
            } else if let Some(n) = r.concurrency {
                match u32::try_from(n) {
                    Ok(n @ 1..=10_000) => Some(RateKind::Concurrency(n)),
                    _ => {
                        self.error(
                            &with(&at, "concurrency"),
                            format!("`concurrency: {n}` is not a number of requests in flight; write 1 to 10000"),
                        );
                        None
                    }
                }
            } else {
                None // reported when read
            };
            if let Some(kind) = kind {
                rates.push(RateModel {
                    kind,
                    per: r.per,
                    requests: r.requests,
                });
            }
        }
        if l.rates.len() > 16 {
            self.error(
                &with(path, "rates"),
                format!(
                    "`rates` lists {} limits; at most 16 are kept",
                    l.rates.len()
                ),
            );
        }
        let headers = l.headers.as_ref().and_then(|h| {
            let at = with(path, "headers");
            let mut name = |n: &Option<String>, key: &str| -> Option<Option<String>> {
                match n {
                    None => Some(None),
                    Some(n) => self.header_name(n, &with(&at, key)),
                }
            };
            let remaining = name(&h.remaining, "remaining");
            let limit = name(&h.limit, "limit");
            let bucket = name(&h.bucket, "bucket");
            let used = name(&h.used, "used");
            let ietf = name(&h.ietf, "ietf");
            let reset = match &h.reset {
                None => Some(None),
                Some((n, f)) => self
                    .header_name(n, &with(&with(&at, "reset"), "header"))
                    .map(|n| n.map(|n| (n, *f))),
            };
            let global = match &h.global {
                None => Some(None),
                Some((n, v)) => self
                    .header_name(n, &with(&with(&at, "global"), "header"))
                    .map(|n| n.map(|n| (n, v.clone()))),
            };
            let m = RateHeadersModel {
                remaining: remaining?,
                limit: limit?,
                reset: reset?,
                bucket: bucket?,
                global: global?,
                used: used?,
                ietf: ietf?,
                continuous: h.continuous,
            };
            let named = RateHeadersModel {
                continuous: false,
                ..m.clone()
            };
            if named == RateHeadersModel::default() {
                self.error(&at, "`headers` names no header; give `remaining`, `reset`, `ietf`, `used`, `bucket` or `global`".into());
            }
            Some(m)
        });
        (self.out.len() == before).then_some(LimitsModel { rates, headers })
    }

    /// `client:`, checked at `path`.
    fn client(
        &mut self,
        c: &crate::spec::Client,
        path: &[Seg],
    ) -> Option<crate::model::ClientModel> {
        use crate::model::{ClientModel, JitterModel};
        let before = self.out.len();
        let attempts = c.attempts.and_then(|n| match u32::try_from(n) {
            Ok(n @ 1..=100) => Some(n),
            _ => {
                self.error(
                    &with(path, "attempts"),
                    format!("`attempts: {n}` is not a number of attempts; write 1 to 100 (attempts in all, the first included)"),
                );
                None
            }
        });
        let mut duration = |key: &str, text: &Option<String>, at: &[Seg]| -> Option<u64> {
            let t = text.as_ref()?;
            match parse_duration_ms(t) {
                Ok(ms) => Some(ms),
                Err(m) => {
                    self.error(&with(at, key), m.replacen("`wait:", &format!("`{key}:"), 1));
                    None
                }
            }
        };
        let min_delay_ms = duration("min_delay", &c.min_delay, path);
        let max_wait_ms = duration("max_wait", &c.max_wait, path);
        let backoff_ms = match &c.backoff {
            None => None,
            Some((base, cap)) => {
                let at = with(path, "backoff");
                let base_ms = duration("base", &Some(base.clone()), &at);
                let cap_ms = duration("cap", &Some(cap.clone()), &at);
                match (base_ms, cap_ms) {
                    (Some(b), Some(c)) if c < b => {
                        self.error(
                            &with(&at, "cap"),
                            format!("the backoff `cap` ({cap}) is below its `base` ({base}); the cap bounds the growing delays, so write it at least as long"),
                        );
                        None
                    }
                    (Some(b), Some(c)) => Some((b, c)),
                    _ => None,
                }
            }
        };
        let jitter = match c.jitter {
            None => None,
            Some(crate::spec::ClientJitter::Word(i)) => Some(JitterModel::Word(i)),
            Some(crate::spec::ClientJitter::Factor(low, high)) => {
                let at = with(&with(path, "jitter"), "factor");
                let ok = |f: i64| u64::try_from(f).ok().filter(|&f| f <= 1_000_000_000);
                match (ok(low), ok(high)) {
                    (Some(l), Some(h)) if l <= h => Some(JitterModel::Factor(l, h)),
                    (Some(_), Some(_)) => {
                        self.error(&at, "the factor range runs backwards; write the low end first (`[0.5, 1.0]`)".into());
                        None
                    }
                    _ => {
                        self.error(&at, "a jitter factor is between 0 and 1000 (`[0.5, 1.0]`: half to all of each delay)".into());
                        None
                    }
                }
            }
        };
        (self.out.len() == before).then(|| ClientModel {
            sdk: c.sdk.clone(),
            attempts,
            backoff_ms,
            jitter,
            min_delay_ms,
            max_wait_ms,
            long_wait: c.long_wait,
        })
    }
}

/// What the macro emits beside the errors of a spec that has problems, so that the
/// spec's errors are the only ones: a model with the entries of the chosen API (or
/// the first) that make a sound variant on their own (a valid, unique name and a
/// status), each on its status's class default, and nothing else. `spec` is `None`
/// when the file could not be read as a spec at all (then the model is empty: the
/// enum gets only `Unknown` and the generated methods).
pub fn fallback(spec: Option<&Spec>, api: Option<&str>) -> Model {
    let chosen = spec.and_then(|s| match api {
        Some(want) => s.apis.0.iter().find(|(k, _)| k == want),
        None => s.apis.0.first(),
    });
    let mut variants: Vec<Variant> = Vec::new();
    let mut by_status: BTreeMap<u16, (usize, bool)> = BTreeMap::new();
    for e in chosen.map_or(&[][..], |(_, a)| &a.errors[..]) {
        let Some(status) = u16::try_from(e.status)
            .ok()
            .filter(|s| (100..=999).contains(s))
        else {
            continue;
        };
        let name = e
            .name
            .clone()
            .or_else(|| e.code.as_deref().and_then(names::code_variant))
            .or_else(|| e.error_type.as_deref().and_then(names::code_variant))
            .or_else(|| names::reason_variant(status).map(str::to_string));
        let Some(name) = name.filter(|n| {
            names::check_variant_name(n).is_ok()
                && names::problem(n).is_none()
                && variants.iter().all(|v| v.name != *n)
        }) else {
            continue;
        };
        let index = variants.len();
        match by_status.get(&status) {
            Some((_, true)) => {}
            Some((_, false)) if !e.primary => {}
            _ => {
                by_status.insert(status, (index, e.primary));
            }
        }
        variants.push(Variant {
            name,
            status,
            statuses: vec![(status, status)],
            headers: Vec::new(),
            shared_code: false,
            code: None,
            codes: Vec::new(),
            codes_key: "code",
            error_type: None,
            message_contains: None,
            title: None,
            meaning: e.meaning.clone(),
            advice: None,
            retry: None,
        });
    }
    Model {
        vendor: spec.map(|s| s.vendor.clone()).unwrap_or_default(),
        source: None,
        api: chosen.map(|(k, _)| k.clone()).unwrap_or_default(),
        api_title: chosen.map(|(_, a)| a.title.clone()).unwrap_or_default(),
        body: None,
        transport: None,
        waits: None,
        should_retry_header: None,
        errors_in_success: Vec::new(),
        partial_success: Vec::new(),
        max_wait_ms: None,
        client: None,
        limits: None,
        batch: None,
        variants,
        by_status: by_status.into_iter().map(|(s, (i, _))| (s, i)).collect(),
        by_range: Vec::new(),
    }
}

fn with(path: &[Seg], key: &str) -> Vec<Seg> {
    let mut p = path.to_vec();
    p.push(Seg::Key(key.into()));
    p
}

mod response;

pub use response::{is_header_name, member_path, pointer};

type Resolved = (Vec<Variant>, StatusMap);

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

    fn api(&mut self, api: &Api, path: &[Seg], body: KnownBody, ceiling: u64) -> Option<Resolved> {
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
            if let Some(v) = self.entry(e, &p, body, ceiling) {
                variants.push((v, e.primary));
                paths.push(p);
            }
        }
        self.unique_codes(&mut variants, &paths);
        self.unique_matchers(&variants, &paths);
        self.unique_names(&variants, &paths);
        let whole = variants.len() == api.errors.len();
        let by_status = self.status_map(&variants, &paths, whole);
        (self.out.len() == before && variants.len() == api.errors.len())
            .then(|| (variants.into_iter().map(|(v, _)| v).collect(), by_status))
    }

    fn entry(&mut self, e: &Entry, path: &[Seg], body: KnownBody, ceiling: u64) -> Option<Variant> {
        let before = self.out.len();
        let statuses = self.statuses(e, path);
        let status = statuses.first().map_or(0, |r| r.0);
        for (i, (h, _)) in e.headers.iter().enumerate() {
            let at = if e.headers.len() > 1 {
                let mut p = with(path, "header");
                p.push(Seg::Index(i));
                p
            } else {
                with(path, "header")
            };
            if self.header_name(h, &with(&at, "name")).is_none() {
                // reported
            } else if e.headers[..i]
                .iter()
                .any(|(o, _)| o.eq_ignore_ascii_case(h))
            {
                self.error(
                    &at,
                    format!(
                        "header `{}` has two conditions in this entry; keep one",
                        h.escape_debug()
                    ),
                );
            }
        }
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
            Some(r) => self.retry(r, &with(path, "retry"), ceiling),
            None => None,
        };
        if e.retry.is_none() && !statuses.is_empty() {
            // Without guidance an entry takes its status's class default; one
            // default must hold for every status it stands for.
            let default = |s: u16| crate::model::RETRIED_BY_DEFAULT.contains(&s);
            let first = default(status);
            let odd = statuses
                .iter()
                .flat_map(|&(lo, hi)| lo..=hi)
                .find(|&s| default(s) != first);
            if let Some(odd) = odd {
                let (yes, no) = if first { (status, odd) } else { (odd, status) };
                self.error(
                    &with(path, "status"),
                    format!("this entry stands for statuses whose class defaults differ ({yes} is retried by default, {no} is not); say what the vendor advises with `retry:`"),
                );
            }
        }
        if self.out.len() > before {
            return None;
        }
        Some(Variant {
            name: name?,
            status,
            statuses,
            headers: e.headers.clone(),
            shared_code: false,
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

    /// The entry's statuses, each checked (100-999, a range low to high), at the
    /// item it was written at.
    fn statuses(&mut self, e: &Entry, path: &[Seg]) -> Vec<(u16, u16)> {
        let mut out = Vec::with_capacity(e.statuses.len());
        for (i, &(lo, hi)) in e.statuses.iter().enumerate() {
            let mut at = with(path, "status");
            if e.status_list {
                at.push(Seg::Index(i));
            }
            let ok = |n: i64| u16::try_from(n).ok().filter(|s| (100..=999).contains(s));
            match (ok(lo), ok(hi)) {
                (Some(l), Some(h)) if l <= h => {
                    if let Some(&(pl, ph)) = out.iter().find(|&&(pl, ph)| l <= ph && pl <= h) {
                        self.error(
                            &at,
                            format!("status {} overlaps {} listed before it in this entry; list each status once", shown(l, h), shown(pl, ph)),
                        );
                    } else {
                        out.push((l, h));
                    }
                }
                (Some(l), Some(h)) => self.error(
                    &at,
                    format!("status range {l}-{h} runs backwards; write the low end first ({h}-{l})"),
                ),
                _ if lo == hi => self.error(
                    &at,
                    format!("status {lo} is outside 100-999; write the HTTP status code (three digits)"),
                ),
                _ => self.error(
                    &at,
                    format!("status range {lo}-{hi} is outside 100-999; write HTTP status codes (three digits)"),
                ),
            }
        }
        out
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

    /// Retry guidance, checked; `ceiling` is the longest single wait the retry
    /// policy allows by default for this API (its `max_wait:`, else 60 s).
    fn retry(&mut self, r: &Retry, path: &[Seg], ceiling: u64) -> Option<Hint> {
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
            let base = base
                .as_deref()
                .and_then(|b| duration(b, with(&backoff_path, "base"), "base"));
            // No cap: the schedule grows up to the longest wait the API allows.
            let cap = match cap {
                Some(c) => duration(c, with(&backoff_path, "cap"), "cap"),
                None => Some(ceiling),
            };
            // With a fallback, the schedule starts from it.
            Some((base.or(fallback_ms)?, cap?))
        });
        if let Some((base, _)) = &r.backoff {
            match (base, &r.fallback) {
                (None, None) => self.error(
                    &backoff_path,
                    "the `backoff` has no `base`: say where its schedule starts (`base: 1s`), or give a `fallback` to start from".into(),
                ),
                (Some(_), Some(_)) => self.error(
                    &with(&backoff_path, "base"),
                    "with a `fallback`, the entry's schedule starts from it (the fallback, then twice it, ... up to `cap`); remove `base`, or the `fallback`".into(),
                ),
                _ => {}
            }
        }
        // A wait the policy would refuse by default can never be honoured as written
        // (unless the entry says what happens then: `long_wait`).
        if r.long_wait.is_none() {
            let cap_text = r.backoff.as_ref().and_then(|(_, c)| c.as_deref());
            let over = [
                ("wait", wait_ms, r.wait.as_deref(), with(path, "wait")),
                (
                    "fallback",
                    fallback_ms,
                    r.fallback.as_deref(),
                    with(path, "fallback"),
                ),
                (
                    "cap",
                    backoff_ms.map(|(_, c)| c).filter(|_| cap_text.is_some()),
                    cap_text,
                    with(&backoff_path, "cap"),
                ),
            ];
            for (key, ms, text, at) in over {
                if let Some(ms) = ms.filter(|&ms| ms > ceiling) {
                    let shown = duration_text;
                    self.error(
                        &at,
                        format!("this `{key}` ({}) is above the longest single wait a retry policy allows by default for this API ({}), so the retry would give up instead; if the vendor's waits are this long, say so with `max_wait: {}` (for the spec or this API), or add `long_wait: cap`", shown(ms), shown(ceiling), text.unwrap_or_default().trim()),
                    );
                }
            }
        }
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
        if let Some((base, cap)) =
            backoff_ms.filter(|_| r.backoff.as_ref().is_some_and(|(_, c)| c.is_some()))
        {
            if cap < base {
                self.error(
                    &with(&backoff_path, "cap"),
                    "the backoff's `cap` is below where it starts (its `base`, or the `fallback`): the schedule would never grow; raise `cap`, or start lower".into(),
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
    /// A code identifies an entry told apart by code alone together with the
    /// status: two such entries may share a code only at different statuses (then
    /// both are matched on code and status).
    fn unique_codes(&mut self, vs: &mut [(Variant, bool)], paths: &[Vec<Seg>]) {
        let mut seen: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        let mut shared = Vec::new();
        for (i, (v, _)) in vs
            .iter()
            .enumerate()
            .filter(|(_, (v, _))| !v.has_conditions())
        {
            let key = v.codes_key;
            for code in &v.codes {
                let before = seen.entry(code.as_str()).or_default();
                let clash = before
                    .iter()
                    .copied()
                    .find_map(|j| overlap(&vs[j].0.statuses, &v.statuses).map(|s| (j, s)));
                if let Some((j, (lo, hi))) = clash {
                    let at = self.at(&paths[j]);
                    self.error(
                        &with(&paths[i], key),
                        format!("app code `{}` is listed twice in this API for status {} (first {at}); remove one, give the entries different statuses, or tell them apart with `type:`, `message_contains:` or `header:`", code.escape_debug(), shown(lo, hi)),
                    );
                } else {
                    if let Some(&j) = before.first() {
                        shared.extend([i, j]);
                    }
                    before.push(i);
                }
            }
        }
        for i in shared {
            vs[i].0.shared_code = true;
        }
    }

    /// Two entries with the same statuses and the same conditions: the second could
    /// never be chosen.
    fn unique_matchers(&mut self, vs: &[(Variant, bool)], paths: &[Vec<Seg>]) {
        // (entry, (statuses, sorted codes, type, message text, sorted headers))
        type Conditions<'v> = (
            Vec<(u16, u16)>,
            Vec<&'v str>,
            Option<&'v str>,
            Option<&'v str>,
            Vec<(String, Option<&'v str>)>,
        );
        let mut seen: Vec<(usize, Conditions)> = Vec::new();
        for (i, (v, _)) in vs.iter().enumerate().filter(|(_, (v, _))| v.is_matcher()) {
            let mut codes: Vec<&str> = v.codes.iter().map(String::as_str).collect();
            codes.sort_unstable();
            let mut statuses = v.statuses.clone();
            statuses.sort_unstable();
            let mut headers: Vec<(String, Option<&str>)> = v
                .headers
                .iter()
                .map(|(n, e)| (n.to_ascii_lowercase(), e.as_deref()))
                .collect();
            headers.sort_unstable();
            let key = (
                statuses,
                codes,
                v.error_type.as_deref(),
                v.message_contains.as_deref(),
                headers,
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
                let dup_code = v.code.is_some()
                    && other.code == v.code
                    && overlap(&v.statuses, &other.statuses).is_some();
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

    /// `from_status`: for each status an entry lists, and each range, the entry it
    /// returns. `whole`: every entry of the API passed its own checks (else a status
    /// that looks unshared may be shared with an entry that has problems of its own).
    /// Returns the statuses, ascending, and the ranges, narrowest first (a status's
    /// own entry wins over a range, and a narrower range over a wider one).
    fn status_map(&mut self, vs: &[(Variant, bool)], paths: &[Vec<Seg>], whole: bool) -> StatusMap {
        let mut groups: BTreeMap<(u16, u16), Vec<usize>> = BTreeMap::new();
        for (i, (v, _)) in vs.iter().enumerate() {
            for &r in &v.statuses {
                groups.entry(r).or_default().push(i);
            }
        }
        for (i, (_, primary)) in vs.iter().enumerate() {
            let shares = |i| groups.values().any(|g| g.len() > 1 && g.contains(&i));
            if *primary && whole && !shares(i) {
                let s = &vs[i].0.statuses;
                let what = match s.as_slice() {
                    [(lo, hi)] => format!("status {}", shown(*lo, *hi)),
                    _ => "its statuses".into(),
                };
                self.error(
                    &with(&paths[i], "primary"),
                    format!("`primary` only matters when several entries share a status, and no other entry has {what}; remove it"),
                );
            }
        }
        let (mut exact, mut ranges) = (Vec::new(), Vec::new());
        for ((lo, hi), group) in groups {
            let status = shown(lo, hi);
            let chosen = if group.len() == 1 {
                Some(group[0])
            } else {
                self.primary_of(vs, paths, &group, &status)
            };
            match chosen {
                Some(i) if lo == hi => exact.push((lo, i)),
                Some(i) => ranges.push(((lo, hi), i)),
                None => {}
            }
        }
        ranges.sort_by_key(|&((lo, hi), i)| (hi - lo, i));
        (exact, ranges)
    }

    /// The entry `from_status` returns among several that share `status`.
    fn primary_of(
        &mut self,
        vs: &[(Variant, bool)],
        paths: &[Vec<Seg>],
        group: &[usize],
        status: &str,
    ) -> Option<usize> {
        let primaries: Vec<usize> = group.iter().copied().filter(|&i| vs[i].1).collect();
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
                    format!("status {status} is listed twice in this API (first {at}); remove one, or tell them apart with `code:`, `type:`, `message_contains:` or `header:`"),
                );
            }
            return None;
        }
        match primaries.as_slice() {
            [one] => Some(*one),
            [] => {
                let sharing = group
                    .iter()
                    .map(|&i| format!("`{}` ({})", vs[i].0.name, self.at(&paths[i])))
                    .collect::<Vec<_>>()
                    .join(", ");
                self.error(
                    &with(&paths[group[0]], "status"),
                    format!("`from_status` is ambiguous for status {status}: {sharing} share it; mark the one it should return with `primary: true`"),
                );
                None
            }
            [_, rest @ ..] => {
                for &i in rest {
                    self.error(
                        &with(&paths[i], "primary"),
                        format!("several entries with status {status} are `primary: true`; keep it on one"),
                    );
                }
                None
            }
        }
    }
}

/// `from_status`'s tables: (status, entry) ascending, and (range, entry) narrowest
/// first.
type StatusMap = (Vec<(u16, usize)>, Vec<((u16, u16), usize)>);

use crate::model::status_text as shown;

/// Milliseconds as a person reads them: `30 s`, `2 min`, `1 h`, `250 ms`.
fn duration_text(ms: u64) -> String {
    match ms {
        ms if ms.is_multiple_of(3_600_000) && ms > 0 => format!("{} h", ms / 3_600_000),
        ms if ms.is_multiple_of(60_000) && ms > 0 => format!("{} min", ms / 60_000),
        ms if ms.is_multiple_of(1_000) => format!("{} s", ms / 1_000),
        ms => format!("{ms} ms"),
    }
}

/// The first range where two entries' statuses meet, if they do.
fn overlap(a: &[(u16, u16)], b: &[(u16, u16)]) -> Option<(u16, u16)> {
    a.iter().find_map(|&(al, ah)| {
        b.iter().find_map(|&(bl, bh)| {
            let (lo, hi) = (al.max(bl), ah.min(bh));
            (lo <= hi).then_some((lo, hi))
        })
    })
}

/// `10/s`, `1200/5m`, `30000/h`, `100/10s` -> (count, window in milliseconds).
pub fn parse_rate(text: &str) -> Result<(u64, u64), String> {
    let bad = || {
        format!(
            "`limit: {text}` is not a rate; write a count per window: `10/s`, `1200/5m`, `30000/h`"
        )
    };
    let (count, window) = text.trim().split_once('/').ok_or_else(bad)?;
    let count: u64 = match count.trim().parse() {
        Ok(n @ 1..=1_000_000_000) => n,
        _ => return Err(bad()),
    };
    let window = window.trim();
    let window = if window.starts_with(|c: char| c.is_ascii_digit()) {
        window.to_string()
    } else {
        format!("1{window}")
    };
    let ms = parse_duration_ms(&window).map_err(|_| bad())?;
    if ms > 366 * 24 * 3_600_000 {
        return Err(format!("`limit: {text}` has a window longer than a year"));
    }
    Ok((count, ms))
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
            m[0].contains(
                "`from_status` is ambiguous for status 400: `One` (at 6:9), `Two` (at 7:9)"
            ),
            "{m:#?}"
        );
        let ok = check(&format!("{base}, primary: true}}\n"), None).unwrap();
        assert_eq!(ok.by_status, vec![(400, 1)]);
    }

    #[test]
    fn duplicates_name_the_first_position() {
        let src = "vendor: V\napis:\n  a:\n    title: A\n    errors:\n      - {status: 400, meaning: x}\n      - {status: 400, meaning: y}\n      - {status: 401, code: c, meaning: y}\n      - {status: [402, 401], code: c, meaning: y}\n";
        let m = messages(src);
        assert!(
            m.iter()
                .any(|s| s.contains("status 400 is listed twice in this API (first at 6:9)")),
            "{m:#?}"
        );
        assert!(
            m.iter().any(|s| s.contains(
                "app code `c` is listed twice in this API for status 401 (first at 8:9)"
            )),
            "{m:#?}"
        );
    }

    const HEAD: &str = "vendor: V\napis:\n  a:\n    title: A\n    errors:\n";

    #[test]
    fn statuses_lists_classes_and_ranges() {
        let src = format!("{HEAD}      - {{status: [400, 412], code: FAILED_PRECONDITION, meaning: x}}\n      - {{status: 5xx, meaning: y, retry: backoff}}\n      - {{status: 502-504, meaning: z, retry: never, name: Gateway}}\n      - {{status: 503, meaning: w, retry: backoff}}\n");
        let m = check(&src, None).unwrap();
        assert_eq!(m.variants[0].statuses, vec![(400, 400), (412, 412)]);
        assert_eq!(m.variants[0].status, 400);
        assert!(
            m.variants[0].is_matcher(),
            "a code at several statuses is matched with them"
        );
        assert_eq!(m.variants[1].statuses, vec![(500, 599)]);
        assert_eq!(m.by_status, vec![(400, 0), (412, 0), (503, 3)]);
        // The narrower range first: 502-504 before 5xx.
        assert_eq!(m.by_range, vec![((502, 504), 2), ((500, 599), 1)]);
        assert_eq!(m.variants[1].statuses_text(), "5xx");
        assert_eq!(m.variants[0].statuses_text(), "400, 412");
    }

    #[test]
    fn status_problems_are_located_at_the_item() {
        let src = format!("{HEAD}      - status: [400, 1000, 450-440, 4xx]\n        meaning: x\n        retry: never\n      - {{status: [], meaning: y}}\n      - {{status: 9x, meaning: z}}\n");
        let m: Vec<String> = load(&src)
            .unwrap_err()
            .iter()
            .map(|d| format!("{}: {}", d.pos.unwrap(), d.message))
            .collect();
        let want = [
            "9:18: `status` is an empty list",
            "10:18: expected an HTTP status code such as `404`, a class such as `5xx`, or a range such as `500-504` here, found the text `9x`",
        ];
        for w in want {
            assert!(m.iter().any(|s| s.starts_with(w)), "{w}: {m:#?}");
        }
        // Items are checked after loading; each at its own place in the list.
        let src = format!("{HEAD}      - status: [400, 1000, 450-440, 4xx]\n        meaning: x\n        retry: never\n");
        let m = messages(&src);
        assert!(
            m.iter()
                .any(|s| s.starts_with("6:23: status 1000 is outside 100-999")),
            "{m:#?}"
        );
        assert!(
            m.iter()
                .any(|s| s.starts_with("6:29: status range 450-440 runs backwards")),
            "{m:#?}"
        );
        assert!(
            m.iter()
                .any(|s| s.starts_with("6:38: status 4xx overlaps 400")),
            "{m:#?}"
        );
    }

    #[test]
    fn a_range_without_guidance_must_not_mix_class_defaults() {
        let m = messages(&format!("{HEAD}      - {{status: 5xx, meaning: y}}\n"));
        assert!(
            m[0].contains(
                "500 is retried by default, 501 is not); say what the vendor advises with `retry:`"
            ),
            "{m:#?}"
        );
        // One class default throughout: fine.
        check(
            &format!("{HEAD}      - {{status: [502, 503], meaning: y}}\n"),
            None,
        )
        .unwrap();
    }

    #[test]
    fn one_code_at_several_statuses() {
        // Two entries may share a code at different statuses ...
        let src = format!("{HEAD}      - {{status: 400, code: AUTH, name: AuthBad, meaning: x}}\n      - {{status: 403, code: AUTH, name: AuthDenied, meaning: y}}\n");
        let m = check(&src, None).unwrap();
        assert!(m.variants.iter().all(|v| v.shared_code && v.is_matcher()));
        // ... not at one they both list.
        let src = format!("{HEAD}      - {{status: [400, 403], code: AUTH, name: AuthBad, meaning: x}}\n      - {{status: 403, code: AUTH, name: AuthDenied, meaning: y}}\n");
        let m = messages(&src);
        assert!(
            m.iter().any(|s| s.contains(
                "app code `AUTH` is listed twice in this API for status 403 (first at 6:9)"
            )),
            "{m:#?}"
        );
    }

    #[test]
    fn header_conditions() {
        let src = format!("{HEAD}      - {{status: 403, header: {{name: x-ratelimit-remaining, equals: \"0\"}}, name: RateLimited, meaning: x, retry: backoff}}\n      - {{status: 403, meaning: y, primary: true}}\n");
        let m = check(&src, None).unwrap();
        assert_eq!(
            m.variants[0].headers,
            vec![("x-ratelimit-remaining".into(), Some("0".into()))]
        );
        assert!(m.variants[0].is_matcher());
        assert_eq!(m.by_status, vec![(403, 1)]);
        let src = format!("{HEAD}      - status: 403\n        header: [{{name: \"a b\", equals: \"0\"}}, {{name: X, equals: \"1\"}}, {{name: x, equals: \"2\"}}]\n        meaning: x\n");
        let m = messages(&src);
        assert!(
            m.iter()
                .any(|s| s.contains("`a b` is not an HTTP header name")),
            "{m:#?}"
        );
        assert!(
            m.iter()
                .any(|s| s.contains("header `x` has two conditions in this entry")),
            "{m:#?}"
        );
        // The same conditions twice: the second could never be chosen.
        let src = format!("{HEAD}      - {{status: 403, header: {{name: A, equals: \"0\"}}, name: One, meaning: x}}\n      - {{status: 403, header: {{name: a, equals: \"0\"}}, name: Two, meaning: y}}\n");
        let m = messages(&src);
        assert!(
            m.iter().any(|s| s.contains("same status and conditions")),
            "{m:#?}"
        );
    }

    #[test]
    fn a_one_item_codes_list_is_located_at_its_key() {
        let src = "vendor: V\napis:\n  a:\n    title: A\n    errors:\n      - status: 400\n        code: dup\n        meaning: x\n      - status: 400\n        meaning: y\n        codes: [dup]\n";
        let m = messages(src);
        assert!(
            m.iter()
                .any(|m| m.starts_with("11:16: app code `dup` is listed twice")),
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
