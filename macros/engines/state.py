"""What one MkDocs build knows: the handbook, the site URL and the generated tree's manifest.

The hook sets it in on_config; the macros and page hooks read it. Keeping it
here (not in mkdocs config) keeps both thin and lets tests set it directly.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from macros.read.handbook import Handbook


@dataclass
class BuildState:
    handbook: Handbook
    site_url: str          # always ends with "/"
    written: frozenset[str] = frozenset()  # src_uris of the hand-written pages (docs/)
    # src_uri -> raw HTML blocks set aside from a generated page's Markdown (see mkdocs_site.set_aside_html)
    html_blocks: dict[str, list[str]] = field(default_factory=dict)
    # (name, key) -> a template fragment rendered once in this build (see mkdocs_site.render_once)
    fragments: dict[tuple[str, str], str] = field(default_factory=dict)
    folders: set[str] = field(default_factory=set)  # every URL with another file of the site below it


_STATE: list[BuildState] = []


def set_state(state: BuildState) -> None:
    _STATE[:] = [state]


def state() -> BuildState:
    if not _STATE:
        raise RuntimeError("the handbook is not loaded (is the hook listed in mkdocs.yml?)")
    return _STATE[0]


_COMMAND: list[str] = []  # the MkDocs command of this process, set once by the hook's on_startup


def set_command(command: str) -> None:
    _COMMAND[:] = [command]


def serving() -> bool:
    """True under `mkdocs serve` (make serve, make preview): pages for a local dev server."""
    return _COMMAND == ["serve"]
