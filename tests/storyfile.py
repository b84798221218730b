"""A small valid story for tests, line by line, to vary one field at a time.

 1 ---
 2 title / 3 person / 4 chapter / 5 domains / 6 themes / 7 summary
 8 shift: / 9 from / 10 to / 11 reflection: / 12 - q1 / 13 - q2
14 content_notes / 15 consent: / 16 permission / 17 deidentified / 18 others_deidentified
19 reviewed / 20 --- (new keys are added before it, on line 20) / 21 blank / 22 body
"""
from __future__ import annotations

from pathlib import Path

BASE = {
    "title": "A Small Test Story",
    "person": "Zoe",
    "chapter": "emotional-walls",
    "domains": "[romantic]",
    "themes": "[vulnerability, anger]",
    "summary": "Zoe learned to say how she felt.",
    "shift": "\n  from: Hiding her feelings\n  to: Saying them out loud",
    "reflection": "\n  - What helps you say how you feel?\n  - Who do you trust with hard news?",
    "content_notes": "[]",
    "consent": "\n  permission: true\n  deidentified: true\n  others_deidentified: true",
    "reviewed": "2026-01-15",
}
BODY = "I used to hide my feelings. Now I say them.\n"


def story(body: str = BODY, **fields: str | None) -> str:
    """The valid story, with some front-matter values replaced (raw YAML), removed (None) or added."""
    front = dict(BASE)
    for key, value in fields.items():
        if value is None:
            front.pop(key, None)
        else:
            front[key] = value
    lines = "".join(f"{k}:{'' if v.startswith(chr(10)) else ' '}{v}\n" for k, v in front.items())
    return f"---\n{lines}---\n\n{body}"


def write(repo: Path, text: str | bytes, name: str = "x.md") -> Path:
    path = repo / "stories" / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", newline="")
    return path
