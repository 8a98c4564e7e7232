//! What every HTTP retry adapter shares: which requests may be repeated, and a
//! failed attempt as a per-retry callback sees it.

use std::sync::Arc;

use crate::kind::ApiErrorKind;
use crate::response::error::ApiError;
use crate::retry::executor::RetryEvent;

/// Marks one request as idempotent (safe to repeat) or not, overriding what its
/// method says. Put it in the request's extensions (tower: `http::Request`'s;
/// reqwest-middleware: `RequestBuilder::with_extension`).
///
/// Without it, `GET`, `HEAD`, `OPTIONS`, `TRACE`, `PUT` and `DELETE` are idempotent
/// (RFC 9110, section 9.2.2) and every other method is not: a `POST` is then retried
/// only for errors whose spec entry says it is always safe (the request was not acted
/// on), never for `if_idempotent` ones. Mark a `POST` that carries an idempotency key
/// [`Idempotent::YES`].
///
/// ```
/// use api_errors::Idempotent;
///
/// let mut request = http::Request::post("http://127.0.0.1/v1/charges").body(()).unwrap();
/// request.extensions_mut().insert(Idempotent::YES); // it carries an Idempotency-Key
/// assert!(api_errors::is_idempotent(request.method(), request.extensions()));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Idempotent(bool);

/// The caller key a request counts under for a pacer's `per: caller` limits (a user
/// id, a channel id), and its cost (events in a batch, tokens; default 1). Put it in
/// the request's extensions, as [`Idempotent`]; the route is the request's method
/// and path.
///
/// ```
/// use api_errors::PaceKey;
///
/// let mut request = http::Request::post("http://127.0.0.1/2/httpapi").body(()).unwrap();
/// request.extensions_mut().insert(PaceKey::new("user-42").cost(5));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PaceKey {
    caller: Option<String>,
    cost: u32,
}

impl PaceKey {
    /// Counted under `caller`, cost 1.
    pub fn new(caller: impl Into<String>) -> Self {
        PaceKey {
            caller: Some(caller.into()),
            cost: 1,
        }
    }

    /// Counted under no caller key, costing `cost` (at least 1).
    pub fn cost_only(cost: u32) -> Self {
        PaceKey {
            caller: None,
            cost: cost.max(1),
        }
    }

    /// The same key, costing `cost` (at least 1).
    #[must_use]
    pub fn cost(mut self, cost: u32) -> Self {
        self.cost = cost.max(1);
        self
    }
}

/// What a request is for a pacer, owned (the layers' attempts outlive the request).
#[cfg(any(feature = "tower", feature = "reqwest-middleware"))]
#[derive(Debug, Clone, Default)]
pub(crate) struct Paced {
    route: String,
    caller: Option<String>,
    write: bool,
    cost: u32,
}

#[cfg(any(feature = "tower", feature = "reqwest-middleware"))]
impl Paced {
    /// The request with `method` to `path`, its [`PaceKey`] if the extensions hold one.
    pub(crate) fn of(method: &http::Method, path: &str, extensions: &http::Extensions) -> Self {
        let key = extensions.get::<PaceKey>();
        Paced {
            route: format!("{method} {path}"),
            caller: key.and_then(|k| k.caller.clone()),
            write: !matches!(
                *method,
                http::Method::GET | http::Method::HEAD | http::Method::OPTIONS
            ),
            cost: key.map_or(1, |k| k.cost),
        }
    }

    pub(crate) fn request(&self) -> crate::PaceRequest<'_> {
        let r = crate::PaceRequest::new()
            .route(&self.route)
            .write(self.write)
            .cost(self.cost);
        match &self.caller {
            Some(c) => r.caller(c),
            None => r,
        }
    }
}

impl Idempotent {
    /// The request may be repeated (it is idempotent, or carries an idempotency key).
    pub const YES: Idempotent = Idempotent(true);
    /// The request must not be repeated, whatever its method says.
    pub const NO: Idempotent = Idempotent(false);

    /// [`YES`](Self::YES) or [`NO`](Self::NO).
    pub const fn new(yes: bool) -> Self {
        Idempotent(yes)
    }

    /// Whether the request may be repeated.
    pub const fn get(self) -> bool {
        self.0
    }
}

/// Whether a request may be repeated: its [`Idempotent`] extension when it has one,
/// else what its method says.
pub fn is_idempotent(method: &http::Method, extensions: &http::Extensions) -> bool {
    use http::Method as M;
    match extensions.get::<Idempotent>() {
        Some(marked) => marked.get(),
        None => matches!(
            *method,
            M::GET | M::HEAD | M::OPTIONS | M::TRACE | M::PUT | M::DELETE
        ),
    }
}

/// A failed attempt, as a layer's [`on_retry`](crate::tower::RetryLayer::on_retry)
/// callback sees it: an error response, judged by the spec, or a failure below HTTP
/// (the client's own error).
#[derive(Debug)]
#[non_exhaustive]
pub enum Failure<'a, K> {
    /// The server answered with an error (or an error inside a 2xx).
    Status(&'a ApiError<K>),
    /// No response came, or its body failed: the client's error.
    Transport(&'a (dyn std::error::Error + Send + Sync + 'static)),
}

impl<K: ApiErrorKind> std::fmt::Display for Failure<'_, K> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Status(e) => e.fmt(f),
            Failure::Transport(e) => e.fmt(f),
        }
    }
}

/// A layer's per-retry callback: it sees each failed attempt, its number, and the
/// wait before the next (or why no retry follows), as the executor's `notify` does.
pub type OnRetry<K> = Arc<dyn Fn(&RetryEvent<'_, Failure<'_, K>>) + Send + Sync>;
