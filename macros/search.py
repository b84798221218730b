"""Search with Pagefind: what each page tells the indexer, and the index written
after the build.

Pagefind reads the built HTML. Only the article of a page marked here is indexed
(`data-pagefind-body`); hubs and indexes, which only repeat story cards, are not.
Story pages carry their relationship, theme, chapter and content-note ids as
Pagefind filters, so search can narrow by them and leave out stories with notes
the reader chose to hide. The reader's browser downloads nothing of the index
until search is opened (overrides/assets/search.js).
"""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

from .handbook import Handbook
from .render import esc

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


def mark_page(html: str, meta: dict | None, hb: Handbook) -> str:
    """The page's article as Pagefind should index it (unchanged if not searched)."""
    if not searched(meta):
        return html
    ripples = (meta or {}).get("ripples") or {}
    story = hb.by_id.get(ripples.get("id")) if ripples.get("kind") == "story" else None
    extra = ""
    if story is not None:
        extra = f'<span data-pagefind-meta="title:{esc(story.label)}"></span>{filters_html(story)}'
    return f"<div data-pagefind-body>{extra}{html}</div>"


def facets(hb: Handbook) -> dict[str, list[list[str]]]:
    """Filter name -> [[id, name], ...] in the handbook's order, for the search UI's labels."""
    out = {}
    for name, (_, kind) in FACETS.items():
        entries = hb.taxonomy.sorted_chapters() if kind == "chapters" else getattr(hb.taxonomy, kind)
        out[name] = [[e.id, e.name] for e in entries]
    return out


def pagefind_command(site_dir: Path) -> list[str]:
    from pagefind_bin import get_executable  # the binary ships in the pinned wheel; runs offline
    return [str(get_executable()), "--site", str(site_dir), "--output-subdir", BUNDLE_DIR,
            "--exclude-selectors", ", ".join(EXCLUDE), "--force-language", "en", "--quiet"]


def index_site(site_dir: Path, hb: Handbook) -> None:
    """Write the Pagefind index and the facet names into a built site."""
    site_dir = Path(site_dir)
    result = subprocess.run(pagefind_command(site_dir), capture_output=True, text=True, timeout=1800)
    if result.returncode != 0:
        raise SearchIndexError(f"Pagefind could not index {site_dir}:\n{result.stdout}{result.stderr}")
    target = site_dir / FACETS_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(facets(hb), ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
