"""The strict build: every page exists, hubs list exactly their stories, story
pages carry their parts, contributor text stays inert, bad input stops the
build with the checker's message, and the site stays private and bounded.

Expected values are computed here from the YAML files themselves (yaml.safe_load),
never through macros.read.handbook, so a bug there cannot hide behind itself.
"""
from __future__ import annotations

import functools
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml

from conftest import ROOT, build, check
from tests.contributions import FORM_STORY_ID, NEW_STORY_ID

CONTRIBUTED = (NEW_STORY_ID, FORM_STORY_ID)
from macros.finish.linkcheck import check_site
from macros.render.pages import NOT_WRITTEN

SITE_URL = "http://127.0.0.1:8000/"   # mkdocs.yml's default when SITE_URL is unset
HUB_FOLDERS = {"chapters": "chapters", "domains": "domains", "themes": "themes", "content_notes": "content-notes"}
HUB_FIELDS = {"chapters": "chapter", "domains": "domains", "themes": "themes", "content_notes": "content_notes"}
PROBE = "sarah-from-anger-to-vulnerability"   # a story that has no content notes and sits in pathways
NOTED = "marcus-dismantling-walls-built-by-trauma"   # one with content notes


# ---- independent readers of the source files ------------------------------------

def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n"), path
    return yaml.safe_load(text.split("---\n", 2)[1])


def read_stories(root: Path) -> dict[str, dict]:
    return {p.stem: front_matter(p) for p in sorted((root / "stories").glob("*.md")) if not p.name.startswith("_")}


def read_yaml(root: Path, name: str) -> dict:
    return yaml.safe_load((root / "stories" / name).read_text(encoding="utf-8"))


TAXONOMY = read_yaml(ROOT, "taxonomy.yml")
# The stories the session's sites are built from: this tree's, plus (in `built_site`) the
# two that contributors send (tests/contributions.py), known here by id for parametrizing.
STORY_IDS = sorted([*read_stories(ROOT), *CONTRIBUTED])


@functools.cache
def stories_in(root: Path) -> dict[str, dict]:
    return read_stories(root)


def members(kind: str, entry_id: str, site: Path) -> set[str]:
    field = HUB_FIELDS[kind]
    return {sid for sid, m in stories_in(site.parent).items()
            if (m.get(field) == entry_id if isinstance(m.get(field), str) else entry_id in (m.get(field) or []))}


# ---- a small DOM over html.parser ----------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Node:
    def __init__(self, tag: str, attrs: dict, parent: Node | None):
        self.tag, self.attrs, self.parent, self.children = tag, attrs, parent, []

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def iter(self):
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()

    def find_all(self, tag: str | None = None, cls: str | None = None, **attrs) -> list[Node]:
        return [n for n in self.iter() if (tag is None or n.tag == tag) and (cls is None or cls in n.classes)
                and all(n.attrs.get(k.rstrip("_")) == v for k, v in attrs.items())]

    def find(self, tag: str | None = None, cls: str | None = None, **attrs) -> Node | None:
        found = self.find_all(tag, cls, **attrs)
        return found[0] if found else None

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {}, None)
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: v or "" for k, v in attrs}, self.stack[-1])
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}, self.stack[-1]))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


@functools.lru_cache(maxsize=None)
def parse(path: Path) -> Node:
    builder = _TreeBuilder()
    builder.feed(path.read_text(encoding="utf-8"))
    builder.close()
    return builder.root


def resolve(page: str, href: str) -> str:
    """A link as written on site/<page> -> the site-relative path it points to (fragment kept)."""
    url = urljoin("http://site.invalid/" + page, href)
    parts = urlsplit(url)
    path = re.sub(r"(^|/)index\.html$", r"\1", parts.path.lstrip("/"))
    return path + (f"#{parts.fragment}" if parts.fragment else "")


def story_links(page: str, nodes: list[Node]) -> list[str]:
    ids = []
    for node in nodes:
        for a in node.find_all("a"):
            target = resolve(page, a.attrs.get("href", ""))
            if re.fullmatch(r"stories/[^/#]+/", target):
                ids.append(target.split("/")[1])
    return ids


def section(article: Node, anchor: str) -> list[Node]:
    """The nodes between <h2 id=anchor> and the next <h2> (sections are siblings in the article;
    a section's h2 may sit in a div.section-head row with its copy-link button)."""
    out, inside = [], False
    for child in article.children:
        h2 = child.find("h2") if isinstance(child, Node) and "section-head" in child.classes else child
        if isinstance(h2, Node) and h2.tag == "h2":
            if inside:
                break
            inside = h2.attrs.get("id") == anchor
        elif inside and isinstance(child, Node):
            out.append(child)
    assert inside or out, f"no <h2 id={anchor!r}> in the article"
    return out


def story_page(site: Path, sid: str) -> tuple[str, Node]:
    page = f"stories/{sid}/index.html"
    article = parse(site / page).find("article")
    assert article is not None, f"{page} has no <article>"
    indexed = next((n for n in article.children if isinstance(n, Node) and "data-pagefind-body" in n.attrs), None)
    return page, indexed or article  # the sections sit inside what Pagefind indexes


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def problem_lines(output: str) -> set[str]:
    return {line.strip() for line in output.splitlines() if line.strip().startswith("stories/")}


# ---- (a) every page exists -------------------------------------------------------

def expected_pages(root: Path) -> list[str]:
    pages = ["index.html", "404.html", "matrix/index.html", "clinicians/index.html", "contribute/index.html",
             "glossary/index.html", "about/index.html"]
    pages += [f"stories/{sid}/index.html" for sid in read_stories(root)]
    taxonomy = read_yaml(root, "taxonomy.yml")
    for kind, folder in HUB_FOLDERS.items():
        pages.append(f"{folder}/index.html")
        pages += [f"{folder}/{e['id']}/index.html" for e in taxonomy[kind]]
    essays = sorted((root / "docs" / "understanding").glob("*.md"))
    assert {p.stem for p in essays} >= {"index", "ripple-effects", "common-themes", "integration"}
    pages += ["understanding/index.html" if p.stem == "index" else f"understanding/{p.stem}/index.html"
              for p in essays]
    pages += [f"clinicians/pathways/{p['id']}/index.html" for p in read_yaml(root, "pathways.yml")["pathways"]]
    return pages


def test_every_page_is_built(built_site: Path):
    root = built_site.parent
    assert {PROBE, NOTED} <= set(read_stories(root))
    missing = [p for p in expected_pages(root) if not (built_site / p).is_file()]
    assert not missing, "pages missing from the build:\n  " + "\n  ".join(missing)


# ---- (b) hub membership and the matrix --------------------------------------------

def hub_listing(site: Path, kind: str, entry_id: str) -> tuple[list[str], list[str]]:
    """The stories a hub lists on all its pages, following its pager, and the pages read."""
    page, listed, seen = f"{HUB_FOLDERS[kind]}/{entry_id}/index.html", [], []
    while page not in seen:
        seen.append(page)
        article = parse(site / page).find("article")
        cards = article.find_all("ul", "story-cards")
        listed += story_links(page, [t for ul in cards for t in ul.find_all("p", "card-title")])
        following = article.find("a", rel="next")
        if following is None:
            break
        page = resolve(page, following.attrs["href"]) + "index.html"
    return listed, seen


def assert_hubs_list_exactly_their_stories(site: Path, kind: str) -> list[list[str]]:
    assert TAXONOMY[kind], f"taxonomy.yml has no {kind}"
    pages_read = []
    for entry in TAXONOMY[kind]:
        listed, pages = hub_listing(site, kind, entry["id"])
        expected, page = members(kind, entry["id"], site), pages[0]
        assert len(pages) == len(set(pages)), f"{page}: its pager loops: {pages}"
        assert len(listed) == len(set(listed)), f"{page} lists a story twice: {listed}"
        assert set(listed) == expected, (f"{page}: listed but not a member: {sorted(set(listed) - expected)}; "
                                         f"member but not listed: {sorted(expected - set(listed))}")
        pages_read.append(pages)
    return pages_read


@pytest.mark.parametrize("kind", list(HUB_FOLDERS))
def test_hub_lists_exactly_its_stories(built_site: Path, kind: str):
    assert_hubs_list_exactly_their_stories(built_site, kind)


@pytest.mark.parametrize("kind", list(HUB_FOLDERS))
def test_paged_hubs_list_each_story_once_across_their_pages(full_site: Path, kind: str):
    """full_site sets `hub_page_size: 3`: hubs of more than 3 stories have pages."""
    size = read_yaml(full_site.parent, "handbook.yml")["hub_page_size"]
    paged = assert_hubs_list_exactly_their_stories(full_site, kind)
    for pages in paged:
        first = pages[0]
        members_n = len(members(kind, first.split("/")[1], full_site))
        assert len(pages) == max(1, -(-members_n // size)), f"{first}: {len(pages)} pages for {members_n} stories"
        for page in pages:
            assert len(parse(full_site / page).find_all("li", "story-card")) <= size, page
    if kind in ("domains", "themes"):  # the seed's have more than 3 stories each; its chapters have 2
        assert any(len(pages) > 1 for pages in paged), f"no {kind} hub has a page 2: the test proves nothing"


def matrix_counts(site: Path) -> dict[tuple[str, str], int]:
    page = "matrix/index.html"
    table = parse(site / page).find("table", "matrix")
    assert table is not None, "no table.matrix on /matrix/"
    domains = [resolve(page, a.attrs["href"]).split("/")[1] for a in table.find("thead").find_all("a")]
    counts = {}
    for row in table.find("tbody").find_all("tr"):
        theme = resolve(page, row.find("th").find("a").attrs["href"]).split("/")[1]
        cells = row.find_all("td")
        assert len(cells) == len(domains), f"matrix row {theme} has {len(cells)} cells"
        for domain, cell in zip(domains, cells):
            counts[(theme, domain)] = int(cell.text().strip())
            link = cell.find("a")
            if link is not None:
                assert resolve(page, link.attrs["href"]) == f"themes/{theme}/#domain-{domain}"
    return counts


def test_matrix_counts_match_front_matter(built_site: Path):
    counts = matrix_counts(built_site)
    stories = stories_in(built_site.parent).values()
    expected = {(t["id"], d["id"]): sum(1 for m in stories if t["id"] in (m.get("themes") or []) and d["id"] in m["domains"])
                for t in TAXONOMY["themes"] for d in TAXONOMY["domains"]}
    assert counts == expected


# ---- (c) the parts of each story page ------------------------------------------------

def hrefs(page: str, node: Node | None) -> list[str]:
    assert node is not None
    return [resolve(page, a.attrs["href"]) for a in node.find_all("a")]


@pytest.mark.parametrize("sid", STORY_IDS)
def test_story_page_parts(built_site: Path, sid: str):
    meta = stories_in(built_site.parent)[sid]
    page, art = story_page(built_site, sid)
    assert meta["person"] in art.find("p", "story-person").text()
    assert art.find("h1").text().strip() == meta["title"]
    assert hrefs(page, art.find("p", "story-chapter")) == [f"chapters/{meta['chapter']}/"]
    assert hrefs(page, art.find("ul", "chips-domains")) == [f"domains/{d}/" for d in meta["domains"]]
    themes = meta.get("themes") or []
    assert hrefs(page, art.find("ul", "chips-themes")) == [f"themes/{t}/" for t in themes] if themes else \
        art.find("ul", "chips-themes") is None
    summary = art.find("div", "summary")
    assert summary is not None and "editorial" in summary.classes
    assert (meta.get("summary") or NOT_WRITTEN) in summary.text()
    assert [h.attrs.get("id") for h in art.find_all("h2")][:3] == ["story", "shift", "reflection"]
    assert {"story", "shift", "reflection", "related"} <= {h.attrs.get("id") for h in art.find_all("h2")}
    if meta.get("shift"):
        shift = art.find("dl", "shift").text()
        assert meta["shift"]["from"] in shift and meta["shift"]["to"] in shift
    if meta.get("reflection"):
        questions = [li.text().strip() for li in art.find("ol", "reflection").find_all("li")]
        assert questions == meta["reflection"]
    if not (meta.get("shift") and meta.get("reflection")):  # left to the editors: said, never blank
        assert NOT_WRITTEN in art.text()
    cards = [n for n in section(art, "related") if n.tag == "ul" and "story-cards" in n.classes]
    assert len(cards) == 1, "the related section has no (or several) lists of story cards"
    related = story_links(page, cards)
    assert 1 <= len(related) <= 3 and len(set(related)) == len(related), related
    assert sid not in related and set(related) <= set(stories_in(built_site.parent)), related
    reviewed = art.find("p", "reviewed")
    if meta.get("reviewed"):
        assert "Last reviewed" in reviewed.text() and reviewed.find("time").attrs["datetime"] == str(meta["reviewed"])
    else:  # a contributor's story before editorial review never claims one
        assert reviewed is None or "Last reviewed" not in reviewed.text()


@pytest.mark.parametrize("sid", STORY_IDS)
def test_content_notes_come_before_the_story(built_site: Path, sid: str):
    notes = stories_in(built_site.parent)[sid].get("content_notes") or []
    page, art = story_page(built_site, sid)
    box = art.find("aside", "content-notes")
    if not notes:  # said before the story, not left out
        assert box is not None and "No content notes" in box.text(), f"{sid} has no content notes and does not say so"
        assert "content-notes-none" in box.classes and f"stories/{sid}/#reflection" not in hrefs(page, box)
        return
    assert box is not None, f"{sid} has content notes {notes} but no box"
    names = {e["id"]: e["name"].lower() for e in TAXONOMY["content_notes"]}
    assert all(names[n] in box.text().lower() for n in notes), box.text()
    assert f"stories/{sid}/#reflection" in hrefs(page, box)
    order = list(art.iter())
    body = art.find("div", "story-body")
    assert order.index(box) < order.index(body), "content notes must come before the story text"


def test_content_note_fixture_stories_exist():
    stories = stories_in(ROOT)
    assert stories[NOTED]["content_notes"] and not stories[PROBE]["content_notes"]


def chapter_links(site: Path, sid: str) -> tuple[str | None, str | None]:
    page, art = story_page(site, sid)
    nav = art.find("nav", "chapter-nav")
    if nav is None:
        return None, None
    prev, nxt = nav.find("li", "prev"), nav.find("li", "next")
    one = lambda li: story_links(page, [li])[0] if li is not None else None  # noqa: E731
    return one(prev), one(nxt)


@pytest.mark.parametrize("chapter", [c["id"] for c in TAXONOMY["chapters"]])
def test_previous_and_next_walk_the_chapter(built_site: Path, chapter: str):
    stories = members("chapters", chapter, built_site)
    links = {sid: chapter_links(built_site, sid) for sid in stories}
    firsts = [sid for sid, (prev, _) in links.items() if prev is None]
    assert len(firsts) == 1, f"chapter {chapter}: expected one first story, got {firsts}"
    walk, here = [], firsts[0]
    while here is not None and here not in walk:
        walk.append(here)
        assert here in links, f"{walk[-2]} links 'next' to {here}, outside chapter {chapter}"
        nxt = links[here][1]
        if nxt is not None:
            assert links.get(nxt, (None,))[0] == here, f"{nxt}'s 'previous' is not {here}"
        here = nxt
    assert sorted(walk) == sorted(stories), f"chapter {chapter}: next-links visit {walk}"


# ---- (d) contributor content is inert --------------------------------------------------

def story_text(front: dict | str, body: str) -> str:
    fm = front if isinstance(front, str) else yaml.safe_dump(front, allow_unicode=True, sort_keys=False)
    return f"---\n{fm}---\n\n{body}"


def source_front_matter(repo: Path, sid: str = PROBE) -> str:
    return (repo / "stories" / f"{sid}.md").read_text(encoding="utf-8").split("---\n", 2)[1]


INERT_BODY = """I wrote {{ config.site_name }} in my notes.

Then {% include "x.html" %} appeared on a page.

And {{ lipsum.__globals__ }} too.

In code: `{{ lipsum.__globals__ }}`.
"""


def test_jinja_in_a_story_body_stays_literal(repo: Path):
    (repo / "stories" / "zed-inert-text.md").write_text(story_text(source_front_matter(repo), INERT_BODY),
                                                       encoding="utf-8")
    result = build(repo)
    assert result.returncode == 0, result.stdout + result.stderr
    _, art = story_page(repo / "site", "zed-inert-text")
    text = art.find("div", "story-body").text()
    assert "I wrote {{ config.site_name }} in my notes." in text
    assert "I wrote Ripples" not in text
    assert 'Then {% include "x.html" %} appeared on a page.' in text
    assert "{{ lipsum." in text and "}} too." in text
    assert "In code: `{{ lipsum.__globals__ }}`." in text  # code spans are not story Markdown: literal text
    assert "<function" not in text and "__builtins__" not in text


def test_html_in_a_title_stops_the_build(repo: Path):
    path = repo / "stories" / f"{PROBE}.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("title: From Anger to Vulnerability", "title: From <b>Anger</b> to Vulnerability"),
                    encoding="utf-8")
    result, checked = build(repo), check(repo, "check")
    output = result.stdout + result.stderr
    assert result.returncode != 0 and checked.returncode == 1
    expected = f'stories/{PROBE}.md:2:8: title: contains "<"'
    assert any(line.startswith(expected) for line in problem_lines(checked.stdout)), checked.stdout
    assert problem_lines(checked.stdout) <= problem_lines(output), output
    assert "Traceback" not in output


def test_script_in_a_story_body_stops_the_build(repo: Path):
    sid = "tony-from-avoidant-to-secure"
    path = repo / "stories" / f"{sid}.md"
    lines = path.read_text(encoding="utf-8").split("\n")
    at = len(lines) - 2
    lines.insert(at, "Then I typed <script>alert(1)</script> into my journal.")
    path.write_text("\n".join(lines), encoding="utf-8")
    result = build(repo)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert re.search(rf"stories/{sid}\.md:{at + 1}:\d+: body: HTML is not allowed", output), output
    assert "Traceback" not in output


# ---- (e) the build and the checker say the same thing ------------------------------------

def test_broken_story_stops_the_build_with_the_checkers_message(repo: Path):
    path = repo / "stories" / f"{PROBE}.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("chapter: emotional-walls", "chapter: emotional-wall")
                        .replace("domains: [romantic]", "domains: [romance]"), encoding="utf-8")
    result, checked = build(repo), check(repo, "check")
    output = result.stdout + result.stderr
    assert result.returncode != 0 and checked.returncode == 1
    from_check = problem_lines(checked.stdout + checked.stderr)
    assert len(from_check) == 2 and all(line.startswith(f"stories/{PROBE}.md:") for line in from_check), from_check
    assert any('Did you mean "emotional-walls"' in line for line in from_check), from_check
    # The same lines, and no others: a story with problems must not also be "missing" from pathways.yml.
    assert problem_lines(output) == from_check, output
    assert "Traceback" not in output


# ---- (f) two sources, one address -------------------------------------------------------

def add_docs_page(repo: Path, rel: str) -> None:
    path = repo / "docs" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("# A page\n\nSome text.\n", encoding="utf-8")


CLASHES = {
    "docs-page-vs-story": (lambda r: add_docs_page(r, f"stories/{PROBE}.md"),
                           [f"stories/{PROBE}.md", f"docs/stories/{PROBE}.md", f"both publish /stories/{PROBE}/"]),
    "page-vs-folder-index": (lambda r: add_docs_page(r, "about/index.md"),
                             ["docs/about.md", "docs/about/index.md", "both publish /about/"]),
    "case-only-vs-generated-hub": (lambda r: add_docs_page(r, "Chapters/index.md"),
                                   ["docs/Chapters/index.md", "both publish /chapters/"]),
    "case-only-vs-docs-page": (lambda r: add_docs_page(r, "Glossary.md"),
                               ["docs/Glossary.md", "docs/glossary.md", "both publish /glossary/"]),
    "docs-page-vs-hub": (lambda r: add_docs_page(r, "themes/anger.md"),
                         ["docs/themes/anger.md", "both publish /themes/anger/"]),
}


@pytest.mark.parametrize("name", list(CLASHES))
def test_route_clash_stops_the_build(repo: Path, name: str):
    make, expected = CLASHES[name]
    make(repo)
    result = build(repo)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    for fragment in expected:
        assert fragment in output, f"missing {fragment!r} in:\n{output}"
    assert "Traceback" not in output


def test_story_ids_differing_only_in_case_stop_the_build(repo: Path):
    shutil.copy(repo / "stories" / f"{PROBE}.md", repo / "stories" / f"{PROBE.upper()}.md")
    result = build(repo)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert f"stories/{PROBE.upper()}.md" in output and "file name" in output, output
    assert "Traceback" not in output


# ---- (g) navigation stays bounded ----------------------------------------------------

EXTRA = 60


def test_story_pages_do_not_grow_with_the_number_of_stories(built_site: Path, repo: Path):
    originals = sorted(p for p in (repo / "stories").glob("*.md") if not p.name.startswith("_"))
    for i in range(EXTRA):
        source = originals[i % len(originals)]
        shutil.copy(source, repo / "stories" / f"{source.stem}-copy-{i}.md")
    result = build(repo)
    assert result.returncode == 0, result.stdout + result.stderr
    assert len(list((repo / "site" / "stories").glob("*/index.html"))) == len(originals) + EXTRA
    growth = {}
    for source in originals:
        page = f"stories/{source.stem}/index.html"
        before, after = (built_site / page).stat().st_size, (repo / "site" / page).stat().st_size
        growth[source.stem] = after / before - 1
    worst = max(growth, key=growth.get)
    assert growth[worst] < 0.05, f"{worst} grew by {growth[worst]:.1%} with {EXTRA} more stories"
    links = set(story_links(f"stories/{PROBE}/index.html", [parse(repo / "site" / f"stories/{PROBE}/index.html")]))
    assert len(links) <= 5, f"the story page links to {len(links)} stories: {sorted(links)}"


# ---- (h) no git, and the deploy's site_url -------------------------------------------

def test_site_url_from_the_environment(repo: Path):
    assert not (repo / ".git").exists(), "the copy must build without a git repository"
    site_url = "https://example.org/ripples/"
    result = build(repo, env={"SITE_URL": site_url})
    assert result.returncode == 0, result.stdout + result.stderr
    head = parse(repo / "site" / f"stories/{PROBE}/index.html")
    canonical = head.find("link", rel="canonical")
    assert canonical is not None and canonical.attrs["href"] == f"{site_url}stories/{PROBE}/"
    assert head.find("meta", property="og:url").attrs["content"] == f"{site_url}stories/{PROBE}/"
    report = check_site(repo / "site", site_url=site_url)   # incl. 404.html's root links and sitemap.xml
    assert not report.broken, "\n".join(report.broken)


# ---- (i) safety text on every page ----------------------------------------------------

def test_every_page_has_crisis_help_and_the_disclaimer(built_site: Path):
    pages = html_pages(built_site)
    assert len(pages) > 50
    for path in pages:
        page = path.relative_to(built_site).as_posix()
        doc = parse(path)
        crisis = doc.find("aside", "crisis")
        assert crisis is not None, f"{page}: no crisis block"
        text = re.sub(r"\s+", " ", crisis.text())
        assert "988" in text and "116 123" in text, f"{page}: {text}"
        assert any("findahelpline.com" in a.attrs.get("href", "") for a in crisis.find_all("a")), page
        disclaimer = doc.find("p", "disclaimer")
        assert disclaimer is not None and "not medical advice" in disclaimer.text().lower(), page
        assert "about/" in hrefs(page, disclaimer), f"{page}: the disclaimer does not link to the about page"


# ---- (j) sharing metadata ---------------------------------------------------------------

def meta_tags(doc: Node) -> dict[str, str]:
    return {m.attrs.get("property") or m.attrs.get("name"): m.attrs.get("content", "") for m in doc.find_all("meta")}


def canonical_for(page: str) -> str:
    return SITE_URL + page.removesuffix("index.html")


def test_every_page_has_open_graph_and_twitter_meta(built_site: Path):
    for path in html_pages(built_site):
        page = path.relative_to(built_site).as_posix()
        if page == "404.html":   # served at any address: no canonical URL of its own
            continue
        doc = parse(path)
        meta = meta_tags(doc)
        canonical = doc.find("link", rel="canonical")
        assert canonical is not None and canonical.attrs["href"] == canonical_for(page), page
        assert meta.get("og:url") == canonical.attrs["href"], page
        assert meta.get("og:title", "").strip() and meta.get("og:description", "").strip(), page
        assert meta.get("og:site_name") == "Ripples", page
        assert meta.get("twitter:card"), page


@pytest.mark.parametrize("sid", STORY_IDS)
def test_story_meta_uses_the_summary(built_site: Path, sid: str):
    meta = meta_tags(parse(built_site / f"stories/{sid}/index.html"))
    story = stories_in(built_site.parent)[sid]
    assert meta["og:description"] == (story.get("summary") or f"{story['person']}: {story['title']}. A Ripples story.")
    assert meta["og:type"] == "article"
    assert story["title"] in meta["og:title"] and story["person"] in meta["og:title"]


# ---- (k) no third-party requests --------------------------------------------------------

RESOURCE_TAGS = {"link": "href", "script": "src", "img": "src", "iframe": "src", "source": "src"}


def test_no_page_loads_anything_from_another_host(built_site: Path):
    own = urlsplit(SITE_URL).netloc
    found = []
    for path in html_pages(built_site):
        page = path.relative_to(built_site).as_posix()
        for tag, attr in RESOURCE_TAGS.items():
            for node in parse(path).find_all(tag):
                url = urljoin(SITE_URL + page, node.attrs.get(attr, ""))
                if urlsplit(url).scheme in ("http", "https") and urlsplit(url).netloc != own:
                    found.append(f"{page}: <{tag} {attr}={node.attrs[attr]!r}>")
        text = path.read_text(encoding="utf-8")
        found += [f"{page}: mentions {host}" for host in ("fonts.googleapis.com", "fonts.gstatic.com") if host in text]
    assert not found, "\n".join(found[:20])


# ---- (k, l) mkdocs.yml --------------------------------------------------------------------

class _TagTolerantLoader(yaml.SafeLoader):
    pass


_TagTolerantLoader.add_multi_constructor(
    "!", lambda loader, suffix, node: loader.construct_sequence(node) if isinstance(node, yaml.SequenceNode)
    else loader.construct_scalar(node))


@pytest.fixture(scope="module")
def mkdocs_config() -> dict:
    return yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_TagTolerantLoader)


def test_config_is_strict_and_validates_links(mkdocs_config: dict):
    assert mkdocs_config["strict"] is True
    assert mkdocs_config["validation"] == {"omitted_files": "warn", "absolute_links": "warn",
                                           "unrecognized_links": "warn", "anchors": "warn"}


def test_config_never_renders_stories_as_templates(mkdocs_config: dict):
    macros = next(p["macros"] for p in mkdocs_config["plugins"] if isinstance(p, dict) and "macros" in p)
    assert macros["render_by_default"] is False
    assert macros["on_error_fail"] is True
    assert macros["on_undefined"] == "strict"


def test_config_has_no_repo_url_or_google_fonts(mkdocs_config: dict, built_site: Path):
    assert "repo_url" not in mkdocs_config and "repo_name" not in mkdocs_config
    assert mkdocs_config["theme"].get("font") is False
    assert mkdocs_config["site_url"] == ["SITE_URL", SITE_URL]
    assert parse(built_site / "index.html").find(cls="md-source") is None
