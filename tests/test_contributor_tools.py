"""The contributor's tools work as documented, on a set-up clone with no activated venv:
`make new` (PERSON/TITLE/CHAPTER/DOMAINS), `make check` (and FILE=...), the pre-commit
hook; the files contributors read on GitHub show no raw Jinja and one contact address;
chapter introductions do not count stories; the build log has no warning stacks."""
from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, copy_repo

READ_ON_GITHUB = ["README.md", "CONTRIBUTING.md", "docs/contribute.md", ".github/PULL_REQUEST_TEMPLATE.md",
                  *sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / ".github" / "ISSUE_TEMPLATE").glob("*.yml"))]
GUIDES = ["README.md", "CONTRIBUTING.md", "docs/contribute.md"]
SETTINGS = yaml.safe_load((ROOT / "stories" / "handbook.yml").read_text(encoding="utf-8"))


def make(root: Path, *args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items()
           if k not in {"FILE", "PERSON", "TITLE", "CHAPTER", "DOMAINS", "VIRTUAL_ENV"}}
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if ".venv" not in p)
    return subprocess.run(["make", "-s", *args], capture_output=True, text=True, cwd=root, env=env,
                          timeout=timeout, stdin=subprocess.DEVNULL)


@pytest.fixture
def clone(tmp_path) -> Path:
    """A clone after `make setup` (its .venv is this checkout's), no venv activated."""
    root = copy_repo(tmp_path / "clone")
    (root / ".venv").symlink_to(ROOT / ".venv")
    return root


# ---- what contributors read on GitHub ----------------------------------------------------

@pytest.mark.parametrize("name", READ_ON_GITHUB)
def test_no_raw_jinja_where_contributors_read_on_github(name):
    text = (ROOT / name).read_text(encoding="utf-8")
    assert not re.search(r"\{\{|\{%", text), f"{name} shows template syntax on GitHub"


@pytest.mark.parametrize("name", READ_ON_GITHUB)
def test_every_address_given_is_the_contact_address(name):
    """GitHub cannot render macros, so these files spell the address out: it must be the one
    in stories/handbook.yml (change them together)."""
    found = set(re.findall(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", (ROOT / name).read_text(encoding="utf-8")))
    found -= {"41898282+github-actions[bot]@users.noreply.github.com"}
    assert found <= {SETTINGS["contact_email"]}, found


@pytest.mark.parametrize("name", GUIDES)
def test_documented_commands_need_no_activated_venv(name):
    text = (ROOT / name).read_text(encoding="utf-8")
    assert not re.search(r"^\s*(python3? -m macros|source \.venv|pre-commit install)", text, re.M), name
    targets = set(re.findall(r"^([a-z][a-z-]*):", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M))
    documented = set(re.findall(r"`make ([a-z][a-z-]*)", text)) | set(re.findall(r"^\s*make ([a-z][a-z-]*)", text, re.M))
    assert documented and documented <= targets, documented - targets


def test_the_guides_show_the_make_commands():
    for name in ("CONTRIBUTING.md", "docs/contribute.md"):
        text = (ROOT / name).read_text(encoding="utf-8")
        assert "make new PERSON=" in text and "make check FILE=stories/<id>.md" in text, name


def test_chapter_introductions_do_not_count_stories():
    """A chapter grows by pull request: its introduction must stay true with any number of stories."""
    taxonomy = yaml.safe_load((ROOT / "stories" / "taxonomy.yml").read_text(encoding="utf-8"))
    counting = re.compile(r"\b(two|three|four|five|six|\d+|both|another|one (person|parent|story))\b", re.I)
    bad = {c["id"]: m.group(0) for c in taxonomy["chapters"] if (m := counting.search(c["introduction"]))}
    assert bad == {}


# ---- make new, make check, the pre-commit hook ---------------------------------------------

def test_make_new_and_make_check_file_on_a_fresh_clone(clone):
    title = 'Saying "No" (and Meaning It)'
    made = make(clone, "new", "PERSON=Ana", f"TITLE={title}", "CHAPTER=boundaries-people-pleasing",
                "DOMAINS=family,friendship")
    assert made.returncode == 0, made.stdout + made.stderr
    [created] = re.findall(r"Created (stories/\S+\.md)", made.stdout)
    front = yaml.safe_load((clone / created).read_text(encoding="utf-8").split("---\n")[1])
    assert (front["person"], front["title"], front["chapter"], front["domains"]) == (
        "Ana", title, "boundaries-people-pleasing", ["family", "friendship"])
    one = make(clone, "check", f"FILE={created}")
    problems = [line for line in one.stdout.splitlines() if line.startswith(f"{created}:")]
    assert one.returncode != 0 and problems and "TODO" in one.stdout
    assert "Traceback" not in one.stdout + one.stderr
    everything = make(clone, "check")
    assert [line for line in everything.stdout.splitlines() if re.match(r"stories/\S+\.md:\d+", line)] == problems


def test_make_check_file_on_a_valid_story(clone):
    result = make(clone, "check", "FILE=stories/sarah-from-anger-to-vulnerability.md")
    assert result.returncode == 0, result.stdout + result.stderr


def test_pre_commit_config_is_valid_and_uses_the_venv():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    [hook] = config["repos"][0]["hooks"]
    assert hook["entry"].startswith(".venv/bin/python -m macros check")
    result = subprocess.run([str(ROOT / ".venv" / "bin" / "pre-commit"), "validate-config", ".pre-commit-config.yaml"],
                            capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_pre_commit_hook_checks_story_files(clone, tmp_path):
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit"), "GIT_AUTHOR_NAME": "t",
           "GIT_COMMITTER_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_EMAIL": "t@example.org"}
    (clone / "stories" / "bad-one.md").write_text("---\ntitle: x\n---\n", encoding="utf-8")
    git = lambda *a: subprocess.run(["git", *a], cwd=clone, env=env, capture_output=True, text=True, timeout=60)  # noqa: E731
    assert git("init", "-q").returncode == 0 and git("add", "-A").returncode == 0
    run = lambda f: subprocess.run([str(clone / ".venv" / "bin" / "pre-commit"), "run", "--files", f],  # noqa: E731
                                   cwd=clone, env=env, capture_output=True, text=True, timeout=300)
    good = run("stories/sarah-from-anger-to-vulnerability.md")
    assert good.returncode == 0 and "Passed" in good.stdout, good.stdout + good.stderr
    bad = run("stories/bad-one.md")
    assert bad.returncode == 1 and "hook id: ripples-story-check" in bad.stdout
    assert any(line.startswith("stories/bad-one.md:") for line in bad.stdout.splitlines()), bad.stdout


# ---- the build log -----------------------------------------------------------------------------

def test_the_build_log_has_no_warning_or_traceback_stack(clone):
    """`make build` as a contributor runs it: no DeprecationWarning (or any *Warning) and no
    stack lines. Pins fix what emitted them (pathspec); nothing is filtered or hidden."""
    result = make(clone, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    log = result.stdout + result.stderr
    stack = [line for line in log.splitlines()
             if re.search(r"Warning\b|Traceback|^\s+File \"|warnings\.warn\(", line)]
    assert stack == [], "\n".join(stack)
