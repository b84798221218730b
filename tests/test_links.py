"""The built-site link checker (macros/finish/linkcheck.py): the handbook has no broken
link or #anchor, links only to https: elsewhere, and the checker really catches
broken raw-HTML links that MkDocs' own validation never sees."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import build
from macros.finish.linkcheck import check_site

DEFAULT_SITE_URL = "http://127.0.0.1:8000/"   # mkdocs.yml's default when SITE_URL is unset


def listing(lines: list[str]) -> str:
    return "\n  " + "\n  ".join(lines)


# ---- the handbook itself -------------------------------------------------------

@pytest.fixture(scope="module")
def report(built_site: Path):
    return check_site(built_site, site_url=DEFAULT_SITE_URL)


def test_no_broken_links_or_anchors(report):
    assert not report.broken, f"{len(report.broken)} broken links:" + listing(report.broken)


def test_every_external_link_is_https(report):
    assert report.external, "expected at least the crisis line link to be listed"
    assert not report.insecure, "external links that are not https:" + listing(report.insecure)
    web = [u for u in report.external if not u.startswith(("mailto:", "tel:", "sms:"))]
    assert web and all(u.startswith("https://") for u in web), listing(report.external)


def test_crisis_help_link_is_listed_as_external(report):
    assert "https://findahelpline.com" in report.external


def test_without_site_url_canonical_links_count_as_external(built_site: Path):
    """Default mode: every http(s) URL is external, so the local http:// canonical links are flagged."""
    plain = check_site(built_site)
    assert f"{DEFAULT_SITE_URL}about/" in plain.insecure
    assert not plain.broken, listing(plain.broken)


# ---- a planted broken link in a template ----------------------------------------

PLANTED = ("\n  <a href=\"{{ 'nowhere/' | url }}\">x</a>\n"
           "  <a href=\"#no-such-anchor\">y</a>\n")


def plant_links(template: Path) -> None:
    text = template.read_text(encoding="utf-8")
    marker = "{% block content %}"
    assert marker in text, "overrides/main.html no longer has a content block"
    end = text.index("{% endblock %}", text.index(marker))
    template.write_text(text[:end] + PLANTED + text[end:], encoding="utf-8")


def test_planted_broken_template_links_are_caught(repo: Path):
    plant_links(repo / "overrides" / "main.html")
    result = build(repo)
    # MkDocs does not see template links; the finish step's link check does, and stops the build
    assert result.returncode != 0 and "broken link(s) in the built site" in result.stderr, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    found = check_site(repo / "site", site_url=DEFAULT_SITE_URL).broken
    home = [line for line in found if line.startswith("index.html: ")]
    assert any("nowhere/ -> missing file nowhere/" in line for line in home), listing(found[:20])
    assert any("#no-such-anchor -> no element with id \"no-such-anchor\"" in line for line in home), listing(found[:20])
    story = [line for line in found if line.startswith("stories/sarah-from-anger-to-vulnerability/index.html: ")]
    assert any("../../nowhere/ ->" in line for line in story), listing(found[:20])


# ---- unit tests on a hand-written site -----------------------------------------

def write(site: Path, rel: str, body: str) -> None:
    path = site / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"<!doctype html><html><head></head><body>{body}</body></html>", encoding="utf-8")


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    write(site, "a.html", '<a href="b.html#x">to b</a>')
    write(site, "b.html", '<p id="y">no x here</p>')
    return site


def test_missing_fragment_is_broken(tiny: Path):
    assert check_site(tiny).broken == ['a.html: b.html#x -> no element with id "x" in b.html']


def test_present_fragment_is_ok(tiny: Path):
    write(tiny, "b.html", '<h2 id="x">here</h2>')
    assert check_site(tiny).broken == []


def test_a_name_counts_as_anchor(tiny: Path):
    write(tiny, "b.html", '<a name="x"></a>')
    assert check_site(tiny).broken == []


def test_missing_file_is_broken(tiny: Path):
    write(tiny, "a.html", '<a href="c.html">c</a><img src="img/pic.png">')
    assert check_site(tiny).broken == ["a.html: c.html -> missing file c.html",
                                       "a.html: img/pic.png -> missing file img/pic.png"]


def test_directory_link_resolves_to_index_html(tiny: Path):
    write(tiny, "a.html", '<a href="sub/">sub</a><a href="sub">sub</a><a href="sub/#z">z</a><a href="gone/">gone</a>')
    write(tiny, "sub/index.html", '<div id="z"></div><a href="../a.html">back</a><a href="/b.html?q=1#y">b</a>')
    assert check_site(tiny).broken == ["a.html: gone/ -> missing file gone/index.html"]


def test_same_page_fragment(tiny: Path):
    write(tiny, "a.html", '<h2 id="here">h</h2><a href="#here">ok</a><a href="#">top</a><a href="#nope">bad</a>')
    assert check_site(tiny).broken == ['a.html: #nope -> no element with id "nope" in a.html']


def test_all_link_carrying_tags_are_checked(tiny: Path):
    write(tiny, "a.html", '<link rel="stylesheet" href="s.css"><script src="s.js"></script>'
                          '<iframe src="f.html"></iframe><form action="search.html"></form>'
                          '<video><source src="v.mp4"></video>')
    assert sorted(line.split(" -> ")[0] for line in check_site(tiny).broken) == [
        "a.html: f.html", "a.html: s.css", "a.html: s.js", "a.html: search.html", "a.html: v.mp4"]


def test_external_and_skipped_links(tiny: Path):
    write(tiny, "a.html", '<a href="mailto:x@example.org">m</a><a href="tel:988">t</a>'
                          '<img src="data:image/png;base64,AAAA"><a href="https://example.org/b">s</a>'
                          '<a href="http://example.org/a">i</a><a href="https://example.org/b">again</a>')
    report = check_site(tiny)
    assert report.broken == []
    assert report.external == ["http://example.org/a", "https://example.org/b"]
    assert report.insecure == ["http://example.org/a"]


def test_doubled_slash_is_not_a_site_link(tiny: Path):
    """`{{ base_url }}/x/` with base_url "/" gives "//x/": a link to the host "x"."""
    write(tiny, "a.html", '<a href="//">home</a><a href="//chapters/">c</a>')
    report = check_site(tiny)
    assert report.broken == ["a.html: // -> a protocol-relative URL with no host (a doubled slash?)"]
    assert report.insecure == ["http://chapters/"]


def test_site_url_makes_absolute_links_internal(tiny: Path):
    base = "https://example.org/ripples/"
    write(tiny, "a.html", f'<link rel="canonical" href="{base}a.html"><a href="{base}b.html#y">b</a>'
                          f'<a href="/ripples/missing/">m</a><a href="/elsewhere/">out</a>')
    (tiny / "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f'<url><loc>{base}a.html</loc></url><url><loc>{base}gone/</loc></url>'
        '<url><loc>https://other.example/x/</loc></url></urlset>', encoding="utf-8")
    report = check_site(tiny, site_url=base)
    assert report.external == []
    assert report.broken == [
        "a.html: /ripples/missing/ -> missing file missing/index.html",
        "a.html: /elsewhere/ -> outside the site",
        f"sitemap.xml: {base}gone/ -> missing file gone/index.html",
        f"sitemap.xml: https://other.example/x/ -> not on the site URL {base}",
    ]


def test_sitemap_of_the_handbook_is_complete(built_site: Path):
    text = (built_site / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{DEFAULT_SITE_URL}stories/sarah-from-anger-to-vulnerability/</loc>" in text
    assert f"<loc>{DEFAULT_SITE_URL}chapters/emotional-walls/</loc>" in text
