#!/usr/bin/env python3
"""Edit to preview: how long after saving a story its change shows in the browser.

Makes a copy of the repository with N stories (as bench/build.py does), runs
`make preview STORY=<id>` there (python -m macros serve with RIPPLES_PREVIEW: that story and
its hubs only), opens the story in Chromium, then appends a new sentence to the
story file several times and measures, each time, from the file's save until the
reloaded page shows the sentence.

    python bench/preview.py [--stories 3000] [--edits 5]
"""
from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import build  # noqa: E402
from search_bytes import ARGS, CHROMIUM, wait_for as wait_in_page  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, seconds: float) -> None:
    end = time.time() + seconds
    while time.time() < end:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer within {seconds:.0f} s")


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process so far (the server rebuilds in its own process)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(root: Path, story: str, edits: int, browser=None) -> dict:
    """Start `python -m macros serve` as `make preview` does, open the story in Chromium (`browser`,
    or one launched here), and time each save until the browser shows the new text."""
    port = free_port()
    env = {**build.ENV, "RIPPLES_PREVIEW": story}
    with tempfile.TemporaryFile() as log, contextlib.ExitStack() as stack:
        started = time.perf_counter()
        server = subprocess.Popen([sys.executable, "-m", "macros", "--root", str(root), "serve", "--no-strict",
                                   "--dev-addr", f"127.0.0.1:{port}"],
                                  cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
        stack.callback(server.wait, timeout=30)
        stack.callback(server.terminate)
        url = f"http://127.0.0.1:{port}/stories/{story}/"
        wait_for(url, 300)
        first = time.perf_counter() - started
        path = root / "stories" / f"{story}.md"
        original = path.read_text(encoding="utf-8")
        stack.callback(path.write_text, original, encoding="utf-8")
        if browser is None:
            from playwright.sync_api import sync_playwright
            browser = stack.enter_context(sync_playwright()).chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page()
        stack.callback(page.close)
        page.goto(url)
        times, cpu = [], []
        for i in range(edits):
            word = f"Previewmarker{i}x{int(time.time())}"
            time.sleep(1.0)  # let the watcher settle between edits
            saved, before = time.perf_counter(), cpu_seconds(server.pid)
            path.write_text(original.rstrip("\n") + f"\n\nI wrote {word} today.\n", encoding="utf-8")
            wait_in_page(page, "w => document.body && document.body.innerText.includes(w)", word, timeout=60000)
            times.append(time.perf_counter() - saved)
            cpu.append(cpu_seconds(server.pid) - before)
            print(f"  edit {i + 1}: shown {times[-1]:.2f} s after saving ({cpu[-1]:.2f} s CPU of the "
                  f"server; load average {os.getloadavg()[0]:.1f})", flush=True)
    return {"first_serve_s": first, "times": times, "median_s": statistics.median(times), "max_s": max(times),
            "cpu": cpu, "cpu_median_s": statistics.median(cpu)}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--stories", type=int, default=3000)
    p.add_argument("--edits", type=int, default=5)
    p.add_argument("--story", default=build.PROBE)
    p.add_argument("--root", type=Path, help="an existing copy made by bench/build.py --keep (kept afterwards)")
    args = p.parse_args()
    if args.root:
        result = measure(args.root, args.story, args.edits)
    else:
        work = Path(tempfile.mkdtemp(prefix="ripples-preview-"))
        try:
            root = build.make_copy(args.stories, work)
            result = measure(root, args.story, args.edits)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    print(f"N={args.stories}: make preview STORY={args.story}: first page served {result['first_serve_s']:.1f} s "
          f"after start; save to shown: median {result['median_s']:.2f} s, max {result['max_s']:.2f} s "
          f"over {len(result['times'])} edits ({', '.join(f'{t:.2f}' for t in result['times'])}); "
          f"server CPU per rebuild: median {result['cpu_median_s']:.2f} s")


if __name__ == "__main__":
    main()
