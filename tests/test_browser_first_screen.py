"""The first screen of every story page, as a reader on a phone meets it (issue 22).

At 360x740 and 1280x900 (the latter on test_browser.py's walk), in both palettes, on every
story page the built site has:
the crisis banner is compact (at most 80 px high on a phone, one line on a wide screen)
and shows the first phone numbers of stories/handbook.yml as tel:/sms: links plus
"More help"; the content notes (or "No content notes") are on the first screen, above
the chips; the story's first line is within one and a half screens; no heading is
followed by a control on a line of its own; nothing scrolls sideways; axe finds nothing.
The same geometry holds when every story awaits editorial review (its banner on top).
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from macros.read.handbook import load_handbook
from macros.render.toolkit import BANNER_NUMBERS
from tests.browser import (AXE_OPTIONS, DESKTOP, PALETTE, PALETTE_RULES, SCHEMES, axe_in_every_page, axe_violations,
                           goto, other_scheme, site_pages, switch_palette)
from tests.conftest import build, copy_repo, serve_dir

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
CRISIS_MAX_PX = 80       # about two lines of links
FIRST_LINE_SCREENS = 1.5  # the story's first line, in screen heights

# Headings followed by a control on a line of its own: an element that is or holds only
# buttons, right after a heading, starting below the heading's box.
LONELY = """() => {
  const onlyControls = e => e.matches('button, input, select') || (!!e.querySelector('button') &&
    [...e.childNodes].every(c => c.nodeType === 3 ? !c.textContent.trim() : c.matches('button')));
  const out = [];
  for (const h of document.querySelectorAll('.md-content h1, .md-content h2, .md-content h3')) {
    const next = h.nextElementSibling;
    if (!next || !h.checkVisibility() || !next.checkVisibility() || !onlyControls(next)) continue;
    if (next.getBoundingClientRect().top >= h.getBoundingClientRect().bottom - 1)
      out.push(h.tagName.toLowerCase() + '#' + h.id + ' is followed by ' + next.tagName.toLowerCase()
               + '.' + next.className);
  }
  return out;
}"""

# Everything the checks need from one page, measured in the page (CSS px from the top of the document).
MEASURE = """() => {
  const box = e => { const r = e.getBoundingClientRect(); return {top: r.top + scrollY, bottom: r.bottom + scrollY,
                                                                   left: r.left, right: r.right, height: r.height}; };
  const shown = e => e && e.checkVisibility({opacityProperty: true, visibilityProperty: true});
  const banner = document.querySelector('.md-banner');
  const crisis = banner.querySelector('.crisis');
  const items = [...crisis.querySelectorAll('.crisis-title, li, .crisis-more, .crisis-emergency')].filter(shown);
  const phones = [...crisis.querySelectorAll('a[href^="tel:"], a[href^="sms:"]')].filter(shown)
    .filter(a => box(a).bottom <= innerHeight).map(a => a.getAttribute('href'));
  const more = [...crisis.querySelectorAll('a')].find(a => a.textContent.trim() === 'More help');
  const notes = document.querySelector('.story-header .content-notes');
  const chips = document.querySelector('.story-header .chips');
  const firstText = document.querySelector('.story-body p');
  const range = document.createRange();
  if (firstText) range.selectNodeContents(firstText);
  const firstLine = firstText ? range.getClientRects()[0].top + scrollY : null;
  const lonely = (""" + LONELY + """)();
  return {bannerHeight: box(banner).height, lines: new Set(items.map(e => Math.round(box(e).top))).size,
          phones, more: more && shown(more) ? more.getAttribute('href') : null,
          notes: notes && shown(notes) ? {...box(notes), text: notes.textContent.trim()} : null,
          chipsTop: chips ? box(chips).top : null, firstLine, lonely,
          scrollWidth: document.documentElement.scrollWidth, width: innerWidth, height: innerHeight};
}"""


def story_paths(site: Path) -> list[str]:
    """Every story page this build made (a publish build may hold some stories back)."""
    paths = sorted(f"stories/{p.parent.name}/" for p in (site / "stories").glob("*/index.html"))
    assert paths, f"{site} has no story pages"
    return paths


def banner_numbers(root: Path) -> list[str]:
    """The phone numbers the banner must show: the first ones handbook.yml lists."""
    hb, problems = load_handbook(root)
    assert not problems, problems
    return [line.href for line in hb.settings.crisis.lines if line.href.startswith(("tel:", "sms:"))][:BANNER_NUMBERS]


def first_screen_problems(page, path: str, numbers: list[str]) -> list[str]:
    m = page.evaluate(MEASURE)
    where, out = f"/{path} [{m['width']}x{m['height']}]", []
    phone = m["width"] < 600
    if phone and m["bannerHeight"] > CRISIS_MAX_PX:
        out.append(f"{where}: the crisis banner is {m['bannerHeight']:.0f} px high (at most {CRISIS_MAX_PX})")
    if not phone and m["lines"] != 1:
        out.append(f"{where}: the crisis banner takes {m['lines']} lines on a wide screen (one)")
    if m["phones"] != numbers:
        out.append(f"{where}: the banner shows {m['phones']} on the first screen, not {numbers}")
    if not (m["more"] or "").endswith("about/#crisis"):
        out.append(f"{where}: no visible More help link to the full list ({m['more']})")
    notes = m["notes"]
    if notes is None:
        out.append(f"{where}: no content notes box")
    else:
        if notes["bottom"] > m["height"]:
            out.append(f"{where}: the content notes end at {notes['bottom']:.0f} px, below the first screen")
        if not re.match(r"(Content notes:|No content notes)", notes["text"]):
            out.append(f"{where}: the content notes box says {notes['text'][:60]!r}")
        if m["chipsTop"] is not None and m["chipsTop"] < notes["top"]:
            out.append(f"{where}: the chips come before the content notes")
    if m["firstLine"] is None or m["firstLine"] > FIRST_LINE_SCREENS * m["height"]:
        out.append(f"{where}: the story's first line is at {m['firstLine']} px "
                   f"(within {FIRST_LINE_SCREENS * m['height']:.0f})")
    out += [f"{where}: {x} on a line of its own" for x in m["lonely"]]
    if m["scrollWidth"] > m["width"]:
        out.append(f"{where}: the page is {m['scrollWidth']} px wide and scrolls sideways")
    return out


def test_every_story_page_first_screen(browser, axe, site_server, built_site):
    """Each story page is loaded once at 360 x 740 and checked in both palettes: in the one it
    opens in (the one chosen last, as Material keeps it, so pages alternate), then after the
    header's palette switch. The same checks at 1280 x 900 run on test_browser.py's walk, which
    loads every page at that size anyway (test_every_story_page_first_screen_at_1280px)."""
    numbers = banner_numbers(built_site.parent)
    assert numbers, "handbook.yml lists no tel: or sms: crisis line for the banner"
    chosen = "light"
    context = axe_in_every_page(browser.new_context(viewport=PHONE, color_scheme=chosen), axe)
    page = context.new_page()
    problems = []
    try:
        for path in story_paths(built_site):
            goto(page, site_server + path)
            assert page.evaluate(PALETTE) == SCHEMES[chosen], f"/{path} did not open in the palette chosen last"
            for scheme, rules in ((chosen, AXE_OPTIONS), (other_scheme(chosen), PALETTE_RULES)):
                switch_palette(page, scheme)  # the first time: already there, only the media emulation
                problems += first_screen_problems(page, f"{path} {scheme}", numbers)
                # After the switch only the rules that read colours: as in test_browser.py's walk,
                # pages open in alternate palettes, so every rule runs in both.
                problems += axe_violations(page, axe, f"/{path} [{scheme}, 360x740]", rules)
            chosen = scheme
    finally:
        context.close()
    assert not problems, "\n".join(problems)


@pytest.fixture(scope="module")
def unreviewed_site(tmp_path_factory) -> Path:
    """The handbook with every story awaiting editorial review (`reviewed:` left empty, as
    `make new` leaves it): its "Awaiting editorial review" banner tops every story page."""
    root = copy_repo(tmp_path_factory.mktemp("unreviewed") / "repo")
    for story in (root / "stories").glob("*.md"):
        text = story.read_text(encoding="utf-8")
        story.write_text(re.sub(r"^reviewed:.*$", "reviewed:", text, count=1, flags=re.M), encoding="utf-8")
    result = build(root)
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "site"


def test_the_first_screen_holds_for_stories_awaiting_review(browser, unreviewed_site):
    numbers = banner_numbers(unreviewed_site.parent)
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    problems = []
    try:
        with serve_dir(unreviewed_site) as base:
            for path in story_paths(unreviewed_site):
                goto(page, base + path)
                assert page.locator(".review-pending").is_visible(), f"/{path}: no review banner"
                problems += first_screen_problems(page, path, numbers)
    finally:
        context.close()
    assert not problems, "\n".join(problems)


WIDER = """() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 361)
    .slice(-3).map(e => e.tagName.toLowerCase() + '.' + e.className)"""


@pytest.fixture(scope="module")
def phone_walk(browser, site_server, built_site) -> dict[str, dict]:
    """Every page but the stories loaded once at 360 x 740, and what two tests need from that
    load: how wide the page is (and what sticks out), and which controls sit on a line of their
    own. Story pages get the same two checks in test_every_story_page_first_screen, at 360 px
    in both palettes (first_screen_problems)."""
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    seen = {}
    stories = set(story_paths(built_site))
    try:
        for path in (p for p in site_pages(built_site) if p not in stories):
            goto(page, site_server + path)
            width = page.evaluate("document.documentElement.scrollWidth")
            seen[path] = {"width": width, "wider": page.evaluate(WIDER) if width > PHONE["width"] else [],
                          "lonely": page.evaluate(LONELY)}
    finally:
        context.close()
    return seen


def test_no_page_scrolls_sideways_at_360px(phone_walk):
    wide = [f"/{path}: {p['width']} px wide ({p['wider']})" for path, p in phone_walk.items() if p["width"] > 360]
    assert not wide, "pages wider than a 360 px screen:\n" + "\n".join(wide)


def test_no_heading_is_followed_by_a_control_on_its_own_line(phone_walk):
    """Every page, not only stories: section links sit in the heading's row."""
    problems = [f"/{path}: {x} on a line of its own" for path, p in phone_walk.items() for x in p["lonely"]]
    assert not problems, "\n".join(problems)


def test_more_help_leads_to_every_crisis_line_without_scripts(browser, site_server, built_site):
    hb, _ = load_handbook(built_site.parent)
    crisis = hb.settings.crisis
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    try:
        goto(page, site_server + story_paths(built_site)[0])
        assert page.evaluate("document.querySelector('.md-banner').getBoundingClientRect().height") <= CRISIS_MAX_PX
        page.locator(".md-banner a", has_text="More help").click()
        page.wait_for_url("**/about/#crisis")
        full = page.locator(".md-content aside.crisis")
        for text in (crisis.title, *(line.label for line in crisis.lines), crisis.emergency):
            assert full.get_by_text(text, exact=True).is_visible(), f"/about/#crisis does not show {text!r}"
    finally:
        context.close()


def test_the_printed_banner_keeps_every_crisis_line(browser, site_server, built_site):
    hb, _ = load_handbook(built_site.parent)
    context = browser.new_context()
    page = context.new_page()
    page.emulate_media(media="print")
    try:
        goto(page, site_server + story_paths(built_site)[0])
        banner = page.locator(".md-banner .crisis")
        for line in hb.settings.crisis.lines:
            assert banner.get_by_text(line.label, exact=True).is_visible(), f"the handout leaves out {line.label!r}"
        assert banner.get_by_text(hb.settings.crisis.emergency).is_visible()
        assert not banner.get_by_text("More help").is_visible(), "a handout cannot follow a link"
    finally:
        context.close()


SECTION_LINK = """b => { const r = b.getBoundingClientRect(), h = b.previousElementSibling.getBoundingClientRect();
  return {opacity: getComputedStyle(b).opacity, width: r.width, height: r.height,
          inRow: r.top < h.top + parseFloat(getComputedStyle(b.previousElementSibling).lineHeight) && r.left >= h.right - 1}; }"""


def test_section_links_show_on_touch_and_copy_with_a_tap(browser, site_server):
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True,
                                  permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    try:
        goto(page, site_server + "about/kap/")
        button = page.locator(".section-head > button.copy-link").first
        m = button.evaluate(SECTION_LINK)
        assert m["opacity"] == "1" and m["inRow"], m
        assert m["width"] >= 24 and m["height"] >= 24, f"the section link is a {m['width']}x{m['height']} px target"
        button.tap()
        page.wait_for_function("b => b.textContent.trim() === 'Link copied'", arg=button.element_handle())
        assert page.evaluate("navigator.clipboard.readText()") == button.get_attribute("data-url")
        assert button.locator(".copy-link-text").is_visible(), "a tap gets no visible answer"
    finally:
        context.close()


def test_section_links_show_on_hover_and_focus_with_a_pointer(browser, site_server):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    try:
        goto(page, site_server + "about/kap/")
        button = page.locator(".section-head > button.copy-link").nth(1)
        assert button.evaluate(SECTION_LINK)["opacity"] == "0", "a pointer sees section links only when it asks"
        page.locator(".section-head").nth(1).hover()
        page.wait_for_function("b => getComputedStyle(b).opacity === '1'", arg=button.element_handle())
        assert button.evaluate(SECTION_LINK)["inRow"]
        page.mouse.move(0, 0)
        page.wait_for_function("b => getComputedStyle(b).opacity === '0'", arg=button.element_handle())
        button.focus()
        page.wait_for_function("b => getComputedStyle(b).opacity === '1'", arg=button.element_handle())
    finally:
        context.close()
