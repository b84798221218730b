"""Pull-request scope: a story pull request changes story files and nothing else.

`git diff --name-only -z BASE HEAD | python -m macros.read.prscope [--labels-json JSON]`
prints the changed paths, explains any that a story pull request must not touch,
and exits 1 for those unless a maintainer has added the label `maintainer-approved`.
A pull request that touches no story file is not a story pull request: CODEOWNERS
asks the maintainers to review it, and this step passes.

Standard library only, so the workflow can run it with the runner's own python3.
Paths come from a stranger's pull request: every one is printed escaped and indented,
so none can pose as a workflow command (a line starting with `::`).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys

LABEL = "maintainer-approved"
STORY = re.compile(r"stories/[^/_][^/]*\.md")   # stories/<id>.md; the checker judges the id itself
WHY = [  # (pattern, why a story pull request leaves it alone), first match wins
    (re.compile(r"published-urls\.txt"),
     "the deploy job adds new addresses to this file after the merge: leave it as it is"),
    (re.compile(r"stories/_template\.md"), "the story template: maintainers change it"),
    (re.compile(r"stories/[^/]*\.(yml|yaml|json)"),
     "a data file (chapters, pathways, glossary, settings, redirects or schema): maintainers change it"),
    (re.compile(r"stories/.*", re.S), "only files named stories/<id>.md are stories"),
    (re.compile(r"\.github/.*", re.S), "a GitHub workflow or form: maintainers change it"),
    (re.compile(r"(docs|overrides)/.*|mkdocs\.yml", re.S), "a page or template of the site: maintainers change it"),
    (re.compile(r".*", re.S), "code, tests or tooling: maintainers change it"),
]


def shown(path: str) -> str:
    """A path as plain visible text: control and other invisible characters escaped."""
    return "".join(c if c.isprintable() and c != "\\" else c.encode("unicode_escape").decode() for c in path)


def why(path: str) -> str:
    return next(reason for pattern, reason in WHY if pattern.fullmatch(path))


def split_paths(data: str) -> list[str]:
    """`git diff --name-only -z` output (NUL-separated) or one path a line."""
    parts = data.split("\0") if "\0" in data else data.splitlines()
    return sorted({p for p in parts if p})


def scope(paths: list[str], labels: list[str]) -> tuple[int, list[str]]:
    """(exit code, report lines) for the paths a pull request changes."""
    stories = [p for p in paths if STORY.fullmatch(p)]
    others = [p for p in paths if not STORY.fullmatch(p)]
    if not stories:
        return 0, [f"Changed: {len(paths)} path(s), no story file", *(f"  {shown(p)}" for p in paths),
                   "Not a story pull request: CODEOWNERS asks a maintainer to review it."]
    lines = [f"Story file(s) changed: {len(stories)}", *(f"  {shown(p)}" for p in stories)]
    if not others:
        return 0, lines + ["In scope: this story pull request changes story files only."]
    lines += [f"Other file(s) changed: {len(others)}", *(f"  {shown(p)}: {why(p)}" for p in others)]
    if LABEL in labels:
        return 0, lines + [f"Allowed: a maintainer added the label {LABEL}."]
    return 1, lines + [
        "A story pull request adds or edits files named stories/<id>.md and nothing else.",
        "Undo the changes to the other files listed above, for example with",
        "  git checkout origin/main -- <file>    (or delete a file you added),",
        f"or ask a maintainer to review them and add the label {LABEL}.",
    ]


def main(argv: list[str] | None = None, stdin=None, out=None) -> int:
    p = argparse.ArgumentParser(prog="python -m macros.read.prscope", description=__doc__.splitlines()[0])
    p.add_argument("--labels-json", default="[]", help="the pull request's label names, as a JSON list")
    args = p.parse_args(argv)
    stdin, out = stdin or sys.stdin, out or sys.stdout
    try:
        labels = json.loads(args.labels_json)
    except json.JSONDecodeError:
        labels = None
    if not isinstance(labels, list):
        print("usage error: --labels-json must be a JSON list of label names", file=out)
        return 2
    data = stdin.buffer.read().decode("utf-8", "backslashreplace") if hasattr(stdin, "buffer") else stdin.read()
    code, lines = scope(split_paths(data), [str(label) for label in labels])
    print("\n".join(lines), file=out)
    if code and os.environ.get("GITHUB_ACTIONS") == "true":  # our own fixed text, never a path
        print(f"::error title=Story pull request scope::This story pull request changes files other than "
              f"stories/<id>.md. The log lists them and says what to do.", file=out)
    return code


if __name__ == "__main__":
    sys.exit(main())
