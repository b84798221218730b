"""The three steps as separate commands: `python -m macros generate OUT/`, the engine on
OUT/mkdocs.yml, `python -m macros finish SITE/`. Run one after the other they give the
same bytes as `make build`, and each says what is wrong, with a non-zero exit, when it
cannot run."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import yaml

from tests.conftest import TEST_EPOCH, build, copy_repo, once
from tests.test_engines import differing

ENV = {**{k: v for k, v in os.environ.items() if k not in ("SITE_URL", "RIPPLES_GENERATED")},
       "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": TEST_EPOCH}


def run(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=root, env=ENV, timeout=600)


def test_three_commands_make_the_same_site_as_make_build(tmp_path_factory, tmp_path):
    root = once(tmp_path_factory, "pipeline-copy", lambda folder: copy_repo(folder / "repo"))
    out, site = tmp_path / "out", tmp_path / "site"
    made = run(root, "-m", "macros", "--root", str(root), "generate", str(out), "--site", str(site))
    assert made.returncode == 0, made.stderr
    config = yaml.safe_load((out / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["docs_dir"] == "docs" and not Path(config["docs_dir"]).is_absolute()
    assert (out / "docs" / "index.md").is_file() and any((out / "docs" / "stories").glob("*.md"))
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["site_url"].endswith("/") and manifest["search"]
    rendered = run(root, "-m", "mkdocs", "build", "--strict", "-f", str(out / "mkdocs.yml"))
    assert rendered.returncode == 0, rendered.stderr[-3000:]
    before = (site / "index.html").read_text(encoding="utf-8")
    assert 'http-equiv="Content-Security-Policy"' not in before  # the engine alone does not finish
    finished = run(root, "-m", "macros", "--root", str(root), "finish", str(site), "--generated", str(out))
    assert finished.returncode == 0, finished.stderr
    assert "every link works" in finished.stderr
    together = build(root, site=tmp_path / "together" / "site", env={"SOURCE_DATE_EPOCH": ENV["SOURCE_DATE_EPOCH"]})
    assert together.returncode == 0, together.stderr[-3000:]
    assert differing(site, tmp_path / "together" / "site") == []


def test_finish_twice_changes_nothing(tmp_path_factory, tmp_path):
    root = once(tmp_path_factory, "pipeline-copy", lambda folder: copy_repo(folder / "repo"))
    site = tmp_path / "site"
    assert build(root, site=site).returncode == 0
    first = {p: p.read_bytes() for p in site.rglob("*.html")}
    again = run(root, "-m", "macros", "--root", str(root), "finish", str(site),
                "--generated", str(tmp_path / "site.generated"))
    assert again.returncode == 0, again.stderr
    assert {p: p.read_bytes() for p in site.rglob("*.html")} == first


def test_generate_refuses_a_broken_story_and_says_why(tmp_path):
    root = copy_repo(tmp_path / "repo")
    story = next(p for p in sorted((root / "stories").glob("*.md")) if not p.name.startswith("_"))
    story.write_text(story.read_text(encoding="utf-8").replace("consent:", "consnt:", 1), encoding="utf-8")
    result = run(root, "-m", "macros", "--root", str(root), "generate", str(tmp_path / "out"))
    assert result.returncode == 1
    assert "The handbook cannot be built until these are fixed" in result.stderr and story.name in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out" / "mkdocs.yml").exists()  # nothing half-written for an engine to render


def test_finish_without_a_built_site_is_a_usage_error(tmp_path):
    result = run(Path.cwd(), "-m", "macros", "finish", str(tmp_path / "nothing"))
    assert result.returncode == 2 and "no built site" in result.stderr


def test_a_page_without_a_charset_cannot_be_finished(tmp_path_factory, tmp_path):
    """The CSP goes right after <meta charset>: a template that drops it must fail, not ship a page without the policy."""
    root = once(tmp_path_factory, "pipeline-copy", lambda folder: copy_repo(folder / "repo"))
    site = tmp_path / "site"
    out = tmp_path / "out"
    assert run(root, "-m", "macros", "--root", str(root), "generate", str(out), "--site", str(site)).returncode == 0
    assert run(root, "-m", "mkdocs", "build", "--strict", "-f", str(out / "mkdocs.yml")).returncode == 0
    page = site / "about" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace('<meta charset="utf-8">', ""), encoding="utf-8")
    result = run(root, "-m", "macros", "--root", str(root), "finish", str(site), "--generated", str(out))
    assert result.returncode == 1 and "about/index.html" in result.stderr and "charset" in result.stderr


def test_the_engines_own_command_on_mkdocs_yml_builds_the_same_site(tmp_path_factory, tmp_path):
    """`mkdocs build` typed out of habit, on the repository's own mkdocs.yml: the adapter
    generates the tree first, points the engine at it and finishes the site afterwards."""
    root = once(tmp_path_factory, "pipeline-copy", lambda folder: copy_repo(folder / "repo"))
    plain = run(root, "-m", "mkdocs", "build", "--strict", "-f", str(root / "mkdocs.yml"), "-d", str(tmp_path / "plain"))
    assert plain.returncode == 0, plain.stderr[-3000:]
    assert "every link works" in plain.stderr
    together = build(root, site=tmp_path / "together" / "site", env={"SOURCE_DATE_EPOCH": ENV["SOURCE_DATE_EPOCH"]})
    assert together.returncode == 0, together.stderr[-3000:]
    assert differing(tmp_path / "plain", tmp_path / "together" / "site") == []
