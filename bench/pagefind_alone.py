#!/usr/bin/env python3
"""Pagefind on its own: CPU time and peak memory against the number of words indexed.

Why this exists: issue 11 asks for a build, Pagefind included, of at most 1.5x plain
Material's CPU per page and at most 400 MiB peak memory at 3,000 stories. This measures
the pinned Pagefind binary alone, with nothing of Ripples around it, on N pages of W
words each (words drawn from the real stories' text, so the vocabulary is real), and
prints per-page and per-word figures. If Pagefind alone already spends more than the
budget, no change to the rest of the build can meet it.

    .venv/bin/python bench/pagefind_alone.py                     # N = 1000 and 3000, W = 100..1200
    .venv/bin/python bench/pagefind_alone.py --pages 3000 --words 500
"""
from __future__ import annotations

import argparse
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def story_words() -> list[str]:
    words = []
    for path in sorted((ROOT / "stories").glob("[!_]*.md")):
        body = path.read_text(encoding="utf-8").split("---\n", 2)[-1]
        words += re.findall(r"[A-Za-z’']+", body)
    return words


def write_pages(folder: Path, pages: int, words_per_page: int, words: list[str]) -> None:
    for i in range(pages):
        start = (i * 7919 * words_per_page) % (len(words) - words_per_page)  # a different slice per page
        text = " ".join(words[start:start + words_per_page])
        page = folder / str(i)
        page.mkdir(parents=True)
        (page / "index.html").write_text(f'<!doctype html><html lang="en"><body><main data-pagefind-body><p>'
                                         f'{text}</p></main></body></html>', encoding="utf-8")


def run_pagefind(site: Path, out: Path) -> tuple[float, float, float]:
    """(wall s, CPU s, peak RSS MiB) of one Pagefind run, measured as its parent sees it."""
    from pagefind_bin import get_executable
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([str(get_executable()), "--site", str(site), "--output-path", str(out), "--force-language", "en",
                    "--quiet"], check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, after.ru_maxrss / 1024  # ru_maxrss: KiB, the largest child so far


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--pages", type=int, nargs="+", default=[1000, 3000])
    p.add_argument("--words", type=int, nargs="+", default=[100, 300, 600, 1200])
    args = p.parse_args(argv)
    words = story_words()
    print("| pages | words per page | words | wall | CPU | CPU per page | peak RSS | RSS per 1,000 words |")
    print("|---|---|---|---|---|---|---|---|")
    # Largest run last per size: ru_maxrss is a high-water mark over all children so far,
    # so runs go in increasing size and each figure is that run's own peak.
    for pages in sorted(args.pages):
        for per_page in sorted(args.words):
            with tempfile.TemporaryDirectory(prefix="pagefind-alone-") as tmp:
                site = Path(tmp) / "site"
                write_pages(site, pages, per_page, words)
                wall, cpu, rss = run_pagefind(site, Path(tmp) / "out")
            total = pages * per_page
            print(f"| {pages} | {per_page} | {total:,} | {wall:.2f} s | {cpu:.2f} s | {1000 * cpu / pages:.2f} ms | "
                  f"{rss:.0f} MiB | {1000 * rss / total:.2f} MiB |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
