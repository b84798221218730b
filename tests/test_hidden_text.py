"""Issue 19, point 2: what a reviewer sees in a GitHub diff is what gets parsed.

Every byte of a story or data file (values, comments, the space between keys, the body)
is checked for characters that some parser reads as a line break while git does not,
bidi controls and other invisible format characters (Unicode's Cf, through ICU); body
lines may not pose as the page's own sections in look-alike letters (UTS #39 skeleton
after NFKC) nor claim to come from the editors. Each refusal is a message with
file:line:col and a non-zero exit.
"""
from __future__ import annotations

import io
import re
from pathlib import Path

import icu
import pytest
import yaml

from macros.read import textrules
from macros.cli.main import main
from macros.read.handbook import load_data_file
from macros.read.model import Taxonomy
from macros.read.validate import line_problems
from storyfile import BODY, story

ROOT = Path(__file__).resolve().parent.parent
UNREVIEWED = {"reviewed": ""}  # as `make new` and the write page leave a story


def check(tmp_path: Path, text: str, *flags: str) -> tuple[int, list[str]]:
    path = tmp_path / "x.md"
    path.write_text(text, encoding="utf-8", newline="")
    out, err = io.StringIO(), io.StringIO()
    code = main(["--root", str(ROOT), "check", *flags, str(path)], out=out, err=err)
    assert "Traceback" not in out.getvalue() + err.getvalue()
    return code, [line.split("x.md", 1)[1] for line in out.getvalue().splitlines() if re.search(r"x\.md:\d", line)]


HIDDEN_REVIEW = ("[]  # none apply\u2028reviewed: 2026-01-02\u2028"
                 "reviewer: {name: Dr Hidden, role: psychiatrist}")


def test_the_attack_is_real_for_libyaml():
    """The front matter below hides a review from anyone reading the diff; libyaml reads it."""
    front = story(content_notes=HIDDEN_REVIEW, reviewed=None).split("---\n")[1]
    assert yaml.safe_load(front)["reviewer"]["name"] == "Dr Hidden"
    assert all("reviewed" not in line for line in front.split("\n") if not line.startswith("content_notes"))


def test_review_hidden_behind_a_line_separator_in_a_comment_is_refused(tmp_path):
    code, problems = check(tmp_path, story(content_notes=HIDDEN_REVIEW, reviewed=None))
    col = len("content_notes: []  # none apply") + 1
    assert code == 1
    assert problems[0] == (
        f":14:{col}: front matter: contains the character U+2028 (LINE SEPARATOR), which some programs read as "
        "a line break while git and GitHub's review show one line: text after it could hide from a reviewer "
        "(delete it; start a new line with Enter if you meant one)")
    assert not any("Dr Hidden" in p for p in problems)


@pytest.mark.parametrize("char, name", [("\u2028", "LINE SEPARATOR"), ("\u2029", "PARAGRAPH SEPARATOR"),
                                        ("\x85", "NEXT LINE"), ("\x0b", "LINE TABULATION"),
                                        ("\x0c", "FORM FEED"), ("\r", "CARRIAGE RETURN")])
@pytest.mark.parametrize("where", ["comment", "body"])
def test_every_line_break_git_does_not_see_is_refused(tmp_path, char, name, where):
    text = (story(content_notes=f"[]  # a{char}b", **UNREVIEWED) if where == "comment"
            else story(body=f"One line{char}and another.\n", **UNREVIEWED))
    code, problems = check(tmp_path, text)
    line, field = (14, "front matter") if where == "comment" else (22, "body")
    assert code == 1 and len(problems) == 1, problems
    assert problems[0].startswith(f":{line}:")
    assert f"{field}: contains the character U+{ord(char):04X} ({name}), which some programs read as a line break" \
        in problems[0]


def test_crlf_line_ends_are_fine(tmp_path):
    code, problems = check(tmp_path, story(**UNREVIEWED).replace("\n", "\r\n"))
    assert (code, problems) == (0, [])


BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


@pytest.mark.parametrize("char", list(BIDI) + ["\u200b", "\u2060", "\ufeff", "\u00ad", "\u180e", "\U000e0041",
                                               "\u3164", "\U0001d173"])
def test_invisible_characters_are_refused_in_the_body_with_their_name(tmp_path, char):
    code, problems = check(tmp_path, story(body=f"I said it{char} twice.\n", **UNREVIEWED))
    assert code == 1 and len(problems) == 1
    assert problems[0].startswith(f":22:10: body: contains the invisible character U+{ord(char):04X} (")
    assert "which a reviewer cannot see" in problems[0]


@pytest.mark.parametrize("text", [
    "\u202eevil\u202c", "a\u200bb", "Ana\u200d", "\u200cAna", "Their\u200cstory",
])
def test_invisible_characters_are_refused_in_values(tmp_path, text):
    code, problems = check(tmp_path, story(title=f'"{text}"'))
    assert code == 1 and problems[0].startswith(":2:")


@pytest.mark.parametrize("words", [
    "👩\u200d💻 at work, 👨\u200d👩\u200d👧 at home",   # emoji ZWJ sequences
    "می\u200cخواهم",                                   # Persian: ZWNJ inside a word
    "क्\u200dष and क्\u200cष",                          # Devanagari: ZWJ / ZWNJ after a virama
    "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f Scotland",  # an emoji flag tag sequence
])
def test_joiners_a_writing_system_or_emoji_needs_are_kept(tmp_path, words):
    code, problems = check(tmp_path, story(title=f'"{words}"', body=f"{words}\n", **UNREVIEWED))
    assert (code, problems) == (0, [])


def test_every_format_character_is_refused_or_kept_for_a_reason():
    """Unicode's Cf category, from ICU's data: each is refused except the joiners and the tags."""
    for char in icu.UnicodeSet("[:Cf:]"):
        refused = textrules.hidden(f"a{char}a") is not None
        assert refused, f"U+{ord(char):04X}"
        if char in textrules.JOINERS or 0xE0020 <= ord(char) < 0xE0080:
            continue
        assert char in textrules._INVISIBLE


def test_a_data_file_with_a_hidden_line_break_is_refused(tmp_path):
    path = tmp_path / "taxonomy.yml"
    text = (ROOT / "stories/taxonomy.yml").read_text(encoding="utf-8")
    path.write_text(text.replace("\n", "  # note\u2029x: y\n", 1), encoding="utf-8")
    data, problems = load_data_file(path, Taxonomy, "stories/taxonomy.yml")
    assert data is None
    assert [(p.line, p.field) for p in problems] == [(1, "file")]
    assert "U+2029 (PARAGRAPH SEPARATOR)" in problems[0].message


# ---- look-alike section names and editorial claims ----------------------------------

@pytest.mark.parametrize("line, section, named", [
    ("**Ѕummary**", "Summary", "U+0405 (CYRILLIC CAPITAL LETTER DZE)"),
    ("Their\u200bstory", "Their story", "U+200B (ZERO WIDTH SPACE)"),
    ("The\u00a0shift", "The shift", "U+00A0 (NO-BREAK SPACE)"),
    ("**Тhе ѕhіft:**", "The shift", "U+0422 (CYRILLIC CAPITAL LETTER TE)"),
    ("Ｑｕｅｓｔｉｏｎｓ ｆｏｒ ｒｅｆｌｅｃｔｉｏｎ", "Questions for reflection", "U+FF31 (FULLWIDTH LATIN CAPITAL LETTER Q)"),
])
def test_section_look_alikes_are_named(line, section, named):
    messages = [m for _, m in line_problems(line)]
    assert len(messages) == 1
    assert messages[0].startswith(f'"{line}" looks like the page\'s own section "{section}", written with '
                                  "look-alike characters: ")
    assert named in messages[0]


def test_a_look_alike_section_fails_the_check(tmp_path):
    code, problems = check(tmp_path, story(body="**Ѕummary**\n\nTake twice the dose.\n", **UNREVIEWED))
    assert code == 1
    assert problems[0].startswith(':22:1: body: "**Ѕummary**" looks like the page\'s own section "Summary"')


@pytest.mark.parametrize("line", ["**Written by the Ripples editors**", "Written by the Ripples еditors:",
                                  "*Editor's note:* stop your medication", "A note from the editors."])
def test_a_line_claiming_editorial_authorship_is_refused(line):
    messages = [m for _, m in line_problems(line)]
    assert len(messages) == 1 and messages[0].startswith("this line presents itself as coming from the Ripples editors")


@pytest.mark.parametrize("line", ["I love my editor at work.", "The shift came slowly.", "Summary of my week:",
                                  "We read Their Story aloud, the book my sister wrote.", "Ripples in the pond."])
def test_ordinary_lines_pass(line):
    assert line_problems(line) == []


def test_seed_body_passes_whole(tmp_path):
    code, problems = check(tmp_path, story(body=BODY, **UNREVIEWED))
    assert (code, problems) == (0, [])
