"""The offline handbook as an ordered list of documents, built from the Story models and the
site's renderers (pages.py, toolkit.py, render.py): the EPUB and the PDFs share it.

Reading order follows the site: the framing and disclaimer first, the KAP page, the
chapters with their stories, the essays, the glossary. Crisis lines come in the front
matter and at the end of every chapter.
"""
from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path

from macros.render import pages, toolkit
from macros.read.handbook import Handbook, without_stories
from macros.read.model import Chapter, Pathway, Story
from macros.read.publication import held_back_reasons
from macros.render.markup import esc, story_body_html
from macros.read.routes import route_of
from macros.offline.docpages import docs_page_html

TITLE = "Ripples"
SUBTITLE = "Stories of how ketamine-assisted psychotherapy changed people’s relationships"
ESSAYS = ["understanding/index.md", "understanding/ripple-effects.md", "understanding/common-themes.md",
          "understanding/integration.md"]


@dataclass
class Doc:
    file: str                 # name inside the book, e.g. "story-ana.xhtml"
    title: str
    html: str                 # the body's content (a fragment)
    landmark: str = ""        # EPUB landmark / structural type: "bodymatter", "glossary", ...
    url: str = ""             # the site page it stands for ("" is none): links to it stay in the book
    src: str = ""             # its docs/ source, for the Markdown's relative .md links
    children: list["Doc"] = field(default_factory=list)  # a chapter's stories


def published_stories(hb: Handbook) -> list[Story]:
    """The stories the published site shows (macros/read/publication.py decides)."""
    return [s for s in hb.stories if not held_back_reasons(s)]


def published_handbook(hb: Handbook) -> Handbook:
    """The handbook as published, whatever mode `hb` was loaded in: every renderer (essays'
    story links, counts, pathways) sees only the stories the published site shows."""
    shown = published_stories(hb)
    if len(shown) == len(hb.stories):
        return hb
    held = {s.id for s in hb.stories} - {s.id for s in shown}
    return Handbook(hb.root, hb.taxonomy, shown, without_stories(hb.pathways, held), hb.glossary, hb.settings,
                    hb.redirects)


def heading(level: int, text: str, anchor: str) -> str:
    return f'<h{level} id="{anchor}">{esc(text)}</h{level}>'


def crisis_box(hb: Handbook) -> str:
    return toolkit.crisis_lines(hb.settings, label="Crisis lines")


def story_html(story: Story, hb: Handbook, level: int = 1) -> str:
    """A story as on its site page: content notes before the words, the words verbatim,
    the editorial parts marked. Site-only parts (related stories, tools) are left out."""
    m = story.meta
    return (f'<p class="story-person">{esc(m.person)}’s story</p>{heading(level, m.title, "top")}'
            + pages.editorial(f"<p>{pages.editorial_text(m.summary, hb)}</p>", "summary")
            + pages.content_notes_box(story, hb)
            + heading(level + 1, pages.STORY_SECTIONS["story"], "story")
            + f'<div class="story-body" lang="en">{story_body_html(story.body)}</div>'
            + heading(level + 1, pages.STORY_SECTIONS["shift"], "shift") + pages.shift_html(story, hb)
            + heading(level + 1, pages.STORY_SECTIONS["reflection"], "reflection") + pages.reflection_html(story, hb)
            + pages.review_line(story))


def chapter_html(chapter: Chapter, hb: Handbook, level: int = 1) -> str:
    return (heading(level, chapter.name, "top") + f'<p class="hub-description">{esc(chapter.description)}</p>'
            + pages.editorial(f"<p>{pages.editorial_text(chapter.introduction, hb)}</p>", "introduction"))


def title_page_html(hb: Handbook, date: str) -> str:
    return (f'<h1 id="top" class="book-title">{TITLE}</h1><p class="book-subtitle">{esc(SUBTITLE)}</p>'
            f'<p class="disclaimer"><strong>{esc(hb.settings.disclaimer)}</strong></p>'
            + crisis_box(hb) + f'<p class="edition">Offline edition of {date}.</p>')


def story_file(story: Story) -> str:
    return f"story-{story.id}.xhtml"


def chapter_docs(hb: Handbook, stories: list[Story], level: int = 1) -> list[Doc]:
    """One document per chapter with stories, its stories as children; the chapter's last
    document ends with the crisis lines."""
    docs = []
    for chapter in hb.taxonomy.sorted_chapters():
        members = [s for s in stories if s.meta.chapter == chapter.id]
        if not members:
            continue
        children = [Doc(story_file(s), s.label, story_html(s, hb, level), url=s.url)
                    for s in members]
        children[-1].html += crisis_box(hb)
        docs.append(Doc(f"chapter-{chapter.id}.xhtml", chapter.name, chapter_html(chapter, hb), "bodymatter",
                        pages.hub_url("chapters", chapter.id), children=children))
    return docs


def docs_page(root: Path, hb: Handbook, src: str, file: str, landmark: str = "") -> Doc:
    html = docs_page_html(root, src, hb, route_of(src))
    title = re.sub(r"<[^>]+>", "", re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1))
    return Doc(file, title, html + crisis_box(hb), landmark, route_of(src), src)


def essay_file(src: str) -> str:
    return "essay-" + posixpath.splitext(posixpath.basename(src))[0] + ".xhtml"


def handbook_docs(root: Path, hb: Handbook, date: str, level: int = 1) -> list[Doc]:
    """The whole handbook in reading order. `level` 1: each story is a document with its own
    <h1> (EPUB); 2: stories are <h2> under their chapter's <h1> (one PDF, one outline)."""
    stories = published_stories(hb)
    return ([Doc("title.xhtml", TITLE, title_page_html(hb, date), "titlepage"),
             docs_page(root, hb, "index.md", "home.xhtml", "frontmatter"),
             docs_page(root, hb, "about/kap.md", "kap.xhtml", "frontmatter")]
            + chapter_docs(hb, stories, level)
            + [docs_page(root, hb, src, essay_file(src)) for src in ESSAYS]
            + [Doc("glossary.xhtml", "Glossary", glossary_html(hb), "glossary", "glossary/")])


def glossary_html(hb: Handbook) -> str:
    """The glossary as an EPUB glossary (back-links are added by links.link_terms)."""
    items = "".join(f'<dt id="term-{esc(t.id)}"><dfn>{esc(t.term)}</dfn></dt><dd>{esc(t.definition)}</dd>'
                    for t in sorted(hb.glossary.terms, key=lambda t: t.term.casefold()))
    return (f'<h1 id="top">Glossary</h1>{pages.editorial_label()}'
            f'<section epub:type="glossary" role="doc-glossary" aria-label="Glossary terms"><dl>{items}</dl></section>')


def all_docs(docs: list[Doc]) -> list[Doc]:
    """Flattened reading order."""
    return [d for doc in docs for d in (doc, *doc.children)]


def pathway_intro_html(pathway: Pathway, hb: Handbook) -> str:
    prompts = "".join(f"<li>{pages.editorial_text(q, hb)}</li>" for q in pathway.prompts)
    return (heading(1, pathway.name, "top") + f'<p class="hub-description">{esc(pathway.description)}</p>'
            + pages.editorial(f"<p>{pages.editorial_text(pathway.introduction, hb)}</p>", "introduction")
            + heading(2, "Discussion prompts", "prompts") + pages.editorial(f'<ol class="prompts">{prompts}</ol>'))


def pathway_docs(hb: Handbook, pathway: Pathway, date: str) -> list[Doc]:
    """One pathway: title page, its introduction and prompts, then its published stories."""
    shown = {s.id for s in published_stories(hb)}
    stories = [hb.by_id[i] for i in pathway.stories if i in shown]
    children = [Doc(story_file(s), s.label, story_html(s, hb, 2) + crisis_box(hb), url=s.url) for s in stories]
    return [Doc("title.xhtml", TITLE, title_page_html(hb, date), "titlepage"),
            Doc(f"pathway-{pathway.id}.xhtml", pathway.name, pathway_intro_html(pathway, hb), "bodymatter",
                toolkit.pathway_url(pathway), children=children)]
