"""The handbook's own content: the seed stories verbatim (found by person and title,
never by a count: new stories arrive by pull request), the chapters,
vocabulary, essays, pathways and reading level; plus the overdue and
reading-level rules on injected data.

The seed (tests/data/seed.txt) is parsed here independently: line 1 is the
introduction, then section headings, story headings `Name’s Word: Title`
and one paragraph per line; the closing parts start at "The Ripple Effects".
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
import statistics
from html.parser import HTMLParser

import pytest

from conftest import ROOT
from macros.read.checks import add_months, editorial_text, overdue, reading_warnings
from macros.read.handbook import load_handbook
from macros.read.readability import grade
from macros.render.markup import story_body_html

SEED = ROOT / "tests/data/seed.txt"
ESSAYS_START = "The Ripple Effects"
STORY_HEADING = re.compile(r"^(?P<person>[A-Z][a-z]+)’s (?P<word>[^:]+): (?P<title>.+)$")
DOMAINS = {"romantic", "parenting", "family", "friendship", "workplace"}
GRADE_LIMIT = 8.0


def is_heading(line: str) -> bool:
    """Headings are short and never end a sentence; paragraphs always do (some with a closing quote)."""
    return len(line) < 120 and not line.rstrip().endswith((".", "!", "?", "”", "’", '"'))


def parse_seed() -> dict:
    lines = [line for line in SEED.read_text(encoding="utf-8").splitlines()]
    assert lines and all(line.strip() for line in lines), "the seed has one paragraph or heading per line"
    chapters: list[dict] = []
    essays: list[tuple[str, str]] = []  # ("heading" | "paragraph", text)
    current = None
    in_essays = False
    for line in lines[1:]:
        if line.startswith(ESSAYS_START):
            in_essays = True
        if in_essays:
            essays.append(("heading" if is_heading(line) else "paragraph", line))
            continue
        if is_heading(line):
            match = STORY_HEADING.match(line)
            if match:
                current = {"person": match["person"], "title": match["title"], "paragraphs": []}
                chapters[-1]["stories"].append(current)
            else:
                chapters.append({"name": line, "stories": []})
                current = None
        else:
            assert current is not None, f"a paragraph outside a story: {line[:60]}"
            current["paragraphs"].append(line)
    return {"intro": lines[0], "chapters": chapters, "essays": essays}


@pytest.fixture(scope="module")
def seed() -> dict:
    return parse_seed()


@pytest.fixture(scope="module")
def handbook():
    hb, problems = load_handbook(ROOT)
    assert problems == [], "\n".join(map(str, problems))
    return hb


def seed_stories(seed) -> list[dict]:
    return [s for chapter in seed["chapters"] for s in chapter["stories"]]


# ---- the seed itself (guards the parser above) -------------------------------------------

def test_seed_parses_into_11_sections_of_two_stories(seed):
    assert len(seed["chapters"]) == 11
    assert [len(c["stories"]) for c in seed["chapters"]] == [2] * 11
    assert all(len(s["paragraphs"]) >= 3 for s in seed_stories(seed))
    assert all(s["paragraphs"][0].startswith("“") and s["paragraphs"][-1].endswith("”") for s in seed_stories(seed))


# ---- stories -------------------------------------------------------------------------------

def test_every_story_file_loads(handbook):
    """Every story file is a valid story (how many there are is never pinned: stories come by PR)."""
    files = {p.stem for p in (ROOT / "stories").glob("*.md") if not p.name.startswith("_")}
    assert files == {s.id for s in handbook.stories}


def test_every_seed_story_has_its_file(seed, handbook):
    found = {(s.meta.person, s.meta.title) for s in handbook.stories}
    expected = {(s["person"], s["title"]) for s in seed_stories(seed)}
    assert expected - found == set()


@pytest.mark.parametrize("index", range(22))
def test_story_body_is_verbatim(seed, handbook, index):
    expected = seed_stories(seed)[index]
    stories = [s for s in handbook.stories if (s.meta.person, s.meta.title) == (expected["person"], expected["title"])]
    assert len(stories) == 1, expected["title"]
    text = (ROOT / stories[0].path).read_text(encoding="utf-8")
    body = text.split("\n---\n", 1)[1].strip("\n")
    paragraphs = body.split("\n\n")
    want = list(expected["paragraphs"])
    # Only the quotation marks around the whole testimonial may go.
    if paragraphs and paragraphs[0] == want[0].removeprefix("“"):
        want[0] = want[0].removeprefix("“")
    if paragraphs and paragraphs[-1] == want[-1].removesuffix("”"):
        want[-1] = want[-1].removesuffix("”")
    assert paragraphs == want, stories[0].path
    assert stories[0].body == body


class _Paragraphs(HTMLParser):
    """The text of each <p> of rendered HTML, character references resolved."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self.inside = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "p":
            self.inside, self.paragraphs = True, self.paragraphs + [""]

    def handle_endtag(self, tag):
        self.inside = self.inside and tag != "p"

    def handle_data(self, data):
        if self.inside:
            self.paragraphs[-1] += data


@pytest.mark.parametrize("index", range(22))
def test_story_renders_word_for_word(seed, handbook, index):
    """What the reader sees: each rendered paragraph is the seed's paragraph, character for character."""
    expected = seed_stories(seed)[index]
    story = next(s for s in handbook.stories if (s.meta.person, s.meta.title) == (expected["person"], expected["title"]))
    rendered = _Paragraphs(story_body_html(story.body)).paragraphs
    want = list(expected["paragraphs"])
    if rendered and rendered[0] == want[0].removeprefix("“"):
        want[0] = want[0].removeprefix("“")
    if rendered and rendered[-1] == want[-1].removesuffix("”"):
        want[-1] = want[-1].removesuffix("”")
    assert rendered == want, story.path


@pytest.mark.parametrize("body, paragraphs", [
    ("It was 2 * 3 * 4 times.", ["It was 2 * 3 * 4 times."]),
    ("Snake_case_name and a_b_c.", ["Snake_case_name and a_b_c."]),
])
def test_storytellers_characters_survive_rendering(body, paragraphs):
    assert _Paragraphs(story_body_html(body)).paragraphs == paragraphs


def test_a_list_keeps_its_start_number():
    html = story_body_html("3. three\n4. four")
    assert html.startswith('<ol start="3">') and html.count("<li>") == 2


def test_seed_story_ids_follow_person_and_title(seed, handbook):
    """The seed's files are named person-title (a new story's name is the checker's business)."""
    for expected in seed_stories(seed):
        [story] = [s for s in handbook.stories if (s.meta.person, s.meta.title) == (expected["person"], expected["title"])]
        assert story.id.startswith(story.meta.person.lower() + "-"), story.id


# ---- chapters and vocabulary ---------------------------------------------------------------------

def test_chapters_are_the_seed_sections_in_order(seed, handbook):
    chapters = handbook.taxonomy.sorted_chapters()
    assert [c.name for c in chapters] == [c["name"] for c in seed["chapters"]]
    for chapter, section in zip(chapters, seed["chapters"]):
        members = {(s.meta.person, s.meta.title) for s in handbook.in_hub("chapters", chapter.id)}
        assert {(s["person"], s["title"]) for s in section["stories"]} <= members, chapter.id
        assert chapter.introduction.strip()


def test_exactly_the_five_domains(handbook):
    assert set(handbook.taxonomy.ids("domains")) == DOMAINS
    assert len(handbook.taxonomy.ids("domains")) == 5


def test_every_domain_has_stories(handbook):
    for domain in DOMAINS:
        assert handbook.in_hub("domains", domain), domain


def test_between_15_and_30_themes_each_used(handbook):
    themes = handbook.taxonomy.ids("themes")
    assert 15 <= len(themes) <= 30
    unused = [t for t in themes if not handbook.in_hub("themes", t)]
    assert unused == [], f"themes no story uses: {unused}"


def test_every_content_note_is_used(handbook):
    unused = [n for n in handbook.taxonomy.ids("content_notes") if not handbook.in_hub("content_notes", n)]
    assert unused == [], (f"content notes in stories/taxonomy.yml that no story uses: {unused} "
                          "(tag the stories that mention them, or remove the notes)")


def test_davids_story_spans_four_domains(handbook):
    david = handbook.by_id["david-learning-to-listen"]
    assert set(david.meta.domains) == {"parenting", "romantic", "friendship", "workplace"}


# ---- home page and essays ------------------------------------------------------------------------

def test_home_page_has_the_seed_introduction(seed):
    assert seed["intro"] in (ROOT / "docs/index.md").read_text(encoding="utf-8").splitlines()


def essay_lines() -> list[str]:
    return [line for path in sorted((ROOT / "docs/understanding").glob("*.md"))
            for line in path.read_text(encoding="utf-8").splitlines()]


def test_essays_contain_every_closing_paragraph_verbatim(seed):
    lines = set(essay_lines())
    paragraphs = [text for kind, text in seed["essays"] if kind == "paragraph"]
    assert len(paragraphs) >= 15
    missing = [p[:70] for p in paragraphs if p not in lines]
    assert missing == []


def test_essays_keep_the_seed_headings(seed):
    headings = {re.sub(r"\s*\{#[^}]+\}\s*$", "", line.lstrip("#").strip())
                for line in essay_lines() if line.startswith("#")}
    seed_headings = [text for kind, text in seed["essays"] if kind == "heading"]
    assert len(seed_headings) == 6
    assert [h for h in seed_headings if h not in headings] == []


def test_essay_paragraphs_keep_their_order(seed):
    lines = essay_lines()
    order = [lines.index(text) for kind, text in seed["essays"] if kind == "paragraph" and text in lines]
    # Within each essay file the seed order holds; files are read alphabetically, so compare per file.
    for path in sorted((ROOT / "docs/understanding").glob("*.md")):
        file_lines = path.read_text(encoding="utf-8").splitlines()
        positions = [file_lines.index(t) for k, t in seed["essays"] if k == "paragraph" and t in file_lines]
        assert positions == sorted(positions), path.name
    assert order


def test_theme_links_name_real_themes(handbook):
    calls = re.findall(r"theme_links\(\s*(['\"])(.*?)\1\s*\)",
                       "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "docs").rglob("*.md")))
    assert calls, "the essays link their themes to stories"
    themes = set(handbook.taxonomy.ids("themes"))
    assert [name for _, name in calls if name not in themes] == []
    for essay_theme in ("self-compassion", "boundaries", "emotional-regulation", "tolerating-discomfort",
                        "integration"):
        assert essay_theme in {name for _, name in calls}


def test_theme_links_sit_between_paragraphs():
    """A macro call is a paragraph of its own, never inside the quoted text."""
    for line in essay_lines():
        if "theme_links(" in line:
            assert re.fullmatch(r"\{\{ theme_links\(\"[a-z0-9-]+\"\) \}\}", line), line


# ---- reading level ----------------------------------------------------------------------------

def report(label: str, grades: list[float]) -> None:
    print(f"\n{label}: n={len(grades)} min={min(grades):.1f} median={statistics.median(grades):.1f} "
          f"max={max(grades):.1f}")


def test_story_editorial_text_reading_level(handbook):
    """Editors sign off the editorial text when they review a story; before that the
    contributor's check shows a reading-level warning, never a failure."""
    grades = {s.id: grade(editorial_text(s)) for s in handbook.stories if s.meta.reviewed}
    report("story editorial text (Flesch-Kincaid grade)", list(grades.values()))
    assert {k: g for k, g in grades.items() if g > GRADE_LIMIT} == {}


def test_chapter_introductions_reading_level(handbook):
    grades = {c.id: grade(c.introduction) for c in handbook.taxonomy.chapters}
    report("chapter introductions", list(grades.values()))
    assert {k: g for k, g in grades.items() if g > GRADE_LIMIT} == {}


def test_pathway_introductions_reading_level(handbook):
    grades = {p.id: grade(p.introduction) for p in handbook.pathways.pathways}
    report("pathway introductions", list(grades.values()))
    assert {k: g for k, g in grades.items() if g > GRADE_LIMIT} == {}


def plain_prose(markdown: str) -> str:
    """Markdown page -> the sentences a reader sees: no macros, anchors, links syntax or markers."""
    text = re.sub(r"\{\{.*?\}\}|\{%.*?%\}", " ", markdown, flags=re.S)
    text = re.sub(r"\{#[^}]*\}", "", text)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"[*_`>]+", "", text)
    out = []
    for line in text.splitlines():
        line = re.sub(r"^\s*(#+|[-+]|\d+\.)\s+", "", line).strip()
        if line:
            out.append(line if line.endswith((".", "?", "!", ":")) else line + ".")  # a heading is a sentence
    return " ".join(out)


def test_plain_prose_strips_syntax():
    text = plain_prose('# Title {#t}\n\nSee the [matrix](../matrix.md) and **bold**.\n\n- item one\n\n{{ x() }}\n')
    assert text == "Title. See the matrix and bold. item one."


def test_clinicians_page_reading_level():
    prose = plain_prose((ROOT / "docs/clinicians/index.md").read_text(encoding="utf-8"))
    assert len(prose.split()) > 200
    g = grade(prose)
    print(f"\nclinicians page: grade {g} over {len(prose.split())} words")
    assert g <= GRADE_LIMIT


# ---- pathways ----------------------------------------------------------------------------

def test_at_least_8_pathways_of_real_stories(handbook):
    pathways = handbook.pathways.pathways
    assert len(pathways) >= 8
    for p in pathways:
        assert p.stories and all(sid in handbook.by_id for sid in p.stories), p.id
        assert len(set(p.stories)) == len(p.stories), p.id
        assert len(p.prompts) >= 2


def test_bad_pathway_story_id_is_reported_with_did_you_mean(repo):
    pathways = repo / "stories/pathways.yml"
    text = pathways.read_text(encoding="utf-8")
    assert "      - sarah-from-anger-to-vulnerability\n" in text
    pathways.write_text(text.replace("      - sarah-from-anger-to-vulnerability\n",
                                     "      - sarah-from-anger-to-vulnerabilty\n", 1), encoding="utf-8")
    hb, problems = load_handbook(repo)
    assert hb is None
    messages = [str(p) for p in problems]
    assert len(messages) == 1, messages
    assert messages[0].startswith("stories/pathways.yml")
    assert '"sarah-from-anger-to-vulnerabilty" is not a story id. Did you mean ' \
           '"sarah-from-anger-to-vulnerability"?' in messages[0]


def test_a_broken_story_in_a_pathway_is_reported_once(repo):
    """The story file's own problem is reported; its pathway entry adds no misleading second message."""
    path = repo / "stories/sarah-from-anger-to-vulnerability.md"
    path.write_text(path.read_text(encoding="utf-8").replace("person: Sarah", "person: 12"), encoding="utf-8")
    hb, problems = load_handbook(repo)
    assert hb is None
    assert [(p.path, p.field) for p in problems] == [("stories/sarah-from-anger-to-vulnerability.md", "person")]


# ---- overdue and reading-level rules, injected data -------------------------------------------

def with_review(story, day: dt.date):
    return dataclasses.replace(story, meta=story.meta.model_copy(update={"reviewed": day}))


@pytest.mark.parametrize("day, months, expected", [
    (dt.date(2024, 1, 31), 1, dt.date(2024, 2, 29)),    # leap year: clamp to Feb 29
    (dt.date(2025, 1, 31), 1, dt.date(2025, 2, 28)),    # clamp to Feb 28
    (dt.date(2024, 3, 31), 1, dt.date(2024, 4, 30)),
    (dt.date(2024, 12, 31), 2, dt.date(2025, 2, 28)),   # over a year end
    (dt.date(2024, 11, 15), 2, dt.date(2025, 1, 15)),
    (dt.date(2024, 2, 29), 24, dt.date(2026, 2, 28)),
    (dt.date(2024, 2, 29), 48, dt.date(2028, 2, 29)),
    (dt.date(2024, 1, 1), 24, dt.date(2026, 1, 1)),
    (dt.date(2024, 5, 20), 0, dt.date(2024, 5, 20)),
    (dt.date(2024, 3, 31), -1, dt.date(2024, 2, 29)),
    (dt.date(2024, 1, 15), 12 * 10, dt.date(2034, 1, 15)),
])
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


def test_overdue_with_a_fixed_today(handbook):
    base = handbook.stories[:3]
    stories = [with_review(base[0], dt.date(2024, 1, 1)), with_review(base[1], dt.date(2024, 1, 2)),
               with_review(base[2], dt.date(2025, 6, 1))]
    today = dt.date(2026, 1, 2)
    assert [s.id for s in overdue(stories, today, 24)] == [base[0].id]
    assert [s.id for s in overdue(stories, dt.date(2026, 1, 3), 24)] == [base[0].id, base[1].id]
    assert [s.id for s in overdue(stories, today, 6)] == [s.id for s in base]
    assert overdue(stories, dt.date(2025, 1, 1), 24) == []


def test_no_story_is_overdue_on_the_earliest_review_date(handbook):
    """(Whether a review is overdue today is information for the editors, never a test failure.)"""
    reviewed = [s for s in handbook.stories if s.meta.reviewed]
    first = min(s.meta.reviewed for s in reviewed)
    assert reviewed and overdue(reviewed, first, handbook.settings.review_period_months) == []


def test_reading_warning_rule_with_injected_text(handbook):
    story = handbook.stories[0]
    hard = story.meta.model_copy(update={
        "summary": "Notwithstanding considerable interpersonal apprehensiveness, the storyteller "
                   "systematically reconceptualized intergenerational attachment dysregulation."})
    hard_story = dataclasses.replace(story, meta=hard)
    assert grade(editorial_text(hard_story)) > grade(editorial_text(story))
    warnings = reading_warnings([story, hard_story], limit=GRADE_LIMIT)
    assert len(warnings) == 1 and warnings[0].startswith(f"{story.path}: warning: the editorial text")
    assert reading_warnings([hard_story], limit=30) == []


def test_editorial_text_joins_every_editorial_field(handbook):
    story = handbook.stories[0]
    text = editorial_text(story)
    for part in (story.meta.summary, story.meta.shift.from_, story.meta.shift.to, *story.meta.reflection):
        assert part.rstrip(".") in text
    assert story.body[:40] not in text


def test_grade_orders_simple_and_complex_text():
    assert grade("") == 0.0
    simple = grade("I felt sad. I told my friend. She gave me a hug.")
    complex_ = grade("Notwithstanding considerable apprehensiveness, I systematically communicated "
                     "multidimensional interpersonal vulnerabilities to acquaintances.")
    assert simple < 4 < GRADE_LIMIT < complex_
