"""Make Pagefind's filter index the same bytes on every run.

Pagefind 1.5 writes each filter's values (and the list of filters) in hash-map
order, so two builds of one commit differ in `filter/*.pf_filter`, the
`pagefind.*.pf_meta` that names them and `pagefind-entry.json` (upstream:
Pagefind issue #638). These files are gzip'd `pagefind_dcd` + CBOR. This step
sorts those lists, re-encodes them, names each file by a hash of its content
(as Pagefind does) and rewrites the references. Nothing else changes.
"""
from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

MAGIC = b"pagefind_dcd"


class FormatError(Exception):
    """The bundle is not laid out as Pagefind 1.5 writes it."""


# ---- the little CBOR these files use: unsigned ints, text and arrays ------------------

def _decode(data: bytes, i: int = 0):
    major, info = data[i] >> 5, data[i] & 31
    i += 1
    if info < 24:
        n = info
    elif info in (24, 25, 26, 27):
        size = 1 << (info - 24)
        n, i = int.from_bytes(data[i:i + size], "big"), i + size
    else:
        raise FormatError(f"unexpected CBOR item {data[i - 1]:#x}")
    if major == 0:
        return n, i
    if major == 3:
        return data[i:i + n].decode("utf-8"), i + n
    if major == 4:
        items = []
        for _ in range(n):
            item, i = _decode(data, i)
            items.append(item)
        return items, i
    raise FormatError(f"unexpected CBOR major type {major}")


def _head(major: int, n: int) -> bytes:
    if n < 24:
        return bytes([major << 5 | n])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if n < 1 << (8 * size):
            return bytes([major << 5 | info]) + n.to_bytes(size, "big")
    raise FormatError("number too large")


def _encode(value) -> bytes:
    if isinstance(value, bool) or not isinstance(value, (int, str, list)):
        raise FormatError(f"cannot encode {type(value).__name__}")
    if isinstance(value, int):
        return _head(0, value)
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _head(3, len(raw)) + raw
    return _head(4, len(value)) + b"".join(_encode(v) for v in value)


def read(path: Path):
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(MAGIC):
        raise FormatError(f"{path.name} is not a Pagefind file")
    value, end = _decode(data, len(MAGIC))
    if end != len(data):
        raise FormatError(f"{path.name} has trailing bytes")
    return value


def packed(value) -> bytes:
    return gzip.compress(MAGIC + _encode(value), mtime=0)


def content_name(prefix: str, data: bytes, digits: int) -> str:
    return f"{prefix}_{hashlib.sha256(data).hexdigest()[:digits]}"


# ---- the bundle ---------------------------------------------------------------------

def canonical_bundle(bundle: Path) -> None:
    """Rewrite the filter files, the meta file and the entry file in sorted order."""
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language, info in entry["languages"].items():
        info["hash"] = _canonical_language(bundle, language, info["hash"])
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _canonical_language(bundle: Path, language: str, meta_hash: str) -> str:
    meta_path = bundle / f"pagefind.{meta_hash}.pf_meta"
    meta = read(meta_path)
    if len(meta) < 4 or not isinstance(meta[3], list):
        raise FormatError(f"{meta_path.name}: no filter list where Pagefind 1.5 puts it")
    filters = []
    for name, old in sorted(meta[3]):
        old_path = bundle / "filter" / f"{old}.pf_filter"
        filter_name, values = read(old_path)
        data = packed([filter_name, sorted(values)])
        new = content_name(language, data, 7)
        old_path.unlink()
        (bundle / "filter" / f"{new}.pf_filter").write_bytes(data)
        filters.append([name, new])
    meta[3] = filters
    data = packed(meta)
    new_meta = content_name(language, data, 10)
    meta_path.unlink()
    (bundle / f"pagefind.{new_meta}.pf_meta").write_bytes(data)
    return new_meta
