"""What clinicians hand over, in a real browser: one-page story handouts, pathway
handouts, the private reading list, the page on what KAP is and isn't, and the
content-note filter that follows the reader from page to page.

Printed pages are counted and read back with pypdf; QR codes are decoded with
zxing-cpp from screenshots. Skipped without /usr/bin/chromium, except under CI.
"""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.browser

from tests.browser import DESKTOP, SCHEMES, axe_violations, goto, settle, story_ids  # noqa: E402

FORMATS = ("A4", "Letter")
ROOT = Path(__file__).resolve().parent.parent
MIN_PRINT_PX = 10 * 96 / 72 - 0.01  # 10 pt


def squash(text: str) -> str:
    """Printed text compared without whitespace: PDF lines break anywhere (long addresses too)."""
    return re.sub(r"\s+", "", text.replace("\u00ad", ""))


def pdf_pages(page, fmt: str) -> list[str]:
    from pypdf import PdfReader
    reader = PdfReader(io.BytesIO(page.pdf(format=fmt, print_background=True)))
    return [p.extract_text() or "" for p in reader.pages]


def printed_too_small(page) -> list[str]:
    """Visible printed elements with their own text set below 10 pt."""
    return page.evaluate("""(min) => [...document.querySelectorAll('body *')].filter(e =>
        e.checkVisibility() && [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())
        && parseFloat(getComputedStyle(e).fontSize) < min)
        .slice(0, 5).map(e => e.tagName.toLowerCase() + '.' + e.className + ' ' +
                          getComputedStyle(e).fontSize + ' ' + e.textContent.trim().slice(0, 30))""", MIN_PRINT_PX)


def load(root: Path = ROOT):
    from macros.handbook import load_handbook
    hb, problems = load_handbook(root)
    assert not problems
    return hb


@pytest.fixture(scope="module")
def print_page(browser):
    context = browser.new_context()
    page = context.new_page()
    page.emulate_media(media="print")
    yield page
    context.close()


def story_must_print(story, hb) -> list[str]:
    m = story.meta
    settings = hb.settings
    paragraphs = [p for p in story.body.split("\n\n") if p.strip()]
    notes = [hb.taxonomy.get("content_notes", c).name.lower() for c in m.content_notes]
    return [m.title, *notes, paragraphs[0][:60], paragraphs[-1][-60:], m.shift.from_, m.shift.to,
            *m.reflection, settings.crisis.title, *(line.label for line in settings.crisis.lines),
            settings.disclaimer, "What these stories can and can’t tell you", "127.0.0.1:8000/about/kap/",
            f"http://127.0.0.1:8000/{story.url}"]


# ---- story handouts ------------------------------------------------------------

def test_every_story_prints_on_exactly_one_a4_and_one_letter_page(print_page, site_server, built_site):
    hb = load()
    problems = []
    for story in hb.stories:
        goto(print_page, site_server + story.url)
        small = printed_too_small(print_page)
        problems += [f"/{story.url}: printed below 10 pt: {s}" for s in small]
        for fmt in FORMATS:
            pages = pdf_pages(print_page, fmt)
            if len(pages) != 1:
                problems.append(f"/{story.url}: {len(pages)} {fmt} pages")
            printed = squash(" ".join(pages))
            problems += [f"/{story.url} ({fmt}): {want[:40]!r} is not printed"
                         for want in story_must_print(story, hb) if squash(want) not in printed]
    assert not problems, "\n".join(problems)


def test_the_handout_estimate_matches_chromium(print_page, site_server, built_site):
    """The estimate behind the build's info line: one page for every story that prints on
    one, within the calibration margin."""
    from macros.toolkit import HANDOUT_PAGE_PX, handout_height, handout_pages
    hb = load()
    for story in hb.stories:
        goto(print_page, site_server + story.url)
        # Chromium's own height of the printed content on the narrower (A4) column.
        print_page.set_viewport_size({"width": 703, "height": 900})
        real = print_page.evaluate("document.querySelector('.disclaimer').getBoundingClientRect().bottom")
        assert handout_pages(story) == 1 and real < HANDOUT_PAGE_PX, story.id
        assert handout_height(story) >= real - 10, f"{story.id}: estimated {handout_height(story)}, real {real}"


def test_a_long_story_flows_onto_more_pages_and_the_build_says_so(browser, repo):
    """Graceful degradation: nothing is cut, the build tells the contributor (info, not a failure)."""
    from tests.conftest import build, serve_dir
    path = repo / "stories" / "maria-healing-generational-wounds.md"
    head, _, body = path.read_text(encoding="utf-8").partition("\n---\n")
    path.write_text(head + "\n---\n" + body + ("\n" + body) * 2, encoding="utf-8")
    result = build(repo)
    assert result.returncode == 0, result.stdout + result.stderr
    log = result.stdout + result.stderr
    note = [line for line in log.splitlines() if "maria-healing-generational-wounds.md: its printed handout" in line]
    assert note and "INFO" in note[0] and "WARNING" not in log, log
    hb = load(repo)
    story = hb.by_id["maria-healing-generational-wounds"]
    context = browser.new_context()
    page = context.new_page()
    page.emulate_media(media="print")
    try:
        with serve_dir(repo / "site") as base:
            goto(page, base + story.url)
            for fmt in FORMATS:
                pages = pdf_pages(page, fmt)
                assert len(pages) == 2, f"{fmt}: {len(pages)} pages"
                printed = squash(" ".join(pages))
                missing = [w for w in story_must_print(story, hb) if squash(w) not in printed]
                assert not missing, missing
    finally:
        context.close()


# ---- pathway handouts ------------------------------------------------------------

def test_every_pathway_prints_a_one_page_handout(print_page, site_server, built_site):
    hb = load()
    problems = []
    for pathway in hb.pathways.pathways:
        url = f"clinicians/pathways/{pathway.id}/"
        goto(print_page, site_server + url)
        assert print_page.locator("button.print-handout").count() == 1, f"/{url}: no Print handout button"
        problems += [f"/{url}: printed below 10 pt: {s}" for s in printed_too_small(print_page)]
        wanted = [pathway.name, *pathway.prompts, hb.settings.crisis.title, hb.settings.disclaimer,
                  "127.0.0.1:8000/about/kap/", f"http://127.0.0.1:8000/{url}"]
        for sid in pathway.stories:
            s = hb.by_id[sid]
            wanted += [s.label, s.meta.summary, f"127.0.0.1:8000/{s.url}"]
        for fmt in FORMATS:
            pages = pdf_pages(print_page, fmt)
            if len(pages) != 1:
                problems.append(f"/{url}: {len(pages)} {fmt} pages")
            printed = squash(" ".join(pages))
            problems += [f"/{url} ({fmt}): {w[:40]!r} is not printed" for w in wanted if squash(w) not in printed]
            for chrome in ("Pathway for clinicians", "All pathways", "Copy link", "Print handout"):
                if squash(chrome) in printed:
                    problems.append(f"/{url} ({fmt}): clinician chrome {chrome!r} is printed")
    assert not problems, "\n".join(problems)


def decode_qr(locator) -> list[str]:
    import zxingcpp
    from PIL import Image
    image = Image.open(io.BytesIO(locator.screenshot())).convert("L")
    return [r.text for r in zxingcpp.read_barcodes(image)]


def test_every_pathway_handout_qr_code_decodes_to_the_pathway(browser, site_server, built_site):
    hb = load()
    context = browser.new_context(device_scale_factor=2)
    page = context.new_page()
    page.emulate_media(media="print")
    problems = []
    try:
        for pathway in hb.pathways.pathways:
            goto(page, site_server + f"clinicians/pathways/{pathway.id}/")
            canonical = page.get_attribute("link[rel=canonical]", "href")
            qr = page.locator(".handout-only svg.qr")
            assert qr.count() == 1 and qr.is_visible(), f"{pathway.id}: no visible QR code when printing"
            if decode_qr(qr) != [canonical]:
                problems.append(f"{pathway.id}: QR decodes to {decode_qr(qr)}, canonical URL is {canonical}")
    finally:
        context.close()
    assert not problems, "\n".join(problems)


# ---- the private reading list ------------------------------------------------------

LIST = "clinicians/list/"


def build_list(page, base: str, picks: int = 3, domain: str = "family") -> tuple[str, list[str]]:
    goto(page, base + LIST)
    page.wait_for_selector(".rl-catalogue li")
    page.select_option("#rl-domain", domain)
    boxes = page.locator(".rl-catalogue li:not([hidden]) input[type=checkbox]")
    assert boxes.count() >= picks
    for i in range(picks):
        boxes.nth(i).check()
    titles = [page.locator(".rl-catalogue li:not([hidden])").nth(i).get_attribute("data-id") for i in range(picks)]
    return page.input_value("#rl-link"), titles


def test_a_reading_list_link_opens_exactly_those_stories_in_a_fresh_browser(browser, site_server, built_site):
    hb = load()
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    try:
        link, ids = build_list(page, site_server)
        assert link == f"{site_server}{LIST}#s={','.join(ids)}", link
        assert page.locator(".rl-chosen li").count() == len(ids)
        assert page.locator(".rl-count").inner_text() == f"{len(ids)} stories chosen."
        # Filters: every story shown carries the relationship; a left-out note hides its stories.
        shown = page.locator(".rl-catalogue li:not([hidden])").evaluate_all("els => els.map(e => e.dataset.id)")
        assert shown and all("family" in hb.by_id[s].meta.domains for s in shown)
        mail = page.get_attribute(".rl-mail", "href")
        sms = page.get_attribute(".rl-sms", "href")
        from urllib.parse import quote
        assert mail.startswith("mailto:?subject=") and quote(link, safe="") in mail
        assert sms.startswith("sms:") and quote(link, safe="") in sms
    finally:
        context.close()
    fresh = browser.new_context(viewport={"width": 360, "height": 740})
    page = fresh.new_page()
    try:
        goto(page, link)
        page.wait_for_selector(".rl-view-list li")
        assert page.locator(".rl-builder").is_hidden(), "the patient sees the clinician's builder"
        assert page.locator("h1").inner_text() == "Stories chosen for you"
        titles = page.locator(".rl-view-list .card-title").all_inner_texts()
        assert titles == [hb.by_id[i].label for i in ids]
        for i, sid in enumerate(ids):
            names = [hb.taxonomy.get("content_notes", c).name for c in hb.by_id[sid].meta.content_notes]
            card = page.locator(".rl-view-list > li").nth(i)
            if names:
                assert ", ".join(names) in card.locator(".card-notes").inner_text()
        assert page.locator(".rl-view .crisis").is_visible()
        stored = page.evaluate("JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage)])")
        assert page.evaluate("document.cookie") == "" and fresh.cookies() == []
        assert not any(i in stored for i in ids), f"the list was stored in the browser: {stored}"
    finally:
        fresh.close()


def test_the_reading_list_qr_code_decodes_to_the_link_with_its_fragment(browser, site_server, built_site):
    context = browser.new_context(viewport=DESKTOP, device_scale_factor=2)
    page = context.new_page()
    try:
        link, _ = build_list(page, site_server, picks=4, domain="")
        assert "#s=" in link
        assert decode_qr(page.locator(".rl-qr svg")) == [link]
        box = page.locator(".rl-qr svg").bounding_box()
        assert box["width"] >= 250, "the on-screen QR code is not large"
    finally:
        context.close()


def test_the_reading_list_prints_on_one_page(browser, site_server, built_site):
    hb = load()
    context = browser.new_context()
    page = context.new_page()
    try:
        link, ids = build_list(page, site_server, picks=5, domain="")
        page.emulate_media(media="print")
        for fmt in FORMATS:
            pages = pdf_pages(page, fmt)
            assert len(pages) == 1, f"{fmt}: {len(pages)} pages"
            printed = squash(" ".join(pages))
            for sid in ids:
                s = hb.by_id[sid]
                for want in (s.label, s.meta.summary, f"{site_server.split('://')[1]}{s.url}"):
                    assert squash(want) in printed, want
            for want in (link, hb.settings.crisis.title, hb.settings.disclaimer):
                assert squash(want) in printed, want
            for chrome in ("Make a reading list", "Pick stories", "Copy link", "Leave out"):
                assert squash(chrome) not in printed, chrome
        assert printed_too_small(page) == []
        assert page.locator(".rl-qr svg").is_visible()
    finally:
        context.close()


# ---- accessibility of every new page and state ------------------------------------------

@pytest.mark.parametrize("scheme", sorted(SCHEMES))
def test_axe_finds_no_violations_on_the_new_pages_and_states(browser, axe, site_server, built_site, scheme):
    problems = []
    for viewport in (DESKTOP, {"width": 360, "height": 740}):
        context = browser.new_context(color_scheme=scheme, viewport=viewport)
        page = context.new_page()
        where = f"[{scheme}, {viewport['width']} px]"
        try:
            for path in ("about/kap/", "", "clinicians/", "clinicians/pathways/anger-and-defensiveness/"):
                goto(page, site_server + path)
                problems += axe_violations(page, axe, f"/{path} {where}")
            goto(page, site_server + LIST)
            page.wait_for_selector(".rl-catalogue li")
            problems += axe_violations(page, axe, f"/{LIST} empty {where}")
            link, _ = build_list(page, site_server)
            page.locator(".rl-notes input").first.check()
            problems += axe_violations(page, axe, f"/{LIST} with a list {where}")
            page.goto("about:blank")
            goto(page, link)
            page.wait_for_selector(".rl-view-list li")
            problems += axe_violations(page, axe, f"/{LIST} patient view {where}")
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > viewport["width"]:
                problems.append(f"/{LIST} patient view {where}: {width} px wide")
        finally:
            context.close()
    assert not problems, f"{len(problems)} axe violation(s):\n" + "\n".join(problems)
