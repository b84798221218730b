"""The macros hand-written pages in docs/ may call, in one table: the site registers
them with mkdocs-macros (main.py), the offline editions render the same pages with
them in Jinja's sandbox (offline/docpages.py). Each is a call into a pure renderer."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Callable

from macros.render import pages, readinglist, toolkit, writeform
from macros.read.handbook import Handbook


@dataclass(frozen=True)
class PageContext:
    hb: Handbook
    here: str                  # the page's URL, for relative links
    site_url: str              # ends with "/"
    meta: dict = field(default_factory=dict)   # the page's front matter
    date: dt.date | None = None                # the build date (download links)


def _downloads(c: PageContext) -> str:
    from macros.render import downloads  # the offline editions' links, when the files exist
    return downloads.download_links(c.hb.root, c.here, c.date)


MACROS: dict[str, Callable] = {
    "hub_list": lambda c, kind: pages.hub_list(kind, c.hb, c.here),
    "matrix": lambda c: pages.matrix_html(c.hb, c.here),
    "theme_links": lambda c, theme: toolkit.theme_links(theme, c.hb, c.here),
    "pathway_list": lambda c: toolkit.pathway_list(c.hb, c.here),
    "crisis_lines": lambda c: toolkit.crisis_lines(c.hb.settings, label="Crisis lines"),
    "contact_link": lambda c: toolkit.contact_link(c.hb.settings),
    "glossary": lambda c: toolkit.glossary_html(c.hb.glossary),
    "field_reference": lambda c: toolkit.field_reference(c.hb),
    "story_template": lambda c: toolkit.story_template(c.hb),
    "editorial_mark": lambda c: pages.editorial_label(),
    "reading_list": lambda c: readinglist.reading_list_page(c.hb, c.site_url),
    "review_line": lambda c: pages.page_review_line(c.meta),
    "page_qr": lambda c: toolkit.page_handout(c.site_url + c.here),
    "story_form": lambda c: writeform.story_form(c.hb),
    "downloads": _downloads,
}


def bound(context: Callable[[], PageContext], overrides: dict[str, Callable] | None = None) -> dict[str, Callable]:
    """name -> a callable for Jinja; `context()` is asked at call time (the page being rendered)."""
    table = {**MACROS, **(overrides or {})}
    return {name: (lambda *args, f=f: f(context(), *args)) for name, f in table.items()}
