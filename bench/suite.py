#!/usr/bin/env python3
"""How long `make test` takes, quiet and with both cores kept busy by another process.

    python bench/suite.py [--runs 1] [--busy]

--busy starts one CPU-bound process per core (plain Python loops) for the length of
each run and stops them when it ends. Prints one line per run (wall seconds, the
pytest closing line, pass/fail) and the load average before each run, so a reader
can tell a quiet run from a loaded one. Nothing here is asserted by the tests: speed
is a figure, not a verdict (issue 17's budget: 6 minutes quiet from a warm venv, and
three passing runs in a row while the cores are busy).
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import re
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def spin(stop) -> None:
    x = 0
    while not stop.is_set():
        for _ in range(100_000):
            x = (x * 31 + 7) % 1_000_003


def one_run(busy: bool) -> tuple[float, str, int]:
    stop = multiprocessing.Event()
    burners = [multiprocessing.Process(target=spin, args=(stop,)) for _ in range(os.cpu_count() or 2)] if busy else []
    for b in burners:
        b.start()
    start = time.monotonic()
    try:
        result = subprocess.run(["make", "-s", "test"], cwd=ROOT, capture_output=True, text=True,
                                env={**os.environ, "CI": "true"}, timeout=5400)
    finally:
        stop.set()
        for b in burners:
            b.join(timeout=10)
    wall = time.monotonic() - start
    closing = [l for l in result.stdout.splitlines() if re.search(r"\d+ (passed|failed)", l)]
    return wall, (closing[-1].strip("= ") if closing else result.stdout[-300:]), result.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--busy", action="store_true", help="keep every core busy during each run")
    args = parser.parse_args()
    for n in range(1, args.runs + 1):
        load = os.getloadavg()[0]
        wall, closing, code = one_run(args.busy)
        state = "passed" if code == 0 else f"FAILED (exit {code})"
        print(f"run {n}{' (cores busy)' if args.busy else ''}: {wall:.0f} s wall, load before {load:.1f}, "
              f"{state}: {closing}", flush=True)


if __name__ == "__main__":
    main()
