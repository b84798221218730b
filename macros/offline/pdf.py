"""Tagged PDFs printed by Chromium (Playwright's page.pdf with tagged=True, outline=True).

Why Chromium and not WeasyPrint: the site's handouts are already printed and tested in
Debian's Chromium, which the tests need anyway; its tagged PDF carries the structure tree,
/Lang, image alt text and an outline from the headings, and it embeds (subsets) every font.
What it leaves untagged (the footer, backgrounds) and its links' descriptions are finished
in pdftags.py.
WeasyPrint would be a second layout engine with its own rendering of the same CSS and
more native dependencies (Pango) for CI.

The documents are the offline book's (book.py): one HTML file, ids prefixed per document
so that links between documents stay inside the PDF. Crisis lines print in every page's
footer; body text is 12 pt; each story and pathway carries a QR code to its web page.
"""
from __future__ import annotations

import base64
import datetime as dt
import io
import os
import re
from pathlib import Path

import segno

from macros.render import toolkit
from macros.read.handbook import Handbook
from macros.render.markup import esc
from macros.offline.book import Doc, all_docs
from macros.offline.pdftags import finish_pdf

# Debian's Chromium, as the tests; the deploy runner (Ubuntu) points this at its Chrome.
CHROMIUM = os.environ.get("RIPPLES_CHROMIUM", "/usr/bin/chromium")
CSS = (Path(__file__).parent / "book.css").read_text(encoding="utf-8") + (
    Path(__file__).parent / "print.css").read_text(encoding="utf-8")
FORMATS = ("A4", "Letter")
MARGIN = {"top": "16mm", "bottom": "30mm", "left": "18mm", "right": "18mm"}


def qr_png(url: str) -> str:
    """A PNG, not the handouts' inline SVG: Chromium's tagged PDF gives a raster <img> its
    alt text (/Alt), an SVG image none. The handouts' code settings (fixed mask: same bytes)."""
    buffer = io.BytesIO()
    segno.make(url, error="m", mask=0, boost_error=False, micro=False).save(buffer, kind="png", scale=4, border=4)
    return base64.b64encode(buffer.getvalue()).decode()


def qr_figure(url: str, what: str) -> str:
    # Not <figure>: Chromium tags it as a second Figure without alt text.
    return (f'<div class="qr"><p><img src="data:image/png;base64,{qr_png(url)}" width="120" height="120" '
            f'alt="QR code that opens {esc(what)} on the web: {esc(url)}"/></p>'
            f'<p class="qr-caption">Read online: {esc(toolkit.short_address(url))}</p></div>')


def add_qr_codes(docs: list[Doc], site_url: str) -> None:
    for d in all_docs(docs):
        if d.url.startswith(("stories/", toolkit.PATHWAYS_URL)):
            d.html += qr_figure(site_url + d.url, "this page")


def stem(file: str) -> str:
    return file.rsplit(".", 1)[0]


def prefixed(doc: Doc) -> str:
    """The doc's HTML with ids and links made unique in one HTML file, and its links' DPUB
    roles (doc-glossref, doc-backlink: for the EPUB) left out: Chromium tags a link with a
    role it does not map as NonStruct, not Link, and PDF/UA wants every link a Link."""
    s = stem(doc.file)
    html = re.sub(r'(<a\b[^>]*?) role="doc-[a-z]+"', r"\1", doc.html)
    html = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{s}--{m.group(1)}"', html)
    html = re.sub(r'href="#([^"]+)"', lambda m: f'href="#{s}--{m.group(1)}"', html)
    return re.sub(r'href="([a-z0-9-]+)\.xhtml(?:#([^"]+))?"',
                  lambda m: f'href="#{m.group(1)}--{m.group(2) or "top"}"', html)


def print_html(docs: list[Doc], title: str) -> str:
    body = "".join(f'<section class="doc">{prefixed(d)}</section>' for d in all_docs(docs))
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{esc(title)}</title>'
            f'<style>{CSS}</style></head><body>{body}</body></html>')


def footer(hb: Handbook) -> str:
    """Every page: the crisis lines and the page number (Chromium's footer template)."""
    lines = " · ".join(esc(line.label) for line in hb.settings.crisis.lines)
    return (f'<div style="font-family: sans-serif; font-size: 10pt; width: 100%; margin: 0 18mm; color: #000;">'
            f'<strong>{esc(hb.settings.crisis.title)}</strong> {lines}. {esc(hb.settings.crisis.emergency)}'
            f' <span style="float: right;">Page <span class="pageNumber"></span> of <span class="totalPages"></span>'
            f'</span></div>')


def print_pdfs(jobs: list[tuple[str, list[Doc], Path]], hb: Handbook, when: dt.datetime, browser=None) -> list[Path]:
    """jobs: (title, documents, output stem). Each gives an A4 and a Letter file. `browser`:
    a running Playwright Chromium (the tests'), else one is started."""
    if browser is not None:
        return print_with(browser, jobs, hb, when)
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"])
        try:
            return print_with(chromium, jobs, hb, when)
        finally:
            chromium.close()


def print_with(browser, jobs: list[tuple[str, list[Doc], Path]], hb: Handbook, when: dt.datetime) -> list[Path]:
    written = []
    page = browser.new_page()
    try:
        for title, docs, out in jobs:
            html = print_html(docs, title)
            page.set_content(html, wait_until="load")
            for fmt in FORMATS:
                pdf = page.pdf(format=fmt, tagged=True, outline=True, print_background=True, margin=MARGIN,
                               display_header_footer=True, header_template="<span></span>", footer_template=footer(hb))
                target = out.with_name(f"{out.name}-{fmt.lower()}.pdf")
                target.write_bytes(finish_pdf(pdf, html, when))
                written.append(target)
    finally:
        page.close()
    return written
