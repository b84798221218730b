"""The content-note filter keeps its promise on every page: with a note hidden, no page of
the built site shows a link to a story that carries it (cards, link lists, an essay's story
links, the chapter links, "Related stories", pathways, the reading-list builder and the
patient's view of a list), and a page without the checkboxes says what it hid.

One browser context and one tab for the whole walk; the time it takes is printed (run with
-s), never asserted. tests/test_toolkit.py checks the markup of every page without a browser."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser import DESKTOP, SCHEMES, axe_violations, goto, site_pages

pytestmark = pytest.mark.browser

LIST = "clinicians/list/"

# Choose one note (and apply it as the page does), then list the problems: visible links to a
# story carrying it (by address, other than the page itself), and stories hidden on a page
# without checkboxes that does not say so.
CHOOSE_AND_CHECK = """([note, ids, apply]) => {
    if (apply) { localStorage.setItem('ripples.hiddenNotes', JSON.stringify([note])); window.ripplesNotes.apply(); }
    const shown = [...document.querySelectorAll('a[href]')].filter(a => {
        const url = new URL(a.href, location.href);
        const m = /^\\/stories\\/([a-z0-9-]+)\\/$/.exec(url.pathname);
        return m && ids.includes(m[1]) && url.pathname !== location.pathname && a.checkVisibility();
    }).map(a => a.getAttribute('href') + ' (' + a.textContent.trim().slice(0, 40) + ')');
    const notice = document.querySelector('.cn-notice');
    const said = document.querySelector('.cn-filter') ||
                 (notice && notice.checkVisibility() && notice.textContent.includes('not shown'));
    return document.querySelector('[data-cn-hidden]') && !said ? shown.concat(['hidden without saying so']) : shown;
}"""


def handbook(site: Path):
    """The stories the site was built from (with the contributed, unreviewed ones)."""
    from macros.read.handbook import load_handbook
    hb, problems = load_handbook(site.parent)
    assert not problems
    return hb


def wait_for_scripts(page, path: str) -> None:
    """The reading list draws its cards after fetching its data."""
    if path.startswith(LIST):
        page.wait_for_selector(".rl-catalogue li, .rl-view-list li, .rl-missing:not([hidden])", state="attached")


def test_a_hidden_note_hides_every_link_to_its_stories_on_every_page(browser, site_server, built_site):
    """Every page is loaded once, with one note already chosen (a different one from page to
    page, so each note is applied on load somewhere); then each note in turn is chosen and
    applied by the function the page runs on load and on every change (ripplesNotes.apply).
    One load per page instead of one per page and note: 11x cheaper, same states checked."""
    from macros.render.listcodes import story_code
    hb = handbook(built_site)
    notes = hb.taxonomy.ids("content_notes")
    carrying = {n: [s.id for s in hb.stories if n in s.meta.content_notes] for n in notes}
    every_list = LIST + "#c=" + ",".join(story_code(s.id) for s in hb.stories)
    pages = site_pages(built_site) + [every_list]
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    problems, checks = [], 0
    goto(page, site_server)
    try:
        for i, path in enumerate(pages):
            first = notes[i % len(notes)]
            page.evaluate("n => localStorage.setItem('ripples.hiddenNotes', JSON.stringify([n]))", first)
            if "#" in path:
                page.goto("about:blank")  # a new hash alone would not load the list again
            goto(page, site_server + path)
            wait_for_scripts(page, path)
            cases = [[note, carrying[note], note != first] for note in [first] + [n for n in notes if n != first]]
            checks += len(cases)
            # One call for every note in turn (in the page, in order): 11 round trips fewer a page.
            found = page.evaluate(f"cases => cases.map({CHOOSE_AND_CHECK})", cases)
            problems += [f"{note}: /{path}: {problem}" for (note, _, _), each in zip(cases, found) for problem in each]
    finally:
        context.close()
    print(f"\ncontent-note filter: {len(pages)} pages loaded, {checks} (page, note) states checked")
    assert not problems, f"{len(problems)} visible link(s) to hidden stories:\n" + "\n".join(problems[:40])


@pytest.mark.parametrize("scheme", sorted(SCHEMES))
def test_show_all_stories_on_a_page_without_checkboxes_brings_them_back(browser, axe, site_server, built_site, scheme):
    hb = handbook(built_site)
    context = browser.new_context(viewport=DESKTOP, color_scheme=scheme)
    page = context.new_page()
    try:
        goto(page, site_server)
        notes = sorted({n for s in hb.stories for n in s.meta.content_notes})
        page.evaluate("n => localStorage.setItem('ripples.hiddenNotes', JSON.stringify(n))", notes)
        goto(page, site_server + "understanding/common-themes/")
        assert page.locator(".theme-links li[data-cn-hidden]").count() > 0
        notice = page.locator(".cn-notice")
        assert notice.is_visible()
        problems = axe_violations(page, axe, f"essay with stories hidden [{scheme}]")
        notice.locator("button.cn-reset").click()
        assert page.evaluate("localStorage.getItem('ripples.hiddenNotes')") is None
        assert page.locator("[data-cn-hidden]").count() == 0
        assert notice.inner_text().strip() == "All stories are shown."
        assert page.evaluate("document.activeElement.className") == "cn-notice", "focus was lost"
        problems += axe_violations(page, axe, f"essay after Show all [{scheme}]")
        assert not problems, "\n".join(problems)
    finally:
        context.close()
