"""Which stories go live: a story waiting for the editors is held back from the
published site (its page, hubs, pathways), listed with how long it has waited, and
never fails a build (macros/read/publication.py)."""
from __future__ import annotations

import datetime as dt
import os
import subprocess

from conftest import check
from macros.read.handbook import load_handbook
from macros.read.publication import held_back_reasons, split, summary_markdown, waiting, waiting_lines
from storyfile import story, write

TODAY = dt.date(2026, 12, 3)


def waiting_story(repo, name: str = "zoe-waiting.md"):
    write(repo, story(reviewed=""), name)
    return name.removesuffix(".md")


def test_a_story_without_a_review_date_is_held_back_with_the_reason(repo):
    sid = waiting_story(repo)
    hb, problems = load_handbook(repo, publish=False)
    assert not problems
    [mine] = [s for s in hb.stories if s.id == sid]
    assert held_back_reasons(mine) == ["no editorial review yet (an editor adds `reviewed:` and `reviewer:`)"]
    assert all(held_back_reasons(s) == [] for s in hb.stories if s.meta.reviewed)
    assert [h.story.id for h in waiting(hb.stories)] == [s.id for s in hb.stories if s.meta.reviewed is None]


def test_previews_show_everything_and_the_published_handbook_only_what_is_finished(repo):
    sid = waiting_story(repo)
    preview, _ = load_handbook(repo, publish=False)
    published, _ = load_handbook(repo, publish=True)
    assert sid in preview.by_id and sid not in published.by_id
    assert [h.story.id for h in published.held_back] == [sid] and preview.held_back == []
    assert all(sid not in [s.id for s in members] for members in published.members.values())
    assert split(preview.stories, publish=False) == (preview.stories, [])


def test_a_pathway_lists_only_the_stories_that_are_live(repo):
    sid = waiting_story(repo)
    path = repo / "stories" / "pathways.yml"
    text = path.read_text(encoding="utf-8")
    first = text.index("  stories:\n") + len("  stories:\n")
    indent = text[first:].split("-", 1)[0]
    path.write_text(text[:first] + f"{indent}- {sid}\n" + text[first:], encoding="utf-8")
    preview, problems = load_handbook(repo, publish=False)
    assert not problems, problems
    published, _ = load_handbook(repo, publish=True)
    assert sid in preview.pathways.pathways[0].stories
    assert sid not in published.pathways.pathways[0].stories
    assert published.pathways.pathways[0].stories == [s for s in preview.pathways.pathways[0].stories if s != sid]


def git(repo, *argv: str, date: str | None = None) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org"}
    if date:
        env |= {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    subprocess.run(["git", "-C", str(repo), *argv], check=True, capture_output=True, env=env, timeout=60)


def test_the_wait_counts_from_the_commit_that_added_the_story(repo):
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "seed", date="2026-01-01T12:00:00Z")
    sid = waiting_story(repo)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "a story", date="2026-11-20T12:00:00Z")
    (repo / "stories" / f"{sid}.md").write_text(story(reviewed="", title='"Edited later"'), encoding="utf-8")
    git(repo, "commit", "-qam", "an edit", date="2026-11-30T12:00:00Z")
    held = load_handbook(repo, publish=True)[0].held_back
    assert waiting_lines(held, repo, TODAY) == [
        f"stories/{sid}.md: held back from the published site, waiting 13 days (since 2026-11-20): "
        "no editorial review yet (an editor adds `reviewed:` and `reviewer:`)"]
    table = summary_markdown(held, repo, TODAY)
    assert f"| `stories/{sid}.md` | waiting 13 days (since 2026-11-20) | no editorial review yet" in table
    assert "`make waiting` shows the same list" in table


def test_make_waiting_lists_them_and_never_fails(repo):
    sid = waiting_story(repo)
    result = check(repo, "waiting", "--today", TODAY.isoformat())
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"stories/{sid}.md: held back from the published site, not committed yet" in result.stdout
    assert result.stdout.rstrip().endswith("1 story waiting for the editors (held back from the published site; "
                                           "previews show them with a banner).")


def test_the_job_summary_says_when_nothing_waits(repo):
    result = check(repo, "waiting", "--markdown")
    assert result.returncode == 0 and "None: every story is published." in result.stdout
