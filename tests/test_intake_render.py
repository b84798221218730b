"""Issue 9, bounded work: the story renderer (macros/storymd.py) is linear in its
input. A ratio, not a timed test: 100 KB of each construct that made
Python-Markdown quadratic must render within 3x the time of 100 KB of ordinary
story prose, and doubling any input at most ~doubles the time. CPU time (not
wall time) with the best of several runs, so a busy machine does not decide.
"""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from macros.render import story_body_html
from macros.storymd import MAX_DEPTH

ROOT = Path(__file__).resolve().parent.parent
SIZE = 100_000


def ordinary() -> str:
    """The seed stories' own words, repeated to 100 KB: what a real body looks like."""
    bodies = [p.read_text(encoding="utf-8").split("\n---\n", 1)[1]
              for p in sorted((ROOT / "stories").glob("*.md")) if not p.name.startswith("_")]
    prose = "\n\n".join(bodies)
    return (prose * (SIZE // len(prose) + 1))[:SIZE]


def fill(unit: str) -> str:
    return (unit * (SIZE // len(unit) + 1))[:SIZE]


# The constructs named in issue 9; each was minutes to tens of minutes with Python-Markdown.
LISTED = {
    "run of [": fill("["),
    "run of ![": fill("!["),
    "run of *": fill("*"),
    "run of _": fill("_"),
    "run of backticks": fill("`"),
    "run of <": fill("<"),
    "deep list": "".join("  " * (i % 400) + "- x\n" for i in range(SIZE))[:SIZE],
    "deep quote": fill(">" * 2000 + " x\n"),
    "one long quote marker run": fill(">"),
}
# Dense markup: many elements per byte, so more output per byte, but still linear.
DENSE = {
    "*a": fill("*a"), "**a": fill("**a"), "`a`": fill("`a` "), "[a](": fill("[a]("), "[x][": fill("[x]["),
    "links": fill("[a](https://b.example) "), "tiny paragraphs": fill("a\n\n"), "flat list": fill("- x\n"),
    "&": fill("&"), "\\": fill("\\"), "<a": fill("<a"), "***a": fill("***a"), "_a_": fill("_a_ "),
}


def cpu_time(body: str, runs: int = 7) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.process_time()
        story_body_html(body)
        best = min(best, time.process_time() - start)
    return max(best, 1e-4)  # below the clock's resolution everything is "fast"


@pytest.fixture(scope="module")
def baseline() -> float:
    return cpu_time(ordinary())


@pytest.mark.parametrize("case", LISTED)
def test_pathological_body_within_3x_of_ordinary(baseline, case):
    ratio = cpu_time(LISTED[case]) / baseline
    assert ratio <= 3, f"{case}: {ratio:.1f}x the time of an ordinary 100 KB body"


@pytest.mark.parametrize("case", {**LISTED, **DENSE})
def test_rendering_is_linear(case):
    body = {**LISTED, **DENSE}[case]
    ratio = cpu_time(body + body) / cpu_time(body)
    assert ratio <= 2.7, f"{case}: twice the input took {ratio:.1f}x the time"


@pytest.mark.parametrize("case", DENSE)
def test_dense_markup_stays_in_the_same_order_of_time(baseline, case):
    # Dense markup writes several times more HTML per byte; it must still be the same order.
    ratio = cpu_time(DENSE[case]) / baseline
    assert ratio <= 15, f"{case}: {ratio:.1f}x"


def test_nesting_never_recurses_past_the_limit():
    html = story_body_html("> " * 50_000 + "deep\n\n" + "".join("  " * i + "- x\n" for i in range(2_000)))
    assert html.count("<blockquote>") == MAX_DEPTH
    assert html.count("<ul>") <= MAX_DEPTH + 1


def test_headings_and_images_never_render_as_such():
    html = story_body_html("### The shift\n\n![x](https://example.org/a.png)\n\nTitle\n=====\n")
    assert "<h" not in html and "<img" not in html
    assert "### The shift" in html


def test_markdown_a_story_uses():
    html = story_body_html("I was *scared*, **angry** and _tired_.\n\n> She said\n> it twice.\n\n"
                           "- one\n- two\n  - inner\n\n1. first\n2. second\n\n"
                           "Code: `a*b*`; [the NHS](https://www.nhs.uk/a_b_c) and snake_case_name.\n\n"
                           "Line one  \nline two\n\n---\n\n\\*not em\\*")
    for part in ("<em>scared</em>", "<strong>angry</strong>", "<em>tired</em>",
                 "<blockquote>\n<p>She said\nit twice.</p>\n</blockquote>", "<li>inner</li>", "<ol>",
                 "<code>a*b*</code>", '<a href="https://www.nhs.uk/a_b_c" rel="noopener noreferrer nofollow">the NHS</a>',
                 "snake_case_name", "Line one<br>\nline two", "<hr>", "*not em*"):
        assert part in html, (part, html)
