"""Disk caches that make rebuilds cheaper, under .cache/ (or $RIPPLES_CACHE).

- Handout QR codes, keyed by address and segno version: a story's QR code depends
  only on its address, which never changes once published, yet drawing it was
  ~40 % of a story page's build time.
- Compiled Jinja templates (Material's and ours), keyed by Jinja on each template's
  source: compiling them was ~0.5 s of every build and every `mkdocs serve` rebuild.
- Values computed from code and Unicode data only (the write page's look-alike table, ~0.5 s
  of every build), keyed by everything they are computed from: see cached_json.
A missing or unreadable cache just means doing the work again.
"""
from __future__ import annotations

import hashlib
import json
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
    _write(path, svg)
    return svg


def _write(path: Path, text: str) -> None:
    try:  # write-then-rename: parallel builds never read half a file
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass  # a read-only checkout still builds


def cached_json(kind: str, inputs: list[str], compute: Callable[[], object]):
    """compute(), a JSON value that depends on `inputs` and nothing else (the caller passes
    every version and source text it is computed from): kept under .cache/<kind>/ by their
    hash, so a change to any of them computes it again."""
    digest = hashlib.sha256(json.dumps(inputs).encode()).hexdigest()[:32]   # a list, not a join: unambiguous
    path = cache_root() / kind / f"{digest}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    value = compute()
    _write(path, json.dumps(value, ensure_ascii=True))
    return value
