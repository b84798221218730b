"""Issue 9, intake safety: golden tests for every rule a hostile or careless pull
request meets. Each asserts the exact problem line (file:line:col: field: message
(fix)), the exit code and that no traceback is printed. The same check runs in
the build (tests/test_intake_build.py proves the build reports the same lines).
"""
from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from storyfile import story, write
from macros.cli.main import main

F = "stories/x.md"
TODAY = "2026-11-27"
ANGLE = ('contains "<", which is not allowed in this field (it could be read as HTML; write the words instead, '
         'e.g. "less than")')
LINES = ("runs over more than one line or holds a blank line (write it as one line of text; "
         "a value may not carry extra Markdown or paragraphs)")


def run(repo: Path, *args: str, env: dict | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["--root", str(repo), "check", "--today", TODAY, *args], out=out, err=err)
    assert "Traceback" not in out.getvalue() + err.getvalue()
    return code, out.getvalue(), err.getvalue()


def problems(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.startswith(("stories/", "./"))]


def golden(repo: Path, expected: list[str], *paths: Path) -> str:
    code, out, err = run(repo, *map(str, paths))
    assert (problems(out), code, err) == (expected, 1, ""), out + err
    n = len(expected)
    assert f"{n} problem{'s' if n != 1 else ''} found." in out
    return out


def edit(repo: Path, name: str, old: str, new: str) -> None:
    path = repo / "stories" / name
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def edit_line(repo: Path, name: str, old: str, new: str) -> None:
    """Replace the whole first line containing `old` (keeping its indentation) by `new`."""
    path = repo / "stories" / name
    lines = path.read_text(encoding="utf-8").split("\n")
    i = next(n for n, line in enumerate(lines) if old in line)
    lines[i] = lines[i][:len(lines[i]) - len(lines[i].lstrip())] + new
    path.write_text("\n".join(lines), encoding="utf-8")


# ---- 1. one text rule for stories and data files ---------------------------------------------

STORY_TEXT = {
    "unclosed tag in title": (story(title='"Zoe <img src=x onerror=alert(1)"'), [f"{F}:2:8: title: {ANGLE}"]),
    "greater-than in summary": (story(summary="Zoe was > angry."),
                                [f'{F}:7:10: summary: contains ">", which is not allowed in this field (it could '
                                 'be read as HTML; write the words instead, e.g. "less than")']),
    "blank line in a block scalar": (story(summary="|\n  One.\n\n  [x]: https://evil.example"),
                                     [f"{F}:7:10: summary: {LINES}"]),
    "escape character": (story(title='"Zoe\\e[31m"'),
                         [f"{F}:2:8: title: contains the invisible control character U+001B "
                          "(delete it, or retype the value)"]),
    "bidi override": (story(title='"Zoe \\u202e txet"'),
                      [f"{F}:2:8: title: contains the invisible control character U+202E "
                       "(delete it, or retype the value)"]),
    "reviewer name with a tag": (story(reviewer="\n  name: <b>Dr X</b>\n  role: Psychologist"),
                                 [f"{F}:21:9: reviewer.name: {ANGLE}"]),
}


def test_the_invisible_character_class_is_exactly_the_rule():
    """text_problem scans with one regex; alone, a character is refused exactly when the rule
    names it: Unicode's controls but the newline, the refused set (format characters, line and
    paragraph separators, fillers), and the joiners and tags (kept only beside other characters)."""
    import unicodedata
    from macros.read import textrules
    named = textrules._INVISIBLE | textrules._TAGS | set(textrules.JOINERS)
    differ = [f"U+{ord(c):04X}" for c in map(chr, range(0x110000))
              if (textrules.hidden(c) is not None)
              != (c in named or (unicodedata.category(c) == "Cc" and c != "\n"))]
    assert differ == []
    assert textrules.hidden("\x00") and not textrules.hidden("a\nb")


@pytest.mark.parametrize("case", STORY_TEXT)
def test_story_text_rule(repo, case):
    text, expected = STORY_TEXT[case]
    golden(repo, expected, write(repo, text))


DATA_TEXT = {
    "taxonomy name": ("taxonomy.yml", "name: ", 'name: "Romantic <img src=x onerror=alert(1)"', "name", ANGLE),
    "glossary definition with a blank line": (
        "glossary.yml", "definition: ", 'definition: "A name\\n\\n[evil]: https://evil.example\\n\\nfor the way"',
        "definition", LINES),
    "pathway introduction": ("pathways.yml", "introduction: ", "introduction: Read > this.", "introduction",
                             'contains ">", which is not allowed in this field (it could be read as HTML; '
                             'write the words instead, e.g. "less than")'),
    "handbook disclaimer": ("handbook.yml", "disclaimer: ", "disclaimer: <script>These", "disclaimer", ANGLE),
    "crisis title": ("handbook.yml", "title: In crisis", 'title: "In crisis <b>"', "crisis.title", ANGLE),
}


@pytest.mark.parametrize("case", DATA_TEXT)
def test_data_file_text_rule(repo, case):
    name, old, new, field, message = DATA_TEXT[case]
    edit_line(repo, name, old, new)
    code, out, err = run(repo)
    lines = problems(out)
    assert code == 1 and err == "" and len(lines) == 1, out
    assert lines[0].startswith(f"stories/{name}:") and lines[0].endswith(f"{field}: {message}"), lines[0]


@pytest.mark.parametrize("href", ["javascript:alert(1)", "http://example.org", "data:text/html,x", "//evil.example",
                                  "tel:988 or more"])
def test_crisis_href_is_tel_sms_or_https(repo, href):
    text = (repo / "stories" / "handbook.yml").read_text(encoding="utf-8")
    line = text[:text.index('href: "tel:988"')].count("\n") + 1
    edit(repo, "handbook.yml", 'href: "tel:988"', f'href: "{href}"')
    code, out, _ = run(repo)
    assert code == 1
    assert (f"stories/handbook.yml:{line}:13: crisis.lines.0.href: must start with tel:, sms: or https:// "
            "(a phone number after tel: or sms:, or a web page)") in out.splitlines(), out


def test_crisis_href_sms_is_accepted(repo):
    edit(repo, "handbook.yml", 'href: "tel:988"', 'href: "sms:988"')
    assert run(repo)[0] == 0


# ---- 2. bounded work: line length and nesting ------------------------------------------------

def test_line_length_cap(repo):
    golden(repo, [f"{F}:22:3001: body: this line is 3,001 characters long; the limit is 3,000 "
                  "(split the paragraph with a blank line)"], write(repo, story(body="a" * 3001 + "\n")))


DEEP = "body: quotes or lists are nested more than 5 levels deep (use fewer > or less indentation)"


def test_quotes_nested_too_deep(repo):
    golden(repo, [f"{F}:22:1: {DEEP}"], write(repo, story(body="> " * 6 + "deep\n")))
    assert run(repo, str(write(repo, story(body="> " * 5 + "deep enough\n"))))[0] == 0


def test_lists_nested_too_deep(repo):
    body = "".join("  " * i + "- level\n" for i in range(7))
    golden(repo, [f"{F}:27:1: {DEEP}", f"{F}:28:1: {DEEP}"], write(repo, story(body=body)))


@pytest.mark.parametrize("nested", ["[" * 600 + "]" * 600, "{a: " * 600 + "1" + "}" * 600, "[" * 5000])
def test_yaml_nested_500_deep_is_a_clean_message(repo, nested):
    code, out, _ = run(repo, str(write(repo, story(themes=nested))))
    assert code == 1
    line = problems(out)[0]
    assert line.startswith(f"{F}:6:") and ("levels deep" in line or "too deeply" in line), out


def test_yaml_nested_indentation_in_a_data_file(repo):
    deep = "".join("  " * i + "a:\n" for i in range(500)) + "  " * 500 + "b: 1\n"
    (repo / "stories" / "glossary.yml").write_text(deep, encoding="utf-8")
    code, out, _ = run(repo)
    assert code == 1
    assert ("stories/glossary.yml:21:41: yaml: lists or groups are nested more than 20 levels deep "
            "(a story needs two at most; remove the extra brackets or indentation)") in out.splitlines(), out


# ---- 3. only regular <id>.md files are stories ------------------------------------------------

LINK = "is a symbolic link; a story must be a regular file (replace the link with a copy of the file itself)"
FOLDER = "is a folder, not a story file (stories/ holds only story files; move the folder out)"


def test_symlink_to_an_outside_file(repo, tmp_path):
    secret = tmp_path / "secret.md"
    secret.write_text(story(), encoding="utf-8")
    (repo / "stories" / "leak.md").symlink_to(secret)
    golden(repo, [f"stories/leak.md: file: {LINK}"])
    golden(repo, [f"stories/leak.md: file: {LINK}"], repo / "stories" / "leak.md")


def test_dangling_symlink(repo):
    (repo / "stories" / "gone.md").symlink_to(repo / "stories" / "nowhere.md")
    golden(repo, [f"stories/gone.md: file: {LINK}"])
    golden(repo, [f"stories/gone.md: file: {LINK}"], repo / "stories" / "gone.md")


def test_symlink_to_a_device_is_never_read(repo):
    (repo / "stories" / "zero.md").symlink_to("/dev/zero")
    golden(repo, [f"stories/zero.md: file: {LINK}"])


def test_symlinked_data_file(repo, tmp_path):
    target = tmp_path / "glossary.yml"
    target.write_text((repo / "stories" / "glossary.yml").read_text(encoding="utf-8"), encoding="utf-8")
    (repo / "stories" / "glossary.yml").unlink()
    (repo / "stories" / "glossary.yml").symlink_to(target)
    code, out, _ = run(repo)
    assert code == 1 and f"stories/glossary.yml: file: {LINK}" in out.splitlines(), out


def test_folder_named_like_a_story(repo):
    (repo / "stories" / "folder.md").mkdir()
    golden(repo, [f"stories/folder.md: file: {FOLDER}"])
    golden(repo, [f"stories/folder.md: file: {FOLDER}"], repo / "stories" / "folder.md")


@pytest.mark.parametrize("name, fix", [("x.markdown", 'the extension ".markdown"'), ("x.MD", 'the extension ".MD"'),
                                       ("x.txt", 'the extension ".txt"'), ("x", "no extension")])
def test_other_extensions_are_problems(repo, name, fix):
    path = write(repo, story(), name)
    expected = [f"stories/{name}: file name: has {fix}; story files end in .md, in lowercase (rename it to x.md)"]
    golden(repo, expected)
    golden(repo, expected, path)


def test_case_variant_of_a_name(repo):
    path = write(repo, story(), "Zoe-story.md")
    expected = ['stories/Zoe-story.md: file name: "Zoe-story.md" is not a valid story file name (use only lowercase '
                'letters a-z, digits and single hyphens, e.g. "sarah-from-anger-to-vulnerability.md")']
    golden(repo, expected, path)


def test_size_limit_reads_at_most_one_byte_more(repo, monkeypatch):
    from macros.read import loader
    path = write(repo, story(body="word\n" * 30_000))
    calls = []
    real = os.fdopen

    def spy(fd, *args, **kwargs):
        handle = real(fd, *args, **kwargs)
        read = handle.read
        handle.read = lambda n=-1: calls.append(n) or read(n)
        return handle
    monkeypatch.setattr(loader.os, "fdopen", spy)
    raw, found = loader.read_story(path, F)
    assert raw is None and calls == [loader.MAX_BYTES + 1]
    assert found[0].message.startswith(f"the file is {path.stat().st_size:,} bytes; the limit is 100,000")


# ---- 4. what the build would trip on ---------------------------------------------------------

def test_reserved_id_index(repo):
    golden(repo, ['stories/index.md: file name: "index" is reserved for the list of stories '
                  "(choose another file name)"], write(repo, story(), "index.md"))


def test_redirects_are_checked_against_every_output(repo):
    (repo / "stories" / "redirects.yml").write_text(
        "redirects:\n"
        "  - {from: /about/, to: /chapters/}\n"
        "  - {from: /assets/ripples.css/, to: /chapters/}\n"
        "  - {from: /old/, to: /nowhere/}\n"
        "  - {from: /a/../b/, to: /chapters/}\n"
        "  - {from: /x/, to: /./}\n", encoding="utf-8")
    code, out, _ = run(repo)
    assert code == 1
    lines = [line for line in out.splitlines() if line.startswith("stories/redirects.yml")]
    site_path = 'must be a site address like /stories/some-id/ (starting and ending with /, no "." or ".." parts)'
    assert lines == [
        f"stories/redirects.yml:5:12: redirects.3.from: {site_path}",
        f"stories/redirects.yml:6:21: redirects.4.to: {site_path}",
    ], out
    # The file's values are valid, but they name outputs the build writes or lacks.
    (repo / "stories" / "redirects.yml").write_text(
        "redirects:\n"
        "  - {from: /about/, to: /chapters/}\n"
        "  - {from: /assets/ripples.css/, to: /chapters/}\n"
        "  - {from: /old/, to: /nowhere/}\n", encoding="utf-8")
    code, out, _ = run(repo)
    lines = [line for line in out.splitlines() if line.startswith("stories/redirects.yml")]
    assert code == 1 and lines == [
        "stories/redirects.yml: redirects.0.from: /about/ is a page of the site: the redirect and the page would "
        "both publish /about/ (remove the redirect, or the page first)",
        "stories/redirects.yml: redirects.1.from: /assets/ripples.css/ is inside /assets, where the build writes "
        "its own files (redirect only old page addresses)",
        "stories/redirects.yml: redirects.2.to: the redirect from /old/ goes to /nowhere/, which is not a page of "
        "the site (point it at an existing page, e.g. the story's chapter)",
    ], out


FUTURE = "is in the future (write the date the review actually happened, today (2026-11-27) at the latest)"


@pytest.mark.parametrize("day, message", [
    ("2026-11-28", f"2026-11-28 {FUTURE}"),
    ("9999-12-31", f"9999-12-31 {FUTURE}"),
    ("1999-12-31", "1999-12-31 is before 2000 (check the year)"),
])
def test_review_date_range(repo, day, message):
    golden(repo, [f"{F}:19:11: reviewed: {message}"], write(repo, story(reviewed=day)))


def test_year_9999_in_overdue_mode_does_not_crash(repo):
    write(repo, story(reviewed="9999-12-31"))
    code, out, err = run(repo, "--overdue")
    assert code == 1 and "Traceback" not in out + err


# ---- 5. bodies ----------------------------------------------------------------------------------

NOT_HTTPS = ("is not a full https:// address with a host (write it as https://example.org/page; "
             "links starting with //, / or \\ are not allowed)")
BODY = {
    "protocol-relative": ("[x](//evil.example/a)", [f'{F}:22:5: body: the link "//evil.example/a" {NOT_HTTPS}']),
    "slash backslash": ("[x](/\\evil.example/a)", [f'{F}:22:5: body: the link "/\\evil.example/a" {NOT_HTTPS}']),
    "backslash": ("[x](\\\\evil.example)", [f'{F}:22:5: body: the link "\\\\evil.example" {NOT_HTTPS}']),
    "relative": ("[x](../about/)", [f'{F}:22:5: body: the link "../about/" {NOT_HTTPS}']),
    "https without a host": ("[x](https:///evil)", [f'{F}:22:5: body: the link "https:///evil" {NOT_HTTPS}']),
    "http": ("See [this](http://example.org).",
             [f"{F}:22:12: body: http: links are not allowed (use the secure https:// address of the same page)"]),
    "image": ("![a face](https://example.org/a.png)",
              [f"{F}:22:1: body: images are not allowed in a story (remove the image; describe it in words if "
               "it matters)"]),
    "heading": ("## My turn",
                [f"{F}:22:1: body: headings are not allowed in a story (the page adds its own sections; remove "
                 "the # and write the line as ordinary text)"]),
    "underlined heading": ("My turn\n=======", [f"{F}:23:1: body: a line of === or --- right under text makes a "
                                                "heading, which a story may not have (remove it; for a dividing "
                                                "line, leave a blank line above the ---)"]),
    "posing as the shift": ("**The shift**",
                            [f'{F}:22:1: body: "**The shift**" looks like one of the page\'s own editorial sections '
                             "(the storyteller's words cannot pose as one; remove the line or make it part of a "
                             "sentence)"]),
}


@pytest.mark.parametrize("case", BODY)
def test_body_rule(repo, case):
    body, expected = BODY[case]
    golden(repo, expected, write(repo, story(body=body + "\n")))


def test_heading_posing_as_an_editorial_section_is_refused_once_per_rule(repo):
    out = golden(repo, [
        f'{F}:22:1: body: "### The shift" looks like one of the page\'s own editorial sections (the storyteller\'s '
        "words cannot pose as one; remove the line or make it part of a sentence)",
        f"{F}:22:1: body: headings are not allowed in a story (the page adds its own sections; remove the # and "
        "write the line as ordinary text)"],
        write(repo, story(body="### The shift\n")))
    assert "The shift" in out


def test_good_links_pass(repo):
    body = "See [the NHS](https://www.nhs.uk/) or [write](mailto:stories@example.org).\n"
    assert run(repo, str(write(repo, story(body=body))))[0] == 0


# ---- 6. annotations under GITHUB_ACTIONS=true ----------------------------------------------------

def test_no_line_starts_a_workflow_command(repo, monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    hostile = '"x\\n::error file=a.py::pwned\\r::warning::b%0A:,"'
    write(repo, story(chapter=hostile, themes=f"[{hostile}]"))
    (repo / "stories" / "::evil.md").write_text(story(), encoding="utf-8")
    code, out, err = run(repo)
    assert code == 1 and err == ""
    commands = [line for line in out.splitlines() if line.lstrip().startswith("::")]
    assert len(commands) == 5 and all(line.startswith("::error file=stories/") for line in commands), commands
    shown = 'x\\n::error file=a.py::pwned\\r::warning::b%0A:,'  # the human line shows escapes, on one line
    assert f'stories/x.md:4:10: chapter: "{shown}" is not a known chapter id.' in out
    assert ('::error file=stories/x.md,line=4,col=10::chapter: "x%0A::error file=a.py::pwned%0D::warning::b%250A:," '
            "is not a known chapter id.") in out
    assert '::error file=stories/%3A%3Aevil.md,line=1,col=1::file name: "::evil.md" is not a valid' in out


def test_annotation_escapes_percent_cr_lf_and_property_characters():
    from macros.read.problems import Problem
    p = Problem("stories/a,b:c.md", 2, 3, "title", "100% sure\r\nnext")
    assert p.github() == "::error file=stories/a%2Cb%3Ac.md,line=2,col=3::title: 100%25 sure%0D%0Anext"
    assert str(p) == "stories/a,b:c.md:2:3: title: 100% sure\\r\\nnext"


def test_human_line_of_a_path_starting_with_colons():
    from macros.read.problems import Problem
    assert str(Problem("::x.md", 0, 0, "file", "bad")) == "./::x.md: file: bad"


# ---- 7. privacy and honesty ----------------------------------------------------------------------

def test_person_is_one_name(repo):
    golden(repo, [f'{F}:3:9: person: "Mira Jensen" is 2 words; write one given name or a pseudonym only, e.g. '
                  "\"Mira\" (the name becomes part of the story's permanent web address, so a surname would stay "
                  "public forever)"], write(repo, story(person="Mira Jensen")))


@pytest.mark.parametrize("person", ["Mira.", "M1ra", "Mira_J"])
def test_person_letters_only(repo, person):
    golden(repo, [f'{F}:3:9: person: "{person}" may contain only letters, a hyphen or an apostrophe (one given '
                  "name or a pseudonym, e.g. Zoe or Anne-Marie)"], write(repo, story(person=person)))


@pytest.mark.parametrize("person", ["Zoë", "Anne-Marie", "D'Arcy", "O’Neil", "Łucja"])
def test_person_accepted(repo, person):
    assert run(repo, str(write(repo, story(person=f'"{person}"'))))[0] == 0


def test_unreviewed_story_passes_with_a_note_that_it_waits(repo):
    path = write(repo, story(reviewed=None))
    code, out, _ = run(repo, str(path))
    assert code == 0, out
    assert ("info: stories/x.md: waiting for the editors, so the published site leaves it out for now (previews "
            "show it with a banner): no editorial review yet (an editor adds `reviewed:` and `reviewer:`). "
            "`make waiting` lists every story waiting") in out.splitlines()


def test_publish_mode_from_the_environment_never_refuses_a_waiting_story(repo, monkeypatch):
    path = write(repo, story(reviewed=""))
    monkeypatch.setenv("RIPPLES_PUBLISH", "1")
    code, out, _ = run(repo, str(path))
    assert code == 0 and problems(out) == [], out


def test_glossary_words_carry_no_markdown(repo):
    edit_line(repo, "glossary.yml", "term: ", 'term: "attachment]: https://evil.example ["')
    code, out, _ = run(repo)
    assert code == 1
    assert ("stories/glossary.yml:4:11: terms.0.term: may contain only letters, digits, spaces, hyphens and "
            "apostrophes (a word or a short phrase)") in out.splitlines(), out


def test_a_pipe_in_stories_is_not_read(repo):
    os.mkfifo(repo / "stories" / "pipe.md")
    golden(repo, ["stories/pipe.md: file: is not a regular file (a device, pipe or socket cannot be a story; "
                  "remove it)"])


# ---- `new` --------------------------------------------------------------------------------------

def new(repo: Path, person: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["--root", str(repo), "new", "--person", person, "--title", "Finding my voice",
                 "--chapter", "communication", "--domains", "romantic"], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_new_refuses_a_surname_and_writes_nothing(repo):
    code, _, err = new(repo, "Mira Jensen")
    assert code == 2 and 'usage error: --person "Mira Jensen" is 2 words; write one given name' in err
    assert not list((repo / "stories").glob("mira*"))


def test_new_leaves_reviewed_empty(repo):
    code, out, _ = new(repo, "Mira")
    assert code == 0, out
    text = (repo / "stories" / "mira-finding-my-voice.md").read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if line.startswith("reviewed:"))
    assert not any(ch.isdigit() for ch in line), line


@pytest.mark.parametrize("where", ["stories/_template.md", "docs/leak.md", "overrides/partials/leak.html"])
def test_no_link_anywhere_the_build_reads(repo, tmp_path, where):
    secret = tmp_path / "secret.txt"
    secret.write_text("secret", encoding="utf-8")
    path = repo / where
    if path.exists():
        path.unlink()
    path.symlink_to(secret)
    code, out, _ = run(repo)
    assert code == 1 and (f"{where}: file: is a symbolic link; the site is built only from regular files "
                          "(replace it with a copy)") in out.splitlines(), out


def test_a_taxonomy_id_that_claims_a_generated_address(repo):
    edit(repo, "taxonomy.yml", "- id: romantic\n", "- id: index\n")
    code, out, _ = run(repo)
    assert code == 1
    assert ("stories/taxonomy.yml: address: stories/taxonomy.yml (domains id index) and the list of all domains "
            "both publish /domains/ (rename or remove one of them)") in out.splitlines(), out
