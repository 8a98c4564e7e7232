//! A tower layer that retries `http` requests as a spec says (feature `tower`).
//!
//! [`RetryLayer`] wraps any [`Service`] of `http::Request<B>` to `http::Response<_>`
//! (a hyper client, a tonic channel, an axum router in tests, ...). Each response is
//! judged by the spec of `K`, as [`ApiError::from_response`] does (an error status,
//! or an error in a 2xx where the spec has `errors_in_success` rules), and retried
//! exactly as [`RetryPolicy`] decides: the kind's retry class, the server's waits,
//! the budget, the deadline, idempotency (from the method, or [`Idempotent`] in the
//! request's extensions) and the re-authentication hook.
//!
//! When no retry follows, the caller gets the last response, whole (its body was read
//! within [`BodyLimits`] to judge it, and is given back as read), so the layer is
//! transparent to code that checks statuses itself. A transport error is given back
//! as the service's error, boxed. Requests are repeated by cloning them, so the
//! request body must be `Clone` (`String`, `Bytes`, `http_body_util::Full`, ...): a
//! streaming body cannot be sent twice. Without a deadline (`max_elapsed`), a success
//! costs one clone of the request (kept for a retry) and one of the service (the
//! tower contract: the instance polled ready takes the call); the executor is only
//! built after a failure, and a success's body passes through unread and unboxed.
//!
//! ```no_run
//! use api_errors::{api_errors, tower::RetryLayer, RetryPolicy};
//! use tower_layer::Layer;
//!
//! #[api_errors(vendor = "openai")]
//! pub enum OpenAi {}
//!
//! # fn wrap<S>(client: S) {
//! let client = RetryLayer::<OpenAi>::new(RetryPolicy::default()).layer(client);
//! # }
//! ```
//!
//! [`ApiError::from_response`]: crate::ApiError::from_response
//! [`Idempotent`]: crate::Idempotent

use std::collections::VecDeque;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};
use http_body_util::BodyExt;
use tower_layer::Layer;
use tower_service::Service;

use crate::http::attempt::Paced;
use crate::http::layer::{
    is_idempotent, layer_builder, DeadlineExceeded, Failed, ReauthFuture, Setup,
};
use crate::http::limits::BodyLimits;
use crate::http::transport::{io_cause, TransportKind};
use crate::kind::ApiErrorKind;
use crate::response::error::ApiError;
use crate::retry::executor::{BoxError, DefaultSleeper};
use crate::retry::policy::RetryPolicy;
use crate::retry::time::Sleeper;

/// A [`Layer`] that retries requests as the spec of `K` and a [`RetryPolicy`] say.
/// See the [module documentation](self).
pub struct RetryLayer<K, S = DefaultSleeper> {
    setup: Setup<K, S>,
    kind: PhantomData<fn() -> K>,
}

layer_builder!(
    RetryLayer,
    "layer",
    " (a token store that the inner service reads on each call, say)."
);

impl<K, S: Clone> Clone for RetryLayer<K, S> {
    fn clone(&self) -> Self {
        RetryLayer {
            setup: self.setup.clone(),
            kind: PhantomData,
        }
    }
}

impl<Svc, K, S: Clone> Layer<Svc> for RetryLayer<K, S> {
    type Service = RetryService<Svc, K, S>;
    fn layer(&self, inner: Svc) -> Self::Service {
        RetryService {
            inner,
            layer: self.clone(),
        }
    }
}

/// The service a [`RetryLayer`] makes.
pub struct RetryService<Svc, K, S = DefaultSleeper> {
    inner: Svc,
    layer: RetryLayer<K, S>,
}

impl<Svc: Clone, K, S: Clone> Clone for RetryService<Svc, K, S> {
    fn clone(&self) -> Self {
        RetryService {
            inner: self.inner.clone(),
            layer: self.layer.clone(),
        }
    }
}

impl<Svc: std::fmt::Debug, K, S: std::fmt::Debug> std::fmt::Debug for RetryService<Svc, K, S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RetryService")
            .field("inner", &self.inner)
            .field("layer", &self.layer)
            .finish()
    }
}

type Attempt<K, B> = Failed<K, http::Response<RetryBody<B>>, BoxError>;

impl<Svc, K, S, ReqB, ResB> Service<http::Request<ReqB>> for RetryService<Svc, K, S>
where
    Svc: Service<http::Request<ReqB>, Response = http::Response<ResB>> + Clone + Send + 'static,
    Svc::Future: Send,
    Svc::Error: Into<BoxError>,
    ReqB: Clone + Send + 'static,
    ResB: Body<Data = Bytes> + Send + 'static,
    ResB::Error: Into<BoxError>,
    K: ApiErrorKind + Send + Sync + 'static,
    S: Sleeper + Clone + Send + Sync + 'static,
    S::Sleep: Send,
{
    type Response = http::Response<RetryBody<ResB>>;
    type Error = BoxError;
    type Future = Boxed<ResB>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.inner.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, request: http::Request<ReqB>) -> Self::Future {
        // The instance that was polled ready takes the first attempt; later attempts
        // use clones of it, each made ready first.
        let spare = self.inner.clone();
        let mut ready = std::mem::replace(&mut self.inner, spare);
        let setup = self.layer.setup.clone();
        let idempotent = is_idempotent(request.method(), request.extensions());
        if !setup.first_outside() {
            // A deadline holds every attempt: all of them run in the executor.
            let fresh = ready.clone();
            return retries::<K, _, _, _, _>(setup, idempotent, None, request, ready, Some(fresh));
        }
        // The success path builds no executor: the first attempt is sent now, and
        // only a failure goes on to the executor (boxed, so this future stays small),
        // with the same service for the retries.
        let template = request.clone();
        let first = ready.call(request);
        Box::pin(async move {
            let limits = setup.limits;
            let failed = match first.await.map_err(transport::<K, ResB>) {
                Ok(response) if passes::<K, _>(&response) => {
                    setup.record_success();
                    return Ok(response.map(RetryBody::new));
                }
                Ok(response) => match Box::pin(read_and_judge(response, limits, None)).await {
                    Ok(response) => {
                        setup.record_success();
                        return Ok(response);
                    }
                    Err(failed) => failed,
                },
                Err(failed) => failed,
            };
            retries::<K, _, _, _, _>(setup, idempotent, Some(failed), template, ready, None).await
        })
    }
}

/// Whether a response passes unread: a success, under a spec without
/// `errors_in_success` rules.
fn passes<K: ApiErrorKind, B>(response: &http::Response<B>) -> bool {
    !K::is_error_status(response.status().as_u16()) && K::SUCCESS_ERRORS.is_empty()
}

/// The future of a call through the layer.
type Boxed<B> =
    Pin<Box<dyn Future<Output = Result<http::Response<RetryBody<B>>, BoxError>> + Send>>;

/// The executor's part: every attempt after a `first` that failed (`None`: every
/// attempt), each with a copy of `template`, through `fresh` (a service polled
/// ready) first, then clones of `proto`, each made ready.
fn retries<K, Svc, S, ReqB, ResB>(
    setup: Setup<K, S>,
    idempotent: bool,
    first: Option<Attempt<K, ResB>>,
    template: http::Request<ReqB>,
    proto: Svc,
    fresh: Option<Svc>,
) -> Boxed<ResB>
where
    Svc: Service<http::Request<ReqB>, Response = http::Response<ResB>> + Clone + Send + 'static,
    Svc::Future: Send,
    Svc::Error: Into<BoxError>,
    ReqB: Clone + Send + 'static,
    ResB: Body<Data = Bytes> + Send + 'static,
    ResB::Error: Into<BoxError>,
    K: ApiErrorKind + Send + Sync + 'static,
    S: Sleeper + Clone + Send + Sync + 'static,
    S::Sleep: Send,
{
    Box::pin(async move {
        let limits = setup.limits;
        // A deadline holds the reading of bodies too: an error body still arriving
        // when it passes is cut there, so that its status and waits are kept.
        let deadline = setup.deadline();
        let paced = Paced::of(
            template.method(),
            template.uri().path(),
            template.extensions(),
        );
        let observer = setup
            .policy
            .pacer
            .is_some()
            .then(|| (setup.clone(), paced.clone()));
        let mut fresh = fresh;
        let attempts = move || {
            let request = template.clone();
            let observer = observer.clone();
            // The service polled ready, or a clone of it to make ready.
            let service = fresh.take().ok_or_else(|| proto.clone());
            async move {
                let mut service = match service {
                    Ok(ready) => ready,
                    Err(mut s) => {
                        std::future::poll_fn(|cx| s.poll_ready(cx))
                            .await
                            .map_err(transport)?;
                        s
                    }
                };
                attempt::<K, _, _, _, _>(&mut service, request, limits, deadline, observer).await
            }
        };
        match setup
            .retry(idempotent, first, paced.request(), attempts)
            .await
        {
            Ok(response) => Ok(response),
            Err(gave_up) => {
                let attempts = gave_up.attempts;
                match gave_up.error {
                    Some(Failed::Status { response, .. }) => Ok(response),
                    Some(Failed::Transport { error, .. }) => Err(error),
                    None => Err(Box::new(DeadlineExceeded { attempts }) as BoxError),
                }
            }
        }
    })
}

/// One attempt: the request sent through a ready `service`, the response judged
/// (and shown to the policy's pacer, through `observer`, when it has one).
async fn attempt<K, Svc, ReqB, ResB, S>(
    service: &mut Svc,
    request: http::Request<ReqB>,
    limits: BodyLimits,
    deadline: Option<tokio::time::Instant>,
    observer: Option<(Setup<K, S>, Paced)>,
) -> Result<http::Response<RetryBody<ResB>>, Attempt<K, ResB>>
where
    K: ApiErrorKind,
    Svc: Service<http::Request<ReqB>, Response = http::Response<ResB>>,
    Svc::Error: Into<BoxError>,
    ResB: Body<Data = Bytes>,
    ResB::Error: Into<BoxError>,
    S: Sleeper + Clone + Send + Sync + 'static,
    S::Sleep: Send,
{
    let response = service.call(request).await.map_err(transport)?;
    // Successes only: the executor learns from the errors (once: an adaptive pacer
    // must slow down once per throttle).
    let status = response.status().as_u16();
    if let Some((setup, paced)) = observer.as_ref().filter(|_| !K::is_error_status(status)) {
        setup.observe(paced, status, response.headers());
    }
    if passes::<K, _>(&response) {
        return Ok(response.map(RetryBody::new)); // the success path: no body read
    }
    // Reading a body takes a large future: boxed, so that the success path above
    // (and every future that awaits this one) stays small.
    Box::pin(read_and_judge(response, limits, deadline)).await
}

/// A service's error, classified by the first I/O error in its causes.
fn transport<K, B>(e: impl Into<BoxError>) -> Attempt<K, B> {
    let error = e.into();
    let kind = io_cause(&*error).unwrap_or(TransportKind::Other);
    Failed::Transport { kind, error }
}

/// Judges a response by the spec that must be read to be judged: an error, read
/// within `limits` (by `deadline` at the latest) and decoded, and given back whole;
/// or, under `errors_in_success` rules, a success (whole, or not judged when it did
/// not arrive whole within the bounds). A 2xx body that fails while it is read is
/// the transport error it is, never a shorter success.
async fn read_and_judge<K: ApiErrorKind, B>(
    response: http::Response<B>,
    limits: BodyLimits,
    deadline: Option<tokio::time::Instant>,
) -> Result<http::Response<RetryBody<B>>, Attempt<K, B>>
where
    B: Body<Data = Bytes>,
    B::Error: Into<BoxError>,
{
    let status = response.status().as_u16();
    let (parts, body) = response.into_parts();
    let read = read_bounded(body, limits, deadline).await;
    // The chunks as one buffer of at most `limit` bytes, for the decoder (the chunks
    // themselves are kept).
    let joined = |limit: usize| {
        let mut body = Vec::new();
        for chunk in &read.chunks {
            let room = limit - body.len();
            body.extend_from_slice(&chunk[..chunk.len().min(room)]);
        }
        body
    };
    let error = match (&read.end, !K::is_error_status(status)) {
        (_, false) => Some(ApiError::from_response(
            status,
            &parts.headers,
            &joined(limits.byte_limit()),
        )),
        (End::Whole, true) => ApiError::from_success(status, &parts.headers, &joined(usize::MAX)),
        // A 2xx that did not arrive whole within the bounds cannot be judged: it passes.
        (End::Bounded(_), true) => None,
        (End::Failed(_), true) => {
            let End::Failed(error) = read.end else {
                unreachable!()
            };
            let kind = match io_cause(&*error) {
                Some(TransportKind::Other) | None => TransportKind::Reset,
                Some(kind) => kind,
            };
            return Err(Failed::Transport { kind, error });
        }
    };
    let (rest, failed) = match read.end {
        End::Whole => (None, None),
        End::Bounded(rest) => (Some(rest), None),
        End::Failed(error) => (None, Some(error)),
    };
    // Given back whole: what was read, then the rest unread, or the error the body
    // met (so that a cut body never reads as a shorter complete one).
    let body = RetryBody {
        unread: None,
        head: read.chunks,
        rest,
        failed,
    };
    let response = http::Response::from_parts(parts, body);
    match error {
        Some(error) => Err(Failed::Status { error, response }),
        None => Ok(response),
    }
}

/// How a bounded read ended.
enum End<B> {
    /// The body ended: read whole.
    Whole,
    /// A bound (size or time) was met first: the rest, unread.
    Bounded(Pin<Box<B>>),
    /// The body failed.
    Failed(BoxError),
}

struct Read<B> {
    chunks: VecDeque<Bytes>,
    end: End<B>,
}

/// Reads data frames until the body ends, fails, passes the byte bound or the time
/// is up (the limits' time from now, or `deadline` if sooner). Trailers are dropped.
async fn read_bounded<B>(
    body: B,
    limits: BodyLimits,
    deadline: Option<tokio::time::Instant>,
) -> Read<B>
where
    B: Body<Data = Bytes>,
    B::Error: Into<BoxError>,
{
    let mut body = Box::pin(body);
    let mut until = tokio::time::Instant::now() + limits.time_limit();
    if let Some(d) = deadline {
        until = until.min(d);
    }
    let (mut chunks, mut read) = (VecDeque::new(), 0usize);
    let end = loop {
        if read > limits.byte_limit() {
            break End::Bounded(body);
        }
        match tokio::time::timeout_at(until, body.frame()).await {
            Ok(Some(Ok(frame))) => {
                if let Ok(data) = frame.into_data() {
                    read += data.len();
                    chunks.push_back(data);
                }
            }
            Ok(None) => break End::Whole,
            Ok(Some(Err(e))) => break End::Failed(e.into()),
            Err(_) => break End::Bounded(body),
        }
    };
    Read { chunks, end }
}

pin_project_lite::pin_project! {
    /// The body of a response through a [`RetryLayer`]: the service's own body, or,
    /// for a response the layer read to judge, what it read, then whatever was left
    /// unread (or the error the body met while it was read).
    pub struct RetryBody<B> {
        head: VecDeque<Bytes>,
        // A success's body, passed through where it is (not boxed: nothing moves).
        #[pin]
        unread: Option<B>,
        // What a judged body had left unread.
        rest: Option<Pin<Box<B>>>,
        // The error a judged body met, given after what was read.
        failed: Option<BoxError>,
    }
}

impl<B> RetryBody<B> {
    fn new(body: B) -> Self {
        RetryBody {
            head: VecDeque::new(),
            unread: Some(body),
            rest: None,
            failed: None,
        }
    }
}

impl<B> std::fmt::Debug for RetryBody<B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RetryBody")
            .field("read", &self.head.iter().map(Bytes::len).sum::<usize>())
            .field("unread", &(self.unread.is_some() || self.rest.is_some()))
            .field("failed", &self.failed.is_some())
            .finish()
    }
}

impl<B> Body for RetryBody<B>
where
    B: Body<Data = Bytes>,
    B::Error: Into<BoxError>,
{
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        let this = self.project();
        if let Some(body) = this.unread.as_pin_mut() {
            return body.poll_frame(cx).map_err(Into::into);
        }
        if let Some(chunk) = this.head.pop_front() {
            return Poll::Ready(Some(Ok(Frame::data(chunk))));
        }
        if let Some(error) = this.failed.take() {
            return Poll::Ready(Some(Err(error)));
        }
        match this.rest.as_mut() {
            Some(rest) => rest.as_mut().poll_frame(cx).map_err(Into::into),
            None => Poll::Ready(None),
        }
    }

    fn is_end_stream(&self) -> bool {
        if let Some(body) = &self.unread {
            return body.is_end_stream();
        }
        self.head.is_empty()
            && self.failed.is_none()
            && self.rest.as_ref().is_none_or(|r| r.is_end_stream())
    }

    fn size_hint(&self) -> SizeHint {
        if let Some(body) = &self.unread {
            return body.size_hint();
        }
        let read = self.head.iter().map(|c| c.len() as u64).sum::<u64>();
        let mut hint = self
            .rest
            .as_ref()
            .map_or_else(|| SizeHint::with_exact(0), |r| r.size_hint());
        // Upper first: each setter checks the bounds stay ordered.
        if let Some(upper) = hint.upper() {
            hint.set_upper(upper.saturating_add(read));
        }
        hint.set_lower(hint.lower().saturating_add(read));
        hint
    }
}
