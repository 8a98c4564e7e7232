#!/usr/bin/env python3
"""Compile-time benchmark: a crate whose enum #[api_errors] generates from an
N-entry spec, against the same enum written by hand with thiserror, with the
methods a user would write (`status`, `from_status`, `from_code`, `retry_hint`,
and `Display` through thiserror).

Both crates live in one scratch workspace under target/compile-bench with one
target dir, so dependencies are built once (warm-up). Every timed build compiles
the crate's code for real: `CARGO_INCREMENTAL=0` (rustc's incremental cache would
answer most of the type checking of an unchanged expansion), and before each build
the crate's text changes (the spec's meanings, or the hand-written messages, carry
the run's number), for both sides. Each timing is `cargo build -p <crate>` (dev
profile) of the crate alone, with its peak memory (the largest process's maximum
resident set, from GNU time). Prints a Markdown table (median of RUNS builds).

A spec with N *invalid* entries (each one a located diagnostic) is timed too, for
`--invalid N`: the build fails, as it should; the time to the diagnostics is what is
measured, against the hand-written crate of the same size.

Usage: python3 scripts/compile_bench.py [N ...] [--invalid N ...]
       (default: 1000 5000 10000 --invalid 3000; RUNS=9 in the environment sets
       how many builds each median is taken over)
"""
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "target" / "compile-bench"
RUNS = int(os.environ.get("RUNS", "9"))
# Four kinds of guidance, and (None) an entry without any: the status class default.
RETRY = ["never", "backoff", "{ when: always, wait: 30s }", "idempotent", None]
HINT = [
    "RetryHint::NEVER",
    "RetryHint::BACKOFF",
    "RetryHint::wait(::core::time::Duration::from_millis(30000))",
    "RetryHint::IF_IDEMPOTENT",
    "RetryHint::for_status({status})",
]


def entries(n, run=0):
    seen = set()
    for i in range(n):
        status = 400 + i % 100
        shared = n > 100
        primary = shared and status not in seen
        seen.add(status)
        yield {
            "i": i,
            "status": status,
            "code": f"error_{i}",
            "name": f"Error{i}",
            "meaning": f"Error number {i}: the request could not be completed (run {run}).",
            "advice": f"Fix field number {i}, then send the request again." if i % 2 == 0 else None,
            "retry": i % 5,
            "primary": primary,
        }


def spec(n, run=0):
    out = ["vendor: Bench", "apis:", "  main:", "    title: Bench API", "    errors:"]
    for e in entries(n, run):
        out.append(f"      - status: {e['status']}")
        out.append(f"        code: {e['code']}")
        out.append(f"        meaning: \"{e['meaning']}\"")
        if e["advice"]:
            out.append(f"        advice: \"{e['advice']}\"")
        if RETRY[e["retry"]] is not None:
            out.append(f"        retry: {RETRY[e['retry']]}")
        if e["primary"]:
            out.append("        primary: true")
    return "\n".join(out) + "\n"


def invalid_spec(n, run=0):
    """N entries, every one wrong in its own place (status outside 100-999)."""
    out = ["vendor: Bench", "apis:", "  main:", "    title: Bench API", "    errors:"]
    for i in range(n):
        out.append(f"      - status: {1000 + i}")
        out.append(f"        code: error_{i}")
        out.append(f"        meaning: \"Error number {i} (run {run}).\"")
    return "\n".join(out) + "\n"


def generated(n):
    return '#[api_errors::api_errors(spec = "spec.yaml")]\npub enum BenchError {}\n'


def handwritten(n, run=0):
    """The enum as a careful user writes it with thiserror: each variant documented
    (as the macro documents it), `Display` by thiserror, and the methods a retry
    loop needs: `status`, `from_status`, `from_code` and `retry_hint`."""
    es = list(entries(n, run))
    v = []
    for e in es:
        doc = f"**HTTP {e['status']}** · app code `{e['code']}`: {e['meaning']}"
        if e["advice"]:
            doc += f"\\n\\n**Advice:** {e['advice']}"
        v.append(f'    #[doc = "{doc}"]\n    #[error("{e["meaning"]}")]\n    {e["name"]},')
    first = {}
    for e in es:
        first.setdefault(e["status"], e["name"])
    lines = [
        "use api_errors::RetryHint;",
        "",
        "#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]",
        "pub enum BenchError {",
        *v,
        '    #[error("HTTP {0}: a status this spec does not document")]',
        "    Unknown(u16),",
        "}",
        "",
        "impl BenchError {",
        "    pub const fn status(&self) -> u16 {",
        "        match self {",
        *[f"            Self::{e['name']} => {e['status']}," for e in es],
        "            Self::Unknown(s) => *s,",
        "        }",
        "    }",
        "    pub const fn from_status(status: u16) -> Self {",
        "        match status {",
        *[f"            {s} => Self::{name}," for s, name in sorted(first.items())],
        "            other => Self::Unknown(other),",
        "        }",
        "    }",
        "    pub fn from_code(code: &str) -> Option<Self> {",
        "        match code {",
        *[f"            \"{e['code']}\" => Some(Self::{e['name']})," for e in es],
        "            _ => None,",
        "        }",
        "    }",
        "    pub const fn retry_hint(&self) -> RetryHint {",
        "        match self {",
        *[f"            Self::{e['name']} => {HINT[e['retry']].format(status=e['status'])}," for e in es],
        "            Self::Unknown(s) => RetryHint::for_status(*s),",
        "        }",
        "    }",
        "}",
    ]
    return "\n".join(lines) + "\n"


def write_crate(name, lib, extra_deps, spec_text=None):
    d = WORK / name
    (d / "src").mkdir(parents=True, exist_ok=True)
    (d / "Cargo.toml").write_text(
        f'[package]\nname = "{name}"\nversion = "0.0.0"\nedition = "2021"\n\n[dependencies]\n'
        f'api-errors = {{ path = "{ROOT / "runtime"}" }}\n{extra_deps}'
    )
    (d / "src" / "lib.rs").write_text(lib)
    if spec_text is not None:
        (d / "spec.yaml").write_text(spec_text)
    return name


def build(pkg, expect_ok=True):
    """Builds `pkg` alone; (seconds, peak kB of the largest process)."""
    t = time.perf_counter()
    r = subprocess.run(
        ["/usr/bin/time", "-f", "%M", "cargo", "build", "--quiet", "--offline", "-p", pkg],
        cwd=WORK,
        env={**os.environ, "CARGO_TARGET_DIR": str(WORK / "target"), "CARGO_INCREMENTAL": "0"},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    elapsed = time.perf_counter() - t
    *rest, peak = r.stderr.rstrip().split("\n")
    stderr = "\n".join(rest)
    if expect_ok and r.returncode != 0:
        sys.exit(f"{pkg} failed to build:\n{stderr[-3000:]}")
    if not expect_ok:
        if r.returncode == 0 or "outside 100-999" not in stderr:
            sys.exit(f"{pkg} should fail with located diagnostics:\n{stderr[-3000:]}")
    return elapsed, int(peak)


def rewrite(pkg, n, run):
    """Changes the crate's text for this run, so nothing can be answered from a cache."""
    d = WORK / pkg
    if pkg.startswith("gen_"):
        (d / "spec.yaml").write_text(spec(n, run))
        (d / "src" / "lib.rs").write_text(generated(n))
    elif pkg.startswith("bad_"):
        (d / "spec.yaml").write_text(invalid_spec(n, run))
        (d / "src" / "lib.rs").write_text(generated(n))
    else:
        (d / "src" / "lib.rs").write_text(handwritten(n, run))


def timed(pkg, n, expect_ok=True):
    """Median seconds and the largest peak memory (MB) over RUNS real builds."""
    times, peaks = [], []
    for run in range(1, RUNS + 1):
        rewrite(pkg, n, run)
        t, peak = build(pkg, expect_ok)
        times.append(t)
        peaks.append(peak)
    return statistics.median(times), max(peaks) / 1024


def main():
    args = sys.argv[1:]
    bad = [int(a) for a in args[args.index("--invalid") + 1:]] if "--invalid" in args else []
    good = [int(a) for a in (args[: args.index("--invalid")] if "--invalid" in args else args)]
    if not args:
        good, bad = [1000, 5000, 10000], [3000]
    WORK.mkdir(parents=True, exist_ok=True)
    members = []
    for n in good:
        members.append(write_crate(f"gen_{n}", generated(n), "", spec(n)))
    for n in sorted(set(good + bad)):
        members.append(write_crate(f"hand_{n}", handwritten(n), 'thiserror = "2"\n'))
    for n in bad:
        members.append(write_crate(f"bad_{n}", generated(n), "", invalid_spec(n)))
    (WORK / "Cargo.toml").write_text(
        "[workspace]\nresolver = \"2\"\nmembers = [" + ", ".join(f'"{m}"' for m in members) + "]\n"
    )
    lock = ROOT / "Cargo.lock"
    (WORK / "Cargo.lock").write_text(lock.read_text())
    for m in members:  # warm-up: dependencies and a first build
        build(m, expect_ok=not m.startswith("bad_"))
    print(f"Median of {RUNS} real builds each (CARGO_INCREMENTAL=0, the crate's text changed before each), the crate alone (dependencies warm); load average before: {os.getloadavg()[0]:.2f}.\n")
    print("| spec | entries | hand-written thiserror (s) | #[api_errors] (s) | ratio | #[api_errors] s per 1,000 entries | peak memory, hand / generated (MB) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for kind, sizes in (("valid", good), ("invalid", bad)):
        for n in sizes:
            h, hm = timed(f"hand_{n}", n)
            if kind == "valid":
                g, gm = timed(f"gen_{n}", n)
            else:
                g, gm = timed(f"bad_{n}", n, expect_ok=False)
            print(f"| {kind} | {n:,} | {h:.2f} | {g:.2f} | {g / h:.2f}x | {g / n * 1000:.2f} | {hm:.0f} / {gm:.0f} |", flush=True)
    print(f"\nLoad average after: {os.getloadavg()[0]:.2f}.")


if __name__ == "__main__":
    main()
