//! The executors: run an operation, retry exactly what its error says may be
//! retried. Blocking and async share the decision core in `policy.rs`.

use std::fmt;
use std::future::Future;
use std::time::{Duration, Instant};

use crate::kind::RetryHint;
use crate::retry::policy::{Attempts, RetryPolicy, Step};
use crate::retry::time::{BlockingSleeper, Sleeper, ThreadSleeper};

/// An error boxed for transport through the executor (a failed re-authentication).
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// An error the executor can decide about. Every `#[api_errors]` enum implements it;
/// implement it for your own error types too.
pub trait Retryable {
    /// Whether, and under which condition, this error may be retried.
    fn retry_hint(&self) -> RetryHint;
    /// How long the server asked to wait (`Retry-After`), if it did. It replaces the
    /// backoff schedule's delay for this retry (still at least the hint's
    /// `min_wait`, and at most the policy's `max_wait`).
    fn retry_after(&self) -> Option<Duration> {
        None
    }
    /// A wait the server stated as a minimum, if it did (Google's "wait at least
    /// `retryDelay`, then back off"): the schedule's delay, raised to it.
    fn wait_floor(&self) -> Option<Duration> {
        None
    }
    /// The longest single wait the vendor's own waits may reasonably reach, if its
    /// spec says (`max_wait:`): the policy's `max_wait` when the policy sets none.
    fn max_wait(&self) -> Option<Duration> {
        None
    }
    /// What the response's rate-limit headers said: what a [`Pacer`](crate::Pacer)
    /// on the policy learns from.
    fn rate_state(&self) -> Option<&crate::RateState> {
        None
    }
    /// Whether this is a throttling answer (a 429 or a 503): an adaptive
    /// [`Pacer`](crate::Pacer) slows down on it.
    fn is_throttling(&self) -> bool {
        false
    }
}

/// Why the executor stopped retrying.
#[derive(Debug)]
#[non_exhaustive]
pub enum GiveUp {
    /// The error is never retried (its hint says `Never`).
    NotRetryable,
    /// The error may be retried only for an idempotent operation, and the call was
    /// not marked [`idempotent`](Retry::idempotent).
    NotIdempotent,
    /// The policy's `max_attempts` were made.
    AttemptsExhausted,
    /// The next wait would have ended at or past the policy's `max_elapsed`.
    Deadline,
    /// An attempt was still running when the policy's `max_elapsed` passed, and the
    /// async executor cancelled it (dropped its future). The blocking executor cannot
    /// cancel a running call; see [`RetryPolicy::max_elapsed`](crate::RetryPolicy::max_elapsed).
    CancelledAtDeadline,
    /// The error asked for a wait above the policy's `max_wait` (and the policy
    /// gives up on those rather than capping them).
    WaitTooLong {
        /// The wait that was asked for.
        requested: Duration,
    },
    /// The shared retry budget is below half: too many failures lately.
    BudgetExhausted,
    /// The error needs fresh credentials, and no re-authentication hook was given.
    NoReauthenticator,
    /// The re-authentication hook failed.
    ReauthenticationFailed(BoxError),
    /// The policy's [`Pacer`](crate::Pacer) would hold the next attempt past the
    /// deadline or the policy's `max_wait`: it was not made.
    Paced {
        /// How long the pacer would have held it.
        wait: Duration,
        /// Why.
        reason: Option<crate::HoldReason>,
    },
}

/// Which [`GiveUp`] it is, without what it carries: comparable, for tests and
/// metrics (`assert_eq!(err.reason.kind(), GiveUpKind::WaitTooLong)`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum GiveUpKind {
    /// [`GiveUp::NotRetryable`].
    NotRetryable,
    /// [`GiveUp::NotIdempotent`].
    NotIdempotent,
    /// [`GiveUp::AttemptsExhausted`].
    AttemptsExhausted,
    /// [`GiveUp::Deadline`].
    Deadline,
    /// [`GiveUp::CancelledAtDeadline`].
    CancelledAtDeadline,
    /// [`GiveUp::WaitTooLong`].
    WaitTooLong,
    /// [`GiveUp::BudgetExhausted`].
    BudgetExhausted,
    /// [`GiveUp::NoReauthenticator`].
    NoReauthenticator,
    /// [`GiveUp::ReauthenticationFailed`].
    ReauthenticationFailed,
    /// [`GiveUp::Paced`].
    Paced,
}

impl GiveUp {
    /// Which reason this is, as a comparable value.
    pub fn kind(&self) -> GiveUpKind {
        match self {
            GiveUp::NotRetryable => GiveUpKind::NotRetryable,
            GiveUp::NotIdempotent => GiveUpKind::NotIdempotent,
            GiveUp::AttemptsExhausted => GiveUpKind::AttemptsExhausted,
            GiveUp::Deadline => GiveUpKind::Deadline,
            GiveUp::CancelledAtDeadline => GiveUpKind::CancelledAtDeadline,
            GiveUp::WaitTooLong { .. } => GiveUpKind::WaitTooLong,
            GiveUp::BudgetExhausted => GiveUpKind::BudgetExhausted,
            GiveUp::NoReauthenticator => GiveUpKind::NoReauthenticator,
            GiveUp::ReauthenticationFailed(_) => GiveUpKind::ReauthenticationFailed,
            GiveUp::Paced { .. } => GiveUpKind::Paced,
        }
    }
}

/// A reason equals the kind it is: `assert!(err.reason == GiveUpKind::Deadline)`.
impl PartialEq<GiveUpKind> for GiveUp {
    fn eq(&self, other: &GiveUpKind) -> bool {
        self.kind() == *other
    }
}

impl fmt::Display for GiveUp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GiveUp::NotRetryable => f.write_str("the error is not retryable"),
            GiveUp::NotIdempotent => {
                f.write_str("the error is retryable only for an idempotent operation")
            }
            GiveUp::AttemptsExhausted => f.write_str("no attempts left"),
            GiveUp::Deadline => f.write_str("the next wait would pass the deadline"),
            GiveUp::CancelledAtDeadline => {
                f.write_str("the deadline passed during an attempt, which was cancelled")
            }
            GiveUp::WaitTooLong { requested } => {
                write!(
                    f,
                    "the requested wait of {requested:?} is above the policy's maximum"
                )
            }
            GiveUp::BudgetExhausted => f.write_str("the retry budget is exhausted"),
            GiveUp::NoReauthenticator => {
                f.write_str("the error needs re-authentication and no hook was given")
            }
            // Printed here, not returned as a source: a `RetryError`'s chain follows
            // the last API error, and this cause must not be lost from it.
            GiveUp::ReauthenticationFailed(e) => write!(f, "re-authentication failed: {e}"),
            GiveUp::Paced { wait, .. } => write!(
                f,
                "the pacer would hold the next attempt {wait:?}, past the deadline or the policy's maximum wait"
            ),
        }
    }
}

/// An error of its own, so that it can be returned or boxed where one is expected.
impl std::error::Error for GiveUp {}

/// The final error of a call that did not succeed, with what happened on the way.
#[derive(Debug)]
#[non_exhaustive]
pub struct RetryError<E> {
    /// The last error an attempt returned. `None` only when the deadline cancelled
    /// the first attempt before it returned anything ([`GiveUp::CancelledAtDeadline`]);
    /// when it cancels a later one, this is the error of the attempt before.
    pub error: Option<E>,
    /// How many attempts were made.
    pub attempts: u32,
    /// The total time spent waiting between attempts.
    pub waited: Duration,
    /// Why no further attempt was made.
    pub reason: GiveUp,
}

impl<E> RetryError<E> {
    /// The last error an attempt returned (see [`error`](Self::error)).
    pub fn into_inner(self) -> Option<E> {
        self.error
    }

    /// The last error an attempt returned, by reference.
    pub fn last_error(&self) -> Option<&E> {
        self.error.as_ref()
    }
}

impl<E> fmt::Display for RetryError<E> {
    /// Why the executor gave up, after how much; the last error is the
    /// [`source`](std::error::Error::source), not repeated here (so a chain printed
    /// with `{:#}` says each thing once).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "gave up after {} attempt{} and {:?} of waiting: {}",
            self.attempts,
            if self.attempts == 1 { "" } else { "s" },
            self.waited,
            self.reason
        )?;
        if self.error.is_none() {
            f.write_str(" (no attempt returned before the deadline)")?;
        }
        Ok(())
    }
}

impl<E: std::error::Error + 'static> std::error::Error for RetryError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.error.as_ref().map(|e| e as _)
    }
}

/// A success, with what it took.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Retried<T> {
    /// The operation's result.
    pub value: T,
    /// How many attempts were made (1: it succeeded at once).
    pub attempts: u32,
    /// The total time spent waiting between attempts.
    pub waited: Duration,
}

/// What a notify hook sees after each failed attempt.
#[derive(Debug)]
#[non_exhaustive]
pub struct RetryEvent<'a, E> {
    /// The attempt's error.
    pub error: &'a E,
    /// Which attempt failed (1-based).
    pub attempt: u32,
    /// The wait before the next attempt; `None` when the executor gives up.
    pub delay: Option<Duration>,
    /// Why the executor gives up, when it does.
    pub give_up: Option<&'a GiveUp>,
}

/// The hook slots of the builders: empty, or a closure.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, Default)]
pub struct Unset;

#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct Hook<H>(H);

#[doc(hidden)]
pub trait NotifyHook<E> {
    fn call(&mut self, event: &RetryEvent<'_, E>);
}

impl<E> NotifyHook<E> for Unset {
    #[inline]
    fn call(&mut self, _: &RetryEvent<'_, E>) {}
}

impl<E, H: FnMut(&RetryEvent<'_, E>)> NotifyHook<E> for Hook<H> {
    fn call(&mut self, event: &RetryEvent<'_, E>) {
        (self.0)(event)
    }
}

#[doc(hidden)]
pub trait ReauthHook<E> {
    const PRESENT: bool;
    fn call(&mut self, error: &E) -> Result<(), BoxError>;
}

impl<E> ReauthHook<E> for Unset {
    const PRESENT: bool = false;
    fn call(&mut self, _: &E) -> Result<(), BoxError> {
        Ok(())
    }
}

impl<E, H: FnMut(&E) -> Result<(), BoxError>> ReauthHook<E> for Hook<H> {
    const PRESENT: bool = true;
    fn call(&mut self, error: &E) -> Result<(), BoxError> {
        (self.0)(error)
    }
}

#[doc(hidden)]
pub trait AsyncReauthHook<E> {
    const PRESENT: bool;
    /// The hook's future; it does not borrow the error, so an executor's future
    /// stays `Send` for errors that are `Send` but not `Sync`.
    type Refresh: Future<Output = Result<(), BoxError>>;
    fn call(&mut self, error: &E) -> Self::Refresh;
}

impl<E> AsyncReauthHook<E> for Unset {
    const PRESENT: bool = false;
    type Refresh = std::future::Ready<Result<(), BoxError>>;
    fn call(&mut self, _: &E) -> Self::Refresh {
        std::future::ready(Ok(()))
    }
}

impl<E, H, Fut> AsyncReauthHook<E> for Hook<H>
where
    H: FnMut(&E) -> Fut,
    Fut: Future<Output = Result<(), BoxError>>,
{
    const PRESENT: bool = true;
    type Refresh = Fut;
    fn call(&mut self, error: &E) -> Fut {
        (self.0)(error)
    }
}

impl RetryPolicy {
    /// A blocking call of `op` under this policy; configure it, then [`Retry::call`].
    ///
    /// ```
    /// use std::time::Duration;
    /// use api_errors::{ManualClock, RetryHint, RetryPolicy, Retryable};
    ///
    /// #[derive(Debug)]
    /// struct Flaky;
    /// impl Retryable for Flaky {
    ///     fn retry_hint(&self) -> RetryHint { RetryHint::BACKOFF }
    /// }
    ///
    /// let clock = ManualClock::new(); // no real sleeping in this example
    /// let mut failures = 2;
    /// let done = RetryPolicy::default()
    ///     .retry(|| if failures > 0 { failures -= 1; Err(Flaky) } else { Ok("done") })
    ///     .sleeper(clock.clone())
    ///     .call_reported()
    ///     .unwrap();
    /// assert_eq!((done.value, done.attempts), ("done", 3));
    /// assert_eq!(clock.sleeps().len(), 2);
    /// ```
    pub fn retry<F>(&self, op: F) -> Retry<'_, F> {
        Retry {
            policy: self,
            op,
            idempotent: false,
            notify: Unset,
            reauth: Unset,
            sleeper: ThreadSleeper,
            pace: crate::PaceRequest::new(),
        }
    }

    /// An async call of `op` (a closure returning a future) under this policy;
    /// configure it, then `.call().await`. Dropping the future stops at once.
    pub fn retry_async<F>(&self, op: F) -> RetryAsync<'_, F> {
        RetryAsync {
            policy: self,
            op,
            idempotent: false,
            notify: Unset,
            reauth: Unset,
            sleeper: DefaultSleeper::default(),
            pace: crate::PaceRequest::new(),
        }
    }
}

/// The async sleeper used unless one is chosen: tokio's with the `tokio` feature.
#[cfg(feature = "tokio")]
pub type DefaultSleeper = crate::retry::time::TokioSleeper;
/// The async sleeper used unless one is chosen: none without the `tokio` feature.
#[cfg(not(feature = "tokio"))]
pub type DefaultSleeper = crate::retry::time::NoSleeper;

/// A blocking call being configured. Made by [`RetryPolicy::retry`].
#[must_use = "a Retry does nothing until `.call()`"]
pub struct Retry<'p, F, N = Unset, R = Unset, S = ThreadSleeper> {
    policy: &'p RetryPolicy,
    op: F,
    idempotent: bool,
    notify: N,
    reauth: R,
    sleeper: S,
    pace: crate::PaceRequest<'p>,
}

/// An async call being configured. Made by [`RetryPolicy::retry_async`].
#[must_use = "a RetryAsync does nothing until `.call().await`"]
pub struct RetryAsync<'p, F, N = Unset, R = Unset, S = DefaultSleeper> {
    policy: &'p RetryPolicy,
    op: F,
    idempotent: bool,
    notify: N,
    reauth: R,
    sleeper: S,
    pace: crate::PaceRequest<'p>,
}

// The two builders differ only in what the operation returns (a `Result`, or a future
// of one). This writes their shared methods once; `$op_bound` is the rest of the impl
// header, which names the error type `E` through the operation's signature so that
// `notify`'s closure gets its argument type inferred.
macro_rules! common_builder {
    ($ty:ident, $($op_bound:tt)*) => {
        // The operation and hooks are closures (not `Debug`): their types are shown.
        impl<F, N, R, S> fmt::Debug for $ty<'_, F, N, R, S> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(stringify!($ty))
                    .field("policy", self.policy)
                    .field("idempotent", &self.idempotent)
                    .field("notify", &std::any::type_name::<N>())
                    .field("reauthenticate", &std::any::type_name::<R>())
                    .field("sleeper", &std::any::type_name::<S>())
                    .finish_non_exhaustive()
            }
        }

        impl<'p, F, N, R, S> $ty<'p, F, N, R, S> {
            /// Marks the operation idempotent (or as carrying an idempotency key),
            /// so that errors retryable only in that case are retried.
            pub fn idempotent(mut self, yes: bool) -> Self {
                self.idempotent = yes;
                self
            }

            /// What the call is for the policy's [`Pacer`](crate::Pacer): its caller
            /// key (`per: caller` limits), route, read or write, and cost. Without
            /// it, a read of cost 1 for no caller. Ignored when the policy has no
            /// pacer.
            pub fn pace(mut self, request: crate::PaceRequest<'p>) -> Self {
                self.pace = request;
                self
            }

            /// Chooses how to sleep and tell the time.
            pub fn sleeper<S2>(self, sleeper: S2) -> $ty<'p, F, N, R, S2> {
                $ty { policy: self.policy, op: self.op, idempotent: self.idempotent,
                      notify: self.notify, reauth: self.reauth, sleeper, pace: self.pace }
            }
        }

        impl<'p, F, N, R, S, $($op_bound)*
        {
            /// Calls `hook` after every failed attempt, with the error, the attempt
            /// number and the chosen delay (or why the executor gives up).
            pub fn notify<H>(self, hook: H) -> $ty<'p, F, Hook<H>, R, S>
            where
                H: FnMut(&RetryEvent<'_, E>),
            {
                $ty { policy: self.policy, op: self.op, idempotent: self.idempotent,
                      notify: Hook(hook), reauth: self.reauth, sleeper: self.sleeper,
                      pace: self.pace }
            }
        }
    };
}

common_builder!(Retry, T, E> Retry<'p, F, N, R, S> where F: FnMut() -> Result<T, E>,);
common_builder!(RetryAsync, T, E, Fut> RetryAsync<'p, F, N, R, S> where F: FnMut() -> Fut, Fut: Future<Output = Result<T, E>>,);

#[cfg(feature = "tracing")]
fn trace<E>(event: &RetryEvent<'_, E>) {
    match (event.delay, event.give_up) {
        (Some(delay), _) => {
            tracing::debug!(attempt = event.attempt, ?delay, "api-errors: retrying")
        }
        (None, Some(why)) => {
            tracing::info!(attempt = event.attempt, reason = %why, "api-errors: giving up")
        }
        (None, None) => {}
    }
}

#[cfg(not(feature = "tracing"))]
#[inline(always)]
fn trace<E>(_: &RetryEvent<'_, E>) {}

fn give_up<E, N: NotifyHook<E>>(
    notify: &mut N,
    state: &Attempts<&RetryPolicy>,
    error: E,
    reason: GiveUp,
) -> RetryError<E> {
    let event = RetryEvent {
        error: &error,
        attempt: state.attempt,
        delay: None,
        give_up: Some(&reason),
    };
    trace(&event);
    notify.call(&event);
    RetryError {
        error: Some(error),
        attempts: state.attempt,
        waited: state.waited,
        reason,
    }
}

/// The async executor's end when the deadline passes during an attempt.
#[cold]
fn cancelled_at_deadline<E>(state: &Attempts<&RetryPolicy>, last: Option<E>) -> RetryError<E> {
    #[cfg(feature = "tracing")]
    tracing::info!(
        attempt = state.attempt,
        "api-errors: giving up: the deadline passed during an attempt, which was cancelled"
    );
    RetryError {
        error: last,
        attempts: state.attempt,
        waited: state.waited,
        reason: GiveUp::CancelledAtDeadline,
    }
}

/// Runs `attempt` until it ends or `deadline` completes first (`None`). The attempt
/// is polled first, so one that is ready at once is never cut off.
async fn race<A: Future, D: Future<Output = ()>>(attempt: A, deadline: D) -> Option<A::Output> {
    let mut attempt = std::pin::pin!(attempt);
    let mut deadline = std::pin::pin!(deadline);
    std::future::poll_fn(|cx| {
        if let std::task::Poll::Ready(v) = attempt.as_mut().poll(cx) {
            return std::task::Poll::Ready(Some(v));
        }
        deadline.as_mut().poll(cx).map(|()| None)
    })
    .await
}

fn announce<E, N: NotifyHook<E>>(
    notify: &mut N,
    state: &Attempts<&RetryPolicy>,
    error: &E,
    delay: Duration,
) {
    let event = RetryEvent {
        error,
        attempt: state.attempt,
        delay: Some(delay),
        give_up: None,
    };
    trace(&event);
    notify.call(&event);
}

/// A retry both executors are to make: wait `delay`, re-authenticating first if asked.
struct Next<E> {
    error: E,
    delay: Duration,
    reauthenticate: bool,
}

/// After a failed attempt, in both executors: consults the policy, tells the notify
/// hook, and either gives up or says how to retry. Cold: it keeps the success path
/// of the executors' loops short.
#[cold]
fn after_failure<E: Retryable, N: NotifyHook<E>>(
    state: &mut Attempts<&RetryPolicy>,
    notify: &mut N,
    error: E,
    idempotent: bool,
    can_reauthenticate: bool,
    now: impl FnOnce() -> std::time::Instant,
) -> Result<Next<E>, RetryError<E>> {
    let (delay, reauthenticate) = match state.failed(&error, idempotent, now) {
        Step::GiveUp(reason) => return Err(give_up(notify, state, error, reason)),
        Step::Retry {
            delay,
            reauthenticate,
        } => (delay, reauthenticate),
    };
    if reauthenticate && !can_reauthenticate {
        return Err(give_up(notify, state, error, GiveUp::NoReauthenticator));
    }
    announce(notify, state, &error, delay);
    Ok(Next {
        error,
        delay,
        reauthenticate,
    })
}

impl<'p, F, T, E, N, R, S> Retry<'p, F, N, R, S>
where
    F: FnMut() -> Result<T, E>,
    E: Retryable,
    N: NotifyHook<E>,
    R: ReauthHook<E>,
    S: BlockingSleeper,
{
    /// Refreshes credentials before retrying an error whose hint says
    /// `AfterReauthentication`: once per such failure, after the notify hook has
    /// seen it. If it fails, the call gives up with
    /// [`GiveUp::ReauthenticationFailed`] (and the notify hook sees a second event
    /// for that attempt, saying so). Without a hook, such an error is not retried
    /// ([`GiveUp::NoReauthenticator`]).
    ///
    /// The hook returns `Result<(), BoxError>` (a [`BoxError`] is any error, boxed):
    /// inside it, `?` converts any error for you, and `Ok(())` needs no annotation;
    /// a hook that already has a `Result` of its own error type ends with
    /// `.map_err(Into::into)`. See [`RetryAsync::reauthenticate`] for an example.
    pub fn reauthenticate<H>(self, hook: H) -> Retry<'p, F, N, Hook<H>, S>
    where
        H: FnMut(&E) -> Result<(), BoxError>,
    {
        Retry {
            policy: self.policy,
            op: self.op,
            idempotent: self.idempotent,
            notify: self.notify,
            reauth: Hook(hook),
            sleeper: self.sleeper,
            pace: self.pace,
        }
    }

    /// Runs the operation until it succeeds or the policy gives up.
    pub fn call(self) -> Result<T, RetryError<E>> {
        self.call_reported().map(|r| r.value)
    }

    /// As [`call`](Self::call), also telling how many attempts and how long waited.
    pub fn call_reported(mut self) -> Result<Retried<T>, RetryError<E>> {
        let sleeper = &self.sleeper;
        let mut state = Attempts::start(self.policy, || sleeper.now());
        let mut last: Option<E> = None;
        loop {
            if let Some(pacer) = &self.policy.pacer {
                loop {
                    let now = sleeper.now();
                    let hold = pacer.reserve(&self.pace, now);
                    if hold.wait.is_zero() {
                        break;
                    }
                    if let Err(reason) = paced(self.policy, &state, hold, now) {
                        return Err(paced_out(&state, last, reason));
                    }
                    sleeper.sleep(hold.wait);
                    state.waited = state.waited.saturating_add(hold.wait);
                    if hold.reason != Some(crate::HoldReason::Concurrency) {
                        break;
                    }
                }
                pacer.start(&self.pace, sleeper.now());
            }
            let result = (self.op)();
            if let Some(pacer) = &self.policy.pacer {
                pacer.release(&self.pace);
                learn(pacer, &self.pace, &result, sleeper.now());
            }
            drop(last.take());
            let error = match result {
                Ok(value) => return Ok(state.success(value)),
                Err(error) => error,
            };
            let Next {
                error,
                delay,
                reauthenticate,
            } = after_failure(
                &mut state,
                &mut self.notify,
                error,
                self.idempotent,
                R::PRESENT,
                || sleeper.now(),
            )?;
            if reauthenticate {
                if let Err(e) = self.reauth.call(&error) {
                    // A second event for this attempt: the retry announced is off.
                    let reason = GiveUp::ReauthenticationFailed(e);
                    return Err(give_up(&mut self.notify, &state, error, reason));
                }
            }
            // Kept only where a pacer may still give up before the next attempt.
            last = self.policy.pacer.is_some().then_some(error);
            if !delay.is_zero() {
                sleeper.sleep(delay);
            }
            state.next(delay);
        }
    }
}

/// Whether the pacer's `hold` before the next attempt is one the policy allows:
/// within its `max_wait`, and ending before its deadline.
fn paced(
    policy: &RetryPolicy,
    state: &Attempts<&RetryPolicy>,
    hold: crate::Hold,
    now: Instant,
) -> Result<(), GiveUp> {
    let max = policy
        .max_wait
        .unwrap_or(crate::retry::policy::DEFAULT_MAX_WAIT);
    let late = state
        .time_left(|| now)
        .is_some_and(|left| hold.wait >= left);
    if hold.wait > max || late {
        return Err(GiveUp::Paced {
            wait: hold.wait,
            reason: hold.reason,
        });
    }
    Ok(())
}

/// The call ends before an attempt the pacer would hold too long.
fn paced_out<E>(state: &Attempts<&RetryPolicy>, last: Option<E>, reason: GiveUp) -> RetryError<E> {
    #[cfg(feature = "tracing")]
    tracing::info!(attempt = state.attempt, reason = %reason, "api-errors: giving up");
    RetryError {
        error: last,
        attempts: state.attempt - 1,
        waited: state.waited,
        reason,
    }
}

/// What an attempt's error said of the vendor's limits, for the pacer.
fn learn<T, E: Retryable>(
    pacer: &crate::Pacer,
    request: &crate::PaceRequest<'_>,
    result: &Result<T, E>,
    now: Instant,
) {
    const NOTHING: &crate::RateState = &crate::RateState::NONE;
    match result {
        Err(e) => {
            let state = e.rate_state().unwrap_or(NOTHING);
            pacer.learn(request, state, e.is_throttling(), e.retry_after(), now);
        }
        Ok(_) => pacer.learn(request, NOTHING, false, None, now),
    }
}

// No sleeper bound here: without the `tokio` feature, `.sleeper(...)` may come after.
impl<'p, F, Fut, T, E, N, R, S> RetryAsync<'p, F, N, R, S>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, E>>,
    E: Retryable,
{
    /// Refreshes credentials (asynchronously) before retrying an error whose hint
    /// says `AfterReauthentication`; see [`Retry::reauthenticate`].
    ///
    /// The hook's future ends in `Result<(), BoxError>` (a [`BoxError`] is any error,
    /// boxed): inside an `async` block, `?` converts any error for you and `Ok(())`
    /// needs no annotation; a future of your own error type takes
    /// `.map_err(Into::into)` (or `.map_err(BoxError::from)`) after `.await`:
    ///
    /// ```
    /// use std::cell::Cell;
    /// use api_errors::{BoxError, ManualClock, RetryHint, RetryPolicy, Retryable};
    ///
    /// #[derive(Debug)]
    /// struct Expired;
    /// impl Retryable for Expired {
    ///     fn retry_hint(&self) -> RetryHint { RetryHint::REAUTHENTICATE }
    /// }
    ///
    /// // A token refresh with an error type of its own.
    /// async fn refresh(fresh: &Cell<bool>) -> Result<(), std::io::Error> {
    ///     fresh.set(true);
    ///     Ok(())
    /// }
    ///
    /// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// let fresh = Cell::new(false);
    /// let done = RetryPolicy::default()
    ///     .retry_async(|| async { if fresh.get() { Ok("done") } else { Err(Expired) } })
    ///     .reauthenticate(|_| async {
    ///         refresh(&fresh).await?; // `?` boxes the io::Error
    ///         Ok(())
    ///     })
    ///     .sleeper(ManualClock::new())
    ///     .call()
    ///     .await;
    /// assert_eq!(done.unwrap(), "done");
    /// # let _: Option<BoxError> = None;
    /// # });
    /// ```
    pub fn reauthenticate<H, HF>(self, hook: H) -> RetryAsync<'p, F, N, Hook<H>, S>
    where
        H: FnMut(&E) -> HF,
        HF: Future<Output = Result<(), BoxError>>,
    {
        RetryAsync {
            policy: self.policy,
            op: self.op,
            idempotent: self.idempotent,
            notify: self.notify,
            reauth: Hook(hook),
            sleeper: self.sleeper,
            pace: self.pace,
        }
    }
}

impl<'p, F, Fut, T, E, N, R, S> RetryAsync<'p, F, N, R, S>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, E>>,
    E: Retryable,
    N: NotifyHook<E>,
    R: AsyncReauthHook<E>,
    S: Sleeper,
{
    /// Runs the operation until it succeeds or the policy gives up.
    pub async fn call(self) -> Result<T, RetryError<E>> {
        self.call_reported().await.map(|r| r.value)
    }

    /// As [`call`](Self::call), also telling how many attempts and how long waited.
    pub async fn call_reported(mut self) -> Result<Retried<T>, RetryError<E>> {
        if self.policy.max_elapsed.is_some() {
            // Its own (boxed) loop: the race against the deadline would otherwise
            // weigh on every call's future, deadline or not.
            return Box::pin(self.call_with_deadline()).await;
        }
        let mut state = Attempts::start(self.policy, || self.sleeper.now());
        let paced = self.policy.pacer.is_some();
        let mut last: Option<E> = None;
        loop {
            if paced {
                // The previous error is needed only if the pacer ends the call.
                drop(self.pace_before(&mut state, last.take()).await?);
            }
            let result = (self.op)().await;
            self.after_attempt(&result);
            let error = match result {
                Ok(value) => return Ok(state.success(value)),
                Err(error) => error,
            };
            // Kept only where a pacer may still give up before the next attempt.
            last = self.prepare_retry(&mut state, error, paced).await?;
        }
    }

    /// Before an attempt: waits as long as the policy's pacer holds it, or ends the
    /// call (with `last`, the previous attempt's error) when that would be too long.
    async fn pace_before(
        &mut self,
        state: &mut Attempts<&RetryPolicy>,
        last: Option<E>,
    ) -> Result<Option<E>, RetryError<E>> {
        let policy = self.policy;
        let Some(pacer) = policy.pacer.as_ref() else {
            return Ok(last);
        };
        loop {
            let now = self.sleeper.now();
            // A shared store (Redis) is asked here, within the pacer's shared timeout.
            let hold = pacer.reserve_async(&self.pace, now).await;
            if hold.wait.is_zero() {
                break;
            }
            if let Err(reason) = paced(self.policy, state, hold, now) {
                return Err(paced_out(state, last, reason));
            }
            self.sleeper.sleep(hold.wait).await;
            state.waited = state.waited.saturating_add(hold.wait);
            if hold.reason != Some(crate::HoldReason::Concurrency) {
                break;
            }
        }
        pacer.start(&self.pace, self.sleeper.now());
        Ok(last)
    }

    /// After an attempt: the pacer's concurrency slot is free, and it learns what the
    /// attempt's error said.
    fn after_attempt(&self, result: &Result<T, E>) {
        if let Some(pacer) = &self.policy.pacer {
            pacer.release(&self.pace);
            learn(pacer, &self.pace, result, self.sleeper.now());
        }
    }

    /// The loop of a call with a deadline: each attempt races the time left.
    async fn call_with_deadline(mut self) -> Result<Retried<T>, RetryError<E>> {
        let mut state = Attempts::start(self.policy, || self.sleeper.now());
        let mut last: Option<E> = None;
        loop {
            if self.policy.pacer.is_some() {
                last = self.pace_before(&mut state, last).await?;
            }
            let attempt = (self.op)();
            let left = state.time_left(|| self.sleeper.now()).unwrap_or_default();
            let outcome = race(attempt, self.sleeper.sleep(left)).await;
            if let Some(result) = &outcome {
                self.after_attempt(result);
            } else if let Some(pacer) = &self.policy.pacer {
                pacer.release(&self.pace);
            }
            let error = match outcome {
                Some(Ok(value)) => return Ok(state.success(value)),
                Some(Err(error)) => error,
                None => return Err(cancelled_at_deadline(&state, last)),
            };
            last = self.prepare_retry(&mut state, error, true).await?;
        }
    }

    /// After a failed attempt: decide, notify, re-authenticate if asked, and wait.
    /// When a retry follows, gives the error back if `keep` (to report it should the
    /// deadline cancel the next attempt), else drops it before waiting (so that what
    /// it holds, such as a response's connection, is not held through the wait).
    async fn prepare_retry(
        &mut self,
        state: &mut Attempts<&RetryPolicy>,
        error: E,
        keep: bool,
    ) -> Result<Option<E>, RetryError<E>> {
        // A fleet's budget: this process's changes applied, the fleet's tokens read.
        let policy = self.policy;
        if let Some(budget) = policy.budget.as_ref().filter(|b| b.is_shared()) {
            budget.sync().await;
        }
        let sleeper = &self.sleeper;
        let Next {
            error,
            delay,
            reauthenticate,
        } = after_failure(
            state,
            &mut self.notify,
            error,
            self.idempotent,
            R::PRESENT,
            || sleeper.now(),
        )?;
        if reauthenticate {
            if let Err(e) = self.reauth.call(&error).await {
                // A second event for this attempt: the retry announced is off.
                let reason = GiveUp::ReauthenticationFailed(e);
                return Err(give_up(&mut self.notify, state, error, reason));
            }
        }
        let kept = keep.then_some(error);
        if !delay.is_zero() {
            self.sleeper.sleep(delay).await;
        }
        state.next(delay);
        Ok(kept)
    }
}
