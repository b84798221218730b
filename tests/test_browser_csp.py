"""The Content-Security-Policy in a real browser: Chromium reports 0 violations on
every page (a redirect and 404 included; most of them in tests/test_browser.py's one
walk of every page) and through every interaction; Material's scripts moved out of the
page still work; following a link out sends no Referer.

Skipped without /usr/bin/chromium on a laptop; failing under CI.
"""
from __future__ import annotations

import http.server
import threading
from pathlib import Path

import pytest

from macros.finish.security import TOGGLE_FORM
from tests.browser import DESKTOP, Watched, goto, site_pages, story_ids
from tests.conftest import REDIRECT_FROM, REDIRECT_TO, serve_dir
from tests.browser import search
from tests.test_browser import _filter_hub

pytestmark = pytest.mark.browser

@pytest.fixture(scope="module")
def full_server(full_site: Path):
    with serve_dir(full_site) as base:
        yield base


@pytest.fixture
def watched(browser):
    w = Watched(browser, permissions=["clipboard-read", "clipboard-write"])
    yield w
    w.close()


def test_the_recorder_sees_a_violation(watched, full_server):
    goto(watched.page, full_server)
    with pytest.raises(Exception):
        watched.page.add_script_tag(content="window.__inline = 1")
    assert watched.page.evaluate("window.__inline") is None
    assert any("script-src" in v for v in watched.drain())


def test_no_violation_on_the_pages_only_the_full_site_has(watched, full_server, full_site, built_site):
    """The seed site's pages are checked in tests/test_browser.py's one walk of every page
    (test_no_page_reports_a_csp_violation); here, every page the fuller site adds: the
    redirect page and the hubs' later pages."""
    extra = sorted(set(site_pages(full_site)) - set(site_pages(built_site)))
    assert REDIRECT_FROM.strip("/") + "/" in extra and any("/page/" in p for p in extra), extra
    problems = []
    for path in extra:
        watched.page.goto(full_server + path, wait_until="load")
        problems += watched.drain()
    assert not problems, f"{len(problems)} CSP violation(s):\n" + "\n".join(problems[:40])


def test_moved_scripts_still_work(watched, full_server):
    """The head script (rp-js mark, Material's storage helpers), the palette script and
    the redirect script now load from files: each still does its job."""
    page = watched.page
    goto(page, full_server + "about/")
    assert page.evaluate("document.documentElement.classList.contains('rp-js')")
    assert page.evaluate("__md_scope.href") == full_server
    before = page.get_attribute("body", "data-md-color-scheme")
    page.locator("form[data-md-component=palette] label:visible").first.click()
    page.wait_for_function("s => document.body.getAttribute('data-md-color-scheme') !== s", arg=before)
    after = page.get_attribute("body", "data-md-color-scheme")
    goto(page, full_server + "themes/")  # the saved palette is applied before the first paint
    assert page.get_attribute("body", "data-md-color-scheme") == after
    page.goto(full_server + REDIRECT_FROM.lstrip("/") + "#crisis")
    page.wait_for_url(full_server + REDIRECT_TO.lstrip("/") + "#crisis")
    assert watched.drain() == []


def test_toggles_are_not_restored_when_a_reader_comes_back(browser, full_site, tmp_path):
    """Why Material printed autocomplete="off" on its drawer and search toggles: coming
    back to a page must not reopen them. A checkbox may not carry that attribute (invalid
    HTML), so they take it from an empty form. The control, with the attribute simply
    dropped, shows that the browser would otherwise restore them. Scripts are off so
    that only the browser's own form restoration is at work."""
    built = (full_site / "about" / "index.html").read_text(encoding="utf-8")
    assert f'<form id="{TOGGLE_FORM}" autocomplete="off" hidden></form>' in built
    (tmp_path / "fixed.html").write_text(built, encoding="utf-8")
    (tmp_path / "dropped.html").write_text(built.replace(f' form="{TOGGLE_FORM}"', ""), encoding="utf-8")
    (tmp_path / "other.html").write_text("<!doctype html><title>other</title>", encoding="utf-8")
    toggles = "['__drawer', '__search'].map(id => document.getElementById(id).checked)"
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        with serve_dir(tmp_path) as base:
            for name, restored in (("fixed.html", False), ("dropped.html", True)):
                goto(page, base + name)
                page.evaluate("['__drawer', '__search'].forEach(id => document.getElementById(id).click())")
                assert page.evaluate(toggles) == [True, True]
                goto(page, base + "other.html")
                page.go_back()
                assert page.evaluate(toggles) == [restored, restored], name
    finally:
        context.close()


def test_no_violation_through_interactions(browser, full_server, full_site):
    """Search (typed, then Enter), copy link, print, palette, mobile drawer, content-note
    filter and a glossary tooltip, on a phone-sized and a desktop screen."""
    hub = _filter_hub(full_site)
    story = f"stories/{story_ids(full_site)[0]}/"
    problems = []
    for viewport in (DESKTOP, {"width": 360, "height": 740}):
        w = Watched(browser, viewport=viewport, permissions=["clipboard-read", "clipboard-write"])
        page = w.page
        try:
            goto(page, full_server + story)
            search(page, "Marcus")  # search index, worker, results
            page.keyboard.press("Enter")  # a search form that tried to submit would break form-action
            page.wait_for_timeout(300)
            page.keyboard.press("Escape")
            goto(page, full_server + story)
            page.locator("button.copy-link").first.click()
            page.wait_for_function("document.querySelector('.copy-status').textContent.length > 0")
            page.evaluate("window.print = () => { window.__printed = true; }")
            page.click("button.print-handout")
            assert page.evaluate("window.__printed") is True
            page.emulate_media(media="print")
            page.pdf() if viewport is DESKTOP else None  # print styles and the QR code
            page.emulate_media(media="screen")
            page.locator("form[data-md-component=palette] label:visible").first.click()
            if viewport["width"] < 400:
                page.click("label.md-header__button[for='__drawer']")
                page.wait_for_function("document.getElementById('__drawer').checked")
            goto(page, full_server + hub)
            page.locator(".cn-filter input[type=checkbox]").first.check()
            page.wait_for_function("document.querySelector('.story-card[data-cn-hidden]') !== null")
            if viewport is DESKTOP:  # a glossary tooltip (Material positions it with inline CSS variables)
                goto(page, full_server + "understanding/")
                page.locator("abbr").first.hover()
                page.wait_for_function("document.querySelector('.md-tooltip2--active') !== null")
            problems += [f"[{viewport['width']} px] {v}" for v in w.drain()]
        finally:
            w.close()
    assert not problems, f"{len(problems)} CSP violation(s):\n" + "\n".join(problems)


# ---- referrer --------------------------------------------------------------------

class _Recorder(http.server.BaseHTTPRequestHandler):
    seen: list = []

    def do_GET(self):
        self.seen.append((self.path, self.headers.get("Referer")))
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(b"<!doctype html><title>elsewhere</title><p>elsewhere</p>")

    def log_message(self, *args):
        pass


@pytest.fixture
def elsewhere():
    """Another site: a second server on another port records each request's Referer."""
    _Recorder.seen = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", _Recorder.seen
    server.shutdown()


def _follow_out(page, base: str, other: str, selector: str) -> None:
    """Point a real outbound link of the page at the other site and click it."""
    assert page.locator(selector).count(), f"{page.url}: no outbound link ({selector})"
    link = page.locator(selector).first.element_handle()  # a locator would re-query after the edit
    link.evaluate("(a, url) => { a.href = url; a.removeAttribute('target'); }", other + "landing")
    if link.is_visible():
        link.click()
    else:  # the banner's helpline directory: on screen only in the full list ("More help"), still a link
        link.evaluate("a => a.click()")
    page.wait_for_url(other + "landing")


def test_following_a_link_out_sends_no_referer(watched, full_server, full_site, elsewhere, tmp_path):
    other, seen = elsewhere
    # Control: a page without the policy does send one, so the recorder can see it.
    (tmp_path / "index.html").write_text('<!doctype html><title>c</title><a href="#">out</a>', encoding="utf-8")
    with serve_dir(tmp_path) as control:
        goto(watched.page, control)
        _follow_out(watched.page, control, other, "a")
    landings = [referer for path, referer in seen if path == "/landing"]
    assert landings == [control]
    outbound = "a[href^='https://']"  # e.g. the crisis lines' helpline directory
    for path in (f"stories/{story_ids(full_site)[0]}/", "about/"):
        goto(watched.page, full_server + path)
        _follow_out(watched.page, full_server, other, outbound)
        landings = [referer for p, referer in seen if p == "/landing"]
        assert landings[-1] is None, f"/{path}: following a link out sent Referer {landings[-1]!r}"
    assert len([p for p, _ in seen if p == "/landing"]) == 3
