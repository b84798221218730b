"""Where readers find the offline editions: `make offline` writes them into downloads/; a
site build that finds them there publishes them under /downloads/ (static files, in the
sitemap) and lists them, with format, size and date, on the home page, /clinicians/ and
each pathway page. A build without them (`make build`, the tests) shows no download
links at all, so it never links to a missing file. Plain links: no tracking, no script."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from macros.render.markup import esc, rel

OFFLINE_DIR = "downloads"      # what `make offline` writes, at the repository's root
DOWNLOADS_URL = "downloads/"   # where the site publishes it
STEM = "ripples-handbook"
FORMATS = [(".epub", "EPUB e-book", "for e-readers and reading apps"),
           ("-a4.pdf", "PDF, A4 paper", "tagged, for printing and screen readers"),
           ("-letter.pdf", "PDF, US Letter paper", "tagged, for printing and screen readers")]


@dataclass
class Download:
    name: str
    label: str
    note: str
    size: int


def offline_files(root: Path) -> list[Path]:
    folder = root / OFFLINE_DIR
    return sorted(p for p in folder.iterdir() if p.is_file() and p.name.startswith(STEM)) if folder.is_dir() else []


def downloads_for(root: Path, edition: str = "") -> list[Download]:
    """The files of one edition ("" for the whole handbook, else a pathway id) that exist."""
    stem = f"{STEM}-{edition}" if edition else STEM
    found = []
    for suffix, label, note in FORMATS:
        path = root / OFFLINE_DIR / f"{stem}{suffix}"
        if path.is_file():
            found.append(Download(path.name, label, note, path.stat().st_size))
    return found


def human_size(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 1_000_000 else f"{max(1, round(size / 1000))} KB"


def download_links(root: Path, here: str, date: dt.date, edition: str = "", what: str = "the whole handbook") -> str:
    """A short list of links, or nothing when the files were not built."""
    files = downloads_for(root, edition)
    if not files:
        return ""
    when = date.strftime("%-d %B %Y")
    items = "".join(f'<li><a href="{esc(rel(here, DOWNLOADS_URL + f.name))}" download>{esc(f.label)}</a> '
                    f'<span class="download-meta">({human_size(f.size)}, {esc(when)}; {esc(f.note)})</span></li>'
                    for f in files)
    return (f'<div class="downloads"><p class="downloads-title"><strong>Download {esc(what)}</strong> '
            f'to read offline:</p><ul class="link-list">{items}</ul></div>')

