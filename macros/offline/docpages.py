"""Hand-written pages of docs/ (the home page's framing, the KAP page, the essays) as HTML
for the offline editions: their Markdown rendered as the site renders it, with the few
macros they use answered by the same renderers the site's macros call.

The pages are maintainers' files, but they are rendered in Jinja's sandbox with
undefined names failing, so a macro the book does not know stops the build instead of
leaving `{{ ... }}` in a book.
"""
from __future__ import annotations

import re
from pathlib import Path

import markdown
import yaml
from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from macros.read.handbook import Handbook
from macros.render.pagemacros import PageContext, bound

FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)
# mkdocs.yml's markdown_extensions: the book renders docs/ with the same ones.
EXTENSIONS = ["toc", "attr_list", "abbr", "admonition"]


def page_macros(hb: Handbook, here: str, meta: dict) -> dict:
    """The site's page macros (pagemacros.py), relative to `here`. A book neither links to
    its own files nor prints a QR code to itself."""
    context = PageContext(hb, here, "", meta)
    return bound(lambda: context, {"downloads": lambda c: "", "page_qr": lambda c: ""})


def jinja() -> SandboxedEnvironment:
    # The comment markers of mkdocs.yml: {#id} heading anchors are not Jinja comments.
    return SandboxedEnvironment(undefined=StrictUndefined, comment_start_string="{##", comment_end_string="##}")


def docs_page_html(root: Path, src: str, hb: Handbook, here: str) -> str:
    """docs/<src> -> HTML (its front matter dropped, its first heading kept)."""
    text = (root / "docs" / src).read_text(encoding="utf-8")
    head = FRONT_MATTER.match(text)
    meta = yaml.safe_load(head.group(0).strip("-\n")) if head else {}
    body = text[head.end():] if head else text
    rendered = jinja().from_string(body).render(**page_macros(hb, here, meta or {}))
    return markdown.markdown(rendered, extensions=EXTENSIONS, output_format="xhtml")
