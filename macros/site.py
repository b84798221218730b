"""The MkDocs-facing steps, as plain functions the hook calls one-to-one.

Everything here takes MkDocs objects in and hands plain data to the pure
renderers in pages.py / render.py, so another engine could reuse those.
"""
from __future__ import annotations

import datetime as dt
import html
import logging
import os
import posixpath
import re
from pathlib import Path

from mkdocs.structure.files import File, Files, InclusionLevel

from . import (cache, checks, pages, preview, publication, readinglist, redirects, reproducible, rules, search,
               security, toolkit)
from .build import BuildState, serving, set_command, set_state, state  # noqa: F401  (set_command: for the hook)
from .handbook import load_handbook
from .model import HUBS
from .render import esc
from .routes import route_clashes, route_of  # noqa: F401  (route_clashes: also used by tests)

HUB_INDEXES = {
    "chapters": ("Chapters", "Every chapter of the handbook, in order."),
    "domains": ("Relationships", "Stories grouped by the kind of relationship that changed."),
    "themes": ("Themes", "Stories grouped by the themes they share."),
    "content_notes": ("Content notes", "Stories that mention difficult topics, so you can choose what to read."),
}


log = logging.getLogger("mkdocs.plugins.ripples")
_rendering: dict[str, str] = {"src": "?"}  # the page being converted, for the anchor guard's message


class HandbookProblems(Exception):
    """Story or data problems, already formatted for people."""


def format_problems(problems) -> str:
    lines = [str(p) for p in problems]
    return ("The handbook cannot be built until these are fixed "
            f"({len(lines)} problem{'s' if len(lines) != 1 else ''}):\n  " + "\n  ".join(lines)
            + "\nRun `make check` to see the same list.")


def configure(config, root: Path) -> None:
    reproducible.pin_build_date(root)
    handbook, problems = load_handbook(root)
    if problems:
        raise HandbookProblems(format_problems(problems))
    require_explicit_anchors(config)
    site_url = (config.site_url or "http://127.0.0.1:8000/").rstrip("/") + "/"
    set_state(BuildState(handbook, site_url))
    # Shared by every template, including 404.html (which gets no page context).
    config.extra["ripples"] = {"crisis_html": toolkit.crisis_lines(handbook.settings),
                               "disclaimer": handbook.settings.disclaimer,
                               "security_meta": security.meta_tags(dev_server=serving()),
                               "contact_email": handbook.settings.contact_email}


def missing_anchor(text: str, separator: str) -> str:
    """toc's slugify, called only for headings WITHOUT an explicit {#id}: a shared
    link must not break when a heading is reworded, so strict mode fails here."""
    fallback = re.sub(r"[^a-z0-9]+", separator, text.lower()).strip(separator) or "section"
    log.warning(f'docs/{_rendering["src"]}: the heading "{text}" has no explicit anchor '
                f"(add {{#{fallback}}} at the end of the heading line; never change it once published)")
    return fallback


def require_explicit_anchors(config) -> None:
    config.mdx_configs.setdefault("toc", {})["slugify"] = missing_anchor


def information(today: dt.date | None = None) -> list[str]:
    """INFO lines for the build log: never warnings, so `strict` cannot fail on them."""
    hb = state().handbook
    months = hb.settings.review_period_months
    today = today or dt.date.fromisoformat(os.environ.get("RIPPLES_TODAY") or dt.date.today().isoformat())
    late = checks.overdue_lines(hb.stories, today, months)
    return [f"Ripples: {len(hb.stories)} stories, {len(hb.taxonomy.chapters)} chapters validated", *late,
            *checks.awaiting_review(hb.stories), *held_back_lines(hb, today), *toolkit.handout_notes(hb.stories)]


def held_back_lines(hb, today: dt.date) -> list[str]:
    """Publish builds: the stories left out, each with how long it has waited."""
    if not hb.held_back:
        return []
    n = len(hb.held_back)
    return [f"Ripples: {n} stor{'ies' if n != 1 else 'y'} waiting for the editors, left out of this published "
            f"site (not a failure; `{publication.WAITING_COMMAND}` shows the same list):",
            *publication.waiting_lines(hb.held_back, hb.root, today)]


# ---- generated pages -------------------------------------------------------

def generated_pages() -> dict[str, str]:
    """src_uri -> Markdown for every page the handbook generates."""
    hb, site_url = state().handbook, state().site_url
    try:
        only = preview.pages(hb)  # `make preview STORY=<id>`: that story and its hubs
    except ValueError as err:
        raise HandbookProblems(str(err)) from None
    wanted = (lambda src: True) if only is None else only.__contains__
    out = {f"stories/{s.id}.md": pages.story_page(s, hb, toolkit.story_extras(s, hb, site_url))
           for s in hb.stories if wanted(f"stories/{s.id}.md")}
    for pathway in hb.pathways.pathways:
        if wanted(f"{toolkit.PATHWAYS_URL}{pathway.id}.md"):
            out[f"{toolkit.PATHWAYS_URL}{pathway.id}.md"] = toolkit.pathway_page(pathway, hb, site_url)
    try:
        out[readinglist.LIST_URL + readinglist.DATA_FILE] = readinglist.reading_list_data(hb)
    except readinglist.CodeClash as err:
        raise HandbookProblems(f"A reading-list code cannot be published:\n  {err}") from None
    for kind, (title, description) in HUB_INDEXES.items():
        folder = HUBS[kind][1]
        out[f"{folder}/index.md"] = pages.hub_index_page(kind, hb, title, description)
        for entry in getattr(hb.taxonomy, kind):
            for number in range(1, pages.hub_page_count(kind, entry.id, hb) + 1):
                src = hub_src(folder, entry.id, number)
                if wanted(src):  # a preview builds only page 1 of the story's hubs
                    out[src] = pages.hub_page(kind, entry, hb, number)
    return out


def hub_src(folder: str, id_: str, number: int) -> str:
    return f"{folder}/{id_}.md" if number == 1 else f"{folder}/{id_}/page/{number}.md"


def origin(src_uri: str) -> str:
    """Where a generated page comes from, for messages."""
    folder, _, name = src_uri.partition("/")
    if folder == "stories":
        return f"stories/{name}"
    return f"stories/taxonomy.yml ({folder} {name[:-3]})"


def redirect_files() -> dict[str, str]:
    st = state()
    return {redirects.redirect_src(r): redirects.redirect_page(r, st.site_url, st.handbook.settings)
            for r in st.handbook.redirects.redirects}


def add_generated_files(files: Files, config) -> Files:
    generated, moved = generated_pages(), redirect_files()
    sources = [(f.src_uri, f"docs/{f.src_uri}") for f in files.documentation_pages()]
    sources += [(src, origin(src)) for src in generated]
    clashes = route_clashes(sources + [(src, f"the redirect in stories/redirects.yml for /{route_of(src)}")
                                       for src in moved])
    if clashes:
        raise HandbookProblems("These addresses cannot be published:\n  " + "\n  ".join(clashes))
    blocks = state().html_blocks
    blocks.clear()
    for src_uri, content in {**generated, **moved}.items():
        if src_uri.endswith(".md"):
            content, blocks[src_uri] = set_aside_html(content)
        file = File.generated(config, src_uri, content=content)
        if src_uri.endswith(".md") and not src_uri.endswith("/index.md"):
            file.inclusion = InclusionLevel.NOT_IN_NAV
        files.append(file)
    files.append(File.generated(config, rules.RULES_URI, content=rules.rules_json(state().handbook, config.extra)))
    files.append(File.generated(config, toolkit.PRINT_CRISIS_URI, content=toolkit.print_crisis_css(state().handbook.settings)))
    return files


# A plain word, not an HTML comment: Python-Markdown then has no HTML to scan for
# (~0.07 ms a page) and prints it as <p>word</p>, which only a marker paragraph can
# be (every other paragraph of a generated page is a heading or one of the blocks).
_BLOCK_MARK = "ripplesblock{}"
_BLOCK_MARK_RE = re.compile(r"<p>ripplesblock(\d+)</p>")


def set_aside_html(markdown: str) -> tuple[str, list[str]]:
    """Replace each raw HTML block (a paragraph starting with "<", as pages.block
    makes them) by a short marker. Python-Markdown then parses only the headings
    (for the table of contents and anchors) instead of re-parsing our HTML: about
    1 ms less per story page. Blocks in a row share one marker, as Python-Markdown
    would print them. restore_html() puts the blocks back."""
    blocks: list[str] = []
    out: list[str] = []
    for part in markdown.split("\n\n"):
        if not part.startswith("<"):
            out.append(part)
        elif out and out[-1] == _BLOCK_MARK.format(len(blocks) - 1):
            blocks[-1] += "\n\n" + part
        else:
            out.append(_BLOCK_MARK.format(len(blocks)))
            blocks.append(part)
    return "\n\n".join(out), blocks


def restore_html(html: str, blocks: list[str]) -> str:
    # The newline: Python-Markdown printed one after each raw HTML block but the last; the pages keep it.
    def block(m: re.Match) -> str:
        return blocks[int(m.group(1))] + ("\n" if m.end() < len(html) else "")
    return _BLOCK_MARK_RE.sub(block, html) if blocks else html


# ---- per page --------------------------------------------------------------

# Sections are h2 headings written `<h2 id=...>` (as Markdown makes them); sub-headings and
# headings built with other attributes first (glossary letters) get no button.
_SECTION_HEADING = re.compile(r'(<h(2) id="([^"]+)"[^>]*>(.*?)</h\2>)', re.S)
_TAGS = re.compile(r"<[^>]+>")


def canonical_url(page) -> str:
    return state().site_url + page.url


def copy_link_buttons(html: str, url: str) -> str:
    """A real "Copy link" button after every h2 section heading (stable, explicit ids)."""
    def add(match: re.Match) -> str:
        heading, anchor, text = match.group(1), match.group(3), _TAGS.sub("", match.group(4)).strip()
        return (f'{heading}<button type="button" class="copy-link" data-search-exclude data-url="{esc(url)}#{esc(anchor)}" '
                f'aria-label="Copy link to the section: {esc(text)}">Copy link</button>')
    return _SECTION_HEADING.sub(add, html)


def is_generated(page) -> bool:
    return page.file.generated_by is not None


def add_glossary_tooltips(markdown: str, page) -> str:
    """Hand-written pages only: story pages never get extra Markdown."""
    _rendering["src"] = page.file.src_uri
    if is_generated(page):
        return markdown
    return markdown + toolkit.abbreviations(state().handbook.glossary)


def finish_page_html(html: str, page) -> str:
    html = restore_html(html, state().html_blocks.get(page.file.src_uri, []))
    html = copy_link_buttons(html, canonical_url(page))
    if not preview.story_id():  # a preview builds no search index
        search.keep_for_index(html, page.meta, state().handbook, page.url)
    return html


# ---- templates ---------------------------------------------------------------

def prepare_templates(env, files):
    state().folders = folder_urls(files)
    # RIPPLES_SHARE=0 renders every fragment for every page: the test that sharing changes no byte
    env.globals["ripples_once"] = render_every_time if os.environ.get("RIPPLES_SHARE") == "0" else render_once
    return cache.cache_templates(env)


def render_every_time(name: str, key: str | None, caller) -> str:
    return caller()


def render_once(name: str, key: str | None, caller) -> str:
    """`{% call ripples_once(name, ripples.shared) %}...{% endcall %}`: the block is
    rendered once per (name, key) in a build and reused; a key of None renders it every time.
    Only for blocks that print nothing of the page itself, only base_url and links (| url)
    to pages that never share (menu entries, indexes, assets). tests/test_site.py builds
    the site with and without sharing and compares every byte."""
    if key is None:
        return caller()
    fragments = state().fragments
    if (name, key) not in fragments:
        fragments[(name, key)] = caller()
    return fragments[(name, key)]


def folder_urls(files) -> set[str]:
    """Every URL that has another file of the site below it ("", "stories/", ...)."""
    out = set()
    for file in files:
        parents = file.url.rstrip("/").split("/")[:-1]
        out.update("".join(f"{part}/" for part in parents[:i]) for i in range(len(parents) + 1))
    return out


def shared_key(page, nav) -> str | None:
    """Pages that are in no menu and have no file below them (every story; every hub) get
    the same menu, header tools and script settings as the others in their folder: nothing
    in the menu is active for them, and a link from one of them to any page but its
    neighbours in the folder depends only on the folder. Rendering those once per folder
    saves ~0.6 ms per page at 3,000 stories. None: render as usual."""
    if page.url in state().folders or (nav is not None and page in nav.pages):
        return None
    folder = posixpath.dirname(page.url.rstrip("/"))
    return f"{folder}/*{'/' if page.url.endswith('/') else ''}"


def toc_signature(items) -> str:
    """Everything the table of contents prints of a page's headings: pages with equal
    signatures (every story page) print the same one."""
    return "".join(f"({t.level} {t.url} {t.title}{toc_signature(t.children)})" for t in items)


def toc_key(page, shared: str | None) -> str | None:
    return None if shared is None else f"{shared}{toc_signature(page.toc)}"


def index_for_search(config) -> None:
    """After every build (make build, make serve, tests, deploy): the Pagefind index."""
    if preview.story_id():
        log.info(f"Ripples preview: {state().site_url}stories/{preview.story_id()}/ (no search index)")
        return
    try:
        cpu = search.index_site(Path(config.site_dir), state().handbook)
    except search.SearchIndexError as err:
        raise HandbookProblems(str(err)) from None
    log.info(f"{search.LOG_PREFIX}{cpu:.2f} s CPU")


def discard_search_copies() -> None:
    search.discard_articles()


def head_meta(page, config) -> str:
    meta = page.meta or {}
    title = meta.get("title") or page.title or config.site_name
    description = meta.get("description") or config.site_description or ""
    url = canonical_url(page)
    kind = (meta.get("ripples") or {}).get("kind", "page")
    tags = [
        f'<meta name="description" content="{esc(description)}">',
        f'<link rel="canonical" href="{esc(url)}">',
        f'<meta property="og:site_name" content="{esc(config.site_name)}">',
        f'<meta property="og:type" content="{"article" if kind == "story" else "website"}">',
        f'<meta property="og:title" content="{esc(title)}">',
        f'<meta property="og:description" content="{esc(description)}">',
        f'<meta property="og:url" content="{esc(url)}">',
        '<meta name="twitter:card" content="summary">',
        f'<meta name="twitter:title" content="{esc(title)}">',
        f'<meta name="twitter:description" content="{esc(description)}">',
    ]
    return "\n".join(tags)


def page_context(page, config, nav=None) -> dict:
    meta = page.meta or {}
    shared = shared_key(page, nav)
    return {"head": head_meta(page, config), "shared": shared, "toc": toc_key(page, shared),
            "title": esc(meta.get("title") or page.title or config.site_name),
            "kind": esc((meta.get("ripples") or {}).get("kind", "page"))}


# ---- whole output ------------------------------------------------------------

def finish_output(html: str) -> str:
    """Every HTML page MkDocs writes (pages and 404.html), as a last step."""
    return security.fix_toggles(html)


def write_host_files(site_dir: str) -> None:
    """`_headers`: the security headers for hosts that read it (Netlify, Cloudflare Pages)."""
    Path(site_dir, "_headers").write_text(security.headers_file(), encoding="utf-8")
