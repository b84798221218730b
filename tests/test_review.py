"""Overdue reviews are information in the build, never a strict-mode failure."""
from pathlib import Path

import yaml

from conftest import build


def reviewed_stories(root: Path) -> list[str]:
    """Story files that carry a review date, read independently of macros/."""
    ids = []
    for path in sorted((root / "stories").glob("*.md")):
        front = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n", 2)[1])
        if not path.name.startswith("_") and front.get("reviewed"):
            ids.append(path.stem)
    return ids


def test_overdue_review_is_info_in_the_build_and_not_a_failure(repo):
    result = build(repo, env={"RIPPLES_TODAY": "2029-01-01"})
    assert result.returncode == 0, result.stderr
    lines = [l for l in result.stderr.splitlines() if "review overdue" in l]
    assert len(lines) == len(reviewed_stories(repo)) > 0
    assert all(l.startswith("INFO") for l in lines)
    assert "stories/sarah-from-anger-to-vulnerability.md: review overdue: last reviewed 2026-11-27" in result.stderr


def test_no_overdue_line_when_reviews_are_recent(repo):
    result = build(repo, env={"RIPPLES_TODAY": "2027-01-01"})
    assert result.returncode == 0
    assert "review overdue" not in result.stderr
