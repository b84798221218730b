"""The one rule set for single-line text from a pull request: every value in a
story's front matter and in every data file (taxonomy, glossary, pathways,
handbook, redirects) goes through `text_problem`.

Templates escape at output as well; refusing here tells the contributor why
instead of publishing something they did not mean.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Any

from .problems import Problem

_ENTITY = re.compile(r"&#?[A-Za-z0-9]+;")
# Line and paragraph separators and the bidirectional overrides that can make
# text read differently from what it is ("Trojan Source").
_INVISIBLE = set("\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\ufeff")


def _invisible(char: str) -> bool:
    return char in _INVISIBLE or (unicodedata.category(char) == "Cc" and char != "\n")


# The same characters as one class, for one scan of each value (a call per character was
# ~0.1 ms a story). Unicode's control characters (Cc) all lie below U+00A0.
_INVISIBLE_RE = re.compile("[" + "".join(re.escape(c) for c in sorted({*map(chr, range(0xA0)), *_INVISIBLE})
                                         if _invisible(c)) + "]")


def text_problem(text: str) -> str | None:
    """Why a single-line text value is refused, or None."""
    if "<" in text or ">" in text:
        which = "<" if "<" in text else ">"
        return (f'contains "{which}", which is not allowed in this field (it could be read as HTML; '
                'write the words instead, e.g. "less than")')
    if "\n" in text.strip():
        return ("runs over more than one line or holds a blank line (write it as one line of text; "
                "a value may not carry extra Markdown or paragraphs)")
    bad = _INVISIBLE_RE.search(text)
    if bad is not None:
        return (f"contains the invisible control character U+{ord(bad.group()):04X} (delete it, or retype the value)")
    if _ENTITY.search(text):
        return (f'contains the HTML code "{_ENTITY.search(text).group()}" (write what it stands for: '
                '"&" instead of "&amp;", and words such as "less than" instead of "&lt;")')
    return None


def strings(value: Any, loc: tuple = ()) -> list[tuple[tuple, str]]:
    """Every text value in parsed YAML with its path; iterative, so depth never recurses."""
    out, todo = [], [(loc, value)]
    while todo:
        here, item = todo.pop()
        if isinstance(item, str):
            out.append((here, item))
        elif isinstance(item, dict):
            todo.extend((here + (k,), v) for k, v in reversed(list(item.items())))
        elif isinstance(item, list):
            todo.extend((here + (i,), v) for i, v in reversed(list(enumerate(item))))
    return out


def data_text_problems(data: Any, positions: dict, shown: str, locate) -> list[Problem]:
    """The text rule over a whole data file."""
    problems = []
    for loc, text in strings(data):
        why = text_problem(text)
        if why:
            line, col = locate(positions, loc, (1, 1))
            problems.append(Problem(shown, line, col, ".".join(map(str, loc)), why))
    return problems
