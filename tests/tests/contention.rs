//! The contention simulation's findings, as the AWS "Exponential Backoff and
//! Jitter" analysis reports them, reproduced with this crate's executor (a smaller
//! run than the benchmark's tables: 50 clients, 10 runs).

use std::time::Duration;

use api_errors::{RetryBudget, RetryPolicy};
use api_errors_tests::contention::{amplification, run_once, strategies};

const CLIENTS: usize = 50;
const RUNS: u64 = 10;

/// Mean writes and mean completion time per strategy, by name.
fn measure() -> Vec<(&'static str, u64, Duration)> {
    strategies()
        .into_iter()
        .map(|(name, policy)| {
            let (mut writes, mut time) = (0, Duration::ZERO);
            for run in 0..RUNS {
                let o = run_once(CLIENTS, &policy, run + 1);
                writes += o.writes;
                time += o.last_done;
            }
            (name, writes / RUNS, time / RUNS as u32)
        })
        .collect()
}

#[test]
fn jitter_cuts_the_work_and_plain_exponential_is_slowest() {
    let m = measure();
    let get = |name: &str| m.iter().find(|(n, ..)| *n == name).copied().unwrap();
    let (none, expo, full, equal, decorrelated) = (
        get("no backoff"),
        get("exponential"),
        get("full jitter"),
        get("equal jitter"),
        get("decorrelated"),
    );
    // Every client wrote once, at least.
    assert!(
        m.iter().all(|(_, writes, _)| *writes >= CLIENTS as u64),
        "{m:?}"
    );
    // Work: no backoff > exponential > every jittered kind.
    assert!(none.1 > expo.1, "{m:?}");
    for jittered in [full, equal, decorrelated] {
        assert!(
            jittered.1 * 10 < expo.1 * 8,
            "jitter saves at least 20% of the writes: {m:?}"
        );
    }
    // Time: exponential without jitter keeps clients in lock-step and finishes last.
    for other in [none, full, equal, decorrelated] {
        assert!(expo.2 > other.2 * 3, "{m:?}");
    }
}

#[test]
fn the_budget_holds_an_outage_to_the_original_load() {
    let fail_all = |_| true;
    let without = amplification(
        &RetryPolicy::default().seed(1).without_budget(),
        1_000,
        fail_all,
    );
    let with = amplification(
        &RetryPolicy::default()
            .seed(1)
            .budget(RetryBudget::default()),
        1_000,
        fail_all,
    );
    assert_eq!(without, 3.0);
    assert!(with < 1.006, "{with}");
}
