"""The pull-request scope step (macros/read/prscope.py): goldens for every outcome.

The workflow pipes `git diff --name-only -z` into `python -m macros.read.prscope`;
these tests feed it the same bytes, through the same command line."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import ROOT
from macros.read.prscope import scope, split_paths

FIX = [
    "A story pull request adds or edits files named stories/<id>.md and nothing else.",
    "Undo the changes to the other files listed above, for example with",
    "  git checkout origin/main -- <file>    (or delete a file you added),",
    "or ask a maintainer to review them and add the label maintainer-approved.",
]


def run(paths: list[str], labels: list[str] | None = None, env: dict | None = None):
    argv = [sys.executable, "-m", "macros.read.prscope"]
    if labels is not None:
        argv += ["--labels-json", json.dumps(labels)]
    full_env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"} | (env or {})
    result = subprocess.run(argv, input="\0".join(paths).encode() + b"\0", capture_output=True, cwd=ROOT,
                            env=full_env, timeout=60)
    return result.returncode, result.stdout.decode(), result.stderr.decode()


def test_one_new_story_is_in_scope():
    assert run(["stories/ana-learning-to-ask.md"]) == (0, (
        "Story file(s) changed: 1\n"
        "  stories/ana-learning-to-ask.md\n"
        "In scope: this story pull request changes story files only.\n"), "")


def test_several_story_files_are_in_scope():
    code, out, _ = run(["stories/b.md", "stories/a.md"])
    assert code == 0 and out.splitlines()[:3] == ["Story file(s) changed: 2", "  stories/a.md", "  stories/b.md"]


def test_story_plus_other_files_fails_and_says_why_for_each():
    code, out, err = run(["stories/ana.md", "published-urls.txt", "stories/taxonomy.yml", "stories/_template.md",
                          "stories/notes.txt", "stories/sub/x.md", ".github/workflows/test.yml", "overrides/main.html",
                          "macros/read/validate.py"])
    assert (code, err) == (1, "")
    assert out.splitlines() == [
        "Story file(s) changed: 1",
        "  stories/ana.md",
        "Other file(s) changed: 8",
        "  .github/workflows/test.yml: a GitHub workflow or form: maintainers change it",
        "  macros/read/validate.py: code, tests or tooling: maintainers change it",
        "  overrides/main.html: a page or template of the site: maintainers change it",
        "  published-urls.txt: the deploy job adds new addresses to this file after the merge: leave it as it is",
        "  stories/_template.md: the story template: maintainers change it",
        "  stories/notes.txt: only files named stories/<id>.md are stories",
        "  stories/sub/x.md: only files named stories/<id>.md are stories",
        "  stories/taxonomy.yml: a data file (chapters, pathways, glossary, settings, redirects or schema): "
        "maintainers change it",
        *FIX,
    ]


def test_the_maintainer_label_allows_it():
    code, out, _ = run(["stories/ana.md", "stories/pathways.yml"], labels=["story", "maintainer-approved"])
    assert code == 0
    assert out.splitlines()[-1] == "Allowed: a maintainer added the label maintainer-approved."
    assert run(["stories/ana.md", "stories/pathways.yml"], labels=["maintainer-approved-please"])[0] == 1


def test_a_pull_request_without_story_files_is_not_a_story_pull_request():
    assert run(["macros/cli/main.py", "README.md"]) == (0, (
        "Changed: 2 path(s), no story file\n"
        "  README.md\n"
        "  macros/cli/main.py\n"
        "Not a story pull request: CODEOWNERS asks a maintainer to review it.\n"), "")


def test_hostile_paths_are_printed_escaped_and_never_as_a_workflow_command():
    code, out, _ = run(["stories/ana.md", "::error::pwned\n::warning::x", "docs/a\x1b[2Jb.md", "x\\y"],
                       env={"GITHUB_ACTIONS": "true"})
    assert code == 1
    lines = out.splitlines()
    assert "  ::error::pwned\\n::warning::x: code, tests or tooling: maintainers change it" in lines
    assert "  docs/a\\x1b[2Jb.md: a page or template of the site: maintainers change it" in lines
    assert "  x\\\\y: code, tests or tooling: maintainers change it" in lines
    assert [l for l in lines if l.startswith("::")] == [
        "::error title=Story pull request scope::This story pull request changes files other than "
        "stories/<id>.md. The log lists them and says what to do."]
    assert "\x1b" not in out


def test_bad_labels_are_a_usage_error():
    result = subprocess.run([sys.executable, "-m", "macros.read.prscope", "--labels-json", "{"], input=b"",
                            capture_output=True, cwd=ROOT, timeout=60)
    assert (result.returncode, result.stdout.decode()) == (
        2, "usage error: --labels-json must be a JSON list of label names\n")


@pytest.mark.parametrize("data, expected", [
    ("a\0b\0", ["a", "b"]), ("b\na\n", ["a", "b"]), ("a b\0", ["a b"]), ("", []), ("a\0a\0", ["a"]),
])
def test_split_paths(data, expected):
    assert split_paths(data) == expected


def test_it_runs_on_the_standard_library_alone():
    """The workflow runs it with the runner's python3, before any `make setup`."""
    result = subprocess.run([sys.executable, "-S", "-I", "-c",
                             "import sys; sys.path.insert(0, '.'); import macros.read.prscope as m; "
                             "print(sorted(k for k in sys.modules if k.split('.')[0] in {'pydantic', 'yaml'}))"],
                            capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.stdout.strip() == "[]", result.stderr


def test_scope_function_agrees_with_the_command():
    assert scope([], []) == (0, ["Changed: 0 path(s), no story file",
                                 "Not a story pull request: CODEOWNERS asks a maintainer to review it."])
