"""The built handbook in a real browser: Debian's Chromium driven by Playwright.

Accessibility (axe-core, WCAG 2.2 A/AA + best practice, light and dark palette, every
page), keyboard use, privacy (no request leaves 127.0.0.1, no cookies), a handout
printed from the dark palette, search, small screens and the content-note filter. The
printed handouts themselves (pages, type size, parts, QR codes) are in
tests/test_browser_clinicians.py, which prints every story once.

Without /usr/bin/chromium these tests are skipped, except under CI (env CI set), where
they fail. One browser serves the whole module.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.browser

from tests.browser import (PALETTE_RULES, search, CHROMIUM_ARGS, DESKTOP, MISSING,  # noqa: E402,F401
                           PALETTE, ROOT, SCHEMES, Watched, axe_in_both_palettes, axe_in_every_page,
                           goto, other_scheme, run_axe, serve_404_at, settle, site_pages, story_ids)
from tests.test_browser_first_screen import banner_numbers, first_screen_problems, story_paths  # noqa: E402

# ---- what to visit ------------------------------------------------------------

@pytest.fixture(scope="module")
def pages(built_site: Path) -> list[str]:
    return site_pages(built_site)


def test_every_page_type_is_visited(built_site: Path, pages: list[str]):
    import yaml

    root = built_site.parent
    taxonomy = yaml.safe_load((root / "stories" / "taxonomy.yml").read_text(encoding="utf-8"))
    pathways = yaml.safe_load((root / "stories" / "pathways.yml").read_text(encoding="utf-8"))
    expected = {"", "404.html", "matrix/", "clinicians/", "contribute/", "glossary/", "about/",
                "chapters/", "domains/", "themes/", "content-notes/", "understanding/"}
    expected |= {f"stories/{s}/" for s in story_ids(built_site)}
    for kind, url in [("chapters", "chapters"), ("domains", "domains"), ("themes", "themes"),
                      ("content_notes", "content-notes")]:
        expected |= {f"{url}/{entry['id']}/" for entry in taxonomy[kind]}
    expected |= {f"clinicians/pathways/{p['id']}/" for p in pathways["pathways"]}
    expected |= {f"understanding/{f.stem}/" for f in (root / "docs" / "understanding").glob("*.md")
                 if f.stem != "index"}
    assert not expected - set(pages), f"pages the browser tests would not visit: {sorted(expected - set(pages))}"
    assert story_ids(built_site), "no story pages to visit"


# ---- accessibility ----------------------------------------------------------

def test_axe_core_is_the_npm_pin(browser, axe, site_server):
    """The axe-core the tests run is npm's, at package.json's exact pin (the lockfile agrees),
    and not older than 4.14.1: a stale node_modules or a Python package's bundled copy fails."""
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    assert re.fullmatch(r"\d+\.\d+\.\d+", axe.pinned), f"package.json pins axe-core loosely: {axe.pinned!r}"
    assert lock["packages"]["node_modules/axe-core"]["version"] == axe.pinned, "package-lock.json disagrees"
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    try:
        goto(page, site_server)
        version, _ = run_axe(page, axe)
    finally:
        context.close()
    assert version == axe.pinned, f"axe-core {version} ran, package.json pins {axe.pinned}: run `make setup`"
    assert tuple(map(int, version.split("."))) >= (4, 14, 1), f"axe-core {version} is older than 4.14.1"


ORIENTATION = {"runOnly": {"type": "rule", "values": ["css-orientation-lock"]}}


def pages_by_stylesheets(site: Path, pages: list[str]) -> dict[tuple, str]:
    """One page for each set of stylesheets the site's pages use (linked, as site paths, and inline)."""
    from urllib.parse import urljoin
    sets: dict[tuple, str] = {}
    for path in pages:
        html = (site / (path if path.endswith(".html") else path + "index.html")).read_text(encoding="utf-8")
        linked = [urljoin("/" + path, h) for h in re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)]
        sets.setdefault((*linked, *re.findall(r"<style[^>]*>(.*?)</style>", html, re.S)), path)
    return sets


def test_no_stylesheet_locks_the_screen_orientation(browser, axe, site_server, built_site, pages):
    """WCAG 2.2 AA 1.3.4 (Orientation). axe's rule for it reads the stylesheets alone and is
    marked experimental, so runs by tag leave it out: it runs here, once per set of stylesheets."""
    context = axe_in_every_page(browser.new_context(viewport={"width": 360, "height": 740}), axe)
    page = context.new_page()
    problems = []
    try:
        for path in pages_by_stylesheets(built_site, pages).values():
            goto(page, site_server + path)
            ran, found = page.evaluate("""o => axe.run(document, o).then(r => [
                [...r.passes, ...r.inapplicable, ...r.violations].some(x => x.id === 'css-orientation-lock'),
                r.violations.map(v => v.help)])""", ORIENTATION)
            assert ran, "axe did not run css-orientation-lock"
            problems += [f"/{path}: {v}" for v in found]
    finally:
        context.close()
    assert not problems, "\n".join(problems)


@dataclass
class DesktopWalk:
    """What one load of every page at 1280 px shows: the checks of three tests, one walk."""
    axe: list[str] = field(default_factory=list)        # violations, both palettes
    csp: list[str] = field(default_factory=list)        # what pages reported while loading
    requests: list[str] = field(default_factory=list)   # every URL the pages asked for
    cookies: list = field(default_factory=list)
    first_screen: dict[str, list[str]] = field(default_factory=dict)  # "story page palette" -> problems


@pytest.fixture(scope="module")
def desktop_walk(browser, axe, site_server, built_site, pages) -> DesktopWalk:
    """Every page in both palettes, loaded once. Axe runs in the palette the page opens in,
    then again after the header's palette switch. A page opens in the palette the reader
    chose last (Material keeps it), the first one in the system's preference: dark, not
    Material's fallback, so opening in dark shows the preference is followed. The 404 page
    is met as a reader meets it, at a deep missing URL."""
    walk, chosen = DesktopWalk(), "dark"
    stories, numbers = set(story_paths(built_site)), banner_numbers(built_site.parent)
    watched = Watched(browser, color_scheme=chosen)
    axe_in_every_page(watched.context, axe)
    watched.context.on("request", lambda r: walk.requests.append(r.url))
    page = watched.page
    try:
        for path, where in [(site_server + p, f"/{p}") for p in pages] + [(None, f"/{MISSING} (404)")]:
            if path is None:
                serve_404_at(page, built_site, site_server)
                goto(page, site_server + MISSING, status=404)
            else:
                goto(page, path)
            def first_screen(scheme: str, path: str = where[1:]) -> None:
                if path in stories:  # test_browser_first_screen.py has the same checks at 360 px
                    walk.first_screen[f"{path} {scheme}"] = first_screen_problems(page, f"{path} {scheme}", numbers)
            walk.axe += _axe_in_both_palettes(page, axe, where, chosen, first_screen)
            walk.csp += watched.drain()   # the load and the palette switch (axe, through DevTools, adds none)
            chosen = other_scheme(chosen)
        document_cookie = page.evaluate("document.cookie")
        walk.cookies = watched.context.cookies() + ([document_cookie] if document_cookie else [])
    finally:
        watched.close()
    return walk


def test_axe_finds_no_violations_on_any_page(desktop_walk: DesktopWalk):
    assert not desktop_walk.axe, f"{len(desktop_walk.axe)} axe violation(s):\n" + "\n".join(desktop_walk.axe)


def test_no_page_reports_a_csp_violation(desktop_walk: DesktopWalk):
    """tests/test_browser_csp.py covers the pages only its fuller site has (a redirect, later hub pages)."""
    assert not desktop_walk.csp, f"{len(desktop_walk.csp)} CSP violation(s):\n" + "\n".join(desktop_walk.csp[:40])


def test_every_story_page_first_screen_at_1280px(desktop_walk: DesktopWalk, built_site):
    """The first-screen checks of test_browser_first_screen.py (crisis banner on one line with
    its numbers, content notes before the chips, the story's first line, no lonely control, no
    sideways scroll) on every story page at 1280 x 900 in both palettes, from the walk's load."""
    wanted = {f"{path} {scheme}" for path in story_paths(built_site) for scheme in SCHEMES}
    assert set(desktop_walk.first_screen) == wanted, "the walk did not measure every story page in both palettes"
    problems = [p for found in desktop_walk.first_screen.values() for p in found]
    assert not problems, "\n".join(problems)


def _axe_in_both_palettes(page, axe, where: str, opens_in: str, before_axe) -> list[str]:
    actual = page.evaluate(PALETTE)
    assert actual == SCHEMES[opens_in], f"{where}: opened in palette {actual!r}, the reader's last choice was {opens_in}"
    # Every rule runs in the palette the page opened in, and runs in the other one on the next
    # page (pages open in the last palette chosen); after the switch, only the rules that read
    # colours. The switch also flips the header's palette toggle, the same markup on every
    # page, which the next page's full run checks in the state the switch left it in.
    return axe_in_both_palettes(page, axe, where, PALETTE_RULES, before_axe)


def test_axe_finds_no_violations_in_interactive_states(browser, axe, site_server, built_site):
    """Search open with results, the mobile drawer, an applied content-note filter, a
    copied link: states a page-load scan never sees. Each is reached once per screen size
    and checked in both palettes; each screen size opens in the other system preference."""
    hub = _filter_hub(built_site)
    story = f"stories/{story_ids(built_site)[0]}/"
    problems = []
    for viewport, scheme in ((DESKTOP, "light"), ({"width": 360, "height": 740}, "dark")):
        context = axe_in_every_page(browser.new_context(color_scheme=scheme, viewport=viewport,
                                                        permissions=["clipboard-read", "clipboard-write"]), axe)
        page = context.new_page()
        where = f"[{viewport['width']} px]"

        def in_both_palettes(state: str, holds: str) -> list[str]:
            found = axe_in_both_palettes(page, axe, f"{state} {where}")
            assert page.evaluate(holds), f"{state} {where}: the palette switch changed the state"
            return found
        try:
            goto(page, site_server + story)
            assert page.evaluate(PALETTE) == SCHEMES[scheme], "the first page ignored the system preference"
            search(page, "Marcus")
            page.click(".rp-facets summary")  # the facets open too
            problems += in_both_palettes(f"/{story} search results and facets",
                                         "document.getElementById('__search').checked && "
                                         "document.querySelector('details.rp-facets').open && "
                                         "document.querySelectorAll('.md-search-result__item').length > 0")
            page.keyboard.press("Escape")
            if viewport["width"] < 400:
                goto(page, site_server + story)
                page.click("label.md-header__button[for='__drawer']")
                page.wait_for_function("document.getElementById('__drawer').checked")
                problems += in_both_palettes(f"/{story} navigation drawer", "document.getElementById('__drawer').checked")
            goto(page, site_server + hub)
            page.locator(".cn-filter input[type=checkbox]").first.check()
            page.wait_for_timeout(400)  # checking scrolls the box into view: let Material's header title swap start
            problems += in_both_palettes(f"/{hub} content-note filter applied",
                                         "document.querySelector('.cn-filter input[type=checkbox]').checked")
            goto(page, site_server + story)
            page.locator("button.copy-link").first.focus()
            page.keyboard.press("Enter")
            page.wait_for_function("document.querySelector('.copy-status').textContent.length > 0")
            problems += in_both_palettes(f"/{story} link copied",
                                         "document.querySelector('.copy-status').textContent.length > 0")
        finally:
            context.close()
    assert not problems, f"{len(problems)} axe violation(s):\n" + "\n".join(problems)


def test_404_page_works_from_a_deep_url(browser, site_server, built_site):
    html = (built_site / "404.html").read_text(encoding="utf-8")
    refs = re.findall(r'(?:href|src)="([^"]*)"', html)
    relative = [r for r in refs if not re.match(r"^(/|#|https?:|tel:|mailto:)", r)]
    assert not relative, f"404.html has relative links that break below the site root: {relative}"
    missing = [r for r in refs if r.startswith("/") and not _exists(built_site, r)]
    assert not missing, f"404.html links to files that are not in the site: {missing}"

    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    failed = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 and MISSING not in r.url else None)
    try:
        serve_404_at(page, built_site, site_server)
        goto(page, site_server + MISSING, status=404)
        assert page.locator("h1").first.inner_text().strip(), "the 404 page has no heading"
        # The theme's stylesheets and scripts loaded from the absolute URLs.
        header_bg = page.evaluate("getComputedStyle(document.querySelector('.md-header')).backgroundColor")
        assert header_bg not in ("rgba(0, 0, 0, 0)", "transparent"), "404 page is unstyled at a deep URL"
        assert page.evaluate("typeof window.document$") == "object", "Material's script did not run on the 404 page"
        page.locator(".not-found-links a").first.click()
        page.wait_for_load_state()
        assert urlparse(page.url).path == "/", page.url
    finally:
        context.close()
    assert not failed, f"requests that failed from the 404 page: {failed}"


def _exists(site: Path, href: str) -> bool:
    path = urlparse(href).path.lstrip("/")
    target = site / path
    return (target / "index.html").is_file() if (path == "" or path.endswith("/") or target.is_dir()) \
        else target.is_file()


# ---- keyboard ---------------------------------------------------------------

FOCUS_INFO = """() => {
  const e = document.activeElement;
  // Material draws the palette toggle's focus ring on the visible label after its hidden radio.
  const ring = e.matches('input.md-option') ? e.nextElementSibling : e;
  const cs = getComputedStyle(ring);
  return {tag: e.tagName.toLowerCase(), cls: e.className || '', id: e.id || '',
          text: (e.innerText || e.getAttribute('aria-label') || '').trim().slice(0, 40),
          style: cs.outlineStyle, width: parseFloat(cs.outlineWidth) || 0};
}"""


def _describe(info: dict) -> str:
    return f"<{info['tag']} class={info['cls']!r} id={info['id']!r}> {info['text']!r}"


def test_skip_link_is_first_and_moves_focus_to_the_content(browser, site_server, built_site, pages):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    try:
        for path in ["", f"stories/{story_ids(built_site)[0]}/", "themes/", "404.html"]:
            goto(page, site_server + path)
            page.keyboard.press("Tab")
            info = page.evaluate(FOCUS_INFO)
            assert "skip-link" in info["cls"], f"/{path}: the first Tab stop is {_describe(info)}, not the skip link"
            box = page.locator("a.skip-link").bounding_box()
            assert box and box["x"] >= 0 and box["y"] >= 0 and box["width"] > 20, \
                f"/{path}: the focused skip link is off screen ({box})"
            assert info["style"] != "none", f"/{path}: the focused skip link has no visible outline"
            page.keyboard.press("Enter")
            assert page.evaluate("document.activeElement.id") == "main-content", \
                f"/{path}: Enter on the skip link did not move focus to the content"
            assert page.evaluate("document.getElementById('main-content').closest('article, main') !== null")
    finally:
        context.close()


def test_every_tab_stop_has_a_visible_focus_ring(browser, site_server, built_site):
    story = f"stories/{story_ids(built_site)[0]}/"
    raw = (built_site / story / "index.html").read_text(encoding="utf-8")
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    try:
        goto(page, site_server + story)
        stops = []
        for _ in range(250):
            page.keyboard.press("Tab")
            info = page.evaluate(FOCUS_INFO)
            if info["tag"] == "body" or (stops and "skip-link" in info["cls"]):
                break
            stops.append(info)
    finally:
        context.close()
    invisible = [_describe(s) for s in stops if s["style"] == "none" or (s["style"] != "auto" and s["width"] <= 0)]
    assert not invisible, "focused without a visible outline:\n" + "\n".join(invisible)
    classes = [s["cls"] for s in stops]
    assert any("print-handout" in c for c in classes), "the Print handout button is not reachable by Tab"
    assert any("md-option" in c for c in classes), "the palette toggle is not reachable by Tab"
    assert sum("copy-link" in c for c in classes) == raw.count('class="copy-link"') > 0, \
        "not every Copy link button is reachable by Tab"


@pytest.fixture
def story_page(browser, site_server, built_site):
    context = browser.new_context(viewport=DESKTOP, color_scheme="light",
                                  permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    story = f"stories/{story_ids(built_site)[0]}/"
    goto(page, site_server + story)
    yield page, story
    context.close()


def test_copy_link_buttons_are_real_buttons_operable_by_keyboard(story_page, site_server, built_site):
    page, story = story_page
    raw = (built_site / story / "index.html").read_text(encoding="utf-8")
    in_html = re.findall(r'<button type="button" class="copy-link"[^>]*>(?:(?!</button>).)*Copy link</span></button>', raw)
    assert in_html, "no Copy link <button> in the served HTML (it must not be added by script)"
    assert page.locator("button.copy-link").count() == len(in_html), "script added or removed Copy link buttons"

    canonical = page.get_attribute("link[rel=canonical]", "href")
    for index, key in [(0, "Enter"), (1, " ")]:
        button = page.locator("button.copy-link").nth(index)
        anchor = button.evaluate("b => b.previousElementSibling.id")
        assert anchor, "a Copy link button must follow the heading it links to"
        expected = f"{canonical}#{anchor}"
        assert button.get_attribute("data-url") == expected
        button.focus()
        page.keyboard.press(key)
        page.wait_for_function("b => b.textContent.trim() === 'Link copied'", arg=button.element_handle(), timeout=5000)
        assert page.evaluate("navigator.clipboard.readText()") == expected
        status = page.locator(".copy-status[role=status]")
        page.wait_for_function("s => s.textContent.includes('Link copied')", arg=status.element_handle(), timeout=5000)
        assert expected in status.inner_text(), "the confirmation for screen readers does not give the link"
        assert button.is_visible()


def test_print_handout_button_is_operable_by_keyboard(story_page):
    page, _ = story_page
    page.evaluate("() => { window.__printCalls = 0; window.print = () => { window.__printCalls += 1; }; }")
    button = page.locator("button.print-handout")
    assert button.evaluate("b => b.tagName") == "BUTTON"
    button.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("window.__printCalls") == 1, "Enter on Print handout did not print"
    page.keyboard.press(" ")
    assert page.evaluate("window.__printCalls") == 2, "Space on Print handout did not print"


def test_palette_toggle_is_operable_by_keyboard(story_page):
    page, _ = story_page
    scheme = "document.body.getAttribute('data-md-color-scheme')"
    assert page.evaluate(scheme) == "default"
    # The focusable radio of the current palette is the one whose label (the visible toggle) is shown.
    page.locator("input.md-option:has(+ label:not([hidden]))").focus()
    page.keyboard.press("Enter")
    page.wait_for_function(f"{scheme} === 'slate'", timeout=5000)
    page.keyboard.press("Enter")
    page.wait_for_function(f"{scheme} === 'default'", timeout=5000)


# ---- privacy ----------------------------------------------------------------

def test_no_request_leaves_localhost_and_no_cookies(browser, site_server, pages, desktop_walk: DesktopWalk):
    """Every page (the walk's requests), then a search and a click on a result."""
    context = browser.new_context(viewport=DESKTOP)
    requests: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    page = context.new_page()
    try:
        goto(page, site_server)
        for query in ("Marcus", "fortress of ice"):
            search(page, query)
        page.locator("li.md-search-result__item a.md-search-result__link").first.click()
        page.wait_for_load_state("networkidle")
        cookies = context.cookies() + desktop_walk.cookies
        document_cookie = page.evaluate("document.cookie")
    finally:
        context.close()
    assert len(desktop_walk.requests) > len(pages), "the walk recorded too few requests: the listener is not on"
    outside = sorted({u for u in desktop_walk.requests + requests
                      if urlparse(u).scheme not in ("data", "blob") and urlparse(u).hostname != "127.0.0.1"})
    assert not outside, f"requests that left 127.0.0.1: {outside}"
    assert any("/pagefind/" in urlparse(u).path for u in requests), "search never loaded its local index"
    assert cookies == [] and document_cookie == "", f"cookies were set: {cookies or document_cookie}"


# ---- print --------------------------------------------------------------------

def _contrast_with_white(css_color: str) -> float:
    r, g, b = (int(v) / 255 for v in re.findall(r"[\d.]+", css_color)[:3])
    lum = sum(w * (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
              for w, c in zip((0.2126, 0.7152, 0.0722), (r, g, b)))
    return 1.05 / (lum + 0.05)


def test_a_handout_prints_dark_on_white_from_the_dark_palette(browser, site_server, built_site):
    context = browser.new_context(color_scheme="dark")
    page = context.new_page()
    try:
        goto(page, site_server + f"stories/{story_ids(built_site)[0]}/")
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
        page.emulate_media(media="print")
        settle(page)  # Material's links fade their colour (transition) when the media changes
        colours = page.evaluate("""(selectors) => selectors.map(s => {
            const e = document.querySelector(s); return [s, e ? getComputedStyle(e).color : null]; })""",
                                ["h1", ".story-person", ".editorial-label", ".story-body p", ".shift dd",
                                 ".reflection li", ".md-banner .crisis a", ".disclaimer", ".handout-url"])
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    finally:
        context.close()
    assert background in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)"), f"the page prints on {background}"
    faint = [f"{s}: {c}" for s, c in colours if c is None or _contrast_with_white(c) < 7]
    assert not faint, "handout text too faint on white paper when printed from the dark palette:\n" + "\n".join(faint)


# ---- search -------------------------------------------------------------------

RESULT_LINKS = "li.md-search-result__item > a.md-search-result__link"


# The search tests themselves are in tests/test_browser_search.py.


# ---- content-note filter -----------------------------------------------------

def _filter_hub(site: Path) -> str:
    """A hub whose filter can hide some, but not all, of its cards."""
    for path in site_pages(site):
        if path.endswith(".html"):
            continue
        html = (site / path / "index.html").read_text(encoding="utf-8")
        notes = re.findall(r'class="story-card" data-content-notes="([^"]*)"', html)
        if 'class="cn-filter"' in html and any(notes) and not all(notes):
            return path
    raise AssertionError("no hub has a content-note filter and a story without content notes")


def test_content_note_filter_hides_cards_with_javascript(browser, site_server, built_site):
    hub = _filter_hub(built_site)
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    try:
        goto(page, site_server + hub)
        fieldset = page.locator(".cn-filter").first
        assert fieldset.is_visible(), f"/{hub}: the content-note filter stays hidden with JavaScript on"
        box = fieldset.locator("input[type=checkbox]").first
        note = box.get_attribute("value")
        assert box.evaluate("b => (b.labels[0] || {}).textContent || ''").strip(), "the checkbox has no label text"
        box.focus()
        page.keyboard.press(" ")  # operable by keyboard
        assert box.is_checked()
        cards = page.locator(".cn-filter ~ .story-cards .story-card").all() or page.locator(".story-card").all()
        hidden = 0
        for card in cards:
            carries = note in (card.get_attribute("data-content-notes") or "").split()
            assert card.is_visible() != carries, f"/{hub}: a card {'with' if carries else 'without'} {note!r} " \
                                                 f"is {'shown' if card.is_visible() else 'hidden'}"
            hidden += carries
        assert hidden > 0
        assert str(hidden) in fieldset.locator(".cn-status").inner_text(), "the filter does not say how many it hid"
        box.uncheck()
        assert all(card.is_visible() for card in cards)
    finally:
        context.close()


def test_without_javascript_every_card_is_visible_and_labelled(browser, site_server, built_site):
    hub = _filter_hub(built_site)
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    page = context.new_page()
    try:
        goto(page, site_server + hub)
        assert not page.locator(".cn-filter").first.is_visible(), "a filter that cannot work is shown"
        cards = page.locator(".story-card").all()
        assert cards
        for card in cards:
            assert card.is_visible()
            if card.get_attribute("data-content-notes"):
                notes = card.locator(".card-notes")
                assert notes.is_visible() and "Content notes" in notes.inner_text()
    finally:
        context.close()
