"""A real "Copy link" button beside every h2 section heading of a page's content.

Clinicians send links to sections: the button copies the section's permanent
address (its explicit {#id}). Added to the built HTML, so it does not depend on
the engine. The icon is Material Design Icons' "link-variant" (Apache-2.0), the
file Material ships, kept beside this module so that no engine is needed to read it.
"""
from __future__ import annotations

import functools
import re
from pathlib import Path

from macros.render.markup import esc

# Sections are h2 headings written `<h2 id=...>` (as Markdown makes them); sub-headings and
# headings built with other attributes first (glossary letters) get no button.
_SECTION_HEADING = re.compile(r'(<h(2) id="([^"]+)"[^>]*>(.*?)</h\2>)', re.S)
_TAGS = re.compile(r"<[^>]+>")


@functools.cache
def link_icon() -> str:
    """Hidden from screen readers: the button's name says what it does."""
    svg = Path(__file__).with_name("link-variant.svg").read_text(encoding="utf-8").strip()
    return svg.replace("<svg ", '<svg class="copy-link-icon" aria-hidden="true" ', 1)


def copy_link_buttons(html: str, url: str) -> str:
    """An icon in the heading's row (ripples.css), so no heading is followed by a control on a
    line of its own. Its text says "Copy link" to scripts and "Link copied" once pressed (ripples.js)."""
    def add(match: re.Match) -> str:
        heading, anchor, text = match.group(1), match.group(3), _TAGS.sub("", match.group(4)).strip()
        return (f'<div class="section-head">{heading}<button type="button" class="copy-link" data-search-exclude '
                f'data-url="{esc(url)}#{esc(anchor)}" aria-label="Copy link to the section: {esc(text)}">'
                f'{link_icon()}<span class="copy-link-text">Copy link</span></button></div>')
    return _SECTION_HEADING.sub(add, html)
