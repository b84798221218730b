"""One file is a whole contribution: a pull request that adds one story file, made the
way CONTRIBUTING.md says (`make new`, fill in the storyteller's fields, `make check`) and
left unreviewed, passes the scope step, the check and the strict preview build, changes
no other file (not even published-urls.txt), and once merged deploys: the publish build
leaves it out, lists it as waiting, and the deploy's address check passes.

Every other test that depends on the set of stories already runs on a tree with this
story and one from /contribute/write/ (conftest's `built_site`), in the same run."""
from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, serve_dir, set_up_clone
from tests.contributions import NEW_STORY_ID as STORY_ID, add_made_with_make_new, run

IGNORED = {".venv", "site", "__pycache__", ".pytest_cache", "node_modules"}   # as .gitignore says


def snapshot(root: Path) -> dict[str, str]:
    """What git would commit: path -> content hash."""
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and not IGNORED & set(p.relative_to(root).parts)}


@pytest.fixture(scope="module")
def pr(tmp_path_factory) -> dict:
    """The pull request's tree: the repository plus one story file, made with `make new`."""
    root = set_up_clone(tmp_path_factory.mktemp("pr") / "repo")
    before = snapshot(root)
    path = add_made_with_make_new(root)
    return {"root": root, "before": before, "path": path}


def test_the_pull_request_adds_one_story_file_and_changes_nothing_else(pr):
    after = snapshot(pr["root"])
    assert {k: v for k, v in after.items() if pr["before"].get(k) != v} == {
        f"stories/{STORY_ID}.md": after[f"stories/{STORY_ID}.md"]}
    assert set(pr["before"]) - set(after) == set()
    assert "TODO" not in pr["path"].read_text(encoding="utf-8")


def test_the_scope_step_passes_it(pr):
    changed = "\0".join(k for k, v in snapshot(pr["root"]).items() if pr["before"].get(k) != v)
    result = subprocess.run([sys.executable, "-m", "macros.read.prscope"], input=changed.encode(), capture_output=True,
                            cwd=pr["root"], timeout=60)
    assert result.returncode == 0 and b"In scope" in result.stdout, result.stdout


def test_make_check_passes(pr):
    for argv in (["make", "-s", "check"], ["make", "-s", "check", f"FILE=stories/{STORY_ID}.md"]):
        result = run(pr["root"], *argv)
        assert result.returncode == 0, result.stdout + result.stderr
        # no problem line (path:LINE:COL:) names it; a note that it waits for the editors does
        assert not re.search(rf"^stories/{STORY_ID}\.md:\d+:\d+:", result.stdout, re.M), result.stdout
        assert re.search(rf"^info: stories/{STORY_ID}\.md: waiting for the editors.*`make waiting`",
                         result.stdout, re.M), result.stdout


def test_make_build_passes_and_previews_the_story_with_its_banner(pr):
    result = run(pr["root"], "make", "-s", "build")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    page = (pr["root"] / "site" / "stories" / STORY_ID / "index.html").read_text(encoding="utf-8")
    assert "Small Talk, Big Steps" in page and "counting the minutes until I could leave" in page
    assert "Awaiting editorial review" in page


@pytest.fixture(scope="module")
def merged(pr, tmp_path_factory) -> dict:
    """After the merge: `make publish`, then the deploy's steps, with a local server standing
    in for the live site as the previous deploy left it (the repository without the story)."""
    result = run(pr["root"], "make", "-s", "publish")
    site = pr["root"] / "site"
    summary = run(pr["root"], sys.executable, "-m", "macros", "waiting", "--markdown", "--today", "2026-12-03")
    waiting = run(pr["root"], "make", "-s", "waiting")
    live = set_up_clone(tmp_path_factory.mktemp("live") / "repo")
    # The offline editions leave a waiting story out, so the live site's are the very files the
    # merge's `make publish` just made: copied, not printed again (`-o offline` skips that step).
    shutil.copytree(pr["root"] / "downloads", live / "downloads")
    assert run(live, "make", "-s", "-o", "offline", "publish").returncode == 0
    assert (live / "site" / "downloads" / "ripples-handbook.epub").exists()
    assert run(live, sys.executable, "-m", "macros", "deploy-check", "--live", "http://127.0.0.1:9/x").returncode == 1
    assert run(live, sys.executable, "-m", "macros", "deploy-check", "--live", "http://127.0.0.1:9/x",
               "--if-unreachable", "use-committed").returncode == 0
    with serve_dir(live / "site") as base:
        check = run(pr["root"], sys.executable, "-m", "macros", "deploy-check", "--live", base + "published-urls.txt")
    return {"publish": result, "site": site, "summary": summary, "waiting": waiting, "check": check}


def test_the_publish_build_passes_and_leaves_the_story_out(merged):
    result, site = merged["publish"], merged["site"]
    assert result.returncode == 0, result.stdout + result.stderr
    assert not (site / "stories" / STORY_ID).exists()
    everything = [p for p in site.rglob("*") if p.is_file() and p.suffix in {".html", ".json", ".xml", ".txt"}]
    assert everything and not [p for p in everything if STORY_ID in p.read_text(encoding="utf-8")]
    log = result.stdout + result.stderr
    assert re.search(rf"INFO .*stories/{STORY_ID}\.md: held back from the published site, not committed yet: "
                     "no editorial review yet", log), log
    assert "`make waiting` shows the same list" in log and "WARNING" not in log


def test_the_waiting_story_is_listed_in_the_job_summary_and_by_make_waiting(merged):
    summary, waiting = merged["summary"], merged["waiting"]
    assert summary.returncode == 0 and waiting.returncode == 0, summary.stderr + waiting.stderr
    assert f"| `stories/{STORY_ID}.md` | not committed yet | no editorial review yet" in summary.stdout
    assert f"stories/{STORY_ID}.md: held back from the published site" in waiting.stdout
    assert "1 story waiting for the editors" in waiting.stdout


def test_the_deploy_check_passes_against_the_live_site(merged):
    check = merged["check"]
    assert check.returncode == 0, check.stdout + check.stderr
    assert re.search(r"published-urls.txt: \d+ published addresses", check.stdout), check.stdout
    lock = (merged["site"] / "published-urls.txt").read_text(encoding="utf-8")
    assert "/about/kap/" in lock.splitlines() and STORY_ID not in lock
