"""The data model: one place that says what a story and the vocabulary are.

The front-matter model is the schema contributors write against; it is also
exported as stories/story.schema.json for editor autocompletion.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Annotated, Optional

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

ID_RULE = r"^[a-z0-9]+(-[a-z0-9]+)*$"
ID_PATTERN = re.compile(ID_RULE)
SUMMARY_MAX = 200
THEMES_MAX = 6
REFLECTION_MIN, REFLECTION_MAX = 2, 4
CRISIS_HREF = r"^(tel:\+?[0-9]+|sms:\+?[0-9]+|https://[A-Za-z0-9][^\s\"'<>]*)$"

Text = Annotated[str, StringConstraints(strict=True, strip_whitespace=True, min_length=1)]
Id = Annotated[str, StringConstraints(strict=True, strip_whitespace=True, min_length=1)]


def _blank_is_none(value):
    """An editorial field left blank (`summary: ""`, `reflection: []`) is one left to the editors."""
    return None if value == [] or (isinstance(value, str) and not value.strip()) else value


LeftToEditors = BeforeValidator(_blank_is_none)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)


class Shift(_Strict):
    from_: Text = Field(alias="from", description="Editorial: the old pattern, in plain words.")
    to: Text = Field(description="Editorial: the new pattern, in plain words.")


class Consent(_Strict):
    permission: bool = Field(description="The storyteller gave permission to publish this text.")
    deidentified: bool = Field(description="The storyteller cannot be identified from the story.")
    others_deidentified: bool = Field(
        description="Nobody else in the story (partners, children, colleagues) can be identified.")


class Reviewer(_Strict):
    name: Text = Field(description="Name of the editorial reviewer.")
    role: Text = Field(description="Their role, e.g. 'Clinical psychologist'.")


class FrontMatter(_Strict):
    """Every key a story file may (and must) have. Unknown keys are errors."""
    title: Text = Field(description="The story's title, e.g. 'From Anger to Vulnerability'.")
    person: Text = Field(description="The storyteller's given name or pseudonym: one word (letters, hyphen, "
                                     "apostrophe). It becomes part of the permanent address.")
    chapter: Id = Field(description="The chapter id this story belongs to.")
    domains: list[Id] = Field(min_length=1, description="Relationship domains; the first is the main one.")
    # Themes and the editorial fields may be left to the editors: a story without them passes the
    # check and is held back from publishing until they are written (editorial.missing_editorial_fields).
    themes: list[Id] = Field(default_factory=list, max_length=THEMES_MAX,
                             description="Theme ids, 1 to 6 (the editors choose them when left empty).")
    summary: Annotated[Optional[Annotated[Text, StringConstraints(max_length=SUMMARY_MAX)]], LeftToEditors] = Field(
        default=None, description=f"Editorial: one plain sentence, at most {SUMMARY_MAX} characters "
                                  "(the editors write it when left empty).")
    shift: Optional[Shift] = Field(default=None, description="Editorial: the change the story describes, "
                                                             "from and to (the editors write it when left empty).")
    reflection: Annotated[Optional[Annotated[list[Text], Field(min_length=REFLECTION_MIN, max_length=REFLECTION_MAX)]],
                          LeftToEditors] = Field(
        default=None, description="Editorial: 2 to 4 questions to think about or discuss "
                                  "(the editors write them when left empty).")
    content_notes: list[Id] = Field(default_factory=list,
                                    description="Content note ids for difficult topics; may be empty: [].")
    consent: Consent = Field(description="Consent and de-identification; all three must be true to publish.")
    reviewed: Optional[dt.date] = Field(
        default=None, description="Editors only: date of the last editorial review, YYYY-MM-DD. Leave it empty; "
                                  "a story without it is awaiting review and is never published.")
    reviewer: Optional[Reviewer] = Field(default=None, description="Optional: who reviewed it (name and role).")


FIELDS = list(FrontMatter.model_fields)
YAML_KEYS = [f.alias or name for name, f in FrontMatter.model_fields.items()]


@dataclass(frozen=True)
class Story:
    id: str
    path: str            # as shown in messages, e.g. "stories/sarah-from-anger.md"
    meta: FrontMatter
    body: str            # the storyteller's words, Markdown, verbatim
    body_line: int       # line of the body's first line in the file

    @property
    def url(self) -> str:
        return f"stories/{self.id}/"

    @property
    def label(self) -> str:
        return f"{self.meta.person}: {self.meta.title}"


# ---- the vocabulary (stories/taxonomy.yml) -------------------------------

class Entry(_Strict):
    id: Annotated[str, StringConstraints(pattern=ID_RULE)]
    name: Text
    description: Text


class Chapter(Entry):
    order: int
    introduction: Text


class Taxonomy(_Strict):
    domains: list[Entry]
    chapters: list[Chapter]
    themes: list[Entry]
    content_notes: list[Entry]

    def ids(self, kind: str) -> list[str]:
        return [e.id for e in getattr(self, kind)]

    def get(self, kind: str, id_: str) -> Entry:
        return next(e for e in getattr(self, kind) if e.id == id_)

    def sorted_chapters(self) -> list[Chapter]:
        return sorted(self.chapters, key=lambda c: (c.order, c.id))


# Hub kinds: taxonomy list -> (story field, URL folder, singular label)
HUBS = {
    "chapters": ("chapter", "chapters", "Chapter"),
    "domains": ("domains", "domains", "Relationship"),
    "themes": ("themes", "themes", "Theme"),
    "content_notes": ("content_notes", "content-notes", "Content note"),
}


# ---- the clinicians' and site data (stories/pathways.yml, glossary.yml, handbook.yml)

class Pathway(Entry):
    introduction: Text
    stories: list[Annotated[str, StringConstraints(pattern=ID_RULE)]] = Field(min_length=1)
    prompts: list[Text] = Field(min_length=1)


class Pathways(_Strict):
    pathways: list[Pathway]


# A glossary word becomes Markdown abbreviation syntax (*[word]: ...) on hand-written pages:
# words only, so it can never carry brackets or other syntax.
Word = Annotated[str, StringConstraints(strict=True, strip_whitespace=True, pattern=r"^[^\W_][\w '’-]*$")]


class Term(_Strict):
    id: Annotated[str, StringConstraints(pattern=ID_RULE)]
    term: Word
    aliases: list[Word] = []
    definition: Text


class Glossary(_Strict):
    terms: list[Term]


class CrisisLine(_Strict):
    label: Text
    href: Annotated[str, StringConstraints(pattern=CRISIS_HREF)]


class Crisis(_Strict):
    title: Text
    lines: list[CrisisLine] = Field(min_length=1)
    emergency: Text


class Settings(_Strict):
    contact_email: Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$")]
    review_period_months: int = Field(default=24, ge=1)
    hub_page_size: int = Field(default=48, ge=2, le=500)  # story cards per hub page
    crisis: Crisis
    disclaimer: Text


# No segment starts with "." (so no "." or ".."): a redirect only names a real address below the site.
SitePath = Annotated[str, StringConstraints(pattern=r"^/([a-z0-9_-][a-z0-9._-]*/)*$")]


class Redirect(_Strict):
    from_: SitePath = Field(alias="from")
    to: SitePath
    withdrawn: bool = False


class Redirects(_Strict):
    redirects: list[Redirect]

    def target(self, path: str) -> Redirect | None:
        return next((r for r in self.redirects if r.from_ == path), None)
