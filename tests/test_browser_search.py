"""Search (Pagefind, overrides/assets/search.js) in Debian's Chromium.

Finding a story by a person's name, a theme and a phrase; each facet (relationship,
theme, chapter) narrowing to exactly the stories that carry the chosen value; the
shared content-note preference leaving out exactly the stories with that note;
keyboard-only use; privacy with search used; links instead of the field without
scripts; and the bytes a first visit and a first search transfer from a gzip
server, at whatever size the suite's handbook is.

Expected sets are read from the story files' front matter.
"""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest

pytestmark = pytest.mark.browser

from tests.browser import DESKTOP, goto, load_bench, search, story_ids  # noqa: E402
from tests.conftest import ROOT  # noqa: E402
from tests.test_browser import RESULT_LINKS  # noqa: E402

FACETS = ("relationship", "theme", "chapter")
BROAD = "story"  # every story page says "Their story": a query that matches them all
NOTES_KEY = "ripples.hiddenNotes"
KB = 1024


# ---- what the built pages say -------------------------------------------------

@pytest.fixture(scope="module")
def filters(built_site: Path) -> dict[str, dict[str, set[str]]]:
    """/stories/<id>/ -> facet -> values, from each story file's front matter."""
    import yaml

    out = {}
    for sid in story_ids(built_site):
        text = (built_site.parent / "stories" / f"{sid}.md").read_text(encoding="utf-8")
        meta = yaml.safe_load(text.split("---\n", 2)[1])
        out[f"/stories/{sid}/"] = {"relationship": set(meta["domains"]), "theme": set(meta["themes"]),
                                   "chapter": {meta["chapter"]}, "note": set(meta["content_notes"])}
    return out


def test_served_pages_are_not_changed_for_search(built_site: Path):
    """Pagefind reads copies of the articles: the pages readers get carry no index markup."""
    html = (built_site / "stories" / story_ids(built_site)[0] / "index.html").read_text(encoding="utf-8")
    assert "data-pagefind" not in html


def _some_not_all(filters, name: str) -> str:
    """A value of filter `name` that some, but not all, stories carry."""
    counts: dict[str, int] = {}
    for found in filters.values():
        for value in found.get(name, ()):
            counts[value] = counts.get(value, 0) + 1
    return max((v for v, n in counts.items() if 0 < n < len(filters)), key=lambda v: (counts[v], v))


# ---- driving the UI -------------------------------------------------------------

def _wait_done(page):
    page.wait_for_function("document.querySelector('[data-rp-search]').getAttribute('data-rp-state') === 'done'",
                           timeout=15000)


def _count(page) -> int:
    text = page.inner_text(".md-search-result__meta")
    match = re.match(r"(\d+) matching", text)
    return int(match.group(1)) if match else 0


def _all_results(page) -> list[str]:
    """Every result's path (Show more until there is no more)."""
    more = page.locator(".rp-search-more")
    while more.is_visible():
        shown = page.locator(RESULT_LINKS).count()
        more.click()
        page.wait_for_function("([sel, n]) => document.querySelectorAll(sel).length > n", arg=[RESULT_LINKS, shown])
    links = page.eval_on_selector_all(RESULT_LINKS, "els => els.map(a => a.href)")
    assert len(links) == _count(page), "the count does not match the results listed"
    return [urlparse(u).path for u in links]


def _stories(paths: list[str]) -> set[str]:
    return {p for p in paths if p.startswith("/stories/")}


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    yield page
    context.close()


# ---- finding ----------------------------------------------------------------------

@pytest.mark.parametrize("query, story", [
    ("Marcus", "marcus-dismantling-walls-built-by-trauma"),           # a person's name
    ("People-pleasing", "lisa-from-people-pleaser-to-self-advocate"),  # a theme's name
    ("fortress of ice", "marcus-dismantling-walls-built-by-trauma"),  # a phrase from the story
])
def test_search_finds_the_story(page, site_server, query, story):
    goto(page, site_server)
    search(page, query)
    wanted = urljoin(site_server, f"stories/{story}/")
    shown = page.eval_on_selector_all(RESULT_LINKS, "els => els.slice(0, 10).map(a => a.href.split('#')[0])")
    assert wanted in shown, f"searching {query!r} did not list {wanted} among the first results: {shown}"
    excerpt = page.locator(RESULT_LINKS).nth(shown.index(wanted)).locator("mark")
    assert excerpt.count() > 0, "the excerpt does not mark the match"


def test_only_articles_are_indexed(page, site_server, built_site):
    """Hubs (which only repeat cards), buttons and the crisis banner are not search results."""
    goto(page, site_server)
    search(page, "Copy link")
    assert not _stories(_all_results(page)), "button labels are indexed"
    crisis = max(re.findall(r"[A-Za-z]+", page.inner_text(".md-banner .crisis")), key=len)
    search(page, crisis)
    paths = _all_results(page)
    assert not [p for p in paths if p.startswith(("/domains/", "/themes/", "/chapters/", "/content-notes/"))], paths
    assert not _stories(paths), f"the crisis banner ({crisis!r}) is indexed with the stories: {paths}"


# ---- facets -------------------------------------------------------------------------

@pytest.mark.parametrize("facet", FACETS)
def test_each_facet_narrows_to_exactly_the_stories_carrying_it(page, site_server, filters, facet):
    goto(page, site_server)
    search(page, BROAD)
    everything = _stories(_all_results(page))
    assert everything == set(filters), f"{BROAD!r} should find every story; missing {set(filters) - everything}"
    value = _some_not_all(filters, facet)
    page.click(".rp-facets summary")
    page.select_option(f"select[data-rp-facet={facet}]", value)
    _wait_done(page)
    found = _all_results(page)
    expected = {p for p, f in filters.items() if value in f.get(facet, ())}
    assert set(found) == expected, (f"{facet}={value}: shown but not carrying it {sorted(set(found) - expected)}; "
                                    f"carrying it but not shown {sorted(expected - set(found))}")
    assert 0 < len(found) < len(everything)
    assert "1 on" in page.inner_text(".rp-facets summary"), "the closed facet panel does not say a filter is on"


def test_content_note_preference_hides_exactly_the_stories_carrying_the_note(browser, site_server, filters):
    note = _some_not_all(filters, "note")
    carrying = {p for p, f in filters.items() if note in f.get("note", ())}
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    try:
        goto(page, site_server)
        search(page, BROAD)
        before = _all_results(page)
        assert page.evaluate(f"localStorage.getItem('{NOTES_KEY}')") is None, "stored before the reader chose"
        page.click(".rp-facets summary")
        page.check(f".rp-notes input[value='{note}']")
        _wait_done(page)
        after = _all_results(page)
        assert set(before) - set(after) == carrying, \
            f"hiding {note!r} left out {sorted(set(before) - set(after))}, expected exactly {sorted(carrying)}"
        assert set(after) <= set(before)
        assert page.evaluate(f"JSON.parse(localStorage.getItem('{NOTES_KEY}'))") == [note]

        # The same preference (as the hubs' filter stores it) applies on the next page.
        goto(page, site_server + "about/")
        search(page, BROAD)
        assert set(_all_results(page)) == set(after)
        assert page.locator(f".rp-notes input[value='{note}']").is_checked()
        page.click(".rp-facets summary")
        page.uncheck(f".rp-notes input[value='{note}']")
        _wait_done(page)
        assert set(_all_results(page)) == set(before)
        assert page.evaluate(f"localStorage.getItem('{NOTES_KEY}')") is None, "an empty choice is forgotten"
    finally:
        context.close()


# ---- keyboard -----------------------------------------------------------------------

def test_keyboard_only_search(page, site_server):
    story = urljoin(site_server, "stories/marcus-dismantling-walls-built-by-trauma/")
    goto(page, site_server + "about/")
    is_open = "document.getElementById('__search').checked"
    for key in ("/", "s"):
        page.keyboard.press(key)
        assert page.evaluate(is_open), f"{key!r} did not open search"
        assert page.evaluate("document.activeElement.classList.contains('md-search__input')")
        page.keyboard.press("Escape")
        assert not page.evaluate(is_open), "Esc did not close search"
    page.keyboard.press("/")
    page.keyboard.type("Marcus")
    _wait_done(page)
    links = page.eval_on_selector_all(RESULT_LINKS, "els => els.map(a => a.href)")
    assert len(links) >= 2
    active = "document.activeElement.href || document.activeElement.className"
    page.keyboard.press("ArrowDown")
    assert page.evaluate(active) == links[0]
    page.keyboard.press("ArrowDown")
    assert page.evaluate(active) == links[1]
    page.keyboard.press("ArrowUp")
    assert page.evaluate(active) == links[0]
    page.keyboard.press("ArrowUp")
    assert "md-search__input" in page.evaluate(active)
    page.keyboard.press("Enter")  # Enter in the field opens the first result
    page.wait_for_url(links[0])
    assert links[0] == story
    assert urlparse(page.url).query == ""


def test_without_scripts_the_field_gives_way_to_links(browser, site_server):
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    page = context.new_page()
    try:
        goto(page, site_server + "about/")
        assert not page.locator(".md-search").is_visible()
        assert not page.locator("label.md-header__button[for='__search']").is_visible()
        links = page.locator(".rp-search-links a")
        paths = [urlparse(urljoin(page.url, links.nth(i).get_attribute("href"))).path for i in range(links.count())]
        assert paths == ["/chapters/", "/domains/", "/themes/"]
        assert all(links.nth(i).is_visible() for i in range(links.count()))
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
    finally:
        context.close()


# ---- privacy ------------------------------------------------------------------------

def test_search_is_private(browser, site_server, filters):
    context = browser.new_context(viewport=DESKTOP)
    requests: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    page = context.new_page()
    try:
        goto(page, site_server + "about/")
        address = page.url
        for query in ("Marcus", "fortress of ice", "xyzzyplugh"):
            search(page, query)
            assert page.url == address, f"the query reached the address bar: {page.url}"
        page.click(".rp-facets summary")
        page.select_option("select[data-rp-facet=theme]", _some_not_all(filters, "theme"))
        _wait_done(page)
        assert page.url == address
        storage = page.evaluate("Object.keys(localStorage).concat(Object.keys(sessionStorage))")
        cookies = context.cookies()
    finally:
        context.close()
    outside = sorted({u for u in requests if urlparse(u).scheme not in ("data", "blob")
                      and urlparse(u).hostname != "127.0.0.1"})
    assert not outside, f"requests that left 127.0.0.1: {outside}"
    assert any("/pagefind/" in u for u in requests), "search never loaded its local index"
    leaked = [u for u in requests if re.search(r"marcus|fortress|xyzzy", urlparse(u).path + urlparse(u).query, re.I)
              and "/stories/" not in urlparse(u).path]
    assert not leaked, f"a query was sent in a request: {leaked}"
    stored = [k for k in storage if not k.endswith("__palette")]  # Material's palette preference
    assert stored == [] and cookies == [], f"search stored something: {stored} {cookies}"


# ---- weight --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def gzip_server(built_site: Path):
    """The built site served with gzip (bench/serve.py), counting the bytes of every body
    sent: the benchmark's own server, so the test and bench/ measure the same way."""
    server, sent = load_bench("search_bytes").counting_server(built_site)
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", sent
    finally:
        server.shutdown()


def test_first_visit_and_first_search_bytes(browser, gzip_server, built_site):
    base, sent = gzip_server
    story = f"stories/{story_ids(built_site)[0]}/"
    context = browser.new_context(viewport=DESKTOP)  # a fresh cache: a first visit
    page = context.new_page()
    try:
        sent.clear()
        goto(page, base + story)
        page.wait_for_load_state("networkidle")
        first_visit = list(sent)
        sent.clear()
        search(page, "Marcus")
        page.wait_for_load_state("networkidle")
        first_search = list(sent)
        sent.clear()
        page.keyboard.type(" s")
        _wait_done(page)
        page.wait_for_load_state("networkidle")
        keystroke = list(sent)
    finally:
        context.close()
    visit, searched, key = (sum(n for _, n in part) for part in (first_visit, first_search, keystroke))
    index = sum(n for p, n in first_search if "/pagefind/" in p)
    print(f"\nfirst visit {visit / KB:.1f} KB ({len(first_visit)} requests), first search {searched / KB:.1f} KB "
          f"(index {index / KB:.1f} KB), next keystrokes {key / KB:.1f} KB")
    assert not [p for p, _ in first_visit if "/pagefind/" in p or "/search/" in p], \
        "the first visit downloads part of the search index"
    assert visit <= 150 * KB, f"a story page's first visit transfers {visit / KB:.1f} KB (budget 150 KB)"
    assert 0 < index and searched <= 300 * KB, f"the first search transfers {searched / KB:.1f} KB (budget 300 KB)"
    assert key <= 50 * KB, f"a further keystroke transfers {key / KB:.1f} KB (budget 50 KB)"


def test_a_shared_search_link_opens_search_with_results(page, site_server):
    goto(page, site_server + "about/#search=Marcus")
    page.wait_for_function("document.getElementById('__search').checked")
    _wait_done(page)
    shown = page.eval_on_selector_all(RESULT_LINKS, "els => els.map(a => urlparse_path(a))".replace(
        "urlparse_path(a)", "new URL(a.href).pathname"))
    assert "/stories/marcus-dismantling-walls-built-by-trauma/" in shown, shown
