"""Shared fixtures: a throwaway copy of the repository, a strict build of it,
and a local HTTP server for the built site. Tests never touch the real site/."""
from __future__ import annotations

import contextlib
import functools
import http.server
import os
import re
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

import pytest
from tests.commands import run_macros

ROOT = Path(__file__).resolve().parent.parent
# Copies carry no .git, so without this every build would stamp the day it runs (sitemap lastmod,
# download dates) and two builds either side of midnight, or one made after an in-process step
# pinned the date from this checkout's commit, would differ. One fixed date for the whole run;
# tests/test_reproducible.py removes it to check the commit-date fallback.
TEST_EPOCH = "1764547200"   # 2025-12-01 00:00 UTC
os.environ["SOURCE_DATE_EPOCH"] = TEST_EPOCH
# Every build of every copy shares this checkout's disk caches (QR codes, compiled templates,
# the look-alike table): each entry is keyed by all it is computed from (macros/render/cache.py).
os.environ.setdefault("RIPPLES_CACHE", str(ROOT / ".cache"))

# A run's scratch files (copies of the repository, built sites, prints: about 1.3 GB, 96,000
# files) go to memory when /dev/shm has room for four runs, as pytest keeps the last three and
# deletes the one before at the end of each run: 18 s on this VM's ext4 disk, 1 s in memory.
# Everything the run starts (builds, Chromium) inherits TMPDIR. A TMPDIR already set wins.
TEST_RAM_MIN_FREE = 6 << 30


def memory_scratch() -> Path | None:
    from macros.finish.search import ram_dir
    ram = None if os.environ.get("TMPDIR") else ram_dir(TEST_RAM_MIN_FREE)
    return ram / f"ripples-tests-{os.getuid()}" if ram else None


SCRATCH = memory_scratch()
if SCRATCH:
    SCRATCH.mkdir(mode=0o700, exist_ok=True)
    os.environ["TMPDIR"] = str(SCRATCH)
    tempfile.tempdir = None  # gettempdir() reads TMPDIR again

# What each test module took in the last measured run (bench/suite.py --record writes it). Only
# the order of the run depends on it, never a verdict: see pytest_collection_modifyitems.
MODULE_SECONDS = ROOT / "tests" / "module-seconds.json"


def pytest_collection_modifyitems(config, items):
    """Longest modules first. `make test` hands whole modules to two workers (`--dist loadfile`,
    so a module's fixtures are made once) in this order; a long module handed out last would keep
    one worker busy while the other has nothing left: up to 40 s of a 6-minute run. Modules
    not yet measured come after the measured ones, in the order pytest found them."""
    import json
    try:
        seconds = json.loads(MODULE_SECONDS.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return
    order = {item: n for n, item in enumerate(items)}
    items.sort(key=lambda item: (-float(seconds.get(module_of(item), 0)), order[item]))
    second_worker_starts_at_once(items)


def module_of(item) -> str:
    return item.nodeid.split("::")[0]


# What the longest modules start by needing: the built sites the first worker to ask makes,
# under a lock, while any other worker that asks waits (`once`), about 6 s at the start of a run.
MADE_BY_ONE_WORKER = {"seed_site", "built_site"}


def second_worker_starts_at_once(items) -> None:
    """pytest-xdist hands the first module to one worker and the second to the other. When both
    start by needing the built sites, the second worker waits while the first makes them: hand it
    instead the longest module whose first test needs neither. Tests keep their order in a module."""
    firsts = {}
    for item in items:
        firsts.setdefault(module_of(item), item)
    modules = list(firsts)

    def waits(module: str) -> bool:
        return bool(MADE_BY_ONE_WORKER & set(getattr(firsts[module], "fixturenames", ())))
    if len(modules) < 3 or not (waits(modules[0]) and waits(modules[1])):
        return
    second = next((m for m in modules[2:] if not waits(m)), None)
    if second is not None:
        rank = {m: n for n, m in enumerate([modules[0], second, *(m for m in modules[1:] if m != second)])}
        items.sort(key=lambda item: rank[module_of(item)])


COPY_IGNORE = shutil.ignore_patterns(".venv", "site", "downloads", ".git", "__pycache__", ".pytest_cache", "node_modules",
                                     "bench/out", "generated", ".cache")


def copy_repo(dest: Path) -> Path:
    shutil.copytree(ROOT, dest, ignore=COPY_IGNORE)
    return dest


def build(root: Path, site: Path | None = None, env: dict | None = None, engine: str = "mkdocs",
          strict: bool = True) -> subprocess.CompletedProcess:
    """`make build` of a repository copy: generate → render (strict) → finish."""
    site = site or root / "site"
    full_env = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "RIPPLES_GENERATED")}
    full_env.update({"NO_MKDOCS_2_WARNING": "1", **(env or {})})
    # a site built elsewhere than root/site gets its own generated tree: two builds of one copy never share one
    generated = root / "generated" if site == root / "site" else site.parent / f"{site.name}.generated"
    return run_macros(root, "build", "--site", site, "--generated", generated, "--engine", engine,
                      *([] if strict else ["--no-strict"]), env=full_env)


def check(root: Path, *args: str) -> subprocess.CompletedProcess:
    return run_macros(root, *args, cwd=ROOT, timeout=120)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A fresh copy of the repository to modify freely."""
    return copy_repo(tmp_path / "repo")


def once(tmp_path_factory, name: str, make) -> Path:
    """A session resource made once for the whole run, even under pytest-xdist: the first
    worker makes it under a lock in the run's shared folder, the others reuse it."""
    from filelock import FileLock
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent
    folder, done = shared / name, shared / f"{name}.done"
    with FileLock(str(shared / f"{name}.lock")):
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            result = make(folder)
            done.write_text(str(result), encoding="utf-8")
    return Path(done.read_text(encoding="utf-8"))


def built(root: Path) -> Path:
    result = build(root)
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "site"


def set_up_clone(root: Path) -> Path:
    """A copy as after `make setup`: its .venv (and npm tools) are this checkout's."""
    copy_repo(root)
    (root / ".venv").symlink_to(ROOT / ".venv")
    if (ROOT / "node_modules").is_dir():
        (root / "node_modules").symlink_to(ROOT / "node_modules")
    return root


@pytest.fixture(scope="session")
def seed_site(tmp_path_factory) -> Path:
    """The repository exactly as it is, built."""
    return once(tmp_path_factory, "seed", lambda folder: built(copy_repo(folder / "repo")))


@pytest.fixture(scope="session")
def built_site(tmp_path_factory, request) -> Path:
    """The handbook every story-dependent test checks: the repository plus two stories as
    contributors really send them, unreviewed (tests/contributions.py): one from `make new`,
    one downloaded from /contribute/write/ in Chromium. Its root is `built_site.parent`."""
    from tests import contributions

    def make(folder: Path) -> Path:
        root = set_up_clone(folder / "repo")
        contributions.add_made_with_make_new(root)
        browser = written_with = None
        try:
            browser = request.getfixturevalue("browser")
        except pytest.skip.Exception:  # a laptop without Chromium: the make-new story only
            pass
        if browser is not None:
            from macros.read.handbook import load_handbook
            with serve_dir(request.getfixturevalue("seed_site")) as base:
                written_with = contributions.add_sent_from_the_write_page(
                    browser, base, root, load_handbook(ROOT)[0].taxonomy)
        assert written_with is None or written_with.exists()
        return built(root)
    return once(tmp_path_factory, "contributed", make)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output readable
        pass


@contextlib.contextmanager
def serve_dir(directory: Path):
    """Serve a directory on 127.0.0.1 (random port); yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()


@pytest.fixture(scope="session")
def site_server(built_site: Path):
    """The built handbook on 127.0.0.1 (random port); yields the base URL."""
    with serve_dir(built_site) as base:
        yield base


# ---- browser tests: one Chromium for the whole session --------------------------

@pytest.fixture(scope="session")
def browser():
    from tests.browser import CHROMIUM, CHROMIUM_ARGS, unavailable
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} is not installed")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the pins install it
        unavailable("playwright is not installed (run `make setup`)")
    from playwright.sync_api import Page

    from tests.browser import wait_for
    # Playwright's wait_for_function calls the page's eval(), which the site's CSP blocks.
    Page.wait_for_function = lambda self, expression, *, arg=None, timeout=None, polling=None: \
        wait_for(self, expression, arg, timeout)
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def axe():
    """axe-core from node_modules at package.json's pin (not a copy bundled in a Python package)."""
    from tests.browser import axe_core
    return axe_core()


# ---- every kind of page: the handbook plus one redirect page -------------------

REDIRECT_FROM, REDIRECT_TO = "/moved-for-tests/", "/about/"
FULL_SITE_PAGE_SIZE = 3


def set_hub_page_size(root: Path, size: int) -> None:
    """Page a copy's hubs `size` stories at a time, so 22 stories already make later pages."""
    settings = root / "stories" / "handbook.yml"
    text = settings.read_text(encoding="utf-8")
    assert re.search(r"^hub_page_size: \d+", text, re.M), "handbook.yml has no hub_page_size line"
    settings.write_text(re.sub(r"^hub_page_size: \d+", f"hub_page_size: {size}", text, flags=re.M), encoding="utf-8")


@pytest.fixture(scope="session")
def full_site(tmp_path_factory) -> Path:
    """The handbook built with one redirect added (the seed has none) and hubs paged 3
    stories at a time, so checks that must cover every kind of page (Nu Html Checker,
    CSP) also see a redirect page and a hub's later pages."""
    def make(folder: Path) -> Path:
        root = copy_repo(folder / "repo")
        set_hub_page_size(root, FULL_SITE_PAGE_SIZE)
        path = root / "stories" / "redirects.yml"
        text = path.read_text(encoding="utf-8").replace("redirects: []", "redirects:")
        path.write_text(text + f"  - from: {REDIRECT_FROM}\n    to: {REDIRECT_TO}\n", encoding="utf-8")
        return built(root)
    return once(tmp_path_factory, "full", make)
