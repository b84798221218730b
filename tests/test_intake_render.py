"""Issue 9, bounded work: the story renderer is linear in its input. Time is never
asserted here (a busy machine must not decide a test; bench/ measures it): these
tests count work instead. Doubling any hostile input at most doubles the HTML it
makes, and nesting never passes the limit."""
from __future__ import annotations

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


@pytest.mark.parametrize("case", {**LISTED, **DENSE})
def test_output_grows_linearly_with_the_input(case):
    body = {**LISTED, **DENSE}[case]
    once, twice = len(story_body_html(body)), len(story_body_html(body + "\n\n" + body))
    assert twice <= 2 * once + 200, f"{case}: {once} bytes of HTML, then {twice} for twice the input"
    assert once <= 12 * len(body), f"{case}: {once} bytes of HTML for {len(body)} of input"


def test_ordinary_prose_is_not_lost():
    body = ordinary()
    assert len(story_body_html(body)) >= len(body)


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
