"""/contribute/write/ in Chromium, as a storyteller: fill the form, get the file,
check and build it; links, privacy, the opt-in draft, accessibility."""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
import yaml

from macros.read.handbook import load_handbook
from tests.browser import DESKTOP, SCHEMES, axe_in_both_palettes, goto
from tests.conftest import build, copy_repo
from tests.commands import run_macros

ROOT = Path(__file__).resolve().parent.parent
HANDBOOK = load_handbook(ROOT)[0]
TAX = HANDBOOK.taxonomy
WRITE = "contribute/write/"
DRAFT = "localStorage.getItem('ripples.storyDraft')"


class _Loader(yaml.SafeLoader):
    pass


_Loader.add_multi_constructor("!", lambda loader, suffix, node: None)  # mkdocs.yml's !ENV


def extra() -> dict:
    return yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)["extra"]


STORY = {
    "person": "Noor", "title": "Learning to Ask for Help",
    "chapter": TAX.sorted_chapters()[-1].id,
    "domains": [TAX.ids("domains")[-1], TAX.ids("domains")[0]],        # ticked in this order: last is the main one
    "themes": TAX.ids("themes")[:2], "content_notes": TAX.ids("content_notes")[:1],
    "summary": "Noor learned to ask her sister for help instead of doing it all alone.",
    "shift.from": "Doing everything alone.", "shift.to": "Asking for help and taking it.",
    "reflection": ["Who do you find it hard to ask for help?", "What would make asking easier?",
                   "What did you learn from Noor?"],
    "body": "I used to carry *everything* myself.\n\nThen one day I asked my sister: \"Can you help?\" "
            "She said yes, and a < b stayed true.",
}


def fill(page, story: dict) -> None:
    page.fill("#f-person", story["person"])
    page.fill("#f-title", story["title"])
    page.check(f"#f-chapter-{story['chapter']}")
    for field in ("domains", "themes", "content_notes"):
        for value in story[field]:
            page.check(f"#f-{field}-{value}")
    page.fill("#f-summary", story["summary"])
    page.fill("#f-shift-from", story["shift.from"])
    page.fill("#f-shift-to", story["shift.to"])
    for i, question in enumerate(story["reflection"], start=1):
        page.fill(f"#f-reflection-{i}", question)
    page.fill("#f-body", story["body"])
    for flag in ("permission", "deidentified", "others_deidentified"):
        page.check(f"#f-consent-{flag}")


@pytest.fixture
def context(browser):
    ctx = browser.new_context(viewport=DESKTOP, accept_downloads=True,
                              permissions=["clipboard-read", "clipboard-write"])
    yield ctx
    ctx.close()


@pytest.fixture
def page(context, site_server):
    p = context.new_page()
    goto(p, site_server + WRITE)
    p.evaluate("RipplesWrite.ready")
    return p


def file_text(page) -> str:
    return page.text_content("#write-file")


# ---- the storyteller's path ----------------------------------------------------------

@pytest.fixture(scope="module")
def downloaded(browser, site_server, tmp_path_factory):
    """Fill every field, make the file and download it (once for the module)."""
    ctx = browser.new_context(viewport=DESKTOP, accept_downloads=True)
    p = ctx.new_page()
    goto(p, site_server + WRITE)
    p.evaluate("RipplesWrite.ready")
    fill(p, STORY)
    p.click("#write-submit")
    assert p.is_visible("#write-result") and p.evaluate("document.activeElement.id") == "write-result"
    with p.expect_download() as info:
        p.click("#write-download")
    name = info.value.suggested_filename
    path = tmp_path_factory.mktemp("download") / name
    info.value.save_as(path)
    shown = {"file": file_text(p), "github": p.get_attribute("#write-github", "href"),
             "mail": p.get_attribute("#write-mail", "href"), "filename": p.text_content("#write-filename"),
             "preview": p.inner_text("#write-preview"),
             "preview_tags": p.evaluate("[...document.querySelectorAll('#write-preview *')].map(e => e.tagName)")}
    ctx.close()
    return path, shown


def test_the_downloaded_file_passes_the_check(downloaded):
    path, shown = downloaded
    assert path.name == "noor-learning-to-ask-for-help.md"
    assert shown["filename"] == f"stories/{path.name}"
    assert path.read_text(encoding="utf-8") == shown["file"]
    result = run_macros(ROOT, "check", path, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    text = path.read_text(encoding="utf-8")
    assert STORY["body"] in text and "reviewer" not in text  # the words verbatim; the editors add a reviewer


def test_the_file_builds_into_a_story_page_with_every_hub_link(downloaded, tmp_path):
    path, _ = downloaded
    root = copy_repo(tmp_path / "repo")
    (root / "stories" / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    result = build(root)
    assert result.returncode == 0, result.stdout + result.stderr
    html = (root / "site" / "stories" / path.stem / "index.html").read_text(encoding="utf-8")
    hubs = [f"chapters/{STORY['chapter']}/"] + [f"domains/{d}/" for d in STORY["domains"]] + \
        [f"themes/{t}/" for t in STORY["themes"]]
    assert [h for h in hubs if f'href="../../{h}"' not in html] == []
    # ...and every hub, content notes included, lists the story
    hubs += [f"content-notes/{n}/" for n in STORY["content_notes"]]
    site = root / "site"
    assert [h for h in hubs if f'href="../../stories/{path.stem}/"' not in (site / h / "index.html").read_text()] == []
    main = re.search(r"^domains: \[(\w+)", path.read_text(encoding="utf-8"), re.M)[1]
    assert main == STORY["domains"][0]  # the first relationship ticked is the main one


def test_the_preview_is_text_never_html(downloaded):
    _, shown = downloaded
    assert "*everything*" in shown["preview"] and "a < b" in shown["preview"]
    assert set(shown["preview_tags"]) <= {"P", "DIV", "OL", "LI"}


def test_github_link_is_well_formed(downloaded):
    path, shown = downloaded
    url = urlsplit(shown["github"])
    settings = extra()
    assert (url.scheme, url.netloc) == ("https", "github.com")
    assert url.path == f"/{settings['repository']}/new/{settings['branch']}"
    query = parse_qs(url.query, keep_blank_values=True, strict_parsing=True)
    assert query["filename"] == [f"stories/{path.name}"]
    assert query["value"] == [path.read_text(encoding="utf-8")]
    assert len(shown["github"]) <= 8000


def test_mailto_goes_to_the_contact_address_with_the_file_as_body(downloaded):
    path, shown = downloaded
    assert shown["mail"].startswith(f"mailto:{HANDBOOK.settings.contact_email}?")
    assert "%0D%0A" in shown["mail"] and not re.search(r"(?<!%0D)%0A", shown["mail"])  # RFC 6068 line breaks
    body = parse_qs(urlsplit(shown["mail"]).query, strict_parsing=True)["body"][0]
    assert body.replace("\r\n", "\n") == path.read_text(encoding="utf-8")


def test_a_long_story_opens_github_with_the_file_name_only_and_says_so(page):
    fill(page, {**STORY, "body": "A long story, one short paragraph at a time.\n\n" * 250})
    page.click("#write-submit")
    github, mail = page.get_attribute("#write-github", "href"), page.get_attribute("#write-mail", "href")
    assert "value=" not in github and github.endswith("filename=stories/noor-learning-to-ask-for-help.md")
    assert "A%20long%20story" not in mail
    note = page.inner_text("#write-long-note")
    assert "too long" in note and "paste" in note
    assert "attach" not in page.inner_text("#write-result").lower()   # nothing is ever attached
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    with page.expect_popup() as popup:
        page.click("#write-github")
    popup.value.close()
    assert page.evaluate("navigator.clipboard.readText()") == file_text(page)


def test_copy_puts_the_exact_file_on_the_clipboard(page):
    fill(page, STORY)
    page.click("#write-submit")
    page.click("#write-copy")
    page.wait_for_function("document.getElementById('write-status').textContent.startsWith('Copied')")
    assert page.evaluate("navigator.clipboard.readText()") == file_text(page)


# ---- privacy -----------------------------------------------------------------------

def test_no_request_at_all_while_filling_and_validating(page):
    page.wait_for_load_state("networkidle")
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.fill("#f-person", "Noor")
    page.focus("#f-title")
    page.click("#write-submit")                       # with errors
    fill(page, STORY)
    page.keyboard.press("Tab")
    page.click("#write-submit")                       # valid: the result is shown
    assert page.is_visible("#write-result")
    page.wait_for_timeout(300)
    assert requests == []
    assert page.evaluate(DRAFT) is None and page.context.cookies() == []


def test_the_page_says_nothing_leaves_it_and_warns_before_github(page):
    text = page.inner_text("article")
    assert "Nothing you type leaves this page until you press a button" in text
    fill(page, STORY)
    page.click("#write-submit")
    warning = page.inner_text(".write-warning")
    assert "public" in warning and "withdrawn" in warning and "history" in warning
    order = page.evaluate("document.querySelector('.write-warning').compareDocumentPosition("
                          "document.getElementById('write-github'))")
    assert order & 4  # the warning comes before the button


def test_the_draft_is_kept_only_when_asked_and_deleted_on_request(page, site_server):
    fill(page, STORY)
    assert page.evaluate(DRAFT) is None
    page.check("#write-keep")
    saved = page.evaluate("JSON.parse(localStorage.getItem('ripples.storyDraft'))")
    assert saved["person"] == "Noor" and saved["domains"] == STORY["domains"]
    page.fill("#f-summary", "Changed.")               # saved once typing pauses
    page.wait_for_function("JSON.parse(localStorage.getItem('ripples.storyDraft')).summary === 'Changed.'")
    goto(page, site_server + WRITE)
    page.evaluate("RipplesWrite.ready")
    assert page.input_value("#f-person") == "Noor" and page.is_checked("#write-keep")
    assert page.is_checked(f"#f-domains-{STORY['domains'][0]}")
    page.click("#write-delete")
    assert page.evaluate(DRAFT) is None and not page.is_checked("#write-keep")
    assert "deleted" in page.inner_text("#write-draft-status")
    page.fill("#f-title", "Still not saved")
    assert page.evaluate(DRAFT) is None
    goto(page, site_server + WRITE)
    page.evaluate("RipplesWrite.ready")
    assert page.input_value("#f-person") == ""


# ---- errors, keyboard, accessibility ----------------------------------------------------

def test_errors_show_as_the_person_types_and_are_tied_to_their_fields(page):
    page.fill("#f-summary", "x" * 201)
    page.keyboard.press("Tab")
    assert page.inner_text("#e-summary") == "Problem: is 201 characters; the limit is 200 (shorten it to one sentence)"
    assert page.get_attribute("#f-summary", "aria-invalid") == "true"
    assert "e-summary" in page.get_attribute("#f-summary", "aria-describedby").split()
    page.fill("#f-summary", "Short.")                 # checked once typing pauses
    page.wait_for_function("document.getElementById('e-summary').textContent === ''")
    assert page.get_attribute("#f-summary", "aria-invalid") is None
    assert page.inner_text("#e-title") == ""          # untouched fields stay quiet until submit


def test_submit_summarises_every_problem_and_moves_focus_there(page):
    page.click("#write-submit")
    assert page.evaluate("document.activeElement.id") == "write-errors"
    links = page.eval_on_selector_all("#write-errors-list a", "as => as.map(a => [a.textContent, a.hash])")
    problems = page.evaluate("RipplesWrite.validate({reflection: [], consent: {}})")
    assert len(links) == len(problems)
    for text, target in links:
        assert page.query_selector(target) is not None, target
    for control in page.query_selector_all("[aria-invalid=true]"):
        described = control.get_attribute("aria-describedby").split()
        assert any(page.inner_text(f"[id='{i}']").startswith("Problem:") for i in described)
    page.click("#write-errors-list a >> nth=0")      # in the form's order: the name comes first
    assert page.evaluate("document.activeElement.id") == "f-person"
    assert not page.is_visible("#write-result")


def test_every_control_is_labelled_and_reachable_by_keyboard(page):
    unlabelled = page.evaluate("""[...document.querySelectorAll('#write-form input, #write-form textarea')]
        .filter(e => !e.labels || !e.labels.length).map(e => e.id)""")
    assert unlabelled == []
    page.focus("#write-keep")                          # the form's first control: the draft choice
    reached = set()
    for _ in range(200):
        reached.add(page.evaluate("document.activeElement.id || document.activeElement.name"))
        if page.evaluate("document.activeElement.id") == "write-submit":
            break
        page.keyboard.press("Tab")
    wanted = page.evaluate("[...document.querySelectorAll('#write-form input:not([type=radio]), "
                           "#write-form textarea, #write-form button:not([hidden])')].map(e => e.id)")
    assert set(wanted) - reached == set()
    assert "f-chapter-" + TAX.sorted_chapters()[0].id in reached  # the radio group is one tab stop


def test_keyboard_only_storyteller(page):
    page.focus("#f-person")
    page.keyboard.type("Noor")
    page.keyboard.press("Tab")
    page.keyboard.type("Learning to Ask")
    page.focus(f"#f-chapter-{TAX.sorted_chapters()[0].id}")
    page.keyboard.press("ArrowDown")                         # the next chapter
    assert page.is_checked(f"#f-chapter-{TAX.sorted_chapters()[1].id}")
    page.focus(f"#f-themes-{TAX.ids('themes')[0]}")
    page.keyboard.press("Space")
    assert page.is_checked(f"#f-themes-{TAX.ids('themes')[0]}")
    page.focus("#write-submit")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "write-errors"


def test_axe_finds_nothing_in_any_state(browser, axe, site_server):
    """Each state is reached once per screen size and checked in both palettes; each screen
    size opens in the other system preference."""
    problems = []
    for viewport, scheme in ((DESKTOP, "light"), ({"width": 360, "height": 740}, "dark")):
        ctx = browser.new_context(color_scheme=scheme, viewport=viewport)
        p = ctx.new_page()
        goto(p, site_server + WRITE)
        p.evaluate("RipplesWrite.ready")
        where = f"[{viewport['width']} px]"
        assert p.evaluate("document.body.getAttribute('data-md-color-scheme')") == SCHEMES[scheme]
        problems += axe_in_both_palettes(p, axe, f"form {where}")
        p.fill("#f-summary", "<b>" + "x" * 300)
        p.click("#write-submit")
        problems += axe_in_both_palettes(p, axe, f"errors {where}")
        wide = p.evaluate("document.documentElement.scrollWidth")
        fill(p, {**STORY, "body": STORY["body"] + "\n\n" + "unbroken" * 80})
        p.check("#write-keep")
        p.click("#write-submit")
        problems += axe_in_both_palettes(p, axe, f"result {where}")
        wide = max(wide, p.evaluate("document.documentElement.scrollWidth"))
        if viewport["width"] == 360:
            assert wide <= 360, f"{where}: the page is {wide} px wide"
        ctx.close()
    assert problems == [], "\n".join(problems)


def test_without_javascript_the_page_shows_the_template_and_the_email_route(browser, site_server):
    ctx = browser.new_context(java_script_enabled=False)
    p = ctx.new_page()
    goto(p, site_server + WRITE)
    assert p.is_visible("#write-noscript") and not p.is_visible("#write-form")
    text = p.inner_text("#write-noscript")
    assert (ROOT / "stories" / "_template.md").read_text(encoding="utf-8").strip() in text
    assert p.get_attribute("#write-noscript a[href^=mailto]", "href") == f"mailto:{HANDBOOK.settings.contact_email}"
    ctx.close()


def test_the_page_is_linked_from_contribute_and_from_the_contributor_files(built_site):
    assert 'href="write/"' in (built_site / "contribute" / "index.html").read_text(encoding="utf-8")
    assert "/contribute/write/" in (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert "/contribute/write/" in (ROOT / ".github" / "ISSUE_TEMPLATE" / "propose-a-story.yml").read_text(
        encoding="utf-8")
    assert unquote("contribute/write/") in (built_site / "index.html").read_text(encoding="utf-8")  # in the nav
