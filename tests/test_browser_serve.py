"""`make serve` / `make preview` in Chromium: saving a story shows the change.

MkDocs' dev server reloads the page with an inline script it injects; the site's CSP
forbids inline scripts, so pages built for `mkdocs serve` (and only those) allow them.
This runs the same measurement as bench/preview.py, on the suite's stories."""
from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from macros.finish import security
from tests.browser import load_bench, story_ids

pytestmark = pytest.mark.browser


def directives(policy: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def test_only_the_dev_server_policy_allows_inline_scripts():
    built, served = directives(security.csp()), directives(security.csp(dev_server=True))
    assert "'unsafe-inline'" not in built["script-src"]
    assert served.pop("script-src") == built.pop("script-src") + ["'unsafe-inline'"]
    assert served == built  # nothing else is relaxed


def test_saving_a_story_shows_the_change_in_the_browser(browser, repo: Path):
    story = story_ids(repo / "site")[0]
    result = load_bench("preview").measure(repo, story, edits=1, browser=browser)
    # measure() waits for the new words in the page and fails if they never come; how long it took
    # is bench/preview.py's figure, not this test's verdict
    assert len(result["times"]) == 1
    original = (repo / "stories" / f"{story}.md").read_text(encoding="utf-8")
    assert "Previewmarker" not in original  # the measurement put the file back


def test_a_build_never_carries_the_dev_server_policy(built_site: Path):
    page = (built_site / "index.html").read_text(encoding="utf-8")
    policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert policy and html.unescape(policy.group(1)) == security.csp()
    assert "unsafe-inline" not in page
