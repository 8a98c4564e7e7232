//! A `reqwest-middleware` middleware that retries as a spec says (feature
//! `reqwest-middleware`).
//!
//! [`RetryMiddleware`] judges each response by the spec of `K` (as
//! [`reqwest::check`](crate::reqwest::check) does: an error status, or an error in a
//! 2xx where the spec has `errors_in_success` rules) and retries exactly as
//! [`RetryPolicy`] decides: the kind's retry class, the server's waits, the budget,
//! the deadline, idempotency (from the method, or [`Idempotent`] set with
//! `RequestBuilder::with_extension`) and the re-authentication hook. Transport failures
//! are classified (connect, timeout, reset) and retried as the spec's `transport:`
//! rules say.
//!
//! A request is repeated only when it can be cloned: a streaming body is sent once
//! and never retried. The first attempt gets the caller's own extensions, as it would
//! without the middleware; each retry gets a copy of them as they were before the
//! first attempt (what a retry's inner middlewares add there is not seen by the
//! caller). Without a deadline (`max_elapsed`), a success costs no more than that
//! first attempt and a copy of the request kept for a retry: the executor is only
//! built after a failure. When no retry follows, the caller gets the last response,
//! whole, or the client's error, so the middleware is transparent to code that then
//! calls [`reqwest::check`](crate::reqwest::check) or inspects the status itself.
//!
//! ```no_run
//! use api_errors::{api_errors, reqwest_middleware::RetryMiddleware, RetryPolicy};
//!
//! #[api_errors(vendor = "openai")]
//! pub enum OpenAi {}
//!
//! let client = reqwest_middleware::ClientBuilder::new(reqwest::Client::new())
//!     .with(RetryMiddleware::<OpenAi>::new(RetryPolicy::default()))
//!     .build();
//! ```
//!
//! [`Idempotent`]: crate::Idempotent

use std::marker::PhantomData;

use http::Extensions;
use reqwest_middleware::{Middleware, Next};

use crate::http::attempt::Paced;
use crate::http::layer::{
    is_idempotent, layer_builder, DeadlineExceeded, Failed, ReauthFuture, Setup,
};
use crate::http::limits::BodyLimits;
use crate::http::transport::{TransportError, TransportKind};
use crate::kind::ApiErrorKind;
use crate::response::error::ApiError;
use crate::retry::executor::DefaultSleeper;
use crate::retry::policy::RetryPolicy;
use crate::retry::time::Sleeper;

/// Retries requests as the spec of `K` and a [`RetryPolicy`] say. See the
/// [module documentation](self).
pub struct RetryMiddleware<K, S = DefaultSleeper> {
    setup: Setup<K, S>,
    kind: PhantomData<fn() -> K>,
}

layer_builder!(
    RetryMiddleware,
    "middleware",
    " (an earlier middleware that sets the `Authorization` header from a token store, say)."
);

type Attempt<K> = Failed<K, reqwest::Response, reqwest_middleware::Error>;

#[async_trait::async_trait]
impl<K, S> Middleware for RetryMiddleware<K, S>
where
    K: ApiErrorKind + Send + Sync + 'static,
    S: Sleeper + Clone + Send + Sync + 'static,
    S::Sleep: Send,
{
    async fn handle(
        &self,
        request: reqwest::Request,
        extensions: &mut Extensions,
        next: Next<'_>,
    ) -> reqwest_middleware::Result<reqwest::Response> {
        // A body that cannot be cloned (a stream) cannot be sent twice: one attempt,
        // given back as it comes.
        let Some(template) = request.try_clone() else {
            return next.run(request, extensions).await;
        };
        let idempotent = is_idempotent(request.method(), extensions);
        let paced = Paced::of(request.method(), request.url().path(), extensions);
        let limits = self.setup.limits;
        // A deadline holds the reading of bodies too: an error body still arriving
        // when it passes is cut there, so that its status and waits are kept.
        let deadline = self.setup.deadline();
        // The extensions as they were before any attempt: each retry gets a copy.
        let snapshot = extensions.clone();
        // The success path builds no executor: the first attempt runs as the bare
        // client would (with the caller's own extensions). Only a failure goes on to
        // the executor (boxed, so this future stays small).
        let first = if self.setup.first_outside() {
            match next.clone().run(request, extensions).await {
                Ok(response) if passes::<K>(&response) => {
                    self.setup.record_success();
                    return Ok(response);
                }
                // Judging a failure reads its body: a large future, boxed so that
                // this one stays small.
                other => match Box::pin(judged::<K>(other, limits, None)).await {
                    Ok(response) => {
                        self.setup.record_success();
                        return Ok(response);
                    }
                    Err(failed) => Some(failed),
                },
            }
        } else {
            // A deadline holds every attempt: all of them run in the executor, each
            // with its own copy of the request.
            drop(request);
            None
        };
        let setup = &self.setup;
        let paced_ref = &paced;
        let outcome = self
            .setup
            .retry(idempotent, first, paced.request(), || {
                // Each retry gets its own copy of the request and the extensions (the
                // template cloned once, so its body clones again).
                let attempt = template.try_clone().map(|again| (again, snapshot.clone()));
                let next = next.clone();
                async move {
                    let Some((request, mut extensions)) = attempt else {
                        let error = reqwest_middleware::Error::middleware(NotClonable);
                        return Err(Failed::Transport {
                            kind: TransportKind::Other,
                            error,
                        });
                    };
                    let response = next.run(request, &mut extensions).await;
                    // Successes only: the executor learns from the errors (once).
                    if let Ok(r) = &response {
                        let status = r.status().as_u16();
                        if !K::is_error_status(status) {
                            setup.observe(paced_ref, status, r.headers());
                        }
                    }
                    judged::<K>(response, limits, deadline).await
                }
            })
            .await;
        match outcome {
            Ok(response) => Ok(response),
            Err(gave_up) => match gave_up.error {
                Some(Failed::Status { response, .. }) => Ok(response),
                Some(Failed::Transport { error, .. }) => Err(error),
                None => Err(reqwest_middleware::Error::middleware(DeadlineExceeded {
                    attempts: gave_up.attempts,
                })),
            },
        }
    }
}

/// A request that cloned once would not clone again (not seen with reqwest's own
/// bodies): no further attempt is made.
#[derive(Debug)]
struct NotClonable;

impl std::fmt::Display for NotClonable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the request could not be cloned for another attempt")
    }
}

impl std::error::Error for NotClonable {}

/// A client's error, classified: reqwest's own errors as `reqwest::send` does; an
/// error of another middleware is not retried.
fn transport<K>(error: reqwest_middleware::Error) -> Attempt<K> {
    let kind = match &error {
        reqwest_middleware::Error::Reqwest(e) => TransportError::kind_of(e),
        reqwest_middleware::Error::Middleware(_) => TransportKind::Other,
    };
    Failed::Transport { kind, error }
}

/// Whether a response passes unread: a success, under a spec without
/// `errors_in_success` rules.
fn passes<K: ApiErrorKind>(response: &reqwest::Response) -> bool {
    !K::is_error_status(response.status().as_u16()) && K::SUCCESS_ERRORS.is_empty()
}

/// One attempt's outcome: a client error classified, a response judged (its body
/// read by `deadline` at the latest, when the policy has one).
async fn judged<K: ApiErrorKind>(
    response: reqwest_middleware::Result<reqwest::Response>,
    limits: BodyLimits,
    deadline: Option<tokio::time::Instant>,
) -> Result<reqwest::Response, Attempt<K>> {
    judge::<K>(response.map_err(transport)?, limits, deadline).await
}

/// Judges one response as `reqwest::check` does, keeping the error response
/// (rebuilt whole) to give back when no retry follows; a 2xx body that fails while
/// it is read to judge it is the transport error it is.
async fn judge<K: ApiErrorKind>(
    response: reqwest::Response,
    limits: BodyLimits,
    deadline: Option<tokio::time::Instant>,
) -> Result<reqwest::Response, Attempt<K>> {
    use crate::http::reqwest::Judged;
    crate::http::reqwest::judge(response, limits, deadline)
        .await
        .map_err(|judged| match judged {
            Judged::Api(error, response) => Failed::Status { error, response },
            Judged::Failed(cut) => {
                let error = cut.into_error();
                Failed::Transport {
                    kind: TransportError::kind_of(&error),
                    error: reqwest_middleware::Error::Reqwest(error),
                }
            }
        })
}
