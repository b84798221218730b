"""A seeded generator of what a storyteller could put into /contribute/write/, aimed at the
places where JavaScript and Python read text differently (issue 18): Unicode white space,
case folding, control characters, lone surrogates, letters newer than Python's Unicode
tables, bodies over the size limit, setext underlines, link schemes, nesting, section names,
and lines posing as the page's sections or as the editors in look-alike letters.

Deterministic: the same seed gives the same inputs on every run and machine.
"""
from __future__ import annotations

import random

from macros.read.handbook import load_taxonomy
from macros.read.loader import MAX_BYTES
from macros.read.model import REFLECTION_MAX, THEMES_MAX
from macros.render.rules import lookalike_rule

SEED = 18
# Python's str.isspace() and JavaScript's \s disagree on most of these.
SPACES = [" ", "\t", "\u00a0", "\u1680", "\u2000", "\u2003", "\u200a", "\u2028", "\u2029", "\u202f", "\u205f",
          "\u3000", "\u0085", "\u001c", "\u001d", "\u001e", "\u001f", "\ufeff", "\u000b", "\u000c", "\u180e",
          "\u200b", "\r"]
CONTROLS = [chr(c) for c in range(0x20) if c != 10] + ["\x7f", "\x80", "\x9f", "\u200e", "\u202e", "\u2066"]
# casefold() and toLowerCase() disagree on these (and re.IGNORECASE matches the last four to i, s, k).
FOLDS = ["ſ", "ß", "ẞ", "ﬆ", "ﬅ", "ﬁ", "ﬀ", "Σ", "ς", "İ", "ı", "K", "Ǆ", "ǅ"]
SURROGATES = ["\ud800", "\udfff", "\udbff", "\udc00", "\ud83c\udf0a"]  # the last is a well-formed pair
# Letters (and a numeric letter) from Unicode 15 and 16, newer than Python 3.11's tables; and digits
# that are letters to Python's re ([^\W\d_] keeps No) or not (Nd).
NEW_LETTERS = ["\U00011f04", "\U0001e4d0", "\U00010d50", "\U0001e5d0", "\U0002ebf0", "\U0001d2c0", "\u0cf3",
               "\U00016d40", "\U0001e030"]
DIGITS = ["2", "²", "١", "٣", "Ⅻ", "½", "𝟙"]
LETTERS = ["Ana", "Zoë", "Anne-Marie", "O'Neil", "Jo’s", "ΣΑΣ", "Łukasz", "李", "שלום", "Noor", "x"]
MARKUP = ["<b>", ">", "<", "&amp;", "&#65;", "&x;", "TODO", "a\nb", "{: .x}", "--8<--", "#", "*", "_", "[", "]",
          "(", ")", ":", "\\"]
SECTIONS = ["Their story", "THE SHIFT", "The ſhift", "Queſtions for reflection", "Their ﬆory", "## Editorial",
            "> Summary", "Content notes:", "- Last reviewed -", "Related stories", "In these pathways",
            "** Summary **", "The\u00a0shift", "The\u001cshift", "The\u3000shift", "Su\u200bmmary", "SUMMARY.",
            "In theſe pathways", "İn these pathways", "Editorıal"]
# What the look-alike rule compares with: the page's own section names and the editors' voice,
# near misses the rule must let through, and ordinary sentences.
POSING = ["Summary", "Their story", "The shift", "Questions for reflection", "Related stories", "Editorial",
          "Content notes", "In these pathways", "Last reviewed", "Ripples editors", "Ripples team",
          "Editor's note", "Editors' note", "Note from the editors", "Medically reviewed", "Clinically reviewed",
          "This part was written by the Ripples editors.", "My editor's note to myself", "Reviewed by the editors"]
NEAR = ["Summar", "Summary of my year", "Their stories", "The shifts", "Ripple editors", "I told the editors",
        "Editorial work is hard", "Clinically, nothing changed", "Questions", "Sum mary", "ripples"]
# Letters and the characters made to look like them (Cyrillic, Greek, fullwidth, mathematical,
# Roman numerals, the Kelvin sign, long s, dotless and dotted i, sharp s, digits, rn for m).
LOOKS = {"a": "аɑαａ𝐚𝒂", "c": "сϲℭｃ𝕔", "e": "еєｅ𝐞ℯ", "i": "іıɩιⅰ𝐢İ1", "l": "Ⅰⅼ1|Ιӏ", "m": ["rn", "ｍ", "𝐦", "ⅿ"],
         "n": "ոｎ𝐧", "o": "оοօ０ｏ𝐨ℴ0", "p": "рρｐ𝐩", "r": "гᴦｒ𝐫", "s": "ѕſｓ𝐬ꜱ", "t": "тｔ𝐭", "u": "υսｕ𝐮",
         "y": "уγｙ𝐲", "k": "Kκｋ", "h": "һｈ𝐡", "d": "ԁｄ𝐝ⅾ", "S": "ЅＳ𝐒", "T": "ТΤＴ𝐓", "E": "ЕΕＥ𝐄",
         "R": "ＲᏒ𝐑", "Q": "Ｑ𝐐", "C": "СϹＣ𝐂Ⅽ", "I": "ІΙＩⅠ𝐈l", "L": "ＬⅬ𝐋", "M": "МΜＭⅯ𝐌", "N": "ΝＮ𝐍",
         "ss": ["ß"], "st": ["ﬆ", "ﬅ"], "fi": ["ﬁ"], "ff": ["ﬀ"]}
# Between letters: marks and selectors the check lets through (some vanish in a skeleton, some stay),
# joiners (allowed between two non-ASCII letters), and a zero-width space the check refuses.
BETWEEN = ["\ufe0f", "\U000e0100", "\u034f", "\u200d", "\u200c", "\u0301", "\u0323", "\u0345", "\U0001d16d",
           "\u00a0", "\u3000", "\u200b", "\u180b", "\U000e0080"]
DECOR = ["", "", "**", "## ", "> ", "- ", "_", ":", " .", "  "]
BODY_LINES = [
    "[x](https://example.org/page)", "[x](http://example.org)", "[x](javaſcript:alert(1))", "[x]( <javascript:x>)",
    "[x](  JAVASCRİPT:x)", "[x](/relative)", "[x](//evil.example)", "[x](mailto:ana@example.org)",
    "[x](https://\u212aelvin.example)", "[x](https://İ.example)", "[x](dat\u0131:x)", "[x](\u00a0data:x)",
    "[x](\u3000file:x)", "[x](\u001cvbscript:x)", "<javascript:alert(1)>", "< data:x", "[r]: https://example.org",
    "   [r]:\u00a0 javascript:x", "![i](https://example.org/i.png)", "# heading", "#not a heading", "###### six",
    "####### seven", "> > > > > > > > > deep", "> quote", "- item", "1. one", "                - deep list",
    "                \u0661. deep", "                \u00b2. deep", "<!-- c -->", "a < b and c > d", "&copy;",
    "{#id}", "{ onclick=x }", "--8<-- \"x\"", ";8<;", "](" + " " * 50 + "x", "TODO: replace this paragraph with "
    "the storyteller's own words.", "https://example.org bare", "\u2028", "\u0085", "\ufeff", "\x00", "\x1f"]
UNDERLINES = ["---", "===", "--", "=", "  ==  ", "-", "- - -", "***", "___", "---\u00a0", "--\t", "====\u3000"]


def _table_looks() -> dict[str, list[str]]:
    """Every character the check's export says looks like a single ASCII letter (a wide sample)."""
    looks: dict[str, list[str]] = {}
    for look, chars in lookalike_rule()["looks"].items():
        if len(look) == 1 and look.isascii() and look.isalpha():
            looks.setdefault(look, []).extend(chars)
    return looks


TABLE_LOOKS = _table_looks()


def disguise(rnd: random.Random, text: str) -> str:
    """`text` with some letters swapped for look-alikes and odd characters slipped between."""
    out, i, rate = [], 0, rnd.choice([0.0, 0.1, 0.3, 0.6, 1.0])
    while i < len(text):
        pair = text[i:i + 2]
        if pair in LOOKS and rnd.random() < rate / 2:
            out.append(rnd.choice(LOOKS[pair]))
            i += 2
            continue
        char = text[i]
        pools = [p for p in (LOOKS.get(char), TABLE_LOOKS.get(char.casefold())) if p]
        out.append(rnd.choice(rnd.choice(pools)) if pools and rnd.random() < rate else char)
        if rnd.random() < rate / 8:
            out.append(rnd.choice(BETWEEN))
        i += 1
    return "".join(out)


def posing_line(rnd: random.Random) -> str:
    """A line for the look-alike rule: a section name or an editors' phrase (or a near miss), disguised,
    decorated, sometimes within a sentence or past the length where a line is a sentence."""
    words = disguise(rnd, pick(rnd, POSING, POSING, NEAR))
    roll = rnd.random()
    if roll < 0.15:
        words = rnd.choice(["I said: ", "Later, ", "“"]) + words + rnd.choice([" and left.", "", "”"])
    elif roll < 0.2:
        words += " " + "and so on " * rnd.randint(5, 9)
    elif roll < 0.3:
        words = words.upper() if rnd.random() < 0.5 else words.casefold()
    decor = rnd.choice(DECOR)
    return decor + words + decor[::-1].strip() * rnd.randint(0, 1)


def pick(rnd: random.Random, *pools: list[str]) -> str:
    return rnd.choice(rnd.choice(pools))


def one_line(rnd: random.Random) -> str:
    """A short field value: words with odd characters around and inside."""
    parts = [pick(rnd, LETTERS) for _ in range(rnd.randint(1, 3))]
    for _ in range(rnd.choice([0, 0, 1, 1, 2, 3])):
        parts.insert(rnd.randint(0, len(parts)), pick(rnd, SPACES, CONTROLS, FOLDS, SURROGATES, NEW_LETTERS, DIGITS,
                                                      MARKUP))
    return "".join(parts) if rnd.random() < 0.5 else " ".join(parts)


def person(rnd: random.Random) -> str:
    name = pick(rnd, LETTERS)
    roll = rnd.random()
    if roll < 0.3:
        return name
    if roll < 0.5:
        return name + pick(rnd, NEW_LETTERS, DIGITS)
    if roll < 0.7:
        return name + pick(rnd, SPACES) + pick(rnd, LETTERS)
    return pick(rnd, SPACES, [""]) + name + pick(rnd, SPACES, CONTROLS, FOLDS, SURROGATES, [""])


def body(rnd: random.Random) -> str:
    lines = []
    for _ in range(rnd.randint(1, 8)):
        roll = rnd.random()
        if roll < 0.3:
            lines.append(one_line(rnd) + " " + one_line(rnd))
        elif roll < 0.45:
            lines.append(pick(rnd, BODY_LINES))
        elif roll < 0.55:
            lines.append(pick(rnd, SECTIONS))
        elif roll < 0.7:
            lines.append(posing_line(rnd))
        elif roll < 0.85:
            lines.append(pick(rnd, UNDERLINES))
        else:
            lines.append(pick(rnd, SPACES, [""]))
    return rnd.choice(["\n", "\n\n", "\r\n"]).join(lines)


def huge_body(rnd: random.Random) -> str:
    """Around the size limit: ASCII, or multi-byte letters that weigh more in UTF-8."""
    word = rnd.choice(["words ", "ÿ ", "中文 ", "🌊 "])
    size = MAX_BYTES + rnd.randint(-3000, 3000)
    line = (word * (2000 // len(word.encode("utf-8")))).rstrip()
    count = size // len(line.encode("utf-8")) + 1
    return "\n\n".join([line] * count)


class Inputs:
    def __init__(self, root):
        taxonomy = load_taxonomy(root)[0]
        self.ids = {k: taxonomy.ids(k) for k in ("chapters", "domains", "themes", "content_notes")}

    def base(self, rnd: random.Random) -> dict:
        ids = self.ids
        return {"person": "Ana", "title": "Learning to Ask", "chapter": rnd.choice(ids["chapters"]),
                "domains": rnd.sample(ids["domains"], rnd.randint(1, 2)), "themes": [], "content_notes": [],
                "summary": "", "shift": {"from": "", "to": ""}, "reflection": ["", "", "", ""],
                "consent": {"permission": True, "deidentified": True, "others_deidentified": True},
                "body": "I used to do it all myself.\nNow I ask."}

    def mutate(self, rnd: random.Random, v: dict) -> None:
        ids, kind = self.ids, rnd.randrange(16)
        if kind == 0:
            v["person"] = person(rnd)
        elif kind == 1:
            v["title"] = one_line(rnd)
        elif kind == 2:
            v["summary"] = one_line(rnd) if rnd.random() < 0.8 else "x" * rnd.randint(195, 205)
        elif kind == 3:
            v["shift"] = {"from": rnd.choice([one_line(rnd), ""]), "to": rnd.choice([one_line(rnd), "", " "])}
        elif kind == 4:
            v["reflection"] = [rnd.choice([one_line(rnd), "", " "]) for _ in range(rnd.randint(0, REFLECTION_MAX + 1))]
        elif kind == 5:
            v["themes"] = rnd.sample(ids["themes"], min(len(ids["themes"]), rnd.randint(0, THEMES_MAX + 1)))
        elif kind == 6:
            v["content_notes"] = rnd.sample(ids["content_notes"], rnd.randint(0, 2))
        elif kind == 7:
            v["domains"] = rnd.sample(ids["domains"], rnd.randint(0, 2))
        elif kind == 8:
            v["consent"] = {k: rnd.random() < 0.7 for k in v["consent"]}
        elif kind == 9:
            v["chapter"] = rnd.choice(["", rnd.choice(ids["chapters"])])
        elif kind >= 14:  # the storyteller's lines, with look-alike lines among them
            lines = v["body"].split("\n")
            for _ in range(rnd.randint(1, 3)):
                lines.insert(rnd.randint(0, len(lines)), posing_line(rnd))
            v["body"] = "\n\n".join(lines)
        else:
            v["body"] = body(rnd)

    def generate(self, n: int, seed: int = SEED, huge: int = 6) -> list[dict]:
        rnd, out = random.Random(seed), []
        for i in range(n):
            v = self.base(rnd)
            for _ in range(rnd.choice([0, 1, 1, 2, 2, 3])):
                self.mutate(rnd, v)
            if i < huge:
                v["body"] = huge_body(rnd)
            out.append(v)
        return out
