"""Small pure functions that turn contributor text into safe HTML.

Story bodies get their own restricted CommonMark (storymd, markdown-it-py: no raw
HTML, headings, code, images, attr_list or snippets, whatever the site enables) and
then an allowlist sanitizer, so even a validation gap cannot reach a reader as
a script.
"""
from __future__ import annotations

import html
import posixpath
import re

from functools import lru_cache

import nh3

from macros.read import storymd

ALLOWED_TAGS = {"p", "em", "strong", "a", "ul", "ol", "li", "blockquote", "br", "hr"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
ALLOWED_SCHEMES = {"https", "mailto"}


def esc(text: object) -> str:
    """Escape any value for HTML text or a double-quoted attribute."""
    return html.escape(str(text), quote=True)


def sanitize(fragment: str) -> str:
    return nh3.clean(fragment, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     url_schemes=ALLOWED_SCHEMES, link_rel="noopener noreferrer nofollow",
                     strip_comments=True)


# Exactly the markup storymd writes. Anything else left after removing these
# (a renderer bug) sends the page through the sanitizer. Checking is a linear
# regex pass; sanitizing costs per element and per entity (~100x a letter).
_RENDERER_TAGS = re.compile(r'</?(?:p|em|strong|ul|ol|li|blockquote|a)>|<br>|<hr>|<ol start="\d{1,9}">'
                            rf'|<a href="(?i:https:|mailto:)[^"<>]*"(?: title="[^"<>]*")? rel="{storymd.REL}">')


def story_body_html(body: str) -> str:
    """The storyteller's Markdown -> sanitized HTML. Jinja syntax stays literal text."""
    rendered = storymd.to_html(body)
    if "<" in _RENDERER_TAGS.sub("", rendered):
        rendered = sanitize(rendered)
    # Braces are escaped so that no later template pass can ever see Jinja here.
    return rendered.replace("{", "&#123;").replace("}", "&#125;")


def relative_path(path: str, start: str) -> str:
    """posixpath.relpath for two site-relative paths, without the getcwd() and
    abspath() it does on every call (a story page has ~25 links; 3,000 pages)."""
    if path.startswith("/") or start.startswith("/"):
        return posixpath.relpath(path, start)
    to = [part for part in posixpath.normpath(path).split("/") if part not in ("", ".")]
    here = [part for part in posixpath.normpath(start).split("/") if part not in ("", ".")]
    if ".." in to or ".." in here:  # above the site root: resolved against the folder, as relpath does
        return posixpath.relpath(path, start)
    common = 0
    while common < min(len(to), len(here)) and to[common] == here[common]:
        common += 1
    return "/".join([".."] * (len(here) - common) + to[common:]) or "."


def rel(from_url: str, to_url: str) -> str:
    """Relative link between two site URLs ("stories/x/" -> "chapters/y/#a")."""
    path, _, anchor = to_url.partition("#")
    base = from_url if from_url.endswith("/") or not from_url else posixpath.dirname(from_url) + "/"
    target = relative_path(path or ".", base.rstrip("/") or ".")
    if path.endswith("/") or path == "":
        target = target.rstrip("/") + "/" if target != "." else "./"
    return target + (f"#{anchor}" if anchor else "")


def link(from_url: str, to_url: str, text: str, cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    return f'<a href="{esc(rel(from_url, to_url))}"{attr}>{esc(text)}</a>'


@lru_cache(maxsize=8)
def _term_pattern(words: tuple[str, ...]) -> re.Pattern:
    # One alternation, longest first, so "avoidant attachment" wins over "attachment".
    # Otherwise a character reference (&quot; &#x27; &amp;) is matched as a whole and kept as it
    # is: a term such as "quot" or "amp" must never split one and break the page's text.
    ordered = sorted({esc(w) for w in words}, key=len, reverse=True)
    return re.compile(r"(?<![\w>-])(" + "|".join(map(re.escape, ordered)) + r")(?![\w<-])"
                      r"|&(?:#\d+|#[xX][0-9a-fA-F]+|\w+);", re.I)


@lru_cache(maxsize=8)
def _meanings(terms: tuple[tuple[str, str], ...]) -> dict[str, str]:
    return {esc(w).casefold(): d for w, d in terms}


def annotate_terms(escaped: str, terms: tuple[tuple[str, str], ...]) -> str:
    """Wrap the first use of each glossary term in escaped editorial text in an
    <abbr> tooltip. `escaped` must be plain escaped text (no tags)."""
    if not terms:
        return escaped
    meaning = _meanings(terms)
    used: set[str] = set()
    out, last = [], 0
    for match in _term_pattern(tuple(w for w, _ in terms)).finditer(escaped):
        if match.group(1) is None:  # a character reference: never part of a term
            continue
        definition = meaning[match.group(1).casefold()]
        if definition in used:
            continue
        used.add(definition)
        out.append(escaped[last:match.start()] + f'<abbr title="{esc(definition)}">{match.group(1)}</abbr>')
        last = match.end()
    return "".join(out) + escaped[last:]
