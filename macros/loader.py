"""Read one story file: bytes -> text -> front matter mapping + body.

Every failure becomes a Problem with file, line and a fix; nothing raises.
MkDocs' own front-matter parser is never used for stories (it swallows errors).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .model import ID_PATTERN
from .problems import Problem
from .yamlsafe import YamlError, parse

MAX_BYTES = 100_000
FENCE = "---"


@dataclass
class RawStory:
    id: str
    path: str
    data: dict[str, Any]
    positions: dict
    body: str
    body_line: int
    front_line: int   # line of the opening ---


def story_id(path: Path) -> str:
    return path.stem


def is_story_file(path: Path) -> bool:
    return path.suffix == ".md" and not path.name.startswith("_")


def check_file_name(path: Path, shown: str) -> list[Problem]:
    if ID_PATTERN.match(path.stem):
        return []
    return [Problem(shown, 0, 0, "file name",
                    f'"{path.name}" is not a valid story file name (use only lowercase letters a-z, '
                    'digits and single hyphens, e.g. "sarah-from-anger-to-vulnerability.md")')]


def decode(raw: bytes, shown: str) -> tuple[str | None, list[Problem]]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[:err.start].count(b"\n") + 1
        col = err.start - (raw.rfind(b"\n", 0, err.start) + 1) + 1
        return None, [Problem(shown, line, col, "file",
                              f"byte 0x{raw[err.start]:02X} at byte {err.start} (line {line}) is not UTF-8 "
                              "(save the file with UTF-8 encoding)")]
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return text, []


def split_front_matter(text: str, shown: str) -> tuple[str, str, int] | Problem:
    """Return (yaml_text, body, body_line) or the problem that prevents it."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != FENCE:
        return Problem(shown, 1, 1, "front matter",
                       "missing front matter (the file must start with a line containing only ---, "
                       "then the fields, then another ---; copy stories/_template.md)")
    for i, line in enumerate(lines[1:], start=1):
        if line.rstrip() in (FENCE, "..."):
            return "\n".join(lines[1:i]), "\n".join(lines[i + 1:]), i + 2
    return Problem(shown, 1, 1, "front matter",
                   "the front matter is never closed (add a line containing only --- after the last field)")


def read_story(path: Path, shown: str) -> tuple[RawStory | None, list[Problem]]:
    problems = check_file_name(path, shown)
    raw = path.read_bytes()
    if len(raw) > MAX_BYTES:
        return None, problems + [Problem(shown, 0, 0, "file",
                                         f"the file is {len(raw):,} bytes; the limit is {MAX_BYTES:,} "
                                         "(a story should be well under this; split or shorten it)")]
    text, bad = decode(raw, shown)
    if text is None:
        return None, problems + bad
    split = split_front_matter(text, shown)
    if isinstance(split, Problem):
        return None, problems + [split]
    yaml_text, body, body_line = split
    try:
        parsed = parse(yaml_text, line_offset=1)
    except YamlError as err:
        return None, problems + [Problem(shown, err.line, err.col, "front matter", err.message)]
    if not isinstance(parsed.data, dict):
        kind = "empty" if parsed.data is None else ("a list" if isinstance(parsed.data, list) else "plain text")
        return None, problems + [Problem(shown, 2, 1, "front matter",
                                         f"the front matter is {kind}; it must be `key: value` lines "
                                         "(title:, person:, chapter: ... as in stories/_template.md)")]
    return RawStory(story_id(path), shown, parsed.data, parsed.positions, body, body_line, 1), problems
