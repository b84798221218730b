"""Python regular expressions as JavaScript RegExp sources that match what Python matches.

A translation by hand (`\\s` for `\\s`) is not enough: Python's `\\s`, `\\d`, `\\w` and its
letter class follow the Unicode tables of Python's own `unicodedata`, JavaScript's follow
the browser's (newer, and `\\s` there also covers U+FEFF but not U+001C-U+001F). So each
shorthand becomes an explicit class of the code points Python's `re` gives it; the
"Write a story" page then reaches the check's verdict whatever the browser's Unicode version.
"""
from __future__ import annotations

import array
import functools
import re
import sys

_LETTER = "[^\\W\\d_]"  # a letter as Python's re sees it (what `person` may be made of)
_SHORTHANDS = {"s": r"\s", "d": r"\d", "w": r"\w", "letter": _LETTER}


@functools.cache
def _every_character() -> str:
    points = array.array("I", range(0xD800)) + array.array("I", range(0xE000, 0x110000))
    return points.tobytes().decode("utf-32-le" if sys.byteorder == "little" else "utf-32-be")


def _code(n: int) -> str:
    return f"\\u{{{n:X}}}"


@functools.cache
def _runs(name: str) -> tuple[tuple[int, int], ...]:
    """(first, last) code points of each run Python's re itself matches with the shorthand."""
    return tuple((first, last) for first, last in _from_unicode("runs", _SHORTHANDS[name], lambda: _scan_runs(name)))


def _scan_runs(name: str) -> list[tuple[int, int]]:
    text, runs = _every_character(), []
    for match in re.finditer(_SHORTHANDS[name] + "+", text):
        first, last = ord(text[match.start()]), ord(text[match.end() - 1])
        if runs and runs[-1][1] == 0xD7FF and first == 0xE000:  # the skipped surrogates split nothing
            first = runs.pop()[0]
        runs.append((first, last))
    return runs


@functools.cache
def class_body(name: str) -> str:
    """The code points Python's re gives a shorthand, as JavaScript class ranges (needs the u flag)."""
    return "".join(_code(a) if a == b else f"{_code(a)}-{_code(b)}" for a, b in _runs(name))


def chars_of(name: str) -> str:
    """The same code points as a plain string (for JavaScript code that compares characters)."""
    return "".join(chr(n) for a, b in _runs(name) for n in range(a, b + 1))


@functools.cache
def _caseless(letter: str) -> str:
    """Non-ASCII characters Python's re.IGNORECASE takes for an ASCII letter (ı and İ for i, ſ for s,
    the Kelvin sign for k): JavaScript's i flag does not."""
    return "".join(c for c in _caseless_letters() if re.fullmatch(letter, c, re.IGNORECASE))


@functools.cache
def _caseless_letters() -> str:
    return _from_unicode("caseless", "[a-z]", lambda: "".join(
        m.group() for m in re.finditer("[a-z]", _every_character()[0x80:], re.IGNORECASE)))


def _from_unicode(kind: str, pattern: str, scan):
    """scan(), which reads every code point through Python's re (a tenth of a second each, in
    every build), kept on disk keyed on what alone decides it: Python, its Unicode data, the
    pattern (macros/render/cache.py)."""
    import unicodedata

    from macros.render import cache
    return cache.cached_json(f"jsregex-{kind}", [sys.version, unicodedata.unidata_version, pattern], scan)


def _letters(class_text: str) -> str:
    """The ASCII letters a class's source names, singly or in ranges (escapes skipped)."""
    found, i = set(), 0
    while i < len(class_text):
        if class_text[i] == "\\":
            i += 2
            continue
        if i + 2 < len(class_text) and class_text[i + 1] == "-" and class_text[i + 2] != "\\":
            found.update(chr(n) for n in range(ord(class_text[i]), ord(class_text[i + 2]) + 1))
            i += 3
            continue
        found.add(class_text[i])
        i += 1
    return "".join(sorted(c for c in found if c.isascii() and c.isalpha()))


def _extras(letters: str) -> str:
    return "".join(_code(ord(c)) for c in sorted({c for letter in letters for c in _caseless(letter)}))


def translate(source: str, ignorecase: bool = False) -> tuple[str, bool]:
    """`source` with Python's shorthand classes spelt out (and, under IGNORECASE, the non-ASCII
    characters Python matches to ASCII letters added); True when the result needs the u flag."""
    spelt = _LETTER in source
    source = source.replace(_LETTER, "[" + class_body("letter") + "]")
    out, i, class_start = [], 0, None
    while i < len(source):
        char = source[i]
        if char == "\\" and i + 1 < len(source):
            escape = source[i + 1]
            if escape.lower() in "sdw":
                body = class_body(escape.lower())
                if escape.islower():
                    out.append(body if class_start is not None else f"[{body}]")
                elif class_start is not None:
                    raise ValueError(f"cannot spell out \\{escape} inside a character class: {source!r}")
                else:
                    out.append(f"[^{body}]")
                spelt = True
            else:
                out.append(source[i:i + 2])
            i += 2
            continue
        if char == "[" and class_start is None:
            class_start = i + 1
            out.append(char)
            if source[i + 1:i + 2] == "^":
                out.append("^")
                i += 1
            if source[i + 1:i + 2] == "]":  # a ] first in a class is a literal
                out.append("\\]")
                i += 1
        elif char == "]" and class_start is not None:
            extra = _extras(_letters(source[class_start:i])) if ignorecase else ""
            out.append(extra + "]")
            spelt = spelt or bool(extra)
            class_start = None
        elif ignorecase and class_start is None and char.isascii() and char.isalpha() and _caseless(char):
            out.append(f"[{char}{_extras(char)}]")
            spelt = True
        else:
            out.append(char)
        i += 1
    return "".join(out), spelt


@functools.cache
def casefold_table(alphabet: str) -> dict[str, str]:
    """Characters whose Python casefold() is made only of `alphabet` (and differs from them):
    with lower-casing of ASCII, all JavaScript needs to fold text exactly as Python does
    when comparing it with words written in that alphabet (toLowerCase() misses ſ, ß, ﬆ …)."""
    letters, text, table = set(alphabet), _every_character(), {}
    for start in range(0x80, len(text), 256):  # whole blocks first: most never change
        block = text[start:start + 256]
        if block.casefold() != block:
            table.update((c, f) for c in block if (f := c.casefold()) != c and set(f) <= letters)
    return table


def fold_check(words) -> str:
    """The alphabet of `words` (for casefold_table)."""
    return "".join(sorted({c for w in words for c in w}))

