//! The contention simulation's tables (`cargo bench --bench contention`): calls and
//! completion time per strategy for 10 to 190 clients, 100 runs each; then the load
//! amplification of failures with and without the retry budget. The simulation
//! itself is `api_errors_tests::contention`.

use std::time::Duration;

use api_errors::{RetryBudget, RetryPolicy};
use api_errors_tests::contention::{amplification, run_once, strategies};

const RUNS: u64 = 100;

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
        let with = amplification(&base.clone().budget(RetryBudget::default()), n, &fail);
        println!("| {label} | {without:.3}x | {with:.3}x |");
    }
    println!();
}

fn main() {
    // `cargo test --benches` runs this too; the tables are for `cargo bench` only
    // (the simulation's findings are asserted in tests/tests/contention.rs).
    if std::env::args().any(|a| a == "--bench") {
        outage();
        contention();
    }
}
