"""Byte-identical archives: ebooklib stamps every zip entry with the current time. This
rewrites an archive with one fixed date for every entry, in the same order, `mimetype`
first and stored (as EPUB requires), everything else deflated at one fixed level."""
from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

ZIP_EPOCH = dt.datetime(1980, 1, 1, tzinfo=dt.timezone.utc)  # the earliest date a zip entry can carry


def zip_time(when: dt.datetime) -> tuple[int, int, int, int, int, int]:
    when = max(when, ZIP_EPOCH)
    return (when.year, when.month, when.day, when.hour, when.minute, when.second - when.second % 2)


def normalize_zip(path: Path, when: dt.datetime) -> None:
    with zipfile.ZipFile(path) as source:
        entries = [(info.filename, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w") as out:
        for name, data in entries:
            info = zipfile.ZipInfo(name, zip_time(when))
            info.create_system = 3       # Unix, wherever it was built
            info.external_attr = 0o644 << 16
            stored = name == "mimetype"
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            out.writestr(info, data, compresslevel=None if stored else 9)
