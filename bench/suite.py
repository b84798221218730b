#!/usr/bin/env python3
"""How long `make test` takes, quiet and with both cores kept busy by another process.

    python bench/suite.py [--runs 1] [--busy] [--record]

--busy starts one CPU-bound process per core (plain Python loops) for the length of
each run and stops them when it ends. Prints one line per run: wall seconds; the CPU
seconds the machine was busy during it (on a quiet machine: the run's work, steadier
than wall time from hour to hour; with --busy it includes the burners); the tests' own
times summed; pass/fail with pytest's closing line; and the load average before the
run, so a reader can tell a quiet run from a loaded one. Nothing here is asserted by
the tests: speed is a figure, not a verdict (issue 17's budget: 6 minutes quiet from a
warm venv, and three passing runs in a row while the cores are busy).

--record writes what each test module took in the last passing run (summed from pytest's
JUnit XML) to tests/module-seconds.json, which orders the next runs longest module first
(tests/conftest.py). Commit it after a change that makes a module much longer or shorter.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import re
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
MODULE_SECONDS = ROOT / "tests" / "module-seconds.json"


def spin(stop) -> None:
    x = 0
    while not stop.is_set():
        for _ in range(100_000):
            x = (x * 31 + 7) % 1_000_003


def module_seconds(junit: Path) -> dict[str, float]:
    """Seconds per test module (setup, call and teardown of its tests), longest first."""
    import xml.etree.ElementTree as ET
    seconds: dict[str, float] = {}
    for case in ET.parse(junit).iter("testcase"):
        module = case.get("classname", "").replace(".", "/") + ".py"
        seconds[module] = seconds.get(module, 0.0) + float(case.get("time") or 0)
    return {m: round(t, 1) for m, t in sorted(seconds.items(), key=lambda kv: (-kv[1], kv[0]))}


def busy_cpu() -> float:
    """CPU seconds the whole machine has been busy since boot (/proc/stat: user, nice, system
    and interrupts; not idle, iowait or time the hypervisor took). Over a quiet run, the
    difference is the run's work: pytest, its workers and everything they start (Chromium,
    Java, node), which per-process counters miss once a browser outlives the driver that
    started it. Steadier than wall time from hour to hour."""
    user, nice, system, _idle, _iowait, irq, softirq = map(float, Path("/proc/stat").read_text().split()[1:8])
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


def one_run(busy: bool, junit: Path) -> tuple[float, float, str, int]:
    stop = multiprocessing.Event()
    burners = [multiprocessing.Process(target=spin, args=(stop,)) for _ in range(os.cpu_count() or 2)] if busy else []
    for b in burners:
        b.start()
    start, cpu = time.monotonic(), busy_cpu()
    try:
        result = subprocess.run(["make", "-s", "test"], cwd=ROOT, capture_output=True, text=True,
                                env={**os.environ, "CI": "true", "PYTEST_ADDOPTS": f"--junitxml={junit}"},
                                timeout=5400)
        wall, cpu = time.monotonic() - start, busy_cpu() - cpu
    finally:
        stop.set()
        for b in burners:
            b.join(timeout=10)
    closing = [l for l in result.stdout.splitlines() if re.search(r"\d+ (passed|failed)", l)]
    return wall, cpu, (closing[-1].strip("= ") if closing else result.stdout[-300:]), result.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--busy", action="store_true", help="keep every core busy during each run")
    parser.add_argument("--record", action="store_true", help=f"write {MODULE_SECONDS.relative_to(ROOT)}")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    for n in range(1, args.runs + 1):
        load = os.getloadavg()[0]
        junit = OUT / f"suite-{n}.xml"
        wall, cpu, closing, code = one_run(args.busy, junit)
        summed = sum(module_seconds(junit).values()) if junit.exists() else 0.0
        if args.record and code == 0:
            MODULE_SECONDS.write_text(json.dumps(module_seconds(junit), indent=1) + "\n", encoding="utf-8")
        state = "passed" if code == 0 else f"FAILED (exit {code})"
        print(f"run {n}{' (cores busy)' if args.busy else ''}: {wall:.0f} s wall, {cpu:.0f} s CPU, "
              f"tests' own times summed {summed:.0f} s, load before {load:.1f}, "
              f"{state}: {closing}", flush=True)


if __name__ == "__main__":
    main()
