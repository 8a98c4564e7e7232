//! The spec file's model, and [`load`]: text -> model, every problem located.
//!
//! YAML itself is read in `yaml.rs` (one parse, a tree of positioned nodes); this
//! module reads the model out of that tree. Every shape problem (an unknown key, a
//! wrong type, a missing key) is reported, not just the first, each at its node,
//! and validation later locates its own findings on the same tree: nothing is ever
//! parsed twice.

use crate::yaml::{resolve, Id, Kind, Plain};
pub use crate::yaml::{Diagnostic, Pos, Seg, Tree};

/// A whole spec file: one vendor, one or more APIs.
#[derive(Debug)]
pub struct Spec {
    /// The vendor's name, for docs and messages.
    pub vendor: String,
    /// Where the vendor documents these errors (a page title or address).
    pub source: Option<String>,
    /// What the vendor says of transport failures (timeouts, resets).
    pub transport: Option<Transport>,
    /// The settings every API has unless it gives its own.
    pub shared: Shared,
    /// The APIs, in file order.
    pub apis: Ordered<Api>,
}

/// The settings a spec gives for all its APIs, and an API may give again for
/// itself (its own replaces the spec's, key by key).
#[derive(Debug, Default)]
pub struct Shared {
    /// The error body shape.
    pub body: Option<Body>,
    /// Where the server states waits, in order (absent: `Retry-After`).
    pub waits: Option<Vec<Wait>>,
    /// A header whose `true`/`false` overrides the retry decision.
    pub should_retry_header: Option<String>,
    /// When a 2xx response is an error all the same.
    pub errors_in_success: Option<Vec<Rule>>,
    /// When such an error's body shows that the operation took effect all the same.
    pub partial_success: Option<Vec<Rule>>,
    /// The longest wait the vendor's own waits may reasonably reach (`max_wait: 1h`).
    pub max_wait: Option<String>,
    /// The vendor's SDK's retry defaults (`client:`).
    pub client: Option<Client>,
    /// The vendor's documented limits and rate-limit headers (`limits:`).
    pub limits: Option<Limits>,
    /// Where a batch response holds its items' responses (`batch:`).
    pub batch: Option<Batch>,
}

/// `batch:` as written: where a 2xx batch response lists its items' responses, and
/// where each item holds its status, headers, body and id (paths from the item).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Batch {
    pub items: String,
    pub status: String,
    pub headers: Option<String>,
    pub body: Option<String>,
    pub id: Option<String>,
    /// The most requests one batch may hold, where the vendor states it.
    pub max_items: Option<i64>,
}

/// `limits:` as written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Limits {
    /// `rates:` the documented limits.
    pub rates: Vec<Rate>,
    /// `headers:` where responses state the live state.
    pub headers: Option<RateHeaders>,
}

/// One documented limit, as written: exactly one of `limit`, `interval`,
/// `concurrency` (checked in validation).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rate {
    /// `limit: 10/s` (a count per window).
    pub limit: Option<String>,
    /// `interval: 1s` (at least this between requests).
    pub interval: Option<String>,
    /// `concurrency: 4` (at most this many in flight); kept wide.
    pub concurrency: Option<i64>,
    /// `per:` an index into [`PER_WORDS`].
    pub per: usize,
    /// `requests:` an index into [`REQUEST_WORDS`].
    pub requests: usize,
}

/// What a limit is counted per: the whole API key, a key the caller supplies (a
/// user or channel id), the route (method and path).
pub const PER_WORDS: &[&str] = &["api", "caller", "route"];
/// Which requests a limit counts.
pub const REQUEST_WORDS: &[&str] = &["all", "reads", "writes"];

/// `limits.headers:` as written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RateHeaders {
    pub remaining: Option<String>,
    pub limit: Option<String>,
    /// `reset: { header, format }` (a wait format index).
    pub reset: Option<(String, usize)>,
    pub bucket: Option<String>,
    /// `global: { header, equals }`: the limit this response reports holds every key.
    pub global: Option<(String, String)>,
    /// `used: header` with a compound `used/limit` value (`32/40`).
    pub used: Option<String>,
    /// `ietf: header`: an IETF `RateLimit` field (`r` remaining, `t` reset).
    pub ietf: Option<String>,
    /// `refill: continuous`: the reset is when the bucket is full again (a token
    /// bucket), not the end of a fixed window (`refill: window`, the default).
    pub continuous: bool,
}

/// `client:` the retry defaults a vendor's own SDK publishes, as written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Client {
    /// Which SDK says so (`stripe-python`), for the docs.
    pub sdk: Option<String>,
    /// Attempts in all, the first included (kept wide: checked later).
    pub attempts: Option<i64>,
    /// `backoff: { base, cap }`.
    pub backoff: Option<(String, String)>,
    /// `jitter:` a word of [`JITTER_WORDS`], or a factor range in millionths.
    pub jitter: Option<ClientJitter>,
    /// `min_delay:` no scheduled delay below this.
    pub min_delay: Option<String>,
    /// `max_wait:` the longest single wait the SDK makes.
    pub max_wait: Option<String>,
    /// `long_wait:` an index into [`LONG_WAIT_WORDS`].
    pub long_wait: Option<usize>,
}

/// `client.jitter`, as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientJitter {
    /// An index into [`JITTER_WORDS`].
    Word(usize),
    /// `{ factor: [low, high] }`, in millionths (unchecked).
    Factor(i64, i64),
}

/// The jitter kinds a `client:` section may name.
pub const JITTER_WORDS: &[&str] = &["none", "full", "equal", "decorrelated"];

/// The keys of [`Shared`], as a spec spells them.
pub const SHARED_KEYS: &[&str] = &[
    "body",
    "waits",
    "should_retry_header",
    "errors_in_success",
    "partial_success",
    "max_wait",
    "client",
    "limits",
    "batch",
];

/// A rule on a response body: the member at `body` is present (not null), or, with
/// `equals`, has that value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub body: String,
    pub equals: Option<String>,
}

/// One wait source as written (`waits:` items).
#[derive(Debug, Clone)]
pub struct Wait {
    /// `header: name`.
    pub header: Option<String>,
    /// `body: /path`.
    pub body: Option<String>,
    /// `format:`, an index into [`WAIT_FORMATS`].
    pub format: usize,
    /// `only_if: { header: name, equals: value }`.
    pub only_if: Option<(String, String)>,
    /// `as: minimum`: the value is a floor under the backoff schedule, not the wait.
    pub minimum: bool,
    /// `until: { every, offset }`: the next wall-clock boundary (durations as written).
    pub until: Option<(String, Option<String>)>,
    /// `policy:` the IETF `RateLimit` policy to read (format `ratelimit`).
    pub policy: Option<String>,
}

/// The wait formats, as a spec spells them.
pub const WAIT_FORMATS: &[&str] = &[
    "seconds",
    "milliseconds",
    "http",
    "epoch_seconds",
    "timestamp",
    "duration",
    "ratelimit",
];

/// The index of `ratelimit` in [`WAIT_FORMATS`].
pub const RATELIMIT_FORMAT: usize = 6;

/// One API of a vendor (Amplitude's "HTTP/Batch API", ...).
#[derive(Debug)]
pub struct Api {
    pub title: String,
    /// This API's own settings (each replaces the spec-wide one it names).
    pub shared: Shared,
    pub errors: Vec<Entry>,
}

/// One documented error.
#[derive(Debug)]
pub struct Entry {
    /// The first status the entry lists (the low end of a range): what `status()`
    /// returns. Kept wide so that a bad value is a located semantic error, not a
    /// type error.
    pub status: i64,
    /// Every status the entry stands for, as inclusive ranges in the order written
    /// (`404` is `(404, 404)`, `5xx` is `(500, 599)`, `500-504` is `(500, 504)`).
    pub statuses: Vec<(i64, i64)>,
    /// Whether `status:` was written as a list (to locate an item's problem).
    pub status_list: bool,
    /// `header:` conditions, all of which must hold: (name, value; `None`: present).
    pub headers: Vec<(String, Option<String>)>,
    /// `code: x`, or the first of `codes: [x, y]`.
    pub code: Option<String>,
    /// Every code of the entry (`code:` gives one, `codes:` several); empty: none.
    pub codes: Vec<String>,
    /// The key the codes were written under (`code` or `codes`), to locate them.
    pub codes_key: &'static str,
    /// `type:` the body's error type this entry is (needs `body.type`).
    pub error_type: Option<String>,
    /// `message_contains:` text the server's message must contain.
    pub message_contains: Option<String>,
    pub name: Option<String>,
    pub title: Option<String>,
    pub meaning: String,
    pub advice: Option<String>,
    pub retry: Option<Retry>,
    pub primary: bool,
}

/// Retry guidance as written: a shorthand word or a mapping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Retry {
    pub when: When,
    pub wait: Option<String>,
    pub retry_after: bool,
    /// `fallback:` the wait when the server states none.
    pub fallback: Option<String>,
    /// `backoff: { base, cap }` the entry's own schedule (`base` may be left out
    /// when a `fallback` starts it; `cap`, for the API's longest wait).
    pub backoff: Option<(Option<String>, Option<String>)>,
    /// `long_wait:` an index into [`LONG_WAIT_WORDS`].
    pub long_wait: Option<usize>,
}

/// What to do with a wait above the policy's maximum, as a spec spells it.
pub const LONG_WAIT_WORDS: &[&str] = &["give_up", "cap", "backoff"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    Never,
    Always,
    Idempotent,
    Reauthenticated,
}

const WHEN_WORDS: &[&str] = &["never", "always", "idempotent", "reauthenticated"];

const RETRY_WORDS: &[&str] = &[
    "never",
    "backoff",
    "retry_after",
    "reauthenticate",
    "idempotent",
];

/// The shape of the vendor's error body.
#[derive(Debug)]
pub struct Body {
    pub format: BodyFormat,
    /// `jsonapi`: the member that holds the error array (default `errors`).
    pub errors: Option<String>,
    /// `object`: the members that hold each datum.
    pub status: Option<String>,
    pub code: Option<String>,
    /// `type`: where the error's type is (a second identity beside the code).
    pub error_type: Option<String>,
    pub message: Option<String>,
    pub detail: Option<String>,
    pub request_id: Option<String>,
    pub trace_id: Option<String>,
    pub details: Option<String>,
    /// `extra:` further members by name, in file order: a body path or a header.
    pub extra: Vec<(String, Source)>,
    /// The further sources of `code`, `type`, `message`, `request_id` given as
    /// lists: (key, index in its list, source), in priority order per key.
    pub alternatives: Vec<(&'static str, usize, Source)>,
    /// `clean: { drop_from, keep_after }` for codes and types.
    pub clean: Option<(Option<String>, Option<String>)>,
}

/// Where a datum may be: a body path or a response header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Path(String),
    Header(String),
}

/// The members that may list several sources.
pub const LISTED_MEMBERS: &[&str] = &["code", "type", "message", "request_id"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyFormat {
    Object,
    Jsonapi,
    Problem,
}

/// Transport failures (no HTTP status at all).
#[derive(Debug)]
pub struct Transport {
    pub meaning: String,
    pub advice: Option<String>,
    /// For every kind of failure the spec does not give its own rule.
    pub retry: Option<Retry>,
    pub connect: Option<Retry>,
    pub timeout: Option<Retry>,
    pub reset: Option<Retry>,
}

/// A YAML mapping read in file order (its keys are unique).
#[derive(Debug)]
pub struct Ordered<T>(pub Vec<(String, T)>);

/// Parses spec text: YAML syntax, the limits and the model's shape. On failure,
/// every problem found, located.
pub fn load(source: &str) -> Result<(Spec, Tree), Vec<Diagnostic>> {
    let tree = crate::yaml::parse(source).map_err(|d| vec![d])?;
    let mut r = Reader {
        tree: &tree,
        problems: Vec::new(),
    };
    let spec = r.spec();
    match spec {
        Some(spec) if r.problems.is_empty() => Ok((spec, tree)),
        _ => Err(r.problems),
    }
}

/// Reads the model out of the tree, collecting problems instead of stopping.
struct Reader<'t> {
    tree: &'t Tree,
    problems: Vec<Diagnostic>,
}

/// A mapping's entries, by key text; unknown and repeated keys already reported.
struct Map<'t> {
    id: Id,
    entries: Vec<(&'t str, Id)>,
}

impl Map<'_> {
    fn get(&self, key: &str) -> Option<Id> {
        self.entries
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| *v)
    }
}

impl<'t> Reader<'t> {
    fn problem(&mut self, id: Id, message: String) {
        let pos = self.tree.node(id).pos;
        self.problems.push(Diagnostic::at(pos, message));
    }

    /// What a node is, for "expected ..., found ..." messages.
    fn found(&self, id: Id) -> String {
        match &self.tree.resolve(id).kind {
            Kind::Scalar(s) => match resolve(s) {
                Plain::Null => "nothing".into(),
                Plain::Bool(b) => format!("`{b}`"),
                Plain::Str(t) => format!("the text `{}`", short(t)),
                _ => format!("the number `{}`", short(&s.text)),
            },
            Kind::Seq(_) => "a list".into(),
            Kind::Map(_) => "a mapping".into(),
            Kind::Alias(_) => "an alias".into(),
        }
    }

    fn expected(&mut self, id: Id, what: &str) {
        let found = self.found(id);
        self.problem(id, format!("expected {what} here, found {found}"));
    }

    /// A mapping with only `allowed` keys (the others are reported, with a hint).
    fn map(&mut self, id: Id, what: &str, allowed: &[&str]) -> Option<Map<'t>> {
        let tree = self.tree;
        let Kind::Map(pairs) = &tree.resolve(id).kind else {
            self.expected(id, what);
            return None;
        };
        let mut entries: Vec<(&'t str, Id)> = Vec::with_capacity(pairs.len());
        for &(k, v) in pairs {
            let key = match &tree.resolve(k).kind {
                Kind::Scalar(s) => s.text.as_str(),
                _ => {
                    self.problem(
                        k,
                        format!("the keys of {what} are words, not lists or mappings"),
                    );
                    continue;
                }
            };
            if !allowed.is_empty() && !allowed.contains(&key) {
                let list = allowed
                    .iter()
                    .map(|a| format!("`{a}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let hint = crate::names::closest(key, allowed.iter().copied())
                    .map_or_else(String::new, |b| format!("; did you mean `{b}`?"));
                self.problem(
                    k,
                    format!(
                        "unknown field `{}`, expected one of {list}{hint}",
                        short(key)
                    ),
                );
                continue;
            }
            if entries.iter().any(|(e, _)| *e == key) {
                self.problem(
                    k,
                    format!("`{}` appears twice in {what}; keep one", short(key)),
                );
                continue;
            }
            entries.push((key, v));
        }
        Some(Map { id, entries })
    }

    /// Every item of the list at `id`, read with `item`: all are read (so every
    /// problem is reported), and the list is `Some` only if all of them are sound.
    fn each<T>(
        &mut self,
        id: Id,
        what: &str,
        mut item: impl FnMut(&mut Self, Id) -> Option<T>,
    ) -> Option<Vec<T>> {
        let tree = self.tree;
        let Kind::Seq(items) = &tree.resolve(id).kind else {
            self.expected(id, what);
            return None;
        };
        let read: Vec<Option<T>> = items.iter().map(|&i| item(self, i)).collect();
        read.into_iter().collect()
    }

    fn required(&mut self, m: &Map, key: &str) -> Option<Id> {
        let found = m.get(key);
        if found.is_none() {
            self.problem(m.id, format!("missing field `{key}`"));
        }
        found
    }

    /// Text: any scalar but null gives its text as written (`code: 20003` is the
    /// code `"20003"`).
    fn text(&mut self, id: Id) -> Option<String> {
        match &self.tree.resolve(id).kind {
            Kind::Scalar(s) if resolve(s) != Plain::Null => Some(s.text.clone()),
            _ => {
                self.expected(id, "text");
                None
            }
        }
    }

    fn opt_text(&mut self, m: &Map, key: &str) -> Option<String> {
        m.get(key).and_then(|id| self.text(id))
    }

    fn req_text(&mut self, m: &Map, key: &str) -> Option<String> {
        self.required(m, key).and_then(|id| self.text(id))
    }

    /// An optional integer (`Ok(None)` when absent; one past `i64` reads as
    /// `i64::MAX`, for the checker to refuse); `None` after a reported problem.
    fn opt_int(&mut self, m: &Map, key: &str, what: &str) -> Option<Option<i64>> {
        let Some(id) = m.get(key) else {
            return Some(None);
        };
        if let Kind::Scalar(sc) = &self.tree.resolve(id).kind {
            match resolve(sc) {
                Plain::Int(i) => return Some(Some(i)),
                Plain::Uint(_) => return Some(Some(i64::MAX)),
                _ => {}
            }
        }
        self.expected(id, what);
        None
    }

    fn flag(&mut self, m: &Map, key: &str) -> bool {
        let Some(id) = m.get(key) else {
            return false;
        };
        match &self.tree.resolve(id).kind {
            Kind::Scalar(s) => match resolve(s) {
                Plain::Bool(b) => b,
                _ => {
                    self.expected(id, "`true` or `false`");
                    false
                }
            },
            _ => {
                self.expected(id, "`true` or `false`");
                false
            }
        }
    }

    /// One of `words`, with a hint for a near miss.
    fn word(&mut self, id: Id, what: &str, words: &[&str]) -> Option<usize> {
        let text = match &self.tree.resolve(id).kind {
            Kind::Scalar(s) => s.text.as_str(),
            _ => "",
        };
        if let Some(i) = words.iter().position(|w| *w == text) {
            return Some(i);
        }
        let list = words
            .iter()
            .map(|w| format!("`{w}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let hint = crate::names::closest(text, words.iter().copied())
            .map_or_else(String::new, |b| format!("; did you mean `{b}`?"));
        let message = if text.is_empty() {
            format!("expected {what} (one of {list}), found {}", self.found(id))
        } else {
            format!(
                "unknown {what} `{}`, expected one of {list}{hint}",
                short(text)
            )
        };
        self.problem(id, message);
        None
    }

    fn spec(&mut self) -> Option<Spec> {
        let root = self.tree.root();
        let keys: Vec<&str> = ["vendor", "source", "transport", "apis"]
            .into_iter()
            .chain(SHARED_KEYS.iter().copied())
            .collect();
        if !matches!(self.tree.resolve(root).kind, Kind::Map(_)) {
            // Nothing of a file that is not a spec is echoed: it may be anything.
            let what = match &self.tree.resolve(root).kind {
                Kind::Seq(_) => "a list",
                Kind::Scalar(s) if resolve(s) == Plain::Null => "empty",
                _ => "one value, not a mapping",
            };
            self.problem(root, format!("this file is not a spec: a spec is a YAML mapping (`vendor: ...`, `apis: ...`), and this file is {what}"));
            return None;
        }
        let m = self.map(root, "the spec", &keys)?;
        let vendor = self.req_text(&m, "vendor");
        let source = self.opt_text(&m, "source");
        let transport = m.get("transport").map(|id| self.transport(id));
        let shared = self.shared(&m);
        let apis = self.required(&m, "apis").and_then(|id| self.apis(id));
        Some(Spec {
            vendor: vendor?,
            source,
            transport: transport.flatten(),
            shared: shared?,
            apis: apis?,
        })
    }

    /// The [`Shared`] settings of a spec or an API mapping; `None` if one of them is
    /// unsound (reported).
    fn shared(&mut self, m: &Map) -> Option<Shared> {
        fn given<T>(read: Option<Option<T>>) -> Result<Option<T>, ()> {
            match read {
                Some(Some(v)) => Ok(Some(v)),
                Some(None) => Err(()),
                None => Ok(None),
            }
        }
        let body = given(m.get("body").map(|id| self.body(id)));
        let waits = given(m.get("waits").map(|id| self.waits(id)));
        let should_retry_header = self.opt_text(m, "should_retry_header");
        let errors_in_success = given(m.get("errors_in_success").map(|id| self.rules(id)));
        let partial_success = given(m.get("partial_success").map(|id| self.rules(id)));
        let max_wait = self.opt_text(m, "max_wait");
        let client = given(m.get("client").map(|id| self.client(id)));
        let limits = given(m.get("limits").map(|id| self.limits(id)));
        let batch = given(m.get("batch").map(|id| self.batch(id)));
        Some(Shared {
            batch: batch.ok()?,
            max_wait,
            client: client.ok()?,
            limits: limits.ok()?,
            body: body.ok()?,
            waits: waits.ok()?,
            should_retry_header,
            errors_in_success: errors_in_success.ok()?,
            partial_success: partial_success.ok()?,
        })
    }

    fn apis(&mut self, id: Id) -> Option<Ordered<Api>> {
        let m = self.map(id, "`apis` (a mapping from API name to API)", &[])?;
        let mut out = Vec::new();
        let mut ok = true;
        for (key, v) in &m.entries {
            match self.api(*v) {
                Some(api) => out.push((key.to_string(), api)),
                None => ok = false,
            }
        }
        ok.then_some(Ordered(out))
    }

    fn api(&mut self, id: Id) -> Option<Api> {
        let keys: Vec<&str> = ["title", "errors"]
            .into_iter()
            .chain(SHARED_KEYS.iter().copied())
            .collect();
        let m = self.map(id, "an API", &keys)?;
        let title = self.req_text(&m, "title");
        let shared = self.shared(&m);
        let errors = self.required(&m, "errors").and_then(|id| self.entries(id));
        Some(Api {
            title: title?,
            shared: shared?,
            errors: errors?,
        })
    }

    fn batch(&mut self, id: Id) -> Option<Batch> {
        let m = self.map(
            id,
            "a batch shape such as `{ items: /responses, status: /status, body: /body }`",
            &["items", "status", "headers", "body", "id", "max_items"],
        )?;
        let items = self.req_text(&m, "items");
        let status = self.req_text(&m, "status");
        let max_items = self.opt_int(&m, "max_items", "a number of requests such as `20`");
        Some(Batch {
            items: items?,
            status: status?,
            max_items: max_items?,
            headers: self.opt_text(&m, "headers"),
            body: self.opt_text(&m, "body"),
            id: self.opt_text(&m, "id"),
        })
    }

    fn rules(&mut self, id: Id) -> Option<Vec<Rule>> {
        self.each(
            id,
            "a list of rules such as `{ body: /errors/0 }`",
            |r, i| {
                let m = r.map(i, "a rule", &["body", "equals"])?;
                let body = r.req_text(&m, "body");
                let equals = r.opt_text(&m, "equals");
                Some(Rule {
                    body: body?,
                    equals,
                })
            },
        )
    }

    fn waits(&mut self, id: Id) -> Option<Vec<Wait>> {
        self.each(id, "a list of wait sources", Self::wait)
    }

    fn wait(&mut self, id: Id) -> Option<Wait> {
        let m = self.map(
            id,
            "a wait source",
            &[
                "header", "body", "until", "format", "only_if", "as", "policy",
            ],
        )?;
        let minimum = match m.get("as") {
            None => Some(false),
            Some(a) => self
                .word(a, "`as` value", &["wait", "minimum"])
                .map(|i| i == 1),
        };
        let header = self.opt_text(&m, "header");
        let body = self.opt_text(&m, "body");
        let until = match m.get("until") {
            None => None,
            Some(u) => {
                let um = self.map(u, "a wall-clock boundary", &["every", "offset"])?;
                let every = self.req_text(&um, "every");
                let offset = self.opt_text(&um, "offset");
                Some((every?, offset))
            }
        };
        let places = [header.is_some(), body.is_some(), until.is_some()];
        if places.iter().filter(|&&p| p).count() != 1 {
            self.problem(
                id,
                "a wait source names where the wait is: `header: name`, `body: /path` or `until: { every: 1h }`, one of them".into(),
            );
        }
        let format = match (m.get("format"), &until) {
            (Some(f), _) => self.word(f, "wait format", WAIT_FORMATS),
            // A boundary is computed, not read: it has no format.
            (None, Some(_)) => Some(0),
            (None, None) => self
                .required(&m, "format")
                .and_then(|f| self.word(f, "wait format", WAIT_FORMATS)),
        };
        if let (Some(f), Some(_)) = (m.get("format"), &until) {
            self.problem(
                f,
                "an `until:` wait is computed from the clock, not read, so it has no `format`; remove it".into(),
            );
        }
        let policy = self.opt_text(&m, "policy");
        if let (Some(p), Some(fmt)) = (m.get("policy"), format) {
            if fmt != RATELIMIT_FORMAT {
                self.problem(
                    p,
                    "`policy` names the IETF `RateLimit` policy to read, so it goes with `format: ratelimit`".into(),
                );
            }
        }
        let only_if = match m.get("only_if") {
            None => None,
            Some(c) => {
                let cm = self.map(c, "a condition", &["header", "equals"])?;
                let name = self.req_text(&cm, "header");
                let value = self.req_text(&cm, "equals");
                Some((name?, value?))
            }
        };
        Some(Wait {
            header,
            body,
            format: format?,
            only_if,
            minimum: minimum?,
            until,
            policy,
        })
    }

    fn limits(&mut self, id: Id) -> Option<Limits> {
        let m = self.map(id, "the vendor's limits", &["rates", "headers"])?;
        if m.entries.is_empty() {
            self.problem(
                id,
                "`limits` is empty; give `rates:`, `headers:` or both".into(),
            );
            return None;
        }
        let rates = match m.get("rates") {
            None => Some(Vec::new()),
            Some(r) => self.each(r, "a list of documented limits", Self::rate),
        };
        let headers = match m.get("headers") {
            None => None,
            Some(h) => Some(self.rate_headers(h)?),
        };
        Some(Limits {
            rates: rates?,
            headers,
        })
    }

    fn rate(&mut self, id: Id) -> Option<Rate> {
        let m = self.map(
            id,
            "a documented limit",
            &["limit", "interval", "concurrency", "per", "requests"],
        )?;
        let limit = self.opt_text(&m, "limit");
        let interval = self.opt_text(&m, "interval");
        let concurrency = match m.get("concurrency") {
            None => None,
            Some(c) => match &self.tree.resolve(c).kind {
                Kind::Scalar(sc) => match resolve(sc) {
                    Plain::Int(i) => Some(i),
                    Plain::Uint(_) => Some(i64::MAX),
                    _ => {
                        self.expected(c, "a number of requests in flight such as `4`");
                        return None;
                    }
                },
                _ => {
                    self.expected(c, "a number of requests in flight such as `4`");
                    return None;
                }
            },
        };
        let given = [limit.is_some(), interval.is_some(), concurrency.is_some()];
        if given.iter().filter(|&&g| g).count() != 1 {
            self.problem(
                id,
                "a documented limit is one of `limit: 10/s` (a count per window), `interval: 1s` (the least time between requests) or `concurrency: 4` (the most in flight)".into(),
            );
        }
        let per = match m.get("per") {
            None => Some(0),
            Some(p) => self.word(p, "`per` value", PER_WORDS),
        };
        let requests = match m.get("requests") {
            None => Some(0),
            Some(r) => self.word(r, "`requests` value", REQUEST_WORDS),
        };
        Some(Rate {
            limit,
            interval,
            concurrency,
            per: per?,
            requests: requests?,
        })
    }

    fn rate_headers(&mut self, id: Id) -> Option<RateHeaders> {
        let m = self.map(
            id,
            "the rate-limit headers",
            &[
                "remaining",
                "limit",
                "reset",
                "bucket",
                "global",
                "used",
                "ietf",
                "refill",
            ],
        )?;
        let continuous = match m.get("refill") {
            None => false,
            Some(r) => self.word(r, "`refill` value", &["window", "continuous"])? == 1,
        };
        let reset = match m.get("reset") {
            None => None,
            Some(r) => {
                let rm = self.map(r, "a reset header", &["header", "format"])?;
                let header = self.req_text(&rm, "header");
                let format = self
                    .required(&rm, "format")
                    .and_then(|f| self.word(f, "wait format", WAIT_FORMATS));
                Some((header?, format?))
            }
        };
        let global = match m.get("global") {
            None => None,
            Some(g) => {
                let gm = self.map(g, "a global-scope condition", &["header", "equals"])?;
                let header = self.req_text(&gm, "header");
                let equals = self.req_text(&gm, "equals");
                Some((header?, equals?))
            }
        };
        Some(RateHeaders {
            remaining: self.opt_text(&m, "remaining"),
            limit: self.opt_text(&m, "limit"),
            reset,
            bucket: self.opt_text(&m, "bucket"),
            global,
            used: self.opt_text(&m, "used"),
            ietf: self.opt_text(&m, "ietf"),
            continuous,
        })
    }

    fn client(&mut self, id: Id) -> Option<Client> {
        let m = self.map(
            id,
            "the SDK's retry defaults",
            &[
                "sdk",
                "attempts",
                "backoff",
                "jitter",
                "min_delay",
                "max_wait",
                "long_wait",
            ],
        )?;
        let sdk = self.opt_text(&m, "sdk");
        let attempts = self.opt_int(&m, "attempts", "a number of attempts such as `3`")?;
        let backoff = match m.get("backoff") {
            None => None,
            Some(b) => {
                let bm = self.map(b, "a backoff schedule", &["base", "cap"])?;
                let base = self.req_text(&bm, "base");
                let cap = self.req_text(&bm, "cap");
                Some((base?, cap?))
            }
        };
        let jitter = match m.get("jitter") {
            None => None,
            Some(j) => Some(self.client_jitter(j)?),
        };
        let min_delay = self.opt_text(&m, "min_delay");
        let max_wait = self.opt_text(&m, "max_wait");
        let long_wait = match m.get("long_wait") {
            None => None,
            Some(w) => Some(self.word(w, "`long_wait`", LONG_WAIT_WORDS)?),
        };
        Some(Client {
            sdk,
            attempts,
            backoff,
            jitter,
            min_delay,
            max_wait,
            long_wait,
        })
    }

    fn client_jitter(&mut self, id: Id) -> Option<ClientJitter> {
        if !matches!(self.tree.resolve(id).kind, Kind::Map(_)) {
            return self
                .word(id, "jitter", JITTER_WORDS)
                .map(ClientJitter::Word);
        }
        let m = self.map(id, "a jitter factor", &["factor"])?;
        let f = self.required(&m, "factor")?;
        let number = |r: &mut Self, id: Id| -> Option<i64> {
            if let Kind::Scalar(sc) = &r.tree.resolve(id).kind {
                let v = match resolve(sc) {
                    Plain::Int(i) => Some(i as f64),
                    Plain::Float(x) if x.is_finite() => Some(x),
                    _ => None,
                };
                if let Some(v) = v {
                    return Some((v.clamp(-1e9, 1e9) * 1e6).round() as i64);
                }
            }
            r.expected(id, "a factor such as `0.5`");
            None
        };
        let both = self.each(f, "a factor range such as `[0.5, 1.0]`", number)?;
        match both.as_slice() {
            [low, high] => Some(ClientJitter::Factor(*low, *high)),
            _ => {
                self.problem(
                    f,
                    format!(
                        "a factor range has two ends, `[low, high]`; found {}",
                        both.len()
                    ),
                );
                None
            }
        }
    }

    fn entries(&mut self, id: Id) -> Option<Vec<Entry>> {
        self.each(id, "a list of errors", Self::entry)
    }

    fn entry(&mut self, id: Id) -> Option<Entry> {
        let m = self.map(
            id,
            "an error entry",
            &[
                "status",
                "code",
                "codes",
                "type",
                "message_contains",
                "header",
                "name",
                "title",
                "meaning",
                "advice",
                "retry",
                "primary",
            ],
        )?;
        let status_id = self.required(&m, "status");
        let status_list =
            status_id.is_some_and(|id| matches!(self.tree.resolve(id).kind, Kind::Seq(_)));
        let statuses = status_id.and_then(|id| self.statuses(id));
        let headers = match m.get("header") {
            None => Some(Vec::new()),
            Some(id) => self.header_conditions(id),
        };
        let code = self.opt_text(&m, "code");
        let listed = m.get("codes").map(|id| self.text_list(id));
        if let (Some(_), Some(id)) = (&code, m.get("codes")) {
            self.problem(
                id,
                "give either `code: x` or `codes: [x, y]`, not both".into(),
            );
        }
        let codes: Vec<String> = match (&code, listed) {
            (Some(c), _) => vec![c.clone()],
            (None, Some(list)) => list?,
            (None, None) => Vec::new(),
        };
        let error_type = self.opt_text(&m, "type");
        let message_contains = self.opt_text(&m, "message_contains");
        let name = self.opt_text(&m, "name");
        let title = self.opt_text(&m, "title");
        let meaning = self.req_text(&m, "meaning");
        let advice = self.opt_text(&m, "advice");
        let retry = m.get("retry").map(|id| self.retry(id));
        let primary = self.flag(&m, "primary");
        let statuses = statuses?;
        Some(Entry {
            status: statuses.first().map_or(0, |r| r.0),
            statuses,
            status_list,
            headers: headers?,
            code: codes.first().cloned(),
            codes,
            codes_key: if m.get("codes").is_some() {
                "codes"
            } else {
                "code"
            },
            error_type,
            message_contains,
            name,
            title,
            meaning: meaning?,
            advice,
            retry: match retry {
                Some(r) => Some(r?),
                None => None,
            },
            primary,
        })
    }

    /// A list of texts (`codes: [a, b]`).
    fn text_list(&mut self, id: Id) -> Option<Vec<String>> {
        self.each(id, "a list such as `[code_a, code_b]`", Self::text)
    }

    /// `status:`: one status, a class (`5xx`), a range (`500-504`), or a non-empty
    /// list of those (at most [`MAX_STATUS_ITEMS`]).
    fn statuses(&mut self, id: Id) -> Option<Vec<(i64, i64)>> {
        if let Kind::Seq(items) = &self.tree.resolve(id).kind {
            if items.is_empty() {
                self.problem(
                    id,
                    "`status` is an empty list; list the statuses this entry stands for".into(),
                );
                return None;
            }
            if items.len() > MAX_STATUS_ITEMS {
                self.problem(
                    id,
                    format!("`status` lists {} items; at most {MAX_STATUS_ITEMS} (write a range such as `500-599` or a class such as `5xx` for many)", items.len()),
                );
                return None;
            }
            return self.each(id, "a list of statuses", Self::status);
        }
        self.status(id).map(|r| vec![r])
    }

    /// One status item: `404`, `5xx`, `500-504`.
    fn status(&mut self, id: Id) -> Option<(i64, i64)> {
        if let Kind::Scalar(s) = &self.tree.resolve(id).kind {
            match resolve(s) {
                Plain::Int(i) => return Some((i, i)),
                // Too large for i64: out of range all the same, as validation says.
                Plain::Uint(_) => return Some((i64::MAX, i64::MAX)),
                Plain::Str(t) => {
                    if let Some(r) = status_range(t) {
                        return Some(r);
                    }
                }
                _ => {}
            }
        }
        self.expected(
            id,
            "an HTTP status code such as `404`, a class such as `5xx`, or a range such as `500-504`",
        );
        None
    }

    /// `header:` one condition `{ name, equals }` or a list of them (all must hold).
    fn header_conditions(&mut self, id: Id) -> Option<Vec<(String, Option<String>)>> {
        let one = |r: &mut Self, id: Id| {
            let m = r.map(id, "a header condition", &["name", "equals"])?;
            let name = r.req_text(&m, "name");
            // Without `equals`, the header must be present (any value).
            let equals = r.opt_text(&m, "equals");
            Some((name?, equals))
        };
        if let Kind::Seq(items) = &self.tree.resolve(id).kind {
            if items.is_empty() || items.len() > MAX_HEADER_CONDITIONS {
                self.problem(
                    id,
                    format!(
                        "`header` lists {} conditions; write 1 to {MAX_HEADER_CONDITIONS}",
                        items.len()
                    ),
                );
                return None;
            }
            return self.each(id, "a list of header conditions", one);
        }
        one(self, id).map(|c| vec![c])
    }

    fn retry(&mut self, id: Id) -> Option<Retry> {
        if let Kind::Map(_) = &self.tree.resolve(id).kind {
            let m = self.map(
                id,
                "retry guidance",
                &[
                    "when",
                    "wait",
                    "retry_after",
                    "fallback",
                    "backoff",
                    "long_wait",
                ],
            )?;
            let when = self
                .required(&m, "when")
                .and_then(|w| self.word(w, "`when`", WHEN_WORDS));
            let wait = self.opt_text(&m, "wait");
            let retry_after = self.flag(&m, "retry_after");
            let fallback = self.opt_text(&m, "fallback");
            let backoff = match m.get("backoff") {
                None => None,
                Some(b) => {
                    let bm = self.map(b, "a backoff schedule", &["base", "cap"])?;
                    let base = self.opt_text(&bm, "base");
                    let cap = self.opt_text(&bm, "cap");
                    Some((base, cap))
                }
            };
            let long_wait = match m.get("long_wait") {
                None => None,
                Some(w) => Some(self.word(w, "`long_wait`", LONG_WAIT_WORDS)?),
            };
            let when = [
                When::Never,
                When::Always,
                When::Idempotent,
                When::Reauthenticated,
            ][when?];
            return Some(Retry {
                when,
                wait,
                retry_after,
                fallback,
                backoff,
                long_wait,
            });
        }
        let (when, retry_after) = match self.word(id, "retry word", RETRY_WORDS)? {
            0 => (When::Never, false),
            1 => (When::Always, false),
            2 => (When::Always, true),
            3 => (When::Reauthenticated, false),
            _ => (When::Idempotent, false),
        };
        Some(Retry {
            when,
            wait: None,
            retry_after,
            fallback: None,
            backoff: None,
            long_wait: None,
        })
    }

    fn body(&mut self, id: Id) -> Option<Body> {
        let m = self.map(
            id,
            "a body shape",
            &[
                "format",
                "errors",
                "status",
                "code",
                "type",
                "message",
                "detail",
                "request_id",
                "trace_id",
                "details",
                "extra",
                "clean",
            ],
        )?;
        let format = self
            .required(&m, "format")
            .and_then(|f| self.word(f, "body format", &["object", "jsonapi", "problem"]));
        let extra = match m.get("extra") {
            None => Vec::new(),
            Some(id) => {
                let em = self.map(id, "`extra` (a mapping from name to member path)", &[])?;
                let mut out = Vec::new();
                for (name, v) in &em.entries {
                    if let Some(source) = self.source(*v) {
                        out.push((name.to_string(), source));
                    }
                }
                out
            }
        };
        // `code`, `type`, `message`, `request_id`: a path, or a list of sources.
        let mut alternatives = Vec::new();
        let mut listed: Vec<(&str, Option<String>)> = Vec::new();
        for &key in LISTED_MEMBERS {
            let Some(id) = m.get(key) else {
                listed.push((key, None));
                continue;
            };
            let items = match &self.tree.resolve(id).kind {
                Kind::Seq(items) => items,
                // One header, written as the mapping itself (`request_id: { header: X }`).
                Kind::Map(_) => {
                    if let Some(source) = self.source(id) {
                        alternatives.push((key, 0, source));
                    }
                    listed.push((key, None));
                    continue;
                }
                _ => {
                    let primary = self.text(id);
                    listed.push((key, primary));
                    continue;
                }
            };
            let mut primary = None;
            for (i, &item) in items.iter().enumerate() {
                let source = self.source(item);
                match source {
                    Some(Source::Path(p)) if i == 0 => primary = Some(p),
                    Some(src) => alternatives.push((key, i, src)),
                    None => {}
                }
            }
            if items.is_empty() {
                self.problem(
                    id,
                    format!("`{key}` lists no source; write a path, or remove it"),
                );
            }
            listed.push((key, primary));
        }
        let clean = match m.get("clean") {
            None => None,
            Some(c) => {
                let cm = self.map(c, "a clean-up", &["drop_from", "keep_after"])?;
                let drop_from = self.opt_text(&cm, "drop_from");
                let keep_after = self.opt_text(&cm, "keep_after");
                if drop_from.is_none() && keep_after.is_none() {
                    self.problem(
                        c,
                        "`clean` says nothing: give `drop_from`, `keep_after` or both".into(),
                    );
                }
                Some((drop_from, keep_after))
            }
        };
        let take = |key: &str| {
            listed
                .iter()
                .find(|(k, _)| *k == key)
                .and_then(|(_, v)| v.clone())
        };
        let (code, error_type, message, request_id) = (
            take("code"),
            take("type"),
            take("message"),
            take("request_id"),
        );
        let mut member = |key| self.opt_text(&m, key);
        let body = Body {
            format: BodyFormat::Object,
            errors: member("errors"),
            status: member("status"),
            code,
            error_type,
            message,
            detail: member("detail"),
            request_id,
            trace_id: member("trace_id"),
            details: member("details"),
            extra,
            alternatives,
            clean,
        };
        Some(Body {
            format: [BodyFormat::Object, BodyFormat::Jsonapi, BodyFormat::Problem][format?],
            ..body
        })
    }

    /// Where a datum is: a body path (text), or `{ header: Name }`.
    fn source(&mut self, id: Id) -> Option<Source> {
        match &self.tree.resolve(id).kind {
            Kind::Map(_) => {
                let hm = self.map(id, "a header source", &["header"])?;
                self.req_text(&hm, "header").map(Source::Header)
            }
            _ => self.text(id).map(Source::Path),
        }
    }

    fn transport(&mut self, id: Id) -> Option<Transport> {
        let m = self.map(
            id,
            "transport guidance",
            &["meaning", "advice", "retry", "connect", "timeout", "reset"],
        )?;
        let meaning = self.req_text(&m, "meaning");
        let advice = self.opt_text(&m, "advice");
        let mut rule = |key| match m.get(key) {
            Some(r) => self.retry(r).map(Some),
            None => Some(None),
        };
        let (retry, connect, timeout, reset) = (
            rule("retry"),
            rule("connect"),
            rule("timeout"),
            rule("reset"),
        );
        if matches!(
            (&retry, &connect, &timeout, &reset),
            (Some(None), Some(None), Some(None), Some(None))
        ) {
            self.problem(
                id,
                "`transport` gives no retry rule: add `retry:` (for every kind of failure) or `connect:`, `timeout:`, `reset:`".into(),
            );
            return None;
        }
        Some(Transport {
            meaning: meaning?,
            advice,
            retry: retry?,
            connect: connect?,
            timeout: timeout?,
            reset: reset?,
        })
    }
}

/// Text quoted in a message: escaped, and cut short if long.
fn short(t: &str) -> String {
    let escaped: String = t.escape_debug().collect();
    match escaped.char_indices().nth(60) {
        Some((i, _)) => format!("{}...", &escaped[..i]),
        None => escaped,
    }
}

/// The most items one entry's `status:` list may have.
pub const MAX_STATUS_ITEMS: usize = 16;
/// The most `header:` conditions one entry may set.
pub const MAX_HEADER_CONDITIONS: usize = 8;

/// `5xx` -> (500, 599); `500-504` -> (500, 504) (digits only; the bounds checked
/// later, where they are located); anything else `None`.
fn status_range(text: &str) -> Option<(i64, i64)> {
    let t = text.trim();
    let digits = |d: &str| -> Option<i64> {
        (!d.is_empty() && d.len() <= 4 && d.bytes().all(|b| b.is_ascii_digit()))
            .then(|| d.parse().ok())
            .flatten()
    };
    if let [c, b'x' | b'X', b'x' | b'X'] = t.as_bytes() {
        if c.is_ascii_digit() {
            let lo = i64::from(c - b'0') * 100;
            return Some((lo, lo + 99));
        }
        return None;
    }
    let (lo, hi) = t.split_once('-')?;
    Some((digits(lo.trim())?, digits(hi.trim())?))
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
        let err = load("vendor: V\nvendr: W\napis: {}\n")
            .unwrap_err()
            .remove(0);
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
        let err = load(src).unwrap_err().remove(0);
        assert!(
            err.message.contains("unknown retry word `backof`"),
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
        let err = load("vendor: V\napis:\n  a:\n    title: \"open\n")
            .unwrap_err()
            .remove(0);
        assert_eq!(err.pos.map(|p| p.line), Some(4));
        assert!(err.message.starts_with("invalid YAML: "), "{}", err.message);
    }

    fn entry(retry: &str) -> String {
        format!("vendor: V\napis:\n  a:\n    title: A\n    errors:\n      - status: 500\n        meaning: m\n        retry: {retry}\n")
    }

    #[test]
    fn retry_shorthand_and_mapping() {
        let read =
            |r: &str| load(&entry(r)).map(|(s, _)| s.apis.0[0].1.errors[0].retry.clone().unwrap());
        let r = read("retry_after").unwrap();
        assert_eq!((r.when, r.retry_after), (When::Always, true));
        let r = read("{ when: always, wait: 30s }").unwrap();
        assert_eq!(r.wait.as_deref(), Some("30s"));
        let e = read("sometimes").unwrap_err().remove(0).message;
        assert!(e.contains("unknown retry word `sometimes`"), "{e}");
        let e = read("3").unwrap_err().remove(0).message;
        assert!(
            e.contains("unknown retry word `3`, expected one of `never`, `backoff`"),
            "{e}"
        );
        let e = read("[never]").unwrap_err().remove(0).message;
        assert!(e.contains("expected retry word (one of `never`"), "{e}");
        assert!(e.contains("found a list"), "{e}");
    }

    #[test]
    fn every_shape_problem_is_reported_at_once() {
        let src = "vendor: V\nvendr: W\napis:\n  a:\n    title: [A]\n    errors:\n      - {status: \"400\", meanin: x}\n      - {status: 401, meaning: y, primary: maybe}\n";
        let msgs: Vec<String> = load(src)
            .unwrap_err()
            .iter()
            .map(|d| format!("{}: {}", d.pos.unwrap(), d.message))
            .collect();
        let expected = [
            "2:1: unknown field `vendr`",
            "5:12: expected text here, found a list",
            "7:25: unknown field `meanin`",
            "7:18: expected an HTTP status code such as `404`, a class such as `5xx`, or a range such as `500-504` here, found the text `400`",
            "7:9: missing field `meaning`",
            "8:44: expected `true` or `false` here, found the text `maybe`",
        ];
        assert_eq!(msgs.len(), expected.len(), "{msgs:#?}");
        for (msg, want) in msgs.iter().zip(expected) {
            assert!(msg.starts_with(want), "{msgs:#?}");
        }
    }

    #[test]
    fn duplicate_api_names_are_rejected() {
        let err =
            load("vendor: V\napis:\n  a: {title: A, errors: []}\n  a: {title: B, errors: []}\n")
                .unwrap_err()
                .remove(0);
        assert!(
            err.message.contains("`a` appears twice in `apis`"),
            "{}",
            err.message
        );
    }
}
