"""What the editors still have to write for a story.

A storyteller may leave the themes and the editorial fields (summary, shift, reflection
questions) to the editors: such a story passes the pull-request check with an `info`
line, and is held back from publishing until the editors fill them in, the same way as
a story awaiting its review (publication.held_back_reasons).
"""
from __future__ import annotations

from macros.read.model import Story

# field -> how the info line names it
EDITORIAL_FIELDS = {"themes": "the themes", "summary": "the summary", "shift": "the shift (from and to)",
                    "reflection": "the questions for reflection"}


def missing_editorial_fields(story: Story) -> list[str]:
    """The front-matter fields the editors still have to write (empty list: none)."""
    return [field for field in EDITORIAL_FIELDS if getattr(story.meta, field) in (None, [])]


def left_to_editors(fields: list[str]) -> str:
    names = [EDITORIAL_FIELDS[f] for f in fields]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"the editors will write {listed}"

