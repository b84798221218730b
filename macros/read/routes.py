"""Which addresses the build will publish, known before it runs, so that the
check refuses what the build would trip on: a story id that is reserved or
claims another page's address, and redirects from a page or file the build
writes, to a page that does not exist, or through "." and "..".
"""
from __future__ import annotations

import os
import re
from pathlib import Path

from macros.read.model import HUBS, Redirects, Taxonomy
from macros.read.problems import Problem

RESERVED_IDS = {"index": "is reserved for the list of stories (choose another file name)"}
# First address segments that the build fills with its own files (theme assets, search index, sitemap).
SITE_FILES = {"assets", "search", "sitemap.xml", "sitemap.xml.gz", "404.html", "stylesheets", "javascripts"}
PATHWAYS_FOLDER = "clinicians/pathways/"
REDIRECTS = "stories/redirects.yml"


def page_url(src_uri: str) -> str:
    """The URL a Markdown source gets with use_directory_urls, as the engine prints it ("" for the home page)."""
    stem = re.sub(r"(^|/)(index|README)$", "", re.sub(r"\.(md|html)$", "", src_uri))
    return (stem.strip("/") + "/").lstrip("/")


def route_of(src_uri: str) -> str:
    """The same URL case-folded, "/" for the home page: two sources clash when these are equal."""
    return page_url(src_uri).casefold() or "/"


def _claimed_twice(sources: list[tuple[str, str]]):
    """(src_uri, where it comes from) pairs -> (where, message) for each address claimed again."""
    seen: dict[str, str] = {}
    for src, shown in sources:
        route = route_of(src)
        if route in seen:
            yield shown, f"{shown} and {seen[route]} both publish /{route} (rename or remove one of them)"
        else:
            seen[route] = shown


def route_clashes(sources: list[tuple[str, str]]) -> list[str]:
    """One message per address claimed twice."""
    return [message for _, message in _claimed_twice(sources)]


def clash_problems(sources: list[tuple[str, str]]) -> list[Problem]:
    """route_clashes as problems, filed under the file that claims an address second."""
    return [Problem(shown.split(" (")[0], 0, 0, "address", message) for shown, message in _claimed_twice(sources)]


def docs_sources(root: Path) -> list[tuple[str, str]]:
    """Hand-written pages (docs/**/*.md), without following links."""
    out = []
    docs = root / "docs"
    for folder, dirs, files in os.walk(docs):
        dirs.sort()
        rel = Path(folder).relative_to(docs).as_posix()
        for name in sorted(files):
            if name.endswith(".md"):
                src = name if rel == "." else f"{rel}/{name}"
                out.append((src, f"docs/{src}"))
    return out


def generated_sources(taxonomy: Taxonomy, pathway_ids: list[str]) -> list[tuple[str, str]]:
    """Hub and pathway pages the build generates (story pages are added by the caller)."""
    out = []
    for kind, (_, folder, _) in HUBS.items():
        out.append((f"{folder}/index.md", f"the list of all {kind.replace('_', ' ')}"))
        out += [(f"{folder}/{e.id}.md", f"stories/taxonomy.yml ({kind} id {e.id})") for e in getattr(taxonomy, kind)]
    out += [(f"{PATHWAYS_FOLDER}{p}.md", f"stories/pathways.yml ({p})") for p in pathway_ids]
    return out


def story_address_problems(story_files: list[Path], shown: list[str], others: list[tuple[str, str]]) -> list[Problem]:
    """A story's address must be free: not reserved, not another page's."""
    taken = {route_of(src): where for src, where in others}
    problems = []
    for path, name in zip(story_files, shown):
        story_id = path.stem
        route = route_of(f"stories/{story_id}.md")
        if story_id.casefold() in RESERVED_IDS:
            problems.append(Problem(name, 0, 0, "file name", f'"{story_id}" {RESERVED_IDS[story_id.casefold()]}'))
        elif route in taken:
            problems.append(Problem(name, 0, 0, "file name",
                                    f"this story and {taken[route]} both publish /{route} "
                                    "(choose another file name)"))
    return problems


def redirect_problems(redirects: Redirects, routes: set[str]) -> list[Problem]:
    """Each redirect answers an address nothing else publishes, and leads to a page that exists."""
    problems = []
    seen: set[str] = set()
    for i, r in enumerate(redirects.redirects):
        where = f"redirects.{i}"
        if r.from_ in seen:
            problems.append(Problem(REDIRECTS, 0, 0, f"{where}.from", f"{r.from_} is redirected twice (keep one)"))
        seen.add(r.from_)
        first = r.from_.strip("/").split("/")[0]
        if r.from_.strip("/") + "/" in routes or r.from_ == "/":
            problems.append(Problem(REDIRECTS, 0, 0, f"{where}.from",
                                    f"{r.from_} is a page of the site: the redirect and the page would both publish "
                                    f"/{r.from_.strip('/') + '/' if r.from_ != '/' else ''} "
                                    "(remove the redirect, or the page first)"))
        elif first in SITE_FILES:
            problems.append(Problem(REDIRECTS, 0, 0, f"{where}.from",
                                    f"{r.from_} is inside /{first}, where the build writes its own files "
                                    "(redirect only old page addresses)"))
        if r.to.strip("/") + "/" not in routes and r.to != "/":
            problems.append(Problem(REDIRECTS, 0, 0, f"{where}.to",
                                    f"the redirect from {r.from_} goes to {r.to}, which is not a page of the site "
                                    "(point it at an existing page, e.g. the story's chapter)"))
    return problems
