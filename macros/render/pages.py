"""Pure functions: Handbook -> the Markdown of each generated page.

Generated pages mix trusted Markdown headings (explicit ids, so the table of
contents and anchors work) with raw HTML blocks built from escaped data.
Contributor text never reaches Markdown or Jinja: it is escaped or sanitized
HTML before MkDocs sees it.
"""
from __future__ import annotations

import heapq

import yaml

from macros.read.handbook import Handbook
from macros.read.model import HUBS, Entry, Story
from macros.read.sections import EDITORIAL_LABEL, STORY_SECTIONS  # noqa: F401  (also pages.STORY_SECTIONS)
from macros.render.markup import annotate_terms, esc, link, rel, story_body_html

# Hubs only repeat the stories' cards: leaving them out of Material's search index
# keeps it (and every reader's first download) proportional to the stories alone.
NOT_SEARCHED = {"exclude": True}


def front_matter(**meta) -> str:
    # libyaml's C dumper when present: the pure-Python one was ~5 % of the build
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return "---\n" + yaml.dump(meta, Dumper=dumper, allow_unicode=True, sort_keys=True) + "---\n\n"


def heading(level: int, text: str, anchor: str) -> str:
    return f"{'#' * level} {esc(text)} {{#{anchor}}}\n\n"


def block(html: str) -> str:
    """A raw HTML block for Markdown: no blank lines inside, blank lines around."""
    lines = [line for line in html.split("\n") if line.strip()]
    return "\n".join(lines) + "\n\n"


_TERMS: list = []  # [(glossary, its terms)]: editorial text asks ~6 times per story page


def glossary_terms(hb: Handbook) -> tuple[tuple[str, str], ...]:
    if not _TERMS or _TERMS[0][0] is not hb.glossary:
        _TERMS[:] = [(hb.glossary, tuple((word, t.definition) for t in hb.glossary.terms
                                          for word in (t.term, *t.aliases)))]
    return _TERMS[0][1]


def editorial_text(text: str, hb: Handbook) -> str:
    """Escaped editorial text with glossary tooltips (never used on storytellers' words)."""
    return annotate_terms(esc(text), glossary_terms(hb))


def count_of(n: int, one: str = "story", many: str = "stories") -> str:
    """ "1 story", "2 stories": every count the site prints goes through here."""
    return f"{n} {one if n == 1 else many}"


def hub_url(kind: str, id_: str) -> str:
    return f"{HUBS[kind][1]}/{id_}/"


def editorial_label() -> str:
    return (f'<p class="editorial-label" data-search-exclude>{EDITORIAL_LABEL}'
            f' <span class="editorial-hint">· written by the Ripples editors, not the storyteller</span></p>')


def editorial(inner: str, cls: str = "", attrs: str = "") -> str:
    return f'<div class="editorial {cls}"{attrs}>{editorial_label()}{inner}</div>'


def page_review_line(meta: dict) -> str:
    """"Last reviewed" for a hand-written editorial page, from its front matter, as on a story."""
    reviewed = meta.get("reviewed")
    if reviewed is None:
        raise ValueError("review_line(): add `reviewed: YYYY-MM-DD` to this page's front matter")
    who = meta.get("reviewer") or {}
    by = f" by {esc(who['name'])}, {esc(who['role'])}" if who else ""
    return (f'<p class="reviewed">Last reviewed: <time datetime="{reviewed.isoformat()}">'
            f'{reviewed.strftime("%-d %B %Y")}</time>{by}</p>')


def chips(kind: str, ids: list[str], hb: Handbook, here: str, label: str) -> str:
    if not ids:
        return ""
    items = "".join(f"<li>{link(here, hub_url(kind, i), hb.taxonomy.get(kind, i).name)}</li>" for i in ids)
    return f'<ul class="chips chips-{kind}" aria-label="{esc(label)}">{items}</ul>'


def content_note_names(story: Story, hb: Handbook) -> list[str]:
    return [hb.taxonomy.get("content_notes", c).name for c in story.meta.content_notes]


def notes_attr(story: Story) -> str:
    """The attribute every element that names a story carries: the content-note filter
    (ripples.js) hides exactly the elements whose notes the reader chose to hide."""
    return f' data-content-notes="{esc(" ".join(story.meta.content_notes))}"'


def story_card(story: Story, hb: Handbook, here: str, address: str = "") -> str:
    """One story in a listing. `address`: the story's short address, printed on paper handouts."""
    notes = content_note_names(story, hb)
    note_html = (f'<p class="card-notes"><span class="cn-label">Content notes:</span> {esc(", ".join(notes))}</p>'
                 if notes else "")
    domains = ", ".join(hb.taxonomy.get("domains", d).name for d in story.meta.domains)
    address_html = f'<p class="card-address print-block">{esc(address)}</p>' if address else ""
    return (f'<li class="story-card"{notes_attr(story)}>'
            f'<p class="card-title">{link(here, story.url, story.label)}</p>'
            + (f'<p class="card-summary">{esc(story.meta.summary)}</p>' if story.meta.summary else "") +
            f'<p class="card-meta">{esc(domains)}</p>{note_html}{address_html}</li>')


def content_note_filter(stories: list[Story], hb: Handbook, exclude: str = "") -> str:
    """Checkboxes to hide stories with chosen content notes, for every listing on the page;
    shown only when scripts run. The choice is remembered on the device (ripples.js). A
    content-note hub never offers to hide its own note (`exclude`)."""
    used = [e for e in hb.taxonomy.content_notes
            if e.id != exclude and any(e.id in s.meta.content_notes for s in stories)]
    if not used:
        return ""
    boxes = "".join(f'<label><input type="checkbox" value="{esc(e.id)}"> {esc(e.name)}</label>' for e in used)
    return (f'<fieldset class="cn-filter" hidden><legend>Hide stories with these content notes</legend>'
            f'{boxes}<p class="cn-status" role="status" aria-live="polite"></p>'
            '<p class="cn-remember">Your choice is kept on this device only. '
            '<button type="button" class="cn-reset">Show all stories</button></p></fieldset>')


def story_list(stories: list[Story], hb: Handbook, here: str, with_filter: bool = True, attrs: str = "",
               exclude_note: str = "") -> str:
    if not stories:
        return '<p class="empty">No stories here yet.</p>'
    cards = "".join(story_card(s, hb, here) for s in stories)
    return ((content_note_filter(stories, hb, exclude_note) if with_filter else "")
            + f'<ul class="story-cards"{attrs}>{cards}</ul>')


# ---- story pages -----------------------------------------------------------

RELATED_POOL = 40  # candidates taken from each shared theme/domain: keeps the build linear in N


def related_stories(story: Story, hb: Handbook, n: int = 3) -> list[Story]:
    """Most shared themes (x2) and domains; ties by handbook order (deterministic).

    Candidates are the first RELATED_POOL stories of each of the story's themes and
    domains, so each page costs the same at 30 or 3,000 stories (exact for small hubs).
    """
    themes, domains = set(story.meta.themes), set(story.meta.domains)
    pool = {s.id: s for kind, ids in (("themes", themes), ("domains", domains))
            for i in ids for s in hb.in_hub(kind, i)[:RELATED_POOL]}
    pool.pop(story.id, None)

    def rank(s: Story) -> tuple[int, int]:  # positions are unique: no ties, any pool order
        shared = 2 * len(themes.intersection(s.meta.themes)) + len(domains.intersection(s.meta.domains))
        return -shared, hb.position[s.id]
    return heapq.nsmallest(n, pool.values(), key=rank)


def chapter_neighbours(story: Story, hb: Handbook) -> tuple[Story | None, Story | None]:
    siblings = hb.in_hub("chapters", story.meta.chapter)
    first = hb.position[siblings[0].id]  # a chapter's stories are contiguous in handbook order
    i = hb.position[story.id] - first
    return (siblings[i - 1] if i > 0 else None), (siblings[i + 1] if i + 1 < len(siblings) else None)


def story_header(story: Story, hb: Handbook, tools: str = "") -> str:
    """What a reader sees first: whose story, its title, its content notes, the summary and the
    tools. On a phone the content notes are on the first screen and the story starts within one
    and a half (tests/test_browser_first_screen.py): the chapter and chips follow the story."""
    m = story.meta
    return (review_banner(story) + f'<header class="story-header"><p class="story-person">{esc(m.person)}’s story</p>'
            f'<h1 id="top">{esc(m.title)}</h1>' + content_notes_box(story, hb)
            + editorial(f"<p>{editorial_text(m.summary, hb) if m.summary else esc(NOT_WRITTEN)}</p>", "summary",
                        ' id="summary"')
            + f'{tools}</header>')


def story_meta(story: Story, hb: Handbook) -> str:
    """The story's chapter, relationships and themes, after the story: ways to more like it."""
    here, m = story.url, story.meta
    chapter = hb.taxonomy.get("chapters", m.chapter)
    return (f'<div class="story-meta"><p class="story-chapter">Chapter: '
            f'{link(here, hub_url("chapters", m.chapter), chapter.name)}</p>'
            f'{chips("domains", m.domains, hb, here, "Relationships")}{chips("themes", m.themes, hb, here, "Themes")}</div>')


def content_notes_box(story: Story, hb: Handbook) -> str:
    notes = content_note_names(story, hb)
    if not notes:  # said, not left out: a reader checks before reading (hidden on the printed handout)
        return ('<aside class="content-notes content-notes-none" id="content-notes" aria-label="Content notes" '
                f'data-search-exclude><p><strong>No content notes.</strong> This story is not marked with any of the '
                f'{link(story.url, HUBS["content_notes"][1] + "/", "difficult topics we list")}.</p></aside>')
    return (f'<aside class="content-notes" id="content-notes" aria-label="Content notes" data-search-exclude>'
            f'<p><strong>Content notes:</strong> this story mentions {esc(", ".join(notes).lower())}.</p>'
            f'<p><a href="#reflection">Skip the story and go to the reflection questions</a></p></aside>')


# A preview of a story whose editorial fields the storyteller left to the editors (never published).
NOT_WRITTEN = "The editors will write this part."


def shift_html(story: Story, hb: Handbook) -> str:
    s = story.meta.shift
    if s is None:
        return editorial(f"<p>{esc(NOT_WRITTEN)}</p>")
    return editorial(f'<dl class="shift"><dt>From</dt><dd>{editorial_text(s.from_, hb)}</dd>'
                     f'<dt>To</dt><dd>{editorial_text(s.to, hb)}</dd></dl>')


def reflection_html(story: Story, hb: Handbook) -> str:
    if not story.meta.reflection:
        return editorial(f"<p>{esc(NOT_WRITTEN)}</p>")
    items = "".join(f"<li>{editorial_text(q, hb)}</li>" for q in story.meta.reflection)
    return editorial(f'<ol class="reflection">{items}</ol>')


def chapter_nav(story: Story, hb: Handbook) -> str:
    prev, nxt = chapter_neighbours(story, hb)
    parts = []
    if prev:
        parts.append(f'<li class="prev"{notes_attr(prev)}>Previous in this chapter: {link(story.url, prev.url, prev.label)}</li>')
    if nxt:
        parts.append(f'<li class="next"{notes_attr(nxt)}>Next in this chapter: {link(story.url, nxt.url, nxt.label)}</li>')
    return f'<nav class="chapter-nav" aria-label="More in this chapter"><ul>{"".join(parts)}</ul></nav>' if parts else ""


AWAITING_REVIEW = ("Awaiting editorial review: this story has not been reviewed by the Ripples editors yet. "
                   "This is a preview; the published handbook shows only reviewed stories.")


def review_banner(story: Story) -> str:
    """Preview builds only (a publish build refuses unreviewed stories)."""
    if story.meta.reviewed is not None:
        return ""
    return f'<p class="review-pending" role="note" data-search-exclude><strong>{esc(AWAITING_REVIEW)}</strong></p>'


def review_line(story: Story) -> str:
    m = story.meta
    if m.reviewed is None:
        return '<p class="reviewed">Not reviewed yet.</p>'
    who = f" by {esc(m.reviewer.name)}, {esc(m.reviewer.role)}" if m.reviewer else ""
    return (f'<p class="reviewed">Last reviewed: <time datetime="{m.reviewed.isoformat()}">'
            f'{m.reviewed.strftime("%-d %B %Y")}</time>{who}</p>')


def story_page(story: Story, hb: Handbook, extras: dict[str, str] | None = None) -> str:
    """Markdown for /stories/<id>/. `extras` maps a slot name to extra HTML (toolkit features):
    "tools" beside the title, "handout" (print only: floats beside the shift and the
    questions), "after_reflection", "footer"."""
    extras = extras or {}
    here = story.url
    related = story_list(related_stories(story, hb), hb, here, with_filter=False, attrs=" data-search-exclude")
    return (front_matter(title=story.label, description=story.meta.summary or f"{story.label}. A Ripples story.",
                         ripples={"kind": "story", "id": story.id})
            + block(story_header(story, hb, extras.get("tools", "")))
            + heading(2, STORY_SECTIONS["story"], "story")
            + block(f'<div class="story-body" lang="en">{story_body_html(story.body)}</div>' + story_meta(story, hb))
            + (block(extras["handout"]) if extras.get("handout") else "")
            + heading(2, STORY_SECTIONS["shift"], "shift") + block(shift_html(story, hb))
            + heading(2, STORY_SECTIONS["reflection"], "reflection") + block(reflection_html(story, hb))
            + extras.get("after_reflection", "")
            + heading(2, STORY_SECTIONS["related"], "related") + block(related)
            + block(f'<div class="story-footer" data-search-exclude>{chapter_nav(story, hb)}{review_line(story)}'
                    f'{extras.get("footer", "")}</div>'))


# ---- hub pages ---------------------------------------------------------------

def hub_page_url(kind: str, id_: str, number: int = 1) -> str:
    """Page 1 of a hub is the hub's own (permanent) address; page n is `<hub>/page/n/`."""
    return hub_url(kind, id_) + ("" if number == 1 else f"page/{number}/")


def hub_page_count(kind: str, id_: str, hb: Handbook) -> int:
    size = hb.settings.hub_page_size
    return max(1, -(-len(hb.in_hub(kind, id_)) // size))


def page_numbers(number: int, total: int, around: int = 2) -> list[int | None]:
    """The pages a pager links: the first, the last and `around` either side of the
    current one, in order; None marks a gap. Bounded, however many pages there are."""
    shown = sorted({1, total, *range(max(1, number - around), min(total, number + around) + 1)})
    out: list[int | None] = []
    for n in shown:
        if out and n - out[-1] > 1:
            out.append(None)
        out.append(n)
    return out


def pager(kind: str, entry: Entry, number: int, total: int) -> str:
    """Links between a hub's pages (none when it has one page)."""
    if total == 1:
        return ""
    here = hub_page_url(kind, entry.id, number)

    def href(n: int) -> str:
        return esc(rel(here, hub_page_url(kind, entry.id, n)))

    items = []
    if number > 1:
        items.append(f'<li><a rel="prev" href="{href(number - 1)}">Previous<span class="md-visually-hidden">'
                     ' page</span></a></li>')
    for n in page_numbers(number, total):
        if n is None:
            items.append('<li class="pager-gap" aria-hidden="true">…</li>')
        else:
            current = ' aria-current="page"' if n == number else ""
            items.append(f'<li><a href="{href(n)}"{current} aria-label="Page {n}">{n}</a></li>')
    if number < total:
        items.append(f'<li><a rel="next" href="{href(number + 1)}">Next<span class="md-visually-hidden">'
                     ' page</span></a></li>')
    return (f'<nav class="pager" aria-label="Pages of stories: {esc(entry.name)}">'
            f'<ul>{"".join(items)}</ul></nav>')


def hub_page(kind: str, entry: Entry, hb: Handbook, number: int = 1) -> str:
    """Page `number` of a hub: at most `hub_page_size` story cards (handbook order), so a
    hub weighs the same in a reader's phone at 3,000 stories as at 30. Page 1 also has
    the introduction and, for themes, the by-relationship lists the matrix links to."""
    here = hub_page_url(kind, entry.id, number)
    stories, total, size = hb.in_hub(kind, entry.id), hub_page_count(kind, entry.id, hb), hb.settings.hub_page_size
    shown = stories[(number - 1) * size:number * size]
    intro = getattr(entry, "introduction", "") if number == 1 else ""
    intro_html = editorial(f"<p>{editorial_text(intro, hb)}</p>", "introduction") if intro else ""
    body = (f'<p class="hub-kind">{esc(HUBS[kind][2])}</p><h1 id="top">{esc(entry.name)}</h1>'
            f'<p class="hub-description">{esc(entry.description)}</p>{intro_html}')
    span = (f'<p class="hub-range">Stories {(number - 1) * size + 1}–{(number - 1) * size + len(shown)} '
            f'of {len(stories)}, page {number} of {total}.</p>') if total > 1 else ""
    title = entry.name if number == 1 else f"{entry.name}, page {number} of {total}"
    page = (front_matter(title=title, description=entry.description,
                         ripples={"kind": kind, "id": entry.id}, search=NOT_SEARCHED)
            + block(body) + heading(2, f"Stories ({count_of(len(stories))})", "stories")
            + block(span + story_list(shown, hb, here, exclude_note=entry.id if kind == "content_notes" else "")
                    + pager(kind, entry, number, total)))
    if kind == "themes" and number == 1:
        page += theme_by_domain(entry, hb)
    return page


def theme_by_domain(theme: Entry, hb: Handbook) -> str:
    """The theme's stories grouped by relationship domain: targets of the matrix cells.
    Every domain gets its section, empty or not, so its anchor is permanent."""
    here = hub_url("themes", theme.id)
    out = heading(2, "By relationship", "by-domain")
    for domain in hb.taxonomy.domains:
        stories = [s for s in hb.in_hub("themes", theme.id) if domain.id in s.meta.domains]
        items = "".join(f'<li{notes_attr(s)}>{link(here, s.url, s.label)}</li>'
                        for s in stories)
        out += heading(3, domain.name, f"domain-{domain.id}")
        out += block(f'<ul class="link-list">{items}</ul>' if stories else '<p class="empty">No stories yet.</p>')
    return out


def hub_index_page(kind: str, hb: Handbook, title: str, description: str) -> str:
    here = f"{HUBS[kind][1]}/"
    entries = hb.taxonomy.sorted_chapters() if kind == "chapters" else getattr(hb.taxonomy, kind)
    return (front_matter(title=title, description=description, ripples={"kind": f"{kind}-index"},
                         search=NOT_SEARCHED)
            + block(f'<h1 id="top">{esc(title)}</h1><p>{esc(description)}</p>')
            + heading(2, "All", "all") + block(hub_list(kind, hb, here, entries)))


def hub_list(kind: str, hb: Handbook, here: str, entries: list[Entry] | None = None) -> str:
    entries = entries if entries is not None else (
        hb.taxonomy.sorted_chapters() if kind == "chapters" else getattr(hb.taxonomy, kind))
    items = "".join(
        f'<li>{link(here, hub_url(kind, e.id), e.name)} <span class="count">'
        f'({count_of(len(hb.in_hub(kind, e.id)))})</span><br><span class="desc">{esc(e.description)}</span></li>'
        for e in entries)
    return f'<ul class="hub-list hub-list-{kind}">{items}</ul>'


def matrix_html(hb: Handbook, here: str) -> str:
    domains, themes = hb.taxonomy.domains, hb.taxonomy.themes
    head = "".join(f'<th scope="col">{link(here, hub_url("domains", d.id), d.name)}</th>' for d in domains)
    rows = []
    for t in themes:
        cells = []
        for d in domains:
            n = sum(1 for s in hb.in_hub("themes", t.id) if d.id in s.meta.domains)
            target = f"{hub_url('themes', t.id)}#domain-{d.id}"
            label = f"{count_of(n)}: {t.name}, {d.name}"
            cells.append(f'<td><a href="{esc(rel(here, target))}" aria-label="{esc(label)}">{n}</a></td>'
                         if n else '<td><span class="zero">0</span></td>')
        rows.append(f'<tr><th scope="row">{link(here, hub_url("themes", t.id), t.name)}</th>{"".join(cells)}</tr>')
    return (f'<div class="matrix-wrap" tabindex="0" role="region" aria-label="Stories by theme and relationship">'
            f'<table class="matrix"><caption>Number of stories for each theme (rows) and relationship (columns)</caption>'
            f'<thead><tr><th scope="col">Theme</th>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'
            + matrix_lists(hb, here))


def matrix_lists(hb: Handbook, here: str) -> str:
    """The matrix for small screens: one list per relationship (CSS shows one form or the other)."""
    out = []
    for d in hb.taxonomy.domains:
        items = []
        for t in hb.taxonomy.themes:
            n = sum(1 for s in hb.in_hub("themes", t.id) if d.id in s.meta.domains)
            if n:
                target = hub_url("themes", t.id) + f"#domain-{d.id}"
                items.append(f'<li>{link(here, target, t.name)} <span class="count">({count_of(n)})</span></li>')
        body = f'<ul class="link-list">{"".join(items)}</ul>' if items else '<p class="empty">No stories yet.</p>'
        out.append(f'<section class="matrix-domain" aria-label="{esc(d.name)}">'
                   f'<h2>{link(here, hub_url("domains", d.id), d.name)}</h2>{body}</section>')
    return f'<div class="matrix-lists">{"".join(out)}</div>'
