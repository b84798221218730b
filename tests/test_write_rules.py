"""The rules file for /contribute/write/ comes from the Python check, and the page
follows the project's rules (no inline code or styles, plain editorial words)."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from macros.render import rules
from macros.read import validate
from macros.read.handbook import load_handbook
from macros.read.model import SUMMARY_MAX, THEMES_MAX
from macros.read.readability import grade
from macros.read.textrules import char_name
from macros.render.formwords import CONSENT, FORM_WORDS, GROUPS, HELP

ROOT = Path(__file__).resolve().parent.parent
HB = load_handbook(ROOT)[0]


def test_the_built_rules_file_is_the_python_export(built_site):
    import yaml

    class Loader(yaml.SafeLoader):
        pass
    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    extra = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)["extra"]
    built = json.loads((built_site / rules.RULES_URI).read_text(encoding="utf-8"))
    assert built == json.loads(rules.rules_json(load_handbook(built_site.parent)[0], extra))
    assert built["repository"] == extra["repository"] and built["branch"] == extra["branch"]
    assert built["contact_email"] == HB.settings.contact_email


def test_messages_are_the_checks_own_words():
    r = rules.story_rules(HB)
    assert r["summary_max"] == SUMMARY_MAX and r["themes_max"] == THEMES_MAX
    assert str(SUMMARY_MAX) in r["messages"]["summary_long"] and "{n}" in r["messages"]["summary_long"]
    assert r["messages"]["consent.permission"].startswith("cannot publish without " + validate.CONSENT_TEXT["permission"])
    assert [b["source"] for b in r["body_rules"]][0] == validate._HTML.pattern
    assert {c["id"] for c in r["vocabulary"]["themes"]} == set(HB.taxonomy.ids("themes"))


def test_a_changed_limit_reaches_the_page(monkeypatch):
    monkeypatch.setattr(validate, "SUMMARY_MAX", 150)
    assert "the limit is 150" in rules.messages(HB.taxonomy)["summary_long"]


def test_python_patterns_become_javascript_patterns():
    assert rules.js_pattern(re.compile(r"^x", re.M)) == {"source": "^x", "flags": "m"}
    assert rules.js_pattern(re.compile(r"(?i)1\+2")) == {"source": r"1\+2", "flags": "i"}
    # Python's own classes, not the browser's: \s is str.isspace() (U+001C yes, U+FEFF no)
    spaced = rules.js_pattern(re.compile(r"a\s+b"))
    assert spaced["flags"] == "u" and "\\u{1C}" in spaced["source"] and "FEFF" not in spaced["source"]
    # IGNORECASE: the non-ASCII letters Python's re takes for ASCII ones (ſ for s, ı and İ for i)
    folded = rules.js_pattern(re.compile(r"(?i)si"))
    assert folded == {"source": "[s\\u{17F}][i\\u{130}\\u{131}]", "flags": "iu"}


def _page_looks(rule: dict):
    """The look of a character as the page reads the exported tables (write.js lookalikeTables)."""
    def turned(by_look):
        return {c: look for look, chars in by_look.items() for c in chars}
    as_written, folded = turned(rule["looks"]), turned(rule["folded"])
    vanish = {chr(n) for a, b in re.findall(r"\\u\{([0-9A-F]+)\}(?:-\\u\{([0-9A-F]+)\})?", rule["vanish"])
              for n in range(int(a, 16), int(b or a, 16) + 1)}

    def looks(char: str) -> tuple[str, str]:
        first = "" if char in vanish else as_written.get(char, char)
        return first, "" if char in vanish else folded.get(char, first)
    return looks


def test_the_look_alike_table_holds_every_character_that_can_matter():
    """Every code point: the page's table gives the check's look of it, or the check's look holds
    no character a key is made of (the page keeps such a character, which breaks a key just as
    the check's look does: tests/test_write_differential.py compares the keys themselves)."""
    rule = rules.story_rules(HB)["line_rules"]["lookalike"]
    matter = {" ", *"".join(rule["section_keys"]), *"".join(w for _, w in rule["claims"])}
    decor = {c for c in map(chr, range(0x110000)) if not 0xD800 <= ord(c) < 0xE000 and validate._DECOR.fullmatch(c)}
    page = _page_looks(rule)
    wrong = []
    for n in (*range(0xD800), *range(0xE000, 0x110000)):
        char = chr(n)
        check = (validate.look_of(char, False), validate.look_of(char, True))
        if page(char) != check and (char in matter | decor or "" in check or set("".join(check)) & (matter | decor)):
            wrong.append(f"U+{n:04X}")
    assert wrong == []
    assert page("ſ") == ("s", "s") and page("\u0405")[0] == "s" and page("m") == ("rn", "rn")


def test_every_character_a_section_look_alike_can_hold_is_named_as_the_check_names_it():
    rule = rules.story_rules(HB)["line_rules"]["lookalike"]
    names, previous, parts = {}, "", rule["names"].split("|")
    for head, rest in zip(parts[::2], parts[1::2]):
        previous = names[head[0]] = previous[:int(head[1:])] + rest
    for char in ("\u0405", "\U0001D400", "\u017F", "\u3000", "\ufe0f", "\u200d"):
        assert rule["char_name"].format(code=f"{ord(char):04X}", name=names[char]) == char_name(char)
    assert len(names) > 1000 and all(char_name(c) == f"U+{ord(c):04X} ({n})" for c, n in names.items())
    assert all(c in names for c in ("\u0405", "\u0455", "\U0001D42C", "\uff53", "\u00a0"))


def test_a_probe_that_finds_nothing_is_an_error():
    with pytest.raises(ValueError):
        rules.message(rules.probe(HB.taxonomy), "title")


def test_new_stories_follow_the_templates_reviewed_line(tmp_path):
    (tmp_path / "stories").mkdir()
    template = (ROOT / "stories" / "_template.md").read_text(encoding="utf-8")
    for line, expected in (("reviewed:", ""), ("reviewed:   # editors fill it in", ""),
                           ("reviewed: 2026-01-01", "today")):
        (tmp_path / "stories" / "_template.md").write_text(re.sub(r"(?m)^reviewed:.*$", line, template))
        assert rules.new_story_reviewed(tmp_path) == expected


def test_the_page_has_no_inline_script_handler_or_style(built_site):
    html = (built_site / "contribute" / "write" / "index.html").read_text(encoding="utf-8")
    ours = html[html.index('id="write-noscript"'):html.index('id="write-status"')]
    assert not re.search(r"<script|\son[a-z]+=|\sstyle=|javascript:", ours, re.I)
    assert "assets/write.js" in html and "assets/write.css" in html


def test_the_pages_words_are_plain():
    page = (ROOT / "docs" / "contribute" / "write.md").read_text(encoding="utf-8")
    prose = " ".join(line for line in page.split("\n")
                     if line and not line.startswith(("---", "description:", "{{", "#", "!!!")))
    words = [prose, *HELP.values(), *CONSENT.values(), *FORM_WORDS.values(), *(hint for _, hint in GROUPS.values())]
    grades = {text[:40]: grade(text) for text in words}
    assert {k: g for k, g in grades.items() if g > 8} == {}


FILE_SPEAK = ("stories/", "_template", " id", "below the closing", "set it to true", "Contribute page",
              "front matter")


def test_every_message_the_form_shows_speaks_about_the_form():
    """The check's messages for a file are said about the form before the page shows them."""
    r = rules.story_rules(HB)
    said = lambda field, m: r["form_words_for"].get(field, {}).get(m) or r["form_words"].get(m, m)  # noqa: E731
    shown = {f"{k}: {said(k, m)}" for k, m in r["messages"].items()} | {f"chapter: {said('chapter', r['messages']['empty'])}"}
    shown |= {r["too_big"]} | {rule["message"] for rule in r["body_rules"]}
    shown |= {v for k, v in r["line_rules"].items() if isinstance(v, str)} | {r["line_rules"]["underline"]["message"]}
    assert [m for m in shown if any(s in m for s in FILE_SPEAK)] == []
    assert "16,000 words" in r["too_big"]
