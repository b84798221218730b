"""The story rules as data, for the "Write a story" page (assets/story-rules.json).

One source of rules: every limit, pattern and message here is taken from the
model and from macros/read/validate.py, never retyped. Messages are obtained by
running the real check on small probe stories, so a reworded message, a new
limit or a new taxonomy entry reaches the page with the next build.
overrides/assets/write.js applies these rules as the person types;
tests/test_write_parity.py proves both give the same verdict and messages.
"""
from __future__ import annotations

import functools
import json
import os
import re
import sys
from collections import defaultdict
from pathlib import Path

from macros.render import cache, jsregex
from macros.read import validate
from macros.read.handbook import Handbook
from macros.read.loader import MAX_BYTES, RawStory, split_front_matter
from macros.read.model import (REFLECTION_MAX, REFLECTION_MIN, SUMMARY_MAX, THEMES_MAX, YAML_KEYS, Consent,
                    FrontMatter, Shift, Taxonomy)
from macros.render.formwords import FORM_WORDS, FORM_WORDS_FOR, TOO_BIG, size_words
from macros.read.yamlsafe import parse

RULES_URI = "assets/story-rules.json"
GITHUB_URL_MAX = 8000    # GitHub answers 414 URI Too Long for much longer addresses
MAILTO_URL_MAX = 2000    # Outlook and older mail programs cut mailto: links near 2,048 characters
VOCABULARY = {"chapter": "chapters", "domains": "domains", "themes": "themes", "content_notes": "content_notes"}

# Body lines that break exactly one of validate.py's per-line body rules, to learn each rule's
# message. A rule whose pattern validate.py does not define (yet) is left out.
BODY_TRIGGERS = {"_HTML": "<b>x</b>", "_BAD_LINK": "[x](javascript:x)", "_SNIPPET": "--8<--",
                 "_ATTR_LIST": "{: .x}", "_IMAGE": "![x](https://example.org/x.png)",
                 "_REFERENCE": "[x]: https://example.org", "_HEADING": "# x"}


def js_pattern(pattern: re.Pattern | str, flags: str = "") -> dict:
    """A Python regex as a JavaScript RegExp source and flags: inline (?i) becomes the i flag,
    possessive quantifiers (*+ ++ ?+ }+, unknown to JavaScript) become greedy ones, and
    \\s, \\d, \\w and letters become Python's own classes (jsregex.py), with the u flag."""
    if isinstance(pattern, re.Pattern):
        flags += ("i" if pattern.flags & re.IGNORECASE else "") + ("m" if pattern.flags & re.MULTILINE else "")
        pattern = pattern.pattern
    inline = re.match(r"^\(\?([aiLmsux]+)\)", pattern)
    if inline:
        flags += "i" if "i" in inline.group(1) and "i" not in flags else ""
        pattern = pattern[inline.end():]
    source, spelt = jsregex.translate(_greedy(pattern), ignorecase="i" in flags)
    return {"source": source, "flags": flags + ("u" if spelt else "")}


def _greedy(source: str) -> str:
    """Drop the + of possessive quantifiers (outside character classes and escapes)."""
    out, in_class, escaped, after_quantifier = [], False, False, False
    for char in source:
        if escaped:
            out.append(char)
            escaped = after_quantifier = False
            continue
        if char == "+" and after_quantifier and not in_class:
            after_quantifier = False
            continue
        out.append(char)
        escaped = char == "\\"
        in_class = (in_class and char != "]") or (not in_class and char == "[")
        after_quantifier = not in_class and not escaped and char in "*+?}"
    return "".join(out)


def base_story(taxonomy: Taxonomy) -> dict:
    """A valid front matter: the starting point every probe changes one thing in."""
    return {"title": "A title", "person": "Ana", "chapter": taxonomy.ids("chapters")[0],
            "domains": taxonomy.ids("domains")[:1], "themes": taxonomy.ids("themes")[:1],
            "summary": "A summary.", "shift": {"from": "Old.", "to": "New."},
            "reflection": ["One?", "Two?"], "content_notes": [],
            "consent": {"permission": True, "deidentified": True, "others_deidentified": True},
            "reviewed": "2026-01-01"}


def probe(taxonomy: Taxonomy, body: str = "Words.", **changes) -> list[tuple[str, str]]:
    """(field, message) for each problem the real check finds in a changed base story."""
    data = base_story(taxonomy)
    for key, value in changes.items():
        if "__" in key:
            parent, child = key.split("__")
            data[parent] = {**data[parent], child: value}
        else:
            data[key] = value
    raw = RawStory("probe", "stories/probe.md", data, {}, body, 20, 1)
    return [(p.field, p.message) for p in validate.validate_story(raw, taxonomy)[1]]


def message(found: list[tuple[str, str]], field: str, number: int | None = None) -> str:
    """The one message for `field`; `number` is turned into the {n} slot."""
    texts = [m for f, m in found if f == field and (number is None or str(number) in m)]
    if len(texts) != 1:
        raise ValueError(f"the check gave {len(texts)} messages for {field} in a probe; expected 1: {found}")
    return texts[0].replace(str(number), "{n}", 1) if number is not None else texts[0]


def messages(taxonomy: Taxonomy) -> dict[str, str]:
    first_theme = taxonomy.ids("themes")[0]
    many = SUMMARY_MAX + 1
    out = {
        "empty": message(probe(taxonomy, title=""), "title"),
        "placeholder": message(probe(taxonomy, title=validate.PLACEHOLDER), "title"),
        "html": message(probe(taxonomy, title="<b>x</b>"), "title"),
        "summary_long": message(probe(taxonomy, summary="x" * many), "summary", many),
        "reflection_count": message(probe(taxonomy, reflection=["One?"]), "reflection", 1),
        "themes_many": message(probe(taxonomy, themes=[first_theme] * (THEMES_MAX + 1)), "themes", THEMES_MAX + 1),
        "domains_none": message(probe(taxonomy, domains=[]), "domains"),
        "body_empty": message(probe(taxonomy, body=""), "body"),
        "body_placeholder": message(probe(taxonomy, body=validate.BODY_PLACEHOLDER), "body"),
    }
    for flag in Consent.model_fields:
        out[f"consent.{flag}"] = message(probe(taxonomy, **{f"consent__{flag}": False}), f"consent.{flag}")
    return out


def body_rules(taxonomy: Taxonomy) -> list[dict]:
    return [{**js_pattern(getattr(validate, name)), "message": message(probe(taxonomy, body=line), "body")}
            for name, line in BODY_TRIGGERS.items() if hasattr(validate, name)]


def _slot(text: str, value: str, slot: str, inner: str | None = None) -> str:
    """`text` with `inner` (default: all) of `value` made a {slot}; refuses a message without the value."""
    if value not in text:
        raise ValueError(f"expected {value!r} in the check's message {text!r}")
    return text.replace(value, value.replace(inner or value, "{" + slot + "}"), 1)


def text_rule() -> dict | None:
    """macros/read/textrules.py's rule for single-line text, where it exists."""
    try:
        from macros.read import textrules
    except ImportError:
        return None
    says = textrules.text_problem
    entity = textrules._ENTITY
    in_file = textrules.hidden_message
    return {"angle": _slot(says("<"), '"<"', "c", "<"), "newline": says("a\nb"),
            "invisible": _slot(says("\x01"), "U+0001", "c", "0001"), "invisible_chars": sorted(textrules._INVISIBLE),
            # A line of the story text: the check's message for each refused character, named.
            "in_file": {"invisible": _slot(in_file("\u200b"), textrules.char_name("\u200b"), "c"),
                        "line_break": _slot(in_file("\u2028"), textrules.char_name("\u2028"), "c"),
                        "line_breaks": sorted(textrules.LINE_BREAKS),
                        # Joiners and tag characters are refused where they stand alone.
                        "names": {c: textrules.char_name(c) for c in sorted({
                            *textrules._INVISIBLE, *textrules.LINE_BREAKS, *textrules.JOINERS,
                            *getattr(textrules, "_TAGS", ())})}},
            "entity": {**js_pattern(entity), "message": _slot(says("&amp;"), '"&amp;"', "c", "&amp;")},
            # The very patterns the check scans with (group 1: an allowed emoji flag), where they exist.
            **({"hidden_value": js_pattern(textrules._IN_VALUE), "hidden_file": js_pattern(textrules._IN_FILE)}
               if hasattr(textrules, "_IN_FILE") else {})}


def person_rule() -> dict | None:
    """validate.person_rule (one given name), where it exists."""
    rule, pattern = getattr(validate, "person_rule", None), getattr(validate, "_PERSON", None)
    if rule is None or pattern is None:
        return None
    words = rule("Ana Maria Lopez")
    for value, slot, inner in (('"Ana Maria Lopez"', "person", "Ana Maria Lopez"), ("is 3 words", "n", "3"),
                               ('"Ana"', "first", "Ana")):
        words = _slot(words, value, slot, inner)
    return {**js_pattern(pattern), "words": words, "letters": _slot(rule("Ana1"), '"Ana1"', "person", "Ana1")}


def line_rules() -> dict | None:
    """The rest of validate.line_problems (line length, link targets, nesting depth, section names)."""
    lines = getattr(validate, "line_problems", None)
    if lines is None:
        return None
    from macros.read.sections import STORY_SECTIONS
    from macros.read.storymd import MAX_DEPTH
    longest, section = validate.MAX_LINE, next(iter(STORY_SECTIONS.values()))
    schemes = re.search(r"\((?:\w+\|)+\w+\)", validate._BAD_LINK.pattern).group()
    only = lambda line: [m for _, m in lines(line)][0]  # noqa: E731
    return {"max_line": longest, "too_long": _slot(only("x" * (longest + 1)), f"{longest + 1:,}", "n"),
            "target": js_pattern(validate._TARGET), "good_target": js_pattern(validate._GOOD_TARGET),
            "http": validate._link_problem("http://example.org"),
            "bad_scheme": {**js_pattern(r"\s*" + schemes + ":", "i"), "message": validate._link_problem("data:x")},
            "not_full": _slot(validate._link_problem("/x"), '"/x"', "target", "/x"),
            "depth": js_pattern(validate._DEPTH), "list_indent": js_pattern(validate._LIST_INDENT),
            "max_depth": MAX_DEPTH, "too_deep": only(">" * (MAX_DEPTH + 1) + " x"),
            "decor": js_pattern(validate._DECOR), "sections": sorted(validate._section_names()),
            "underline": {**js_pattern(validate._UNDERLINE), "message": validate.UNDERLINE},
            "section": _slot(only(section), f'"{section}"', "line", section), "lookalike": lookalike_rule()}


def _looks(matter: set[str]) -> dict[str, tuple[str, str]]:
    """validate.lookalike_char for each character whose look differs from itself and touches
    `matter` (the characters of the keys, decoration, spaces), or vanishes. Any other character
    looks like characters none of which can be part of a key: the page keeps it as it is, which
    breaks a key at the same place (a smaller table than every confusable, same verdicts)."""
    found = {}
    for char in _changed(jsregex._every_character()):
        pair = validate.lookalike_char(char)
        if pair != (char, char) and (char in matter or "" in pair or set("".join(pair)) & matter):
            found[char] = pair
    return found


def _changed(text: str, size: int = 4096):
    """The characters of `text` whose look may differ from themselves, found by halving the
    pieces whose look as a whole differs (most of Unicode looks like itself: a fast build)."""
    for start in range(0, len(text), size):
        piece = text[start:start + size]
        if any(validate.look_of(piece, folded) != piece for folded in (False, True)):
            yield from (piece if size == 1 else _changed(piece, max(1, size // 16)))


def _decoration() -> set[str]:
    return set("".join(validate._DECOR.findall(jsregex._every_character())))


def _ranges(chars) -> str:
    """Characters as JavaScript class ranges (the u flag)."""
    runs: list[list[int]] = []
    for n in sorted(map(ord, chars)):
        if runs and runs[-1][1] == n - 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    return "".join(jsregex._code(a) + (f"-{jsregex._code(b)}" if b > a else "") for a, b in runs)


def _by_look(pairs: dict[str, str]) -> dict[str, str]:
    """{look: the characters that look so}: each character written once."""
    out: dict[str, str] = defaultdict(str)
    for char, look in sorted(pairs.items()):
        out[look] += char
    return dict(out)


def _front_coded(names: dict[str, str]) -> str:
    """"char shared|rest|" for each name in code point order, where `shared` is how many characters
    it shares with the previous name: neighbours' names share most of their words (MATHEMATICAL
    BOLD CAPITAL A, B ...). No Unicode name holds a |."""
    out, previous = [], ""
    for char, name in sorted(names.items()):
        shared = len(os.path.commonprefix([previous, name]))
        out.append(f"{char}{shared}|{name[shared:]}|")
        previous = name
    return "".join(out)


_UNNAMED = "\U000E0080"   # a character ICU gives no name (textrules.char_name's fallback)


def _name(char: str) -> str:
    """The name part of textrules.char_name: U+0405 (CYRILLIC CAPITAL LETTER DZE)."""
    from macros.read.textrules import char_name
    named = char_name(char)
    return named[named.index("(") + 1:-1]


def _names(looks: dict[str, tuple[str, str]], posing: set[str]) -> dict[str, str]:
    """The names of the characters a section look-alike line can hold besides ASCII: each of its
    characters looks like characters of a section key, decoration or nothing. A character the
    text rule refuses never gets that far (the check stops at it), nor does one ICU leaves unnamed."""
    from macros.read.textrules import JOINERS, hidden
    unnamed = _name(_UNNAMED)
    return {c: _name(c) for c in {*looks, *posing} if not c.isascii()
            and any(set(look) <= posing for look in looks.get(c, (c, c)))
            and (c in JOINERS or not hidden(c, in_file=True)) and _name(c) != unnamed}


def _posing_messages() -> dict[str, str]:
    """validate._posing_problems's three messages, and textrules.char_name, with slots."""
    from macros.read.textrules import char_name
    dze, plain, claim = "\u0405ummary", "Surnrnary", "Ripples editors"
    said = {line: validate._posing_problems(line)[0][1] for line in (dze, plain, claim)}
    name = ('section "Summary"', "name", "Summary")
    return {"look_alike": _slot(_slot(_slot(said[dze], f'"{dze}"', "line", dze), *name), char_name(dze[0]), "chars"),
            "look_like": _slot(_slot(said[plain], f'"{plain}"', "line", plain), *name),
            "claim": _slot(said[claim], f'("{claim}")', "claim", claim),
            "char_name": _slot(_slot(char_name(dze[0]), "0405", "code"), _name(dze[0]), "name"),
            "unnamed": _name(_UNNAMED)}


@functools.cache
def lookalike_rule() -> dict | None:
    """validate._posing_problems (a line posing as one of the page's sections, or as the editors),
    where it exists: the keys, the messages, and what each character that can matter looks like.
    Computed from the code of macros/read and macros/render and from Unicode's data alone
    (Python's, ICU's), so it is cached on exactly those (macros/render/cache.py)."""
    if not hasattr(validate, "lookalike_char"):
        return None
    import icu
    import unicodedata
    here = Path(__file__).resolve().parent
    sources = [p.read_text(encoding="utf-8") for folder in (here, here.parent / "read") for p in sorted(folder.glob("*.py"))]
    return cache.cached_json("lookalike", [sys.version, unicodedata.unidata_version, icu.ICU_VERSION, *sources],
                             _lookalike_rule)


def _lookalike_rule() -> dict:
    sections, claims = validate._section_keys(), validate._claim_keys()
    decor = _decoration()
    looks = _looks(set("".join(sections) + "".join(wanted for _, wanted in claims)) | decor)
    vanish = {c for c, pair in looks.items() if pair == ("", "")}
    return {"section_keys": sections, "claims": [list(c) for c in claims], "line_max": validate._SECTION_LINE_MAX,
            "vanish": _ranges(vanish),
            "looks": _by_look({c: a for c, (a, b) in looks.items() if c not in vanish and a != c}),
            "folded": _by_look({c: b for c, (a, b) in looks.items() if c not in vanish and b != a}),
            "names": _front_coded(_names(looks, set("".join(sections)) | decor | {" "})), **_posing_messages()}


def new_story_reviewed(root: Path) -> str:
    """What a new story's `reviewed:` says: the template's choice (empty, or a date the page fills with today)."""
    text = (root / "stories" / "_template.md").read_text(encoding="utf-8")
    split = split_front_matter(text, "stories/_template.md")
    value = parse(split[0]).data.get("reviewed") if isinstance(split, tuple) else None
    return "" if value in (None, "") else "today"


def choices(taxonomy: Taxonomy, kind: str) -> list[dict]:
    entries = taxonomy.sorted_chapters() if kind == "chapters" else getattr(taxonomy, kind)
    return [{"id": e.id, "name": e.name, "description": e.description} for e in entries]


def story_rules(hb: Handbook, extra: dict | None = None) -> dict:
    extra = extra or {}
    taxonomy = hb.taxonomy
    return {
        "keys": YAML_KEYS,
        "shift_keys": [f.alias or n for n, f in Shift.model_fields.items()],
        "consent_keys": list(Consent.model_fields),
        "required": [k for k, f in zip(YAML_KEYS, FrontMatter.model_fields.values()) if f.is_required()],
        "summary_max": SUMMARY_MAX, "themes_max": THEMES_MAX,
        "reflection_min": REFLECTION_MIN, "reflection_max": REFLECTION_MAX,
        "placeholder": validate.PLACEHOLDER,
        "body_placeholder": validate.BODY_PLACEHOLDER,
        "html": js_pattern(validate._HTML),
        "body_rules": body_rules(taxonomy),
        "text_rule": text_rule(), "person_rule": person_rule(), "line_rules": line_rules(),
        "messages": messages(taxonomy),
        "vocabulary": {field: choices(taxonomy, kind) for field, kind in VOCABULARY.items()},
        "taken_ids": [s.id for s in hb.stories],
        "reviewed": new_story_reviewed(hb.root),
        "contact_email": hb.settings.contact_email,
        "repository": str(extra.get("repository", "")),
        "branch": str(extra.get("branch", "main")),
        "github_url_max": GITHUB_URL_MAX,
        "mailto_url_max": MAILTO_URL_MAX,
        "whitespace": jsregex.class_body("s"),     # what Python's str.strip() and split() remove
        "max_bytes": MAX_BYTES, "too_big": TOO_BIG.replace("{words}", size_words(MAX_BYTES)),
        **form_words(messages(taxonomy)),
    }


def form_words(checks: dict[str, str]) -> dict:
    """The check's messages that speak about the file, mapped to words about the form."""
    def said(key: str) -> str:
        return checks[key].replace("{n}", "1")
    general = {said(k): v for k, v in FORM_WORDS.items() if k in checks}
    by_field = {field: {said(k): v for k, v in words.items()} for field, words in FORM_WORDS_FOR.items()}
    return {"form_words": general, "form_words_for": by_field}


def rules_json(hb: Handbook, extra: dict | None = None) -> str:
    return json.dumps(story_rules(hb, extra), ensure_ascii=False, sort_keys=True, indent=1) + "\n"
