"""The same handbook on the second engine: `make build ENGINE=properdocs` (ProperDocs 1.6.7,
the MkDocs 1.x continuation) against the default MkDocs 1.6.1 build, side by side.

Both build the copy behind `full_site` (every kind of page: a redirect, hubs' later
pages). The sites must be the same bytes, and the ProperDocs one must itself pass what
the default passes: every published address, the Nu Html Checker, 0 CSP violations in
Chromium, axe, search, and a story handout on one page. Build time per page is a
figure (bench/engines.py), never an assertion here.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from macros.engines.run import ENGINES, command
from macros.finish.urls import load_redirects, read_lock, verify
from tests.browser import axe_violations, goto, load_bench, search, story_ids
from tests.conftest import ROOT, build, once, serve_dir
from tests.test_browser import PDF_PAGE
from tests.browser import Watched
from tests.test_html_valid import vnu_messages


@pytest.fixture(scope="session")
def properdocs_site(full_site: Path, tmp_path_factory) -> Path:
    """The `full_site` copy built again, with ProperDocs."""
    def make(folder: Path) -> Path:
        result = build(full_site.parent, site=folder / "site", engine="properdocs")
        assert result.returncode == 0, result.stdout + result.stderr
        return folder / "site"
    return once(tmp_path_factory, "properdocs", make)


def differing(a: Path, b: Path) -> list[str]:
    """Files only one site has, or with other bytes: bench/engines.py's comparison."""
    return load_bench("engines").differing(a, b)


def test_the_engine_commands_are_the_two_engines():
    assert set(ENGINES) == {"mkdocs", "properdocs"}
    assert command("properdocs", "build", Path("c.yml"))[1:] == ["-m", "properdocs", "build", "-f", "c.yml"]


def test_properdocs_really_renders_it():
    """Not MkDocs under another name: the engine that ran reports itself as ProperDocs 1.6.7."""
    import subprocess
    import sys
    version = subprocess.run([sys.executable, "-m", "properdocs", "--version"], capture_output=True, text=True,
                             timeout=60)
    assert re.search(r"properdocs, version 1\.6\.7 from .*/properdocs\b", version.stdout), version.stdout
    pins = (ROOT / "requirements-properdocs.txt").read_text(encoding="utf-8")
    assert "properdocs==1.6.7" in pins.splitlines()


def test_both_engines_build_the_same_bytes(full_site: Path, properdocs_site: Path):
    assert differing(full_site, properdocs_site) == []
    assert len(list(properdocs_site.rglob("*.html"))) > 50


def test_the_properdocs_site_keeps_every_published_address(full_site: Path, properdocs_site: Path):
    lines = read_lock(full_site.parent)
    assert lines, "published-urls.txt is empty"
    assert verify(lines, properdocs_site, load_redirects(full_site.parent)) == []


def test_the_properdocs_site_is_valid_html(properdocs_site: Path):
    errors = [m for m in vnu_messages(properdocs_site) if m["type"] != "info"]
    assert errors == [], errors[:20]


@pytest.mark.browser
def test_the_properdocs_site_works_in_chromium(browser, axe, full_site: Path, properdocs_site: Path):
    """0 CSP violations, 0 axe violations, search answers, and a story prints on one page."""
    story = story_ids(full_site)[0]
    with serve_dir(properdocs_site) as base:
        watched = Watched(browser)
        try:
            problems = []
            for path in ("", f"stories/{story}/", "clinicians/"):
                goto(watched.page, base + path)
                problems += axe_violations(watched.page, axe, f"/{path}")
            search(watched.page, "Marcus")
            assert watched.page.locator("li.md-search-result__item a.md-search-result__link").count() > 0
            assert problems == []
            assert watched.drain() == []
        finally:
            watched.close()
        context = browser.new_context()
        try:
            page = context.new_page()
            page.emulate_media(media="print")
            goto(page, base + f"stories/{story}/")
            assert len(PDF_PAGE.findall(page.pdf(format="A4", print_background=True))) == 1
        finally:
            context.close()
