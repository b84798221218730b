"""A link checker for the built site: pure Python, standard library only.

MkDocs validates the links it sees in Markdown, but not the raw HTML that
templates and macros emit. This module parses every HTML file in site/ and
checks every internal href/src (and every #fragment) against the files and
element ids actually there. External links are listed and checked for their
scheme only; nothing is ever fetched.

Usage (the CLI wiring lives elsewhere):

    python -m macros links [--site site] [--site-url https://example.org/ripples/]

or from Python:

    from macros.finish.linkcheck import check_site
    report = check_site(Path("site"), site_url="http://127.0.0.1:8000/")
    print("\\n".join(report.broken))
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

# tag -> attributes holding a URL
LINK_ATTRS = {"a": ("href",), "link": ("href",), "script": ("src",), "img": ("src",), "source": ("src",),
              "iframe": ("src",), "form": ("action",)}
SKIPPED_SCHEMES = ("mailto:", "tel:", "data:")
NOT_INSECURE = {"https", "mailto", "tel", "sms"}
ALWAYS_VALID_FRAGMENTS = {"", "top"}      # HTML: "#" and "#top" scroll to the top of any page
FRAGMENT_SUFFIXES = (".html", ".htm", ".svg")
PLACEHOLDER_BASE = "http://site.invalid/"  # stands for the site root when no site_url is given
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@dataclass
class LinkReport:
    broken: list[str] = field(default_factory=list)     # "<page>: <href> -> <why>"
    external: list[str] = field(default_factory=list)   # sorted, unique
    insecure: list[str] = field(default_factory=list)   # sorted, unique external non-https URLs

    @property
    def ok(self) -> bool:
        return not self.broken and not self.insecure


@dataclass
class ParsedPage:
    ids: set[str] = field(default_factory=set)
    links: list[tuple[str, str]] = field(default_factory=list)   # (tag, url)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = ParsedPage()

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if values.get("id"):
            self.page.ids.add(values["id"])
        if tag == "a" and values.get("name"):
            self.page.ids.add(values["name"])
        for attr in LINK_ATTRS.get(tag, ()):
            if values.get(attr) is not None:
                self.page.links.append((tag, values[attr].strip()))

    handle_startendtag = handle_starttag


def parse_html(path: Path) -> ParsedPage:
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8", errors="replace"))
    collector.close()
    return collector.page


def normalise_base(site_url: str | None) -> str:
    return (site_url or PLACEHOLDER_BASE).rstrip("/") + "/"


def page_url(rel_path: str, base: str) -> str:
    """The URL a file is served at (site/x/index.html -> <base>x/index.html)."""
    return urljoin(base, rel_path)


def file_path(path: str) -> str:
    """A site-relative URL path -> the file a static server looks for ("x/" -> "x/index.html")."""
    path = unquote(path)
    return path + "index.html" if path == "" or path.endswith("/") else path


def target_file(site_dir: Path, path: str) -> Path | None:
    """The file a static server would send for a site-relative URL path, or None."""
    wanted = file_path(path)
    if ".." in wanted.split("/"):   # an encoded "%2e%2e" must not leave site/
        return None
    candidate = site_dir / wanted
    if candidate.is_dir():
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


def is_internal(url: str, base: str) -> bool:
    parts, root = urlsplit(url), urlsplit(base)
    return (parts.scheme, parts.netloc) == (root.scheme, root.netloc)


def within_site(url: str, base: str) -> str | None:
    """The site-relative path of an internal URL, or None when it leaves the site's folder."""
    path, root = urlsplit(url).path or "/", urlsplit(base).path   # root ends with "/"
    if path + "/" == root:
        return ""
    return path[len(root):] if path.startswith(root) else None


class _Ids:
    """Element ids per target file, parsed once."""
    def __init__(self, pages: dict[Path, ParsedPage]) -> None:
        self.pages = pages

    def of(self, path: Path) -> set[str]:
        if path not in self.pages:
            self.pages[path] = parse_html(path)
        return self.pages[path].ids


def check_internal(site_dir: Path, url: str, base: str, ids: _Ids) -> str | None:
    """Why an internal URL is broken, or None when it resolves."""
    rel = within_site(url, base)
    if rel is None:
        return "outside the site"
    target = target_file(site_dir, rel)
    if target is None:
        return f"missing file {file_path(rel)}"
    fragment = unquote(urlsplit(url).fragment)
    if fragment in ALWAYS_VALID_FRAGMENTS or not target.name.endswith(FRAGMENT_SUFFIXES):
        return None
    if fragment not in ids.of(target):
        return f'no element with id "{fragment}" in {target.relative_to(site_dir).as_posix()}'
    return None


def classify(href: str, here: str, base: str) -> tuple[str, str]:
    """("skip" | "invalid" | "internal" | "external", absolute URL) for one href as written on a page."""
    if not href or href.lower().startswith(SKIPPED_SCHEMES):
        return "skip", href
    if href.startswith("//") and not urlsplit(href).netloc:
        return "invalid", "a protocol-relative URL with no host (a doubled slash?)"
    absolute = urljoin(here, href)
    return ("internal" if is_internal(absolute, base) else "external"), absolute


def check_page(site_dir: Path, rel_path: str, page: ParsedPage, base: str, ids: _Ids, report: LinkReport,
               external: set[str]) -> None:
    here = page_url(rel_path, base)
    for _tag, href in page.links:
        kind, absolute = classify(href, here, base)
        if kind == "invalid":
            report.broken.append(f"{rel_path}: {href} -> {absolute}")
        elif kind == "external":
            external.add(absolute if absolute.startswith(("http:", "https:")) else href)
        elif kind == "internal":
            why = check_internal(site_dir, absolute, base, ids)
            if why:
                report.broken.append(f"{rel_path}: {href} -> {why}")


def check_sitemap(site_dir: Path, base: str, ids: _Ids, report: LinkReport) -> None:
    sitemap = site_dir / "sitemap.xml"
    if not sitemap.is_file():
        report.broken.append("sitemap.xml: missing")
        return
    try:
        locations = [el.text or "" for el in ET.parse(sitemap).getroot().iter(f"{SITEMAP_NS}loc")]
    except ET.ParseError as err:
        report.broken.append(f"sitemap.xml: not valid XML ({err})")
        return
    for loc in locations:
        loc = loc.strip()
        if not loc.startswith(base):
            report.broken.append(f"sitemap.xml: {loc} -> not on the site URL {base}")
            continue
        why = check_internal(site_dir, loc, base, ids)
        if why:
            report.broken.append(f"sitemap.xml: {loc} -> {why}")


def html_files(site_dir: Path) -> list[Path]:
    return sorted(p for p in site_dir.rglob("*.html") if p.is_file())


def check_site(site_dir: Path, site_url: str | None = None) -> LinkReport:
    """Check every link in a built site.

    With `site_url` (the configured MkDocs site_url), absolute URLs under it count as
    internal (canonical links, 404 page links) and sitemap.xml is checked too.
    Without it, every http(s) URL is external.
    """
    site_dir = Path(site_dir)
    base = normalise_base(site_url)
    pages = {path: parse_html(path) for path in html_files(site_dir)}
    ids, report, external = _Ids(pages), LinkReport(), set()
    for path in list(pages):
        check_page(site_dir, path.relative_to(site_dir).as_posix(), pages[path], base, ids, report, external)
    if site_url:
        check_sitemap(site_dir, base, ids, report)
    report.external = sorted(external)
    report.insecure = [u for u in report.external if urlsplit(u).scheme.lower() not in NOT_INSECURE]
    return report
