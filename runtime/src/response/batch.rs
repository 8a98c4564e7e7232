//! Batch responses: one 2xx whose body lists the responses of several requests, each
//! with its own status, headers and body (Microsoft Graph's `$batch`), split into
//! items, each error typed as if it had come alone.

use serde_json::Value;

use crate::kind::ApiErrorKind;
use crate::response::body::MemberPath;
use crate::response::error::ApiError;
use crate::response::text::PARSE_LIMIT;
use crate::response::walk::selects;

/// Where a batch response holds its items, as the spec's `batch:` declares: the
/// items array (an empty path: the body itself), and in each item (paths from the
/// item) its status and, where the vendor sends them, its headers, body and id.
/// Built with [`BatchShape::new`] and the `with_*` methods (all `const`), as the
/// generated code does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct BatchShape {
    /// Where the array of item responses is.
    pub items: MemberPath,
    /// In an item: its HTTP status (a number, or digits in a string).
    pub status: MemberPath,
    /// In an item: its headers, an object of name to value, or an array of
    /// `{ "name": ..., "value": ... }` objects.
    pub headers: Option<MemberPath>,
    /// In an item: its body, a JSON value, or a string holding the body's text.
    pub body: Option<MemberPath>,
    /// In an item: the id that ties it to its request.
    pub id: Option<MemberPath>,
    /// The most requests one batch may hold, where the vendor states it
    /// (`max_items`): for the sender to split its requests by, as
    /// `K::BATCH.and_then(|b| b.max_items)`; a response is read whatever its length.
    pub max_items: Option<u32>,
}

impl BatchShape {
    /// Items at `items`, each with its status at `status`.
    pub const fn new(items: MemberPath, status: MemberPath) -> Self {
        BatchShape {
            items,
            status,
            headers: None,
            body: None,
            id: None,
            max_items: None,
        }
    }
    /// The same, with each item's headers at `path`.
    #[must_use]
    pub const fn with_headers(mut self, path: MemberPath) -> Self {
        self.headers = Some(path);
        self
    }
    /// The same, with each item's body at `path`.
    #[must_use]
    pub const fn with_body(mut self, path: MemberPath) -> Self {
        self.body = Some(path);
        self
    }
    /// The same, with each item's id at `path`.
    #[must_use]
    pub const fn with_id(mut self, path: MemberPath) -> Self {
        self.id = Some(path);
        self
    }
    /// The same, with at most `n` requests in one batch.
    #[must_use]
    pub const fn with_max_items(mut self, n: u32) -> Self {
        self.max_items = Some(n);
        self
    }
}

/// One item of a batch response: what the server said of one request of the batch,
/// and, when that is an error, the error, typed and with its retry guidance as if
/// the request had been sent alone. Made by [`ApiError::from_batch`].
#[derive(Debug)]
#[non_exhaustive]
pub struct BatchItem<K: ApiErrorKind> {
    /// The item's id, where the spec names one and the item has it (a number keeps
    /// its digits).
    pub id: Option<String>,
    /// The item's HTTP status; `None` when the item has none that reads as one
    /// (100-999): such an item is kept, with no error made of it.
    pub status: Option<u16>,
    /// The item's headers, as sent (values that are numbers or booleans as text).
    pub headers: Vec<(String, String)>,
    /// The item's body: its JSON text, or the text of a string body; empty when it
    /// has none.
    pub body: Vec<u8>,
    /// The item's error: for an error status, as
    /// [`from_response`](ApiError::from_response) makes it from the item's status,
    /// headers and body; for a 2xx, as [`from_success`](ApiError::from_success) does
    /// (an error inside a successful item); `None` for a success.
    pub error: Option<ApiError<K>>,
}

impl<K: ApiErrorKind> BatchItem<K> {
    /// Whether the item succeeded: a 2xx status, and no error in it (a 1xx or 3xx
    /// item is neither a success nor an error: look at its status).
    pub fn is_success(&self) -> bool {
        matches!(self.status, Some(200..=299)) && self.error.is_none()
    }

    /// Whether the item failed with an error its spec says may be retried: the items
    /// to send again (after the longest of their
    /// [`retry_after`](ApiError::retry_after) waits).
    pub fn is_retryable(&self) -> bool {
        use crate::Retryable as _;
        self.error
            .as_ref()
            .is_some_and(|e| e.retry_hint().is_retryable())
    }
}

impl<K: ApiErrorKind> ApiError<K> {
    /// Splits a batch response (a 2xx whose body lists the responses of several
    /// requests) into its items, as the spec's `batch:` declares, each error typed
    /// with its own status, headers and body. `None` when the spec declares no
    /// batch, or the body is not one: not JSON, over the parse limit (1 MiB),
    /// nested deeper than 128 levels, or without an array where the items are.
    ///
    /// Per-item retry: resend the items that
    /// [`is_retryable`](BatchItem::is_retryable), after the longest
    /// [`retry_after`](ApiError::retry_after) among them.
    ///
    /// ```
    /// use api_errors::{api_errors, ApiError};
    ///
    /// #[api_errors(vendor = "microsoft-graph")]
    /// pub enum Graph {}
    ///
    /// let body = br#"{"responses": [
    ///   {"id": "1", "status": 200, "body": {"id": "a"}},
    ///   {"id": "2", "status": 429, "headers": {"Retry-After": "10"},
    ///    "body": {"error": {"code": "TooManyRequests", "message": "Throttled"}}},
    ///   {"id": "3", "status": 424, "body": {"error": {"code": "", "message": "Depends on 2"}}}
    /// ]}"#;
    /// let items = ApiError::<Graph>::from_batch(body).unwrap();
    /// assert!(items[0].is_success());
    /// let throttled = items[1].error.as_ref().unwrap();
    /// assert_eq!(throttled.kind(), Graph::TooManyRequests);
    /// assert_eq!(throttled.retry_after(), Some(std::time::Duration::from_secs(10)));
    /// assert_eq!(items[2].error.as_ref().unwrap().kind(), Graph::FailedDependency);
    /// let resend: Vec<_> = items.iter()
    ///     .filter(|i| i.is_retryable())
    ///     .filter_map(|i| i.id.as_deref())
    ///     .collect();
    /// assert_eq!(resend, ["2"]);
    /// ```
    pub fn from_batch(body: &[u8]) -> Option<Vec<BatchItem<K>>> {
        let shape = K::BATCH?;
        let items = split(&shape, body)?;
        Some(
            items
                .into_iter()
                .map(|raw| {
                    let error = raw.status.and_then(|status| {
                        if K::is_error_status(status) {
                            Some(ApiError::from_response(status, &raw.headers[..], &raw.body))
                        } else if (200..300).contains(&status) {
                            ApiError::from_success(status, &raw.headers[..], &raw.body)
                        } else {
                            None
                        }
                    });
                    BatchItem {
                        id: raw.id,
                        status: raw.status,
                        headers: raw.headers,
                        body: raw.body,
                        error,
                    }
                })
                .collect(),
        )
    }
}

/// One item as read, before its error is made.
struct RawItem {
    id: Option<String>,
    status: Option<u16>,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

/// The items of `body` (not generic: compiled once, in this crate).
fn split(shape: &BatchShape, body: &[u8]) -> Option<Vec<RawItem>> {
    if body.len() > PARSE_LIMIT {
        return None;
    }
    // serde_json stops at 128 levels of nesting: a deep body is an error, not a
    // stack overflow.
    let root: Value = serde_json::from_slice(body).ok()?;
    let items = at(&root, shape.items)?.as_array()?;
    Some(
        items
            .iter()
            .map(|item| RawItem {
                id: shape.id.and_then(|p| at(item, p)).and_then(scalar),
                status: at(item, shape.status).and_then(status),
                headers: shape
                    .headers
                    .and_then(|p| at(item, p))
                    .map(headers)
                    .unwrap_or_default(),
                body: match shape.body.and_then(|p| at(item, p)) {
                    None | Some(Value::Null) => Vec::new(),
                    Some(Value::String(s)) => s.as_bytes().to_vec(),
                    Some(v) => serde_json::to_vec(v).unwrap_or_default(),
                },
            })
            .collect(),
    )
}

/// The value at `path` from `v`, read as the body walk reads a member path: member
/// names, and array steps as [`selects`] takes them (an index, or `*` for the first
/// element that has the rest of the path).
fn at<'v>(v: &'v Value, path: &[&str]) -> Option<&'v Value> {
    let Some((step, rest)) = path.split_first() else {
        return Some(v);
    };
    match v {
        Value::Object(m) => at(m.get(*step)?, rest),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .filter(|(i, _)| selects(step, *i))
            .find_map(|(_, e)| at(e, rest)),
        _ => None,
    }
}

/// A string, number or boolean as text.
fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn status(v: &Value) -> Option<u16> {
    let n = match v {
        Value::Number(n) => n.as_u64()?,
        Value::String(s)
            if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) && s.len() <= 3 =>
        {
            s.parse().ok()?
        }
        _ => return None,
    };
    u16::try_from(n).ok().filter(|s| (100..=999).contains(s))
}

/// An object of name to value, or an array of `{name, value}` objects.
fn headers(v: &Value) -> Vec<(String, String)> {
    match v {
        Value::Object(m) => m
            .iter()
            .filter_map(|(k, v)| Some((k.clone(), scalar(v)?)))
            .collect(),
        Value::Array(a) => a
            .iter()
            .filter_map(|h| {
                let name = scalar(h.get("name")?)?;
                Some((name, scalar(h.get("value")?)?))
            })
            .collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHAPE: BatchShape = BatchShape::new(&["responses"], &["status"])
        .with_headers(&["headers"])
        .with_body(&["body"])
        .with_id(&["id"]);

    #[test]
    fn items_headers_bodies_and_odd_values() {
        let body = br#"{"responses":[
            {"id":1,"status":"429","headers":[{"name":"Retry-After","value":3}],"body":"{\"error\":{}}"},
            {"id":"b","status":99,"body":null},
            {"status":1000,"headers":{"x":true,"y":{"no":1}}}
        ]}"#;
        let items = split(&SHAPE, body).unwrap();
        assert_eq!(items.len(), 3);
        assert_eq!(items[0].id.as_deref(), Some("1"));
        assert_eq!(items[0].status, Some(429));
        assert_eq!(
            items[0].headers,
            [("Retry-After".to_string(), "3".to_string())]
        );
        assert_eq!(items[0].body, br#"{"error":{}}"#);
        assert_eq!((items[1].status, items[1].body.len()), (None, 0));
        assert_eq!(items[2].status, None);
        assert_eq!(items[2].headers, [("x".to_string(), "true".to_string())]);
    }

    #[test]
    fn array_steps_are_read_as_the_body_walk_reads_them() {
        let body = br#"{"r":[{"s":[100,404]}]}"#;
        let status = |path| split(&BatchShape::new(&["r"], path), body).unwrap()[0].status;
        assert_eq!(status(&["s", "1"]), Some(404));
        assert_eq!(status(&["s", "*"]), Some(100));
        // Not an index as RFC 6901 writes one.
        assert_eq!(status(&["s", "01"]), None);
        assert_eq!(status(&["s", "+1"]), None);
    }

    #[test]
    fn what_is_not_a_batch_is_none() {
        for body in [&b""[..], b"not json", br#"{"responses":{}}"#, br#"[1]"#] {
            assert!(split(&SHAPE, body).is_none());
        }
        let deep = format!("{}{}", "[".repeat(200_000), "]".repeat(200_000));
        assert!(split(&SHAPE, deep.as_bytes()).is_none());
        let root = BatchShape::new(&[], &["code"]);
        let items = split(&root, br#"[{"code":500},{"code":200}]"#).unwrap();
        assert_eq!(
            items.iter().map(|i| i.status).collect::<Vec<_>>(),
            [Some(500), Some(200)]
        );
    }
}
