"""Reproducible builds: one commit gives the same bytes wherever and whenever it is built.

MkDocs stamps the build date into sitemap.xml (lastmod) and the gzip header of
sitemap.xml.gz unless SOURCE_DATE_EPOCH is set (reproducible-builds.org). Without
it, the date of the last commit is used: the site changes when its sources do, not
when it happens to be rebuilt. Nothing else in the output depends on time or on
the folder the build runs in (tests/test_reproducible.py keeps that true).
"""
from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path


def last_commit_time(root: Path) -> str | None:
    git = shutil.which("git")
    if not git or not (root / ".git").exists():
        return None
    result = subprocess.run([git, "-C", str(root), "log", "-1", "--format=%ct"],
                            capture_output=True, text=True, timeout=30)
    stamp = result.stdout.strip()
    return stamp if result.returncode == 0 and stamp.isdigit() else None


def pin_build_date(root: Path) -> None:
    """Set SOURCE_DATE_EPOCH for this build from the last commit, unless already set."""
    if "SOURCE_DATE_EPOCH" not in os.environ:
        stamp = last_commit_time(root)
        if stamp:
            os.environ["SOURCE_DATE_EPOCH"] = stamp


def build_date() -> dt.date:
    """The date pages print (handouts' "printed from", downloads): SOURCE_DATE_EPOCH's, else today."""
    stamp = build_stamp()
    return dt.datetime.fromtimestamp(stamp, dt.timezone.utc).date() if stamp else dt.date.today()


def build_stamp() -> int:
    """SOURCE_DATE_EPOCH as a number (0 when unset): the sitemap's and the downloads' timestamp."""
    stamp = os.environ.get("SOURCE_DATE_EPOCH", "")
    return int(stamp) if stamp.isdigit() else 0
