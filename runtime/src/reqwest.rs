//! reqwest integration (feature `reqwest`): typed errors from responses, and
//! transport failures classified for the executor.

use crate::decode::PARSE_LIMIT;
use crate::error::ApiError;
use crate::kind::ApiErrorKind;
use crate::transport::{io_kind, RequestError, TransportError, TransportKind};

/// Passes a success (status below 400) through; turns an error status into an
/// [`ApiError`], reading at most 1 MiB of its body (more is not read: the
/// connection is dropped). A body that fails to arrive keeps the status and kind.
pub async fn check<K: ApiErrorKind>(
    response: reqwest::Response,
) -> Result<reqwest::Response, ApiError<K>> {
    let status = response.status();
    if status.as_u16() < 400 {
        return Ok(response);
    }
    let headers = response.headers().clone();
    let body = read_bounded(response, PARSE_LIMIT).await;
    Err(ApiError::from_response(status.as_u16(), &headers, &body))
}

/// Sends `request` and [`check`]s the response; a transport failure becomes
/// [`RequestError::Transport`], classified (connect, timeout, reset) so that the
/// executor retries it as the spec allows.
pub async fn send<K: ApiErrorKind>(
    request: reqwest::RequestBuilder,
) -> Result<reqwest::Response, RequestError<K>> {
    let response = request.send().await.map_err(TransportError::from)?;
    Ok(check(response).await?)
}

async fn read_bounded(mut response: reqwest::Response, limit: usize) -> Vec<u8> {
    let mut body = Vec::new();
    while let Ok(Some(chunk)) = response.chunk().await {
        let room = limit.saturating_sub(body.len());
        body.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if body.len() >= limit {
            break;
        }
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
