//! reqwest integration (feature `reqwest`): typed errors from responses, and
//! transport failures classified for the executor.

use bytes::Bytes;

pub use crate::http::limits::BodyLimits;
use crate::http::transport::{io_cause, RequestError, TransportError, TransportKind};
use crate::kind::ApiErrorKind;
use crate::response::error::ApiError;

/// Passes a success through; turns an error into an [`ApiError`], reading its body
/// within the default [`BodyLimits`] (1 MiB, 10 s).
///
/// An error is a status of 400 or above, or a 2xx that the spec's `errors_in_success`
/// rules make one (a GraphQL `errors` array): such a 2xx's body is read to judge it,
/// and given back whole in the response when it is no error. Every other response
/// passes unread. A body that fails while it is read to judge a 2xx is no shorter
/// success: the response comes back with a body that ends in that error, as plain
/// reqwest would give it ([`send`] gives it as the transport error it is).
pub async fn check<K: ApiErrorKind>(
    response: reqwest::Response,
) -> Result<reqwest::Response, ApiError<K>> {
    check_with(response, BodyLimits::default()).await
}

/// As [`check`], with the body read within `limits`.
pub async fn check_with<K: ApiErrorKind>(
    response: reqwest::Response,
    limits: BodyLimits,
) -> Result<reqwest::Response, ApiError<K>> {
    match judge(response, limits, None).await {
        Ok(response) => Ok(response),
        Err(Judged::Api(error, _)) => Err(error),
        // The caller meets the body's error where it reads the body.
        Err(Judged::Failed(cut)) => Ok(cut.into_response()),
    }
}

/// What [`judge`] finds in a response that is not a plain success.
pub(crate) enum Judged<K> {
    /// An error (its status, or the spec's rules on a 2xx), and the response rebuilt
    /// whole: what was read, then whatever was not (or the error the body met).
    Api(ApiError<K>, reqwest::Response),
    /// A 2xx whose body failed while it was read to judge it: a transport error.
    Failed(Cut),
}

/// A body that failed while it was read: the response's head, what arrived, and
/// the error.
pub(crate) struct Cut {
    head: Head,
    chunks: Vec<Bytes>,
    error: reqwest::Error,
}

impl Cut {
    /// The transport error the body met.
    pub(crate) fn into_error(self) -> reqwest::Error {
        self.error
    }

    /// The response, its body what arrived and then the error.
    fn into_response(self) -> reqwest::Response {
        let Cut {
            head,
            chunks,
            error,
        } = self;
        let chunks = chunks
            .into_iter()
            .map(Ok)
            .chain(std::iter::once(Err(error)));
        head.rebuild(reqwest::Body::wrap_stream(futures_util::stream::iter(
            chunks,
        )))
    }
}

/// Judges `response` by the spec of `K`, reading its body within `limits` (and by
/// `deadline` at the latest, when one holds the call). A plain success passes
/// unread.
pub(crate) async fn judge<K: ApiErrorKind>(
    response: reqwest::Response,
    limits: BodyLimits,
    deadline: Option<tokio::time::Instant>,
) -> Result<reqwest::Response, Judged<K>> {
    let status = response.status();
    if !K::is_error_status(status.as_u16()) && K::SUCCESS_ERRORS.is_empty() {
        return Ok(response); // the success path: no body read
    }
    // Reading a body takes a large future: boxed, so that the success path above
    // (and every future that awaits this one) stays small.
    Box::pin(read_and_judge(response, limits, deadline)).await
}

/// A response whose body must be read to judge it.
async fn read_and_judge<K: ApiErrorKind>(
    response: reqwest::Response,
    limits: BodyLimits,
    deadline: Option<tokio::time::Instant>,
) -> Result<reqwest::Response, Judged<K>> {
    let status = response.status().as_u16();
    let read = read_bounded(response, limits, deadline).await;
    if K::is_error_status(status) {
        // What arrived, within the byte bound, is what the error decodes.
        let body = read.joined(limits.byte_limit());
        let error = ApiError::from_response(status, &read.head.headers, &body);
        return Err(Judged::Api(error, read.into_response()));
    }
    match read.end {
        End::Whole => {
            let body = read.joined(usize::MAX);
            match ApiError::from_success(status, &read.head.headers, &body) {
                Some(error) => Err(Judged::Api(error, read.head.rebuild(body.into()))),
                None => Ok(read.head.rebuild(body.into())),
            }
        }
        // Not whole within the bounds: it cannot be judged, so it passes, whole.
        End::Bounded(_) => Ok(read.into_response()),
        End::Failed(error) => Err(Judged::Failed(Cut {
            head: read.head,
            chunks: read.chunks,
            error,
        })),
    }
}

/// A response's head, kept to rebuild it around a body that was read.
struct Head {
    status: http::StatusCode,
    version: http::Version,
    headers: http::HeaderMap,
    url: reqwest::Url,
}

impl Head {
    /// A response from its parts, as reqwest would have made it.
    fn rebuild(self, body: reqwest::Body) -> reqwest::Response {
        let mut rebuilt = http::Response::new(body);
        *rebuilt.status_mut() = self.status;
        *rebuilt.version_mut() = self.version;
        *rebuilt.headers_mut() = self.headers;
        // reqwest keeps the URL in an extension only its own builder can set: take
        // it from a carrier built that way (it cannot fail; if it did, the URL is
        // all that would be missing).
        let carrier =
            reqwest::ResponseBuilderExt::url(http::response::Builder::new(), self.url).body(());
        if let Ok(carrier) = carrier {
            *rebuilt.extensions_mut() = carrier.into_parts().0.extensions;
        }
        reqwest::Response::from(rebuilt)
    }
}

/// How a bounded read ended.
enum End {
    /// The body ended: it was read whole.
    Whole,
    /// A bound (size or time) was met first: the response holds the rest, unread.
    Bounded(Box<reqwest::Response>),
    /// The body failed (a reset, a cut `Content-Length`, a bad chunk).
    Failed(reqwest::Error),
}

/// What a bounded read gives.
struct Read {
    head: Head,
    chunks: Vec<Bytes>,
    end: End,
}

impl Read {
    /// The chunks read, as one buffer of at most `limit` bytes.
    fn joined(&self, limit: usize) -> Vec<u8> {
        let mut body =
            Vec::with_capacity(self.chunks.iter().map(Bytes::len).sum::<usize>().min(limit));
        for chunk in &self.chunks {
            let room = limit - body.len();
            body.extend_from_slice(&chunk[..chunk.len().min(room)]);
        }
        body
    }

    /// The response whole: what was read, then what was not, or the error the
    /// body met (never a shorter body that ends as if complete).
    fn into_response(self) -> reqwest::Response {
        let Read { head, chunks, end } = self;
        use futures_util::StreamExt;
        let read = futures_util::stream::iter(chunks.into_iter().map(Ok::<_, reqwest::Error>));
        let body = match end {
            End::Whole => reqwest::Body::wrap_stream(read),
            End::Bounded(rest) => reqwest::Body::wrap_stream(read.chain(rest.bytes_stream())),
            End::Failed(error) => {
                reqwest::Body::wrap_stream(read.chain(futures_util::stream::iter([Err(error)])))
            }
        };
        head.rebuild(body)
    }
}

/// Reads chunks until the body ends, fails, passes `max_bytes`, or the time is up
/// (the limits' time from now, or `deadline` if sooner).
async fn read_bounded(
    mut response: reqwest::Response,
    limits: BodyLimits,
    deadline: Option<tokio::time::Instant>,
) -> Read {
    let head = Head {
        status: response.status(),
        version: response.version(),
        headers: std::mem::take(response.headers_mut()),
        url: response.url().clone(),
    };
    let mut until = tokio::time::Instant::now() + limits.time_limit();
    if let Some(d) = deadline {
        until = until.min(d);
    }
    let (mut chunks, mut read) = (Vec::new(), 0usize);
    let end = loop {
        if read > limits.byte_limit() {
            break End::Bounded(Box::new(response));
        }
        match tokio::time::timeout_at(until, response.chunk()).await {
            Ok(Ok(Some(chunk))) => {
                read += chunk.len();
                chunks.push(chunk);
            }
            Ok(Ok(None)) => break End::Whole,
            Ok(Err(e)) => break End::Failed(e),
            Err(_) => break End::Bounded(Box::new(response)),
        }
    };
    Read { head, chunks, end }
}

/// Sends `request` and [`check`]s the response; a transport failure becomes
/// [`RequestError::Transport`], classified (connect, timeout, reset) so that the
/// executor retries it as the spec allows. So does a 2xx body that fails while it
/// is read to judge it.
pub async fn send<K: ApiErrorKind>(
    request: reqwest::RequestBuilder,
) -> Result<reqwest::Response, RequestError<K>> {
    send_with(request, BodyLimits::default()).await
}

/// As [`send`], with the body read within `limits`.
pub async fn send_with<K: ApiErrorKind>(
    request: reqwest::RequestBuilder,
    limits: BodyLimits,
) -> Result<reqwest::Response, RequestError<K>> {
    let response = request.send().await.map_err(TransportError::from)?;
    match judge(response, limits, None).await {
        Ok(response) => Ok(response),
        Err(Judged::Api(error, _)) => Err(RequestError::Api(error)),
        Err(Judged::Failed(cut)) => Err(TransportError::from(cut.into_error()).into()),
    }
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
        } else if e.is_request() || e.is_body() || e.is_decode() {
            match std::error::Error::source(e).and_then(io_cause) {
                Some(TransportKind::Other) | None => TransportKind::Reset,
                Some(k) => k,
            }
        } else {
            TransportKind::Other
        }
    }
}
