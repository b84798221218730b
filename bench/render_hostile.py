#!/usr/bin/env python3
"""The story renderer on hostile bodies: each 100 KB case must render in under 2 s,
and twice the input may take at most 2.5x the time (issue 19).

Runs of every character that means something to Markdown, deep quotes and lists,
dense links and emphasis, and the shapes that made Python-Markdown (and older
CommonMark parsers) quadratic. Each figure is the best CPU time of several runs of
macros.render.markup.story_body_html (markdown-it-py, then the sanitizer check), so a
busy machine does not decide. Prints a table and exits 1 if a limit is broken.
Timing lives here, never in the tests.

    python bench/render_hostile.py [--size 100000] [--runs 3]
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from macros.render.markup import story_body_html  # noqa: E402

LIMIT_SECONDS = 2.0
LIMIT_RATIO = 2.5
SPECIAL = "*_[]()!`<>&\\#-+=|~\"':.;{}0123456789"


def fill(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def cases(size: int) -> dict[str, str]:
    out = {f"run of {c}": fill(c, size) for c in SPECIAL}
    out.update({f"spaced {c}": fill(c + " ", size) for c in "*_[]!<&\\"})
    out.update({
        "nested [[[ ]]]": "[" * (size // 2) + "]" * (size // 2),
        "nested ((( )))": "[a](" + "(" * (size // 2 - 4) + ")" * (size // 2),
        "[a](": fill("[a](", size), "[x][": fill("[x][", size), "![a](": fill("![a](", size),
        "[](": fill("[](", size), "*a": fill("*a", size), "**a": fill("**a", size),
        "*a **a": fill("*a **a ", size), "_a __a": fill("_a __a ", size), "***a": fill("***a", size),
        "a*": fill("a* ", size), "*a_": fill("*a_", size), "&#": fill("&#", size), "&a;": fill("&amp;", size),
        "\\*": fill("\\*", size), "`a": fill("`a", size),
        "dense links": fill("[a](https://b.example) ", size),
        "dense mailto": fill("[a](mailto:a@b.example) ", size),
        "links with titles": fill('[a](https://b.example "t") ', size),
        "emphasis soup": fill("*a _b **c __d", size),
        "deep quote": fill(">" * 2000 + " x\n", size),
        "deep quote, spaced": fill("> " * 1000 + "x\n", size),
        "deep list": "".join("  " * (i % 400) + "- x\n" for i in range(size))[:size],
        "deep ordered list": "".join("   " * (i % 300) + "1. x\n" for i in range(size))[:size],
        "quotes and lists mixed": fill("> - " * 500 + "x\n", size),
        "flat list": fill("- x\n", size), "list then blank": fill("- x\n\n", size),
        "tiny paragraphs": fill("a\n\n", size), "hard breaks": fill("a  \n", size),
        "thematic breaks": fill("---\n\n", size), "lazy lines": fill("> a\nb\n", size),
        "one long line": fill("word ", size),
    })
    return out


def cpu(body: str, runs: int) -> float:
    """Best of `runs` CPU times; a fast case is repeated for at least 50 ms a run and averaged,
    so that ratios of millisecond figures are not clock noise."""
    best = float("inf")
    for _ in range(runs):
        start, count = time.process_time(), 0
        while not count or (time.process_time() - start < 0.05 and count < 1000):
            story_body_html(body)
            count += 1
        best = min(best, (time.process_time() - start) / count)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    single, double = cases(args.size), cases(2 * args.size)
    broken, rows = [], []
    print(f"{'case':<26} {'100 KB (s)':>10} {'x2 input':>9}", flush=True)
    for name, body in single.items():
        seconds = cpu(body, args.runs)
        ratio = cpu(double[name], args.runs) / seconds
        rows.append((seconds, ratio, name))
        print(f"{name:<26} {seconds:>10.4f} {ratio:>8.2f}x", flush=True)
        if seconds >= LIMIT_SECONDS or ratio > LIMIT_RATIO:
            broken.append(name)
    print(f"slowest: {max(rows)[0]:.3f} s ({max(rows)[2]}); largest ratio: "
          f"{max(r for _, r, _ in rows):.2f}x; limits {LIMIT_SECONDS} s and {LIMIT_RATIO}x")
    if broken:
        print("over a limit:", ", ".join(broken))
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
