//! reqwest integration (feature `reqwest`): typed errors from responses, and
//! transport failures classified for the executor.

use std::time::Duration;

use crate::decode::PARSE_LIMIT;
use crate::error::ApiError;
use crate::kind::ApiErrorKind;
use crate::transport::{io_kind, RequestError, TransportError, TransportKind};

/// How much of an error response's body is read, and for how long.
///
/// A body that is larger, or slower, than this is cut where the bound is hit: the
/// error keeps its status and kind, and what did arrive (decoded when it is whole,
/// else as a snippet). The defaults: 1 MiB and 10 seconds. A success's body is never
/// read here.
///
/// The time bound runs on tokio's timer, so the runtime needs its time driver
/// (`#[tokio::main]` and `Runtime::new` have it), as reqwest's own timeouts do.
///
/// ```
/// use std::time::Duration;
/// use api_errors::reqwest::BodyLimits;
///
/// let limits = BodyLimits::default().timeout(Duration::from_secs(2)).max_bytes(64 * 1024);
/// assert_eq!(limits.time_limit(), Duration::from_secs(2));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BodyLimits {
    max_bytes: usize,
    timeout: Duration,
}

impl Default for BodyLimits {
    fn default() -> Self {
        BodyLimits {
            max_bytes: PARSE_LIMIT,
            timeout: Duration::from_secs(10),
        }
    }
}

impl BodyLimits {
    /// Reads at most `n` bytes of an error body (more is not read: the connection is
    /// dropped). Above 1 MiB nothing more is decoded, only kept as a snippet.
    #[must_use]
    pub fn max_bytes(mut self, n: usize) -> Self {
        self.max_bytes = n;
        self
    }

    /// Spends at most `d` reading an error body, from the moment the headers arrived.
    #[must_use]
    pub fn timeout(mut self, d: Duration) -> Self {
        self.timeout = d;
        self
    }

    /// The byte bound.
    pub fn byte_limit(&self) -> usize {
        self.max_bytes
    }

    /// The time bound.
    pub fn time_limit(&self) -> Duration {
        self.timeout
    }
}

/// Passes a success (status below 400) through; turns an error status into an
/// [`ApiError`], reading its body within the default [`BodyLimits`] (1 MiB, 10 s).
pub async fn check<K: ApiErrorKind>(
    response: reqwest::Response,
) -> Result<reqwest::Response, ApiError<K>> {
    check_with(response, BodyLimits::default()).await
}

/// As [`check`], with the error body read within `limits`.
pub async fn check_with<K: ApiErrorKind>(
    response: reqwest::Response,
    limits: BodyLimits,
) -> Result<reqwest::Response, ApiError<K>> {
    let status = response.status();
    if status.as_u16() < 400 {
        if K::SUCCESS_ERRORS.is_empty() {
            return Ok(response); // the success path: no body read
        }
        return check_success(response, limits).await;
    }
    let headers = response.headers().clone();
    let body = read_bounded(response, limits).await;
    Err(ApiError::from_response(status.as_u16(), &headers, &body))
}

/// A success under a spec with `errors_in_success`: read the body (within
/// `limits`), and either return the error it carries or give the response back
/// whole. A body that did not arrive whole within the limits cannot be judged: it
/// is a success, given back as the chunks read followed by the rest, unread.
async fn check_success<K: ApiErrorKind>(
    mut response: reqwest::Response,
    limits: BodyLimits,
) -> Result<reqwest::Response, ApiError<K>> {
    let (status, version, headers) = (
        response.status(),
        response.version(),
        response.headers().clone(),
    );
    let url = response.url().clone();
    let deadline = tokio::time::Instant::now() + limits.timeout;
    let (mut chunks, mut read, mut whole) = (Vec::new(), 0usize, false);
    while read <= limits.max_bytes {
        match tokio::time::timeout_at(deadline, response.chunk()).await {
            Ok(Ok(Some(chunk))) => {
                read += chunk.len();
                chunks.push(chunk);
            }
            Ok(Ok(None)) => {
                whole = true;
                break;
            }
            Ok(Err(_)) | Err(_) => break, // left for the caller to meet in the rest
        }
    }
    let body = if whole {
        let bytes: Vec<u8> = chunks.concat();
        if let Some(e) = ApiError::from_success(status.as_u16(), &headers, &bytes) {
            return Err(e);
        }
        reqwest::Body::from(bytes)
    } else {
        use futures_util::StreamExt;
        let read = futures_util::stream::iter(chunks.into_iter().map(Ok::<_, reqwest::Error>));
        reqwest::Body::wrap_stream(read.chain(response.bytes_stream()))
    };
    let mut rebuilt = http::Response::new(body);
    *rebuilt.status_mut() = status;
    *rebuilt.version_mut() = version;
    *rebuilt.headers_mut() = headers;
    // reqwest keeps the URL in an extension only its own builder can set: take it
    // from a carrier built that way (it cannot fail; if it did, the URL is all that
    // would be missing).
    let carrier = reqwest::ResponseBuilderExt::url(http::response::Builder::new(), url).body(());
    if let Ok(carrier) = carrier {
        *rebuilt.extensions_mut() = carrier.into_parts().0.extensions;
    }
    Ok(reqwest::Response::from(rebuilt))
}

/// Sends `request` and [`check`]s the response; a transport failure becomes
/// [`RequestError::Transport`], classified (connect, timeout, reset) so that the
/// executor retries it as the spec allows.
pub async fn send<K: ApiErrorKind>(
    request: reqwest::RequestBuilder,
) -> Result<reqwest::Response, RequestError<K>> {
    send_with(request, BodyLimits::default()).await
}

/// As [`send`], with an error body read within `limits`.
pub async fn send_with<K: ApiErrorKind>(
    request: reqwest::RequestBuilder,
    limits: BodyLimits,
) -> Result<reqwest::Response, RequestError<K>> {
    let response = request.send().await.map_err(TransportError::from)?;
    Ok(check_with(response, limits).await?)
}

/// Reads chunks until the body ends, fails, passes `max_bytes`, or the time is up;
/// whatever arrived by then is kept.
async fn read_bounded(mut response: reqwest::Response, limits: BodyLimits) -> Vec<u8> {
    let deadline = tokio::time::Instant::now() + limits.timeout;
    let mut body = Vec::new();
    while body.len() < limits.max_bytes {
        let chunk = match tokio::time::timeout_at(deadline, response.chunk()).await {
            Ok(Ok(Some(chunk))) => chunk,
            // The end, a broken body, or out of time: keep what arrived.
            Ok(Ok(None) | Err(_)) | Err(_) => break,
        };
        let room = limits.max_bytes - body.len();
        body.extend_from_slice(&chunk[..chunk.len().min(room)]);
    }
    body
}

impl From<reqwest::Error> for TransportError {
    /// Connect errors -> `Connect`; timeouts -> `Timeout`; failures while sending
    /// the request or reading the body whose cause is a reset, abort, broken pipe or
    /// early EOF -> `Reset`; the rest (builder, redirect, decode) -> `Other`.
    fn from(e: reqwest::Error) -> Self {
        let kind = if e.is_timeout() {
            TransportKind::Timeout
        } else if e.is_connect() {
            TransportKind::Connect
        } else if e.is_request() || e.is_body() {
            match io_cause(&e) {
                Some(TransportKind::Other) | None => TransportKind::Reset,
                Some(k) => k,
            }
        } else {
            TransportKind::Other
        };
        TransportError::new(kind, e)
    }
}

/// The kind of the first I/O error in `e`'s chain of causes.
fn io_cause(e: &(dyn std::error::Error + 'static)) -> Option<TransportKind> {
    let mut cause = e.source();
    while let Some(c) = cause {
        if let Some(io) = c.downcast_ref::<std::io::Error>() {
            return Some(io_kind(io));
        }
        cause = c.source();
    }
    None
}
