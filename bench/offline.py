#!/usr/bin/env python3
"""Offline editions benchmark: `python -m macros offline` on handbooks of N stories.

For each N it makes the same temporary copy as bench/build.py (the real stories kept,
N - 22 synthetic valid ones added) and times, once each (the figures go to the report,
never to a test):

  epub   the EPUB alone (python -m macros offline --epub-only)
  all    the EPUB and every PDF (whole handbook and each pathway, A4 and Letter; Chromium)

and reports wall time, peak memory, the EPUB's size, its largest XHTML document
(reading systems on phones load one spine document at a time; older ones struggle
above ~300 KB a document), the number of spine documents and the whole-handbook PDF's
size and page count.

    python bench/offline.py                    # N = 22, 300, 3000
    python bench/offline.py --sizes 22 300 --epub-only
"""
from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import build as bench_build  # noqa: E402  (bench/build.py: the synthetic handbook copies)

ROOT = bench_build.ROOT


def timed(cmd: list[str], cwd: Path) -> tuple[float, float]:
    """Wall seconds and the peak RSS (MiB) of the children so far."""
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, check=True, capture_output=True, text=True)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return time.perf_counter() - start, peak


def epub_figures(epub: Path) -> dict:
    with zipfile.ZipFile(epub) as z:
        docs = [i for i in z.infolist() if i.filename.endswith(".xhtml")]
        largest = max(docs, key=lambda i: i.file_size)
        return {"epub_kb": epub.stat().st_size / 1000, "docs": len(docs),
                "largest_doc": f"{largest.filename.rsplit('/', 1)[-1]} {largest.file_size / 1000:.0f} KB"}


def pdf_figures(pdf: Path) -> dict:
    from pypdf import PdfReader
    return {"pdf_mb": pdf.stat().st_size / 1e6, "pdf_pages": len(PdfReader(pdf).pages)}


def bench(n: int, work: Path, epub_only: bool) -> dict:
    root = bench_build.make_copy(n, work)
    python = sys.executable
    out = {"n": n}
    out["epub_s"], out["epub_mib"] = timed([python, "-m", "macros", "--root", str(root), "offline", "--epub-only",
                                            str(root / "out-epub")], ROOT)
    out.update(epub_figures(root / "out-epub" / "ripples-handbook.epub"))
    if not epub_only:
        out["all_s"], out["all_mib"] = timed([python, "-m", "macros", "--root", str(root), "offline",
                                              str(root / "out-all")], ROOT)
        out.update(pdf_figures(root / "out-all" / "ripples-handbook-a4.pdf"))
    return out


def report(r: dict) -> str:
    line = (f"N={r['n']}: EPUB {r['epub_s']:.1f} s, {r['epub_kb']:.0f} KB, {r['docs']} documents, "
            f"largest {r['largest_doc']}")
    if "all_s" in r:
        line += f"; EPUB + all PDFs {r['all_s']:.1f} s; whole A4 PDF {r['pdf_mb']:.1f} MB, {r['pdf_pages']} pages"
    return line


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", type=int, nargs="+", default=[22, 300, 3000])
    p.add_argument("--epub-only", action="store_true")
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            print(report(bench(n, Path(tmp), args.epub_only)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
