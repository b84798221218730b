"""The one rule set for single-line text from a pull request: every value in a
story's front matter and in every data file (taxonomy, glossary, pathways,
handbook, redirects) goes through `text_problem`.

Templates escape at output as well; refusing here tells the contributor why
instead of publishing something they did not mean. `file_problems` applies the
invisible-character part of the rule to every line of a story or data file.
"""
from __future__ import annotations

import re
from typing import Any

import icu

from macros.read.problems import Problem

_ENTITY = re.compile(r"&#?[A-Za-z0-9]+;")

# What a reviewer sees in a GitHub diff must be what the loaders read (issue 19), so these
# characters are refused in every value and everywhere in a story or data file:
# - Unicode's format characters (category Cf, from ICU's Unicode data): bidi controls that
#   reorder text ("Trojan Source"), zero-width spaces, soft hyphens, tag characters...;
# - U+2028 and U+2029, which libyaml (and JavaScript) read as line breaks where git does not
#   (U+0085, VT, FF and a lone CR are control characters, refused below as well);
# - the Hangul fillers, letters that print nothing.
# Kept where a writing system or an emoji needs them: U+200C ZERO WIDTH NON-JOINER and
# U+200D ZERO WIDTH JOINER between two characters that are neither ASCII nor spaces (Persian
# and Indic words, emoji sequences such as a family or a profession); the tag characters
# only inside an emoji flag sequence (England, Scotland, Wales: U+1F3F4, tags, U+E007F).
JOINERS = "\u200c\u200d"
_TAGS = {chr(c) for c in range(0xE0020, 0xE0080)}
_FILLERS = {"\u115f", "\u1160", "\u3164", "\uffa0"}
_INVISIBLE = frozenset({*icu.UnicodeSet("[:Cf:]"), "\u2028", "\u2029", *_FILLERS} - set(JOINERS) - _TAGS)
_FLAG = "\U0001F3F4[\U000E0030-\U000E0039\U000E0061-\U000E007A]{1,6}\U000E007F"
_NEIGHBOUR = "[^\\x00-\\x7f\\s" + JOINERS + "]"  # a character a joiner may stand next to


def _hidden_pattern(controls: str) -> re.Pattern:
    """One scan for every refused character; `controls` are the control characters (Cc) refused.
    Group 1 is an emoji flag sequence (allowed), any other match a refused character."""
    always = "".join(re.escape(c) for c in sorted(_INVISIBLE | _TAGS))
    joiner = f"(?<!{_NEIGHBOUR})[{JOINERS}]|[{JOINERS}](?!{_NEIGHBOUR})"
    return re.compile(f"({_FLAG})|[{controls}{always}]|{joiner}")


# In a value only a line break may appear (the newline rule reports it); in a file's line
# (split at LF, as git does, and without the CR of a CRLF end) also a tab.
_IN_VALUE = _hidden_pattern("\\x00-\\x09\\x0b-\\x1f\\x7f-\\x9f")
_IN_FILE = _hidden_pattern("\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f")


def hidden(text: str, in_file: bool = False) -> re.Match | None:
    """The first refused invisible character of a value (or of a file's line), or None."""
    for match in (_IN_FILE if in_file else _IN_VALUE).finditer(text):
        if match.group(1) is None:
            return match
    return None


# Unicode's aliases of the control characters that some program reads as a line break
# (ICU gives control characters no name); git breaks lines only at LF.
LINE_BREAKS = {"\r": "CARRIAGE RETURN", "\x0b": "LINE TABULATION", "\x0c": "FORM FEED",
               "\x1c": "FILE SEPARATOR", "\x1d": "GROUP SEPARATOR", "\x1e": "RECORD SEPARATOR",
               "\x85": "NEXT LINE", "\u2028": "LINE SEPARATOR", "\u2029": "PARAGRAPH SEPARATOR"}


def char_name(char: str) -> str:
    """U+200B (ZERO WIDTH SPACE): how a message names a character nobody can see."""
    name = LINE_BREAKS.get(char) or icu.Char.charName(char) or "a control character"
    return f"U+{ord(char):04X} ({name})"


def hidden_message(char: str) -> str:
    if char in LINE_BREAKS:
        return (f"contains the character {char_name(char)}, which some programs read as a line break "
                "while git and GitHub's review show one line: text after it could hide from a reviewer "
                "(delete it; start a new line with Enter if you meant one)")
    return (f"contains the invisible character {char_name(char)}, which a reviewer cannot see "
            "(delete it; if you did not type it, retype this line)")


def file_problems(text: str, shown: str, field) -> list[Problem]:
    """Every line (as git counts them) holding a refused character, at most MAX_REPORTED;
    `field(line)` names the part of the file ("front matter", "body", "file")."""
    problems = []
    for n, line in enumerate(text.split("\n"), start=1):
        found = hidden(line.removesuffix("\r"), in_file=True)
        if found is not None:
            problems.append(Problem(shown, n, found.start() + 1, field(n), hidden_message(found.group())))
            if len(problems) == MAX_REPORTED:
                break
    return problems


MAX_REPORTED = 20


def text_problem(text: str) -> str | None:
    """Why a single-line text value is refused, or None."""
    if "<" in text or ">" in text:
        which = "<" if "<" in text else ">"
        return (f'contains "{which}", which is not allowed in this field (it could be read as HTML; '
                'write the words instead, e.g. "less than")')
    if "\n" in text.strip():
        return ("runs over more than one line or holds a blank line (write it as one line of text; "
                "a value may not carry extra Markdown or paragraphs)")
    bad = hidden(text)
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
