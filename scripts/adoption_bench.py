#!/usr/bin/env python3
"""Adoption cost: a clean build of a binary crate that uses a bundled spec
(`#[api_errors(vendor = "openai")]`), against the same crate with the same 14
variants, `from_status` and `is_retryable` written by hand with `thiserror`.

Both crates sit under target/adoption-bench. Every build starts from nothing: a
fresh lockfile (resolved offline from the local registry, as a new project
resolves) and an empty target dir, with no incremental cache (the crates under test
are path dependencies here, which cargo would otherwise build incrementally, as it
never builds a registry crate). The two are built alternately, RUNS rounds
(at least 5), and the wall and CPU times (user + system, of every process the
build ran) are reported as medians with their ratio, with the load average before
and after. Then where the api-errors build spends its time: the slowest units of
one more clean build with `cargo build --timings`, and its critical path.

Usage: RUNS=5 python3 scripts/adoption_bench.py
"""
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "target" / "adoption-bench"
RUNS = max(5, int(os.environ.get("RUNS", "5")))

MAIN_API_ERRORS = """use api_errors::api_errors;

#[api_errors(vendor = "openai")]
pub enum OpenAi {}

fn main() {
    for status in [400, 429, 500, 503, 599] {
        let e = OpenAi::from_status(status);
        println!("{status}: {e} (retryable: {})", e.is_retryable());
    }
}
"""

# The same 14 documented errors (the bundled OpenAI spec's), as a user writes them.
VARIANTS = [
    ("BadRequest", 400, "The request has bad parameters.", False),
    ("Unauthorized", 401, "The API key is invalid.", False),
    ("Forbidden", 403, "The country or region is not supported.", False),
    ("NotFound", 404, "The requested resource does not exist.", False),
    ("RequestTimeout", 408, "The request timed out.", True),
    ("Conflict", 409, "The resource was changed by another request.", True),
    ("UnprocessableEntity", 422, "The request cannot be processed.", True),
    ("RateLimitExceeded", 429, "Too many requests or tokens per minute.", True),
    ("RequestTooLarge", 429, "One request is larger than the whole limit.", False),
    ("InsufficientQuota", 429, "The credits are used up.", False),
    ("SpendLimitReached", 429, "A spend or usage limit is reached.", False),
    ("InternalServerError", 500, "The server had an error.", True),
    ("EngineOverloaded", 503, "The engine is overloaded.", True),
    ("SlowDown", 503, "Your own traffic rose too suddenly.", True),
]


def main_thiserror():
    v = "\n".join(f'    #[error("{m}")]\n    {n},' for n, _, m, _ in VARIANTS)
    first = {}
    for n, s, _, _ in VARIANTS:
        first.setdefault(s, n)
    from_status = "\n".join(f"            {s} => Self::{n}," for s, n in first.items())
    retryable = " | ".join(f"Self::{n}" for n, _, _, r in VARIANTS if r)
    return f"""#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum OpenAi {{
{v}
    #[error("HTTP {{0}}")]
    Unknown(u16),
}}

impl OpenAi {{
    pub const fn from_status(status: u16) -> Self {{
        match status {{
{from_status}
            other => Self::Unknown(other),
        }}
    }}

    pub const fn is_retryable(&self) -> bool {{
        match self {{
            {retryable} => true,
            Self::Unknown(s) => matches!(s, 408 | 429 | 500 | 502 | 503 | 504),
            _ => false,
        }}
    }}
}}

fn main() {{
    for status in [400, 429, 500, 503, 599] {{
        let e = OpenAi::from_status(status);
        println!("{{status}}: {{e}} (retryable: {{}})", e.is_retryable());
    }}
}}
"""


def write(name, dep, main):
    d = WORK / name
    shutil.rmtree(d, ignore_errors=True)
    (d / "src").mkdir(parents=True)
    (d / "Cargo.toml").write_text(
        f'[package]\nname = "{name}"\nversion = "0.0.0"\nedition = "2021"\n\n'
        f"[dependencies]\n{dep}\n\n[workspace]\n"
    )
    (d / "src" / "main.rs").write_text(main)
    return d


def clean_build(d, extra=()):
    """A build from nothing: a fresh lockfile and target dir. (wall s, CPU s)."""
    target = d / "target"
    shutil.rmtree(target, ignore_errors=True)
    (d / "Cargo.lock").unlink(missing_ok=True)
    # As a user's build of the registry crates: no incremental cache (cargo uses one
    # for path dependencies, which these are here, never for registry ones).
    env = {**os.environ, "CARGO_TARGET_DIR": str(target), "CARGO_INCREMENTAL": "0"}
    subprocess.run(["cargo", "generate-lockfile", "--offline", "--quiet"], cwd=d, check=True, env=env)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(["cargo", "build", "--quiet", "--offline", *extra], cwd=d, check=True, env=env)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return wall, cpu


def units(d):
    clean_build(d, ["--timings"])
    report = d / "target" / "cargo-timings" / "cargo-timing.html"
    m = re.search(r"const UNIT_DATA = (\[.*?\]);", report.read_text(), re.S)
    return json.loads(m.group(1)) if m else []


def main():
    WORK.mkdir(parents=True, exist_ok=True)
    ours = write("with-api-errors", f'api-errors = {{ path = "{ROOT / "runtime"}" }}', MAIN_API_ERRORS)
    theirs = write("with-thiserror", 'thiserror = "2"', main_thiserror())
    for d in (ours, theirs):  # the registry's files at hand, and a first build, untimed
        subprocess.run(["cargo", "fetch", "--quiet"], cwd=d, check=True)
        clean_build(d)
    load_before = os.getloadavg()[0]
    a, b = [], []
    for _ in range(RUNS):
        a.append(clean_build(ours))
        b.append(clean_build(theirs))
    load_after = os.getloadavg()[0]
    wa, ca = statistics.median(x[0] for x in a), statistics.median(x[1] for x in a)
    wb, cb = statistics.median(x[0] for x in b), statistics.median(x[1] for x in b)
    print(f"Clean builds from a fresh lockfile and target dir, median of {RUNS} (alternating), "
          f"{os.cpu_count()} cores; load average {load_before:.2f} before, {load_after:.2f} after.\n")
    print("| binary crate | wall | CPU |")
    print("|---|---:|---:|")
    print(f"| 14 variants by hand with `thiserror` | {wb:.2f} s | {cb:.2f} s |")
    print(f"| `#[api_errors(vendor = \"openai\")]` | {wa:.2f} s | {ca:.2f} s |")
    print(f"| ratio | **{wa / wb:.2f}x** | **{ca / cb:.2f}x** |")
    print("\nRuns (wall / CPU): api-errors " + ", ".join(f"{w:.1f}/{c:.1f}" for w, c in a)
          + "; thiserror " + ", ".join(f"{w:.1f}/{c:.1f}" for w, c in b))
    us = units(ours)
    us.sort(key=lambda u: -u["duration"])
    print("\nSlowest units of the api-errors build (`cargo build --timings`, one run):\n")
    print("| unit | seconds | starts at |")
    print("|---|---:|---:|")
    for u in us[:12]:
        print(f'| {u["name"]} {u["version"]}{" (" + u["target"].strip() + ")" if u.get("target", "").strip() else ""} | {u["duration"]:.2f} | {u["start"]:.2f} |')


if __name__ == "__main__":
    sys.exit(main())
