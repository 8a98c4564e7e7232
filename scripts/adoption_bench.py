#!/usr/bin/env python3
"""Adoption cost: a clean build of a fresh crate that depends on `api-errors`
(default features) against the same crate depending on `thiserror` alone.

Both crates sit under target/adoption-bench, each with its own target dir, and
are built from clean RUNS times (alternating), with the workspace's Cargo.lock so
that both build the versions this repository tests. Prints a Markdown table of
the medians and their ratio, then where the api-errors build spends its time:
the slowest units from `cargo build --timings` (one more clean build).

Usage: python3 scripts/adoption_bench.py      (RUNS=3 in the environment by default)
"""
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "target" / "adoption-bench"
RUNS = int(os.environ.get("RUNS", "3"))

LIB_API_ERRORS = """use api_errors::api_errors;

#[api_errors(spec = "spec.yaml")]
pub enum VendorError {}

pub fn describe(status: u16) -> String {
    VendorError::from_status(status).to_string()
}
"""

LIB_THISERROR = """#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum VendorError {
    #[error("the request was malformed")]
    BadRequest,
    #[error("too many requests")]
    TooManyRequests,
    #[error("HTTP {0}")]
    Unknown(u16),
}

pub fn describe(status: u16) -> String {
    match status {
        400 => VendorError::BadRequest,
        429 => VendorError::TooManyRequests,
        s => VendorError::Unknown(s),
    }
    .to_string()
}
"""

SPEC = """vendor: Vendor
apis:
  main:
    title: Main API
    errors:
      - status: 400
        meaning: the request was malformed
        retry: never
      - status: 429
        meaning: too many requests
        retry: retry_after
"""


def write(name, dep, lib, spec=None):
    d = WORK / name
    (d / "src").mkdir(parents=True, exist_ok=True)
    (d / "Cargo.toml").write_text(
        f'[package]\nname = "{name}"\nversion = "0.0.0"\nedition = "2021"\n\n'
        f"[dependencies]\n{dep}\n\n[workspace]\n"
    )
    (d / "src" / "lib.rs").write_text(lib)
    if spec:
        (d / "spec.yaml").write_text(spec)
    shutil.copy(ROOT / "Cargo.lock", d / "Cargo.lock")
    return d


def clean_build(d, extra=()):
    target = d / "target"
    shutil.rmtree(target, ignore_errors=True)
    t = time.perf_counter()
    subprocess.run(
        ["cargo", "build", "--quiet", "--offline", *extra],
        cwd=d, check=True, env={**os.environ, "CARGO_TARGET_DIR": str(target)},
    )
    return time.perf_counter() - t


def slowest_units(d, top=8):
    clean_build(d, ["--timings"])
    report = d / "target" / "cargo-timings" / "cargo-timing.html"
    m = re.search(r"const UNIT_DATA = (\[.*?\]);", report.read_text(), re.S)
    if not m:
        return []
    units = json.loads(m.group(1))
    units.sort(key=lambda u: -u["duration"])
    return [(f'{u["name"]} {u["version"]}' + (" (build script)" if u.get("target", "").strip() == "build-script" or "build" in u.get("mode", "") else ""), u["duration"]) for u in units[:top]]


def main():
    WORK.mkdir(parents=True, exist_ok=True)
    ours = write("with-api-errors", f'api-errors = {{ path = "{ROOT / "runtime"}" }}', LIB_API_ERRORS, SPEC)
    theirs = write("with-thiserror", 'thiserror = "2"', LIB_THISERROR)
    for d in (ours, theirs):  # fetch and a first build, untimed
        subprocess.run(["cargo", "fetch", "--quiet"], cwd=d, check=True)
    a, b = [], []
    for _ in range(RUNS):
        a.append(clean_build(ours))
        b.append(clean_build(theirs))
    ma, mb = statistics.median(a), statistics.median(b)
    print(f"Clean builds, median of {RUNS} (alternating), {os.cpu_count()} cores:\n")
    print("| crate depends on | clean build (s) | ratio |")
    print("|---|---:|---:|")
    print(f"| `thiserror` alone | {mb:.2f} | 1.00x |")
    print(f"| `api-errors` (default features) | {ma:.2f} | {ma / mb:.2f}x |")
    print("\nSlowest units of the api-errors build (`cargo build --timings`, one run):\n")
    print("| unit | seconds |")
    print("|---|---:|")
    for name, secs in slowest_units(ours):
        print(f"| {name} | {secs:.2f} |")


if __name__ == "__main__":
    sys.exit(main())
