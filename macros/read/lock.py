"""published-urls.txt, as the build reads it: every address, #anchor and reading-list
code the handbook has ever published. The reading list keeps each code's meaning
from it; the finish step (macros/finish/urls.py) checks the built site against it."""
from __future__ import annotations

from pathlib import Path

LOCK_FILE = "published-urls.txt"


def read_lock(root: Path) -> list[str]:
    path = root / LOCK_FILE
    if not path.exists():
        return []
    return [l.strip() for l in path.read_text(encoding="utf-8").splitlines()
            if l.strip() and not l.startswith("#")]
