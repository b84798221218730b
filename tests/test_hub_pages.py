"""Hub paging as pure functions: which stories each page of a hub shows, and the
pager's links. The built pages are checked in test_build.py and in Chromium in
test_browser_hubs.py."""
from __future__ import annotations

import dataclasses
import re

import pytest

from conftest import ROOT, check
from macros.render import pages
from macros.read.handbook import load_handbook


@pytest.fixture(scope="module")
def handbook():
    hb, problems = load_handbook(ROOT)
    assert hb is not None, problems
    return hb


def with_page_size(hb, size: int):
    return dataclasses.replace(hb, settings=hb.settings.model_copy(update={"hub_page_size": size}))


def cards(markdown: str) -> list[str]:
    return re.findall(r'<p class="card-title"><a href="[^"]*/stories/([a-z0-9-]+)/"', markdown)


def test_page_numbers_keep_first_last_and_neighbours():
    assert pages.page_numbers(1, 1) == [1]
    assert pages.page_numbers(2, 3) == [1, 2, 3]
    assert pages.page_numbers(1, 10) == [1, 2, 3, None, 10]
    assert pages.page_numbers(6, 12) == [1, None, 4, 5, 6, 7, 8, None, 12]
    assert pages.page_numbers(12, 12) == [1, None, 10, 11, 12]


@pytest.mark.parametrize("total", [1, 2, 7, 40, 625])
def test_a_pager_stays_small_however_many_pages(total: int):
    for number in range(1, total + 1):
        shown = pages.page_numbers(number, total)
        assert number in shown and shown[0] == 1 and shown[-1] == total
        assert len(shown) <= 9
        numbers = [n for n in shown if n is not None]
        assert numbers == sorted(set(numbers))


@pytest.mark.parametrize("size", [2, 3, 5])
def test_each_story_of_a_hub_is_on_exactly_one_of_its_pages_in_order(handbook, size: int):
    hb = with_page_size(handbook, size)
    for kind in ("domains", "themes", "chapters", "content_notes"):
        for entry in getattr(hb.taxonomy, kind):
            total = pages.hub_page_count(kind, entry.id, hb)
            listed = [cards(pages.hub_page(kind, entry, hb, n)) for n in range(1, total + 1)]
            assert all(1 <= len(page) <= size for page in listed) or listed == [[]], (kind, entry.id)
            assert [s for page in listed for s in page] == [s.id for s in hb.in_hub(kind, entry.id)]


def test_later_pages_link_back_and_mark_where_the_reader_is(handbook):
    hb = with_page_size(handbook, 2)
    entry = max(hb.taxonomy.domains, key=lambda e: len(hb.in_hub("domains", e.id)))
    total = pages.hub_page_count("domains", entry.id, hb)
    assert total >= 3, "the largest relationship hub needs 5+ stories for this test"
    second = pages.hub_page("domains", entry, hb, 2)
    assert 'rel="prev" href="../../"' in second  # page 1 is the hub's own address
    assert 'href="./" aria-current="page"' in second
    assert 'rel="next" href="../3/"' in second
    assert f"page 2 of {total}" in second
    first = pages.hub_page("domains", entry, hb, 1)
    assert 'rel="prev"' not in first and 'href="page/2/"' in first
    assert 'rel="next"' not in pages.hub_page("domains", entry, hb, total)


def test_a_hub_that_fits_on_one_page_has_no_pager(handbook):
    hb, entry = with_page_size(handbook, 500), handbook.taxonomy.domains[0]
    assert pages.hub_page_count("domains", entry.id, hb) == 1
    assert "pager" not in pages.hub_page("domains", entry, hb)
    assert pages.hub_page_url("domains", entry.id, 1) == pages.hub_url("domains", entry.id)
    assert pages.hub_page_url("domains", entry.id, 4) == pages.hub_url("domains", entry.id) + "page/4/"


@pytest.mark.parametrize("value, says", [("1", "greater than or equal to 2"), ("501", "less than or equal to 500"),
                                         ("many", "valid integer")])
def test_a_bad_page_size_is_named_with_its_line_and_limits(repo, value: str, says: str):
    path = repo / "stories" / "handbook.yml"
    text = path.read_text(encoding="utf-8")
    line = text[:text.index("hub_page_size:")].count("\n") + 1
    path.write_text(re.sub(r"^hub_page_size: \S+", f"hub_page_size: {value}", text, flags=re.M), encoding="utf-8")
    result = check(repo, "check")
    assert result.returncode == 1
    assert f"stories/handbook.yml:{line}:" in result.stdout and "hub_page_size" in result.stdout
    assert says in result.stdout and "Traceback" not in result.stdout + result.stderr
