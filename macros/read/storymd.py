"""The story renderer: CommonMark (markdown-it-py, linear), cut down to what a story may use.

Enabled: paragraphs, *em* / _em_, **strong**, lists (an ordered list keeps its
start number), > block quotes, --- thematic breaks, hard line breaks, backslash
escapes and entities; [words](address) links only to https: and mailto:
(any other link stays literal text, address and all). Off: raw HTML, headings,
code (indented and fenced), images, autolinks and reference definitions: their
characters stay literal text (a `span` is parsed, so nothing in it becomes emphasis,
and shown as typed), and the check refuses the
constructs that a reader would otherwise miss (macros/read/validate.py). Output is
escaped text plus these tags; render.sanitize still runs after it.

Hand-written before (issue 19): it dropped the asterisks of `2 * 3 * 4`,
renumbered lists and broke nesting. markdown-it-py follows the spec and its
parsers scan forward, so work stays linear (bench/render_hostile.py measures it).
"""
from __future__ import annotations

import contextlib
import gc
import re

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token

MAX_DEPTH = 5  # nested lists/quotes; the check refuses deeper ones with a message
SCHEMES = ("https:", "mailto:")
REL = "noopener noreferrer nofollow"
DISABLED = ["code", "fence", "heading", "lheading", "html_block", "reference",
            "autolink", "html_inline", "image"]
# A list takes two levels (list and item) and a paragraph one more: deeper than the
# check allows, with room to spare, and far below Python's recursion limit.
MAX_NESTING = 4 * MAX_DEPTH
_BLANK = re.compile(r"\n[ \t]*\n")
CONTAINERS = {"blockquote_open", "bullet_list_open", "ordered_list_open"}


def _safe_link(url: str) -> bool:
    return url.strip().lower().startswith(SCHEMES)


def _link_open(renderer, tokens: list[Token], idx: int, options, env) -> str:
    tokens[idx].attrSet("rel", REL)
    return renderer.renderToken(tokens, idx, options, env)


def _code_inline(renderer, tokens: list[Token], idx: int, options, env) -> str:
    """A `code span` is parsed (so nothing inside it becomes emphasis) and shown as typed,
    backticks and all: stories have no code formatting."""
    token = tokens[idx]
    return escapeHtml(token.markup + token.content + token.markup)


def make_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "xhtmlOut": False, "maxNesting": MAX_NESTING})
    md.disable(DISABLED)
    md.validateLink = _safe_link
    md.add_render_rule("link_open", _link_open)
    md.add_render_rule("code_inline", _code_inline)
    return md


PARSER = make_parser()


@contextlib.contextmanager
def _collector_paused():
    """A parse makes many small objects and no cycles that must be freed during it. Python's
    cyclic collector, run over them again and again as they pile up, made the parse grow
    faster than the input (2.5x per doubling of a body of thematic breaks; 2.1x without it)
    and was half its time. Reference counting still frees everything at once; the collector
    runs as usual afterwards. Bodies are bounded (loader.MAX_BYTES), so is the memory."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def parse(markdown_text: str) -> list[Token]:
    with _collector_paused():
        return PARSER.parse(markdown_text)


def to_html(markdown_text: str) -> str:
    """Story Markdown -> HTML: escaped text and the tags listed above. Nesting deeper
    than MAX_DEPTH (which the check refuses) gives plain paragraphs instead: the parser
    would stop at its own limit and drop the words below it."""
    tokens = parse(markdown_text)
    if _too_deep(tokens):
        return "".join(f"<p>{escapeHtml(part.strip())}</p>\n" for part in _BLANK.split(markdown_text) if part.strip())
    return PARSER.renderer.render(tokens, PARSER.options, {})


def _depths(tokens: list[Token]):
    """(token, depth) for each quote or list opened, depth counted from 1."""
    depth = 0
    for token in tokens:
        if token.type in CONTAINERS:
            depth += 1
            yield token, depth
        elif token.nesting == -1 and token.type.replace("_close", "_open") in CONTAINERS:
            depth -= 1


def _too_deep(tokens: list[Token]) -> bool:
    return any(depth > MAX_DEPTH for _, depth in _depths(tokens))


def depth_lines(markdown_text: str) -> list[int]:
    """1-based lines (of the text given) that open a quote or list deeper than MAX_DEPTH,
    from the parser's own tokens: mixed `> - > -` nesting counts as well."""
    return [token.map[0] + 1 for token, depth in _depths(parse(markdown_text))
            if depth > MAX_DEPTH and token.map]
