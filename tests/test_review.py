"""Overdue reviews are information in the build, never a strict-mode failure."""
from conftest import build


def test_overdue_review_is_info_in_the_build_and_not_a_failure(repo):
    result = build(repo, env={"RIPPLES_TODAY": "2029-01-01"})
    assert result.returncode == 0, result.stderr
    lines = [l for l in result.stderr.splitlines() if "review overdue" in l]
    assert len(lines) == 22
    assert all(l.startswith("INFO") for l in lines)
    assert "stories/sarah-from-anger-to-vulnerability.md: review overdue: last reviewed 2026-11-27" in result.stderr


def test_no_overdue_line_when_reviews_are_recent(repo):
    result = build(repo, env={"RIPPLES_TODAY": "2027-01-01"})
    assert result.returncode == 0
    assert "review overdue" not in result.stderr
