"""Put the docs tree on disk, changing only what changed.

`make serve` regenerates the tree on every save while the engine watches it: a file
rewritten with the same bytes would make the engine build again for nothing, and a
file left from a deleted story would stay published. So each file is compared
first, and files the new tree no longer has are removed.
"""
from __future__ import annotations

import shutil
from pathlib import Path


def write_if_changed(path: Path, data: bytes) -> bool:
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)  # an engine watching the folder never reads half a file
    return True


def copy_if_changed(source: Path, path: Path) -> bool:
    try:
        same = path.stat().st_size == source.stat().st_size and path.read_bytes() == source.read_bytes()
    except OSError:
        same = False
    if same:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, path)
    return True


def sync_tree(folder: Path, texts: dict[str, str], copies: dict[str, Path]) -> int:
    """Make `folder` hold exactly these files (text by content, others copied from a path).
    Returns how many files were written."""
    written = sum(write_if_changed(folder / rel, text.encode("utf-8")) for rel, text in texts.items())
    written += sum(copy_if_changed(source, folder / rel) for rel, source in copies.items())
    keep = set(texts) | set(copies)
    for path in sorted(folder.rglob("*"), reverse=True):
        rel = path.relative_to(folder).as_posix()
        if path.is_file() and rel not in keep:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return written
