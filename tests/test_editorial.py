"""Issue 18: a storyteller may leave the themes and the editorial fields (summary, shift,
reflection questions) to the editors. Such a story passes the pull-request check with an
`info` line, is held back from the published site until they are written, and every
renderer shows a preview of it."""
from __future__ import annotations

import io
import json
from pathlib import Path

from storyfile import story, write
from conftest import build, copy_repo
from macros.cli.main import main
from macros.read.editorial import missing_editorial_fields
from macros.read.handbook import check_handbook
from macros.read.publication import held_back_reasons

LEFT = dict(themes="[]", summary=None, shift=None, reflection=None, reviewed=None)
FIELDS = ["themes", "summary", "shift", "reflection"]


def run(repo: Path, *args: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(["--root", str(repo), "check", *args], out=out, err=io.StringIO())
    return code, out.getvalue()


def test_a_story_without_the_editors_part_passes_the_check_with_an_info_line(repo):
    path = write(repo, story(**LEFT), "zoe-left-to-editors.md")
    code, out = run(repo, str(path))
    assert code == 0, out
    assert out.startswith("info: stories/zoe-left-to-editors.md: waiting for the editors")
    assert ("the editors will write the themes, the summary, the shift (from and to) and the questions for "
            "reflection (left empty by the storyteller)") in out


def test_blank_editorial_values_count_as_left_to_the_editors(repo):
    path = write(repo, story(themes="[]", summary='""', shift="", reflection="[]"), "zoe-blank.md")
    stories = check_handbook(repo, [path]).stories
    assert [missing_editorial_fields(s) for s in stories] == [FIELDS]


def test_half_a_shift_or_one_question_is_still_a_problem(repo):
    path = write(repo, story(shift="\n  from: Hiding", reflection="\n  - Only one?"), "zoe-half.md")
    code, out = run(repo, str(path))
    assert code == 1 and "shift.to: is missing" in out and "reflection: has 1 question(s)" in out


def test_publishing_holds_it_back_until_the_editors_write_their_part(repo):
    path = write(repo, story(**{**LEFT, "reviewed": "2026-01-15"}), "zoe-reviewed.md")
    reviewed = check_handbook(repo, [path]).stories[0]
    assert held_back_reasons(reviewed) == ["the editors will write the themes, the summary, the shift (from and "
                                           "to) and the questions for reflection (left empty by the storyteller)"]
    complete = write(repo, story(), "zoe-complete.md")
    assert held_back_reasons(check_handbook(repo, [complete]).stories[0]) == []


def test_a_preview_build_shows_the_story_without_its_editorial_part(tmp_path):
    root = copy_repo(tmp_path / "repo")
    write(root, story(**LEFT), "zoe-left-to-editors.md")
    result = build(root)
    assert result.returncode == 0, result.stdout + result.stderr
    site = root / "site"
    page = (site / "stories" / "zoe-left-to-editors" / "index.html").read_text(encoding="utf-8")
    assert page.count("The editors will write this part.") == 3 and "None" not in page
    hub = (site / "domains" / "romantic" / "index.html").read_text(encoding="utf-8")
    card = hub[hub.index('href="../../stories/zoe-left-to-editors/"'):][:400]
    assert "card-summary" not in card.split("</li>")[0]
    data = json.loads((site / "clinicians" / "list" / "stories.json").read_text(encoding="utf-8"))
    mine = [s for s in data["stories"] if s["id"] == "zoe-left-to-editors"]
    assert mine and mine[0]["summary"] == "" and mine[0]["themes"] == []
