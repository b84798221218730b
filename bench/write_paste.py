#!/usr/bin/env python3
"""A 1 MB paste into /contribute/write/: how long the page blocks per keystroke afterwards.

Builds the site (or uses --site), opens the write page in Chromium, pastes a body of about
1 MB into the story field, then types keystrokes at its end, pausing after each long enough
for the paused check and the tab's draft to run. Reports, over those keystrokes:
- the longest task the page ran (PerformanceObserver "longtask": tasks over 50 ms; none means
  every task stayed under 50 ms),
- the check itself (RipplesWrite.refresh(), run directly) on the 1 MB body, and on a body just
  under the size limit made of 3,000-character lines that made a backtracking rule quadratic.

    python bench/write_paste.py [--site site/] [--keys 20] [--cpu-slowdown 4]
"""
from __future__ import annotations

import argparse
import functools
import http.server
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
MEGABYTE = 1_000_000
OBSERVE = """window.__long = []; new PerformanceObserver(list => { for (const e of list.getEntries())
  window.__long.push(e.duration); }).observe({type: "longtask", buffered: true});"""
# A paste, as the page sees one: the new value, then one input event (Playwright's fill types
# a megabyte through the editing machinery for minutes).
PASTE = """text => { const box = document.getElementById('f-body'); box.value = text;
  box.dispatchEvent(new InputEvent('input', {bubbles: true, inputType: 'insertFromPaste'})); }"""
TIME_SAVE = """() => { const t = performance.now(); const v = document.getElementById('f-body').value;
  sessionStorage.setItem('bench', JSON.stringify({body: v})); sessionStorage.removeItem('bench');
  return performance.now() - t; }"""
TIME_CHECK = "() => { const t = performance.now(); RipplesWrite.refresh(); return performance.now() - t; }"


def build_site(dest: Path) -> Path:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run([sys.executable, "-m", "macros", "build", "--site", str(dest),
                    "--generated", str(dest.parent / f"{dest.name}.generated")], cwd=ROOT, env=env,
                   check=True, capture_output=True)
    return dest


def serve(site: Path) -> str:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}/"


def paste_body() -> str:
    paragraph = "I used to do everything myself, and then one day I asked for help. " * 20
    return "\n".join([paragraph.strip()] * (MEGABYTE // len(paragraph) + 1))


def adversarial_body(limit: int) -> str:
    line = "](" + " " * 2990 + "x"
    return "\n\n".join([line] * ((limit - 2000) // (len(line) + 2)))


def baseline(page, keys: int, pause: int) -> list[float]:
    """The browser's own cost: the same megabyte in a bare textarea with no script listening."""
    page.evaluate("""text => { const t = document.createElement('textarea'); t.id = 'bare'; t.value = text;
        document.body.appendChild(t); t.focus(); t.setSelectionRange(1e9, 1e9); }""", paste_body())
    page.wait_for_timeout(pause)
    page.evaluate("window.__long.splice(0)")
    out = type_keys(page, keys, pause)
    page.evaluate("document.getElementById('bare').remove()")
    return out


def type_keys(page, keys: int, pause: int) -> list[float]:
    """The longest task after each keystroke (0: none over 50 ms), pausing after each."""
    out = []
    for _ in range(keys):
        page.keyboard.type("x")
        page.wait_for_timeout(pause)
        out.append(max(page.evaluate("window.__long.splice(0)") or [0.0]))
    return out


def measure(base: str, keys: int, slowdown: float = 1) -> dict:
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--headless"])
        page = browser.new_page()
        if slowdown > 1:  # a phone's CPU, as DevTools' "CPU throttling" emulates it
            page.context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": slowdown})
        page.add_init_script(OBSERVE)
        page.goto(base + "contribute/write/")
        page.evaluate("RipplesWrite.ready")
        pause = 600  # ms: longer than the page's pause before it checks and saves
        page.evaluate(PASTE, paste_body())
        page.wait_for_timeout(pause)
        paste_tasks = page.evaluate("window.__long.splice(0)")
        page.focus("#f-body")
        page.keyboard.press("End")
        page.evaluate("document.getElementById('f-body').setSelectionRange(1e9, 1e9)")
        per_key = type_keys(page, keys, pause)
        big = [page.evaluate(TIME_CHECK) for _ in range(5)]
        save = [page.evaluate(TIME_SAVE) for _ in range(5)]
        plain = baseline(page, keys, pause)
        limit = page.evaluate("fetch('../../assets/story-rules.json').then(r => r.json()).then(r => r.max_bytes)")
        page.evaluate(PASTE, adversarial_body(limit))
        page.wait_for_timeout(pause)
        near = [page.evaluate(TIME_CHECK) for _ in range(5)]
        size = page.evaluate("new TextEncoder().encode(document.getElementById('f-body').value).length")
        browser.close()
    return {"save_1mb_ms": save, "plain_textarea_ms": plain, "paste_long_tasks_ms": paste_tasks, "keystroke_longest_task_ms": per_key, "check_1mb_ms": big,
            "check_near_limit_ms": near, "near_limit_bytes": size}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build one into a temporary folder)")
    parser.add_argument("--keys", type=int, default=20)
    parser.add_argument("--cpu-slowdown", type=float, default=1,
                        help="Chromium's CPU throttling rate (4: a mid-range phone, as Lighthouse's mobile runs)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site or build_site(Path(tmp) / "site")
        r = measure(serve(site), args.keys, args.cpu_slowdown)
    print(f"CPU slowdown: {args.cpu_slowdown}x")
    keys = r["keystroke_longest_task_ms"]
    print(f"paste of ~1 MB: long tasks {[round(t) for t in r['paste_long_tasks_ms']]} ms (the paste itself)")
    print(f"per keystroke after it ({len(keys)} keys): longest task max {max(keys):.0f} ms, "
          f"median {statistics.median(keys):.0f} ms (0 = no task over 50 ms)")
    plain = r["plain_textarea_ms"]
    print(f"the same keystrokes in a bare textarea (no script): longest task max {max(plain):.0f} ms, "
          f"median {statistics.median(plain):.0f} ms")
    print(f"the check on the 1 MB body: median {statistics.median(r['check_1mb_ms']):.1f} ms "
          f"(refused at once: over the size limit)")
    print(f"keeping the 1 MB draft in the tab (JSON + sessionStorage): median {statistics.median(r['save_1mb_ms']):.1f} ms")
    print(f"the check on {r['near_limit_bytes']:,} bytes of 3,000-character '](   …' lines: "
          f"median {statistics.median(r['check_near_limit_ms']):.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
