#!/usr/bin/env bash
# The product as users get it: package both crates, unpack them outside the
# workspace, and build and run a fresh crate against the packaged sources (not the
# workspace paths). It uses bundled specs only, by vendor name and by file name, so
# it passes only if the specs really ship inside the packages.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
work="$root/target/package-check"
rm -rf "$work" && mkdir -p "$work"
cargo package -p api-errors-macros -p api-errors --allow-dirty --no-verify --quiet
for c in api-errors-macros api-errors; do
  tar -xzf "target/package/$c-0.1.0.crate" -C "$work"
done
mkdir -p "$work/user/src"
cat > "$work/user/Cargo.toml" <<TOML
[package]
name = "user"
version = "0.0.0"
edition = "2021"

[dependencies]
api-errors = { path = "../api-errors-0.1.0" }

[patch.crates-io]
api-errors-macros = { path = "../api-errors-macros-0.1.0" }

[workspace]
TOML
cat > "$work/user/src/main.rs" <<'RS'
use api_errors::{api_errors, ApiError, ManualClock, RetryPolicy};

// By vendor name, and by file name with no such file in this crate: both bundled.
#[api_errors(vendor = "openai")]
pub enum OpenAi {}

#[api_errors(spec = "anthropic.yaml")]
pub enum Claude {}

fn main() {
    let body = br#"{"error":{"message":"Request too large for gpt-4","type":"tokens","code":"rate_limit_exceeded"}}"#;
    let e = ApiError::<OpenAi>::from_response(429, &(), body);
    assert_eq!(e.kind(), OpenAi::RequestTooLarge);
    println!("{e}");
    let clock = ManualClock::new();
    let mut overloaded = 2;
    let done = RetryPolicy::default()
        .retry(|| {
            if overloaded > 0 {
                overloaded -= 1;
                Err(ApiError::<Claude>::from_response(529, &(), br#"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#))
            } else {
                Ok("answer")
            }
        })
        .sleeper(clock.clone())
        .call_reported()
        .unwrap();
    assert_eq!(done.attempts, 3);
    println!("529 overloaded twice, then {:?} after {} attempts", done.value, done.attempts);
    assert!(api_errors::bundled_spec!("jira").contains("RateLimit-Reason"));
    println!("packaged crates: ok");
}
RS
cd "$work/user"
CARGO_TARGET_DIR="$work/target" cargo run --quiet
