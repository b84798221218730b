"""Shared helpers for the browser tests (Debian's Chromium driven by Playwright).

The `browser` and `axe` fixtures live in conftest.py; each browser test module
imports what it needs from here.
"""
from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
# --js-flags=--max-opt=1: V8 runs scripts in its interpreter and its baseline compiler
# (Sparkplug) only, never its optimizing compilers (Maglev, TurboFan). A test page lives for
# about a second, too short for optimized code to repay compiling it: most of that work was
# axe-core compiled again in every document, on a background thread. Same JavaScript semantics
# (the tiers are interchangeable by design), about a fifth less CPU per page of the axe walk
# (bench/RESULTS.md). The site's readers get V8's defaults; this is the test browser only.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--js-flags=--max-opt=1"]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
# What a palette switch changes on a page's own content: colours, and the rules that read them.
PALETTE_RULES = {"runOnly": {"type": "rule", "values": ["color-contrast", "link-in-text-block"]},
                 "resultTypes": ["violations"]}
SCHEMES = {"light": "default", "dark": "slate"}
PALETTE = "document.body.getAttribute('data-md-color-scheme')"
DESKTOP = {"width": 1280, "height": 900}
MISSING = "a/b/c/"  # a deep URL that does not exist


def unavailable(why: str):
    if os.environ.get("CI"):
        pytest.fail(f"{why}: browser tests must run in CI (.ci/run installs Debian's chromium)")
    pytest.skip(why)


def site_pages(site: Path) -> list[str]:
    """Every page of the built site, as a path relative to the site root ("" is home)."""
    pages = sorted("" if f.parent == site else f.parent.relative_to(site).as_posix() + "/"
                   for f in site.rglob("index.html"))
    return pages + ["404.html"]


def story_ids(site: Path) -> list[str]:
    return sorted(f.stem for f in (site.parent / "stories").glob("*.md") if not f.name.startswith("_"))


def goto(page, url: str, status: int = 200):
    response = page.goto(url)
    assert response is not None and response.status == status, f"{url}: HTTP {response and response.status}"
    return response


def settle(page) -> None:
    """Wait for running CSS transitions and animations to end."""
    page.evaluate("Promise.allSettled(document.getAnimations().map(a => a.finished))")


@dataclass(frozen=True)
class AxeCore:
    """axe-core as npm installed it (package.json pins the version), injected into pages
    as source text: page.evaluate goes through the DevTools protocol, which the site's
    Content-Security-Policy does not govern, so no test context has to bypass it."""
    source: str
    pinned: str  # package.json's exact version


def axe_core() -> AxeCore:
    script = ROOT / "node_modules" / "axe-core" / "axe.min.js"
    if not script.exists():
        unavailable("node_modules/axe-core is missing (run `make setup`)")
    pinned = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["devDependencies"]["axe-core"]
    return AxeCore(script.read_text(encoding="utf-8"), pinned)


def axe_in_every_page(context, axe: AxeCore):
    """Load axe-core into every page the context opens, before the page's own scripts. For a
    test that runs axe on many pages: V8 keeps the compiled code of a script the context adds
    this way, while run_axe compiles what it injects again on every page (55 ms a page)."""
    context.add_init_script(axe.source)
    return context


def run_axe(page, axe: AxeCore, options: dict = AXE_OPTIONS) -> tuple[str, list[dict]]:
    """axe-core's version as it reports itself, and what it finds on the page as it is now."""
    # Let CSS transitions end first (Material fades the header title in on scroll; a
    # half-faded title would be reported as low contrast).
    settle(page)
    if page.evaluate("() => typeof axe") == "undefined":  # once per document: a palette switch keeps it
        page.evaluate(axe.source)
    return page.evaluate("options => axe.run(document, options).then(r => [r.testEngine.version, r.violations])",
                         options)


def axe_violations(page, axe: AxeCore, where: str, options: dict = AXE_OPTIONS) -> list[str]:
    report = []
    for v in run_axe(page, axe, options)[1]:
        targets = "; ".join(" ".join(map(str, n["target"])) for n in v["nodes"][:5])
        more = f" (+{len(v['nodes']) - 5} more)" if len(v["nodes"]) > 5 else ""
        summary = (v["nodes"][0].get("failureSummary") or "").replace("\n", " ")[:240]
        report.append(f"{where}: {v['id']} ({v['impact']}): {targets}{more} -- {v['help']}. {summary}")
    return report


def switch_palette(page, scheme: str) -> None:
    """Switch the open page to the palette for `scheme` ("light"/"dark") as the header's
    toggle does (Material keeps the choice for the next page), with the system preference
    emulated to match, so the page is in the state a reader with that preference sees."""
    if page.evaluate(PALETTE) != SCHEMES[scheme]:
        page.evaluate("s => document.querySelector(`input[name='__palette'][data-md-color-scheme='${s}']`).click()",
                      SCHEMES[scheme])
        page.wait_for_function(f"s => {PALETTE} === s && !document.body.hasAttribute('data-md-color-switching')",
                               arg=SCHEMES[scheme])
    page.emulate_media(color_scheme=scheme)


def other_scheme(scheme: str) -> str:
    return next(s for s in SCHEMES if s != scheme)


def axe_in_both_palettes(page, axe: AxeCore, where: str, after_switch: dict = AXE_OPTIONS,
                         before_axe=None) -> list[str]:
    """axe in the palette the page shows now, then after the header's palette switch, the page
    otherwise as it was (a state reached once is checked in both). Material keeps the choice,
    so the next page this context opens is in the second palette. `before_axe(scheme)`, if
    given, runs in each palette before axe does: other checks of the same state, one load."""
    first = next(s for s, value in SCHEMES.items() if value == page.evaluate(PALETTE))
    second = other_scheme(first)
    problems = []
    for scheme, options in ((first, AXE_OPTIONS), (second, after_switch)):
        if scheme == second:
            switch_palette(page, second)
        if before_axe:
            before_axe(scheme)
        problems += axe_violations(page, axe, f"{where} [{scheme}]", options)
    return problems


def serve_404_at(page, site: Path, base: str, path: str = MISSING):
    """Answer a missing deep URL with site/404.html and status 404, as a static host
    (GitHub Pages, Netlify, nginx `error_page`) does; Python's test server cannot."""
    body = (site / "404.html").read_bytes()
    page.route(base + path, lambda route: route.fulfill(status=404, body=body,
                                                         content_type="text/html; charset=utf-8"))


def wait_for(page, expression: str, arg=None, timeout: float | None = None):
    """page.wait_for_function without eval(): Playwright's own runs the expression
    through the page's eval(), which the site's Content-Security-Policy forbids (and
    reports as a violation). page.evaluate goes through the DevTools protocol, which
    CSP does not govern. conftest.py makes page.wait_for_function use this."""
    from playwright.sync_api import Error, TimeoutError
    deadline = time.monotonic() + (30000 if timeout is None else timeout) / 1000
    while True:
        try:
            value = page.evaluate(expression, arg)
        except Error as err:  # a navigation replaced the document: ask the next one
            if "context was destroyed" not in str(err) and "navigat" not in str(err):
                raise
            value = None
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {expression}")
        page.wait_for_timeout(10)  # one DevTools round trip a poll: cheap next to a 50 ms sleep


def search(page, query: str):
    """Type a query into the header search field (Pagefind, assets/search.js) and wait
    until the results for exactly that query are shown."""
    box = page.locator(".md-search__input")
    if not box.is_visible():  # small screens: open the search dialog first
        page.click("label.md-header__button[for='__search']")
    box.fill("")
    box.click()
    page.keyboard.type(query)
    page.wait_for_function("q => document.querySelector('.md-search__input').value === q && "
                           "document.querySelector('[data-rp-search]').getAttribute('data-rp-state') === 'done'",
                           arg=query, timeout=15000)


def load_bench(name: str):
    """A script of bench/ as a module: tests measure the way the benchmarks do."""
    import importlib.util
    root = Path(__file__).resolve().parent.parent
    spec = importlib.util.spec_from_file_location(f"ripples_bench_{name}", root / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# ---- Content-Security-Policy violations, as the page reports them ------------------

# Runs in every document before its own scripts; the exposed function outlives navigations.
LISTEN = """document.addEventListener("securitypolicyviolation", e => window.__cspReport(
  [location.pathname, e.violatedDirective, e.blockedURI, e.sourceFile + ":" + e.lineNumber, e.sample].join(" | ")));"""


class Watched:
    """A page whose CSP violations (events and console messages) are recorded."""

    def __init__(self, browser, **options):
        self.context = browser.new_context(**{"viewport": DESKTOP, **options})
        self.violations: list[str] = []
        self.context.expose_function("__cspReport", lambda v: self.violations.append(v))
        self.context.add_init_script(LISTEN)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.violations.append(f"console: {m.text}")
                     if "Content Security Policy" in m.text else None)

    def drain(self) -> list[str]:
        # Let queued reports arrive: a violation's event is a task queued when it happens, so one
        # turn of the page's task queue and a frame after it have delivered every earlier one.
        self.page.evaluate("new Promise(r => setTimeout(() => requestAnimationFrame(() => setTimeout(r)), 0))")
        found, self.violations[:] = list(self.violations), []
        return found

    def close(self):
        self.context.close()
