#!/usr/bin/env python3
"""Instructions per decode, ours against a hand-written serde struct, counted by
callgrind (exact and repeatable, unlike wall time on a shared 2-core machine).

Builds the `decode_instructions` bench binary, runs each case N times under
`valgrind --tool=callgrind`, subtracts the empty case, and prints a Markdown table.

Usage: python3 scripts/instructions.py [N]      (default N = 20000)
"""
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
N = int(sys.argv[1]) if len(sys.argv) > 1 else 20000


def binary():
    out = subprocess.run(
        ["cargo", "bench", "-p", "api-errors-tests", "--bench", "decode_instructions", "--no-run", "--message-format=json"],
        cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout
    exes = re.findall(r'"executable":"([^"]*decode_instructions[^"]*)"', out)
    return exes[-1]


def count(exe, case):
    r = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", exe, case, str(N)],
        capture_output=True, text=True,
    )
    m = re.search(r"Collected : (\d+)", r.stderr)
    if not m:
        sys.exit(f"callgrind gave no count for {case}:\n{r.stderr[-2000:]}")
    return int(m.group(1))


def main():
    exe = binary()
    base = count(exe, "none")
    print(f"Instructions per operation (callgrind, {N:,} operations, empty loop subtracted):\n")
    print("| body | serde_json struct (baseline) | `ApiError::from_response` | ratio |")
    print("|---|---:|---:|---:|")
    for name in ("amperity", "amplemarket", "nested", "rootarray", "validation"):
        s = (count(exe, f"{name}-serde") - base) / N
        o = (count(exe, f"{name}-ours") - base) / N
        print(f"| {name} | {s:,.0f} | {o:,.0f} | {o / s:.2f}x |", flush=True)
    print("\nKind selection (four GitHub responses: header condition, message, plain, 520 by range):\n")
    print("| | hand-written `match` (baseline) | the spec's matchers, then `from_status` | ratio |")
    print("|---|---:|---:|---:|")
    h = (count(exe, "select-hand") - base) / N
    o = (count(exe, "select-ours") - base) / N
    print(f"| select | {h:,.0f} | {o:,.0f} | {o / h:.2f}x |", flush=True)


if __name__ == "__main__":
    main()
