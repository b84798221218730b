"""Reading-list codes: a short code per story that names no story, for private links such
as /clinicians/list/#c=k7q2m9x,3fz8a0b.

A code is derived from the story id (SHA-256, 7 letters of a 32-letter alphabet), so a new
story needs no edit of any data file and a story pull request still touches only its own
file. Once published, a code is recorded in published-urls.txt ("make urls", like every
other address) as `/clinicians/list/#c=<code> <story id>`; the build reads those lines and
refuses any story whose code would give a recorded code a new meaning, so a code names one
story forever. A renamed story keeps its old code through its redirect."""
from __future__ import annotations

import hashlib
import re

ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"  # no i, l, o, u: nothing to misread on paper
LENGTH = 7                                      # 35 bits: a clash is rare even at 3,000 stories
LOCK_PREFIX = "/clinicians/list/#c="
LOCK_LINE = re.compile(re.escape(LOCK_PREFIX) + f"[{ALPHABET}]{{{LENGTH}}}" + r" [a-z0-9]+(?:-[a-z0-9]+)*")


def story_code(story_id: str) -> str:
    number = int.from_bytes(hashlib.sha256(story_id.encode("utf-8")).digest()[:8], "big")
    return "".join(ALPHABET[(number >> (5 * i)) & 31] for i in range(LENGTH))


def lock_line(code: str, story_id: str) -> str:
    return f"{LOCK_PREFIX}{code} {story_id}"


def locked_codes(lines: list[str]) -> dict[str, str]:
    """code -> story id, from the address lock's reading-list lines."""
    out = {}
    for line in lines:
        if line.startswith(LOCK_PREFIX):
            code, _, story_id = line[len(LOCK_PREFIX):].partition(" ")
            out[code] = story_id.strip()
    return out


def story_of_path(path: str) -> str | None:
    parts = path.strip("/").split("/")
    return parts[1] if len(parts) == 2 and parts[0] == "stories" else None


def renamed_stories(redirects) -> dict[str, str]:
    """old story id -> new story id, from stories/redirects.yml (withdrawn stories have none)."""
    out = {}
    for r in redirects.redirects:
        old, new = story_of_path(r.from_), story_of_path(r.to)
        if old and new and not r.withdrawn:
            out[old] = new
    return out


def code_map(story_ids: list[str], locked: dict[str, str], renamed: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """code -> id of the story it opens now, and one message per story whose code clashes."""
    current = set(story_ids)
    codes: dict[str, str] = {}
    for code, old in locked.items():
        now = renamed.get(old, old)
        if now in current:
            codes[code] = now
    problems = []
    for story_id in story_ids:
        code = story_code(story_id)
        owner = locked.get(code) or codes.get(code)
        if owner is not None and renamed.get(owner, owner) != story_id and codes.get(code) != story_id:
            problems.append(f"stories/{story_id}.md: its reading-list code {code} already belongs to the story "
                            f'"{owner}" (codes never change meaning once published). Rename this file '
                            "(its story id) slightly, e.g. add the storyteller's initial, and build again.")
            continue
        codes.setdefault(code, story_id)
    return codes, problems
