//! The retry policy (a builder value) and the decision core that both executors share.

use std::borrow::Borrow;
use std::time::{Duration, Instant};

use crate::kind::{LongWait, RetryHint, RetryWhen};
use crate::retry::backoff::{Jitter, Rng};
use crate::retry::budget::RetryBudget;
use crate::retry::executor::{GiveUp, Retryable};

/// A [`RetryPolicy`]'s settings, read back: each field is named as the setter that
/// sets it.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Settings {
    /// Attempts in all, the first included.
    pub max_attempts: u32,
    /// The schedule's base and cap.
    pub backoff: (Duration, Duration),
    /// How randomness is mixed into the schedule.
    pub jitter: Jitter,
    /// The overall deadline, if any.
    pub max_elapsed: Option<Duration>,
    /// The longest single wait, if set (`None`: the vendor's, where its spec states
    /// one, else 60 s).
    pub max_wait: Option<Duration>,
    /// What happens above `max_wait`.
    pub long_wait: LongWait,
    /// The shared retry budget, if any (a clone shares it).
    pub budget: Option<RetryBudget>,
    /// The jitter's seed, if one was set.
    pub seed: Option<u64>,
    /// The shortest scheduled delay.
    pub min_delay: Duration,
}

/// How to retry: the schedule, its bounds and the shared retry budget.
///
/// Defaults (as the AWS SDKs' standard mode, plus bounds): 3 attempts in all,
/// exponential backoff from 1 s capped at 20 s with full jitter, no overall deadline,
/// no single wait above 60 s (longer requests give up, see [`LongWait`]), and a
/// [`RetryBudget::default`] shared by clones.
///
/// ```
/// use std::time::Duration;
/// use api_errors::{Jitter, RetryPolicy};
///
/// let policy = RetryPolicy::default()
///     .max_attempts(5)
///     .backoff(Duration::from_millis(100), Duration::from_secs(5))
///     .jitter(Jitter::Decorrelated)
///     .max_elapsed(Duration::from_secs(30));
/// assert_eq!(policy.settings().max_attempts, 5);
/// assert_eq!(policy.settings().backoff, (Duration::from_millis(100), Duration::from_secs(5)));
/// ```
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    pub(crate) max_attempts: u32,
    pub(crate) base: Duration,
    pub(crate) cap: Duration,
    pub(crate) jitter: Jitter,
    pub(crate) max_elapsed: Option<Duration>,
    pub(crate) max_wait: Option<Duration>,
    pub(crate) long_wait: LongWait,
    pub(crate) budget: Option<RetryBudget>,
    pub(crate) seed: Option<u64>,
    pub(crate) min_delay: Duration,
    pub(crate) pacer: Option<crate::Pacer>,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            base: Duration::from_secs(1),
            cap: Duration::from_secs(20),
            jitter: Jitter::Full,
            max_elapsed: None,
            max_wait: None,
            long_wait: LongWait::GiveUp,
            budget: Some(RetryBudget::default()),
            seed: None,
            min_delay: Duration::ZERO,
            pacer: None,
        }
    }
}

impl RetryPolicy {
    /// The default policy with the retry defaults of `K`'s vendor's own SDK, where
    /// its spec states them (`client:`: attempts, schedule, jitter, shortest delay,
    /// longest wait); every setter called afterwards wins over them.
    ///
    /// ```
    /// use std::time::Duration;
    /// use api_errors::{api_errors, Jitter, RetryPolicy};
    ///
    /// #[api_errors(vendor = "openai")]
    /// pub enum OpenAi {}
    ///
    /// let policy = RetryPolicy::for_vendor::<OpenAi>();
    /// let s = policy.settings();
    /// assert_eq!(s.backoff, (Duration::from_millis(500), Duration::from_secs(8)));
    /// assert_eq!(s.jitter, Jitter::factor(0.75, 1.0));
    /// // The user's own settings win.
    /// assert_eq!(RetryPolicy::for_vendor::<OpenAi>().max_attempts(7).settings().max_attempts, 7);
    /// ```
    pub fn for_vendor<K: crate::ApiErrorKind>() -> Self {
        Self::default().client_defaults(&K::CLIENT)
    }

    /// The same policy with `defaults` applied over it (each that is stated).
    #[must_use]
    pub fn client_defaults(mut self, defaults: &crate::kind::ClientDefaults) -> Self {
        if let Some(n) = defaults.attempts() {
            self = self.max_attempts(n);
        }
        if let Some((base, cap)) = defaults.schedule() {
            self = self.backoff(base, cap);
        }
        if let Some(j) = defaults.jitter_kind() {
            self.jitter = j;
        }
        if let Some(d) = defaults.shortest_delay() {
            self.min_delay = d;
        }
        if let Some(d) = defaults.longest_wait() {
            self.max_wait = Some(d);
        }
        if let Some(w) = defaults.above_longest_wait() {
            self.long_wait = w;
        }
        self
    }

    /// Paces every attempt with `pacer` (shared by this policy's clones, and by
    /// whoever else holds a clone of the pacer): before each attempt the executor
    /// waits as long as the pacer holds it (giving up with [`GiveUp::Paced`] when that
    /// would pass the deadline or `max_wait`), and after each it tells the pacer what
    /// the error said (the spec's rate-limit headers; a throttle). Say what each call
    /// is with [`Retry::pace`](crate::Retry::pace). The tower layer and the reqwest
    /// middleware pace with it too, and learn from every response.
    ///
    /// A pacer that could never hold a request ([`Pacer::is_inert`](crate::Pacer::is_inert):
    /// a spec with no `limits:`, not adaptive) is not kept, so that it costs nothing.
    #[must_use]
    pub fn pacer(mut self, pacer: crate::Pacer) -> Self {
        self.pacer = (!pacer.is_inert()).then_some(pacer);
        self
    }

    /// The pacer, if one is set.
    pub fn pacer_ref(&self) -> Option<&crate::Pacer> {
        self.pacer.as_ref()
    }

    /// No delay from the schedule below `d`, whatever the jitter draws (Stripe's
    /// SDK: at least 0.5 s). Waits the server or the vendor states are their own.
    #[must_use]
    pub fn min_delay(mut self, d: Duration) -> Self {
        self.min_delay = d;
        self
    }

    /// Attempts in all, the first included (at least 1; 1 means never retry).
    #[must_use]
    pub fn max_attempts(mut self, n: u32) -> Self {
        self.max_attempts = n.max(1);
        self
    }

    /// The schedule `min(cap, base * 2^n)` before jitter. A `cap` below `base`
    /// is raised to `base`.
    #[must_use]
    pub fn backoff(mut self, base: Duration, cap: Duration) -> Self {
        self.base = base;
        self.cap = cap.max(base);
        self
    }

    /// How randomness is mixed into the schedule.
    #[must_use]
    pub fn jitter(mut self, jitter: Jitter) -> Self {
        self.jitter = jitter;
        self
    }

    /// An overall deadline, measured from the start of the call: no retry is made
    /// whose wait would end at or past it (the executor gives up with
    /// [`GiveUp::Deadline`] instead of sleeping into it).
    ///
    /// The async executor also bounds the attempts themselves: an attempt still
    /// running at the deadline is cancelled (its future dropped) and the call ends
    /// with [`GiveUp::CancelledAtDeadline`] (the timer for that is one allocation
    /// per attempt, in calls with a deadline only). The blocking executor cannot stop a call
    /// in progress: bound each attempt with the client's own timeout (for example
    /// `reqwest::blocking::ClientBuilder::timeout`, or a socket read timeout), so that
    /// a blocking call ends by at most the deadline plus one attempt's timeout.
    #[must_use]
    pub fn max_elapsed(mut self, d: Duration) -> Self {
        self.max_elapsed = Some(d);
        self
    }

    /// The longest single wait, whoever asks for it: the schedule, a vendor's fixed
    /// wait, or a server's `Retry-After` (so `Retry-After: 99999999` cannot park a
    /// client for years). What happens above it: [`long_wait`](Self::long_wait).
    ///
    /// Unset, it is the vendor's own ceiling where its spec states one (`max_wait:`,
    /// for a vendor whose waits may reasonably be long, such as a rate-limit reset an
    /// hour away), else 60 s. Set, it wins over the vendor's.
    #[must_use]
    pub fn max_wait(mut self, d: Duration) -> Self {
        self.max_wait = Some(d);
        self
    }

    /// The longest single wait for `error`: the policy's, else its vendor's, else
    /// 60 s.
    pub(crate) fn max_wait_for<E: Retryable + ?Sized>(&self, error: &E) -> Duration {
        self.max_wait
            .or_else(|| error.max_wait())
            .unwrap_or(DEFAULT_MAX_WAIT)
    }

    /// Give up (default) or cap when a wait exceeds [`max_wait`](Self::max_wait).
    #[must_use]
    pub fn long_wait(mut self, what: LongWait) -> Self {
        self.long_wait = what;
        self
    }

    /// Shares `budget` (with whoever else holds a clone of it).
    #[must_use]
    pub fn budget(mut self, budget: RetryBudget) -> Self {
        self.budget = Some(budget);
        self
    }

    /// No retry budget: every retry the rest of the policy allows is made.
    #[must_use]
    pub fn without_budget(mut self) -> Self {
        self.budget = None;
        self
    }

    /// What the policy is set to, each field named as the setter that sets it
    /// (`policy.settings().max_attempts` reads what `.max_attempts(n)` set).
    pub fn settings(&self) -> Settings {
        Settings {
            max_attempts: self.max_attempts,
            backoff: (self.base, self.cap),
            jitter: self.jitter,
            max_elapsed: self.max_elapsed,
            max_wait: self.max_wait,
            long_wait: self.long_wait,
            budget: self.budget.clone(),
            seed: self.seed,
            min_delay: self.min_delay,
        }
    }

    /// Seeds the jitter, for reproducible schedules (every call then draws the
    /// same sequence). Unseeded, each call seeds itself from process randomness.
    #[must_use]
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = Some(seed);
        self
    }

    /// The jitter's randomness for one call: seeded, or from process randomness.
    pub(crate) fn rng(&self) -> Rng {
        self.seed.map_or_else(Rng::from_entropy, Rng::from_seed)
    }
}

/// The outcome of one failed attempt.
#[derive(Debug)]
pub(crate) enum Step {
    Retry {
        delay: Duration,
        reauthenticate: bool,
    },
    GiveUp(GiveUp),
}

/// The state of one call: what both executors consult after each failure. The
/// policy is borrowed by the executors, shared (`Arc`) by adapters whose state
/// outlives a borrow (a tower `Policy` holds it across a request's attempts).
#[derive(Clone)]
pub(crate) struct Attempts<P> {
    policy: P,
    pub(crate) attempt: u32,
    pub(crate) waited: Duration,
    start: Option<Instant>,
    /// The jitter's randomness, seeded at the first failure (a success needs none).
    rng: Option<Rng>,
    /// The wait before the last retry (decorrelated jitter grows from it).
    prev: Option<Duration>,
}

impl<P: Borrow<RetryPolicy>> Attempts<P> {
    pub(crate) fn start(policy: P, now: impl FnOnce() -> Instant) -> Self {
        let start = policy.borrow().max_elapsed.map(|_| now());
        Attempts {
            policy,
            attempt: 1,
            waited: Duration::ZERO,
            start,
            rng: None,
            prev: None,
        }
    }

    /// The time left before the deadline, when the policy has one.
    pub(crate) fn time_left(&self, now: impl FnOnce() -> Instant) -> Option<Duration> {
        let (max, start) = (self.policy.borrow().max_elapsed?, self.start?);
        Some(max.saturating_sub(now().saturating_duration_since(start)))
    }

    /// Books a success and reports it.
    pub(crate) fn success<T>(&self, value: T) -> crate::retry::executor::Retried<T> {
        if let Some(b) = &self.policy.borrow().budget {
            b.record_success();
        }
        crate::retry::executor::Retried {
            value,
            attempts: self.attempt,
            waited: self.waited,
        }
    }

    /// Decides what follows a failed attempt.
    pub(crate) fn failed<E: Retryable>(
        &mut self,
        error: &E,
        idempotent: bool,
        now: impl FnOnce() -> Instant,
    ) -> Step {
        let p = self.policy.borrow();
        let hint = error.retry_hint();
        if !hint.is_retryable() {
            return Step::GiveUp(GiveUp::NotRetryable);
        }
        if let Some(b) = &p.budget {
            b.record_failure();
        }
        let when = hint.when();
        if when == RetryWhen::IfIdempotent && !idempotent {
            return Step::GiveUp(GiveUp::NotIdempotent);
        }
        if self.attempt >= p.max_attempts {
            return Step::GiveUp(GiveUp::AttemptsExhausted);
        }
        let reauthenticate = when == RetryWhen::AfterReauthentication;
        // One rule for every schedule: the delay before a retry is its schedule's
        // n-th, n being the failed attempts before this one in the call.
        let n = self.attempt - 1;
        // After re-authenticating, the retry need not wait for the server to recover.
        let scheduled = if reauthenticate {
            Duration::ZERO
        } else {
            let (base, cap) = hint.backoff().unwrap_or((p.base, p.cap));
            let rng = self.rng.get_or_insert_with(|| p.rng());
            let prev = self.prev.unwrap_or(base);
            crate::retry::backoff::delay(base, cap, p.jitter, n, prev, rng).max(p.min_delay)
        };
        let limits = Limits {
            max_wait: p.max_wait_for(error),
            long_wait: p.long_wait,
        };
        let delay = match wait_before_retry(error, hint, scheduled, n, limits) {
            Ok(delay) => delay,
            Err(give_up) => return Step::GiveUp(give_up),
        };
        if let (Some(max), Some(start)) = (p.max_elapsed, self.start) {
            let elapsed = now().saturating_duration_since(start);
            if elapsed.saturating_add(delay) >= max {
                return Step::GiveUp(GiveUp::Deadline);
            }
        }
        if let Some(b) = &p.budget {
            if !b.can_retry() {
                return Step::GiveUp(GiveUp::BudgetExhausted);
            }
        }
        self.prev = Some(delay);
        Step::Retry {
            delay,
            reauthenticate,
        }
    }

    /// Books a wait and the attempt that follows it.
    pub(crate) fn next(&mut self, delay: Duration) {
        self.waited = self.waited.saturating_add(delay);
        self.attempt += 1;
    }
}

/// What bounds a single wait.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub(crate) max_wait: Duration,
    pub(crate) long_wait: LongWait,
}

/// The longest single wait when neither the policy nor the vendor's spec sets one.
pub(crate) const DEFAULT_MAX_WAIT: Duration = Duration::from_secs(60);

/// The wait before retrying `error` (whose guidance is `hint`), given the delay its
/// backoff schedule gives (`scheduled`), the failed attempts before it (`n`) and the
/// bounds; or why no retry is made. The one decision of every executor and adapter:
///
/// 1. what the server stated (the error's wait source), else the entry's `fallback`
///    (with the entry's `backoff`, growing from it: `min(cap, fallback × 2^n)`), else
///    the schedule's delay;
/// 2. raised to the entry's minimum `wait`, and to a wait the server stated as a
///    minimum (`as: minimum`: the schedule's delay, at least that);
/// 3. above `max_wait`: give up, cut to `max_wait`, or (`LongWait::Backoff`) the
///    schedule instead of the server's wait, as the entry (else the policy) says.
pub(crate) fn wait_before_retry<E: Retryable + ?Sized>(
    error: &E,
    hint: RetryHint,
    scheduled: Duration,
    n: u32,
    limits: Limits,
) -> Result<Duration, GiveUp> {
    let vendor_floor = hint.min_wait().unwrap_or(Duration::ZERO);
    let floor = vendor_floor.max(error.wait_floor().unwrap_or(Duration::ZERO));
    let silent = match (hint.fallback(), hint.backoff()) {
        (Some(fallback), Some((_, cap))) => grown(fallback, cap, n),
        (Some(fallback), None) => fallback,
        (None, _) => scheduled,
    };
    let delay = error.retry_after().unwrap_or(silent).max(floor);
    if delay <= limits.max_wait {
        return Ok(delay);
    }
    match hint.long_wait().unwrap_or(limits.long_wait) {
        LongWait::GiveUp => Err(GiveUp::WaitTooLong { requested: delay }),
        LongWait::Cap => Ok(limits.max_wait),
        // The server's waits (stated, or as a minimum) are set aside.
        LongWait::Backoff => Ok(silent.max(vendor_floor).min(limits.max_wait)),
    }
}

/// `min(cap, from × 2^n)`, without overflow.
fn grown(from: Duration, cap: Duration, n: u32) -> Duration {
    let factor = 1u32.checked_shl(n).unwrap_or(u32::MAX);
    from.saturating_mul(factor).min(cap.max(from))
}
