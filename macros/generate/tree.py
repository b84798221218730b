"""What the docs tree holds: the hand-written pages of docs/ and every page and data
file the handbook generates from the Story models, as {path in the tree: content}.

Nothing here writes files or knows an engine: write.py puts this on disk.
"""
from __future__ import annotations

from pathlib import Path

from macros.read.builddate import build_date
from macros.read.handbook import Handbook
from macros.read.model import HUBS
from macros.read.problems import HandbookProblems
from macros.read.routes import route_clashes, route_of
from macros.render import downloads, pages, readinglist, redirects, rules, toolkit
from macros.generate import preview

HUB_INDEXES = {
    "chapters": ("Chapters", "Every chapter of the handbook, in order."),
    "domains": ("Relationships", "Stories grouped by the kind of relationship that changed."),
    "themes": ("Themes", "Stories grouped by the themes they share."),
    "content_notes": ("Content notes", "Stories that mention difficult topics, so you can choose what to read."),
}
DOCS_DIR = "docs"  # the hand-written pages, in the repository


def hub_src(folder: str, id_: str, number: int) -> str:
    return f"{folder}/{id_}.md" if number == 1 else f"{folder}/{id_}/page/{number}.md"


def origin(src_uri: str) -> str:
    """Where a generated page comes from, for messages."""
    folder, _, name = src_uri.partition("/")
    if folder == "stories":
        return f"stories/{name}"
    return f"stories/taxonomy.yml ({folder} {name[:-3]})"


def pathway_downloads(pathway, hb: Handbook) -> str:
    links = downloads.download_links(hb.root, toolkit.pathway_url(pathway), build_date(), pathway.id,
                                     "this pathway with its stories")
    return pages.block(links) if links else ""


def generated_pages(hb: Handbook, site_url: str) -> dict[str, str]:
    """src_uri -> Markdown (or JSON) for every page the handbook generates."""
    try:
        only = preview.pages(hb)  # `make preview STORY=<id>`: that story and its hubs
    except ValueError as err:
        raise HandbookProblems(str(err)) from None
    wanted = (lambda src: True) if only is None else only.__contains__
    out = {f"stories/{s.id}.md": pages.story_page(s, hb, toolkit.story_extras(s, hb, site_url))
           for s in hb.stories if wanted(f"stories/{s.id}.md")}
    for pathway in hb.pathways.pathways:
        if wanted(f"{toolkit.PATHWAYS_URL}{pathway.id}.md"):
            out[f"{toolkit.PATHWAYS_URL}{pathway.id}.md"] = (
                toolkit.pathway_page(pathway, hb, site_url) + pathway_downloads(pathway, hb))
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


def redirect_files(hb: Handbook, site_url: str) -> dict[str, str]:
    return {redirects.redirect_src(r): redirects.redirect_page(r, site_url, hb.settings)
            for r in hb.redirects.redirects}


def data_files(hb: Handbook, extra: dict) -> dict[str, str]:
    """The write page's rules (the same as `make check`'s) and the printed crisis lines."""
    return {rules.RULES_URI: rules.rules_json(hb, extra),
            toolkit.PRINT_CRISIS_URI: toolkit.print_crisis_css(hb.settings)}


def written_pages(root: Path) -> list[str]:
    """The hand-written pages of docs/, as src_uris."""
    docs = root / DOCS_DIR
    return sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md"))


def check_addresses(written: list[str], generated: dict[str, str], moved: dict[str, str]) -> None:
    """Two files that would publish the same address stop the build, naming both."""
    sources = [(src, f"{DOCS_DIR}/{src}") for src in written]
    sources += [(src, origin(src)) for src in generated]
    sources += [(src, f"the redirect in stories/redirects.yml for /{route_of(src)}") for src in moved]
    clashes = route_clashes(sources)
    if clashes:
        raise HandbookProblems("These addresses cannot be published:\n  " + "\n  ".join(clashes))
