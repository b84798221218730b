"""Step 3, finish: everything that works on the built HTML, whatever engine built it.

For every HTML file: the Content-Security-Policy and referrer policy first in
<head> (security.py), Material's toggles fixed, "Copy link" buttons beside the
section headings, and the content kept for search. Then the host files (_headers,
the downloads in the sitemap), the Pagefind index and the link check.
`python -m macros finish SITE/` runs it alone; `make build` runs it last.
"""
from __future__ import annotations

import time
from pathlib import Path

from macros.finish import copylinks, hostfiles, linkcheck, search, security
from macros.finish.pagehtml import content_span, url_of
from macros.read.builddate import build_stamp
from macros.read.problems import HandbookProblems

CHARSET = '<meta charset="utf-8">'


class FinishProblem(HandbookProblems):
    """The built site cannot be finished as it is; the message says why."""


def add_policy(html: str, where: str, dev_server: bool) -> str:
    """The policy goes right after the charset, before any script or stylesheet."""
    head_end = html.find("</head>")
    at = html.find(CHARSET, 0, head_end)
    if at < 0:
        raise FinishProblem(f'{where}: no {CHARSET} in <head>, so the Content-Security-Policy has no place '
                            "(every page template must print it first)")
    at += len(CHARSET)
    return html[:at] + security.meta_tags(dev_server=dev_server) + html[at:]


def finished(html: str) -> bool:
    """A page this step has finished already (it carries the policy): finishing it again
    only collects its content for search, so running the step twice changes nothing."""
    return 'http-equiv="Content-Security-Policy"' in html[:html.find("</head>")]


def finish_page(html: str, where: str, url: str, manifest: dict, dev_server: bool) -> str:
    again = finished(html)
    if not again:
        html = security.fix_toggles(add_policy(html, where, dev_server))
    span = content_span(html)
    if span is None:
        return html
    start, end = span
    content = html[start:end] if again else copylinks.copy_link_buttons(html[start:end], manifest["site_url"] + url)
    prefix = manifest["search"].get(url)
    if prefix is not None and not manifest["preview"]:
        search.keep_article(content.strip(), prefix, url)
    return html[:start] + content + html[end:]


def finish_pages(site_dir: Path, manifest: dict, dev_server: bool) -> int:
    count = 0
    for path in linkcheck.html_files(site_dir):
        html = path.read_text(encoding="utf-8")
        where = path.relative_to(site_dir).as_posix()
        done = finish_page(html, where, url_of(site_dir, path), manifest, dev_server)
        if done != html:
            path.write_text(done, encoding="utf-8")
        count += 1
    return count


def finish(site_dir: Path, manifest: dict, dev_server: bool = False, check_links: bool = True) -> list[str]:
    """Finish a built site in place; returns lines for the build log. A preview (one
    story, `make preview`) gets no search index and no link check: its links to other
    stories are meant to fail."""
    site_dir = Path(site_dir)
    started = time.process_time()
    try:
        pages = finish_pages(site_dir, manifest, dev_server)
    finally:
        if manifest["preview"]:
            search.discard_articles()
    hostfiles.write_headers(site_dir)
    hostfiles.add_to_sitemap(site_dir, manifest["site_url"], manifest["downloads"], build_stamp())
    lines = [f"Ripples finish: {pages} HTML files in {time.process_time() - started:.2f} s CPU"]
    if manifest["preview"]:
        return lines + [f"Ripples preview: {manifest['site_url']}stories/{manifest['preview']}/ (no search index)"]
    try:
        cpu = search.index_site(site_dir, manifest["facets"])
    except search.SearchIndexError as err:
        raise FinishProblem(str(err)) from None
    lines.append(f"{search.LOG_PREFIX}{cpu:.2f} s CPU")
    if check_links:
        report = linkcheck.check_site(site_dir, site_url=manifest["site_url"])
        if report.broken:
            raise FinishProblem(f"{len(report.broken)} broken link(s) in the built site:\n  "
                                + "\n  ".join(report.broken))
        lines.append(f"Ripples links: every link works ({len(report.external)} external, never fetched)")
    return lines
