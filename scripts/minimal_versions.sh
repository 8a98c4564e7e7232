#!/usr/bin/env bash
# The lower bounds of the dependencies build: resolve every dependency to the lowest
# version its bound allows (`cargo +nightly update -Z minimal-versions`, on a copy of
# the workspace, so Cargo.lock is not touched), then build the published crates with
# every feature on the stable toolchain. A bound that is too low fails here.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
work="$root/target/minimal-versions"
rm -rf "$work/src" && mkdir -p "$work/src"
git ls-files -z | xargs -0 -I{} cp --parents {} "$work/src/" 2>/dev/null || true
# Uncommitted edits too (CI runs on a clean clone, where this is the same).
git ls-files -z -m | xargs -0 -I{} cp --parents {} "$work/src/" 2>/dev/null || true
cd "$work/src"
cargo +nightly update -Z minimal-versions --quiet
CARGO_TARGET_DIR="$work/target" cargo build --quiet \
  -p api-errors -p api-errors-macros -p api-errors-spec -p api-errors-cli --all-features
echo "minimal versions: the published crates build at every dependency's lower bound"
