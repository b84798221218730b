"""What search knows of each page, decided from the Story models before any engine runs.

A page is indexed unless its front matter says `search: {exclude: true}` (hubs,
indexes). Story pages also carry their relationship, theme, chapter and
content-note ids as Pagefind filters, so search can narrow by them and leave out
stories with notes the reader chose to hide. The finish step (macros/finish/search.py)
reads this from generated/manifest.json; it needs no handbook.
"""
from __future__ import annotations

from macros.read.handbook import Handbook
from macros.render.markup import esc

# Filter name in the index -> (Story.meta field, taxonomy list)
FACETS = {"relationship": ("domains", "domains"), "theme": ("themes", "themes"),
          "chapter": ("chapter", "chapters"), "note": ("content_notes", "content_notes")}


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


def article_prefix(meta: dict | None, hb: Handbook) -> str | None:
    """What goes before a page's article in the index (a story's title and filters), or
    None if the page is not searched."""
    if not searched(meta):
        return None
    ripples = (meta or {}).get("ripples") or {}
    story = hb.by_id.get(ripples.get("id")) if ripples.get("kind") == "story" else None
    if story is None:
        return ""
    return f'<span data-pagefind-meta="title:{esc(story.label)}"></span>{filters_html(story)}'


def facets(hb: Handbook) -> dict[str, list[list[str]]]:
    """Filter name -> [[id, name], ...] in the handbook's order, for the search UI's labels."""
    out = {}
    for name, (_, kind) in FACETS.items():
        entries = hb.taxonomy.sorted_chapters() if kind == "chapters" else getattr(hb.taxonomy, kind)
        out[name] = [[e.id, e.name] for e in entries]
    return out
