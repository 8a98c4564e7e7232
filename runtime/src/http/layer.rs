//! What the tower layer and the reqwest middleware share: which requests may be
//! repeated, the outcome of one attempt, the re-authentication hook, and the loop
//! (the executor itself, so both decide exactly as [`RetryPolicy`] does).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

pub(crate) use crate::http::attempt::{is_idempotent, Failure, OnRetry};
use crate::http::transport::{hint_for, TransportKind};
use crate::kind::{ApiErrorKind, RetryHint};
use crate::response::error::ApiError;
use crate::retry::executor::{BoxError, RetryError, RetryEvent, Retryable};
use crate::retry::policy::RetryPolicy;
use crate::retry::time::Sleeper;

/// A future that a re-authentication hook returns.
pub type ReauthFuture = Pin<Box<dyn Future<Output = Result<(), BoxError>> + Send>>;

/// A re-authentication hook, shared by every request through a layer: it refreshes
/// credentials (asynchronously) before an error whose spec entry says
/// `after_reauthentication` is retried. The next attempt is built from the original
/// request again, so the hook must make the credentials it refreshes reach it
/// (a token store that the service reads on each call, say).
pub type Reauthenticate<K> = Arc<dyn Fn(&ApiError<K>) -> ReauthFuture + Send + Sync>;

/// How one attempt ended, when not in success.
pub(crate) enum Failed<K, R, E> {
    /// An error response (or an error in a 2xx, as the spec says), already read: the
    /// response is kept to be given back, whole, when no retry follows.
    Status { error: ApiError<K>, response: R },
    /// No response: a failure below HTTP, classified.
    Transport { kind: TransportKind, error: E },
}

impl<K: ApiErrorKind, R, E> Retryable for Failed<K, R, E> {
    fn retry_hint(&self) -> RetryHint {
        match self {
            Failed::Status { error, .. } => error.retry_hint(),
            Failed::Transport { kind, .. } => hint_for::<K>(*kind),
        }
    }
    fn retry_after(&self) -> Option<Duration> {
        match self {
            Failed::Status { error, .. } => Retryable::retry_after(error),
            Failed::Transport { .. } => None,
        }
    }
    fn wait_floor(&self) -> Option<Duration> {
        match self {
            Failed::Status { error, .. } => error.wait_floor(),
            Failed::Transport { .. } => None,
        }
    }
    fn max_wait(&self) -> Option<Duration> {
        K::MAX_WAIT
    }
    // What the error response said of the limits: the executor tells the pacer (the
    // layers observe successes only, so that each response is learned once).
    fn rate_state(&self) -> Option<&crate::RateState> {
        match self {
            Failed::Status { error, .. } => error.rate_state(),
            Failed::Transport { .. } => None,
        }
    }
    fn is_throttling(&self) -> bool {
        match self {
            Failed::Status { error, .. } => error.is_throttling(),
            Failed::Transport { .. } => false,
        }
    }
}

/// The constructor, builder methods and `Debug` of a retry layer type
/// (`$ty<K, S> { setup: Setup<K, S>, kind: PhantomData }`), written once for the
/// tower layer and the reqwest middleware. `$reauth_note` ends the hook's rustdoc.
macro_rules! layer_builder {
    ($ty:ident, $what:literal, $reauth_note:literal) => {
        impl<K: ApiErrorKind> $ty<K> {
            #[doc = concat!("A ", $what, " that runs `policy` (its budget, when it has one, is shared by")]
            /// every request through it), reading bodies to judge them within the default
            /// [`BodyLimits`], sleeping on tokio's timer.
            pub fn new(policy: RetryPolicy) -> Self {
                $ty {
                    setup: Setup {
                        policy: std::sync::Arc::new(policy),
                        limits: BodyLimits::default(),
                        sleeper: DefaultSleeper::default(),
                        reauth: None,
                        on_retry: None,
                    },
                    kind: PhantomData,
                }
            }
        }

        impl<K: ApiErrorKind, S> $ty<K, S> {
            /// Reads bodies (to judge them) within `limits`.
            #[must_use]
            pub fn limits(mut self, limits: BodyLimits) -> Self {
                self.setup.limits = limits;
                self
            }

            /// Waits with `sleeper` instead (a [`ManualClock`](crate::ManualClock) in tests).
            pub fn sleeper<S2>(self, sleeper: S2) -> $ty<K, S2> {
                let Setup {
                    policy,
                    limits,
                    reauth,
                    on_retry,
                    ..
                } = self.setup;
                $ty {
                    setup: Setup {
                        policy,
                        limits,
                        sleeper,
                        reauth,
                        on_retry,
                    },
                    kind: PhantomData,
                }
            }

            /// Calls `hook` after every failed attempt, with what failed
            /// ([`Failure`](crate::Failure): the error response as an
            /// [`ApiError`], or the client's error), the attempt number, and the wait
            /// before the next attempt, or why none follows: as the executor's
            /// `notify` does. For logs and metrics.
            #[must_use]
            pub fn on_retry<H>(mut self, hook: H) -> Self
            where
                H: Fn(&crate::RetryEvent<'_, crate::Failure<'_, K>>) + Send + Sync + 'static,
            {
                self.setup.on_retry = Some(std::sync::Arc::new(hook));
                self
            }

            /// Refreshes credentials before an `after_reauthentication` error is retried
            /// (without a hook, such errors are given back at once). The retried request
            /// is a clone of the original: the hook must make fresh credentials reach it
            #[doc = $reauth_note]
            #[must_use]
            pub fn reauthenticate<H>(mut self, hook: H) -> Self
            where
                H: Fn(&ApiError<K>) -> ReauthFuture + Send + Sync + 'static,
            {
                self.setup.reauth = Some(std::sync::Arc::new(hook));
                self
            }
        }

        impl<K, S: std::fmt::Debug> std::fmt::Debug for $ty<K, S> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                let s = &self.setup;
                f.debug_struct(stringify!($ty))
                    .field("policy", &s.policy)
                    .field("limits", &s.limits)
                    .field("sleeper", &s.sleeper)
                    .field("reauthenticate", &s.reauth.is_some())
                    .field("on_retry", &s.on_retry.is_some())
                    .finish()
            }
        }
    };
}
pub(crate) use layer_builder;

/// What a layer holds: the policy and how to run it.
/// The executor's future, boxed: what follows a failed first attempt.
pub(crate) type BoxedRun<'a, T, F> =
    Pin<Box<dyn Future<Output = Result<T, RetryError<F>>> + Send + 'a>>;

pub(crate) struct Setup<K, S> {
    pub(crate) policy: Arc<RetryPolicy>,
    pub(crate) limits: crate::BodyLimits,
    pub(crate) sleeper: S,
    pub(crate) reauth: Option<Reauthenticate<K>>,
    pub(crate) on_retry: Option<OnRetry<K>>,
}

impl<K, S: Clone> Clone for Setup<K, S> {
    fn clone(&self) -> Self {
        Setup {
            policy: self.policy.clone(),
            limits: self.limits,
            sleeper: self.sleeper.clone(),
            reauth: self.reauth.clone(),
            on_retry: self.on_retry.clone(),
        }
    }
}

/// What a layer's failed attempt holds as a [`Failure`], for the callback.
pub(crate) trait AsFailure<K> {
    fn failure(&self) -> Failure<'_, K>;
}

impl<K, R, E: Cause> AsFailure<K> for Failed<K, R, E> {
    fn failure(&self) -> Failure<'_, K> {
        match self {
            Failed::Status { error, .. } => Failure::Status(error),
            Failed::Transport { error, .. } => Failure::Transport(error.cause()),
        }
    }
}

/// A client's error, as an error.
pub(crate) trait Cause {
    fn cause(&self) -> &(dyn std::error::Error + Send + Sync + 'static);
}

impl Cause for BoxError {
    fn cause(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        &**self
    }
}

#[cfg(feature = "reqwest-middleware")]
impl Cause for reqwest_middleware::Error {
    fn cause(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        self
    }
}

impl<K, S> Setup<K, S>
where
    K: ApiErrorKind + Send + Sync,
    S: Sleeper + Clone + Send + Sync,
    S::Sleep: Send,
{
    /// Whether the first attempt may run outside the executor: when the policy sets
    /// no deadline to hold it to. (The success path then builds no executor at all;
    /// a failure goes on to [`retry`](Self::retry).)
    pub(crate) fn first_outside(&self) -> bool {
        // A deadline or a pacer holds every attempt: all of them run in the executor.
        self.policy.max_elapsed.is_none() && self.policy.pacer.is_none()
    }

    /// Tells the policy's pacer (if any) what a successful response said (the
    /// executor learns from the errors, so each response is learned from once).
    pub(crate) fn observe(
        &self,
        paced: &crate::http::attempt::Paced,
        status: u16,
        headers: &http::HeaderMap,
    ) where
        S: crate::Sleeper,
    {
        if let Some(pacer) = &self.policy.pacer {
            pacer.observe(
                &paced.request(),
                status,
                headers,
                self.sleeper.now(),
                std::time::SystemTime::now(),
            );
        }
    }

    /// When the policy's deadline passes, on tokio's clock (on which bodies are read),
    /// for a call starting now.
    pub(crate) fn deadline(&self) -> Option<tokio::time::Instant> {
        let max = self.policy.max_elapsed?;
        tokio::time::Instant::now().checked_add(max)
    }

    /// A success outside the executor counts for the budget as one inside does.
    pub(crate) fn record_success(&self) {
        if let Some(budget) = &self.policy.budget {
            budget.record_success();
        }
    }

    /// The executor, after a `first` attempt that failed outside it (`None`: from
    /// the first attempt on). Boxed: its state is large, and a future that awaits
    /// it only on failure stays small (a success moves and allocates less).
    pub(crate) fn retry<'a, T, R, E, F, Fut>(
        &'a self,
        idempotent: bool,
        first: Option<Failed<K, R, E>>,
        pace: crate::PaceRequest<'a>,
        mut attempt: F,
    ) -> BoxedRun<'a, T, Failed<K, R, E>>
    where
        F: FnMut() -> Fut + Send + 'a,
        Fut: Future<Output = Result<T, Failed<K, R, E>>> + Send + 'a,
        T: Send + 'a,
        R: Send + 'a,
        E: Cause + Send + 'a,
    {
        let mut first = first;
        Box::pin(async move {
            let attempts = || {
                let step = match first.take() {
                    Some(failed) => Err(failed),
                    None => Ok(attempt()),
                };
                async move {
                    match step {
                        Err(failed) => Err(failed),
                        Ok(next) => next.await,
                    }
                }
            };
            let on_retry = self.on_retry.clone();
            let call = self
                .policy
                .retry_async(attempts)
                .idempotent(idempotent)
                .pace(pace)
                .sleeper(self.sleeper.clone())
                .notify(move |ev: &RetryEvent<'_, Failed<K, R, E>>| {
                    if let Some(hook) = &on_retry {
                        let failure = ev.error.failure();
                        hook(&RetryEvent {
                            error: &failure,
                            attempt: ev.attempt,
                            delay: ev.delay,
                            give_up: ev.give_up,
                        });
                    }
                });
            match &self.reauth {
                None => call.call().await,
                Some(hook) => call.reauthenticate(refresher(hook.clone())).call().await,
            }
        })
    }
}

fn refresher<K, R, E>(hook: Reauthenticate<K>) -> impl FnMut(&Failed<K, R, E>) -> ReauthFuture {
    move |failed| match failed {
        Failed::Status { error, .. } => hook(error),
        Failed::Transport { .. } => Box::pin(std::future::ready(Ok(()))),
    }
}

/// The policy's deadline passed while an attempt was still running: the layer
/// cancelled it and has no response to give back.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DeadlineExceeded {
    /// The attempts started, the cancelled one included.
    pub attempts: u32,
}

impl std::fmt::Display for DeadlineExceeded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the retry policy's deadline passed during attempt {} (cancelled)",
            self.attempts
        )
    }
}

impl std::error::Error for DeadlineExceeded {}
