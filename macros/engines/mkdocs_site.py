"""The MkDocs-facing steps, as plain functions the hook calls one-to-one.

The docs tree is already complete (macros/generate/) and the finish step works on
the built HTML (macros/finish/): what is left here is what only the engine's own
objects can do. The pages' template context (canonical address, social tags,
title), the fragments shared between pages, the glossary tooltips of the
hand-written pages, and a faster path through Python-Markdown for generated pages.
"""
from __future__ import annotations

import functools
import logging
import os
import posixpath
import re
from pathlib import Path

from macros.engines.state import BuildState, preloaded, serving, set_state, state
from macros.generate.config import CONFIG_FILE, source_config
from macros.generate.step import Generated, default_out, generate, load, read_manifest
from macros.render import cache, toolkit
from macros.render.markup import esc

log = logging.getLogger("mkdocs.plugins.ripples")
_rendering: dict[str, str] = {"src": "?"}  # the page being converted, for the anchor guard's message


def configure(config, root: Path) -> None:
    """Load the handbook for the templates and the macros. Under `mkdocs serve` the tree is
    generated again first, so a saved story shows on the next reload."""
    if from_source(config, root):
        made = use_generated_tree(config, root)
        tree_dir, hb = made.config_file.parent, made.handbook
    else:
        tree_dir = Path(config.docs_dir).parent
        if serving():
            # the same site_dir as `python -m macros serve` wrote: the engine watches this configuration
            hb = generate_and_say(root, tree_dir, serve_site(tree_dir)).handbook
        else:
            hb = preloaded() or load(root)
    manifest = read_manifest(tree_dir)
    require_explicit_anchors(config)
    set_state(BuildState(hb, manifest["site_url"], frozenset(manifest["written"])))
    # Shared by every template, including 404.html (which gets no page context). The crisis
    # banner takes the page's own link to the full list: crisis_banner(('about/' | url) ~ '#crisis').
    config.extra["ripples"] = {"crisis_banner": functools.partial(toolkit.crisis_lines, hb.settings),
                               "disclaimer": hb.settings.disclaimer,
                               "contact_email": hb.settings.contact_email}


def generate_and_say(root: Path, tree_dir: Path, site_dir: Path) -> Generated:
    made = generate(root, tree_dir, site_dir)
    from macros.generate.report import information
    for line in information(made.handbook):
        log.info(line)
    return made


# ---- `mkdocs build` / `mkdocs serve` on the repository's own mkdocs.yml --------------
# The pipeline gives the engine generated/mkdocs.yml. Someone who types the engine's own
# command gets the same site: the tree is generated first and the engine pointed at it,
# and the finish step runs after the build.
_DIRECT: list[Generated] = []


def from_source(config, root: Path) -> bool:
    return Path(config.config_file_path).resolve() == (root / CONFIG_FILE).resolve()


def use_generated_tree(config, root: Path) -> Generated:
    from pathspec.gitignore import GitIgnoreSpec
    out = default_out(root)
    made = generate_and_say(root, out, Path(config.site_dir))
    _DIRECT[:] = [made]
    generated = source_config(out)  # the configuration the pipeline would give the engine
    config.docs_dir = str(out / generated["docs_dir"])
    config.not_in_nav = GitIgnoreSpec.from_lines(generated["not_in_nav"].splitlines())
    return made


def direct_run() -> Generated | None:
    """The generated tree of an engine command run on mkdocs.yml itself (None under the pipeline)."""
    return _DIRECT[0] if _DIRECT else None


def serve_site(tree_dir: Path) -> Path:
    """Where the configuration says a served site goes (the dev server builds in its own temporary folder)."""
    return tree_dir / "site"


def missing_anchor(text: str, separator: str) -> str:
    """toc's slugify, called only for headings WITHOUT an explicit {#id}: a shared
    link must not break when a heading is reworded, so strict mode fails here."""
    fallback = re.sub(r"[^a-z0-9]+", separator, text.lower()).strip(separator) or "section"
    log.warning(f'docs/{_rendering["src"]}: the heading "{text}" has no explicit anchor '
                f"(add {{#{fallback}}} at the end of the heading line; never change it once published)")
    return fallback


def require_explicit_anchors(config) -> None:
    config.mdx_configs.setdefault("toc", {})["slugify"] = missing_anchor


# ---- per page --------------------------------------------------------------

def is_written(page) -> bool:
    """A hand-written page of docs/ (trusted, rendered with the macros), not a generated one."""
    return page.file.src_uri in state().written


def page_markdown(markdown: str, page) -> str:
    """Hand-written pages get the glossary's tooltips; generated pages (story pages never
    get extra Markdown) have their HTML blocks set aside."""
    _rendering["src"] = page.file.src_uri
    if is_written(page):
        return markdown + toolkit.abbreviations(state().handbook.glossary)
    markdown, state().html_blocks[page.file.src_uri] = set_aside_html(markdown)
    return markdown


def page_content(html: str, page) -> str:
    return restore_html(html, state().html_blocks.pop(page.file.src_uri, []))


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


def canonical_url(page) -> str:
    return state().site_url + page.url


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
