"""Issue 9: the build runs the same check and reports the same lines; failing builds
stop in on_config, before any page is written. The publish build (RIPPLES_PUBLISH=1,
used by `make publish` and the deploy job) leaves out stories waiting for editorial
review and still passes."""
from __future__ import annotations

from conftest import build, check
from storyfile import story, write


def same_lines(repo, env=None) -> list[str]:
    checked = check(repo, "check")
    built = build(repo, env=env)
    assert checked.returncode == 1 and built.returncode == 1
    assert "Traceback" not in built.stdout + built.stderr + checked.stdout + checked.stderr
    lines = [line for line in checked.stdout.splitlines() if line.startswith("stories/")]
    assert lines
    for line in lines:
        assert f"  {line}" in built.stdout + built.stderr, line
    assert not (repo / "site" / "index.html").exists()  # nothing half-written
    return lines


def test_build_reports_what_the_check_reports(repo, tmp_path):
    outside = tmp_path / "secret.md"
    outside.write_text(story(), encoding="utf-8")
    (repo / "stories" / "leak.md").symlink_to(outside)
    (repo / "stories" / "folder.md").mkdir()
    write(repo, story(), "index.md")
    write(repo, story(), "notes.txt")
    (repo / "stories" / "redirects.yml").write_text("redirects:\n  - {from: /about/, to: /chapters/}\n",
                                                    encoding="utf-8")
    lines = same_lines(repo)
    assert len(lines) == 5, lines


def test_publish_build_leaves_out_a_story_awaiting_review_and_passes(repo):
    write(repo, story(reviewed=""), "zoe-waiting.md")
    result = build(repo, env={"RIPPLES_PUBLISH": "1"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert not (repo / "site" / "stories" / "zoe-waiting").exists()
    assert "zoe-waiting" not in (repo / "site" / "sitemap.xml").read_text(encoding="utf-8")
    assert "stories/zoe-waiting.md: held back from the published site" in result.stdout + result.stderr


def test_publish_build_still_refuses_real_problems(repo):
    write(repo, story(reviewed="", person="[]"), "zoe-broken.md")
    assert same_lines(repo, env={"RIPPLES_PUBLISH": "1"})


def test_preview_build_marks_a_story_awaiting_review(repo):
    write(repo, story(reviewed=""), "zoe-waiting.md")
    result = build(repo)
    assert result.returncode == 0, result.stdout + result.stderr
    page = (repo / "site" / "stories" / "zoe-waiting" / "index.html").read_text(encoding="utf-8")
    assert "Awaiting editorial review" in page and "Last reviewed" not in page
    assert '<p class="reviewed">Not reviewed yet.</p>' in page


def test_search_index_title_is_escaped_markup():
    """Pagefind reads the built HTML: the title it stores for a story (its meta
    attribute) must be escaped there, so a result can never carry markup."""
    from types import SimpleNamespace
    from macros.render import searchmeta
    raw = '<img src=x onerror=alert(1) & "q"'
    story = SimpleNamespace(label=raw, meta=SimpleNamespace(domains=["family"], themes=["trust"], chapter="c",
                                                            content_notes=[]))
    html = searchmeta.article_prefix({"ripples": {"kind": "story", "id": "x"}}, SimpleNamespace(by_id={"x": story}))
    assert "<img" not in html
    assert 'data-pagefind-meta="title:&lt;img src=x onerror=alert(1) &amp; &quot;q&quot;"' in html
