"""Disk caches that make rebuilds cheaper, under .cache/ (or $RIPPLES_CACHE).

- Handout QR codes, keyed by address and segno version: a story's QR code depends
  only on its address, which never changes once published, yet drawing it was
  ~40 % of a story page's build time.
- Compiled Jinja templates (Material's and ours), keyed by Jinja on each template's
  source: compiling them was ~0.5 s of every build and every `mkdocs serve` rebuild.
A missing or unreadable cache just means doing the work again.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Callable

import segno

ROOT = Path(__file__).resolve().parents[2]


def cache_root() -> Path:
    return Path(os.environ.get("RIPPLES_CACHE") or ROOT / ".cache")


def cache_dir() -> Path:
    return cache_root() / "qr"


def cache_templates(env):
    """Give a Jinja environment an on-disk bytecode cache (checked against each source)."""
    import jinja2
    folder = cache_root() / "jinja"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder))
    except OSError:
        pass  # read-only checkout: compile as usual
    return env


def key(url: str, style: str) -> str:
    return hashlib.sha256(f"{segno.__version__}\n{style}\n{url}".encode()).hexdigest()[:32]


def cached(url: str, style: str, draw: Callable[[str], str]) -> str:
    path = cache_dir() / f"{key(url, style)}.svg"
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        pass
    svg = draw(url)
    try:  # write-then-rename: parallel builds never read half a file
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(svg, encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass  # a read-only checkout still builds
    return svg
