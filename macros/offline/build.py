"""`python -m macros offline OUT/`: the EPUB and the PDFs, from the handbook as published."""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from macros.read import builddate
from macros.read.handbook import Handbook, load_handbook
from macros.offline.book import handbook_docs, pathway_docs, published_handbook
from macros.offline.links import link_terms, rewrite_links

EPUB_NAME = "ripples-handbook.epub"
DEFAULT_SITE_URL = "http://127.0.0.1:8000/"  # mkdocs.yml's default, as the site build uses


def site_url() -> str:
    return (os.environ.get("SITE_URL") or DEFAULT_SITE_URL).rstrip("/") + "/"


def build_time(root: Path) -> dt.datetime:
    """The commit's date (SOURCE_DATE_EPOCH, as the site): the same commit, the same bytes."""
    builddate.pin_build_date(root)
    return dt.datetime.fromtimestamp(builddate.build_stamp(), dt.timezone.utc)


def load(root: Path) -> Handbook:
    hb, problems = load_handbook(root, publish=True)
    if hb is None:
        raise ValueError("the handbook has problems; run `make check`:\n  " + "\n  ".join(map(str, problems)))
    return hb


def epub_docs(root: Path, hb: Handbook, when: dt.datetime, url: str):
    docs = handbook_docs(root, hb, when.strftime("%-d %B %Y"))
    rewrite_links(docs, url)
    link_terms(docs, hb)
    return docs


def build_epub(root: Path, out: Path, hb: Handbook | None = None) -> Path:
    from macros.offline.epub import write_epub
    hb = published_handbook(hb or load(root))
    when, url = build_time(root), site_url()
    out.mkdir(parents=True, exist_ok=True)
    return write_epub(epub_docs(root, hb, when, url), out / EPUB_NAME, url, when)


PDF_STEM = "ripples-handbook"


def pdf_jobs(root: Path, hb: Handbook, out: Path, when: dt.datetime, url: str) -> list:
    from macros.offline.pdf import add_qr_codes
    hb = published_handbook(hb)
    date = when.strftime("%-d %B %Y")
    jobs = [("Ripples", handbook_docs(root, hb, date, level=2), out / PDF_STEM)]
    jobs += [(f"Ripples: {p.name}", pathway_docs(hb, p, date), out / f"{PDF_STEM}-{p.id}")
             for p in hb.pathways.pathways]
    for _, docs, _ in jobs:
        rewrite_links(docs, url)
        link_terms(docs, hb)
        add_qr_codes(docs, url)
    return jobs


def build_pdfs(root: Path, out: Path, hb: Handbook | None = None) -> list[Path]:
    from macros.offline.pdf import print_pdfs
    hb = hb or load(root)
    when, url = build_time(root), site_url()
    out.mkdir(parents=True, exist_ok=True)
    return print_pdfs(pdf_jobs(root, hb, out, when, url), hb, when)


def build_offline(root: Path, out: Path) -> list[Path]:
    hb = load(root)
    return [build_epub(root, out, hb), *build_pdfs(root, out, hb)]


def offline_command(args, root: Path, out) -> int:
    target = Path(args.out)
    try:
        written = [build_epub(root, target)] if args.epub_only else build_offline(root, target)
    except ValueError as err:
        print(str(err), file=out)
        return 1
    for path in written:
        print(f"{path} ({path.stat().st_size:,} bytes)", file=out)
    return 0
