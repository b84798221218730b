"""A hub's later pages in Chromium: `full_site` pages hubs 3 stories at a time, so the
pager, its keyboard use and tap targets, axe and the content-note filter on page 2 are
exercised with the real stories (the real site has 48 a page, which 22 stories never fill)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import FULL_SITE_PAGE_SIZE, serve_dir
from tests.browser import DESKTOP, SCHEMES, axe_violations, goto, site_pages

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def hub_server(full_site: Path):
    with serve_dir(full_site) as base:
        yield base


def second_pages(site: Path) -> list[str]:
    return [p for p in site_pages(site) if re.fullmatch(r"[a-z-]+/[a-z0-9-]+/page/2/", p)]


def test_full_site_has_paged_relationship_and_theme_hubs(full_site: Path):
    kinds = {p.split("/")[0] for p in second_pages(full_site)}
    assert {"domains", "themes"} <= kinds, f"hubs with a page 2: {sorted(kinds)}"


@pytest.mark.parametrize("scheme", sorted(SCHEMES))
def test_paged_hubs_have_no_axe_violations(browser, axe, hub_server, full_site: Path, scheme: str):
    context = browser.new_context(color_scheme=scheme, viewport=DESKTOP)
    page = context.new_page()
    problems = []
    try:
        for path in second_pages(full_site)[:6]:
            goto(page, hub_server + path)
            problems += axe_violations(page, axe, f"/{path} [{scheme}]")
    finally:
        context.close()
    assert not problems, f"{len(problems)} axe violation(s):\n" + "\n".join(problems)


def test_the_pager_works_by_keyboard_and_is_easy_to_tap(browser, hub_server, full_site: Path):
    hub = second_pages(full_site)[0].removesuffix("page/2/")
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    try:
        goto(page, hub_server + hub)
        pager = page.locator("nav.pager")
        assert pager.get_attribute("aria-label"), "the pager has no accessible name"
        assert pager.locator('[aria-current="page"]').inner_text() == "1"
        for link in pager.locator("a").all():
            box = link.bounding_box()
            assert box and box["width"] >= 24 and box["height"] >= 24, f"pager target too small: {box}"
        following = pager.locator('a[rel="next"]')
        following.focus()
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"/page/2/$"))
        assert page.locator('nav.pager [aria-current="page"]').inner_text() == "2"
        assert page.locator(".story-card").count() <= FULL_SITE_PAGE_SIZE
        page.locator('nav.pager a[rel="prev"]').click()
        page.wait_for_url(re.compile(re.escape(hub) + "$"))
    finally:
        context.close()


def test_the_content_note_filter_works_on_a_later_page(browser, hub_server, full_site: Path):
    later = next((p for p in site_pages(full_site) if "/page/" in p
                  and 'class="cn-filter"' in (full_site / p / "index.html").read_text(encoding="utf-8")), None)
    assert later, "no later hub page offers the content-note filter"
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    try:
        goto(page, hub_server + later)
        box = page.locator(".cn-filter input[type=checkbox]").first
        note = box.get_attribute("value")
        box.check()
        cards = page.locator(".story-card").all()
        assert any(note in (c.get_attribute("data-content-notes") or "").split() for c in cards)
        for card in cards:
            carries = note in (card.get_attribute("data-content-notes") or "").split()
            assert card.is_visible() != carries, f"/{later}: filter on {note!r} is wrong for a card"
    finally:
        context.close()
