"""Every built page is valid HTML for the W3C's Nu Html Checker (npm vnu-jar, run
by the system's Java): story pages, hubs, hand-written pages, a redirect and 404.

Skipped on a laptop without Java or without `make setup`'s node_modules; under CI
a missing tool fails (.ci/run installs a headless JRE)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REDIRECT_FROM, ROOT

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def unavailable(why: str):
    if os.environ.get("CI"):
        pytest.fail(f"{why}: the HTML check must run in CI")
    pytest.skip(why)


def vnu_messages(*paths: Path) -> list[dict]:
    """One run of the checker over whole folders (starting Java once per page would
    take minutes)."""
    java = shutil.which("java")
    if not java:
        unavailable("no Java (install a JRE, e.g. Debian's default-jre-headless)")
    if not VNU.exists():
        unavailable(f"{VNU.relative_to(ROOT)} is missing (run `make setup`)")
    result = subprocess.run([java, "-jar", str(VNU), "--format", "json", "--skip-non-html", *map(str, paths)],
                            capture_output=True, text=True, timeout=600)
    return json.loads(result.stderr)["messages"]  # vnu writes its report to stderr


CONTROL = "<!doctype html><html lang=en><title>x</title><p><span aria-label=x>x</span></p></html>"


def test_every_page_is_valid_html(full_site, tmp_path):
    pages = {p for p in full_site.rglob("*.html")}
    assert full_site / "404.html" in pages and full_site / REDIRECT_FROM.strip("/") / "index.html" in pages
    (tmp_path / "control.html").write_text(CONTROL, encoding="utf-8")  # proves errors are reported
    messages = vnu_messages(full_site, tmp_path)
    control = [m for m in messages if m["url"].endswith("/control.html")]
    assert [m["type"] for m in control] == ["error"] and "aria-label" in control[0]["message"]
    messages = [m for m in messages if m not in control]
    # "info" messages are hints; the ones seen here are CSP notes that treat
    # 'self' as a file: origin because the checker reads files, not a server.
    errors = [m for m in messages if m["type"] != "info"]
    report = [f'{m["url"].split(full_site.name, 1)[-1]}:{m.get("lastLine", "?")}: {m["message"]}' for m in errors]
    assert report == [], f"{len(report)} Nu Html Checker errors:\n" + "\n".join(report[:50])
    noted = {m["url"].split(full_site.name, 1)[-1] for m in messages}
    assert len(noted) == len(pages)  # every page was read (each gets those CSP notes)
