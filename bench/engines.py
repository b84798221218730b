#!/usr/bin/env python3
"""The same handbook on two engines: build time per page of `make build` with MkDocs 1.6.1
(the default) and with ProperDocs 1.6.7 (`ENGINE=properdocs`), and whether the two
sites are the same bytes.

For each size N it makes the copy bench/build.py makes (the 22 real stories plus N - 22
synthetic valid ones), then builds it with each engine in turn, alternating, `--runs`
times each, and reports the median wall time, ms per HTML page, and how many files of
the two sites differ. One untimed build first fills the QR-code cache (.cache/), which
every later build of the copy reuses. Figures only: nothing here is a test.

    python bench/engines.py                  # N = 300, 3000; 1 run each
    python bench/engines.py --sizes 300 --runs 3
"""
from __future__ import annotations

import argparse
import filecmp
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build import ENV, build_cmd, html_pages, make_copy, run  # noqa: E402

ENGINES = ("mkdocs", "properdocs")


def differing(a: Path, b: Path) -> list[str]:
    """Files present in only one site, or with other bytes."""
    out: list[str] = []

    def walk(cmp: filecmp.dircmp, prefix: str) -> None:
        out.extend(prefix + n for n in cmp.left_only + cmp.right_only + cmp.funny_files)
        out.extend(prefix + n for n in cmp.common_files if (Path(cmp.left) / n).read_bytes() != (Path(cmp.right) / n).read_bytes())
        for name, sub in cmp.subdirs.items():
            walk(sub, f"{prefix}{name}/")
    walk(filecmp.dircmp(a, b), "")
    return sorted(out)


def bench(n: int, runs: int, work: Path) -> dict:
    root = make_copy(n, work)
    run(build_cmd(root, ENGINES[0]), root)  # untimed: fills the QR-code cache, so neither engine pays for it
    times: dict[str, list[float]] = {e: [] for e in ENGINES}
    for i in range(runs):
        for engine in ENGINES:
            wall, *_ = run(build_cmd(root, engine), root)
            times[engine].append(wall)
            (root / "site").rename(root / f"site-{engine}")  # kept for the comparison below
            if i < runs - 1:
                shutil.rmtree(root / f"site-{engine}")
    pages = html_pages(root / "site-mkdocs")
    return {"n": n, "pages": pages, "diff": differing(root / "site-mkdocs", root / "site-properdocs"),
            **{e: statistics.median(t) for e, t in times.items()}}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", type=int, nargs="+", default=[300, 3000])
    p.add_argument("--runs", type=int, default=1)
    args = p.parse_args(argv)
    print("| stories | HTML pages | engine | build (s, median) | ms per page | files that differ |")
    print("|---:|---:|---|---:|---:|---:|")
    with tempfile.TemporaryDirectory(prefix="ripples-engines-") as tmp:
        for n in args.sizes:
            r = bench(n, args.runs, Path(tmp) / str(n))
            for e in ENGINES:
                print(f"| {n} | {r['pages']} | {e} | {r[e]:.1f} | {1000 * r[e] / r['pages']:.1f} | {len(r['diff'])} |",
                      flush=True)
            for name in r["diff"][:20]:
                print(f"  differs: {name}", flush=True)
    return 0


if __name__ == "__main__":
    assert ENV  # the environment bench/build.py runs builds with (no SITE_URL)
    sys.exit(main())
