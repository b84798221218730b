"""What a build says about the handbook before it renders: INFO lines, never warnings,
so that a strict build cannot fail on them (a story waiting for the editors is news,
not an error)."""
from __future__ import annotations

import datetime as dt
import os

from macros.read import checks, publication
from macros.read.handbook import Handbook
from macros.render import toolkit


def information(hb: Handbook, today: dt.date | None = None) -> list[str]:
    months = hb.settings.review_period_months
    today = today or dt.date.fromisoformat(os.environ.get("RIPPLES_TODAY") or dt.date.today().isoformat())
    late = checks.overdue_lines(hb.stories, today, months)
    return [f"Ripples: {len(hb.stories)} stories, {len(hb.taxonomy.chapters)} chapters validated", *late,
            *checks.awaiting_review(hb.stories), *held_back_lines(hb, today), *toolkit.handout_notes(hb.stories)]


def held_back_lines(hb: Handbook, today: dt.date) -> list[str]:
    """Publish builds: the stories left out, each with how long it has waited."""
    if not hb.held_back:
        return []
    n = len(hb.held_back)
    return [f"Ripples: {n} stor{'ies' if n != 1 else 'y'} waiting for the editors, left out of this published "
            f"site (not a failure; `{publication.WAITING_COMMAND}` shows the same list):",
            *publication.waiting_lines(hb.held_back, hb.root, today)]
