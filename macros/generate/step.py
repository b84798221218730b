"""Step 1, generate: read and check the stories and data files, then write the
complete docs tree an engine renders, its configuration, and the manifest the
finish step reads.

    generated/docs/        hand-written pages (copied from docs/) + every generated page and data file
    generated/mkdocs.yml   the engine configuration (config.py)
    generated/manifest.json  site URL, which pages search indexes, its facets, the downloads

`python -m macros generate OUT/` runs it alone; `make build` runs it, then the
engine, then `python -m macros finish`.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import yaml

from macros.read.handbook import Handbook, load_handbook
from macros.read.problems import HandbookProblems, format_problems
from macros.read.routes import page_url
from macros.render import downloads, searchmeta
from macros.generate import config as engine_config, preview, tree
from macros.generate.write import sync_tree, write_if_changed

TREE = "docs"
MANIFEST = "manifest.json"
_FRONT = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class Generated:
    handbook: Handbook
    config_file: Path
    manifest: dict
    written_files: int


def front_matter(markdown: str) -> dict:
    """A page's YAML front matter ({} when it has none)."""
    if not markdown.startswith("---\n"):
        return {}
    end = markdown.find("\n---\n", 4)
    meta = yaml.load(markdown[4:end], Loader=_FRONT) if end > 0 else None
    return meta if isinstance(meta, dict) else {}


def manifest(hb: Handbook, site_url: str, written: dict[str, str], generated: dict[str, str]) -> dict:
    """What the adapter and the finish step need to know of the tree, as plain JSON."""
    search = {}
    for src, text in {**written, **generated}.items():
        if src.endswith(".md"):
            prefix = searchmeta.article_prefix(front_matter(text), hb)
            if prefix is not None:
                search[page_url(src)] = prefix
    return {"site_url": site_url, "preview": preview.story_id(), "written": sorted(written),
            "search": dict(sorted(search.items())), "facets": searchmeta.facets(hb),
            "downloads": [p.name for p in downloads.offline_files(hb.root)]}


def load(root: Path) -> Handbook:
    handbook, problems = load_handbook(root)
    if problems:
        raise HandbookProblems(format_problems(problems))
    return handbook


def generate(root: Path, out: Path, site_dir: Path, handbook: Handbook | None = None) -> Generated:
    """Write the tree, the engine configuration and the manifest into `out`."""
    root, out = Path(root).resolve(), Path(out).resolve()
    hb = handbook or load(root)
    config = engine_config.source_config(root)
    site_url = engine_config.site_url(config)
    docs = root / tree.DOCS_DIR
    written = {src: (docs / src).read_text(encoding="utf-8") for src in tree.written_pages(root)}
    generated, moved = tree.generated_pages(hb, site_url), tree.redirect_files(hb, site_url)
    tree.check_addresses(list(written), generated, moved)
    texts = {**generated, **moved, **tree.data_files(hb, config.get("extra") or {})}
    copies = {p.relative_to(docs).as_posix(): p for p in sorted(docs.rglob("*"))
              if p.is_file() and not p.name.startswith(".")}
    copies.update({downloads.DOWNLOADS_URL + p.name: p for p in downloads.offline_files(root)})
    count = sync_tree(out / TREE, texts, copies)
    made = manifest(hb, site_url, written, generated)
    settings = engine_config.engine_config(root, out, out / TREE, Path(site_dir).resolve(), list(generated))
    config_file = out / engine_config.CONFIG_FILE
    write_if_changed(config_file, engine_config.config_text(settings).encode("utf-8"))
    write_if_changed(out / MANIFEST, (json.dumps(made, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
    return Generated(hb, config_file, made, count)


def read_manifest(out: Path) -> dict:
    return json.loads((Path(out) / MANIFEST).read_text(encoding="utf-8"))


def default_out(root: Path) -> Path:
    """Where `make build` generates: generated/ in the repository, or $RIPPLES_GENERATED."""
    return Path(os.environ.get("RIPPLES_GENERATED") or Path(root) / "generated")
