//! A discrete-event simulation of the AWS "Exponential Backoff and Jitter"
//! contention experiment, driving this crate's own async executor and retry policy
//! on a virtual clock; then the load amplification of a full outage with and
//! without the retry budget. Prints Markdown tables (`cargo bench --bench contention`).
//!
//! The setup: N clients contend on one row with optimistic concurrency. An attempt
//! reads the row's version (one call), then writes it conditionally on that version
//! (a second call); the write fails if another client wrote in between, and the
//! executor decides whether and when to try again. Each call takes effect after a
//! network delay of |Normal(10 ms, 2 ms)|. Each client stops after its one success.
//! Backoff base 5 ms, cap 2,000 ms. 100 runs per client count.

use std::cell::{Cell, RefCell};
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use api_errors::{Jitter, RetryHint, RetryPolicy, Retryable, Rng, Sleeper};

const RUNS: u64 = 100;
const BASE: Duration = Duration::from_millis(5);
const CAP: Duration = Duration::from_millis(2_000);

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
struct Conflict;

impl Retryable for Conflict {
    fn retry_hint(&self) -> RetryHint {
        RetryHint::BACKOFF
    }
}

#[derive(Default, Clone, Copy)]
struct Outcome {
    writes: u64,
    last_done: Duration,
}

fn run_once(clients: usize, policy: &RetryPolicy, seed: u64) -> Outcome {
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

fn strategies() -> Vec<(&'static str, RetryPolicy)> {
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

fn contention() {
    let strategies = strategies();
    let mut calls = String::from("| clients |");
    let mut times = String::from("| clients |");
    for (name, _) in &strategies {
        calls.push_str(&format!(" {name} |"));
        times.push_str(&format!(" {name} |"));
    }
    let rule = format!("\n|---:|{}\n", "---:|".repeat(strategies.len()));
    calls.push_str(&rule);
    times.push_str(&rule);
    for clients in (10..=190).step_by(10) {
        calls.push_str(&format!("| {clients} |"));
        times.push_str(&format!("| {clients} |"));
        for (_, policy) in &strategies {
            let mut writes = 0;
            let mut time = Duration::ZERO;
            for run in 0..RUNS {
                let o = run_once(clients, policy, run + 1);
                writes += o.writes;
                time += o.last_done;
            }
            calls.push_str(&format!(" {} |", writes / RUNS));
            times.push_str(&format!(" {} |", (time / RUNS as u32).as_millis()));
        }
        calls.push('\n');
        times.push('\n');
    }
    println!("### Calls (writes) until every client succeeded, mean of {RUNS} runs\n\n{calls}");
    println!(
        "### Time until the last client finished (ms, virtual), mean of {RUNS} runs\n\n{times}"
    );
}

/// Total calls / original calls when every call fails, through one shared policy
/// (and so one shared budget), on a virtual clock.
fn amplification(policy: &RetryPolicy, originals: u32, fail: impl Fn(u32) -> bool) -> f64 {
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

fn outage() {
    let n = 10_000;
    let base = RetryPolicy::default().seed(1);
    println!("### Load amplification (total calls / original calls), {n} original calls, 3 attempts each\n");
    println!("| failure rate | without budget | with default budget (10 tokens, 0.1 refund) |");
    println!("|---:|---:|---:|");
    for (label, fail) in [
        (
            "100% (outage)",
            Box::new(|_| true) as Box<dyn Fn(u32) -> bool>,
        ),
        (
            "50%",
            Box::new(|k: u32| k.wrapping_mul(2_654_435_761) % 100 < 50),
        ),
        (
            "10%",
            Box::new(|k: u32| k.wrapping_mul(2_654_435_761) % 100 < 10),
        ),
    ] {
        let without = amplification(&base.clone().without_budget(), n, &fail);
        let with = amplification(
            &base.clone().budget(api_errors::RetryBudget::default()),
            n,
            &fail,
        );
        println!("| {label} | {without:.3}x | {with:.3}x |");
    }
    println!();
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing: run a
    // small smoke version then, so that the simulation stays tested.
    if std::env::args().any(|a| a == "--bench") {
        outage();
        contention();
    } else {
        let o = run_once(20, &strategies()[2].1, 1);
        assert!(o.writes >= 20);
        assert!(amplification(&RetryPolicy::default().seed(1), 1_000, |_| true) < 1.01);
    }
}
