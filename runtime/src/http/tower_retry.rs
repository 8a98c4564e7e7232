//! tower's own retry middleware, deciding as a spec says (feature `tower-retry`).
//!
//! [`SpecPolicy`] implements [`tower::retry::Policy`], so a stack built on
//! [`tower::retry::Retry`] (or `ServiceBuilder::retry`) keeps it and gets the spec's
//! decisions: which responses and client errors are retried, the waits (the server's
//! `Retry-After` and the spec's other wait sources, a vendor's fixed waits, the
//! policy's backoff and jitter), `max_attempts`, the deadline, the budget and
//! idempotency (from the method, or [`Idempotent`](crate::Idempotent) in the
//! request's extensions).
//!
//! ```no_run
//! use api_errors::{api_errors, tower_retry::SpecPolicy, RetryPolicy};
//! use tower::retry::RetryLayer;
//! use tower::Layer;
//!
//! #[api_errors(vendor = "openai")]
//! pub enum OpenAi {}
//!
//! # fn wrap<S>(client: S) {
//! let client = RetryLayer::new(SpecPolicy::<OpenAi>::new(RetryPolicy::default())).layer(client);
//! # }
//! ```
//!
//! # What a policy cannot see
//!
//! tower asks a policy to decide the moment a response arrives, before its body is
//! read, and a policy cannot read it (that takes `await`). So a `SpecPolicy` judges
//! an error response by its status and headers, and where the spec tells errors of
//! one status apart by their bodies, with different retry classes (a 429 that is a
//! rate limit, retried, or a spent quota, never), it takes the most cautious
//! decision any of them allows: that 429 is not retried. An error inside a 2xx (the
//! spec's `errors_in_success`) is not seen at all: the 2xx is a success. The response
//! itself is given back untouched, so the caller can still read the body and judge it
//! ([`ApiError::from_response`](crate::ApiError::from_response)). Where the body must
//! decide, use the [`RetryLayer`](crate::tower::RetryLayer) of feature `tower`, which
//! reads error bodies within bounds.
//!
//! The policy cannot cancel an attempt in flight, so the deadline (`max_elapsed`)
//! bounds the waits (no retry whose wait would end past it) and each attempt is
//! bounded by the stack's own timeout. It cannot re-authenticate either: an error
//! whose entry says `reauthenticate` is given back, not retried.
//!
//! # Errors below HTTP
//!
//! A service error is classified by its chain of causes: a
//! [`TransportError`](crate::TransportError) keeps its kind, an I/O error is a
//! connect, timeout or reset failure as [`TransportError::from_io`](crate::TransportError::from_io)
//! says, and tower's timeout (`tower::timeout::error::Elapsed`) is a timeout; the
//! spec's `transport:` rules (or the defaults) decide. The policy needs an error type
//! that is an error (`std::error::Error`): a service whose error is boxed
//! ([`BoxError`](crate::BoxError), as tower's own middleware makes it) is given one by
//! `.map_err(TransportError::from_boxed)` below the retry layer:
//!
//! ```no_run
//! # use api_errors::{api_errors, tower_retry::SpecPolicy, RetryPolicy, TransportError};
//! # #[api_errors(vendor = "openai")]
//! # pub enum OpenAi {}
//! # fn wrap<S>(client: S) where S: tower::Service<http::Request<String>, Response = http::Response<String>> + Clone, S::Error: Into<api_errors::BoxError> {
//! use std::time::Duration;
//! use tower::ServiceBuilder;
//!
//! let client = ServiceBuilder::new()
//!     .retry(SpecPolicy::<OpenAi>::new(RetryPolicy::default()))
//!     .map_err(TransportError::from_boxed)
//!     .timeout(Duration::from_secs(30))
//!     .service(client);
//! # }
//! ```
//!
//! Requests are repeated by cloning them, so the request body must be `Clone`
//! (`String`, `Bytes`, `http_body_util::Full`, ...).

use std::sync::Arc;

use crate::http::attempt::{is_idempotent, Failure, OnRetry};
use crate::http::status_only::Unread;
use crate::kind::ApiErrorKind;
use crate::retry::executor::{DefaultSleeper, GiveUp, RetryEvent};
use crate::retry::policy::{Attempts, RetryPolicy, Step};
use crate::retry::time::Sleeper;

/// A [`tower::retry::Policy`] that retries as the spec of `K` and a
/// [`RetryPolicy`] say. See the [module documentation](self).
///
/// tower clones the policy for each request: the clone holds that request's
/// attempts, waits and deadline, while the budget (when the policy has one) is shared
/// by every clone.
pub struct SpecPolicy<K, S = DefaultSleeper> {
    policy: Arc<RetryPolicy>,
    sleeper: S,
    on_retry: Option<OnRetry<K>>,
    /// The request under way: its attempts so far, whether it may be repeated.
    call: Option<(Attempts<Arc<RetryPolicy>>, bool)>,
    /// Set when `retry` has asked for another attempt: the next `clone_request`
    /// belongs to the same request (any other starts a new one).
    retrying: bool,
}

impl<K: ApiErrorKind> SpecPolicy<K> {
    /// A policy that runs `policy` (its budget, when it has one, is shared by every
    /// request), sleeping on tokio's timer.
    pub fn new(policy: RetryPolicy) -> Self {
        SpecPolicy {
            policy: Arc::new(policy),
            sleeper: DefaultSleeper::default(),
            on_retry: None,
            call: None,
            retrying: false,
        }
    }
}

impl<K: ApiErrorKind, S> SpecPolicy<K, S> {
    /// Waits with `sleeper` instead (a [`ManualClock`](crate::ManualClock) in tests).
    pub fn sleeper<S2>(self, sleeper: S2) -> SpecPolicy<K, S2> {
        SpecPolicy {
            policy: self.policy,
            sleeper,
            on_retry: self.on_retry,
            call: None,
            retrying: false,
        }
    }

    /// Calls `hook` after every failed attempt, with what failed
    /// ([`Failure`]: the error response as an [`ApiError`](crate::ApiError) judged
    /// by its status and headers, or the service's error), the attempt number, and the
    /// wait before the next attempt, or why none follows. For logs and metrics.
    #[must_use]
    pub fn on_retry<H>(mut self, hook: H) -> Self
    where
        H: Fn(&RetryEvent<'_, Failure<'_, K>>) + Send + Sync + 'static,
    {
        self.on_retry = Some(Arc::new(hook));
        self
    }
}

impl<K, S: Clone> Clone for SpecPolicy<K, S> {
    fn clone(&self) -> Self {
        SpecPolicy {
            policy: self.policy.clone(),
            sleeper: self.sleeper.clone(),
            on_retry: self.on_retry.clone(),
            call: self.call.clone(),
            retrying: self.retrying,
        }
    }
}

impl<K, S: std::fmt::Debug> std::fmt::Debug for SpecPolicy<K, S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SpecPolicy")
            .field("policy", &self.policy)
            .field("sleeper", &self.sleeper)
            .field("on_retry", &self.on_retry.is_some())
            .field("attempt", &self.call.as_ref().map(|(a, _)| a.attempt))
            .finish()
    }
}

impl<K, S, ReqB, ResB, E> tower::retry::Policy<http::Request<ReqB>, http::Response<ResB>, E>
    for SpecPolicy<K, S>
where
    K: ApiErrorKind,
    S: Sleeper,
    ReqB: Clone,
    E: std::error::Error + Send + Sync + 'static,
{
    type Future = S::Sleep;

    fn retry(
        &mut self,
        _request: &mut http::Request<ReqB>,
        result: &mut Result<http::Response<ResB>, E>,
    ) -> Option<S::Sleep> {
        let sleeper = &self.sleeper;
        let (attempts, idempotent) = self.call.get_or_insert_with(|| {
            // Only when tower's order of calls was not followed: a request of its own.
            (
                Attempts::start(self.policy.clone(), || sleeper.now()),
                false,
            )
        });
        let failed = match result {
            Ok(response) if !K::is_error_status(response.status().as_u16()) => {
                attempts.success(());
                return None;
            }
            Ok(response) => Unread::status(response.status().as_u16(), response.headers()),
            Err(e) => Unread::transport(&*e),
        };
        let attempt = attempts.attempt;
        let step = attempts.failed(&failed, *idempotent, || sleeper.now());
        let (delay, give_up) = match step {
            Step::Retry {
                reauthenticate: true,
                ..
            } => (None, Some(GiveUp::NoReauthenticator)),
            Step::Retry { delay, .. } => (Some(delay), None),
            Step::GiveUp(reason) => (None, Some(reason)),
        };
        if let Some(hook) = &self.on_retry {
            hook(&RetryEvent {
                error: &failed.failure(),
                attempt,
                delay,
                give_up: give_up.as_ref(),
            });
        }
        let delay = delay?;
        attempts.next(delay);
        self.retrying = true;
        Some(self.sleeper.sleep(delay))
    }

    fn clone_request(&mut self, request: &http::Request<ReqB>) -> Option<http::Request<ReqB>> {
        if !std::mem::take(&mut self.retrying) {
            // A new request: its own attempts, deadline and idempotency.
            let sleeper = &self.sleeper;
            let attempts = Attempts::start(self.policy.clone(), || sleeper.now());
            self.call = Some((
                attempts,
                is_idempotent(request.method(), request.extensions()),
            ));
        }
        Some(request.clone())
    }
}
