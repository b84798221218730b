"""Reporting for `python -m macros check` and the build: problems (errors),
reading-level warnings and overdue-review information."""
from __future__ import annotations

import datetime as dt
import os

from macros.read.model import Settings, Story
from macros.read.publication import WAITING_COMMAND, waiting
from macros.read.readability import grade

GRADE_LIMIT = 8.0


def editorial_text(story: Story) -> str:
    """Summary, shift and reflection together: what the editors wrote for this story."""
    m = story.meta
    parts = [p for p in (m.summary, *((m.shift.from_, m.shift.to) if m.shift else ()), *(m.reflection or ())) if p]
    return " ".join(p if p.rstrip().endswith((".", "?", "!")) else p.rstrip() + "." for p in parts)


def reading_warnings(stories: list[Story], limit: float = GRADE_LIMIT) -> list[str]:
    out = []
    for s in stories:
        text = editorial_text(s)
        g = grade(text) if text else 0.0  # nothing written yet: the editors will
        if g > limit:
            out.append(f"{s.path}: warning: the editorial text (summary, shift, reflection) reads at grade {g}; "
                       f"aim for {limit:g} or below (shorter sentences, simpler words)")
    return out


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    if year > dt.MAXYEAR:
        return dt.date.max
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)


def overdue(stories: list[Story], today: dt.date, months: int) -> list[Story]:
    return [s for s in stories if s.meta.reviewed and add_months(s.meta.reviewed, months) < today]


def awaiting_review(stories: list[Story]) -> list[str]:
    """Previews show these stories with a banner; the published site holds them back (not a failure)."""
    return [f"{h.story.path}: waiting for the editors, so the published site leaves it out for now "
            f"(previews show it with a banner): {'; '.join(h.reasons)}. `{WAITING_COMMAND}` lists every "
            "story waiting" for h in waiting(stories)]


def overdue_lines(stories: list[Story], today: dt.date, months: int) -> list[str]:
    return [f"{s.path}: review overdue: last reviewed {s.meta.reviewed.isoformat()}, "
            f"more than {months} months before {today.isoformat()}" for s in overdue(stories, today, months)]


def report(problems, out, stories=(), settings: Settings | None = None,
           today: dt.date | None = None, overdue_only: bool = False, notes=()) -> int:
    """`notes`: more information lines (a long story prints on more pages: never a failure)."""
    in_actions = os.environ.get("GITHUB_ACTIONS") == "true"
    for p in problems:
        print(p, file=out)
        if in_actions:
            print(p.github(), file=out)
    months = settings.review_period_months if settings else 24
    late = overdue_lines(list(stories), today or dt.date.today(), months)
    if overdue_only:
        for line in late:
            print(line, file=out)
        print(f"{len(late)} overdue review(s).", file=out)
        return 1 if late or problems else 0
    for line in reading_warnings(list(stories)):
        print(line, file=out)
    for line in late + awaiting_review(list(stories)):
        print(f"info: {line}", file=out)
    for line in notes:
        print(f"info: {line}", file=out)
    if problems:
        n = len(problems)
        print(f"\n{n} problem{'s' if n != 1 else ''} found. Fix them and run the check again.", file=out)
        return 1
    n = len(stories)
    print("The story is valid." if n == 1 else f"All {n} stories are valid.", file=out)
    return 0
