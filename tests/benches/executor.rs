//! Success-path overhead: calling a trivial operation directly, through this crate's
//! executors, and through backon's blocking retry.

use api_errors_tests::vendors::AmplitudeBatch;
use std::hint::black_box;

use api_errors::{ManualClock, RetryPolicy};
use backon::{BlockingRetryable, ExponentialBuilder};
use criterion::{criterion_group, criterion_main, Criterion};

#[inline(never)]
fn op(x: u64) -> Result<u64, AmplitudeBatch> {
    Ok(black_box(x).wrapping_mul(3))
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("success path");
    g.bench_function("direct call (baseline)", |b| b.iter(|| op(black_box(7))));

    let policy = RetryPolicy::default();
    g.bench_function("api-errors blocking, default policy", |b| {
        b.iter(|| policy.retry(|| op(black_box(7))).call())
    });

    let with_deadline = RetryPolicy::default().max_elapsed(std::time::Duration::from_secs(10));
    g.bench_function("api-errors blocking, with deadline", |b| {
        b.iter(|| with_deadline.retry(|| op(black_box(7))).call())
    });

    let clock = ManualClock::new();
    g.bench_function("api-errors async, tokio sleeper (polled once)", |b| {
        b.iter(|| {
            let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
            let fut = policy.retry_async(|| async { op(black_box(7)) }).call();
            let mut fut = std::pin::pin!(fut);
            std::future::Future::poll(fut.as_mut(), &mut cx)
        })
    });
    let waker = std::task::Waker::noop();
    g.bench_function("api-errors async (polled once)", |b| {
        b.iter(|| {
            let mut cx = std::task::Context::from_waker(waker);
            let fut = policy
                .retry_async(|| async { op(black_box(7)) })
                .sleeper(&clock)
                .call();
            let mut fut = std::pin::pin!(fut);
            std::future::Future::poll(fut.as_mut(), &mut cx)
        })
    });

    let backoff = ExponentialBuilder::default();
    g.bench_function("backon blocking, default builder", |b| {
        b.iter(|| (|| op(black_box(7))).retry(backoff).call())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
