"""Turn a RawStory into a Story, or into problems a non-programmer can act on."""
from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from typing import Any

import icu

from pydantic import ValidationError

from macros.read.loader import RawStory
from macros.read.model import (FrontMatter, Story, Taxonomy, REFLECTION_MAX, REFLECTION_MIN,
                    SUMMARY_MAX, THEMES_MAX, YAML_KEYS)
from macros.read.problems import Problem, allowed_list, did_you_mean
from macros.read.storymd import MAX_DEPTH, depth_lines
from macros.read.textrules import char_name, strings, text_problem

PLACEHOLDER = "TODO"
BODY_PLACEHOLDER = "TODO: replace this paragraph with the storyteller's own words."
PAGE_SETTINGS = {"render_macros", "template", "hide", "title_template", "search", "status", "icon", "tags"}

_HTML = re.compile(r"</?[A-Za-z][^<>]*>|<!--|<\?|<!\[CDATA|&#?[A-Za-z0-9]+;")
# Only where a Markdown link target starts: [x](here), <here>, [ref]: here. Prose like "data: ..." is fine.
# Each branch owns its spaces (`\s*(?:<\s*)?`, never `\s*<?\s*`): the same language, but without two
# adjacent `\s*` that JavaScript's backtracking engine tries in every split (quadratic on a long line).
_BAD_LINK = re.compile(r"(?i)(?:\]\(\s*(?:<\s*)?|<\s*|^\s{0,3}\[[^\]]+\]:\s*(?:<\s*)?)(javascript|data|vbscript|file)\s*:")
_ATTR_LIST = re.compile(r"\{:|\{\s*[#.][A-Za-z_]|\{\s*[A-Za-z_-]+\s*=")
_SNIPPET = re.compile(r"-{1,2}8<-{1,2}|;8<;")

_TYPE_WORDS = {str: "text", int: "a number", float: "a number", bool: "true/false",
               list: "a list", dict: "a group of keys", type(None): "empty"}


def _kind(value: Any) -> str:
    return _TYPE_WORDS.get(type(value), type(value).__name__)


def _field_name(loc: tuple) -> str:
    parts = [str(p) if not isinstance(p, int) else f"[{p + 1}]" for p in loc]
    return ".".join(parts).replace(".[", "[").replace("from_", "from")


def locate(positions: dict, loc: tuple, default: tuple[int, int], missing: bool = False) -> tuple[int, int]:
    """Line and column of a field (or of its nearest parent that exists)."""
    loc = tuple("from" if p == "from_" else p for p in loc)
    for n in range(len(loc), 0, -1):
        for key in ((("key",) + loc[:n], loc[:n]) if missing else (loc[:n], ("key",) + loc[:n])):
            if key in positions:
                return positions[key]
    return default


def _position(raw: RawStory, loc: tuple, missing: bool = False) -> tuple[int, int]:
    return locate(raw.positions, loc, (raw.front_line + 1, 1), missing)


def _message(err: dict) -> str:
    kind, loc, value = err["type"], err["loc"], err.get("input")
    last = loc[-1] if loc else ""
    if kind == "missing":
        where = f" under `{loc[0]}:`" if len(loc) > 1 else ""
        return f"is missing (add a line `{loc[-1] if loc[-1] != 'from_' else 'from'}: ...`{where}; see stories/_template.md)"
    if kind == "extra_forbidden":
        if last in PAGE_SETTINGS:
            return ("is a page setting, which stories may not use (remove this line; "
                    f"allowed fields: {allowed_list(YAML_KEYS)})")
        allowed = YAML_KEYS if len(loc) == 1 else _sub_keys(loc[0])
        return f"is not a known field (remove it).{did_you_mean(last, allowed)} Allowed: {allowed_list(allowed)}"
    if kind in ("string_type",):
        return f"must be text, not {_kind(value)} (put it in quotes if it looks like a number, date or yes/no)"
    if kind == "list_type":
        return f"must be a list, not {_kind(value)} (write [a, b] or one `- item` per line)"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"must be a group of keys, not {_kind(value)} (see stories/_template.md)"
    if kind == "bool_type" or kind == "bool_parsing":
        return "must be true or false"
    if kind == "string_too_short":
        return "is empty (write the text, or see stories/_template.md)"
    if kind == "string_too_long":
        return f"is {len(value.strip())} characters; the limit is {SUMMARY_MAX} (shorten it to one sentence)"
    if kind == "too_short" and last == "domains":
        return "needs at least one domain id (e.g. [romantic])"
    if kind == "too_short" and last == "themes":
        return "needs at least one theme id"
    if kind in ("too_short", "too_long") and last == "reflection":
        return (f"has {len(value)} question(s); write between {REFLECTION_MIN} and {REFLECTION_MAX}")
    if kind == "too_long" and last == "themes":
        return f"has {len(value)} themes; choose at most {THEMES_MAX}"
    if kind.startswith("date") or kind.startswith("datetime"):
        return f'"{value}" is not a real date (use YYYY-MM-DD, e.g. 2026-11-27)'
    return f"{err['msg']} (see stories/_template.md)"


def _sub_keys(parent: str) -> list[str]:
    sub = FrontMatter.model_fields[parent.replace("from", "from_")].annotation
    fields = getattr(sub, "model_fields", None) or getattr(getattr(sub, "__args__", [None])[0], "model_fields", {})
    return [f.alias or n for n, f in fields.items()]


def schema_problems(raw: RawStory) -> tuple[FrontMatter | None, list[Problem]]:
    try:
        return FrontMatter.model_validate(raw.data), []
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = err["loc"]
            line, col = _position(raw, loc, missing=err["type"] in ("missing", "extra_forbidden"))  # point at the key
            problems.append(Problem(raw.path, line, col, _field_name(loc), _message(err)))
        return None, problems


def _ids(raw: RawStory, field: str) -> list[tuple[int, str]]:
    """The ids a field lists, read from the YAML itself so they are checked even when another
    field fails the schema; values of the wrong type are left to the schema's messages."""
    value = raw.data.get(field)
    values = [value] if field == "chapter" else value if isinstance(value, list) else []
    return [(i, v.strip()) for i, v in enumerate(values) if isinstance(v, str) and v.strip()]


def vocabulary_problems(raw: RawStory, taxonomy: Taxonomy) -> list[Problem]:
    checks = [("chapter", "chapters"), ("domains", "domains"), ("themes", "themes"),
              ("content_notes", "content_notes")]
    problems = []
    for field, kind in checks:
        allowed = taxonomy.ids(kind)
        ids = _ids(raw, field)
        values = [v for _, v in ids]
        for n, (i, value) in enumerate(ids):
            loc = (field,) if field == "chapter" else (field, i)
            line, col = _position(raw, loc)
            if PLACEHOLDER in value:
                continue  # reported once, as a placeholder, by text_problems
            if value not in allowed:
                problems.append(Problem(raw.path, line, col, field,
                                        f'"{value}" is not a known {field.rstrip("s").replace("_", " ")} id.'
                                        f'{did_you_mean(value, allowed)} Allowed: {allowed_list(allowed)} '
                                        "(new ids go in stories/taxonomy.yml)"))
            elif values.index(value) != n:
                problems.append(Problem(raw.path, line, col, field, f'"{value}" is listed twice (keep one)'))
    return problems


CONSENT_TEXT = {
    "permission": "the storyteller's permission to publish this text",
    "deidentified": "confirming the storyteller cannot be identified",
    "others_deidentified": "confirming nobody else in the story can be identified",
}


def consent_problems(raw: RawStory, skip: frozenset = frozenset()) -> list[Problem]:
    """Each flag must be the YAML value `true` (pydantic alone would also accept 1, "true" or "yes").
    Flags the schema already reports (missing, not true/false) are in `skip`."""
    given = raw.data.get("consent")
    if not isinstance(given, dict):
        return []  # reported by the schema
    problems = []
    for flag, what in CONSENT_TEXT.items():
        if f"consent.{flag}" in skip or flag not in given or given[flag] is True:
            continue
        line, col = _position(raw, ("consent", flag))
        problems.append(Problem(raw.path, line, col, f"consent.{flag}",
                                f"cannot publish without {what} (set it to true only once that is so; "
                                "see the Contribute page)"))
    return problems


def text_problems(raw: RawStory) -> list[Problem]:
    """Placeholders, and the one text rule (no <, >, control characters or line breaks)."""
    problems = []
    for loc, text in strings(raw.data):
        line, col = _position(raw, loc)
        name = _field_name(loc)
        why = ("is still a TODO placeholder (replace it with your own text)" if PLACEHOLDER in text
               else text_problem(text))
        if why:
            problems.append(Problem(raw.path, line, col, name, why))
    return problems


# One given name or pseudonym: it becomes part of the story's permanent address.
_PERSON = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def person_rule(person: str) -> str | None:
    """Why a `person` value is refused (also used by `new`), or None."""
    person = person.strip()
    if _PERSON.fullmatch(person):
        return None
    words = person.split()
    if len(words) > 1:
        return (f'"{person}" is {len(words)} words; write one given name or a pseudonym only, '
                f'e.g. "{words[0]}" (the name becomes part of the story\'s permanent web address, '
                "so a surname would stay public forever)")
    return (f'"{person}" may contain only letters, a hyphen or an apostrophe '
            "(one given name or a pseudonym, e.g. Zoe or Anne-Marie)")


def person_problems(raw: RawStory) -> list[Problem]:
    person = raw.data.get("person")
    if not isinstance(person, str) or not person.strip() or PLACEHOLDER in person or text_problem(person):
        return []  # reported by the schema or the text rule
    why = person_rule(person)
    return [Problem(raw.path, *_position(raw, ("person",)), "person", why)] if why else []


EARLIEST_REVIEW = dt.date(2000, 1, 1)


def review_problems(raw: RawStory, meta: FrontMatter | None, today: dt.date) -> list[Problem]:
    """A review date is never in the future. An empty one is no problem: the story waits
    (publication.py holds it back from the published site)."""
    if meta is None or meta.reviewed is None:
        return []
    line, col = _position(raw, ("reviewed",))
    if meta.reviewed > today:
        return [Problem(raw.path, line, col, "reviewed",
                        f"{meta.reviewed.isoformat()} is in the future (write the date the review actually "
                        f"happened, today ({today.isoformat()}) at the latest)")]
    if meta.reviewed < EARLIEST_REVIEW:
        return [Problem(raw.path, line, col, "reviewed",
                        f"{meta.reviewed.isoformat()} is before {EARLIEST_REVIEW.year} (check the year)")]
    return []


MAX_LINE = 3000  # characters; a long paragraph is well under this
_TARGET = re.compile(r"\]\(\s*+<?([^)\s>]*+)")
_GOOD_TARGET = re.compile(r"https://[A-Za-z0-9]|mailto:[^@\s/\\]+@[A-Za-z0-9]", re.I)
_IMAGE = re.compile(r"!\[[^\[\]]*+\]\(")
_REFERENCE = re.compile(r"^ {0,3}+\[[^\[\]]++\]:")
_HEADING = re.compile(r"^ {0,3}+#{1,6}(?:[ \t]|$)")
_UNDERLINE = re.compile(r" {0,3}+(?:=++|-{2,}+)[ \t]*+")
UNDERLINE = ("a line of === or --- right under text makes a heading, which a story may not have "
             "(remove it; for a dividing line, leave a blank line above the ---)")
_DEPTH = re.compile(r"^(?: {0,3}+>)++")
_LIST_INDENT = re.compile(r"^( *+)(?:[-*+]|\d{1,9}[.)])[ \t]")
_DECOR = re.compile(r"[\s#*_>:.\-]+")
_SECTION_LINE_MAX = 80  # a section name with decoration; longer lines are sentences
TOO_DEEP = f"quotes or lists are nested more than {MAX_DEPTH} levels deep (use fewer > or less indentation)"


@functools.cache
def _section_names() -> frozenset[str]:
    return frozenset(n.casefold() for n in _section_keys().values())


def _link_problem(target: str) -> str | None:
    if _GOOD_TARGET.match(target):
        return None
    if target.lower().startswith("http:"):
        return "http: links are not allowed (use the secure https:// address of the same page)"
    if re.match(r"(?i)\s*(javascript|data|vbscript|file):", target):
        return _BAD_SCHEME
    return (f'the link "{target[:60]}" is not a full https:// address with a host (write it as '
            "https://example.org/page; links starting with //, / or \\ are not allowed)")


_BAD_SCHEME = "javascript:, data:, vbscript: and file: links are not allowed (link to an https:// address)"
# (pattern, texts it cannot match without one of, message). The `in` tests are exact
# preconditions of each pattern and skip most regex scans of a story's lines.
_LINE_RULES = [
    (_HTML, ("<", "&"), "HTML is not allowed in a story (remove the tag; write plain text and Markdown only)"),
    (_BAD_LINK, (":",), _BAD_SCHEME),
    (_SNIPPET, ("8<",), "snippet markers (--8<--) are not allowed in a story (remove them)"),
    (_ATTR_LIST, ("{",), "attribute lists such as {: ... } or {#id} are not allowed in a story (remove the braces)"),
    (_IMAGE, ("![",), "images are not allowed in a story (remove the image; describe it in words if it matters)"),
    (_REFERENCE, ("]:",), "reference-style links are not supported (write the link in place: [words](https://...))"),
    (_HEADING, ("#",), "headings are not allowed in a story (the page adds its own sections; "
                       "remove the # and write the line as ordinary text)"),
]


def line_problems(line: str) -> list[tuple[int, str]]:
    """(column, message) for each rule one body line breaks."""
    found = []
    if len(line) > MAX_LINE:
        return [(MAX_LINE + 1, f"this line is {len(line):,} characters long; the limit is {MAX_LINE:,} "
                               "(split the paragraph with a blank line)")]
    for pattern, needs, message in _LINE_RULES:
        match = pattern.search(line) if any(text in line for text in needs) else None
        if match:
            found.append(((match.start(1) if pattern.groups else match.start()) + 1, message))
    bad_scheme = any(m == _BAD_SCHEME for _, m in found)
    for match in _TARGET.finditer(line) if "](" in line else ():
        why = _link_problem(match.group(1))
        if why and not (bad_scheme and why == _BAD_SCHEME):
            found.append((match.start(1) + 1, why))
    depth = _DEPTH.match(line)
    indent = _LIST_INDENT.match(line)
    if (depth and depth.group().count(">") > MAX_DEPTH) or (indent and len(indent.group(1)) >= 2 * MAX_DEPTH):
        found.append((1, TOO_DEEP))
    if line.isascii() and _DECOR.sub(" ", line).strip().casefold() in _section_names():
        found.append((1, f'"{line.strip()}" looks like one of the page\'s own editorial sections (the '
                         "storyteller's words cannot pose as one; remove the line or make it part of a sentence)"))
    else:
        found += _posing_problems(line)
    return found


def _posing_problems(line: str) -> list[tuple[int, str]]:
    """A line that is a section name in look-alike letters, or that claims to come from the editors."""
    keys = lookalike_keys(line) if line.strip() else ()
    sections = _section_keys()
    name = next((sections[k.replace(" ", "")] for k in keys if k.replace(" ", "") in sections), None) \
        if len(line) <= _SECTION_LINE_MAX else None
    if name is not None:
        odd = [c for c in dict.fromkeys(line.strip()) if not c.isascii() and c not in name]
        how = f"written with look-alike characters: {', '.join(map(char_name, odd))}" if odd else "written to look like it"
        return [(1, f'"{line.strip()}" looks like the page\'s own section "{name}", {how} (the storyteller\'s '
                    "words cannot pose as one of the page's sections; remove the line or make it part of a sentence)")]
    claim = next((phrase for phrase, wanted in _claim_keys() for k in keys if wanted in f" {k} "), None)
    if claim is not None:
        return [(1, f'this line presents itself as coming from the Ripples editors ("{claim}"), but a story holds '
                    "only the storyteller's words and the page marks editorial text itself (remove the line, or "
                    "make clear that the storyteller is speaking)")]
    return []


_SPOOF = icu.SpoofChecker()
# Lines a reader could take for the editors' voice (compared as look-alike keys, word by word).
EDITORIAL_CLAIMS = ("written by the Ripples editors", "Ripples editors", "Ripples editor", "Ripples editorial",
                    "Ripples team", "editor's note", "editors' note", "editorial note", "note from the editors",
                    "reviewed by the editors", "medically reviewed", "clinically reviewed")


class _LooksAlone(dict):
    """Code point -> what that character alone looks like (str.translate's table, filled as
    characters turn up): NFKC, then its confusable skeleton (UTS #39, through ICU: Cyrillic Ѕ
    reads as S, invisible characters vanish), case folded. With `folded`, case folded before
    the skeleton as well. One character at a time, so that the write page can apply the same
    table (macros/render/rules.py exports it). A whole-string skeleton differs only in the order
    of combining marks that follow one another (its NFD sorts them)."""

    def __init__(self, folded: bool):
        super().__init__()
        self.folded = folded

    def __missing__(self, code: int) -> str:
        self[code] = looks = look_of(chr(code), self.folded)
        return looks


def look_of(text: str, folded: bool) -> str:
    """NFKC, (case folded,) skeleton, case folded: one character's look, or a text's as a whole."""
    text = unicodedata.normalize("NFKC", text)
    return _SPOOF.getSkeleton(0, text.casefold() if folded else text).casefold()


_AS_WRITTEN, _CASE_FOLDED = _LooksAlone(False), _LooksAlone(True)


def lookalike_char(char: str) -> tuple[str, str]:
    """What one character looks like, in each of lookalike_keys' two keys."""
    return _AS_WRITTEN[ord(char)], _CASE_FOLDED[ord(char)]


def lookalike_keys(text: str) -> tuple[str, str]:
    """What a line looks like, for comparing with the page's own words: each character as it
    looks alone (_LooksAlone), then decoration such as ** or : and every kind of space as one
    space. Skeletons are case-sensitive (I reads as l, Cyrillic т as a small capital), so two
    keys: the text's skeleton, and that of the text case folded first."""
    return tuple(_DECOR.sub(" ", text.translate(table)).strip() for table in (_AS_WRITTEN, _CASE_FOLDED))


@functools.cache
def _section_keys() -> dict[str, str]:
    from macros.read.sections import EDITORIAL_LABEL, STORY_SECTIONS
    names = (*STORY_SECTIONS.values(), EDITORIAL_LABEL, "Summary", "Content notes", "In these pathways",
             "Last reviewed")
    # A zero-width space may stand for a space: keys without spaces.
    return {key.replace(" ", ""): n for n in names for key in lookalike_keys(n)}


@functools.cache
def _claim_keys() -> tuple[tuple[str, str], ...]:
    return tuple((phrase, f" {key} ") for phrase in EDITORIAL_CLAIMS for key in set(lookalike_keys(phrase)))


def body_problems(raw: RawStory) -> list[Problem]:
    if not raw.body.strip():
        return [Problem(raw.path, raw.body_line, 1, "body",
                        "the story text is empty (write the storyteller's words below the closing ---)")]
    problems = []
    previous = ""
    for n, line in enumerate(raw.body.split("\n"), start=raw.body_line):
        if not line.strip():
            previous = line
            continue
        if BODY_PLACEHOLDER in line:
            problems.append(Problem(raw.path, n, 1, "body",
                                    "is still the template placeholder (replace it with the storyteller's words)"))
            continue
        problems += [Problem(raw.path, n, col, "body", message) for col, message in line_problems(line)]
        if previous.strip() and _UNDERLINE.fullmatch(line):
            problems.append(Problem(raw.path, n, 1, "body", UNDERLINE))
        previous = line
    # Mixed nesting (`> - > - ...`) as the renderer reads it; a line the rule above caught is reported once.
    problems += [Problem(raw.path, raw.body_line + n - 1, 1, "body", TOO_DEEP)
                 for n in sorted(set(depth_lines(raw.body)))]
    return problems


def validate_story(raw: RawStory, taxonomy: Taxonomy,
                   today: dt.date | None = None) -> tuple[Story | None, list[Problem]]:
    meta, problems = schema_problems(raw)
    flagged = frozenset(p.field for p in problems)
    problems += text_problems(raw) + person_problems(raw) + body_problems(raw)
    problems += review_problems(raw, meta, today or dt.date.today())
    # Checked even when the schema fails, so that one run reports every problem.
    problems += vocabulary_problems(raw, taxonomy) + consent_problems(raw, flagged)
    if problems or meta is None:
        return None, sorted(set(problems))
    return Story(raw.id, raw.path, meta, raw.body.strip("\n"), raw.body_line), []
