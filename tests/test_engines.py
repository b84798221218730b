"""The same handbook on the second engine: `make build ENGINE=properdocs` (ProperDocs 1.6.7,
the MkDocs 1.x continuation) against the default MkDocs 1.6.1 build, side by side.

Both build the copy behind `full_site` (every kind of page: a redirect, hubs' later
pages). The sites must be the same bytes: then every check the suite runs on `full_site`
(the Nu Html Checker, CSP and axe in Chromium, search, handouts) holds for the ProperDocs
site as it stands, and running them on it again would only repeat them; the address lock
is checked on it directly. Build time per page is a figure (bench/engines.py), never an
assertion here.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from macros.engines.run import ENGINES, command
from macros.finish.urls import load_redirects, read_lock, verify
from tests.browser import load_bench
from tests.conftest import ROOT, build, once


@pytest.fixture(scope="session")
def properdocs_site(full_site: Path, tmp_path_factory) -> Path:
    """The `full_site` copy built again, with ProperDocs."""
    def make(folder: Path) -> Path:
        result = build(full_site.parent, site=folder / "site", engine="properdocs")
        assert result.returncode == 0, result.stdout + result.stderr
        return folder / "site"
    return once(tmp_path_factory, "properdocs", make)


def differing(a: Path, b: Path) -> list[str]:
    """Files only one site has, or with other bytes: bench/engines.py's comparison."""
    return load_bench("engines").differing(a, b)


def test_the_engine_commands_are_the_two_engines():
    assert set(ENGINES) == {"mkdocs", "properdocs"}
    assert command("properdocs", "build", Path("c.yml"))[1:] == ["-m", "properdocs", "build", "-f", "c.yml"]


def test_properdocs_really_renders_it():
    """Not MkDocs under another name: the engine that ran reports itself as ProperDocs 1.6.7."""
    import subprocess
    import sys
    version = subprocess.run([sys.executable, "-m", "properdocs", "--version"], capture_output=True, text=True,
                             timeout=60)
    assert re.search(r"properdocs, version 1\.6\.7 from .*/properdocs\b", version.stdout), version.stdout
    pins = (ROOT / "requirements-properdocs.txt").read_text(encoding="utf-8")
    assert "properdocs==1.6.7" in pins.splitlines()


def test_both_engines_build_the_same_bytes(full_site: Path, properdocs_site: Path):
    assert differing(full_site, properdocs_site) == []
    assert len(list(properdocs_site.rglob("*.html"))) > 50


def test_the_properdocs_site_keeps_every_published_address(full_site: Path, properdocs_site: Path):
    lines = read_lock(full_site.parent)
    assert lines, "published-urls.txt is empty"
    assert verify(lines, properdocs_site, load_redirects(full_site.parent)) == []
