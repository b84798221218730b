#!/usr/bin/env python3
"""Bytes a reader's browser transfers, served with gzip (bench/serve.py): a story
page's first visit, the first search, and each further keystroke.

A fresh Chromium context (empty cache) opens the story page and waits for the
network to go quiet (first visit). The reader then opens search with "/" and
types a query one character at a time, waiting for the results after each: the
first character's bytes (Pagefind's script, WebAssembly, metadata, filters, index
chunks and the shown results' fragments) are the first search; every later
character is one further keystroke. Bytes are the gzip bodies the server sent.

    python bench/search_bytes.py site [--page stories/x/] [--query "family trust"]
"""
from __future__ import annotations

import argparse
import functools
import http.server
import json
import sys
import threading
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
from serve import Handler  # noqa: E402
from tests.browser import wait_for  # noqa: E402  (the site's CSP forbids Playwright's wait_for_function)

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
DONE = "document.querySelector('[data-rp-search]').getAttribute('data-rp-state') === 'done'"


def counting_server(site: Path):
    sent: list[tuple[str, int]] = []

    class Counting(Handler):
        def send_head(self):
            body = super().send_head()
            if body is not None and hasattr(body, "getbuffer"):
                sent.append((self.path, len(body.getbuffer())))
            return body

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Counting, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, sent


def measure(site: Path, page_path: str, query: str) -> dict:
    from playwright.sync_api import sync_playwright

    server, sent = counting_server(site)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
            page.goto(base + page_path)
            page.wait_for_load_state("networkidle")
            visit = list(sent)
            sent.clear()
            page.keyboard.press("/")
            steps = []
            for char in query:
                page.keyboard.type(char)
                if char != " ":
                    wait_for(page, DONE, timeout=60000)
                page.wait_for_load_state("networkidle")
                steps.append((char, list(sent)))
                sent.clear()
            browser.close()
    finally:
        server.shutdown()
    first = steps[0][1]
    later = [sum(n for _, n in part) for c, part in steps[1:] if c != " "]
    return {"first_visit": sum(n for _, n in visit), "first_visit_requests": len(visit),
            "first_visit_index": sum(n for u, n in visit if "/pagefind/" in u),
            "first_search": sum(n for _, n in first), "first_search_requests": len(first),
            "keystroke_max": max(later or [0]), "keystroke_median": sorted(later)[len(later) // 2] if later else 0,
            "keystrokes": later, "query": query}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("site", type=Path)
    p.add_argument("--page", default="stories/sarah-from-anger-to-vulnerability/")
    p.add_argument("--query", default="family trust")
    args = p.parse_args()
    print(json.dumps(measure(args.site, args.page, args.query), indent=1))


if __name__ == "__main__":
    main()
