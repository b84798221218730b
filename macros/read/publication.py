"""Which stories go live, and which wait for the editors.

A story arrives from its storyteller without a review date (that is how `make new`
and the /contribute/write/ page leave it). Preview builds (pull requests, `make
build`, `make serve`) show it with its "Awaiting editorial review" banner; the
published site (`make publish`, the deploy) holds it back: no page, no hub entry,
no search entry, nothing in stories.json, until an editor's later pull request
adds the missing parts. Waiting is a step, never a failure.
"""
from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass
from pathlib import Path

from macros.read.editorial import left_to_editors, missing_editorial_fields
from macros.read.model import Story

WAITING_COMMAND = "make waiting"


def held_back_reasons(story: Story) -> list[str]:
    """What the editors still have to do before this story can go live; empty = publishable."""
    reasons = []
    if story.meta.reviewed is None:
        reasons.append("no editorial review yet (an editor adds `reviewed:` and `reviewer:`)")
    missing = missing_editorial_fields(story)
    if missing:
        reasons.append(f"{left_to_editors(missing)} (left empty by the storyteller)")
    return reasons


@dataclass(frozen=True)
class HeldBack:
    story: Story
    reasons: tuple[str, ...]


def split(stories: list[Story], publish: bool) -> tuple[list[Story], list[HeldBack]]:
    """(the stories the build shows, the ones it holds back). Previews show everything."""
    if not publish:
        return list(stories), []
    shown, held = [], []
    for story in stories:
        reasons = held_back_reasons(story)
        if reasons:
            held.append(HeldBack(story, tuple(reasons)))
        else:
            shown.append(story)
    return shown, held


def waiting(stories: list[Story]) -> list[HeldBack]:
    """Every story that a publish build would hold back, whatever this build's mode."""
    return split(stories, publish=True)[1]


def first_added(root: Path) -> dict[str, dt.date]:
    """stories/<file> -> the date of the commit that first added it, from one `git log`
    (linear in the history; a checkout without history or git gives {})."""
    try:
        out = subprocess.run(["git", "-C", str(root), "log", "--diff-filter=A", "--format=%x00%cs",
                              "--name-only", "--no-renames", "--", "stories/"],
                             capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return {}
    added: dict[str, dt.date] = {}
    for entry in out.stdout.split("\0")[1:] if out.returncode == 0 else []:
        day, _, names = entry.partition("\n")
        for name in names.split():
            try:
                added[name] = dt.date.fromisoformat(day.strip())  # newest first: keep the oldest
            except ValueError:
                continue
    return added


def waited(item: HeldBack, added: dict[str, dt.date], today: dt.date) -> str:
    since = added.get(f"stories/{item.story.id}.md")
    if since is None:
        return "not committed yet"
    days = max(0, (today - since).days)
    return f"waiting {days} day{'s' if days != 1 else ''} (since {since.isoformat()})"


def waiting_lines(held: list[HeldBack], root: Path, today: dt.date) -> list[str]:
    """One line per story held back, for the build log and `make waiting`."""
    added = first_added(root) if held else {}
    return [f"stories/{h.story.id}.md: held back from the published site, {waited(h, added, today)}: "
            + "; ".join(h.reasons) for h in held]


def summary_markdown(held: list[HeldBack], root: Path, today: dt.date) -> str:
    """The GitHub job summary: a table of the stories waiting for the editors."""
    if not held:
        return "### Stories waiting for editorial review\n\nNone: every story is published.\n"
    added = first_added(root)
    rows = [f"| `stories/{h.story.id}.md` | {waited(h, added, today)} | {'; '.join(h.reasons)} |" for h in held]
    return ("### Stories waiting for editorial review\n\n"
            f"{len(held)} stor{'ies are' if len(held) != 1 else 'y is'} held back from the published site "
            f"(not a failure). `{WAITING_COMMAND}` shows the same list.\n\n"
            "| story | waiting | still to do |\n|---|---|---|\n" + "\n".join(rows) + "\n")
