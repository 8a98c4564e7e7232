//! reqwest integration (feature `reqwest`): typed errors from responses, and
//! transport failures classified for the executor.

pub use crate::http::limits::BodyLimits;
use crate::http::transport::{io_cause, RequestError, TransportError, TransportKind};
use crate::kind::ApiErrorKind;
use crate::response::error::ApiError;

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
    judge(response, limits).await.map_err(|(error, _)| error)
}

/// What [`judge`] gives back with an error: the error, and the response rebuilt from
/// what was read (for a middleware that hands it on when no retry follows).
pub(crate) type Judged<K> = (ApiError<K>, reqwest::Response);

/// [`check_with`], also giving back the error response (rebuilt from what was read:
/// the body moves into it, only the URL is copied).
pub(crate) async fn judge<K: ApiErrorKind>(
    response: reqwest::Response,
    limits: BodyLimits,
) -> Result<reqwest::Response, Judged<K>> {
    let status = response.status();
    if status.as_u16() < 400 && K::SUCCESS_ERRORS.is_empty() {
        return Ok(response); // the success path: no body read
    }
    // Reading a body takes a large future: boxed, so that the success path above
    // (and every future that awaits this one) stays small.
    Box::pin(read_and_judge(response, limits)).await
}

/// A response whose body must be read to judge it.
async fn read_and_judge<K: ApiErrorKind>(
    response: reqwest::Response,
    limits: BodyLimits,
) -> Result<reqwest::Response, Judged<K>> {
    let status = response.status();
    if status.as_u16() < 400 {
        return check_success(response, limits).await;
    }
    let (version, headers) = (response.version(), response.headers().clone());
    let url = response.url().clone();
    let body = read_bounded(response, limits).await;
    let error = ApiError::from_response(status.as_u16(), &headers, &body);
    Err((error, rebuild(status, version, headers, url, body.into())))
}

/// A success under a spec with `errors_in_success`: read the body (within
/// `limits`), and either return the error it carries or give the response back
/// whole. A body that did not arrive whole within the limits cannot be judged: it
/// is a success, given back as the chunks read followed by the rest, unread.
async fn check_success<K: ApiErrorKind>(
    mut response: reqwest::Response,
    limits: BodyLimits,
) -> Result<reqwest::Response, Judged<K>> {
    let (status, version, headers) = (
        response.status(),
        response.version(),
        response.headers().clone(),
    );
    let url = response.url().clone();
    let deadline = tokio::time::Instant::now() + limits.time_limit();
    let (mut chunks, mut read, mut whole) = (Vec::new(), 0usize, false);
    while read <= limits.byte_limit() {
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
            return Err((e, rebuild(status, version, headers, url, bytes.into())));
        }
        reqwest::Body::from(bytes)
    } else {
        use futures_util::StreamExt;
        let read = futures_util::stream::iter(chunks.into_iter().map(Ok::<_, reqwest::Error>));
        reqwest::Body::wrap_stream(read.chain(response.bytes_stream()))
    };
    Ok(rebuild(status, version, headers, url, body))
}

/// A response from its parts, as reqwest would have made it.
fn rebuild(
    status: http::StatusCode,
    version: http::Version,
    headers: http::HeaderMap,
    url: reqwest::Url,
    body: reqwest::Body,
) -> reqwest::Response {
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
    reqwest::Response::from(rebuilt)
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
    let deadline = tokio::time::Instant::now() + limits.time_limit();
    let mut body = Vec::new();
    while body.len() < limits.byte_limit() {
        let chunk = match tokio::time::timeout_at(deadline, response.chunk()).await {
            Ok(Ok(Some(chunk))) => chunk,
            // The end, a broken body, or out of time: keep what arrived.
            Ok(Ok(None) | Err(_)) | Err(_) => break,
        };
        let room = limits.byte_limit() - body.len();
        body.extend_from_slice(&chunk[..chunk.len().min(room)]);
    }
    body
}

impl From<reqwest::Error> for TransportError {
    /// Connect errors -> `Connect`; timeouts -> `Timeout`; failures while sending
    /// the request or reading the body whose cause is a reset, abort, broken pipe or
    /// early EOF -> `Reset`; the rest (builder, redirect, decode) -> `Other`.
    fn from(e: reqwest::Error) -> Self {
        TransportError::new(TransportError::kind_of(&e), e)
    }
}

impl TransportError {
    /// How a reqwest error is classified (see the `From<reqwest::Error>` impl).
    pub(crate) fn kind_of(e: &reqwest::Error) -> TransportKind {
        if e.is_timeout() {
            TransportKind::Timeout
        } else if e.is_connect() {
            TransportKind::Connect
        } else if e.is_request() || e.is_body() {
            match std::error::Error::source(e).and_then(io_cause) {
                Some(TransportKind::Other) | None => TransportKind::Reset,
                Some(k) => k,
            }
        } else {
            TransportKind::Other
        }
    }
}
