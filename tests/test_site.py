"""Unit tests of the MkDocs-facing steps in macros/engines/mkdocs_site.py (no build needed)."""
import itertools
import posixpath

import markdown

from conftest import build, set_hub_page_size
from macros.render.pages import block, heading
from macros.render.markup import relative_path
from macros.engines.mkdocs_site import restore_html, set_aside_html
from macros.read.routes import route_clashes


def test_html_blocks_are_set_aside_and_restored_exactly():
    page = ("---\ntitle: x\n---\n\n<div class=\"a\">one &amp; <b>two</b></div>\n\n"
            "## Heading {#h}\n\n<ul><li>{{ not jinja }}</li></ul>\n\nplain *text*\n")
    skeleton, blocks = set_aside_html(page)
    assert blocks == ['<div class="a">one &amp; <b>two</b></div>', "<ul><li>{{ not jinja }}</li></ul>"]
    assert "<div" not in skeleton and "## Heading {#h}" in skeleton and "plain *text*" in skeleton
    html = markdown.markdown(skeleton.split("---\n", 2)[2], extensions=["attr_list"])
    restored = restore_html(html, blocks)
    assert blocks[0] in restored and blocks[1] in restored and '<h2 id="h">Heading</h2>' in restored
    assert restored.index(blocks[0]) < restored.index('id="h"') < restored.index(blocks[1])


def test_html_set_aside_comes_back_as_python_markdown_prints_it():
    body = (block('<header class="h"><h1 id="top">T &amp; x</h1></header>') + block('<div class="a">one</div>')
            + heading(2, "Heading", "h") + block("<ul>\n<li>a</li></ul>") + heading(2, "Next & more", "n")
            + block("<p>x</p>") + block("<div>b</div>") + block("<div>last</div>"))
    skeleton, blocks = set_aside_html(body)
    assert len(blocks) == 3  # blocks in a row share a marker
    convert = lambda text: markdown.markdown(text, extensions=["attr_list"])  # noqa: E731
    assert restore_html(convert(skeleton), blocks) == convert(body)


def test_route_clashes_name_both_sources():
    clashes = route_clashes([("stories/x.md", "stories/x.md"), ("x/index.md", "docs/x/index.md"),
                             ("x.md", "docs/x.md"), ("stories/X.md", "docs/stories/X.md")])
    assert clashes == [
        "docs/x.md and docs/x/index.md both publish /x/ (rename or remove one of them)",
        "docs/stories/X.md and stories/x.md both publish /stories/x/ (rename or remove one of them)",
    ]


def test_relative_path_agrees_with_posixpath_relpath():
    parts = ["", ".", "..", "stories", "x", "index.html"]
    paths = {"/".join(p) for n in (1, 2, 3) for p in itertools.product(parts, repeat=n)} - {""}
    paths |= {"/" + p for p in paths}
    for path, start in itertools.product(paths, repeat=2):
        assert relative_path(path, start) == posixpath.relpath(path, start), (path, start)


def test_fragments_shared_between_pages_change_no_byte(repo):
    """Story and hub pages share one rendering of the menu, header tools and script
    settings per folder (macros/engines/mkdocs_site.py shared_key): the site must be the same without.
    Hubs are paged 3 at a time, so their later pages (two folders deeper) are compared too."""
    set_hub_page_size(repo, 3)
    sites = {}
    for share in ("1", "0"):
        result = build(repo, repo / f"site-{share}", env={"RIPPLES_SHARE": share})
        assert result.returncode == 0, result.stdout + result.stderr
        site = repo / f"site-{share}"
        sites[share] = {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*.html")}
    assert len(sites["1"]) > 50 and any(name.startswith("stories/") for name in sites["1"])
    assert any("/page/2/" in name for name in sites["1"]), "no hub has a second page"
    assert sites["1"].keys() == sites["0"].keys()
    assert [name for name in sites["1"] if sites["1"][name] != sites["0"][name]] == []
