"""Read one story file: bytes -> text -> front matter mapping + body.

Every failure becomes a Problem with file, line and a fix; nothing raises.
MkDocs' own front-matter parser is never used for stories (it swallows errors).
"""
from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from macros.read.model import ID_PATTERN
from macros.read.problems import Problem
from macros.read.textrules import file_problems
from macros.read.yamlsafe import YamlError, parse

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


# Files in stories/ that are not stories. Everything else there must be a regular <id>.md file.
NOT_STORIES = {"_template.md", "story.schema.json", "taxonomy.yml", "glossary.yml", "pathways.yml",
               "handbook.yml", "redirects.yml"}


class NotRegular(Exception):
    """A symlink, folder, device or pipe where a file was expected (message says which)."""


def is_story_file(path: Path) -> bool:
    """Every entry of stories/ except the known data files is a story or a problem."""
    return path.name not in NOT_STORIES


def _kind_problem(mode: int) -> str | None:
    if stat.S_ISLNK(mode):
        return ("is a symbolic link; a story must be a regular file "
                "(replace the link with a copy of the file itself)")
    if stat.S_ISDIR(mode):
        return "is a folder, not a story file (stories/ holds only story files; move the folder out)"
    if not stat.S_ISREG(mode):
        return "is not a regular file (a device, pipe or socket cannot be a story; remove it)"
    return None


def read_bounded(path: Path, limit: int) -> bytes:
    """At most limit + 1 bytes of a regular file, never following a symlink or opening a device."""
    try:
        mode = os.lstat(path).st_mode
    except OSError as err:
        raise NotRegular(f"cannot be read ({err.strerror})") from None
    why = _kind_problem(mode)
    if why:
        raise NotRegular(why)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError as err:  # swapped for a link or removed since the lstat
        raise NotRegular(f"cannot be read ({err.strerror})") from None
    with os.fdopen(fd, "rb") as handle:
        why = _kind_problem(os.fstat(handle.fileno()).st_mode)
        if why:
            raise NotRegular(why)
        return handle.read(limit + 1)


def link_problems(root: Path, folders: tuple[str, ...] = ("docs", "overrides", "stories")) -> list[Problem]:
    """Every symbolic link or special file where the build reads: none may publish a file from
    elsewhere on the machine (stories/ entries are reported one by one by read_story)."""
    problems = []
    for folder in folders:
        for where, dirs, files in os.walk(root / folder):
            for name in sorted(dirs + files):
                path = Path(where) / name
                if folder == "stories" and path.parent == root / "stories" and is_story_file(path):
                    continue
                mode = os.lstat(path).st_mode
                if stat.S_ISLNK(mode):
                    why = "is a symbolic link; the site is built only from regular files (replace it with a copy)"
                elif not (stat.S_ISDIR(mode) or stat.S_ISREG(mode)):
                    why = "is not a regular file (a device, pipe or socket; remove it)"
                else:
                    continue
                problems.append(Problem(path.relative_to(root).as_posix(), 0, 0, "file", why))
    return problems


def entry_problem(path: Path, shown: str) -> Problem | None:
    """Only a regular file named <id>.md is a story."""
    try:
        why = _kind_problem(os.lstat(path).st_mode)
    except OSError as err:
        why = f"cannot be read ({err.strerror})"
    if why:
        return Problem(shown, 0, 0, "file", why)
    if path.suffix != ".md":
        kind = f'the extension "{path.suffix}"' if path.suffix else "no extension"
        return Problem(shown, 0, 0, "file name",
                       f"has {kind}; story files end in .md, in lowercase (rename it to {path.stem.lower()}.md)")
    return None


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
    text = text.removeprefix("\ufeff")
    hidden = file_problems(text, shown, _part_of(text))
    if hidden:  # refused before YAML reads it: libyaml would break lines where git does not
        return None, hidden
    return text.replace("\r\n", "\n"), []


def _part_of(text: str):
    """Line number -> "front matter" or "body", as split_front_matter will split the file."""
    lines = text.split("\n")
    end = next((i + 1 for i, line in enumerate(lines[1:], start=1) if line.rstrip() in (FENCE, "...")), len(lines))
    return lambda n: "front matter" if n <= end else "body"


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
    bad = entry_problem(path, shown)
    if bad:
        return None, [bad]
    problems = check_file_name(path, shown)
    try:
        raw = read_bounded(path, MAX_BYTES)
    except NotRegular as err:
        return None, problems + [Problem(shown, 0, 0, "file", str(err))]
    if len(raw) > MAX_BYTES:
        return None, problems + [Problem(shown, 0, 0, "file",
                                         f"the file is {os.lstat(path).st_size:,} bytes; the limit is {MAX_BYTES:,} "
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
