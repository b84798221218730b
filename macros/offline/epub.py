"""The handbook as an EPUB 3 (ebooklib for the package), with the EPUB Accessibility 1.1
metadata DAISY Ace checks, a navigation document with landmarks and a page list, and
byte-identical output for one commit."""
from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

from ebooklib import epub

from macros.render.markup import esc
from macros.offline.book import SUBTITLE, TITLE, Doc, all_docs
from macros.offline.zipfix import normalize_zip

CSS = (Path(__file__).parent / "book.css").read_text(encoding="utf-8")
LANG = "en"
CONFORMS_TO = "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"
ACCESSIBILITY = [
    ("schema:accessMode", "textual"),
    ("schema:accessModeSufficient", "textual"),
    ("schema:accessibilityFeature", "structuralNavigation"),
    ("schema:accessibilityFeature", "tableOfContents"),
    ("schema:accessibilityFeature", "readingOrder"),
    ("schema:accessibilityFeature", "pageNavigation"),  # a page list: where each web page of the site begins
    ("schema:accessibilityFeature", "alternativeText"),
    ("schema:accessibilityFeature", "displayTransformability"),
    ("schema:accessibilityHazard", "none"),
    ("schema:accessibilitySummary",
     "Text only, with headings, a table of contents, landmarks and a page list; the cover image has a "
     "text alternative and its words are repeated on the title page. No sound, flashing or motion. "
     "Storytellers' words are marked as theirs and editorial text is labelled."),
    ("dcterms:conformsTo", CONFORMS_TO),
]
LANDMARK_TITLES = {"titlepage": "Title page", "frontmatter": "Before you read", "bodymatter": "Stories",
                   "glossary": "Glossary"}


def book_id(site_url: str) -> str:
    """Stable across builds: the same handbook address gives the same identifier."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, site_url + 'ripples.epub')}"


def cover_svg() -> bytes:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 600 900" role="img" aria-labelledby="t">'
            f'<title id="t">{TITLE}: {esc(SUBTITLE)}</title><rect width="600" height="900" fill="#0f4c5c"/>'
            '<circle cx="300" cy="380" r="60" fill="none" stroke="#e6f2f3" stroke-width="6"/>'
            '<circle cx="300" cy="380" r="120" fill="none" stroke="#e6f2f3" stroke-width="4"/>'
            '<circle cx="300" cy="380" r="180" fill="none" stroke="#e6f2f3" stroke-width="2"/>'
            f'<text x="300" y="700" font-size="96" text-anchor="middle" fill="#ffffff" font-family="serif">{TITLE}</text>'
            '</svg>').encode()


def page_marker(number: int) -> str:
    return (f'<span epub:type="pagebreak" role="doc-pagebreak" id="page-{number}" '
            f'aria-label="Page {number}" title="{number}"></span>')


def xhtml_item(doc: Doc, number: int) -> epub.EpubHtml:
    item = epub.EpubHtml(title=doc.title, file_name=doc.file, lang=LANG)
    item.content = f'<section>{page_marker(number)}{doc.html}</section>'
    item.add_link(href="book.css", rel="stylesheet", type="text/css")
    return item


def add_metadata(book: epub.EpubBook, site_url: str, date: str) -> None:
    book.add_prefix("a11y", "http://www.idpf.org/epub/vocab/package/a11y/#")
    book.set_identifier(book_id(site_url))
    book.set_title(TITLE)
    book.set_language(LANG)
    book.add_author("The Ripples editors and storytellers")
    book.add_metadata("DC", "publisher", "Ripples")
    book.add_metadata("DC", "date", date)
    book.add_metadata("DC", "description", SUBTITLE)
    # The page list marks where each web page of the site begins: the site is the source.
    book.add_metadata("DC", "source", site_url, {"id": "pagination-source"})
    book.add_metadata(None, "meta", "pagination", {"refines": "#pagination-source", "property": "source-of"})
    for prop, value in ACCESSIBILITY:
        book.add_metadata(None, "meta", value, {"property": prop})


def toc_of(docs: list[Doc], items: dict[str, epub.EpubHtml]) -> list:
    return [(epub.Section(d.title, d.file), [items[c.file] for c in d.children]) if d.children else items[d.file]
            for d in docs]


def write_epub(docs: list[Doc], out: Path, site_url: str, when: dt.datetime) -> Path:
    book = epub.EpubBook()
    add_metadata(book, site_url, when.date().isoformat())
    book.set_cover("cover.svg", cover_svg())
    book.add_item(epub.EpubItem(uid="css", file_name="book.css", media_type="text/css", content=CSS.encode()))
    flat = all_docs(docs)
    items = {d.file: xhtml_item(d, n) for n, d in enumerate(flat, 1)}
    for item in items.values():
        book.add_item(item)
    book.toc = toc_of(docs, items)
    book.guide = [{"type": d.landmark, "href": d.file, "title": LANDMARK_TITLES[d.landmark]}
                  for d in docs if d.landmark in LANDMARK_TITLES and (d.landmark != "bodymatter" or d is first_body(docs))]
    book.add_item(epub.EpubNcx())  # for EPUB 2 reading systems; epubcheck wants it when the spine names it
    book.add_item(epub.EpubNav(title="Contents"))
    book.spine = ["cover", "nav", *items.values()]
    # compresslevel 1: normalize_zip compresses again; this first archive is only read back.
    writer = LangWriter(str(out), book, {"mtime": when, "epub2_guide": False, "landmark_title": "Landmarks",
                                         "pages_title": "Pages", "raise_exceptions": True, "compresslevel": 1})
    writer.process()
    writer.write()
    normalize_zip(out, when)
    return out


class LangWriter(epub.EpubWriter):
    """ebooklib leaves xml:lang off the package element; Ace asks for it."""
    def _write_opf_file(self, root):
        root.set("{http://www.w3.org/XML/1998/namespace}lang", LANG)
        super()._write_opf_file(root)


def first_body(docs: list[Doc]) -> Doc | None:
    return next((d for d in docs if d.landmark == "bodymatter"), None)
