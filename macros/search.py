"""Search with Pagefind: what each page tells the indexer, and the index written
after the build.

Pagefind reads the built HTML. Only the article of a page marked here is indexed
(`data-pagefind-body`); hubs and indexes, which only repeat story cards, are not.
Story pages carry their relationship, theme, chapter and content-note ids as
Pagefind filters, so search can narrow by them and leave out stories with notes
the reader chose to hide. The reader's browser downloads nothing of the index
until search is opened (overrides/assets/search.js).

Pagefind is given only the articles, each written (marked as above) to a small
HTML file while the build renders it, not the finished pages: parsing the theme's header, navigation
and handout QR code of every page made Pagefind's time and memory several times
larger for nothing.
"""
from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import tempfile
from pathlib import Path

from . import pagefind_order
from .handbook import Handbook
from .render import esc

LOG_PREFIX = "Search index written by Pagefind in "  # + "<seconds> s CPU"; bench/build.py reads it
BUNDLE_DIR = "pagefind"          # Pagefind's output, inside the site
FACETS_FILE = "search/facets.json"  # the facets' names and order, for the search UI
# Filter name in the index -> (Story.meta field, taxonomy list)
FACETS = {"relationship": ("domains", "domains"), "theme": ("themes", "themes"),
          "chapter": ("chapter", "chapters"), "note": ("content_notes", "content_notes")}
# Parts of an indexed article that are not its text: labels, buttons, lists of
# other stories, the printed handout's URL and QR code.
EXCLUDE = ["[data-search-exclude]", "[data-pagefind-ignore]", ".story-cards", "button", ".handout-only",
           ".chapter-nav", ".content-notes"]


class SearchIndexError(Exception):
    """Pagefind failed; the message says why."""


def searched(meta: dict | None) -> bool:
    """Pages whose front matter says `search: {exclude: true}` (hubs, indexes) are left out."""
    return not ((meta or {}).get("search") or {}).get("exclude")


def facet_values(story, name: str) -> list[str]:
    value = getattr(story.meta, FACETS[name][0])
    return [value] if isinstance(value, str) else list(value)


def filters_html(story) -> str:
    """Empty Pagefind filter markers, one per value (taxonomy ids): attribute values,
    not text, so nothing of them lands in the indexed words or the excerpts."""
    return "".join(f'<span data-pagefind-filter="{name}:{esc(value)}"></span>'
                   for name in FACETS for value in facet_values(story, name))


_ARTICLES: list[Path] = []  # the folder of this build's article copies (one build at a time)
# Creating and deleting a few thousand small files on a disk file system cost ~1 ms of
# system time each on a busy machine (ext4), against ~0.04 ms in memory (tmpfs). Articles
# take ~16 KB each: with 1 GiB free, /dev/shm holds 60,000; Docker's default 64 MB
# /dev/shm is too small for a large handbook and is passed over.
RAM_DIR = Path("/dev/shm")
RAM_MIN_FREE = 1 << 30


def scratch_parent() -> str | None:
    """Where the article copies go: in memory when there is room, unless TMPDIR says
    otherwise; None is the system's temporary folder."""
    if os.environ.get("TMPDIR"):
        return None
    try:
        if RAM_DIR.is_dir() and os.access(RAM_DIR, os.W_OK) and shutil.disk_usage(RAM_DIR).free >= RAM_MIN_FREE:
            return str(RAM_DIR)
    except OSError:
        pass
    return None


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


def keep_article(marked: str, url: str) -> None:
    """Write a searched page's marked article where Pagefind will read it."""
    path = articles_dir() / (url or "") / "index.html"
    if not (url or "").endswith("/") and url:
        path = articles_dir() / url
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'<!doctype html><html lang="en"><head><meta charset="utf-8"></head><body>{marked}</body></html>',
                    encoding="utf-8")


def article(html: str, meta: dict | None, hb: Handbook) -> str | None:
    """A page's article as Pagefind should index it, or None if the page is not searched."""
    if not searched(meta):
        return None
    ripples = (meta or {}).get("ripples") or {}
    story = hb.by_id.get(ripples.get("id")) if ripples.get("kind") == "story" else None
    extra = ""
    if story is not None:
        extra = f'<span data-pagefind-meta="title:{esc(story.label)}"></span>{filters_html(story)}'
    return f"<div data-pagefind-body>{extra}{html}</div>"


def keep_for_index(html: str, meta: dict | None, hb: Handbook, url: str) -> None:
    """Called for every page as it is built; the served page itself is not changed."""
    marked = article(html, meta, hb)
    if marked is not None:
        keep_article(marked, url)


def facets(hb: Handbook) -> dict[str, list[list[str]]]:
    """Filter name -> [[id, name], ...] in the handbook's order, for the search UI's labels."""
    out = {}
    for name, (_, kind) in FACETS.items():
        entries = hb.taxonomy.sorted_chapters() if kind == "chapters" else getattr(hb.taxonomy, kind)
        out[name] = [[e.id, e.name] for e in entries]
    return out


def pagefind_command(source: Path, site_dir: Path) -> list[str]:
    from pagefind_bin import get_executable  # the binary ships in the pinned wheel; runs offline
    return [str(get_executable()), "--site", str(source), "--output-path", str(site_dir / BUNDLE_DIR),
            "--exclude-selectors", ", ".join(EXCLUDE), "--force-language", "en", "--quiet"]


def index_site(site_dir: Path, hb: Handbook) -> float:
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
    target.write_text(json.dumps(facets(hb), ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
