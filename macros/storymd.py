"""The story renderer: the small Markdown a storyteller needs, in linear time.

Python-Markdown's inline patterns are quadratic on runs of `[`, `![`, `*a`...
(a 10 KB line of `[` takes minutes), so story bodies use this instead. Every
step is a C-level regex pass or join whose pattern can only scan forward to the
next delimiter, so the work is linear in the input.

Supported: paragraphs, *em*, _em_, **strong**, __strong__, `code`, [text](url),
hard line breaks (two trailing spaces), - / * / + / 1. lists and > quotes
(nested up to MAX_DEPTH), and --- rules. Everything else is literal text:
no headings, images, raw HTML or reference links (the check refuses those
with a message; here they simply stay words). Output is escaped text plus the
tags above; render.sanitize still runs after it.
"""
from __future__ import annotations

import re

MAX_DEPTH = 5  # nested lists/quotes; the check refuses deeper ones with a message
SCHEMES = ("https://", "mailto:")
REL = "noopener noreferrer nofollow"
RESERVED = "\x00\x01"  # the renderer's own markers, removed from the input

# Characters that later passes would read as markup, written as entities once
# they are text (inside code, URLs or after a backslash).
_ENTITY = {c: f"&#{ord(c)};" for c in "\\`*_[]()"}
_PROTECT = str.maketrans(_ENTITY)
_BACKSLASH = [("\\\\", _ENTITY["\\"])] + [("\\" + c, e) for c, e in _ENTITY.items() if c != "\\"]

_BLANKS = re.compile(r"\n(?:[ \t]*+\n)++")
# \x00 marks block boundaries: no inline construct may span two blocks.
_CODE = re.compile(r"`([^`\x00]++)`")
_URL = r"((?:[^()\s\x00]++|\([^()\s\x00]*+\))++)"
_SAFE_LINK = re.compile(r"\[([^\[\]\x00]++)\]\(\s*+(?=(?i:https://|mailto:))" + _URL + r"\s*+\)")
_LINK = re.compile(r"\[([^\[\]\x00]++)\]\(\s*+(?:" + _URL[1:] + r"\s*+\)")
_STRONG = (re.compile(r"\*\*([^*\x00]++)\*\*"), re.compile(r"__(?<![\w&;]__)([^_\x00]++)__(?!\w)"))
_EM = (re.compile(r"\*([^*\x00]++)\*"), re.compile(r"_(?<![\w&;]_)([^_\x00]++)_(?!\w)"))
_HR = re.compile(r" {0,3}+([-*_])(?: *+\1){2,}+ *+")
_SPECIAL = re.compile(r"\n {0,3}+(?:>|[-*+_]|\d)")  # a line that may open a quote, list or rule
_QUOTE_LINE = re.compile(r"\n {0,3}+> ?")
_BULLET = re.compile(r" {0,3}+(?:[-*+]|\d{1,9}[.)])(?: ++|$)")
_ORDERED = re.compile(r" {0,3}+\d{1,9}[.)]")
_ITEM_START = re.compile(r"\n ?+(?:[-*+]|\d{1,9}[.)])(?: ++|(?=\n)|$)")
_NESTED = re.compile(r"\n(?= {0,3}+(?:[-*+]|\d{1,9}[.)]) )")
_INDENT = re.compile(r"\n(?: {1,4}+|\t)")


def _wrap(pattern: re.Pattern, text: str, template: str, protect: bool = False) -> str:
    """pattern.sub(template) without a Python call per match (re.sub's template
    expansion is one on Python 3.11): split keeps the groups, map formats them."""
    parts = pattern.split(text)
    groups = pattern.groups
    if len(parts) == 1:
        return text
    found = [parts[i::groups + 1] for i in range(1, groups + 1)]
    if protect:
        found = [list(map(_translate, g)) for g in found]
    out = [""] * (2 * len(found[0]) + 1)
    out[0::2] = parts[0::groups + 1]
    out[1::2] = map(template.format, *found)
    return "".join(out)


def _translate(text: str) -> str:
    return text.translate(_PROTECT)


def inline(escaped: str) -> str:
    """Inline Markdown on HTML-escaped text (blocks separated by \x00), linear per rule.
    Each pass is skipped when its character is absent (a fast scan)."""
    if "\\" in escaped:
        for pair in _BACKSLASH:
            escaped = escaped.replace(*pair)
    if "`" in escaped:
        escaped = _wrap(_CODE, escaped, "<code>{0}</code>", protect=True)
    if "](" in escaped:
        escaped = _wrap(_SAFE_LINK, escaped, '<a href="{1}" rel="' + REL + '">{0}</a>', protect=True)
        escaped = _wrap(_LINK, escaped, "<a>{0}</a>")  # any other address is dropped; the words stay
    for char, strong, em in (("*", *_STRONG[:1], *_EM[:1]), ("_", *_STRONG[1:], *_EM[1:])):
        if char in escaped:
            escaped = _wrap(strong, escaped, "<strong>{0}</strong>")
            escaped = _wrap(em, escaped, "<em>{0}</em>")
    return escaped.replace("  \n", "<br>\n") if "  \n" in escaped else escaped


def _paragraphs(blocks: list[str]) -> str:
    return "\x00<p>" + "</p>\x00\n\x00<p>".join(map(str.strip, blocks)) + "</p>\x00\n" if blocks else ""


def _lines(pattern: re.Pattern, repl: str, text: str) -> str:
    """pattern.sub at the start of every line; patterns start with \\n so the regex
    engine jumps from newline to newline instead of trying every position."""
    return pattern.sub(repl, "\n" + text)[1:]


def _item(item: str, depth: int) -> str:
    if "\n" not in item:
        return "\x00" + item.strip() + "\x00"
    text = _NESTED.sub("\n\n", _lines(_INDENT, "\n", item), count=1)  # a sub-list starts its own block
    return _blocks(text, depth + 1, tight=True)


def _list(block: str, depth: int) -> str:
    tag = "ol" if _ORDERED.match(block) else "ul"
    items = _ITEM_START.sub("\n\x01", "\n" + block).split("\n\x01")[1:]
    if block.count("\n") + 1 == len(items):  # one line per item: no nesting, no per-item work
        inner = "\x00" + "\x00</li>\n<li>\x00".join(items) + "\x00"
    else:
        inner = "</li>\n<li>".join([_item(item, depth) for item in items])
    return f"\x00<{tag}>\n<li>" + inner + f"</li>\n</{tag}>\x00\n"


def _blocks(text: str, depth: int, tight: bool = False) -> str:
    """Block structure of escaped text: paragraphs, quotes, lists, rules."""
    blocks = _BLANKS.split(text.strip("\n"))
    if not _SPECIAL.search("\n" + text):  # only paragraphs: no per-block work
        return "\x00" + blocks[0].strip() + "\x00" if tight and len(blocks) == 1 else _paragraphs(blocks)
    out: list[str] = []
    plain: list[str] = []
    for block in blocks:
        nested = depth < MAX_DEPTH
        if _HR.fullmatch(block):
            kind = "hr"
        elif nested and block.lstrip(" ").startswith(">"):
            kind = "quote"
        elif nested and _BULLET.match(block):
            kind = "list"
        else:
            plain.append(block)
            continue
        out.append(_paragraphs(plain))
        plain = []
        if kind == "quote":
            out.append("\x00<blockquote>\n" + _blocks(_lines(_QUOTE_LINE, "\n", block), depth + 1) + "</blockquote>\x00\n")
        elif kind == "list":
            out.append(_list(block, depth))
        else:
            out.append("\x00<hr>\x00\n")
    if tight and not out and len(plain) == 1:
        return "\x00" + plain[0].strip() + "\x00"
    out.append(_paragraphs(plain))
    return "".join(out)


def escape(text: str) -> str:
    """Text for HTML content and double-quoted attributes. `>` stays as it is
    (harmless there): quotes are then found, and cost, as one byte each."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")


def to_html(markdown_text: str) -> str:
    """Story Markdown -> HTML: escaped text and the tags listed above."""
    text = markdown_text.replace("\r\n", "\n").replace("\r", "\n").expandtabs(4)
    for char in RESERVED:
        if char in text:
            text = text.replace(char, "")
    out = inline(_blocks(escape(text), 0)).replace("\x00", "")
    if "&#" in out:
        for char, entity in _ENTITY.items():  # protected characters are plain text again
            out = out.replace(entity, char)
    return out
