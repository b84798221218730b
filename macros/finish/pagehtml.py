"""Where a built page's own content sits, and what its address is.

The theme overrides (overrides/main.html) print the page's content between the
skip link's target and the disclaimer; whatever engine renders the page, those two
are ours. The finish step adds its buttons there and indexes only that part.
"""
from __future__ import annotations

from pathlib import Path

CONTENT_START = '<div id="main-content" tabindex="-1"></div>'
CONTENT_END = '<p class="disclaimer">'


def content_span(html: str) -> tuple[int, int] | None:
    """(start, end) of the page's content, or None for pages without one (redirects)."""
    start = html.find(CONTENT_START)
    if start < 0:
        return None
    start += len(CONTENT_START)
    end = html.find(CONTENT_END, start)
    return (start, end) if end >= 0 else None


def url_of(site_dir: Path, path: Path) -> str:
    """The address a built file answers ("" for the home page), as the engine printed it."""
    rel = path.relative_to(site_dir).as_posix()
    return rel[: -len("index.html")] if rel == "index.html" or rel.endswith("/index.html") else rel
