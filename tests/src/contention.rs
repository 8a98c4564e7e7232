//! A discrete-event simulation of the AWS "Exponential Backoff and Jitter"
//! contention experiment, driving this crate's own async executor and retry policy
//! on a virtual clock. Used by `benches/contention.rs` (the tables) and
//! `tests/contention.rs` (its findings, asserted).
//!
//! The setup: N clients contend on one row with optimistic concurrency. An attempt
//! reads the row's version (one call), then writes it conditionally on that version
//! (a second call); the write fails if another client wrote in between, and the
//! executor decides whether and when to try again. Each call takes effect after a
//! network delay of |Normal(10 ms, 2 ms)|. Each client stops after its one success.
//! Backoff base 5 ms, cap 2,000 ms.

use std::cell::{Cell, RefCell};
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use api_errors::{Jitter, RetryHint, RetryPolicy, Retryable, Rng, Sleeper};

pub const BASE: Duration = Duration::from_millis(5);
pub const CAP: Duration = Duration::from_millis(2_000);

/// Virtual time and the timers of one simulation run.
struct Sim {
    origin: Instant,
    now: Cell<u64>,
    current: Cell<usize>,
    seq: Cell<u64>,
    timers: RefCell<BinaryHeap<Reverse<(u64, u64, usize)>>>,
    rng: RefCell<Rng>,
}

impl Sim {
    fn wake_at(&self, at: u64, task: usize) {
        let seq = self.seq.get();
        self.seq.set(seq + 1);
        self.timers.borrow_mut().push(Reverse((at, seq, task)));
    }

    /// |Normal(10 ms, 2 ms)| by Box-Muller, in nanoseconds.
    fn network_delay(&self) -> Duration {
        let mut rng = self.rng.borrow_mut();
        let u1 = ((rng.next_u64() >> 11) as f64 + 1.0) / (1u64 << 53) as f64;
        let u2 = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        let z = (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos();
        Duration::from_secs_f64((0.010 + 0.002 * z).abs())
    }
}

/// The executor's sleeper in the simulation: a timer on the virtual clock.
#[derive(Clone)]
struct VirtualSleeper(Rc<Sim>);

struct VirtualSleep {
    sim: Rc<Sim>,
    wait: u64,
    until: Option<u64>,
}

impl Future for VirtualSleep {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<()> {
        let now = self.sim.now.get();
        match self.until {
            Some(t) if now >= t => Poll::Ready(()),
            Some(_) => Poll::Pending,
            None => {
                let t = now + self.wait;
                self.until = Some(t);
                self.sim.wake_at(t, self.sim.current.get());
                Poll::Pending
            }
        }
    }
}

impl Sleeper for VirtualSleeper {
    type Sleep = VirtualSleep;
    fn sleep(&self, d: Duration) -> VirtualSleep {
        VirtualSleep {
            sim: self.0.clone(),
            wait: d.as_nanos() as u64,
            until: None,
        }
    }
    fn now(&self) -> Instant {
        self.0.origin + Duration::from_nanos(self.0.now.get())
    }
}

/// A failed conditional write.
#[derive(Debug)]
pub struct Conflict;

impl Retryable for Conflict {
    fn retry_hint(&self) -> RetryHint {
        RetryHint::BACKOFF
    }
}

#[derive(Default, Clone, Copy)]
pub struct Outcome {
    /// Conditional writes made, successful or not.
    pub writes: u64,
    /// When the last client finished (virtual time).
    pub last_done: Duration,
}

/// One run: `clients` clients contend until each has written once.
pub fn run_once(clients: usize, policy: &RetryPolicy, seed: u64) -> Outcome {
    let sim = Rc::new(Sim {
        origin: Instant::now(),
        now: Cell::new(0),
        current: Cell::new(0),
        seq: Cell::new(0),
        timers: RefCell::new(BinaryHeap::new()),
        rng: RefCell::new(Rng::from_seed(seed)),
    });
    let version = Rc::new(Cell::new(0u64));
    let writes = Rc::new(Cell::new(0u64));
    let mut tasks: Vec<Option<Pin<Box<dyn Future<Output = ()>>>>> = Vec::with_capacity(clients);
    for c in 0..clients {
        let sleeper = VirtualSleeper(sim.clone());
        let policy = policy.clone().seed(seed.wrapping_mul(1_000_003) ^ c as u64);
        let (shared, version, writes) = (sim.clone(), version.clone(), writes.clone());
        tasks.push(Some(Box::pin(async move {
            let op = || {
                let (sim, version, writes, sleeper) = (
                    shared.clone(),
                    version.clone(),
                    writes.clone(),
                    sleeper.clone(),
                );
                async move {
                    sleeper.sleep(sim.network_delay()).await;
                    let seen = version.get();
                    sleeper.sleep(sim.network_delay()).await;
                    writes.set(writes.get() + 1);
                    if version.get() == seen {
                        version.set(seen + 1);
                        Ok(())
                    } else {
                        Err(Conflict)
                    }
                }
            };
            let result = policy.retry_async(op).sleeper(sleeper.clone()).call().await;
            assert!(result.is_ok(), "unbounded attempts always succeed");
        })));
        sim.wake_at(0, c);
    }
    let mut cx = Context::from_waker(Waker::noop());
    let mut done = 0;
    let mut last_done = 0;
    loop {
        let next = sim.timers.borrow_mut().pop();
        let Some(Reverse((at, _, task))) = next else {
            break;
        };
        sim.now.set(at);
        sim.current.set(task);
        let Some(fut) = tasks[task].as_mut() else {
            continue;
        };
        if fut.as_mut().poll(&mut cx).is_ready() {
            tasks[task] = None;
            done += 1;
            last_done = at;
        }
    }
    assert_eq!(done, clients);
    Outcome {
        writes: writes.get(),
        last_done: Duration::from_nanos(last_done),
    }
}

/// The five strategies of the AWS analysis, as retry policies.
pub fn strategies() -> Vec<(&'static str, RetryPolicy)> {
    let unbounded = RetryPolicy::default()
        .max_attempts(u32::MAX)
        .without_budget()
        .max_wait(CAP);
    vec![
        (
            "no backoff",
            unbounded
                .clone()
                .backoff(Duration::ZERO, Duration::ZERO)
                .jitter(Jitter::None),
        ),
        (
            "exponential",
            unbounded.clone().backoff(BASE, CAP).jitter(Jitter::None),
        ),
        (
            "full jitter",
            unbounded.clone().backoff(BASE, CAP).jitter(Jitter::Full),
        ),
        (
            "equal jitter",
            unbounded.clone().backoff(BASE, CAP).jitter(Jitter::Equal),
        ),
        (
            "decorrelated",
            unbounded.backoff(BASE, CAP).jitter(Jitter::Decorrelated),
        ),
    ]
}

/// Total calls / original calls when every call fails, through one shared policy
/// (and so one shared budget), on a virtual clock.
pub fn amplification(policy: &RetryPolicy, originals: u32, fail: impl Fn(u32) -> bool) -> f64 {
    let clock = api_errors::ManualClock::new();
    let total = Cell::new(0u32);
    for i in 0..originals {
        let mut attempt = 0;
        let _ = policy
            .retry(|| {
                total.set(total.get() + 1);
                attempt += 1;
                if fail(i * 7 + attempt) {
                    Err(Conflict)
                } else {
                    Ok(())
                }
            })
            .sleeper(&clock)
            .call();
    }
    f64::from(total.get()) / f64::from(originals)
}
