"""Links inside the offline editions: a link to a page the book contains goes to that
document; any other site page goes to its address on the web (a plain link, never a
resource the reader's app would fetch). Glossary terms link to the glossary, which
links back to where each term is used."""
from __future__ import annotations

import posixpath
import re
from collections import defaultdict

from macros.render.markup import esc
from macros.read.routes import route_of
from macros.offline.book import Doc, all_docs

HREF = re.compile(r'href="([^"]*)"')
ABBR = re.compile(r'<abbr title="([^"]*)">(.*?)</abbr>', re.S)
BACKLINKS_MAX = 5  # places listed under a glossary term: the glossary stays small at any N


def site_path(href: str, doc: Doc) -> tuple[str, str]:
    """A relative href in `doc` -> (site address like "stories/x/" or "/" for home, #fragment)."""
    path, _, fragment = href.partition("#")
    if path.endswith(".md") or ".md#" in href:
        target = route_of(posixpath.normpath(posixpath.join(posixpath.dirname(doc.src), path)))
    else:
        base = doc.url if doc.url != "/" else ""
        joined = posixpath.normpath(posixpath.join(base, path)) + "/"
        target = "/" if joined in ("./", "/") else joined.lstrip("/")
    return target, fragment


def rewrite_href(href: str, doc: Doc, files: dict[str, str], site_url: str) -> str:
    if not href or href.startswith("#") or re.match(r"^[a-z][a-z0-9+.-]*:", href):
        return href
    target, fragment = site_path(href, doc)
    tail = f"#{fragment}" if fragment else ""
    if target in files:
        return files[target] + tail
    return site_url + ("" if target == "/" else target) + tail


def rewrite_links(docs: list[Doc], site_url: str) -> None:
    flat = all_docs(docs)
    files = {d.url: d.file for d in flat if d.url}
    for d in flat:
        d.html = HREF.sub(lambda m: f'href="{esc(rewrite_href(m.group(1), d, files, site_url))}"'
                          if "&" not in m.group(1) else m.group(0), d.html)


def link_terms(docs: list[Doc], hb) -> None:
    """Each glossary tooltip becomes a glossary reference; the glossary lists, under each
    term, back-links to the first places that use it."""
    term_of = {esc(t.definition): t for t in hb.glossary.terms}
    uses: dict[str, list[tuple[Doc, str]]] = defaultdict(list)
    flat = all_docs(docs)
    for d in flat:
        if d.landmark == "glossary":
            continue
        counter = [0]

        def to_ref(m: re.Match, d: Doc = d, counter: list = counter) -> str:
            term = term_of.get(m.group(1))
            if term is None:
                return m.group(0)
            counter[0] += 1
            anchor = f"gl-{term.id}-{counter[0]}"
            uses[term.id].append((d, anchor))
            return (f'<a id="{anchor}" href="glossary.xhtml#term-{esc(term.id)}" '
                    f'role="doc-glossref">{m.group(2)}</a>')
        d.html = ABBR.sub(to_ref, d.html)
    glossary = next((d for d in flat if d.landmark == "glossary"), None)
    if glossary is not None:
        glossary.html = re.sub(r'<dt id="term-([^"]+)">(.*?)</dd>',
                               lambda m: m.group(0)[:-5] + backlinks(uses.get(m.group(1), [])) + "</dd>",
                               glossary.html, flags=re.S)


def backlinks(places: list[tuple[Doc, str]]) -> str:
    if not places:
        return ""
    seen: dict[str, tuple[Doc, str]] = {}
    for d, anchor in places:
        seen.setdefault(d.file, (d, anchor))
    shown = list(seen.values())[:BACKLINKS_MAX]
    links = ", ".join(f'<a href="{esc(d.file)}#{anchor}" role="doc-backlink">{esc(d.title)}</a>' for d, anchor in shown)
    more = f" and {len(seen) - len(shown)} more" if len(seen) > len(shown) else ""
    return f' <span class="used-in">Used in: {links}{more}.</span>'
