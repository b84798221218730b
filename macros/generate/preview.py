"""`make preview STORY=<id>`: one story with its hubs, built and reloaded on save.

A full build renders every story; a contributor editing one story needs only that
page and the hubs that list it. With RIPPLES_PREVIEW=<id> the build generates just
those (and the hub indexes the navigation links to) and skips the search index,
so saving the story shows the change in a couple of seconds at any size.
"""
from __future__ import annotations

import os

from macros.read.handbook import Handbook
from macros.read.model import HUBS
from macros.read.problems import did_you_mean

ENV = "RIPPLES_PREVIEW"


def story_id() -> str | None:
    return os.environ.get(ENV, "").strip() or None


def pages(hb: Handbook) -> set[str] | None:
    """The generated src_uris to build, or None for a full build."""
    sid = story_id()
    if sid is None:
        return None
    story = hb.by_id.get(sid)
    if story is None:
        raise ValueError(f'{ENV}: there is no story "{sid}".{did_you_mean(sid, list(hb.by_id))} '
                         "(use a file name from stories/ without .md)")
    keep = {f"stories/{sid}.md"} | {f"{folder}/index.md" for _, folder, _ in HUBS.values()}
    for attr, folder, _ in HUBS.values():
        values = getattr(story.meta, attr)
        keep |= {f"{folder}/{v}.md" for v in ([values] if isinstance(values, str) else values)}
    return keep
