//! `import-openapi`: a spec skeleton from an OpenAPI 3.0 or 3.1 document, or a
//! Swagger 2.0 one.
//!
//! What OpenAPI says, the skeleton says: each documented error status (4xx and
//! 5xx, from every operation, through `$ref`s into `components` or `definitions`)
//! becomes an entry whose meaning is the status's phrase and the response's most
//! common description; `4XX` and `5XX` become class entries (`status: 4xx`), and a
//! `default` response both, when the document has nothing else. The error bodies'
//! schemas (JSON media types, `application/*+json`, `*/*`; Swagger 2.0's response
//! `schema`) give the body's member paths (`code`, `message`, `type`, `request_id`,
//! also a member whose description says it identifies the request, a details tree, a
//! wait in the body); the rate-limit headers the error responses declare become wait
//! sources where their description or format says what they hold. What OpenAPI does
//! not say is marked for a human: retry guidance (each entry keeps its status class
//! default; class entries say one, marked CONFIRM). The document is read as YAML 1.2,
//! which JSON is a part of.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::rc::Rc;

use api_errors_spec::validate::{is_header_name, pointer};
use api_errors_spec::yaml::{self, Id, Kind, Limits, Tree};

/// What an import gives: the spec text, and notes on what it could not carry over.
#[derive(Debug)]
pub struct Import {
    /// The spec skeleton, YAML.
    pub spec: String,
    /// What a human should know (left out, guessed, unresolvable).
    pub notes: Vec<String>,
}

const LIMITS: Limits = Limits {
    bytes: 48 * 1024 * 1024,
    depth: 256,
    what: "document",
    too_big: "this importer reads documents up to that size",
};

/// Most `$ref` hops followed from one place (a longer chain is a cycle).
const MAX_REF_HOPS: usize = 32;
/// How deep into a body schema member paths are looked for.
const MAX_SCHEMA_DEPTH: usize = 6;

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Imports `text`, an OpenAPI document; `file` is its name, for the skeleton's
/// comments. An error says why the text is not a document this can read.
pub fn import(text: &str, file: &str) -> Result<Import, String> {
    let tree = yaml::parse_with(text, &LIMITS).map_err(|d| match d.pos {
        Some(p) => format!("{p}: {}", d.message),
        None => d.message,
    })?;
    let doc = Doc {
        tree: &tree,
        notes: Vec::new(),
        index: RefCell::default(),
        memo: RefCell::default(),
    };
    doc.run(file)
}

struct Doc<'t> {
    tree: &'t Tree,
    notes: Vec<String>,
    /// Large mappings' keys, indexed on first lookup, so that resolving `$ref`s
    /// into `components` stays linear in the document's size.
    index: RefCell<HashMap<Id, HashMap<&'t str, Id>>>,
    /// Each schema's member paths, by (schema, depth): see [`Doc::members_at`].
    memo: RefCell<HashMap<(Id, usize), Rc<Members>>>,
}

/// Mappings with more entries than this are indexed for lookups.
const INDEXED: usize = 16;

/// One documented error response, as the operations use it.
#[derive(Default)]
struct Status {
    /// Operations that document it.
    uses: usize,
    /// Each description and how many operations give it, first seen first.
    descriptions: Vec<(String, usize)>,
    /// Description -> its place in `descriptions`.
    seen: HashMap<String, usize>,
}

/// What the error responses declare, gathered over all of them.
#[derive(Default)]
struct Found {
    statuses: BTreeMap<u16, Status>,
    /// `4XX`, `5XX`, `default`: key -> uses, descriptions.
    ranges: BTreeMap<String, Status>,
    /// Candidate body paths: field -> path -> weight (responses using it).
    paths: BTreeMap<&'static str, BTreeMap<Vec<String>, usize>>,
    /// The body wait's unit, if a body member holds one.
    body_wait_ms: bool,
    /// Header (as written) -> (description, schema format).
    headers: BTreeMap<String, (String, String)>,
    problem_json: usize,
    json: usize,
    /// Every member of the error schemas, by path, as first met.
    members: BTreeMap<Vec<String>, Member>,
}

impl<'t> Doc<'t> {
    fn run(mut self, file: &str) -> Result<Import, String> {
        let root = self.tree.root();
        let version = self
            .get(root, "openapi")
            .and_then(|v| self.text(v))
            .unwrap_or_default()
            .to_string();
        let swagger = self
            .get(root, "swagger")
            .and_then(|v| self.text(v))
            .is_some_and(|v| v.trim() == "2.0");
        if !version.starts_with("3.") && !swagger {
            return Err(if self.get(root, "swagger").is_some() {
                "a `swagger` document other than 2.0; this reads Swagger 2.0 and OpenAPI 3.x".into()
            } else {
                "not an OpenAPI document (it has no `openapi: 3.x` or `swagger: \"2.0\"` at the top)".into()
            });
        }
        let info = self.get(root, "info");
        let title = info
            .and_then(|i| self.get(i, "title"))
            .and_then(|t| self.text(t))
            .unwrap_or("API")
            .to_string();
        let api_version = info
            .and_then(|i| self.get(i, "version"))
            .and_then(|t| self.text(t))
            .map(str::to_string);

        let mut found = Found::default();
        let paths = self
            .get(root, "paths")
            .map(|p| self.entries(p))
            .unwrap_or_default();
        for (_, item) in paths {
            let item = self.deref(item);
            for (method, op) in self.entries(item) {
                if !METHODS.contains(&method) {
                    continue;
                }
                if let Some(responses) = self.get(op, "responses") {
                    for (key, response) in self.entries(responses) {
                        self.response(key, response, &mut found);
                    }
                }
            }
        }
        let spec = self.write(file, &title, api_version.as_deref(), &found);
        if found.statuses.is_empty() && found.ranges.is_empty() {
            self.notes.push(
                "the document names no error response at all: add at least one entry before the spec passes `check`".into(),
            );
        }
        Ok(Import {
            spec,
            notes: self.notes,
        })
    }

    /// One operation's response under `key` (`429`, `4XX`, `default`).
    fn response(&mut self, key: &str, response: Id, found: &mut Found) {
        let status = match key.parse::<u16>() {
            Ok(s) if (400..=599).contains(&s) && key.len() == 3 => Some(s),
            Ok(_) => return,
            Err(_) => {
                let k = key.to_ascii_uppercase();
                if k != "4XX" && k != "5XX" && k != "DEFAULT" {
                    return;
                }
                None
            }
        };
        let response = self.deref(response);
        let description = self
            .get(response, "description")
            .and_then(|d| self.text(d))
            .map(one_line)
            .unwrap_or_default();
        let entry = match status {
            Some(s) => found.statuses.entry(s).or_default(),
            None => found.ranges.entry(key.to_string()).or_default(),
        };
        entry.uses += 1;
        if !description.is_empty() {
            match entry.seen.get(&description) {
                Some(&i) => entry.descriptions[i].1 += 1,
                None => {
                    entry
                        .seen
                        .insert(description.clone(), entry.descriptions.len());
                    entry.descriptions.push((description, 1));
                }
            }
        }
        if let Some(headers) = self.get(response, "headers") {
            for (name, header) in self.entries(headers) {
                let header = self.deref(header);
                let description = self
                    .get(header, "description")
                    .and_then(|d| self.text(d))
                    .map(one_line)
                    .unwrap_or_default();
                // OpenAPI 3 puts the format in the header's `schema`; Swagger 2.0 on
                // the header itself.
                let format = self
                    .get(header, "schema")
                    .map(|s| self.deref(s))
                    .and_then(|s| self.get(s, "format"))
                    .or_else(|| self.get(header, "format"))
                    .and_then(|f| self.text(f))
                    .unwrap_or_default()
                    .to_string();
                found
                    .headers
                    .entry(name.to_string())
                    .or_insert((description, format));
            }
        }
        // OpenAPI 3: `content` by media type. Swagger 2.0: the response's own
        // `schema` (its media types are the operation's `produces`).
        let mut bodies: Vec<(String, Id)> = self
            .get(response, "content")
            .map(|c| {
                self.entries(c)
                    .into_iter()
                    .map(|(m, b)| (m.to_ascii_lowercase(), b))
                    .collect()
            })
            .unwrap_or_default();
        if bodies.is_empty() && self.get(response, "schema").is_some() {
            bodies.push(("application/json".into(), response));
        }
        {
            for (media, body) in bodies {
                // JSON by name, `application/*+json`, or any media type at all
                // (`*/*`, `application/*`): a schema with members is read either way.
                let any = media == "*/*" || media == "application/*";
                if !media.contains("json") && !any {
                    continue;
                }
                if media.contains("problem+json") {
                    found.problem_json += 1;
                    continue;
                }
                found.json += 1;
                if let Some(schema) = self.get(body, "schema") {
                    for member in self.members(schema) {
                        let field = field_of(&member.path)
                            .or_else(|| identifies_request(&member).then_some("request_id"))
                            // A member that always holds one value identifies nothing.
                            .filter(|f| !(member.fixed && matches!(*f, "code" | "type")));
                        if let Some(field) = field {
                            if field == "wait"
                                && member
                                    .description
                                    .to_ascii_lowercase()
                                    .contains("millisecond")
                            {
                                found.body_wait_ms = true;
                            }
                            *found
                                .paths
                                .entry(field)
                                .or_default()
                                .entry(member.path.clone())
                                .or_default() += 1;
                        }
                        found.members.entry(member.path.clone()).or_insert(member);
                    }
                }
                break;
            }
        }
    }

    /// The members of a schema (through `$ref`, `allOf`, `anyOf`, `oneOf` and array
    /// items), each path once.
    fn members(&self, schema: Id) -> Vec<Member> {
        self.members_at(schema, 0).list.clone()
    }

    /// What a member's own schema says of it (besides its members).
    fn member(&self, path: Vec<String>, schema: Id) -> Member {
        let description = self
            .get(schema, "description")
            .and_then(|d| self.text(d))
            .unwrap_or_default()
            .to_string();
        let values: Vec<String> = self
            .get(schema, "enum")
            .map(|e| self.items(e))
            .unwrap_or_default()
            .into_iter()
            .filter_map(|v| self.text(self.alias(v)).map(str::to_string))
            .take(64)
            .collect();
        let kind = self.get(schema, "type").and_then(|t| self.text(t));
        let structured = matches!(kind, Some("object" | "array"))
            || self.get(schema, "properties").is_some()
            || self.get(schema, "items").is_some();
        Member {
            path,
            description,
            fixed: self.get(schema, "const").is_some() || values.len() == 1,
            values: if values.len() > 1 { values } else { Vec::new() },
            structured,
        }
    }

    /// The member paths below `schema` (relative to it), met at `depth`: computed
    /// once per schema and depth (a schema that many combinators name, or that names
    /// itself, is walked once), so the work stays linear in the document's size.
    fn members_at(&self, schema: Id, depth: usize) -> Rc<Members> {
        let schema = self.deref(schema);
        if depth > MAX_SCHEMA_DEPTH {
            return Rc::default();
        }
        if let Some(done) = self.memo.borrow().get(&(schema, depth)) {
            return done.clone();
        }
        // A schema that names itself (directly or not) adds nothing more.
        self.memo
            .borrow_mut()
            .insert((schema, depth), Rc::default());
        let mut out = Members::default();
        for combinator in ["allOf", "anyOf", "oneOf"] {
            if let Some(list) = self.get(schema, combinator) {
                for part in self.items(list) {
                    for member in self.members_at(part, depth + 1).iter() {
                        out.add(member.clone());
                    }
                }
            }
        }
        if let Some(items) = self.get(schema, "items") {
            for member in self.members_at(items, depth + 1).iter() {
                out.add(prefixed("*", member));
            }
        }
        if let Some(props) = self.get(schema, "properties") {
            for (name, sub) in self.entries(props) {
                if name == "*" || name.is_empty() {
                    continue;
                }
                let sub = self.deref(sub);
                out.add(self.member(vec![name.to_string()], sub));
                for member in self.members_at(sub, depth + 1).iter() {
                    out.add(prefixed(name, member));
                }
            }
        }
        let out = Rc::new(out);
        self.memo.borrow_mut().insert((schema, depth), out.clone());
        out
    }

    /// The skeleton's text.
    fn write(&mut self, file: &str, title: &str, version: Option<&str>, found: &Found) -> String {
        let mut s = String::new();
        let name = file.rsplit(['/', '\\']).next().unwrap_or(file);
        let _ = writeln!(
            s,
            "# yaml-language-server: $schema=./api-errors.schema.json"
        );
        let _ = writeln!(
            s,
            "# Imported by `api-errors import-openapi` from {}.",
            quoted(name)
        );
        let _ = writeln!(
            s,
            "# OpenAPI gives statuses, descriptions, body schemas and headers; it does not"
        );
        let _ = writeln!(
            s,
            "# say what to retry. Every entry below keeps its status class default (408,"
        );
        let _ = writeln!(
            s,
            "# 429, 500, 502, 503, 504 back off; others are not retried) until a human adds"
        );
        let _ = writeln!(
            s,
            "# `retry:` from the vendor's documentation. Lines marked CONFIRM are guesses."
        );
        let _ = writeln!(
            s,
            "vendor: {}  # CONFIRM: the document's title",
            quoted(title)
        );
        let source = match version {
            Some(v) => format!("OpenAPI document {name}, version {v}"),
            None => format!("OpenAPI document {name}"),
        };
        let _ = writeln!(s, "source: {}", quoted(&source));
        let (body, object_body) = self.body(found);
        s.push_str(&body);
        let waits = self.waits(found, object_body);
        s.push_str(&waits);
        let _ = writeln!(s, "apis:");
        let _ = writeln!(s, "  main:");
        let _ = writeln!(s, "    title: {}", quoted(title));
        if found.statuses.is_empty() && found.ranges.is_empty() {
            let _ = writeln!(
                s,
                "    errors: []  # CONFIRM: the document lists no error response"
            );
            return s;
        }
        let _ = writeln!(s, "    errors:");
        // `4XX` and `5XX` become class entries (a status's own entry wins over them);
        // `default` too, as both, when the document has nothing else.
        let ranged = |k: &str| found.ranges.keys().any(|r| r.eq_ignore_ascii_case(k));
        let alone = found.statuses.is_empty() && !ranged("4XX") && !ranged("5XX");
        for (key, range) in &found.ranges {
            let mut descriptions = range.descriptions.clone();
            descriptions.sort_by_key(|d| std::cmp::Reverse(d.1));
            let description = descriptions.first().map_or("", |(d, _)| d.as_str());
            let classes: &[u16] = match key.to_ascii_uppercase().as_str() {
                "4XX" => &[4],
                "5XX" => &[5],
                _ if alone => &[4, 5],
                _ => {
                    let _ = writeln!(
                        s,
                        "      # `{}` ({} operation{}): {} -- any other status; the entries cover it.",
                        one_line(key),
                        range.uses,
                        if range.uses == 1 { "" } else { "s" },
                        comment(description),
                    );
                    continue;
                }
            };
            for class in classes {
                let (name, what, retry) = match class {
                    4 => ("OtherClientError", "A client error", "never"),
                    _ => ("OtherServerError", "A server error", "idempotent"),
                };
                let _ = writeln!(
                    s,
                    "      # `{}` ({} operation{}): any {class}xx status no entry lists.",
                    one_line(key),
                    range.uses,
                    if range.uses == 1 { "" } else { "s" },
                );
                let meaning = if description.is_empty() {
                    format!("{what} this document does not list by status.")
                } else {
                    format!("{what}: {description}")
                };
                let _ = writeln!(s, "      - status: {class}xx");
                let _ = writeln!(s, "        name: {name}");
                let _ = writeln!(s, "        meaning: {}", quoted(&meaning));
                let _ = writeln!(
                    s,
                    "        retry: {retry}  # CONFIRM: not in OpenAPI (a class mixes retried and not retried statuses)"
                );
            }
        }
        for (status, st) in &found.statuses {
            let mut descriptions = st.descriptions.clone();
            // The most used description is the meaning; the others are noted.
            descriptions.sort_by_key(|d| std::cmp::Reverse(d.1));
            let meaning = meaning(*status, descriptions.first().map(|(d, _)| d.as_str()));
            let _ = writeln!(
                s,
                "      # {} operation{} document {status}.",
                st.uses,
                if st.uses == 1 { "" } else { "s" }
            );
            for (other, n) in descriptions.iter().skip(1).take(8) {
                let _ = writeln!(s, "      # Also described ({n}x) as: {}", comment(other));
            }
            if descriptions.len() > 9 {
                let _ = writeln!(
                    s,
                    "      # ... and {} more descriptions.",
                    descriptions.len() - 9
                );
            }
            let _ = writeln!(s, "      - status: {status}");
            let _ = writeln!(s, "        meaning: {}", quoted(&meaning));
            let _ = writeln!(
                s,
                "        # retry: CONFIRM (not in OpenAPI; the class default applies)"
            );
        }
        s
    }

    /// The `body:` section: the most used path of each field, none inside another.
    /// The `body:` section, and whether it is an `object` body (which a body wait
    /// source needs).
    fn body(&mut self, found: &Found) -> (String, bool) {
        if found.problem_json > found.json {
            let s = "body:\n  format: problem  # application/problem+json (RFC 9457)\n";
            return (s.into(), false);
        }
        let mut chosen: Vec<(&str, &Vec<String>)> = Vec::new();
        for field in ["code", "type", "message", "request_id", "details"] {
            let Some(candidates) = found.paths.get(field) else {
                continue;
            };
            // Most used, then shallowest, then first in order.
            let best = candidates.iter().max_by(|a, b| {
                a.1.cmp(b.1)
                    .then(b.0.len().cmp(&a.0.len()))
                    .then(b.0.cmp(a.0))
            });
            let Some((path, _)) = best else { continue };
            if chosen.iter().any(|(_, p)| nested(p, path)) {
                self.notes.push(format!(
                    "the body member {} ({field}) lies inside another chosen member; left out",
                    pointer(path)
                ));
                continue;
            }
            chosen.push((field, path));
        }
        self.not_carried(found, &chosen);
        if chosen.is_empty() {
            let s = "# body: CONFIRM: the error responses' schemas name no member this importer recognises\n# (code, message, type, request_id, errors or details).\n";
            return (s.into(), false);
        }
        let mut s = String::from("body:\n  format: object\n");
        for (field, path) in &chosen {
            let _ = writeln!(s, "  {field}: {}", quoted(&pointer(path)));
            let values = found.members.get(*path).map_or(&[][..], |m| &m.values[..]);
            if !values.is_empty() {
                let _ = writeln!(
                    s,
                    "  # CONFIRM: the schema lists {} values for the {field}; each can be an entry (`{field}:`,",
                    values.len()
                );
                let _ = writeln!(
                    s,
                    "  # with its status) once the vendor's page says what it means:"
                );
                for line in wrap(values, 76) {
                    let _ = writeln!(s, "  #   {line}");
                }
            }
        }
        (s, true)
    }

    /// Notes on every member of the error schemas that the skeleton does not carry
    /// over (neither chosen, nor holding a chosen one, nor inside a member read
    /// whole), with what would carry it, and on the values an `enum` lists.
    fn not_carried(&mut self, found: &Found, chosen: &[(&str, &Vec<String>)]) {
        for (path, m) in &found.members {
            let carried = chosen.iter().any(|(field, p)| {
                *p == path
                    || (path.len() < p.len() && p[..path.len()] == path[..])
                    || (*field == "details" && path.len() > p.len() && path[..p.len()] == p[..])
            });
            if carried {
                continue;
            }
            let name = path.last().map_or("member", String::as_str);
            let why = if m.fixed && matches!(field_of(path), Some("code" | "type")) {
                " (its schema allows one value only, so it tells no error from another)".to_string()
            } else {
                String::new()
            };
            let listed = field_of(path)
                .filter(|f| {
                    matches!(*f, "code" | "type" | "message" | "request_id") && why.is_empty()
                })
                .and_then(|f| chosen.iter().find(|(c, _)| *c == f));
            let carry = if let Some((field, first)) = listed {
                format!(
                    "`{field}: [{}, {}]` (a further place for the {field}, tried second)",
                    pointer(first),
                    pointer(path)
                )
            } else if m.structured {
                format!(
                    "`details: {}` (raw JSON) or `extra: {{ {name}: {} }}` (`member_json`)",
                    pointer(path),
                    pointer(path)
                )
            } else {
                format!("`extra: {{ {name}: {} }}`", pointer(path))
            };
            let values = if m.values.is_empty() {
                String::new()
            } else {
                format!(
                    "; its schema lists {} values: {}",
                    m.values.len(),
                    m.values.join(", ")
                )
            };
            self.notes.push(format!(
                "the error schemas' member {}{} is not carried over{why}; {carry} would{values}",
                pointer(path),
                if m.description.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", one_line(&m.description))
                },
            ));
        }
        for (field, path) in chosen {
            if let Some(m) = found.members.get(*path).filter(|m| !m.values.is_empty()) {
                self.notes.push(format!(
                    "the schema lists {} values for the {field} at {}; they are in a comment of the skeleton, for entries to be written from the vendor's page",
                    m.values.len(),
                    pointer(path)
                ));
            }
        }
    }

    /// The `waits:` section, from the headers and the body: the standard
    /// `Retry-After` first, then a body wait, then the other headers as found.
    fn waits(&mut self, found: &Found, object_body: bool) -> String {
        const STANDARD: u8 = 0;
        const BODY: u8 = 1;
        const OTHER: u8 = 2;
        let mut lines: Vec<(u8, String)> = Vec::new();
        let remaining = found
            .headers
            .keys()
            .find(|h| is_header_name(h) && h.to_ascii_lowercase().contains("remaining"));
        let mut push = |header: &str, format: &str, gated: bool, why: &str| {
            let gate = match (gated, remaining) {
                (true, Some(r)) => format!(", only_if: {{ header: {}, equals: \"0\" }}", quoted(r)),
                _ => String::new(),
            };
            let rank = if header.eq_ignore_ascii_case("retry-after") {
                STANDARD
            } else {
                OTHER
            };
            let line = format!(
                "  - {{ header: {}, format: {format}{gate} }}  # {}",
                quoted(header),
                comment(why)
            );
            lines.push((rank, line));
        };
        for (name, (description, schema_format)) in &found.headers {
            let lower = name.to_ascii_lowercase();
            let d = description.to_ascii_lowercase();
            if !is_header_name(name) {
                self.notes.push(format!(
                    "the header {} is not an HTTP header name; left out",
                    quoted(name)
                ));
                continue;
            }
            if lower == "retry-after" {
                push(name, "http", false, "standard: seconds or an HTTP date");
            } else if lower == "retry-after-ms" {
                push(name, "milliseconds", false, description);
            } else if lower.contains("reset") {
                let format = if schema_format == "date-time" {
                    Some("timestamp")
                } else if d.contains("unix") || d.contains("epoch") {
                    Some("epoch_seconds")
                } else if lower.contains("after")
                    || d.contains("seconds until")
                    || d.contains("duration")
                {
                    Some(if d.contains("millisecond") {
                        "milliseconds"
                    } else {
                        "seconds"
                    })
                } else {
                    None
                };
                match format {
                    Some(f) => push(name, f, true, &format!("CONFIRM: {description}")),
                    None => self.notes.push(format!(
                        "the header {} looks like a rate-limit reset, but its description does not say what it holds; left out",
                        quoted(name)
                    )),
                }
            }
        }
        if let Some(candidates) = found.paths.get("wait").filter(|_| object_body) {
            if let Some((path, _)) = candidates.iter().max_by(|a, b| a.1.cmp(b.1)) {
                let format = if found.body_wait_ms {
                    "milliseconds"
                } else {
                    "seconds"
                };
                let line = format!(
                    "  - {{ body: {}, format: {format} }}  # CONFIRM: the unit",
                    quoted(&pointer(path))
                );
                lines.push((BODY, line));
            }
        }
        if lines.is_empty() {
            return String::new();
        }
        lines.sort_by_key(|(rank, _)| *rank);
        let mut s = String::from("# Where the server states a wait, in the order tried (the first readable wins).\nwaits:\n");
        for (_, l) in lines {
            s.push_str(&l);
            s.push('\n');
        }
        s
    }

    // --- reading the tree ---

    /// The node `id` stands for: aliases and `$ref`s into this document followed.
    fn deref(&self, mut id: Id) -> Id {
        for _ in 0..MAX_REF_HOPS {
            id = self.alias(id);
            let Some(target) = self.get_direct(id, "$ref").and_then(|r| self.text(r)) else {
                return id;
            };
            match self.pointer(target) {
                Some(next) => id = next,
                None => return id,
            }
        }
        id
    }

    fn alias(&self, id: Id) -> Id {
        match self.tree.node(id).kind {
            Kind::Alias(t) => t,
            _ => id,
        }
    }

    /// The node a local `$ref` (`#/components/...`) names.
    fn pointer(&self, reference: &str) -> Option<Id> {
        let path = reference.strip_prefix("#/")?;
        let mut at = self.tree.root();
        for step in path.split('/') {
            let step = step.replace("~1", "/").replace("~0", "~");
            at = self.get_direct(self.alias(at), &step)?;
        }
        Some(at)
    }

    /// `map[key]`, through a `$ref` on the map itself.
    fn get(&self, map: Id, key: &str) -> Option<Id> {
        self.get_direct(self.deref(map), key)
    }

    fn get_direct(&self, map: Id, key: &str) -> Option<Id> {
        let map = self.alias(map);
        let tree: &'t Tree = self.tree;
        let Kind::Map(entries) = &tree.node(map).kind else {
            return None;
        };
        if entries.len() <= INDEXED {
            return entries
                .iter()
                .find(|(k, _)| self.text(*k) == Some(key))
                .map(|(_, v)| *v);
        }
        let mut index = self.index.borrow_mut();
        let keys = index.entry(map).or_insert_with(|| {
            let mut keys = HashMap::with_capacity(entries.len());
            for (k, v) in entries {
                if let Some(k) = self.text(*k) {
                    // The first of duplicate keys, as the linear lookup finds it.
                    keys.entry(k).or_insert(*v);
                }
            }
            keys
        });
        keys.get(key).copied()
    }

    /// A mapping's entries with text keys (through a `$ref`).
    fn entries(&self, map: Id) -> Vec<(&'t str, Id)> {
        let tree: &'t Tree = self.tree;
        match &tree.node(self.deref(map)).kind {
            Kind::Map(entries) => entries
                .iter()
                .filter_map(|(k, v)| Some((self.text(*k)?, *v)))
                .collect(),
            _ => Vec::new(),
        }
    }

    fn items(&self, seq: Id) -> Vec<Id> {
        match &self.tree.node(self.deref(seq)).kind {
            Kind::Seq(items) => items.clone(),
            _ => Vec::new(),
        }
    }

    fn text(&self, id: Id) -> Option<&'t str> {
        let tree: &'t Tree = self.tree;
        match &tree.node(self.alias(id)).kind {
            Kind::Scalar(s) => Some(s.text.as_str()),
            _ => None,
        }
    }
}

/// Which spec field a body member path is, by its last step.
/// One member of an error schema: its path, description, and what its schema fixes.
#[derive(Debug, Default, Clone)]
struct Member {
    path: Vec<String>,
    description: String,
    /// Its schema allows one value only (`const`, or an `enum` of one): it tells no
    /// error from another (Anthropic's `type: "error"`).
    fixed: bool,
    /// The values its schema's `enum` lists, when more than one (at most 64).
    values: Vec<String>,
    /// Whether it is an object or an array (not a scalar).
    structured: bool,
}

/// A schema's member paths, each once, in the order first met (at most
/// [`MAX_MEMBERS`]).
#[derive(Debug, Default, Clone)]
struct Members {
    list: Vec<Member>,
    seen: HashSet<Vec<String>>,
}

/// Most member paths kept from one schema.
const MAX_MEMBERS: usize = 512;

impl Members {
    fn add(&mut self, member: Member) {
        if self.list.len() < MAX_MEMBERS && !self.seen.contains(&member.path) {
            self.seen.insert(member.path.clone());
            self.list.push(member);
        }
    }

    fn iter(&self) -> impl Iterator<Item = &Member> {
        self.list.iter()
    }
}

/// `member` under `step`.
fn prefixed(step: &str, member: &Member) -> Member {
    Member {
        path: std::iter::once(step.to_string())
            .chain(member.path.iter().cloned())
            .collect(),
        ..member.clone()
    }
}

/// Whether a member identifies the request, by its name (`correlationId`,
/// `trace_id`) or its description ("identifies the request", "correlation id").
fn identifies_request(member: &Member) -> bool {
    let name = member
        .path
        .last()
        .map(|n| n.to_ascii_lowercase().replace(['_', '-'], ""))
        .unwrap_or_default();
    let d = member.description.to_ascii_lowercase();
    matches!(name.as_str(), "correlationid" | "traceid" | "requestid")
        || d.contains("correlation")
        || (d.contains("identif") && d.contains("request"))
}

fn field_of(path: &[String]) -> Option<&'static str> {
    let last = path.last()?.as_str();
    Some(match last {
        "code" | "error_code" | "errorCode" => "code",
        "message" | "error_message" | "errorMessage" => "message",
        "type" | "error_type" | "errorType" => "type",
        "request_id" | "requestId" => "request_id",
        "retry_after" | "retryAfter" => "wait",
        "errors" | "details" if path.len() == 1 => "details",
        _ => return None,
    })
}

/// An entry's meaning: the status's own reason phrase, then the description the
/// most operations give (never one operation's words alone: "Returned if the file
/// is not found" is one call's, "Not Found" the status's).
fn meaning(status: u16, description: Option<&str>) -> String {
    let phrase = api_errors_spec::names::reason_variant(status)
        .map(spaced)
        .unwrap_or_else(|| format!("HTTP {status}"));
    match description.map(str::trim).filter(|d| !d.is_empty()) {
        Some(d) if d.trim_end_matches('.').eq_ignore_ascii_case(&phrase) => format!("{phrase}."),
        Some(d) => format!("{phrase}: {d}"),
        None => format!("{phrase}."),
    }
}

/// A reason phrase from its variant name: `TooManyRequests` -> `Too Many Requests`.
fn spaced(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.char_indices() {
        if i > 0 && c.is_ascii_uppercase() {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// `values` joined with `, ` in lines of at most about `width` characters.
fn wrap(values: &[String], width: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for v in values {
        let v = one_line(v);
        let line = lines.last_mut().expect("never empty");
        if !line.is_empty() && line.len() + v.len() + 2 > width {
            lines.push(String::new());
        }
        let line = lines.last_mut().expect("never empty");
        if !line.is_empty() {
            line.push_str(", ");
        }
        line.push_str(&v);
    }
    lines
}

/// Whether one path is inside the other (or the same).
fn nested(a: &[String], b: &[String]) -> bool {
    let n = a.len().min(b.len());
    a[..n] == b[..n]
}

/// Text on one line, runs of whitespace made one space.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Text for a YAML comment: one line, nothing a terminal acts on.
fn comment(text: &str) -> String {
    one_line(text).chars().filter(|c| !c.is_control()).collect()
}

/// A YAML double-quoted scalar: any text, safely.
fn quoted(text: &str) -> String {
    let mut s = String::with_capacity(text.len() + 2);
    s.push('"');
    for c in text.chars() {
        match c {
            '"' => s.push_str("\\\""),
            '\\' => s.push_str("\\\\"),
            '\n' => s.push_str("\\n"),
            '\t' => s.push_str("\\t"),
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}') => {
                let _ = write!(s, "\\u{:04x}", c as u32);
            }
            c => s.push(c),
        }
    }
    s.push('"');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_round_trips_through_the_spec_parser() {
        for text in [
            "plain",
            "a \"quote\" and \\ back",
            "tab\there\nnewline",
            "\u{7}bell",
            "é ü 中",
        ] {
            let yaml = format!("k: {}\n", quoted(text));
            let tree = yaml::parse(&yaml).unwrap();
            let Kind::Map(entries) = &tree.node(tree.root()).kind else {
                panic!()
            };
            let Kind::Scalar(s) = &tree.node(entries[0].1).kind else {
                panic!()
            };
            assert_eq!(s.text, text);
        }
    }

    #[test]
    fn pointers_escape_and_nest() {
        let p = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(pointer(&p(&["a/b", "~c", "*"])), "/a~1b/~0c/*");
        assert!(nested(&p(&["errors"]), &p(&["errors", "*", "code"])));
        assert!(!nested(&p(&["error", "code"]), &p(&["error", "message"])));
    }

    #[test]
    fn fields_by_name() {
        let p = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(field_of(&p(&["error", "code"])), Some("code"));
        assert_eq!(field_of(&p(&["errors"])), Some("details"));
        assert_eq!(field_of(&p(&["data", "errors"])), None);
        assert_eq!(field_of(&p(&["retry_after"])), Some("wait"));
    }
}
