//! Sleeping and telling the time, injectable so that tests are exact and instant.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

/// Sleeps by blocking the thread; tells the time. For [`Retry::call`](crate::Retry::call).
pub trait BlockingSleeper {
    /// Blocks for `d`.
    fn sleep(&self, d: Duration);
    /// The current time, for deadlines.
    fn now(&self) -> Instant {
        Instant::now()
    }
}

/// Sleeps asynchronously; tells the time. For [`RetryAsync::call`](crate::RetryAsync::call).
/// Implement it to run the executor on any async runtime.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot sleep asynchronously",
    note = "enable the `tokio` feature of api-errors, or choose a sleeper with `.sleeper(...)`"
)]
pub trait Sleeper {
    /// The future that [`sleep`](Self::sleep) returns.
    type Sleep: Future<Output = ()>;
    /// A future that completes after `d`.
    fn sleep(&self, d: Duration) -> Self::Sleep;
    /// The current time, for deadlines.
    fn now(&self) -> Instant {
        Instant::now()
    }
}

/// `std::thread::sleep` and `Instant::now`: the blocking default.
#[derive(Debug, Clone, Copy, Default)]
pub struct ThreadSleeper;

impl BlockingSleeper for ThreadSleeper {
    fn sleep(&self, d: Duration) {
        std::thread::sleep(d)
    }
}

/// tokio's timer and clock: the async default (feature `tokio`). Under
/// `tokio::time::pause()` both are virtual, so tests run instantly.
#[cfg(feature = "tokio")]
#[derive(Debug, Clone, Copy, Default)]
pub struct TokioSleeper;

#[cfg(feature = "tokio")]
impl Sleeper for TokioSleeper {
    type Sleep = tokio::time::Sleep;
    fn sleep(&self, d: Duration) -> Self::Sleep {
        tokio::time::sleep(d)
    }
    fn now(&self) -> Instant {
        tokio::time::Instant::now().into_std()
    }
}

/// Stands in for an async sleeper when the `tokio` feature is off: choose one with
/// [`RetryAsync::sleeper`](crate::RetryAsync::sleeper).
#[derive(Debug, Clone, Copy, Default)]
pub struct NoSleeper;

/// A clock that moves only when something sleeps on it: sleeping returns at once and
/// advances the clock by the duration. It records every sleep. Clones share one
/// clock. For exact, instant tests of anything that waits.
///
/// ```
/// use std::time::Duration;
/// use api_errors::{BlockingSleeper, ManualClock};
///
/// let clock = ManualClock::new();
/// let start = clock.now();
/// clock.sleep(Duration::from_secs(30));
/// assert_eq!(clock.now() - start, Duration::from_secs(30));
/// assert_eq!(clock.sleeps(), [Duration::from_secs(30)]);
/// ```
#[derive(Debug, Clone)]
pub struct ManualClock {
    inner: Arc<ClockInner>,
}

#[derive(Debug)]
struct ClockInner {
    start: Instant,
    offset_nanos: AtomicU64,
    sleeps: Mutex<Vec<Duration>>,
}

impl Default for ManualClock {
    fn default() -> Self {
        Self::new()
    }
}

impl ManualClock {
    /// A clock at an arbitrary start instant.
    pub fn new() -> Self {
        ManualClock {
            inner: Arc::new(ClockInner {
                start: Instant::now(),
                offset_nanos: AtomicU64::new(0),
                sleeps: Mutex::new(Vec::new()),
            }),
        }
    }

    /// Moves the clock forward without recording a sleep (time spent elsewhere,
    /// such as a slow operation).
    pub fn advance(&self, d: Duration) {
        let n = u64::try_from(d.as_nanos()).unwrap_or(u64::MAX);
        let _ = self
            .inner
            .offset_nanos
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |o| {
                Some(o.saturating_add(n))
            });
    }

    /// How far the clock has moved since it was made.
    pub fn elapsed(&self) -> Duration {
        Duration::from_nanos(self.inner.offset_nanos.load(Ordering::SeqCst))
    }

    /// Every sleep so far, in order.
    pub fn sleeps(&self) -> Vec<Duration> {
        self.inner
            .sleeps
            .lock()
            .map(|s| s.clone())
            .unwrap_or_default()
    }

    fn record(&self, d: Duration) {
        if let Ok(mut s) = self.inner.sleeps.lock() {
            s.push(d);
        }
        self.advance(d);
    }

    fn instant(&self) -> Instant {
        self.inner.start + self.elapsed()
    }
}

impl BlockingSleeper for ManualClock {
    fn sleep(&self, d: Duration) {
        self.record(d)
    }
    fn now(&self) -> Instant {
        self.instant()
    }
}

impl Sleeper for ManualClock {
    type Sleep = Ready;
    fn sleep(&self, d: Duration) -> Ready {
        self.record(d);
        Ready
    }
    fn now(&self) -> Instant {
        self.instant()
    }
}

/// A future that is ready at once: [`ManualClock`]'s sleep.
#[derive(Debug, Clone, Copy)]
pub struct Ready;

impl Future for Ready {
    type Output = ();
    fn poll(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<()> {
        Poll::Ready(())
    }
}

impl<S: BlockingSleeper + ?Sized> BlockingSleeper for &S {
    fn sleep(&self, d: Duration) {
        (**self).sleep(d)
    }
    fn now(&self) -> Instant {
        (**self).now()
    }
}

impl<S: Sleeper + ?Sized> Sleeper for &S {
    type Sleep = S::Sleep;
    fn sleep(&self, d: Duration) -> S::Sleep {
        (**self).sleep(d)
    }
    fn now(&self) -> Instant {
        (**self).now()
    }
}
