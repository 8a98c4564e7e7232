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
cargo package -p api-errors-spec -p api-errors-macros -p api-errors -p api-errors-cli --allow-dirty --no-verify --quiet
# The crates that ship the bundled specs and the schema stay small (issue 21: under
# 1 MiB compressed, whatever the number of specs).
for c in api-errors-spec api-errors-macros; do
  size=$(stat -c %s "target/package/$c-0.1.0.crate")
  if [ "$size" -ge 1048576 ]; then
    echo "$c: the package is $size bytes compressed, over 1 MiB" >&2
    exit 1
  fi
  echo "$c: $size bytes compressed"
done
for c in api-errors-spec api-errors-macros api-errors api-errors-cli; do
  tar -xzf "target/package/$c-0.1.0.crate" -C "$work"
  # What every package must carry.
  for f in LICENSE-MIT LICENSE-APACHE README.md; do
    test -s "$work/$c-0.1.0/$f" || { echo "$c: $f missing from the package" >&2; exit 1; }
  done
done
# Each package is whole: its own tests pass from the package alone (the sibling
# packages stand in for the registry, as they would once published).
for c in api-errors-spec api-errors-macros api-errors api-errors-cli; do
  cat >> "$work/$c-0.1.0/Cargo.toml" <<TOML

[workspace]

[patch.crates-io]
api-errors-spec = { path = "../api-errors-spec-0.1.0" }
api-errors-macros = { path = "../api-errors-macros-0.1.0" }
TOML
  if ! out=$(cd "$work/$c-0.1.0" && CARGO_TARGET_DIR="$work/target" cargo test --quiet --all-features 2>&1); then
    echo "$out" | tail -40 >&2
    echo "$c: its tests fail from the package alone" >&2
    exit 1
  fi
  echo "$c: $(echo "$out" | grep -c '^test result: ok') test suites pass from the package alone"
done
# Every spec and the schema ship with the spec crate (the macro's and the tool's).
for spec in spec/specs/*.yaml spec/specs/api-errors.schema.json; do
  test -s "$work/api-errors-spec-0.1.0/specs/$(basename "$spec")" \
    || { echo "$(basename "$spec") missing from the api-errors-spec package" >&2; exit 1; }
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
api-errors-spec = { path = "../api-errors-spec-0.1.0" }
api-errors-macros = { path = "../api-errors-macros-0.1.0" }

[workspace]
TOML
cat > "$work/user/src/main.rs" <<'RS'
use std::time::Duration;

use api_errors::{api_errors, ApiError, GiveUp, ManualClock, RetryPolicy};

// By vendor name, and by file name with no such file in this crate: both bundled.
#[api_errors(vendor = "openai")]
pub enum OpenAi {}

#[api_errors(spec = "anthropic.yaml")]
pub enum Claude {}

// Three of issue 21's, by name from the packages.
#[api_errors(vendor = "gitlab")]
pub enum GitLab {}

#[api_errors(vendor = "zendesk")]
pub enum Zendesk {}

#[api_errors(vendor = "okta")]
pub enum Okta {}

fn main() {
    assert_eq!(GitLab::from_status(404), GitLab::NotFound);
    let busy = ApiError::<Zendesk>::from_response(503, &[("Retry-After", "3")], b"");
    assert_eq!(busy.kind(), Zendesk::DatabaseBusy);
    let token = ApiError::<Okta>::from_response(401, &(), br#"{"errorCode":"E0000011","errorSummary":"Invalid token provided"}"#);
    assert_eq!(token.kind(), Okta::InvalidToken);
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
    // The quickstart's other turns: a server wait honoured, a bad request not retried.
    let clock = ManualClock::new();
    let mut limited = 1;
    RetryPolicy::default()
        .retry(|| {
            if limited > 0 {
                limited -= 1;
                Err(ApiError::<Claude>::from_response(429, &[("retry-after", "3")], br#"{"type":"error","error":{"type":"rate_limit_error","message":"slow down"}}"#))
            } else {
                Ok(())
            }
        })
        .sleeper(clock.clone())
        .call()
        .unwrap();
    assert_eq!(clock.sleeps(), [Duration::from_secs(3)]);
    let err = RetryPolicy::default()
        .retry(|| Err::<(), _>(ApiError::<OpenAi>::from_response(400, &(), b"{}")))
        .sleeper(ManualClock::new())
        .call()
        .unwrap_err();
    assert!(matches!(err.reason, GiveUp::NotRetryable) && err.attempts == 1);
    println!("429 waited Retry-After 3 s; 400 not retried");
    assert!(api_errors::bundled_spec!("jira").contains("RateLimit-Reason"));
    println!("packaged crates: ok");
}
RS
cd "$work/user"
CARGO_TARGET_DIR="$work/target" cargo run --quiet
# The tool, built from its package alone: checks every shipped spec, rejects a broken one.
cd "$work/api-errors-cli-0.1.0"
CARGO_TARGET_DIR="$work/target" cargo build --quiet
"$work/target/debug/api-errors" check "$root"/spec/specs/*.yaml
printf 'vendor: V\napis: {}\n' > "$work/broken.yaml"
if "$work/target/debug/api-errors" check "$work/broken.yaml" 2>/dev/null; then
  echo "the packaged tool accepted a broken spec" >&2; exit 1
fi
echo "packaged tool: ok"
