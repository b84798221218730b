"""Same rules, same words: the "Write a story" page and `python -m macros check`.

Each case is what a storyteller could type into the form. The page (write.js with the
built site's story-rules.json, in Chromium) makes the story file and its own verdict;
the Python check then reads that very file. Both must agree, problem by problem.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from macros.read.handbook import load_taxonomy
from macros.read.model import REFLECTION_MAX, SUMMARY_MAX, THEMES_MAX
from tests.browser import goto
from tests.commands import run_macros

ROOT = Path(__file__).resolve().parent.parent
TAXONOMY = load_taxonomy(ROOT)[0]
CHAPTER, DOMAINS, THEMES, NOTES = (TAXONOMY.ids(k) for k in ("chapters", "domains", "themes", "content_notes"))
CONSENT = {"permission": True, "deidentified": True, "others_deidentified": True}


def story(**changes) -> dict:
    values = {"person": "Ana", "title": "Learning to Ask", "chapter": CHAPTER[0], "domains": DOMAINS[:1],
              "themes": THEMES[:1], "summary": "Ana learned to ask her sister for help.",
              "shift": {"from": "Doing it all alone.", "to": "Asking for help."},
              "reflection": ["Who do you ask for help?", "What makes it hard?"], "content_notes": [],
              "consent": dict(CONSENT), "body": "I used to do it all myself.\n\nNow I ask."}
    for key, value in changes.items():
        if key.startswith(("shift_", "consent_")):
            parent, child = key.split("_", 1)
            values[parent] = {**values[parent], child: value}
        else:
            values[key] = value
    return values


LONG = "x" * (SUMMARY_MAX + 1)
CASES = {
    # good
    "good-plain": story(),
    "good-every-option": story(domains=DOMAINS[::-1], themes=THEMES[:THEMES_MAX], content_notes=NOTES[:2],
                               reflection=[f"Question {i}?" for i in range(1, REFLECTION_MAX + 1)]),
    "good-yaml-lookalikes": story(title="yes", person="Null", summary="2024-01-01",
                                  shift_from="123", shift_to="- a: b # c", reflection=["'quoted'?", '"double"?']),
    "good-unicode": story(person="Zoë", title="Ça va 🙂 — «fine»", summary="Her “story” in 中文 and emoji 🌊.",
                          body="Líneas en español.\n\nEmoji 🌊 and RTL: שלום."),
    "good-punctuation": story(title="From: anger \\ to: calm", summary="x = y; a & b; 50% #1 @home!",
                              shift_from="{not a map}", shift_to="[not a list]"),
    "good-person-hyphen-apostrophe": story(person="Anne-Marie", title="O'Brien's way"),
    "good-body-mailto-and-https": story(body="Write to [me](mailto:ana@example.org) or see "
                                             "[this](https://example.org/page)."),
    "good-summary-at-limit": story(summary="x" * SUMMARY_MAX),
    "good-summary-emoji-at-limit": story(summary="🌊" * SUMMARY_MAX),
    "good-markdown-body": story(body="Some *words*.\n\n- one\n- two\n\nA [link](https://example.org) and data: prose."
                                     "\n\n> a quote\n\n---\n\nAfter a rule."),
    "good-blank-question-skipped": story(reflection=["First?", "", "  ", "Second?"]),
    "good-spaces-trimmed": story(title="  Spaced  ", person=" Ana ", summary="  Trimmed.  "),
    "good-crlf-body": story(body="Line one.\r\n\r\nLine two.\r\n"),
    "good-odd-spaces-trimmed": story(title="\ufeff\u00a0Title\u0085\u2003", person="\u3000Ana\x1f"),
    # empty or missing choices
    "bad-title-empty": story(title=""),
    "bad-title-blank": story(title="   "),
    "bad-title-odd-spaces": story(title="\x1c\u0085\u00a0"),
    "bad-person-empty": story(person=""),
    "bad-chapter-none": story(chapter=""),
    "bad-domains-none": story(domains=[]),
    "good-themes-left-to-editors": story(themes=[]),
    "good-editorial-left-to-editors": story(themes=[], summary="", shift_from="", shift_to="", reflection=[]),
    "bad-themes-too-many": story(themes=THEMES[:THEMES_MAX + 1]),
    "good-summary-left-to-editors": story(summary=""),
    "bad-summary-long": story(summary=LONG),
    "bad-summary-emoji-long": story(summary="🌊" * (SUMMARY_MAX + 1)),
    "bad-shift-from-empty": story(shift_from=""),            # one half: the other is asked for
    "bad-shift-to-empty": story(shift_to=" "),
    "good-reflection-left-to-editors": story(reflection=[]),
    "bad-reflection-one": story(reflection=["Only one?", "", ""]),
    "bad-reflection-five": story(reflection=["1?", "2?", "3?", "4?", "5?"]),
    # placeholders and HTML in fields
    "bad-title-todo": story(title="TODO the story's title"),
    "bad-person-html": story(person="<b>Ana</b>"),
    "bad-summary-entity": story(summary="Fish &amp; chips."),
    "bad-summary-numeric-entity": story(summary="An &#x41; entity."),
    "bad-shift-from-todo": story(shift_from="TODO the old pattern"),
    "bad-reflection-html": story(reflection=["Fine?", "<i>Not</i> fine?"]),
    "bad-title-todo-and-html": story(title="TODO <b>x</b>"),
    "bad-summary-long-and-todo": story(summary="TODO " + LONG),
    "bad-shift-to-comment": story(shift_to="<!-- hidden -->"),
    # the story text
    "bad-body-empty": story(body=""),
    "bad-body-blank": story(body=" \n\n  \n"),
    "bad-body-placeholder": story(body="TODO: replace this paragraph with the storyteller's own words."),
    "bad-body-script": story(body="Fine.\n\n<script>alert(1)</script>"),
    "bad-body-javascript-link": story(body="A [link](javascript:alert(1)) here."),
    "bad-body-data-reference": story(body="Text.\n\n[x]: data:text/html,hi"),
    "bad-body-autolink": story(body="See <javascript:alert(1)>."),
    "bad-body-vbscript-upper": story(body="[x]( VBScript:msgbox)"),
    "bad-body-snippet": story(body="--8<-- \"/etc/passwd\""),
    "bad-body-attr-list": story(body="A paragraph.\n{: .x }"),
    "bad-body-attr-id": story(body="## Heading {#id}"),
    "bad-body-attr-handler": story(body="Text { onclick=alert(1) }"),
    "bad-body-several-lines": story(body="<b>one</b>\n\ntwo\n\n<i>three</i> and [x](file:///etc)"),
    # invisible characters (issue 19): named by the page as by the check; the file escapes them in values
    "bad-body-zero-width": story(body="I said it\u200b twice."),
    "bad-body-line-separator": story(body="One line\u2028reviewed: 2026-01-01"),
    "bad-body-bidi-override": story(body="Fine \u202eenif"),
    "bad-title-zero-width": story(title="A\u200bB"),
    "good-body-emoji-and-persian-joiners": story(body="👩\u200d💻 at work; می\u200cخواهم."),
    # consent
    "bad-consent-permission": story(consent_permission=False),
    "bad-consent-deidentified": story(consent_deidentified=False),
    "bad-consent-others": story(consent_others_deidentified=False),
    "bad-consent-none": story(consent={}),
    # rules the check may have or not (i9a's intake rules): the verdict follows the check, the words must match
    "any-summary-angle": story(summary="3 > 2 and 1 < 2."),
    "any-title-tab": story(title="Tab\there"),
    "any-title-bidi-override": story(title="abc\u202edef"),
    "any-summary-newline": story(summary="one\ntwo"),
    "any-person-two-words": story(person="Ana Maria"),
    "any-person-digit": story(person="Ana2"),
    "any-body-heading": story(body="# A heading\n\nText."),
    "any-body-image": story(body="![x](https://example.org/a.png)"),
    "any-body-reference-https": story(body="Text.\n\n[x]: https://example.org"),
    "any-body-http-link": story(body="[x](http://example.org)"),
    "any-body-relative-link": story(body="[x](/etc/passwd) and [y](//evil.example)"),
    "any-body-long-line": story(body="word " * 700),
    "any-body-deep-quote": story(body="> " * 9 + "deep"),
    "any-body-deep-list": story(body=" " * 16 + "- deep"),
    "any-body-section-name": story(body="Their story:\n\nWords."),
    # everything at once
    "bad-everything-empty": {"reflection": ["", "", "", ""], "consent": {}},
}

_LINE = re.compile(r"^(?P<path>\S+?\.md)(?::\d+:\d+)?: (?P<field>[^:]+?): (?P<message>.*)$")


def python_problems(files: dict[str, str], tmp: Path) -> tuple[dict[str, list], str]:
    """Run `python -m macros check` once over every file; problems per case name."""
    paths = []
    for name, text in files.items():
        path = tmp / f"{name}.md"
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    result = run_macros(ROOT, "check", *paths, timeout=300)
    found: dict[str, list] = {name: [] for name in files}
    for line in result.stdout.splitlines():
        match = _LINE.match(line)
        if match and match["field"] not in ("warning", "info"):
            found[Path(match["path"]).stem].append([match["field"], match["message"]])
    return found, result.stdout


@pytest.fixture(scope="module")
def page_verdicts(browser, site_server):
    page = browser.new_page()
    goto(page, site_server + "contribute/write/")
    page.evaluate("RipplesWrite.ready")
    out = page.evaluate("""cases => Object.fromEntries(Object.entries(cases).map(([name, v]) =>
        [name, {text: RipplesWrite.storyText(v, "2026-01-01"), problems: RipplesWrite.validate(v)}]))""", CASES)
    page.close()
    return out


def test_corpus_covers_good_and_bad(page_verdicts):
    good = [n for n in CASES if n.startswith("good")]
    assert len(CASES) >= 40 and len(good) >= 8
    assert all(not page_verdicts[n]["problems"] for n in good)
    assert all(page_verdicts[n]["problems"] for n in CASES if n.startswith("bad"))


def test_page_and_check_agree_field_by_field(page_verdicts, tmp_path):
    files = {name: v["text"] for name, v in page_verdicts.items()}
    python, output = python_problems(files, tmp_path)
    differ = {name: {"page": sorted(page_verdicts[name]["problems"]), "check": sorted(python[name])}
              for name in CASES if sorted(page_verdicts[name]["problems"]) != sorted(python[name])}
    assert differ == {}, json.dumps(differ, indent=1, ensure_ascii=False)


def test_every_rule_is_exercised(page_verdicts):
    """Each message the rules file carries is produced by at least one case."""
    import json
    from macros.read.handbook import load_handbook
    from macros.render.rules import story_rules
    rules = story_rules(load_handbook(ROOT)[0])
    given = {m for v in page_verdicts.values() for _, m in v["problems"]}
    templates = list(rules["messages"].values()) + [r["message"] for r in rules["body_rules"]]
    text, person, lines = rules["text_rule"] or {}, rules["person_rule"] or {}, rules["line_rules"] or {}
    templates += [text[k] for k in ("angle", "newline", "invisible") if k in text] + \
        ([text["entity"]["message"]] if text else []) + [person[k] for k in ("words", "letters") if k in person] + \
        [lines[k] for k in ("too_long", "http", "not_full", "too_deep", "section") if k in lines]
    unused = [t for t in templates if not any(re.fullmatch(re.sub(r"\\\{\w+\\\}", ".+?", re.escape(t)), m)
                                              for m in given)]
    assert unused == [], json.dumps(unused, indent=1)


def test_a_good_file_passes_the_check_alone(page_verdicts, tmp_path):
    path = tmp_path / "ana-learning-to-ask.md"
    path.write_text(page_verdicts["good-yaml-lookalikes"]["text"], encoding="utf-8")
    result = run_macros(ROOT, "check", path, timeout=120)
    assert result.returncode == 0, result.stdout
    assert "The story is valid." in result.stdout
