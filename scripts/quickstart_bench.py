#!/usr/bin/env python3
"""The newcomer's first command, cold: `cargo run --example quickstart` from the
repository root with an empty target directory (dependencies already downloaded, as
after any `cargo fetch`). Prints the crates compiled, the wall time to the example's
first line of output, the CPU time of the whole run, and the load average.

Usage: python3 scripts/quickstart_bench.py [RUNS]      (default 3; median reported)
"""
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def once():
    target = Path(tempfile.mkdtemp(prefix="quickstart-cold-"))
    env = {**os.environ, "CARGO_TARGET_DIR": str(target), "CARGO_INCREMENTAL": "0"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    p = subprocess.Popen(
        ["cargo", "run", "--offline", "--example", "quickstart"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    first = p.stdout.readline()
    to_first = time.perf_counter() - start
    out, err = p.communicate()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    shutil.rmtree(target, ignore_errors=True)
    if p.returncode != 0 or not first.startswith("GET "):
        sys.exit(f"quickstart failed:\n{err[-3000:]}")
    crates = sum(1 for line in err.splitlines() if line.strip().startswith("Compiling "))
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return crates, to_first, cpu


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    load = os.getloadavg()[0]
    results = [once() for _ in range(runs)]
    crates = {r[0] for r in results}
    wall = statistics.median(r[1] for r in results)
    cpu = statistics.median(r[2] for r in results)
    print(f"cold `cargo run --example quickstart`, {runs} runs (load average before {load:.2f}, after {os.getloadavg()[0]:.2f}):")
    print(f"  crates compiled: {sorted(crates)}")
    print(f"  wall time to the first line of output: median {wall:.1f} s (runs: {', '.join(f'{r[1]:.1f}' for r in results)})")
    print(f"  CPU time: median {cpu:.1f} s")


if __name__ == "__main__":
    main()
