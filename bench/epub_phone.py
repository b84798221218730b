#!/usr/bin/env python3
"""Does a 3,000-story EPUB still open on a phone? The closest check this machine allows.

No phone or e-reader is reachable here. Reading systems on phones (Apple Books, Google Play
Books, Thorium, the Readium toolkits) lay out one spine document at a time in a web engine,
so this opens the EPUB's documents as such a reader would, in Chromium emulating a phone:
360 x 740, touch, and 4x CPU slowdown (DevTools' throttling; Lighthouse's mobile setting).
For the navigation document (the largest: it lists every story) and the first and last
story documents by name, it reports the time to the load event and the longest task.

    python bench/epub_phone.py [--stories 3000] [--epub path/to/ripples-handbook.epub]

Without --epub it builds the handbook with N stories first (bench/build.py's copies, then
`python -m macros offline --epub-only`). A figure for the note, never a test.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import build as bench_build  # noqa: E402
from write_paste import CHROMIUM, OBSERVE, serve  # noqa: E402

ROOT = bench_build.ROOT


def make_epub(n: int, work: Path) -> Path:
    root = bench_build.make_copy(n, work)
    subprocess.run([sys.executable, "-m", "macros", "--root", str(root), "offline", "--epub-only",
                    str(root / "out")], cwd=ROOT, check=True, capture_output=True)
    return root / "out" / "ripples-handbook.epub"


def documents(folder: Path) -> list[Path]:
    """The navigation document, and the first and the last story document by name."""
    xhtml = sorted(folder.rglob("*.xhtml"))
    nav = [p for p in xhtml if p.name == "nav.xhtml"]
    stories = [p for p in xhtml if "stor" in p.as_posix()] or xhtml
    return nav + [stories[0], stories[-1]]


def open_as_phone(base: str, paths: list[str], slowdown: float) -> list[tuple[str, float, float, int]]:
    from playwright.sync_api import sync_playwright
    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--headless", "--disable-gpu"])
        for path in paths:
            context = browser.new_context(viewport={"width": 360, "height": 740}, has_touch=True, is_mobile=True)
            page = context.new_page()
            page.context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": slowdown})
            page.add_init_script(OBSERVE)
            start = time.perf_counter()
            page.goto(base + path, wait_until="load")
            loaded = (time.perf_counter() - start) * 1000
            page.wait_for_timeout(500)
            longest = max(page.evaluate("window.__long") or [0.0])
            height = page.evaluate("document.documentElement.scrollHeight")
            rows.append((path, loaded, longest, height))
            context.close()
        browser.close()
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stories", type=int, default=3000)
    parser.add_argument("--epub", type=Path)
    parser.add_argument("--cpu-slowdown", type=float, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        epub = args.epub or make_epub(args.stories, Path(tmp))
        folder = Path(tmp) / "unzipped"
        with zipfile.ZipFile(epub) as z:
            z.extractall(folder)
        docs = documents(folder)
        rows = open_as_phone(serve(folder), [d.relative_to(folder).as_posix() for d in docs], args.cpu_slowdown)
        print(f"{epub.name}: {epub.stat().st_size / 1e6:.1f} MB, {len(list(folder.rglob('*.xhtml')))} documents; "
              f"Chromium at 360x740, touch, {args.cpu_slowdown:g}x CPU slowdown")
        for (path, loaded, longest, height), doc in zip(rows, docs):
            print(f"  {path} ({doc.stat().st_size / 1000:.0f} KB): load {loaded:.0f} ms, longest task "
                  f"{longest:.0f} ms, {height:,} px tall")
    return 0


if __name__ == "__main__":
    sys.exit(main())
