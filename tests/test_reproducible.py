"""Reproducible builds: one commit built in two different folders gives byte-identical
sites, with no build path inside and dates taken from the commit, not the clock."""
from __future__ import annotations

import datetime as dt
import gzip
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import build, copy_repo

COMMIT_DATE = "2021-03-04T05:06:07+00:00"  # long ago: a date from the clock would differ


def committed_copy(dest: Path) -> Path:
    """A copy of the working tree as one commit with a known date."""
    root = copy_repo(dest)
    env = {**os.environ, "GIT_AUTHOR_DATE": COMMIT_DATE, "GIT_COMMITTER_DATE": COMMIT_DATE,
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "--no-gpg-sign", "-m", "build me"]):
        subprocess.run(["git", "-C", str(root), *args], check=True, env=env, capture_output=True, timeout=120)
    return root


def contents(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.mark.skipif(not shutil.which("git"), reason="needs git")
def test_two_folders_build_byte_identical_sites(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)  # the build must find the date itself
    roots = [committed_copy(tmp_path / "a" / "repo"), committed_copy(tmp_path / "second-folder" / "deeper" / "repo")]
    for root in roots:
        result = build(root)
        assert result.returncode == 0, result.stdout + result.stderr
    first, second = (contents(root / "site") for root in roots)
    assert any(name.startswith("pagefind/filter/") for name in first), "no search filter index was built"
    assert sorted(first) == sorted(second)
    differ = [name for name in first if first[name] != second[name]]
    assert differ == [], f"files that differ between the two builds: {differ[:20]}"

    # No trace of where it was built, compressed files included.
    leaks = []
    for name, data in first.items():
        texts = [data] + ([gzip.decompress(data)] if name.endswith(".gz") else [])
        for root in roots:
            if any(str(root).encode() in t or str(root.parent).encode() in t for t in texts):
                leaks.append(f"{name} contains {root}")
    assert leaks == []

    # Dates come from the commit.
    sitemap = gzip.decompress(first["sitemap.xml.gz"]).decode()
    assert "<lastmod>2021-03-04</lastmod>" in sitemap and sitemap == first["sitemap.xml"].decode()
    day = int(dt.datetime(2021, 3, 4, tzinfo=dt.timezone.utc).timestamp())
    assert int.from_bytes(first["sitemap.xml.gz"][4:8], "little") == day  # gzip header mtime: the commit's day
