//! `ApiError<K>`: the generated kind plus everything the server said.

use std::fmt;
use std::time::{Duration, SystemTime};

use crate::kind::{ApiErrorKind, RetryHint};
use crate::response::body::{BodyShape, Clean, Field, ObjectFields};
use crate::response::decode::{self, ErrorObject};
use crate::response::decoded::Extra;
use crate::response::text::bounded;
use crate::retry::executor::Retryable;

/// Longest raw body snippet kept (bytes), for bodies that are not what the spec says.
pub const SNIPPET_LIMIT: usize = 512;

/// Response headers, as far as an error needs them. Implemented for slices and
/// arrays of name/value pairs (`&[("retry-after", "2")]`), for `()` (no headers:
/// pass `&()`; an empty `&[]` has no element type to infer) and, with the `http`
/// feature, for `http::HeaderMap`. Names are matched case-insensitively.
pub trait Headers {
    /// The value of the first header named `name`, if any.
    fn header(&self, name: &str) -> Option<&[u8]>;
}

impl Headers for () {
    fn header(&self, _: &str) -> Option<&[u8]> {
        None
    }
}

impl<N: AsRef<str>, V: AsRef<[u8]>> Headers for [(N, V)] {
    fn header(&self, name: &str) -> Option<&[u8]> {
        self.iter()
            .find(|(n, _)| n.as_ref().eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_ref())
    }
}

impl<N: AsRef<str>, V: AsRef<[u8]>, const L: usize> Headers for [(N, V); L] {
    fn header(&self, name: &str) -> Option<&[u8]> {
        self[..].header(name)
    }
}

#[cfg(feature = "http")]
#[cfg_attr(docsrs, doc(cfg(feature = "http")))]
impl Headers for http::HeaderMap {
    fn header(&self, name: &str) -> Option<&[u8]> {
        self.get(name).map(|v| v.as_bytes())
    }
}

/// A failed API call: the generated error kind `K` and what the server said.
///
/// `Result<T, ApiError<K>>` stays small: the kind (4 bytes) and status sit inline,
/// and everything a server may or may not send (message, ids, app code,
/// `Retry-After`, error objects, body snippet) is behind one `Box`, allocated only
/// when there is something to keep. `size_of::<ApiError<K>>()` is 16 bytes on
/// 64-bit targets.
///
/// ```
/// use api_errors::{api_errors, ApiError};
///
/// #[api_errors(vendor = "amplemarket")]
/// pub enum Amplemarket {}
///
/// let body = br#"{"_errors":[{"status":"402","code":"insufficient_credits","detail":"0 credits left"}]}"#;
/// let e = ApiError::<Amplemarket>::from_response(402, &(), body);
/// assert_eq!(e.kind(), Amplemarket::InsufficientCredits);
/// assert_eq!(e.message(), Some("0 credits left"));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct ApiError<K> {
    kind: K,
    status: u16,
    details: Option<Box<Details>>,
}

/// Where an error was found, which decides what may identify it.
#[derive(Debug, Clone, Copy)]
enum Found {
    /// An error status: the body's matchers and codes (each with this status), then
    /// the status itself.
    Status(u16),
    /// Inside a successful response, by the spec's `errors_in_success` rules: the
    /// body alone (the status says the request succeeded).
    Success(u16),
    /// Inside a stream, with no status of its own: the body alone.
    Stream,
}

/// The parts of an [`ApiError`] that a response may or may not carry. Built where
/// it will live (the body is decoded straight into the box), so a decode moves no
/// large struct.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Details {
    /// What the body said.
    body: decode::Decoded,
    retry_after: Option<Duration>,
    /// The server stated `retry_after` as a minimum (a wait source `as: minimum`).
    wait_is_minimum: bool,
    should_retry: Option<bool>,
    snippet: Option<String>,
    /// An error inside a 2xx whose body shows that the operation took effect.
    took_effect: bool,
    /// What the spec's rate-limit headers said (`limits.headers`), when it has any.
    rate: Option<Box<crate::RateState>>,
}

impl Details {
    fn is_empty(&self) -> bool {
        let Details {
            body,
            retry_after,
            wait_is_minimum: _,
            should_retry,
            snippet,
            took_effect,
            rate,
        } = self;
        !body.extracted_anything()
            && retry_after.is_none()
            && should_retry.is_none()
            && snippet.is_none()
            && !took_effect
            && rate.is_none()
    }
}

impl<K: ApiErrorKind> ApiError<K> {
    /// Builds the error from an error response: decodes `body` as the spec's `body:`
    /// declares, picks the kind, and reads the server's wait from the spec's wait
    /// sources (`Retry-After` by default).
    ///
    /// The kind is, in this order: the first of the spec's matchers (entries with
    /// `type` or `message_contains`, most conditions first) whose every condition holds
    /// (the status, the body's error type, text in its message, one of its codes);
    /// else the entry of the body's app code, when the spec documents that code with
    /// this `status` (a code never moves an error into another status's retry class);
    /// else the status's entry (`Unknown(status)` when the spec has none). See the
    /// [`identification`](crate::guide::identification) guide.
    ///
    /// `headers` is `&()` when there are none, a slice or array of pairs
    /// (`&[("retry-after", "2")]`), or (feature `http`) a `HeaderMap`.
    ///
    /// Never panics, and loses nothing the server said: a body that is empty, not
    /// JSON, truncated, of the wrong shape, nested too deep or larger than 1 MiB keeps
    /// the status and kind, and a snippet of at most [`SNIPPET_LIMIT`] bytes; so does a
    /// body in which no declared member could be read, or one was present but not
    /// what the spec declares (an object where text is declared).
    pub fn from_response<H: Headers + ?Sized>(status: u16, headers: &H, body: &[u8]) -> Self {
        Self::build(Found::Status(status), headers, body, SystemTime::now)
    }

    /// As [`from_response`](Self::from_response), with the time to measure an
    /// HTTP-date `Retry-After` from.
    pub fn from_response_at<H: Headers + ?Sized>(
        status: u16,
        headers: &H,
        body: &[u8],
        now: SystemTime,
    ) -> Self {
        Self::build(Found::Status(status), headers, body, || now)
    }

    /// Every constructor: where the error was `found` decides how it is identified
    /// (see [`Found`]). `now` is read only when the response states a wait (the
    /// clock is not free).
    fn build<H: Headers + ?Sized>(
        found: Found,
        headers: &H,
        body: &[u8],
        now: impl FnOnce() -> SystemTime,
    ) -> Self {
        // An empty body gives nothing to decode: most such errors carry nothing at
        // all, and then nothing is allocated. Any other body leaves something to keep
        // (its members, or a snippet), so its details are built in the box at once.
        let (kind, status, details) = if body.is_empty() {
            let mut d = Details::default();
            let (kind, status) = Self::fill(&mut d, found, headers, body, now);
            (kind, status, (!d.is_empty()).then(|| Box::new(d)))
        } else {
            let mut d = Box::<Details>::default();
            let (kind, status) = Self::fill(&mut d, found, headers, body, now);
            (kind, status, (!d.is_empty()).then_some(d))
        };
        ApiError {
            kind,
            status,
            details,
        }
    }

    /// Fills `d` from the response; returns the kind and the status.
    fn fill<H: Headers + ?Sized>(
        d: &mut Details,
        found: Found,
        headers: &H,
        body: &[u8],
        now: impl FnOnce() -> SystemTime,
    ) -> (K, u16) {
        let decoded = decode::decode(&K::BODY, &K::PLAN, body, &mut d.body);
        // Whatever the server said is kept: when no declared member could be read
        // out of the body, or one was there but not readable as declared, its start
        // is kept as a snippet (decided on the body alone, before headers may fill in
        // a code or a type).
        let kept = decoded && d.body.extracted_anything() && !d.body.unreadable;
        if !kept && !body.is_empty() {
            d.snippet = Some(snippet(body));
        }
        if let BodyShape::Object(fields) = &K::BODY {
            resolve_alternatives(fields, headers, &mut d.body);
        }
        let wall = std::cell::LazyCell::new(now);
        if let Some((wait, minimum)) =
            server_wait(K::WAITS, headers, d.body.get(d.body.wait), || *wall)
        {
            d.retry_after = Some(wait);
            d.wait_is_minimum = minimum;
        }
        if !K::LIMITS.headers().is_empty() {
            let state = K::LIMITS.headers().read(headers, *wall);
            d.rate = (!state.is_empty()).then(|| Box::new(state));
        }
        d.should_retry = K::SHOULD_RETRY
            .and_then(|name| headers.header(name))
            .and_then(|v| match v.trim_ascii() {
                v if v.eq_ignore_ascii_case(b"true") => Some(true),
                v if v.eq_ignore_ascii_case(b"false") => Some(false),
                _ => None,
            });
        match found {
            Found::Status(status) => {
                let kind = identify::<K, H>(Some(status), &d.body, headers);
                (kind.unwrap_or_else(|| K::from_status(status)), status)
            }
            // Inside a 2xx the status says nothing of the error: only the body
            // identifies it (an entry documented with this status first).
            Found::Success(status) => {
                d.took_effect = crate::response::walk::any_rule_holds(K::PARTIAL_SUCCESS, body);
                let kind = identify::<K, H>(Some(status), &d.body, headers)
                    .or_else(|| identify::<K, H>(None, &d.body, headers));
                (kind.unwrap_or_else(|| K::unknown(status)), status)
            }
            Found::Stream => match identify::<K, H>(None, &d.body, headers) {
                Some(kind) => (kind, kind.status()),
                None => (K::unknown(200), 200),
            },
        }
    }

    /// A successful (2xx) response that the spec's `errors_in_success` rules make an
    /// error (a GraphQL `errors` array, an `ok: false` flag), as an `ApiError` of
    /// its status; `None` when no rule holds, or the spec has none (then the body is
    /// not even read). The body is only read: the caller still has it whole.
    ///
    /// Such an error is identified by what its body says (matchers, then app codes;
    /// an entry documented with this status first, then any), never by the status
    /// alone: an error the spec does not document is `Unknown(status)`, never
    /// retried. When the spec's `partial_success` rules hold (a GraphQL `data`
    /// beside the `errors`), the operation took effect
    /// ([`took_effect`](Self::took_effect)), and the error is not retried.
    pub fn from_success<H: Headers + ?Sized>(
        status: u16,
        headers: &H,
        body: &[u8],
    ) -> Option<Self> {
        crate::response::walk::any_rule_holds(K::SUCCESS_ERRORS, body)
            .then(|| Self::build(Found::Success(status), headers, body, SystemTime::now))
    }

    /// An error object that arrived inside a successful response's stream (an SSE
    /// `error` event after a 200, say): `data` is the event's JSON, read as the
    /// spec's `body:` declares. There is no meaningful status, so the entry is found
    /// by its type, message and codes alone, and its documented status is the one
    /// kept; an error the spec does not document (or an event that is not an error
    /// at all: `[DONE]`, an empty or non-JSON event) is `Unknown(200)`, never
    /// retried, with its text kept as a snippet.
    ///
    /// ```
    /// use api_errors::{api_errors, ApiError};
    ///
    /// #[api_errors(vendor = "anthropic")]
    /// pub enum E {}
    ///
    /// let event = br#"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#;
    /// let e = ApiError::<E>::from_stream_event(event);
    /// assert_eq!((e.kind(), e.status()), (E::Overloaded, 529));
    /// assert_eq!(e.message(), Some("Overloaded"));
    /// assert_eq!(ApiError::<E>::from_stream_event(b"[DONE]").kind(), E::Unknown(200));
    /// ```
    pub fn from_stream_event(data: &[u8]) -> Self {
        Self::build(Found::Stream, &(), data, SystemTime::now)
    }

    /// An error of `kind` for `status`, with nothing else known.
    pub fn new(kind: K, status: u16) -> Self {
        ApiError {
            kind,
            status,
            details: None,
        }
    }

    /// The generated kind: match on it.
    pub fn kind(&self) -> K {
        self.kind
    }

    /// The same error as another kind: for what a spec truly cannot say (a
    /// vendor's rule that needs the request to decide, say). The status and
    /// everything the server said are kept.
    #[must_use]
    pub fn with_kind(mut self, kind: K) -> Self {
        self.kind = kind;
        self
    }

    /// The same error with the wait the executor should honour set (or cleared,
    /// with `None`), replacing what the spec's wait sources found.
    #[must_use]
    pub fn with_retry_after(mut self, wait: Option<Duration>) -> Self {
        if wait.is_some() || self.details.is_some() {
            let d = self.details.get_or_insert_with(Box::default);
            d.retry_after = wait;
            d.wait_is_minimum = false;
        }
        self
    }

    /// The same error with the server's message set (for an error you build from a
    /// source the spec does not describe).
    #[must_use]
    pub fn with_message(mut self, message: impl Into<String>) -> Self {
        let body = &mut self.details.get_or_insert_with(Box::default).body;
        body.message = Some(body.push(&message.into()));
        self
    }
}

impl<K> ApiError<K> {
    /// The HTTP status the server sent.
    pub fn status(&self) -> u16 {
        self.status
    }

    fn details(&self) -> Option<&Details> {
        self.details.as_deref()
    }

    /// The server's own message (the body's message, or the first error object's
    /// `detail` or `title`), cut to 4 KiB.
    pub fn message(&self) -> Option<&str> {
        let d = &self.details()?.body;
        d.get(d.message).or_else(|| {
            let first = d.errors.first()?;
            first.detail.as_deref().or(first.title.as_deref())
        })
    }

    /// The app error code the body carried (for an error array, the first error
    /// object's that has one).
    pub fn code(&self) -> Option<&str> {
        let d = &self.details()?.body;
        d.get(d.code)
            .or_else(|| d.errors.iter().find_map(|e| e.code.as_deref()))
    }

    /// The error's type, where the spec's body declares a `type` member (a second
    /// identity beside the code: `invalid_request_error`, `insufficient_quota`, ...).
    pub fn error_type(&self) -> Option<&str> {
        let d = &self.details()?.body;
        d.get(d.kind)
    }

    /// The vendor's request id, where the body has one (for an error array, the
    /// first error object's `id`; for problem details, the `instance`).
    pub fn request_id(&self) -> Option<&str> {
        let d = &self.details()?.body;
        d.get(d.request_id)
            .or_else(|| d.errors.first()?.id.as_deref())
    }

    /// The vendor's trace id, where the body has one.
    pub fn trace_id(&self) -> Option<&str> {
        let d = &self.details()?.body;
        d.get(d.trace_id)
    }

    /// The raw JSON of the body's structured details, for an `object` body whose
    /// spec names a `details` member (Attraqt's `details: []`); cut to 4 KiB.
    pub fn details_json(&self) -> Option<&str> {
        let d = &self.details()?.body;
        d.get(d.details)
    }

    /// The wait the server asked for: from the first of the spec's wait sources
    /// (`waits:`; by default `Retry-After`) that the response carries readably.
    pub fn retry_after(&self) -> Option<Duration> {
        self.details()?.retry_after
    }

    /// Whether the server stated [`retry_after`](Self::retry_after) as a minimum
    /// (the spec's wait source says `as: minimum`): the retry then waits the
    /// schedule's delay, at least this, instead of exactly this.
    pub fn wait_is_minimum(&self) -> bool {
        self.details().is_some_and(|d| d.wait_is_minimum)
    }

    /// A further member the spec names under `body.extra` (a documentation URL, a
    /// warning, a header's value, ...) as text, if the response had it and it is text
    /// (a string, a number or a boolean; an object or an array is
    /// [`member_json`](Self::member_json)'s).
    pub fn member(&self, name: &str) -> Option<&str> {
        let d = &self.details()?.body;
        d.get(d.extra.iter().find(|e| e.name == name)?.text)
    }

    /// A further body member the spec names under `body.extra`, as its raw JSON,
    /// whatever it is (an object, an array, a string with its quotes, ...), if the
    /// body had it; kept whole up to [`JSON_LIMIT`](crate::JSON_LIMIT) bytes. `None`
    /// for a member read from a header (it is text: [`member`](Self::member)).
    pub fn member_json(&self, name: &str) -> Option<&str> {
        let d = &self.details()?.body;
        d.get(d.extra.iter().find(|e| e.name == name)?.json)
    }

    /// Whether the operation took effect although the response carries an error: an
    /// error inside a 2xx whose body the spec's `partial_success` rules say shows it
    /// (a GraphQL `data` beside its `errors`). Such an error is not retried (unless
    /// the server's `should_retry_header` says `true`).
    pub fn took_effect(&self) -> bool {
        self.details().is_some_and(|d| d.took_effect)
    }

    /// What the server said of retrying in the spec's `should_retry_header`
    /// (`x-should-retry: true|false`), if it said it.
    pub fn server_says_retry(&self) -> Option<bool> {
        self.details()?.should_retry
    }

    /// Every error object of a JSON:API-style body (at most 32).
    pub fn errors(&self) -> &[ErrorObject] {
        self.details().map_or(&[], |d| &d.body.errors)
    }

    /// The start of a body that was not what the spec declares (at most
    /// [`SNIPPET_LIMIT`] bytes, invalid UTF-8 replaced).
    pub fn body_snippet(&self) -> Option<&str> {
        self.details()?.snippet.as_deref()
    }
}

/// Fills each datum the first place did not give from the spec's alternatives, in
/// order (body paths read by the decoder, headers read here), then cleans up the code
/// and the type. A response with no decodable body can still be identified by its
/// headers.
fn resolve_alternatives<H: Headers + ?Sized>(
    fields: &ObjectFields,
    headers: &H,
    d: &mut decode::Decoded,
) {
    for &(name, from) in fields.extra {
        if let crate::WaitFrom::Header(header) = from {
            let value = headers
                .header(header)
                .and_then(|v| std::str::from_utf8(v).ok());
            if let Some(v) = value {
                let text = Some(d.push(bounded(v.trim(), decode::TEXT_LIMIT)));
                d.extra.push(Extra {
                    name,
                    text,
                    json: None,
                });
            }
        }
    }
    let mut body_index = 0;
    for alt in fields.alternatives {
        let filled = match alt.field {
            Field::Code => d.code,
            Field::Kind => d.kind,
            Field::Message => d.message,
            Field::RequestId => d.request_id,
        };
        let value = match alt.from {
            crate::WaitFrom::Header(_) if filled.is_some() => None,
            crate::WaitFrom::Header(name) => headers
                .header(name)
                .and_then(|v| std::str::from_utf8(v).ok())
                .map(|v| d.push(bounded(v.trim(), decode::TEXT_LIMIT))),
            crate::WaitFrom::Body(_) => {
                body_index += 1;
                d.alternatives.get(body_index - 1).copied().flatten()
            }
            // Not a place a datum is read from (the spec never declares one here).
            crate::WaitFrom::Until { .. } => None,
        };
        let slot = match alt.field {
            Field::Code => &mut d.code,
            Field::Kind => &mut d.kind,
            Field::Message => &mut d.message,
            Field::RequestId => &mut d.request_id,
        };
        if slot.is_none() {
            *slot = value;
        }
    }
    if fields.clean == Clean::default() {
        return;
    }
    for which in [Field::Code, Field::Kind] {
        let span = if which == Field::Code { d.code } else { d.kind };
        let Some(text) = d.get(span) else {
            continue;
        };
        let cleaned = fields.clean.apply(text);
        if cleaned.len() != text.len() {
            let cleaned = cleaned.to_owned();
            let span = Some(d.push(&cleaned));
            if which == Field::Code {
                d.code = span;
            } else {
                d.kind = span;
            }
        }
    }
}

/// The first wait the response states, trying `sources` in order.
fn server_wait<H: Headers + ?Sized>(
    sources: &[crate::WaitSource],
    headers: &H,
    body_wait: Option<&str>,
    now: impl FnOnce() -> SystemTime,
) -> Option<(Duration, bool)> {
    let now = std::cell::LazyCell::new(now);
    sources.iter().find_map(|s| {
        if let Some((name, want)) = s.only_if {
            let have = headers.header(name)?;
            if have.trim_ascii() != want.as_bytes() {
                return None;
            }
        }
        let text = match s.from {
            crate::WaitFrom::Header(name) => std::str::from_utf8(headers.header(name)?).ok()?,
            crate::WaitFrom::Body(_) => body_wait?,
            crate::WaitFrom::Until { .. } => "",
        };
        s.read(text, *now).map(|w| (w, s.minimum))
    })
}

/// The entry a decoded body points to, if any: first the matchers (error type,
/// message text), most conditions first; then the body's app codes, each only with
/// the status its entry is documented with (a code never moves an error into another
/// status's retry class); `None` leaves the status to decide.
/// With `status` `None` (an error inside a stream), any entry's status will do.
fn identify<K: ApiErrorKind, H: Headers + ?Sized>(
    status: Option<u16>,
    d: &decode::Decoded,
    headers: &H,
) -> Option<K> {
    let (code, kind) = (d.get(d.code), d.get(d.kind));
    // Every code the body carries at the places the spec lists, in its order (a
    // chain of ever more specific codes: the first an entry knows identifies), then
    // each error object's.
    let (alternatives, clean) = match K::BODY {
        BodyShape::Object(f) => (f.alternatives, f.clean),
        _ => (&[][..], Clean::NONE),
    };
    let codes = move || {
        let further = alternatives
            .iter()
            .filter(|a| matches!(a.from, crate::WaitFrom::Body(_)))
            .zip(&d.alternatives)
            .filter(|(a, _)| a.field == Field::Code)
            .filter_map(move |(_, span)| d.get(*span))
            .map(move |c| clean.apply(c));
        code.into_iter()
            .chain(further)
            .chain(d.errors.iter().filter_map(|e| e.code.as_deref()))
    };
    let message = d.get(d.message).or_else(|| {
        let first = d.errors.first()?;
        first.detail.as_deref().or(first.title.as_deref())
    });
    K::MATCHERS
        .iter()
        .find(|m| m.matches(status, codes(), kind, message, headers))
        .map(|m| m.kind())
        .or_else(|| {
            codes().find_map(|c| K::from_code(c).filter(|k| status.is_none_or(|s| k.stands_for(s))))
        })
}

fn snippet(body: &[u8]) -> String {
    let cut = &body[..body.len().min(SNIPPET_LIMIT)];
    let text = String::from_utf8_lossy(cut);
    // Lossy decoding may grow the text (a cut character becomes U+FFFD): bound again.
    bounded(&text, SNIPPET_LIMIT).to_owned()
}

impl<K: fmt::Debug> fmt::Debug for ApiError<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("ApiError");
        d.field("kind", &self.kind).field("status", &self.status);
        if let Some(x) = self.details() {
            let b = &x.body;
            let opt = [
                ("message", b.get(b.message)),
                ("code", b.get(b.code)),
                ("error_type", b.get(b.kind)),
                ("request_id", b.get(b.request_id)),
                ("trace_id", b.get(b.trace_id)),
                ("details_json", b.get(b.details)),
                ("body_snippet", x.snippet.as_deref()),
            ];
            for (name, value) in opt {
                if let Some(v) = value {
                    d.field(name, &v);
                }
            }
            if let Some(r) = x.retry_after {
                d.field("retry_after", &r);
            }
            if !b.errors.is_empty() {
                d.field("errors", &b.errors);
            }
            for e in &b.extra {
                d.field(e.name, &b.get(e.text.or(e.json)));
            }
            if let Some(s) = x.should_retry {
                d.field("server_says_retry", &s);
            }
        }
        d.finish()
    }
}

impl<K: ApiErrorKind> fmt::Display for ApiError<K> {
    /// `Vendor api: HTTP 402: meaning (server: its message) [request_id ...]`: which
    /// vendor and API, which status, what it means, and what the server said. Server
    /// text is written with its control characters escaped (`\n`, `\u{1b}`), so that
    /// a message cannot forge log lines or terminal escapes.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(K::VENDOR)?;
        f.write_str(" ")?;
        f.write_str(K::API)?;
        write!(f, ": HTTP {}: ", self.status)?;
        match self.kind.status() == self.status {
            true => write!(f, "{}", self.kind)?,
            // `Unknown(status)` says the status itself; keep only its meaning.
            false => f.write_str(self.kind.message())?,
        }
        if let Some(m) = self.message() {
            f.write_str(" (server: ")?;
            write_escaped(f, m)?;
            f.write_str(")")?;
        }
        if let Some(id) = self.request_id() {
            f.write_str(" [request_id ")?;
            write_escaped(f, id)?;
            f.write_str("]")?;
        }
        Ok(())
    }
}

/// Writes `s` with control characters escaped as Rust writes them, the rest as is.
pub(crate) fn write_escaped(f: &mut fmt::Formatter<'_>, s: &str) -> fmt::Result {
    let mut rest = s;
    while let Some(i) = rest.find(char::is_control) {
        f.write_str(&rest[..i])?;
        let c = rest[i..].chars().next().unwrap_or_default();
        write!(f, "{}", c.escape_default())?;
        rest = &rest[i + c.len_utf8()..];
    }
    f.write_str(rest)
}

impl<K: ApiErrorKind> std::error::Error for ApiError<K> {}

impl<K> ApiError<K> {
    /// What the spec's rate-limit headers (`limits.headers`) said in this response:
    /// remaining, limit, reset, bucket, scope; `None` when the spec names none or the
    /// response carried none of them.
    pub fn rate_limit(&self) -> Option<&crate::RateState> {
        self.details()?.rate.as_deref()
    }
}

impl<K: ApiErrorKind> Retryable for ApiError<K> {
    /// The kind's guidance, unless the server overrode it through the spec's
    /// `should_retry_header`: `false` never retries, `true` retries (with the kind's
    /// waits, without its condition: the server knows the request may be repeated).
    fn retry_hint(&self) -> RetryHint {
        let hint = self.kind.retry_hint();
        match self.server_says_retry() {
            // Repeating an operation that took effect would do it twice.
            None if self.took_effect() => RetryHint::NEVER,
            None => hint,
            Some(false) => RetryHint::NEVER,
            Some(true) => RetryHint::new(
                crate::RetryWhen::Always,
                hint.min_wait(),
                hint.honours_retry_after(),
            ),
        }
    }
    fn retry_after(&self) -> Option<Duration> {
        let d = self.details()?;
        d.retry_after.filter(|_| !d.wait_is_minimum)
    }
    fn wait_floor(&self) -> Option<Duration> {
        let d = self.details()?;
        d.retry_after.filter(|_| d.wait_is_minimum)
    }
    fn rate_state(&self) -> Option<&crate::RateState> {
        self.details()?.rate.as_deref()
    }
    fn is_throttling(&self) -> bool {
        matches!(self.status, 429 | 503)
    }
    fn max_wait(&self) -> Option<Duration> {
        K::MAX_WAIT
    }
}

#[cfg(feature = "http")]
#[cfg_attr(docsrs, doc(cfg(feature = "http")))]
impl<K: ApiErrorKind> ApiError<K> {
    /// From an `http::Response` whose body is bytes (read it first, bounded).
    pub fn from_http<B: AsRef<[u8]>>(response: &http::Response<B>) -> Self {
        Self::from_http_parts(
            response.status(),
            response.headers(),
            response.body().as_ref(),
        )
    }

    /// From the parts of an `http` response.
    pub fn from_http_parts(
        status: http::StatusCode,
        headers: &http::HeaderMap,
        body: &[u8],
    ) -> Self {
        Self::from_response(status.as_u16(), headers, body)
    }
}
