//! The retry policy (a builder value) and the decision core that both executors share.

use std::time::{Duration, Instant};

use crate::kind::{LongWait, RetryWhen};
use crate::retry::backoff::{Backoff, Jitter, Rng};
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
    /// The longest single wait.
    pub max_wait: Duration,
    /// What happens above `max_wait`.
    pub long_wait: LongWait,
    /// The shared retry budget, if any (a clone shares it).
    pub budget: Option<RetryBudget>,
    /// The jitter's seed, if one was set.
    pub seed: Option<u64>,
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
    pub(crate) max_wait: Duration,
    pub(crate) long_wait: LongWait,
    pub(crate) budget: Option<RetryBudget>,
    pub(crate) seed: Option<u64>,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            base: Duration::from_secs(1),
            cap: Duration::from_secs(20),
            jitter: Jitter::Full,
            max_elapsed: None,
            max_wait: Duration::from_secs(60),
            long_wait: LongWait::GiveUp,
            budget: Some(RetryBudget::default()),
            seed: None,
        }
    }
}

impl RetryPolicy {
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
    #[must_use]
    pub fn max_wait(mut self, d: Duration) -> Self {
        self.max_wait = d;
        self
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
        }
    }

    /// Seeds the jitter, for reproducible schedules (every call then draws the
    /// same sequence). Unseeded, each call seeds itself from process randomness.
    #[must_use]
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = Some(seed);
        self
    }

    pub(crate) fn schedule(&self) -> Backoff {
        self.schedule_from(self.base, self.cap)
    }

    /// A schedule of this policy's jitter and seed, from another base and cap.
    pub(crate) fn schedule_from(&self, base: Duration, cap: Duration) -> Backoff {
        let rng = self.seed.map_or_else(Rng::from_entropy, Rng::from_seed);
        Backoff::new(base, cap.max(base), self.jitter, rng)
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

/// The state of one call: what both executors consult after each failure.
pub(crate) struct Attempts<'p> {
    policy: &'p RetryPolicy,
    pub(crate) attempt: u32,
    pub(crate) waited: Duration,
    start: Option<Instant>,
    schedule: Option<Backoff>,
    /// An entry's own schedule (`RetryHint::backoff`), with the (base, cap) it is for.
    entry_schedule: Option<((Duration, Duration), Backoff)>,
}

impl<'p> Attempts<'p> {
    pub(crate) fn start(policy: &'p RetryPolicy, now: impl FnOnce() -> Instant) -> Self {
        Attempts {
            policy,
            attempt: 1,
            waited: Duration::ZERO,
            start: policy.max_elapsed.map(|_| now()),
            schedule: None,
            entry_schedule: None,
        }
    }

    /// The time left before the deadline, when the policy has one.
    pub(crate) fn time_left(&self, now: impl FnOnce() -> Instant) -> Option<Duration> {
        let (max, start) = (self.policy.max_elapsed?, self.start?);
        Some(max.saturating_sub(now().saturating_duration_since(start)))
    }

    /// Books a success and reports it.
    pub(crate) fn success<T>(&self, value: T) -> crate::retry::executor::Retried<T> {
        if let Some(b) = &self.policy.budget {
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
        let p = self.policy;
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
        // After re-authenticating, the retry need not wait for the server to recover.
        let scheduled = if reauthenticate {
            Duration::ZERO
        } else if let Some((base, cap)) = hint.backoff() {
            // The entry's own schedule, kept while the errors keep naming it.
            let fresh = || ((base, cap), p.schedule_from(base, cap));
            let slot = self.entry_schedule.get_or_insert_with(fresh);
            if slot.0 != (base, cap) {
                *slot = fresh();
            }
            slot.1.next().unwrap_or(cap)
        } else {
            let policy = self.policy;
            let schedule = self.schedule.get_or_insert_with(|| policy.schedule());
            schedule.next().unwrap_or(p.cap)
        };
        let floor = hint.min_wait().unwrap_or(Duration::ZERO);
        let stated = error.retry_after().or(hint.fallback());
        let mut delay = stated.unwrap_or(scheduled).max(floor);
        if delay > p.max_wait {
            match hint.long_wait().unwrap_or(p.long_wait) {
                LongWait::GiveUp => return Step::GiveUp(GiveUp::WaitTooLong { requested: delay }),
                LongWait::Cap => delay = p.max_wait,
                LongWait::Backoff => delay = scheduled.max(floor).min(p.max_wait),
            }
        }
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
