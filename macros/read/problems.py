"""One problem in one file, formatted for people and for GitHub annotations."""
from __future__ import annotations

import difflib
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    path: str          # shown as given, e.g. "stories/sarah.md"
    line: int          # 1-based; 0 when the problem is about the whole file
    col: int           # 1-based; 0 when unknown
    field: str         # front-matter key, "body", "file" or "front matter"
    message: str       # what is wrong, then "(how to fix it)"

    def __str__(self) -> str:
        where = printable(self.path)
        if where.startswith(":"):  # a line starting with "::" is a workflow command on GitHub
            where = "./" + where
        if self.line:
            where += f":{self.line}:{max(self.col, 1)}"
        return f"{where}: {printable(self.field)}: {printable(self.message)}"

    def github(self) -> str:
        """A GitHub Actions annotation so the problem shows on the diff line. Values are
        escaped by GitHub's rules: %, CR and LF everywhere; also : and , in properties."""
        text = printable(escape_data(f"{self.field}: {self.message}"))  # other control characters: shown
        path = printable(escape_property(self.path))
        return f"::error file={path},line={max(self.line, 1)},col={max(self.col, 1)}::{text}"


def printable(text: str) -> str:
    """One line of output whatever a contributor typed: control characters (line
    breaks included) are shown as escapes, so a value can never start a new line."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c == " " else _shown(c) for c in text)


def _shown(char: str) -> str:
    return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(char) or f"\\u{ord(char):04x}"


def escape_data(text: str) -> str:
    """GitHub workflow-command escaping of a message."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """GitHub workflow-command escaping of a property value (file=...)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def did_you_mean(value: str, allowed: list[str]) -> str:
    """' Did you mean "x"?' for a near miss, else ''."""
    close = difflib.get_close_matches(str(value), allowed, n=1, cutoff=0.6)
    return f' Did you mean "{close[0]}"?' if close else ""


def allowed_list(allowed: list[str]) -> str:
    return ", ".join(allowed)


class HandbookProblems(Exception):
    """Story or data problems that stop a build, already formatted for people."""


def format_problems(problems) -> str:
    lines = [str(p) for p in problems]
    return ("The handbook cannot be built until these are fixed "
            f"({len(lines)} problem{'s' if len(lines) != 1 else ''}):\n  " + "\n  ".join(lines)
            + "\nRun `make check` to see the same list.")
