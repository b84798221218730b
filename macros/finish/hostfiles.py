"""Files for the host, written after the engine: `_headers` (the security headers for
hosts that read it: Netlify, Cloudflare Pages) and the offline editions added to the
sitemap, which the engine fills with pages only."""
from __future__ import annotations

import gzip
import re
from pathlib import Path

from macros.finish import security
from macros.render.downloads import DOWNLOADS_URL
from macros.render.markup import esc


def write_headers(site_dir: Path) -> None:
    Path(site_dir, "_headers").write_text(security.headers_file(), encoding="utf-8")


def add_to_sitemap(site_dir: Path, site_url: str, names: list[str], mtime: int) -> None:
    """The engine's sitemap lists pages only: add the downloads (and rewrite the .gz as MkDocs does; mtime: SOURCE_DATE_EPOCH)."""
    sitemap = site_dir / "sitemap.xml"
    if not names or not sitemap.exists():
        return
    text = sitemap.read_text(encoding="utf-8")
    locs = [f"<loc>{esc(site_url + DOWNLOADS_URL + n)}</loc>" for n in names]
    entries = "".join(f"    <url>\n         {loc}\n    </url>\n" for loc in locs if loc not in text)  # finish twice: once
    text = re.sub(r"</urlset>\s*$", entries + "</urlset>\n", text)
    sitemap.write_text(text, encoding="utf-8")
    with open(site_dir / "sitemap.xml.gz", "wb") as raw, gzip.GzipFile("sitemap.xml", "wb", fileobj=raw,
                                                                      mtime=mtime) as gz:
        gz.write(text.encode("utf-8"))
