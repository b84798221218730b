"""A disk cache for handout QR codes, keyed by address and segno version.

A story's QR code depends only on its address, which never changes once
published, yet drawing it was ~40 % of a story page's build time. Each SVG is
kept in .cache/qr/ (or $RIPPLES_CACHE/qr) between builds; a missing or unreadable
cache just means drawing it again.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Callable

import segno

ROOT = Path(__file__).resolve().parent.parent


def cache_dir() -> Path:
    return Path(os.environ.get("RIPPLES_CACHE") or ROOT / ".cache") / "qr"


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
