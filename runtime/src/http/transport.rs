//! Failures below HTTP (connect, timeout, reset), and the error type that joins
//! them with [`ApiError`] for the executor.

use std::fmt;
use std::time::Duration;

use crate::kind::{ApiErrorKind, RetryHint};
use crate::response::error::ApiError;
use crate::retry::executor::{BoxError, Retryable};

/// What went wrong below HTTP.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportKind {
    /// No connection was made: the request never reached the server.
    Connect,
    /// The request or its response timed out.
    Timeout,
    /// The connection was reset or closed mid-way.
    Reset,
    /// Anything else (a malformed request, a bad redirect, an undecodable body).
    Other,
}

/// A failure below HTTP, with its cause.
#[derive(Debug)]
pub struct TransportError {
    kind: TransportKind,
    source: BoxError,
}

impl TransportError {
    /// A transport failure of `kind`, caused by `source`.
    pub fn new(kind: TransportKind, source: impl Into<BoxError>) -> Self {
        TransportError {
            kind,
            source: source.into(),
        }
    }

    /// Classifies an I/O error: refused or unreachable -> `Connect`, timed out ->
    /// `Timeout`, reset, aborted, broken pipe or early EOF -> `Reset`.
    pub fn from_io(e: std::io::Error) -> Self {
        TransportError::new(io_kind(&e), e)
    }

    /// What went wrong.
    pub fn kind(&self) -> TransportKind {
        self.kind
    }

    /// The retry guidance for this failure under the spec of `K`: the spec's
    /// `transport:` rule for this kind of failure, else:
    ///
    /// - `Connect`: the request never reached the server, so it is always safe to
    ///   retry: backoff;
    /// - `Timeout`, `Reset`: the server may have acted on the request: retry only an
    ///   idempotent request;
    /// - `Other`: never (retrying the same malformed request cannot help).
    pub fn retry_hint<K: ApiErrorKind>(&self) -> RetryHint {
        hint_for::<K>(self.kind)
    }
}

/// The retry guidance for a transport failure of `kind` under the spec of `K`.
pub(crate) fn hint_for<K: ApiErrorKind>(kind: TransportKind) -> RetryHint {
    let rules = K::TRANSPORT;
    match kind {
        TransportKind::Connect => rules.connect.unwrap_or(RetryHint::BACKOFF),
        TransportKind::Timeout => rules.timeout.unwrap_or(RetryHint::IF_IDEMPOTENT),
        TransportKind::Reset => rules.reset.unwrap_or(RetryHint::IF_IDEMPOTENT),
        TransportKind::Other => RetryHint::NEVER,
    }
}

/// The kind of the first I/O error in `e`'s chain of causes (`e` itself included).
#[cfg(any(feature = "reqwest", feature = "tower"))]
pub(crate) fn io_cause(e: &(dyn std::error::Error + 'static)) -> Option<TransportKind> {
    let mut cause = Some(e);
    while let Some(c) = cause {
        if let Some(io) = c.downcast_ref::<std::io::Error>() {
            return Some(io_kind(io));
        }
        cause = c.source();
    }
    None
}

pub(crate) fn io_kind(e: &std::io::Error) -> TransportKind {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::ConnectionRefused
        | K::NotFound
        | K::AddrNotAvailable
        | K::HostUnreachable
        | K::NetworkUnreachable => TransportKind::Connect,
        K::TimedOut | K::WouldBlock => TransportKind::Timeout,
        K::ConnectionReset
        | K::ConnectionAborted
        | K::BrokenPipe
        | K::UnexpectedEof
        | K::NotConnected => TransportKind::Reset,
        _ => TransportKind::Other,
    }
}

impl From<std::io::Error> for TransportError {
    /// As [`TransportError::from_io`]: refused or unreachable -> `Connect`, timed out
    /// -> `Timeout`, reset, aborted, broken pipe or early EOF -> `Reset`.
    fn from(e: std::io::Error) -> Self {
        TransportError::from_io(e)
    }
}

impl From<BoxError> for TransportError {
    /// As [`TransportError::from_boxed`].
    fn from(e: BoxError) -> Self {
        TransportError::from_boxed(e)
    }
}

impl TransportError {
    /// Classifies any error by its chain of causes (the error itself first): a
    /// `TransportError` in it keeps its kind, an I/O error is classified as
    /// [`from_io`](TransportError::from_io) does (with feature `tower-retry`, tower's
    /// timeout `Elapsed` is a `Timeout`); anything else is `Other`. For a service
    /// whose error is boxed: `.map_err(TransportError::from_boxed)` in a
    /// `ServiceBuilder` (a name that needs no annotation, where `From::from` may).
    pub fn from_boxed(e: BoxError) -> Self {
        match e.downcast::<TransportError>() {
            Ok(already) => *already,
            Err(e) => TransportError::new(classify(&*e), e),
        }
    }
}

/// The kind of the first failure in `e`'s chain of causes (`e` itself first) that
/// says what it is: a [`TransportError`], an I/O error, or (feature `tower-retry`)
/// tower's timeout; `Other` when none does.
pub(crate) fn classify(e: &(dyn std::error::Error + 'static)) -> TransportKind {
    let mut cause = Some(e);
    while let Some(c) = cause {
        if let Some(t) = c.downcast_ref::<TransportError>() {
            return t.kind;
        }
        if let Some(io) = c.downcast_ref::<std::io::Error>() {
            return io_kind(io);
        }
        #[cfg(feature = "tower-retry")]
        if c.is::<tower::timeout::error::Elapsed>() {
            return TransportKind::Timeout;
        }
        cause = c.source();
    }
    TransportKind::Other
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            TransportKind::Connect => "could not connect",
            TransportKind::Timeout => "timed out",
            TransportKind::Reset => "connection reset",
            TransportKind::Other => "transport error",
        };
        // The cause is `source()`, not repeated here (errors read well in a chain).
        f.write_str(what)
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.source)
    }
}

/// A failed request: the server answered with an error, or no answer came.
/// What a client's call returns for the executor to decide on.
#[derive(Debug)]
#[non_exhaustive]
pub enum RequestError<K> {
    /// The server answered with an error status.
    Api(ApiError<K>),
    /// No (complete) answer came.
    Transport(TransportError),
}

impl<K> RequestError<K> {
    /// The API error, if the server answered.
    pub fn api(&self) -> Option<&ApiError<K>> {
        match self {
            RequestError::Api(e) => Some(e),
            RequestError::Transport(_) => None,
        }
    }
}

impl<K> From<ApiError<K>> for RequestError<K> {
    fn from(e: ApiError<K>) -> Self {
        RequestError::Api(e)
    }
}

impl<K> From<TransportError> for RequestError<K> {
    fn from(e: TransportError) -> Self {
        RequestError::Transport(e)
    }
}

impl<K: ApiErrorKind> fmt::Display for RequestError<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RequestError::Api(e) => e.fmt(f),
            RequestError::Transport(e) => e.fmt(f),
        }
    }
}

/// Transparent: it displays as the error it holds, and its source is that error's.
impl<K: ApiErrorKind> std::error::Error for RequestError<K> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            RequestError::Api(e) => std::error::Error::source(e),
            RequestError::Transport(e) => std::error::Error::source(e),
        }
    }
}

impl<K: ApiErrorKind> Retryable for RequestError<K> {
    fn retry_hint(&self) -> RetryHint {
        match self {
            RequestError::Api(e) => e.retry_hint(),
            RequestError::Transport(t) => t.retry_hint::<K>(),
        }
    }
    fn retry_after(&self) -> Option<Duration> {
        match self {
            RequestError::Api(e) => Retryable::retry_after(e),
            RequestError::Transport(_) => None,
        }
    }
    fn wait_floor(&self) -> Option<Duration> {
        match self {
            RequestError::Api(e) => e.wait_floor(),
            RequestError::Transport(_) => None,
        }
    }
    fn max_wait(&self) -> Option<Duration> {
        K::MAX_WAIT
    }
    fn rate_state(&self) -> Option<&crate::RateState> {
        match self {
            RequestError::Api(e) => e.rate_state(),
            RequestError::Transport(_) => None,
        }
    }
    fn is_throttling(&self) -> bool {
        matches!(self, RequestError::Api(e) if e.is_throttling())
    }
}
