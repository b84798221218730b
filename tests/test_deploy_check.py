"""The deploy's address check (`python -m macros deploy-check`), offline: a local server
stands in for the live site. Addresses stay permanent without a lock committed by CI:
each deployed site carries /published-urls.txt, and the next deploy must keep them all."""
from __future__ import annotations

import shutil
import socket
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, serve_dir
from macros.finish.urls import LOCK_FILE, published, read_lock
from tests.commands import run_macros


def deploy_check(root: Path, site: Path, live: str, *extra: str) -> subprocess.CompletedProcess:
    return run_macros(root, "deploy-check", "--site", site, "--live", live, *extra, cwd=ROOT, timeout=120)


@pytest.fixture
def new_site(seed_site, tmp_path) -> Path:
    """A copy of the site about to be deployed (the check writes its published-urls.txt)."""
    return Path(shutil.copytree(seed_site, tmp_path / "site"))


@pytest.fixture
def live(tmp_path):
    """A stand-in for the live site: whatever /published-urls.txt the test writes."""
    folder = tmp_path / "live"
    folder.mkdir()
    with serve_dir(folder) as base:
        yield folder, base + LOCK_FILE


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_every_live_address_kept_deploys_and_carries_the_list_on(seed_site, new_site, live):
    folder, url = live
    earlier = sorted(published(seed_site))
    (folder / LOCK_FILE).write_text("# the previous deploy\n" + "\n".join(earlier) + "\n", encoding="utf-8")
    result = deploy_check(seed_site.parent, new_site, url)
    assert result.returncode == 0, result.stdout
    assert f"{url}: {len(earlier)} published addresses" in result.stdout
    carried = read_lock_file(new_site / LOCK_FILE)
    assert set(earlier) | set(read_lock(seed_site.parent)) <= set(carried)


def test_an_address_that_would_vanish_refuses_the_deploy_with_the_redirect_to_add(seed_site, new_site, live):
    folder, url = live
    (folder / LOCK_FILE).write_text("/\n/stories/someone-who-left/\n/about/#crisis\n", encoding="utf-8")
    result = deploy_check(seed_site.parent, new_site, url)
    assert result.returncode == 1
    assert "/stories/someone-who-left/: no page is published here; add a redirect to stories/redirects.yml:" \
        in result.stdout
    assert "      - from: /stories/someone-who-left/\n        to: /stories/" in result.stdout
    assert "Deploy refused: 1 published address(es) would vanish" in result.stdout
    assert not (new_site / LOCK_FILE).exists()


def test_the_first_deploy_keeps_the_committed_list(seed_site, new_site, live):
    _, url = live   # nothing there yet: the server answers 404
    result = deploy_check(seed_site.parent, new_site, url)
    assert result.returncode == 0, result.stdout
    assert "not found, so this is the first deploy" in result.stdout
    assert set(read_lock(seed_site.parent)) <= set(read_lock_file(new_site / LOCK_FILE))


def test_an_unreachable_live_site_refuses_unless_a_maintainer_chooses_the_committed_list(seed_site, new_site):
    url = f"http://127.0.0.1:{closed_port()}/{LOCK_FILE}"
    refused = deploy_check(seed_site.parent, new_site, url)
    assert refused.returncode == 1 and "Deploy refused:" in refused.stdout and "could not be reached" in refused.stdout
    assert "if_unreachable: use-committed" in refused.stdout
    chosen = deploy_check(seed_site.parent, new_site, url, "--if-unreachable", "use-committed")
    assert chosen.returncode == 0, chosen.stdout
    assert "using published-urls.txt from the repository only" in chosen.stdout


@pytest.mark.parametrize("content", ["<html>not a list</html>\n", "/ok/\njavascript:alert(1)\n", "/a b/\n"])
def test_a_live_file_that_is_not_an_address_list_refuses_the_deploy(seed_site, new_site, live, content):
    folder, url = live
    (folder / LOCK_FILE).write_text(content, encoding="utf-8")
    result = deploy_check(seed_site.parent, new_site, url)
    assert result.returncode == 1 and "is not a site address" in result.stdout


def test_two_deploys_in_a_row_the_second_keeps_what_only_the_first_published(built_site, seed_site, new_site,
                                                                            tmp_path):
    """Deploy 1 publishes a story the committed list has never seen; deploy 2, built without
    it, is refused: only the live site's own list remembers that address."""
    from tests.contributions import NEW_STORY_ID
    first_site = Path(shutil.copytree(built_site, tmp_path / "first"))
    first = deploy_check(built_site.parent, first_site, f"http://127.0.0.1:{closed_port()}/x",
                         "--if-unreachable", "use-committed")
    assert first.returncode == 0, first.stdout
    assert f"/stories/{NEW_STORY_ID}/" not in read_lock(seed_site.parent)
    with serve_dir(first_site) as base:
        second = deploy_check(seed_site.parent, new_site, base + LOCK_FILE)
    assert second.returncode == 1
    assert f"/stories/{NEW_STORY_ID}/: no page is published here" in second.stdout


def read_lock_file(path: Path) -> list[str]:
    return [l for l in path.read_text(encoding="utf-8").splitlines() if l and not l.startswith("#")]
