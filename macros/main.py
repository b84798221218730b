"""mkdocs-macros entry point: registers the macros, nothing else.

Each macro is a one-line call into a pure renderer (pages.py, toolkit.py,
contribute.py). Only trusted pages in docs/ are rendered with Jinja
(render_by_default: false + force_render_paths in mkdocs.yml); story files
never are.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from macros import pages, readinglist, toolkit, writeform  # noqa: E402
from macros.build import state  # noqa: E402


def define_env(env) -> None:
    here = lambda: env.page.url  # noqa: E731  (the page being rendered)
    hb = lambda: state().handbook  # noqa: E731

    env.macro(lambda kind: pages.hub_list(kind, hb(), here()), "hub_list")
    env.macro(lambda: pages.matrix_html(hb(), here()), "matrix")
    env.macro(lambda theme: toolkit.theme_links(theme, hb(), here()), "theme_links")
    env.macro(lambda: toolkit.pathway_list(hb(), here()), "pathway_list")
    env.macro(lambda: toolkit.crisis_lines(hb().settings, label="Crisis lines"), "crisis_lines")
    env.macro(lambda: toolkit.contact_link(hb().settings), "contact_link")
    env.macro(lambda: toolkit.glossary_html(hb().glossary), "glossary")
    env.macro(lambda: toolkit.field_reference(hb()), "field_reference")
    env.macro(lambda: toolkit.story_template(hb()), "story_template")
    env.macro(lambda: pages.editorial_label(), "editorial_mark")
    env.macro(lambda: readinglist.reading_list_page(hb(), state().site_url), "reading_list")
    env.macro(lambda: pages.page_review_line(env.page.meta), "review_line")
    env.macro(lambda: toolkit.page_handout(state().site_url + here()), "page_qr")
    env.macro(lambda: writeform.story_form(hb()), "story_form")
