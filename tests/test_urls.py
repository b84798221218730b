"""No shared link ever breaks: the published-URL lock, redirects and anchors."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ROOT, build, check
from macros.finish.urls import load_redirects, published, read_lock, verify

OLD = "sarah-from-anger-to-vulnerability"
NEW = "sarah-anger-to-vulnerability"


def built(repo: Path) -> Path:
    result = build(repo)
    assert result.returncode == 0, result.stdout + result.stderr
    return repo / "site"


def move_story(repo: Path, new: str | None) -> None:
    """Rename (or, with None, withdraw) the story and update the pathways that list it."""
    story = repo / "stories" / f"{OLD}.md"
    pathways = repo / "stories" / "pathways.yml"
    text = pathways.read_text(encoding="utf-8")
    if new:
        story.rename(repo / "stories" / f"{new}.md")
        pathways.write_text(text.replace(OLD, new), encoding="utf-8")
    else:
        story.unlink()
        pathways.write_text(text.replace(f"      - {OLD}\n", ""), encoding="utf-8")


def add_redirect(repo: Path, src: str, dest: str, withdrawn: bool = False) -> None:
    path = repo / "stories" / "redirects.yml"
    text = path.read_text(encoding="utf-8").replace("redirects: []", "redirects:")
    text += f"  - from: {src}\n    to: {dest}\n" + ("    withdrawn: true\n" if withdrawn else "")
    path.write_text(text, encoding="utf-8")


def test_every_locked_address_resolves(built_site):
    lock = read_lock(ROOT)
    assert len(lock) > 500
    assert verify(lock, built_site, load_redirects(ROOT)) == []


def test_new_addresses_never_fail_and_make_urls_records_them(repo):
    """A story PR does not touch the lock: its new addresses are not there yet, and
    that is fine. The deploy job on main runs `make urls`, which adds exactly the new
    lines, keeps every old one, and keeps the file sorted."""
    before = read_lock(repo)
    (repo / "published-urls.txt").write_text(
        "".join(f"{line}\n" for line in before if not line.startswith(f"/stories/{OLD}/")), encoding="utf-8")
    lock = read_lock(repo)
    site = built(repo)
    assert verify(lock, site, load_redirects(repo)) == []   # unlisted pages are no failure
    unlisted = published(site) - set(lock)
    assert unlisted >= {line for line in before if line.startswith(f"/stories/{OLD}/")}
    result = check(repo, "urls", "--update", "--site", str(site))
    assert result.returncode == 0, result.stdout + result.stderr
    after = read_lock(repo)
    assert set(after) == set(lock) | unlisted and after == sorted(after)
    assert (repo / "published-urls.txt").read_text(encoding="utf-8").startswith("# Every address")


def test_lock_is_sorted_and_covers_story_sections():
    lock = read_lock(ROOT)
    assert lock == sorted(lock)
    for section in ("story", "shift", "reflection", "related", "pathways"):
        assert f"/stories/{OLD}/#{section}" in lock


def test_renamed_story_fails_with_redirect_advice_then_passes_with_redirect(repo):
    move_story(repo, NEW)
    failures = verify(read_lock(repo), built(repo), load_redirects(repo))
    story_lines = [f for f in failures if f.startswith(f"/stories/{OLD}/")]
    assert len(story_lines) == len([l for l in read_lock(repo) if l.startswith(f"/stories/{OLD}/")])
    assert f"- from: /stories/{OLD}/\n        to: /stories/{NEW}/" in story_lines[0]
    assert len(failures) == len(story_lines)

    add_redirect(repo, f"/stories/{OLD}/", f"/stories/{NEW}/")
    site = built(repo)
    assert verify(read_lock(repo), site, load_redirects(repo)) == []
    page = (site / "stories" / OLD / "index.html").read_text(encoding="utf-8")
    assert f'<meta http-equiv="refresh" content="0; url=../{NEW}/">' in page
    assert 'src="../../assets/ripples-redirect.js"' in page and 'class="crisis"' in page


def test_reworded_heading_keeps_its_anchor(repo):
    essay = repo / "docs" / "understanding" / "ripple-effects.md"
    text = essay.read_text(encoding="utf-8")
    assert "## Community Impact and Social Transformation {#community-impact}" in text
    essay.write_text(text.replace("Community Impact and Social Transformation", "How communities change"),
                     encoding="utf-8")
    site = built(repo)
    html = (site / "understanding" / "ripple-effects" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<h2 id="community-impact">How communities change', html)
    assert verify(read_lock(repo), site, load_redirects(repo)) == []


def test_withdrawn_story_redirects_to_its_chapter(repo):
    move_story(repo, None)
    add_redirect(repo, f"/stories/{OLD}/", "/chapters/emotional-walls/", withdrawn=True)
    site = built(repo)
    assert verify(read_lock(repo), site, load_redirects(repo)) == []
    assert "withdrawn" in (site / "stories" / OLD / "index.html").read_text(encoding="utf-8")


def test_redirect_to_a_missing_page_stops_the_build(repo):
    add_redirect(repo, "/stories/gone/", "/stories/nowhere/")
    result = build(repo)
    assert result.returncode != 0
    assert "the redirect from /stories/gone/ goes to /stories/nowhere/, which is not a page" in result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_redirect_cannot_shadow_a_published_page(repo):
    add_redirect(repo, f"/stories/{OLD}/", "/chapters/emotional-walls/")
    result = build(repo)
    assert result.returncode != 0
    assert f"both publish /stories/{OLD}/" in result.stdout + result.stderr


def test_lock_holds_with_another_site_url(repo):
    result = build(repo, env={"SITE_URL": "https://example.org/ripples/"})
    assert result.returncode == 0, result.stderr
    assert verify(read_lock(repo), repo / "site", load_redirects(repo)) == []


def test_missing_anchor_guard_fails_the_build(repo):
    (repo / "docs" / "glossary.md").open("a", encoding="utf-8").write("\n## A heading without an id\n")
    result = build(repo)
    assert result.returncode != 0
    assert 'docs/glossary.md: the heading "A heading without an id" has no explicit anchor' in result.stderr


@pytest.mark.browser
def test_redirect_keeps_the_anchor_in_a_browser(repo, browser):
    from conftest import serve_dir

    move_story(repo, NEW)
    add_redirect(repo, f"/stories/{OLD}/", f"/stories/{NEW}/")
    with serve_dir(built(repo)) as base:
        page = browser.new_page()
        page.goto(f"{base}stories/{OLD}/#shift")
        page.wait_for_url(re.compile(f"/stories/{NEW}/#shift$"))
        assert page.url.endswith(f"/stories/{NEW}/#shift")
        context = browser.new_context(java_script_enabled=False)  # meta refresh fallback
        plain = context.new_page()
        plain.goto(f"{base}stories/{OLD}/")
        plain.wait_for_url(re.compile(f"/stories/{NEW}/$"))
        page.close()
        context.close()


# ---- reading-list codes: short, opaque, and never a new meaning once published --------------

def test_every_story_has_a_reading_list_code_that_the_lock_keeps(built_site):
    import json

    from macros.render.listcodes import LOCK_PREFIX, story_code
    data = json.loads((built_site / "clinicians" / "list" / "stories.json").read_text(encoding="utf-8"))
    for story in data["stories"]:
        assert story["code"] == story_code(story["id"]) and data["codes"][story["code"]] == story["id"]
        assert story["id"] not in story["code"]
    lock = read_lock(ROOT)
    assert any(line.startswith(LOCK_PREFIX) for line in lock)
    # A lock line that gave a published code another meaning is caught.
    code, story = lock[[l.startswith(LOCK_PREFIX) for l in lock].index(True)][len(LOCK_PREFIX):].split(" ")
    other = next(s["id"] for s in data["stories"] if s["id"] != story)
    failures = verify([f"{LOCK_PREFIX}{code} {other}"], built_site, load_redirects(ROOT))
    assert failures and "must keep its meaning" in failures[0]


def test_a_code_clash_with_a_published_code_is_a_build_error_with_advice(repo):
    from macros.read.handbook import load_handbook
    from macros.render.listcodes import LOCK_PREFIX, code_map, story_code
    from macros.render.readinglist import CodeClash, story_codes

    hb, problems = load_handbook(repo)
    assert not problems
    victim = hb.stories[0].id
    with (repo / "published-urls.txt").open("a", encoding="utf-8") as lock:
        lock.write(f"{LOCK_PREFIX}{story_code(victim)} a-withdrawn-story\n")
    with pytest.raises(CodeClash) as err:
        story_codes(hb)
    assert f"stories/{victim}.md: its reading-list code {story_code(victim)} already belongs" in str(err.value)
    assert "Rename this file" in str(err.value)
    # Two new stories with one code: the second is refused, the first keeps it.
    codes, clashes = code_map(["a", "b"], {}, {})
    assert len(codes) == 2 and not clashes
    from unittest import mock
    with mock.patch("macros.render.listcodes.story_code", lambda _id: "0000000"):
        codes, clashes = code_map(["a", "b"], {}, {})
    assert codes == {"0000000": "a"} and len(clashes) == 1 and clashes[0].startswith("stories/b.md")


def test_a_renamed_story_keeps_its_published_code(repo):
    from macros.render.listcodes import LOCK_PREFIX, story_code
    move_story(repo, NEW)
    add_redirect(repo, f"/stories/{OLD}/", f"/stories/{NEW}/")
    site = built(repo)
    import json
    codes = json.loads((site / "clinicians" / "list" / "stories.json").read_text(encoding="utf-8"))["codes"]
    assert f"{LOCK_PREFIX}{story_code(OLD)} {OLD}" in read_lock(repo)
    assert codes[story_code(OLD)] == NEW and codes[story_code(NEW)] == NEW
    assert verify(read_lock(repo), site, load_redirects(repo)) == []
