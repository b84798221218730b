"""Search with Pagefind, after the build: the index of every page's content.

Pagefind is given only each searched page's content (macros/finish/pagehtml.py),
written to a small HTML file as the finish step reads the page, not the finished
pages: parsing the theme's header, navigation and handout QR code of every page
made Pagefind's time and memory several times larger for nothing. Which pages are
searched, and the filters of each story page, come from the generate step
(generated/manifest.json, macros/render/searchmeta.py). The reader's browser
downloads nothing of the index until search is opened (overrides/assets/search.js).
"""
from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import tempfile
from pathlib import Path

from macros.finish import pagefind_order

LOG_PREFIX = "Search index written by Pagefind in "  # + "<seconds> s CPU"; bench/build.py reads it
BUNDLE_DIR = "pagefind"          # Pagefind's output, inside the site
FACETS_FILE = "search/facets.json"  # the facets' names and order, for the search UI
# Parts of an indexed article that are not its text: labels, buttons, lists of
# other stories, the printed handout's URL and QR code.
EXCLUDE = ["[data-search-exclude]", "[data-pagefind-ignore]", ".story-cards", "button", ".handout-only",
           ".chapter-nav", ".content-notes"]


class SearchIndexError(Exception):
    """Pagefind failed; the message says why."""


_ARTICLES: list[Path] = []  # the folder of this build's article copies (one build at a time)
# Creating and deleting a few thousand small files on a disk file system cost ~1 ms of
# system time each on a busy machine (ext4), against ~0.04 ms in memory (tmpfs). Articles
# take ~16 KB each: with 1 GiB free, /dev/shm holds 60,000; Docker's default 64 MB
# /dev/shm is too small for a large handbook and is passed over.
RAM_DIR = Path("/dev/shm")
RAM_MIN_FREE = 1 << 30


def ram_dir(min_free: int) -> Path | None:
    """/dev/shm when it is a writable folder with at least `min_free` bytes free, else None."""
    try:
        if RAM_DIR.is_dir() and os.access(RAM_DIR, os.W_OK) and shutil.disk_usage(RAM_DIR).free >= min_free:
            return RAM_DIR
    except OSError:
        pass
    return None


def scratch_parent() -> str | None:
    """Where the article copies go: in memory when there is room, unless TMPDIR says
    otherwise; None is the system's temporary folder."""
    if os.environ.get("TMPDIR"):
        return None
    ram = ram_dir(RAM_MIN_FREE)
    return str(ram) if ram else None


def articles_dir() -> Path:
    if not _ARTICLES or not _ARTICLES[0].is_dir():
        _ARTICLES[:] = [Path(tempfile.mkdtemp(prefix="ripples-search-", dir=scratch_parent()))]
    return _ARTICLES[0]


def discard_articles() -> None:
    """Remove this build's article copies: after indexing, or when the build fails
    (they may be in memory, and `mkdocs serve` rebuilds many times)."""
    if _ARTICLES:
        shutil.rmtree(_ARTICLES[0], ignore_errors=True)
        _ARTICLES.clear()


def keep_article(content: str, prefix: str, url: str) -> None:
    """Write a searched page's content, marked for Pagefind, where Pagefind will read it."""
    marked = f"<div data-pagefind-body>{prefix}{content}</div>"
    path = articles_dir() / (url or "") / "index.html"
    if not (url or "").endswith("/") and url:
        path = articles_dir() / url
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'<!doctype html><html lang="en"><head><meta charset="utf-8"></head><body>{marked}</body></html>',
                    encoding="utf-8")


def pagefind_command(source: Path, site_dir: Path) -> list[str]:
    from pagefind_bin import get_executable  # the binary ships in the pinned wheel; runs offline
    return [str(get_executable()), "--site", str(source), "--output-path", str(site_dir / BUNDLE_DIR),
            "--exclude-selectors", ", ".join(EXCLUDE), "--force-language", "en", "--quiet"]


def index_site(site_dir: Path, facets: dict) -> float:
    """Index the articles kept during the build into the site, with the facet names.
    Returns Pagefind's CPU seconds (the build log shows them; bench/build.py reads them)."""
    site_dir = Path(site_dir)
    source = articles_dir()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    try:
        result = subprocess.run(pagefind_command(source, site_dir), capture_output=True, text=True, timeout=1800)
    finally:
        discard_articles()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SearchIndexError(f"Pagefind could not index {site_dir}:\n{result.stdout}{result.stderr}")
    for extra in site_dir.glob(f"{BUNDLE_DIR}/pagefind-*ui*"):  # Pagefind's own UIs: unused here
        extra.unlink()
    try:
        pagefind_order.canonical_bundle(site_dir / BUNDLE_DIR)  # the same bytes on every build
    except (pagefind_order.FormatError, OSError, ValueError, KeyError) as err:
        raise SearchIndexError(f"Pagefind's index in {site_dir} is not laid out as expected: {err}") from None
    target = site_dir / FACETS_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(facets, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
