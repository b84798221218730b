"""Overdue reviews are information in the build, never a strict-mode failure.
Dates come from the story files themselves, so neither new stories nor new reviews
break these tests."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import yaml

from conftest import build
from macros.read.checks import add_months

PROBE = "sarah-from-anger-to-vulnerability"


def review_dates(root: Path) -> dict[str, dt.date]:
    """Story id -> review date, for story files that carry one (read independently of macros/)."""
    dates = {}
    for path in sorted((root / "stories").glob("*.md")):
        front = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n", 2)[1])
        if not path.name.startswith("_") and front.get("reviewed"):
            dates[path.stem] = front["reviewed"]
    return dates


def test_overdue_review_is_info_in_the_build_and_not_a_failure(repo):
    dates = review_dates(repo)
    today = add_months(max(dates.values()), 30)   # past every story's 24-month review period
    result = build(repo, env={"RIPPLES_TODAY": today.isoformat()})
    assert result.returncode == 0, result.stderr
    lines = [l for l in result.stderr.splitlines() if "review overdue" in l]
    assert len(lines) == len(dates) > 0
    assert all(l.startswith("INFO") for l in lines)
    assert f"stories/{PROBE}.md: review overdue: last reviewed {dates[PROBE].isoformat()}" in result.stderr


def test_no_overdue_line_when_reviews_are_recent(repo):
    """Every story reviewed on one day, the build run that day: nothing is overdue."""
    dates = review_dates(repo)
    day = max(dates.values()).isoformat()
    for sid in dates:
        path = repo / "stories" / f"{sid}.md"
        path.write_text(re.sub(r"(?m)^reviewed: .*$", f"reviewed: {day}", path.read_text(encoding="utf-8"), count=1),
                        encoding="utf-8")
    assert set(review_dates(repo).values()) == {max(dates.values())}
    result = build(repo, env={"RIPPLES_TODAY": day})
    assert result.returncode == 0, result.stderr
    assert "review overdue" not in result.stderr
