"""Issue 9, bounded work: the story renderer (macros/read/storymd.py, markdown-it-py) on the
constructs that made Python-Markdown quadratic. Time is measured in
bench/render_hostile.py (each 100 KB case under 2 s, twice the input at most 2.5x the
time), never here: these tests count output instead. Each hostile body's HTML stays
within a fixed multiple of its input, and twice the input gives about twice the output.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from macros.read import storymd
from macros.render.markup import story_body_html
from macros.read.storymd import MAX_DEPTH

ROOT = Path(__file__).resolve().parent.parent
SIZE = 4_000


def fill(unit: str, size: int = SIZE) -> str:
    return (unit * (size // len(unit) + 1))[:size]


# The constructs named in issue 9; each was minutes to tens of minutes with Python-Markdown.
HOSTILE = {
    "run of [": "[", "run of ![": "![", "run of *": "*", "run of _": "_", "run of backticks": "`",
    "run of <": "<", "run of >": ">", "run of &": "&", "run of \\": "\\", "*a": "*a", "**a": "**a",
    "[a](": "[a](", "[x][": "[x][", "links": "[a](https://b.example) ", "tiny paragraphs": "a\n\n",
    "flat list": "- x\n", "deep quote": ">" * 2000 + " x\n", "quotes and lists": "> - " * 300 + "x\n",
}


@pytest.mark.parametrize("case", HOSTILE)
def test_hostile_output_is_proportional_to_input(case):
    once, twice = story_body_html(fill(HOSTILE[case])), story_body_html(fill(HOSTILE[case], 2 * SIZE))
    assert len(once) <= 40 * SIZE, f"{case}: {len(once):,} bytes of HTML from {SIZE:,}"
    assert len(twice) <= 2.2 * len(once) + 200, f"{case}: twice the input, {len(twice) / len(once):.2f}x the output"


def test_ordinary_prose_is_not_lost():
    """The stories' own words, repeated: every byte comes out (as text or markup)."""
    bodies = [p.read_text(encoding="utf-8").split("\n---\n", 1)[1]
              for p in sorted((ROOT / "stories").glob("*.md")) if not p.name.startswith("_")]
    body = "\n\n".join(bodies) * 3
    assert len(story_body_html(body)) >= len(body)


def test_nesting_past_the_limit_keeps_every_word_as_plain_paragraphs():
    """The check refuses it; rendered anyway, the parser's own limit would drop words, so
    the body becomes plain escaped paragraphs instead."""
    body = "> " * 5_000 + "deep\n\n" + "".join("  " * i + "- x\n" for i in range(200))
    html = story_body_html(body)
    assert "<blockquote>" not in html and "<ul>" not in html
    assert "deep" in html and html.count("- x") == 200
    assert {1, 3 + MAX_DEPTH} <= set(storymd.depth_lines(body))  # the quote, then the sixth list


def test_nesting_at_the_limit_renders():
    html = story_body_html("> " * MAX_DEPTH + "deep")
    assert html.count("<blockquote>") == MAX_DEPTH and "deep" in html


def test_mixed_nesting_counts_every_level():
    assert storymd.depth_lines("> - " * 3 + "x") == [1]
    assert storymd.depth_lines("> - > - x") == []


def test_headings_and_images_never_render_as_such():
    html = story_body_html("### The shift\n\n![x](https://example.org/a.png)\n\nTitle\n=====\n")
    assert "<h" not in html and "<img" not in html
    assert "### The shift" in html and "Title\n=====" in html


def test_markdown_a_story_uses():
    html = story_body_html("I was *scared*, **angry** and _tired_.\n\n> She said\n> it twice.\n\n"
                           "- one\n- two\n  - inner\n\n1. first\n2. second\n\n"
                           "Code: `a*b*`; [the NHS](https://www.nhs.uk/a_b_c) and snake_case_name.\n\n"
                           "Line one  \nline two\n\n---\n\n\\*not em\\*\n\nIt was 2 * 3 * 4 times.\n\n"
                           "3. three\n4. four\n\n**very *really* big**")
    for part in ("<em>scared</em>", "<strong>angry</strong>", "<em>tired</em>",
                 "<blockquote>\n<p>She said\nit twice.</p>\n</blockquote>", "<li>inner</li>", "<ol>",
                 "Code: `a*b*`;", "It was 2 * 3 * 4 times.", '<ol start="3">\n<li>three</li>\n<li>four</li>',
                 "<strong>very <em>really</em> big</strong>", '<a href="https://www.nhs.uk/a_b_c" rel="noopener noreferrer nofollow">the NHS</a>',
                 "snake_case_name", "Line one<br>\nline two", "<hr>", "*not em*"):
        assert part in html, (part, html)


def test_parsing_pauses_the_cyclic_collector_and_restores_it():
    """storymd parses with Python's cyclic collector paused (it made the parse superlinear:
    bench/render_hostile.py) and leaves it exactly as it found it, on errors too."""
    import gc

    from macros.read import storymd
    seen = []
    original = storymd.PARSER.parse
    storymd.PARSER.parse = lambda text: seen.append(gc.isenabled()) or original(text)
    try:
        assert gc.isenabled()
        assert storymd.to_html("a\n\n---\n\nb") == "<p>a</p>\n<hr>\n<p>b</p>\n"
        assert gc.isenabled() and seen == [False]
        gc.disable()
        storymd.to_html("x")
        assert not gc.isenabled()          # someone else's choice is kept
        gc.enable()
        storymd.PARSER.parse = lambda text: 1 / 0
        try:
            storymd.to_html("x")
        except ZeroDivisionError:
            pass
        assert gc.isenabled()
    finally:
        storymd.PARSER.parse = original
        gc.enable()
