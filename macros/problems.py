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
        where = self.path
        if self.line:
            where += f":{self.line}:{max(self.col, 1)}"
        return f"{where}: {self.field}: {self.message}"

    def github(self) -> str:
        """A GitHub Actions annotation so the problem shows on the diff line."""
        text = _escape(f"{self.field}: {self.message}")
        path = _escape(self.path).replace(",", "%2C").replace(":", "%3A")
        return f"::error file={path},line={max(self.line, 1)},col={max(self.col, 1)}::{text}"


def _escape(text: str) -> str:
    """GitHub workflow-command escaping."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def did_you_mean(value: str, allowed: list[str]) -> str:
    """' Did you mean "x"?' for a near miss, else ''."""
    close = difflib.get_close_matches(str(value), allowed, n=1, cutoff=0.6)
    return f' Did you mean "{close[0]}"?' if close else ""


def allowed_list(allowed: list[str]) -> str:
    return ", ".join(allowed)
