"""Issue 18, done when: a storyteller on a phone (Chromium, 360x740, touch) goes from the home page
to a sent story without typing into any editorial field, survives a reload and back/forward
halfway, and the file they sent passes `python -m macros check`. Also: the draft, Enter, the
error summary and labels in view, and sending by copy and e-mail where files cannot be shared."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from macros.read.handbook import load_handbook
from tests.browser import goto
from tests.conftest import copy_repo
from tests.commands import run_macros

ROOT = Path(__file__).resolve().parent.parent
HANDBOOK = load_handbook(ROOT)[0]
TAX = HANDBOOK.taxonomy
WRITE = "contribute/write/"
PHONE = {"viewport": {"width": 360, "height": 740}, "has_touch": True, "is_mobile": True}
EDITORIAL = ["#f-summary", "#f-shift-from", "#f-shift-to"] + [f"#f-reflection-{i}" for i in range(1, 5)]
# Web Share API Level 2, as a phone offers it: the test sees what would go to the share sheet.
SHARE = """
window.__shared = [];
Object.defineProperty(navigator, "canShare", {configurable: true,
  value: data => !!(data && data.files && data.files.length)});
Object.defineProperty(navigator, "share", {configurable: true,
  value: data => Promise.all(data.files.map(f => f.text())).then(texts => {
    window.__shared.push({names: data.files.map(f => f.name), texts: texts, text: data.text}); })});
"""
PARAGRAPHS = "I used to carry everything myself.\nThen I asked my sister for help.\nShe said yes."


def phone(browser, share: bool = True, **extra):
    ctx = browser.new_context(**PHONE, **extra)
    if share:
        ctx.add_init_script(SHARE)
    return ctx


def wait_ready(page) -> None:
    page.evaluate("RipplesWrite.ready")


def open_form(ctx, site_server):
    page = ctx.new_page()
    goto(page, site_server + WRITE)
    wait_ready(page)
    return page


def saved(page) -> None:
    """Let the paused check and the tab's draft catch up with the typing."""
    page.wait_for_function("document.getElementById('f-body') && (RipplesWrite.draft('sessionStorage') || {}).body "
                           "=== document.getElementById('f-body').value")


def type_into(page, selector: str, text: str) -> None:
    page.tap(selector)
    page.keyboard.type(text)


def header_bottom(page) -> float:
    return page.evaluate("document.querySelector('.md-header').getBoundingClientRect().bottom")


def test_from_home_to_a_shared_story_on_a_phone(browser, site_server, tmp_path):
    ctx = phone(browser)
    page = ctx.new_page()
    goto(page, site_server)
    requests: list[str] = []
    page.tap("article a:has-text('Share your story')")                    # tap 1 from home: the form
    page.wait_for_url("**/" + WRITE)
    wait_ready(page)
    page.wait_for_load_state("networkidle")
    page.on("request", lambda r: requests.append(r.url))
    domain, chapter = TAX.ids("domains")[1], TAX.sorted_chapters()[0].id
    type_into(page, "#f-person", "Noor")
    type_into(page, "#f-title", "Learning to Ask for Help")
    page.tap(f"label[for='f-domains-{domain}']")
    page.fill("#f-body", PARAGRAPHS)                                      # pasted from a word processor
    saved(page)
    assert requests == []                                                # typing sends nothing
    page.reload()                                                        # halfway: a reload ...
    wait_ready(page)
    assert page.input_value("#f-person") == "Noor" and page.input_value("#f-body") == PARAGRAPHS
    assert page.is_checked(f"#f-domains-{domain}")
    page.go_back()                                                       # ... and back, then forward
    page.wait_for_url(site_server)
    page.go_forward()
    page.wait_for_url("**/" + WRITE)
    wait_ready(page)
    assert page.input_value("#f-title") == "Learning to Ask for Help" and page.is_checked(f"#f-domains-{domain}")
    assert all(url.startswith(site_server) for url in requests)          # the reloads: the site's own files
    page.wait_for_load_state("networkidle")
    requests.clear()

    page.tap(f"label[for='f-chapter-{chapter}']")
    for flag in ("permission", "deidentified", "others_deidentified"):
        page.tap(f"label[for='f-consent-{flag}']")
    page.tap("#write-submit")
    assert page.is_visible("#write-result"), page.inner_text("#write-errors")
    assert page.locator("#write-preview .write-preview-body").count() == 3   # three paragraphs, as published
    page.tap("#write-mail")                                              # Send privately: the share sheet
    page.wait_for_function("window.__shared.length === 1")
    shared = page.evaluate("window.__shared[0]")
    assert requests == []                                                # nothing left the page before that
    assert [page.input_value(s) for s in EDITORIAL] == [""] * len(EDITORIAL)
    assert page.locator("input[name=themes]:checked").count() == 0
    name, text = shared["names"][0], shared["texts"][0]
    assert text == page.text_content("#write-file") and name == "noor-learning-to-ask-for-help.md"
    assert HANDBOOK.settings.contact_email in shared["text"] and "attach" not in page.inner_text("#write-result")
    ctx.close()

    root = copy_repo(tmp_path / "repo")
    (root / "stories" / name).write_text(text, encoding="utf-8")
    result = run_macros(root, "check", f"stories/{name}", timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "the editors will write" in result.stdout and "\n\nThen I asked my sister for help.\n\n" in text


def test_without_file_sharing_the_story_is_copied_and_the_mail_asks_for_a_paste(browser, site_server):
    ctx = phone(browser, share=False, permissions=["clipboard-read", "clipboard-write"])
    page = open_form(ctx, site_server)
    page.fill("#f-person", "Noor")
    page.fill("#f-title", "A Long Story")
    page.check(f"#f-domains-{TAX.ids('domains')[0]}")
    page.check(f"#f-chapter-{TAX.sorted_chapters()[0].id}")
    page.fill("#f-body", "A long story, one short paragraph at a time.\n\n" * 80)
    for flag in ("permission", "deidentified", "others_deidentified"):
        page.check(f"#f-consent-{flag}")
    page.tap("#write-submit")
    note = page.inner_text("#write-send-note")
    assert "copies your story" in note and "Paste" in note
    page.evaluate("RipplesWrite.openMail = url => { window.__mail = url; }")
    page.tap("#write-mail")
    page.wait_for_function("!!window.__mail")
    mail = page.evaluate("window.__mail")
    assert mail.startswith(f"mailto:{HANDBOOK.settings.contact_email}?")
    body = parse_qs(urlsplit(mail).query)["body"][0]
    assert "Paste" in body and "attach" not in body.lower() and "A long story" not in body
    assert page.evaluate("navigator.clipboard.readText()") == page.text_content("#write-file")
    assert "attach" not in page.inner_text("#write-result").lower()
    ctx.close()


def test_enter_in_a_one_line_field_moves_on_and_never_submits(browser, site_server):
    ctx = phone(browser)
    page = open_form(ctx, site_server)
    type_into(page, "#f-person", "Noor")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "f-title"
    assert page.is_hidden("#write-errors") and page.is_hidden("#write-result")
    assert page.get_attribute("#f-person", "enterkeyhint") == "next"
    ctx.close()


def test_the_error_summary_and_each_field_label_are_in_view(browser, site_server):
    ctx = phone(browser)
    page = open_form(ctx, site_server)
    page.fill("#f-body", "Some words.")
    page.tap("#write-submit")
    top = page.evaluate("document.getElementById('write-errors').getBoundingClientRect().top")
    assert page.evaluate("document.activeElement.id") == "write-errors"
    assert header_bottom(page) <= top < 740
    page.tap("#write-errors-list a >> nth=0")
    assert page.evaluate("document.activeElement.id") == "f-person"
    label = page.evaluate("document.querySelector('label[for=f-person]').getBoundingClientRect().top")
    assert header_bottom(page) <= label < 740
    shown = page.inner_text("#write-errors")
    assert not any(s in shown for s in ("stories/", "_template", "theme id", "closing ---", "set it to true"))
    assert "I agree" in page.inner_text("label[for=f-consent-permission]")
    ctx.close()


def test_the_draft_lives_in_the_tab_and_on_the_device_only_when_chosen(browser, site_server):
    ctx = browser.new_context(viewport=PHONE["viewport"])
    page = open_form(ctx, site_server)
    assert page.evaluate("getComputedStyle(document.getElementById('write-delete')).display") == "none"
    keep = page.evaluate("document.getElementById('write-keep').getBoundingClientRect().top")
    assert keep < page.evaluate("document.getElementById('f-body').getBoundingClientRect().top")  # near the top
    page.fill("#f-person", "Noor")
    page.fill("#f-body", "Words.")
    saved(page)
    assert page.is_visible("#write-delete")
    assert page.evaluate("localStorage.getItem('ripples.storyDraft')") is None   # not on the device unasked
    page.check("#write-keep")
    assert page.evaluate("JSON.parse(localStorage.getItem('ripples.storyDraft')).person") == "Noor"
    other = open_form(ctx, site_server)                                  # a new tab: only the device copy
    assert other.input_value("#f-person") == "Noor" and other.is_checked("#write-keep")
    other.click("#write-delete")
    assert other.input_value("#f-person") == "" and other.is_hidden("#write-delete")
    assert other.evaluate("localStorage.getItem('ripples.storyDraft')") is None
    assert "deleted" in other.inner_text("#write-draft-status")
    ctx.close()


# Counts what saving writes, not how long it takes: each setItem's key and length.
COUNT_WRITES = """() => { window.__writes = []; const set = Storage.prototype.setItem;
  Storage.prototype.setItem = function (k, v) { window.__writes.push([k, String(v).length]); return set.call(this, k, v); }; }"""


def test_a_long_draft_is_kept_in_pieces_and_a_keystroke_rewrites_one(browser, site_server):
    """A keystroke in a long story rewrites one 32,768-character piece, not the story: the
    work per save is bounded whatever the length. The pieces come back whole after a reload,
    a shorter story leaves no stale piece behind, and deleting the draft removes them all."""
    ctx = browser.new_context(viewport=PHONE["viewport"])
    page = open_form(ctx, site_server)
    page.evaluate(COUNT_WRITES)
    words = "I asked for help, and then I asked again. " * 6000
    long = words[:32_767] + "\U0001F331" + words[:217_000] + "\u00e9"   # the emoji's halves straddle a piece end
    page.evaluate("""text => { const box = document.getElementById('f-body'); box.value = text;
        box.dispatchEvent(new InputEvent('input', {bubbles: true})); }""", long)
    saved(page)
    pieces = page.evaluate("Object.keys(sessionStorage).filter(k => /^ripples\\.storyDraft\\.tab\\.\\d+$/.test(k)).length")
    assert pieces == 8   # 249,770 UTF-16 units; the first piece ends before the emoji
    page.evaluate("window.__writes = []")
    page.focus("#f-body")
    page.evaluate("document.getElementById('f-body').setSelectionRange(1e9, 1e9)")
    page.keyboard.type("x")
    saved(page)
    writes = page.evaluate("window.__writes")
    body_writes = [w for w in writes if w[0].startswith("ripples.storyDraft.tab.") and w[0][-1].isdigit()]
    assert [k for k, _ in body_writes] == ["ripples.storyDraft.tab.7"], writes
    assert sum(n for _, n in writes) < 40_000, writes      # one piece and the small fields, not 249,770
    page.reload()
    wait_ready(page)
    assert page.input_value("#f-body") == long + "x"
    page.fill("#f-body", "Short now.")
    saved(page)
    assert page.evaluate("Object.keys(sessionStorage).filter(k => k.startsWith('ripples.storyDraft.tab.')).sort()") \
        == ["ripples.storyDraft.tab.0", "ripples.storyDraft.tab.n"]
    page.click("#write-delete")
    assert page.evaluate("Object.keys(sessionStorage).filter(k => k.startsWith('ripples.storyDraft'))") == []
    ctx.close()


def test_a_draft_kept_before_drafts_came_in_pieces_comes_back_whole(browser, site_server):
    """A device draft saved by the earlier page (one JSON value, the story inside it) is not
    lost: it comes back, and the next save stores it in pieces."""
    ctx = browser.new_context(viewport=PHONE["viewport"])
    page = ctx.new_page()
    goto(page, site_server + WRITE)
    page.evaluate("""() => localStorage.setItem('ripples.storyDraft', JSON.stringify({person: 'Noor',
        body: 'Words kept the old way.\\n\\nA second paragraph.', domains: [], themes: [], content_notes: [],
        reflection: [], shift: {from: '', to: ''}, consent: {}}))""")
    page.reload()
    wait_ready(page)
    assert page.input_value("#f-body") == "Words kept the old way.\n\nA second paragraph."
    assert page.input_value("#f-person") == "Noor" and page.is_checked("#write-keep")
    page.keyboard.press("End")
    page.type("#f-body", " More.")
    page.wait_for_function("localStorage.getItem('ripples.storyDraft.n') === '1'")
    assert page.evaluate("RipplesWrite.draft('localStorage').body").endswith("More.")
    assert page.evaluate("JSON.parse(localStorage.getItem('ripples.storyDraft')).body") == ""
    ctx.close()


@pytest.mark.parametrize("page_path", ["", "about/kap/", WRITE])
def test_every_page_offers_share_your_story_in_its_footer(built_site, page_path):
    html = (built_site / page_path / "index.html").read_text(encoding="utf-8")
    footer = html[html.index('class="md-copyright"'):]
    target = "./" if page_path == WRITE else "../" * page_path.count("/") + WRITE   # the form links itself as ./
    assert f'href="{target}">Share your story</a>' in footer
