"""Golden tests: one per validation rule, each asserting the exact problem line
(file:line:col: field: message (fix)), exit code 1 and no traceback.

Every bad story starts from a small valid story (`story()`), with one thing
changed, written into a throwaway copy of the repository. The checker runs
in-process (fast); a few end-to-end tests run `python -m macros` for real.
"""
from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
import yaml

from storyfile import BODY, story, write
from conftest import check
from macros.cli.main import main

# The valid story and its line numbers: see tests/storyfile.py.
F = "stories/x.md"
FIELDS = ("title, person, chapter, domains, themes, summary, shift, reflection, content_notes, consent, "
          "reviewed, reviewer")
NAME_FIX = ('is not a valid story file name (use only lowercase letters a-z, digits and single hyphens, '
            'e.g. "sarah-from-anger-to-vulnerability.md")')
BODY_HTML = "body: HTML is not allowed in a story (remove the tag; write plain text and Markdown only)"
BAD_LINK = ("body: javascript:, data:, vbscript: and file: links are not allowed "
            "(link to an https:// address)")
REFERENCE = "body: reference-style links are not supported (write the link in place: [words](https://...))"
ATTR_LIST = "body: attribute lists such as {: ... } or {#id} are not allowed in a story (remove the braces)"


def run(repo: Path, *paths: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["--root", str(repo), "check", *map(str, paths)], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def problem_lines(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.startswith("stories/")]


def assert_golden(repo: Path, text: str | bytes, expected: list[str], name: str = "x.md") -> str:
    code, out, err = run(repo, write(repo, text, name))
    assert "Traceback" not in out + err
    assert err == ""
    assert problem_lines(out) == expected, out
    assert code == 1
    n = len(expected)
    assert f"{n} problem{'s' if n != 1 else ''} found." in out
    return out


def taxonomy_ids(kind: str) -> str:
    """The allowed ids as the data file lists them (read independently of the code)."""
    data = yaml.safe_load((Path(__file__).resolve().parent.parent / "stories/taxonomy.yml").read_text("utf-8"))
    return ", ".join(entry["id"] for entry in data[kind])


def test_the_base_story_is_valid(repo):
    code, out, err = run(repo, write(repo, story()))
    assert (code, out.strip(), err) == (0, "The story is valid.", "")


# ---- YAML -----------------------------------------------------------------------

YAML_CASES = {
    "unterminated quote": (
        story(title='"A Small Test Story'),
        [f"{F}:2:8: front matter: a quotation mark is opened but never closed "
         "(add the closing quote or remove the opening one)"]),
    "tab indentation": (
        story(shift="\n\tfrom: Hiding her feelings\n  to: Saying them out loud"),
        [f"{F}:9:1: front matter: a tab character is used for indentation (indent with spaces only)"]),
    "colon inside a value": (
        story(summary="Zoe learned this: say how you feel."),
        [f'{F}:7:26: front matter: a colon followed by a space inside a value '
         '(put the whole value in quotes: "like: this")']),
    "a list instead of a mapping": (
        "---\n- title\n- person\n---\n\n" + BODY,
        [f"{F}:2:1: front matter: the front matter is a list; it must be `key: value` lines "
         "(title:, person:, chapter: ... as in stories/_template.md)"]),
    "a scalar instead of a mapping": (
        "---\nA Small Test Story\n---\n\n" + BODY,
        [f"{F}:2:1: front matter: the front matter is plain text; it must be `key: value` lines "
         "(title:, person:, chapter: ... as in stories/_template.md)"]),
    "empty front matter": (
        "---\n---\n\n" + BODY,
        [f"{F}:2:1: front matter: the front matter is empty; it must be `key: value` lines "
         "(title:, person:, chapter: ... as in stories/_template.md)"]),
    "missing front matter": (
        BODY,
        [f"{F}:1:1: front matter: missing front matter (the file must start with a line containing only ---, "
         "then the fields, then another ---; copy stories/_template.md)"]),
    "unclosed front matter": (
        story().replace("---\n\n", "\n", 1),
        [f"{F}:1:1: front matter: the front matter is never closed "
         "(add a line containing only --- after the last field)"]),
    "duplicate key": (
        story(person="Zoe\nperson: Ann"),
        [f'{F}:4:1: front matter: "person" appears twice (first on line 3; keep only one)']),
    "duplicate nested key": (
        story(consent="\n  permission: true\n  permission: true\n  deidentified: true\n  others_deidentified: true"),
        [f'{F}:17:3: front matter: "permission" appears twice (first on line 16; keep only one)']),
    "anchor": (
        story(person="&who Zoe"),
        [f"{F}:3:9: front matter: anchors (&who) are not allowed (remove &who and write values out in full)"]),
    "alias": (
        story(person="*who"),
        [f"{F}:3:9: front matter: aliases (*who) are not allowed (write the value out in full)"]),
    "python tag": (
        story(title="!!python/object/apply:os.system ['echo pwned']"),
        [f"{F}:2:8: front matter: tags such as !!python/object/apply:os.system are not allowed "
         "(remove the tag; write plain text)"]),
    "str tag": (
        story(person="!!str 12"),
        [f"{F}:3:9: front matter: tags such as !!str are not allowed (remove the tag; write plain text)"]),
    "local tag": (
        story(person="!name Zoe"),
        [f"{F}:3:9: front matter: tags such as !name are not allowed (remove the tag; write plain text)"]),
    "control character": (
        story(person="Zo\x07e"),
        [f"{F}:3:11: front matter: contains the invisible character U+0007 (a control character), which a "
         "reviewer cannot see (delete it; if you did not type it, retype this line)"]),
}


@pytest.mark.parametrize("case", list(YAML_CASES))
def test_yaml_problem(repo, case):
    text, expected = YAML_CASES[case]
    assert_golden(repo, text, expected)


def billion_laughs() -> str:
    lines = ['lol0: &lol0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 10):
        lines.append(f"lol{i}: &lol{i} [" + ", ".join([f"*lol{i - 1}"] * 9) + "]")
    return "---\n" + "\n".join(lines) + "\n---\n\n" + BODY


def test_billion_laughs_is_rejected_at_the_first_anchor(repo):
    out = assert_golden(repo, billion_laughs(), [
        f"{F}:2:7: front matter: anchors (&lol0) are not allowed (remove &lol0 and write values out in full)"])
    assert len(out) < 2000  # one problem, nothing expanded (the parser stops at the first anchor)


def test_python_tag_never_runs(repo, tmp_path):
    marker = tmp_path / "pwned"
    text = story(title=f'!!python/object/apply:os.system ["touch {marker}"]')
    assert_golden(repo, text, [
        f"{F}:2:8: front matter: tags such as !!python/object/apply:os.system are not allowed "
        "(remove the tag; write plain text)"])
    assert not marker.exists()


# ---- schema -------------------------------------------------------------------------

PAGE_SETTING = f"is a page setting, which stories may not use (remove this line; allowed fields: {FIELDS})"

SCHEMA_CASES = {
    "missing key": (
        story(title=None),
        [f"{F}:2:1: title: is missing (add a line `title: ...`; see stories/_template.md)"]),
    "missing nested key": (
        story(shift="\n  from: Hiding her feelings"),
        [f"{F}:8:1: shift.to: is missing (add a line `to: ...` under `shift:`; see stories/_template.md)"]),
    "render_macros": (story(render_macros="true"), [f"{F}:20:1: render_macros: {PAGE_SETTING}"]),
    "template": (story(template="main.html"), [f"{F}:20:1: template: {PAGE_SETTING}"]),
    "hide": (story(hide="[navigation, toc]"), [f"{F}:20:1: hide: {PAGE_SETTING}"]),
    "typo with did-you-mean": (
        story(title=None, titel="A Small Test Story"),
        [f"{F}:2:1: title: is missing (add a line `title: ...`; see stories/_template.md)",
         f'{F}:19:1: titel: is not a known field (remove it). Did you mean "title"? Allowed: {FIELDS}']),
    "unknown key without a near miss": (
        story(colour="blue"),
        [f"{F}:20:1: colour: is not a known field (remove it). Allowed: {FIELDS}"]),
    "unknown nested key": (
        story(shift="\n  from: Hiding her feelings\n  to: Saying them out loud\n  fromm: x"),
        [f'{F}:11:3: shift.fromm: is not a known field (remove it). Did you mean "from"? Allowed: from, to']),
    "person: 12": (
        story(person="12"),
        [f"{F}:3:9: person: must be text, not a number "
         "(put it in quotes if it looks like a number, date or yes/no)"]),
    "person: yes": (
        story(person="yes"),
        [f"{F}:3:9: person: must be text, not true/false "
         "(put it in quotes if it looks like a number, date or yes/no)"]),
    "reflection as a string": (
        story(reflection="What helps you say how you feel?"),
        [f"{F}:11:13: reflection: must be a list, not text (write [a, b] or one `- item` per line)"]),
    "shift as a string": (
        story(shift="from hiding to saying"),
        [f"{F}:8:8: shift: must be a group of keys, not text (see stories/_template.md)"]),
    "empty strings": (
        story(title='""', person="''", shift="\n  from: ''\n  to: Saying them out loud"),
        [f"{F}:2:8: title: is empty (write the text, or see stories/_template.md)",
         f"{F}:3:9: person: is empty (write the text, or see stories/_template.md)",
         f"{F}:9:9: shift.from: is empty (write the text, or see stories/_template.md)"]),
    "empty value": (
        story(title=""),
        [f"{F}:2:7: title: must be text, not empty "
         "(put it in quotes if it looks like a number, date or yes/no)"]),
    "summary over 200 characters": (
        story(summary="A" * 150 + " " + "b" * 50),
        [f"{F}:7:10: summary: is 201 characters; the limit is 200 (shorten it to one sentence)"]),
    "impossible date": (
        story(reviewed="2024-02-30"),
        [f'{F}:19:11: reviewed: "2024-02-30" is not a real date (use YYYY-MM-DD, e.g. 2026-11-27)']),
    "not a date": (
        story(reviewed="last spring"),
        [f'{F}:19:11: reviewed: "last spring" is not a real date (use YYYY-MM-DD, e.g. 2026-11-27)']),
    "domains: []": (
        story(domains="[]"),
        [f"{F}:5:10: domains: needs at least one domain id (e.g. [romantic])"]),
    "seven themes": (
        story(themes="[vulnerability, anger, boundaries, listening, trust, empathy, repair]"),
        [f"{F}:6:9: themes: has 7 themes; choose at most 6"]),
    "one reflection question": (
        story(reflection="\n  - What helps you say how you feel?"),
        [f"{F}:12:3: reflection: has 1 question(s); write between 2 and 4"]),
    "five reflection questions": (
        story(reflection="".join(f"\n  - Question {n}?" for n in range(1, 6))),
        [f"{F}:12:3: reflection: has 5 question(s); write between 2 and 4"]),
    "domain listed twice": (
        story(domains="[romantic, romantic]"),
        [f'{F}:5:21: domains: "romantic" is listed twice (keep one)']),
    "consent not a mapping": (
        story(consent="yes"),
        [f"{F}:15:10: consent: must be a group of keys, not true/false (see stories/_template.md)"]),
    "consent flag not a boolean": (
        story(consent="\n  permission: maybe\n  deidentified: true\n  others_deidentified: true"),
        [f"{F}:16:15: consent.permission: must be true or false"]),
}


@pytest.mark.parametrize("case", list(SCHEMA_CASES))
def test_schema_problem(repo, case):
    text, expected = SCHEMA_CASES[case]
    assert_golden(repo, text, expected)


def test_unknown_ids_with_suggestions(repo):
    text = story(chapter="emotional-wall", domains="[romantc]", themes="[vulnerabilty, anger]",
                 content_notes="[depresion]")
    assert_golden(repo, text, [
        f'{F}:4:10: chapter: "emotional-wall" is not a known chapter id. Did you mean "emotional-walls"? '
        f'Allowed: {taxonomy_ids("chapters")} (new ids go in stories/taxonomy.yml)',
        f'{F}:5:11: domains: "romantc" is not a known domain id. Did you mean "romantic"? '
        'Allowed: romantic, parenting, family, friendship, workplace (new ids go in stories/taxonomy.yml)',
        f'{F}:6:10: themes: "vulnerabilty" is not a known theme id. Did you mean "vulnerability"? '
        f'Allowed: {taxonomy_ids("themes")} (new ids go in stories/taxonomy.yml)',
        f'{F}:14:17: content_notes: "depresion" is not a known content note id. Did you mean "depression"? '
        f'Allowed: {taxonomy_ids("content_notes")} (new ids go in stories/taxonomy.yml)',
    ])


def test_unknown_id_without_a_near_miss(repo):
    assert_golden(repo, story(domains="[romantic, zzzzqqq]"), [
        f'{F}:5:21: domains: "zzzzqqq" is not a known domain id. '
        'Allowed: romantic, parenting, family, friendship, workplace (new ids go in stories/taxonomy.yml)'])


CONSENT = {
    "permission": (16, 15, "the storyteller's permission to publish this text"),
    "deidentified": (17, 17, "confirming the storyteller cannot be identified"),
    "others_deidentified": (18, 24, "confirming nobody else in the story can be identified"),
}


@pytest.mark.parametrize("flag", list(CONSENT))
def test_each_consent_flag_false_cannot_publish(repo, flag):
    consent = "".join(f"\n  {f}: {'false' if f == flag else 'true'}" for f in CONSENT)
    line, col, what = CONSENT[flag]
    assert_golden(repo, story(consent=consent), [
        f"{F}:{line}:{col}: consent.{flag}: cannot publish without {what} "
        "(set it to true only once that is so; see the Contribute page)"])


@pytest.mark.parametrize("value", ["1", '"true"', "'yes'"])
def test_consent_must_be_literally_true(repo, value):
    """`permission: 1` or a quoted "true" is not a `true`: pydantic's coercion must not publish it."""
    consent = f"\n  permission: {value}\n  deidentified: true\n  others_deidentified: true"
    assert_golden(repo, story(consent=consent), [
        f"{F}:16:15: consent.permission: cannot publish without the storyteller's permission to publish "
        "this text (set it to true only once that is so; see the Contribute page)"])


def test_missing_consent_flag(repo):
    assert_golden(repo, story(consent="\n  permission: true\n  deidentified: true"), [
        f"{F}:15:1: consent.others_deidentified: is missing "
        "(add a line `others_deidentified: ...` under `consent:`; see stories/_template.md)"])


# ---- file -----------------------------------------------------------------------------

def test_not_utf8_names_the_byte_and_line(repo):
    raw = story().encode("utf-8").replace("Now I say".encode(), b"Now I\xe9say")
    at = raw.index(b"\xe9")
    col = at - raw.rfind(b"\n", 0, at)
    assert_golden(repo, raw, [
        f"{F}:22:{col}: file: byte 0xE9 at byte {at} (line 22) is not UTF-8 (save the file with UTF-8 encoding)"])


def test_not_utf8_in_front_matter(repo):
    raw = story().encode("utf-8").replace(b"person: Zoe", b"person: Zo\xeb")  # Latin-1 "Zoë"
    at = raw.index(b"\xeb")
    assert_golden(repo, raw, [
        f"{F}:3:11: file: byte 0xEB at byte {at} (line 3) is not UTF-8 (save the file with UTF-8 encoding)"])


def test_file_over_100_kb(repo):
    text = story(body="Words. " * 15_000)
    size = len(text.encode("utf-8"))
    assert size > 100_000
    assert_golden(repo, text, [
        f"{F}: file: the file is {size:,} bytes; the limit is 100,000 "
        "(a story should be well under this; split or shorten it)"])


def test_file_just_under_100_kb_is_accepted(repo):
    text = story(body="")
    lines = ("a" * 2_999 + "\n") * 40
    text = story(body=lines[:100_000 - len(text.encode("utf-8")) - 1] + "\n")
    assert len(text.encode("utf-8")) == 100_000
    code, out, _ = run(repo, write(repo, text))
    assert code == 0, out


@pytest.mark.parametrize("name", ["my story.md", "Zoe-story.md", "zoe-\U0001F600.md", "zoë-story.md",
                                  "zoe--story.md", "-zoe.md", "zoe_story.md"])
def test_bad_file_name(repo, name):
    assert_golden(repo, story(), [f'stories/{name}: file name: "{name}" {NAME_FIX}'], name=name)


def test_two_files_differing_only_in_case(repo):
    lower, upper = write(repo, story(), "zoe-story.md"), write(repo, story(), "Zoe-story.md")
    assert lower.exists() and upper.exists() and lower != upper
    code, out, err = run(repo, lower, upper)
    assert code == 1 and "Traceback" not in out + err
    assert problem_lines(out) == [
        'stories/Zoe-story.md: file name: gives the same web address as "zoe-story.md" '
        "(ids may not differ only in capitals; rename one file)",
        f'stories/Zoe-story.md: file name: "Zoe-story.md" {NAME_FIX}',
    ]


@pytest.mark.parametrize("body", ["", "\n\n   \n\t\n"])
def test_empty_body(repo, body):
    assert_golden(repo, story(body=body), [
        f"{F}:21:1: body: the story text is empty (write the storyteller's words below the closing ---)"])


def test_template_placeholder_body(repo):
    assert_golden(repo, story(body="TODO: replace this paragraph with the storyteller's own words.\n"), [
        f"{F}:22:1: body: is still the template placeholder (replace it with the storyteller's words)"])


def test_the_template_itself_is_not_a_story(repo):
    """_template.md is skipped; checked as a copy, it reports every unfinished field."""
    code, out, _ = run(repo)
    assert code == 0 and "_template" not in out
    template = (repo / "stories/_template.md").read_text(encoding="utf-8")
    code, out, _ = run(repo, write(repo, template, "copy.md"))
    assert code == 1
    fields = {line.split(": ")[1] for line in problem_lines(out)}
    assert {"title", "person", "summary", "body", "consent.permission"} <= fields


# ---- body -------------------------------------------------------------------------------

def body_case(line: str) -> str:
    """The bad line is the body's third line (file line 24)."""
    return story(body=f"I used to hide my feelings.\n\n{line}\n\nNow I say them.\n")


BODY_CASES = {
    "script": ("She said <script>alert(1)</script> to me.", [f"{F}:24:10: {BODY_HTML}"]),
    "iframe": ('<iframe src="https://example.com"></iframe>', [f"{F}:24:1: {BODY_HTML}"]),
    "img onerror": ("A picture <img src=x onerror=alert(1)> here.", [f"{F}:24:11: {BODY_HTML}"]),
    "style": ("<style>p { color: red }</style>", [f"{F}:24:1: {BODY_HTML}"]),
    "html comment": ("Hidden <!-- note --> text.", [f"{F}:24:8: {BODY_HTML}"]),
    "html entity": ("Tom &amp; Jerry.", [f"{F}:24:5: {BODY_HTML}"]),
    "javascript link": ("See [this](javascript:alert(1)) now.", [f"{F}:24:12: {BAD_LINK}"]),
    "javascript link, mixed case": ("See [this](JaVaScRiPt:alert(1)).", [f"{F}:24:12: {BAD_LINK}"]),
    "data link": ("See [this](data:text/html;base64,PHNjcmlwdD4=) now.", [f"{F}:24:12: {BAD_LINK}"]),
    "reference link to javascript": ("[r]: javascript:alert(1)", [f"{F}:24:1: {REFERENCE}", f"{F}:24:6: {BAD_LINK}"]),
    "snippet": ('--8<-- "mkdocs.yml"',
                [f"{F}:24:1: body: snippet markers (--8<--) are not allowed in a story (remove them)"]),
    "short snippet": ('-8<- "mkdocs.yml"',
                      [f"{F}:24:1: body: snippet markers (--8<--) are not allowed in a story (remove them)"]),
    "attr_list onclick": ('A paragraph.\n{: onclick="alert(1)" }', [f"{F}:25:1: {ATTR_LIST}"]),
    "attr_list id": ("A line {: #id }", [f"{F}:24:8: {ATTR_LIST}"]),
    "attr_list without colon": ("A line {#id}", [f"{F}:24:8: {ATTR_LIST}"]),
    "attr_list key=value": ("A line { onmouseover=x }", [f"{F}:24:8: {ATTR_LIST}"]),
}


@pytest.mark.parametrize("case", list(BODY_CASES))
def test_body_problem(repo, case):
    line, expected = BODY_CASES[case]
    assert_golden(repo, body_case(line), expected)


def test_several_body_problems_on_one_line_and_across_lines(repo):
    body = "Fine.\n<b>bold</b> and [x](javascript:y)\nfine\n--8<-- \"a\"\n"
    assert_golden(repo, story(body=body), [
        f"{F}:23:1: {BODY_HTML}",
        f"{F}:23:21: {BAD_LINK}",
        f"{F}:25:1: body: snippet markers (--8<--) are not allowed in a story (remove them)",
    ])


def test_html_in_front_matter_strings(repo):
    text = story(title="Hello <b>there</b>", summary="She said &lt;hi&gt;.",
                 reflection="\n  - What helps?\n  - <script>alert(1)</script>")
    angle = 'contains "<", which is not allowed in this field (it could be read as HTML; write the words instead, e.g. "less than")'
    assert_golden(repo, text, [
        f"{F}:2:8: title: {angle}",
        f'{F}:7:10: summary: contains the HTML code "&lt;" (write what it stands for: '
        '"&" instead of "&amp;", and words such as "less than" instead of "&lt;")',
        f"{F}:13:5: reflection[2]: {angle}",
    ])


# ---- accepted as they should be ------------------------------------------------------------

ACCEPTED = {
    "utf-8 bom": "\ufeff" + story(),
    "crlf": story().replace("\n", "\r\n"),
    "bom and crlf": "\ufeff" + story().replace("\n", "\r\n"),
    "non-ascii text": story(person="Zoë", title="Café, crème brûlée and Łódź",
                            body="Ich war müde — “so müde” — and I said ‘no’.\n"),
    "emoji in the body": story(body="I felt 😀 and then 💛 and 🧡.\n"),
    "jinja in the body": story(body='{{ config }} and {% include "x" %} and {# note #} and {{ 7*7 }}\n'),
    "plain markdown": story(body="*Slowly*, **very** slowly.\n\n> A quote.\n\n- a list\n- [a link](https://example.com)\n"),
    "quoted yes/no text": story(person='"Yes"', title="'12'"),
    "optional reviewer": story(reviewer="\n  name: Dr Ann Lee\n  role: Clinical psychologist"),
}


@pytest.mark.parametrize("case", list(ACCEPTED))
def test_accepted(repo, case):
    code, out, err = run(repo, write(repo, ACCEPTED[case]))
    assert (code, out.strip(), err) == (0, "The story is valid.", ""), out


def test_bom_and_crlf_keep_positions(repo):
    """Positions in a BOM + CRLF file are the lines an editor shows."""
    text = "\ufeff" + story(person="12").replace("\n", "\r\n")
    assert_golden(repo, text, [
        f"{F}:3:9: person: must be text, not a number "
        "(put it in quotes if it looks like a number, date or yes/no)"])


# ---- all problems, all files, one run ------------------------------------------------------------

def test_all_problems_in_all_files_are_reported_in_one_run(repo):
    """Schema, vocabulary, consent, text and body problems of two files, all in one run."""
    write(repo, story(person="12", reviewed="2024-02-30", themes="[vulnerabilty]",
                      body="Hi <script>x</script>\n"), "aaa-first.md")
    write(repo, story(title=None, consent="\n  permission: false\n  deidentified: true\n  others_deidentified: true",
                      hide="[toc]", body="[x](javascript:alert(1))\n"), "zzz-last.md")
    code, out, err = run(repo)  # no path: the whole stories/ folder
    assert code == 1 and "Traceback" not in out + err
    a, z = "stories/aaa-first.md", "stories/zzz-last.md"
    assert problem_lines(out) == [
        f"{a}:3:9: person: must be text, not a number (put it in quotes if it looks like a number, date or yes/no)",
        f'{a}:6:10: themes: "vulnerabilty" is not a known theme id. Did you mean "vulnerability"? '
        f'Allowed: {taxonomy_ids("themes")} (new ids go in stories/taxonomy.yml)',
        f'{a}:19:11: reviewed: "2024-02-30" is not a real date (use YYYY-MM-DD, e.g. 2026-11-27)',
        f"{a}:22:4: {BODY_HTML}",
        f"{z}:2:1: title: is missing (add a line `title: ...`; see stories/_template.md)",
        f"{z}:15:15: consent.permission: cannot publish without the storyteller's permission to publish "
        "this text (set it to true only once that is so; see the Contribute page)",
        f"{z}:19:1: hide: {PAGE_SETTING}",
        f"{z}:22:5: {BAD_LINK}",
    ]
    assert "8 problems found." in out


def test_a_broken_file_does_not_hide_the_others(repo):
    write(repo, b"\xff\xfe not utf-8", "aaa.md")
    write(repo, "no front matter\n", "bbb.md")
    write(repo, story(person="12"), "ccc.md")
    code, out, _ = run(repo)
    assert code == 1
    assert [line.split(":")[0] for line in problem_lines(out)] == ["stories/aaa.md", "stories/bbb.md",
                                                                   "stories/ccc.md"]


# ---- GitHub annotations ----------------------------------------------------------------------------

def test_github_annotations_in_actions(repo, monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    code, out, _ = run(repo, write(repo, story(person="12", summary="100% <b>sure</b>")))
    assert code == 1
    assert out.splitlines()[:4] == [
        f"{F}:3:9: person: must be text, not a number (put it in quotes if it looks like a number, date or yes/no)",
        "::error file=stories/x.md,line=3,col=9::person: must be text, not a number "
        "(put it in quotes if it looks like a number, date or yes/no)",
        f'{F}:7:10: summary: contains "<", which is not allowed in this field (it could be read as HTML; '
        'write the words instead, e.g. "less than")',
        '::error file=stories/x.md,line=7,col=10::summary: contains "<", which is not allowed in this field '
        '(it could be read as HTML; write the words instead, e.g. "less than")',
    ]


def test_github_annotation_for_a_whole_file_problem(repo, monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    code, out, _ = run(repo, write(repo, story(), "Bad.md"))
    assert f'::error file=stories/Bad.md,line=1,col=1::file name: "Bad.md" {NAME_FIX}' in out.splitlines()


def test_github_annotation_escapes_percent(repo, monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    code, out, _ = run(repo, write(repo, story(domains="[100%-romantic]")))
    assert code == 1
    annotation = [line for line in out.splitlines() if line.startswith("::error")]
    assert annotation == ['::error file=stories/x.md,line=5,col=11::domains: "100%25-romantic" is not a known '
                          'domain id. Did you mean "romantic"? Allowed: romantic, parenting, family, friendship, '
                          'workplace (new ids go in stories/taxonomy.yml)']


def test_no_annotations_outside_actions(repo, monkeypatch):
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    code, out, _ = run(repo, write(repo, story(person="12")))
    assert code == 1 and "::error" not in out


# ---- end to end: the real command, as a contributor runs it ------------------------------------------------

def test_end_to_end_hostile_files_no_traceback(repo, tmp_path, monkeypatch):
    marker = tmp_path / "pwned"
    write(repo, story(title=f'!!python/object/apply:os.system ["touch {marker}"]'), "a-tag.md")
    write(repo, billion_laughs(), "b-laughs.md")
    write(repo, story().encode("utf-8") + b"\xc3\x28\n", "c-bytes.md")
    write(repo, story(body="<script>alert(1)</script>\n"), "d-script.md")
    write(repo, story(consent="!!python/name:os.system"), "e-name.md")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    result = check(repo, "check")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output and "internal error" not in output
    assert not marker.exists()
    for name in ("a-tag", "b-laughs", "c-bytes", "d-script", "e-name"):
        assert f"stories/{name}.md:" in result.stdout
        assert f"::error file=stories/{name}.md,line=" in result.stdout
    assert "5 problems found." in result.stdout


def test_end_to_end_valid_paths_given_relative_to_the_repository():
    """`python -m macros check stories/<file>.md` from the repository root (pre-commit passes such paths)."""
    root = Path(__file__).resolve().parent.parent
    story_file = sorted(p for p in (root / "stories").glob("*.md") if not p.name.startswith("_"))[0]
    result = check(root, "check", f"stories/{story_file.name}")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "The story is valid."
    assert os.path.isfile(root / "stories" / story_file.name)
