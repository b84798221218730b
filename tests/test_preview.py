"""`make preview STORY=<id>` (RIPPLES_PREVIEW): that story and its hubs only, no
search index; an unknown id is a clear message. bench/preview.py measures save to
shown at 3,000 stories."""
from __future__ import annotations

import subprocess
from pathlib import Path

import yaml

from tests.browser import story_ids
from tests.conftest import build


def preview_build(root: Path, story: str) -> subprocess.CompletedProcess:
    """What `make preview STORY=<id>` builds (it serves the same with live reload)."""
    return build(root, env={"RIPPLES_PREVIEW": story}, strict=False)


def test_preview_builds_the_story_with_its_hubs_only(repo: Path):
    ids = story_ids(repo / "site")
    sid = ids[len(ids) // 2]
    result = preview_build(repo, sid)
    assert result.returncode == 0, result.stdout + result.stderr
    site = repo / "site"
    built = sorted(p.parent.name for p in (site / "stories").glob("*/index.html"))
    assert built == [sid]
    meta = yaml.safe_load((repo / "stories" / f"{sid}.md").read_text(encoding="utf-8").split("---\n", 2)[1])
    hubs = {("chapters", meta["chapter"])} | {("domains", d) for d in meta["domains"]} | \
           {("themes", t) for t in meta["themes"]} | {("content-notes", c) for c in meta["content_notes"]}
    for folder in ("chapters", "domains", "themes", "content-notes"):
        assert (site / folder / "index.html").is_file()
        pages = {(folder, p.parent.name) for p in (site / folder).glob("*/index.html")}
        assert pages == {h for h in hubs if h[0] == folder}, folder
    assert not (site / "pagefind").exists(), "a preview should not spend time on the search index"
    assert sid in (site / "stories" / sid / "index.html").read_text(encoding="utf-8")


def test_preview_of_an_unknown_story_says_what_to_do(repo: Path):
    sid = story_ids(repo / "site")[0]
    result = preview_build(repo, sid[:-1])
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert f'there is no story "{sid[:-1]}"' in output and f'Did you mean "{sid}"?' in output, output
    assert "Traceback" not in output
