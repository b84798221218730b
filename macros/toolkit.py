"""Pure renderers for the clinicians' toolkit, safety text, glossary and
contributor reference. Inputs are models; outputs are HTML strings."""
from __future__ import annotations

import segno

from . import cache
from .handbook import Handbook
from .model import FrontMatter, Glossary, Pathway, Settings, Story, YAML_KEYS
from .pages import (AWAITING_REVIEW, block, count_of, editorial, editorial_text, front_matter, heading, hub_url,
                    story_card)
from .render import esc, link

PATHWAYS_URL = "clinicians/pathways/"
KAP_URL = "about/kap/"


def pathway_url(pathway: Pathway) -> str:
    return f"{PATHWAYS_URL}{pathway.id}/"


THEME_LINKS_MAX = 6  # stories named under an essay paragraph; the theme's hub lists the rest


def theme_links(theme: str, hb: Handbook, here: str) -> str:
    """Links to the stories carrying a theme, for the line below an essay paragraph."""
    if theme not in hb.taxonomy.ids("themes"):
        raise ValueError(f'theme_links("{theme}"): unknown theme id; use one of {", ".join(hb.taxonomy.ids("themes"))}')
    entry = hb.taxonomy.get("themes", theme)
    stories = hb.in_hub("themes", theme)
    items = ", ".join(link(here, s.url, s.label) for s in stories[:THEME_LINKS_MAX])
    if len(stories) > THEME_LINKS_MAX:  # an essay stays the same size at any number of stories
        more = count_of(len(stories) - THEME_LINKS_MAX, "more story", "more stories")
        items += f" and {link(here, hub_url('themes', theme), more)}"
    # A plain block, not a <nav>: an essay names a theme more than once, and repeated
    # landmarks with the same name fail axe's landmark-unique rule.
    return (f'<div class="theme-links">'
            f'<p><span class="theme-links-label">Stories about {link(here, hub_url("themes", theme), entry.name.lower())}:</span> '
            f'{items}</p></div>')


def pathway_list(hb: Handbook, here: str) -> str:
    items = "".join(f'<li>{link(here, pathway_url(p), p.name)} <span class="count">({count_of(len(p.stories))})</span>'
                    f'<br><span class="desc">{esc(p.description)}</span></li>' for p in hb.pathways.pathways)
    return f'<ul class="hub-list pathway-list">{items}</ul>'


def print_tools(url: str, what: str) -> str:
    return ('<p class="story-tools" data-search-exclude>'
            f'<button type="button" class="copy-story" data-url="{esc(url)}" '
            f'aria-label="Copy link to this {esc(what)}">Copy link</button> '
            '<button type="button" class="print-handout">Print handout</button></p>')


def pathway_page(pathway: Pathway, hb: Handbook, site_url: str) -> str:
    """A pathway on screen, and on paper a one-page handout for the patient: each story's
    title, summary and short address, the prompts, the crisis lines and a QR code."""
    here = pathway_url(pathway)
    stories = [hb.by_id[s] for s in pathway.stories]
    cards = "".join(story_card(s, hb, here, short_address(site_url + s.url)) for s in stories)
    prompts = "".join(f"<li>{editorial_text(q, hb)}</li>" for q in pathway.prompts)
    return (front_matter(title=pathway.name, description=pathway.description,
                         ripples={"kind": "pathway", "id": pathway.id})
            + block(f'<p class="hub-kind">Pathway for clinicians · {link(here, "clinicians/", "All pathways")}</p>'
                    f'<h1 id="top">{esc(pathway.name)}</h1>{print_tools(site_url + here, "pathway")}'
                    f'<p class="hub-description">{esc(pathway.description)}</p>'
                    + editorial(f"<p>{editorial_text(pathway.introduction, hb)}</p>", "introduction"))
            + heading(2, "Reading list", "reading-list")
            + block(f'<ol class="story-cards reading-list">{cards}</ol>')
            + block(handout_qr(site_url + here, "This reading list online"))
            + heading(2, "Discussion prompts", "prompts")
            + block(editorial(f'<ol class="prompts">{prompts}</ol>'))
            + block(f'<div class="story-footer" data-search-exclude>{kap_note(here, site_url)}</div>'))


def pathways_with(story: Story, hb: Handbook) -> list[Pathway]:
    return [p for p in hb.pathways.pathways if story.id in p.stories]


def story_pathways_section(story: Story, hb: Handbook) -> str:
    # Always rendered: #pathways is a permanent anchor even before a story joins a pathway.
    found = pathways_with(story, hb)
    items = "".join(f"<li>{link(story.url, pathway_url(p), p.name)}</li>" for p in found)
    listing = f'<ul class="link-list" data-search-exclude>{items}</ul>' if found else "<p>This story is not part of a pathway yet.</p>"
    return heading(2, "In these pathways", "pathways") + block(listing)


QR_STYLE = "m/mask0/scale3"  # part of the cache key: change it when draw_qr changes


def draw_qr(url: str) -> str:
    # A fixed mask skips segno's mask search: ~4x faster, still a valid code.
    code = segno.make(url, error="m", mask=0, boost_error=False, micro=False)
    return code.svg_inline(scale=3, svgclass="qr", lineclass=None, title=f"QR code for {url}")


def qr_svg(url: str) -> str:
    return cache.cached(url, QR_STYLE, draw_qr)


def short_address(url: str) -> str:
    """What a handout prints for a link: the address without its scheme, short enough to type."""
    return url.split("://", 1)[-1]


def handout_qr(url: str, label: str = "Read online") -> str:
    """Print-only: the QR code and the address it encodes (screen readers get the link itself)."""
    return (f'<div class="handout-only" aria-hidden="true"><div class="handout-qr">{qr_svg(url)}</div>'
            f'<p class="handout-url">{esc(label)}: {esc(url)}</p></div>')


def kap_note(here: str, site_url: str) -> str:
    """The link to the page on what KAP is and what the stories cannot show, on every
    story and handout; paper gets the short address instead of a link."""
    return (f'<p class="kap-note">About KAP: '
            f'{link(here, KAP_URL, "What these stories can and can’t tell you")}'
            f'<span class="print-only"> ({esc(short_address(site_url + KAP_URL))})</span></p>')


# How tall a story's handout prints, in CSS px (96 per inch), calibrated on the seed stories
# printed by Chromium on the narrower A4 column (errors within +-30 px). A test prints a story
# made long on purpose and checks this estimate against the real PDF.
HANDOUT_PAGE_PX = 980          # a Letter page less its margins: shorter than A4
HANDOUT_FIXED_PX = 500         # crisis box, titles, labels, review line, disclaimer, plus a safety margin
LINE_PX, PARAGRAPH_PX, CHARS_PER_LINE, QUESTION_CHARS = 17.6, 5.3, 115, 75
QR_BLOCK_PX = 200              # the QR code and its address, floated beside the shift and questions
BANNER_BOX_PX = 40             # the "Awaiting editorial review" box's padding, border and margin


def handout_height(story: Story) -> float:
    lines = lambda text, width=CHARS_PER_LINE: -(-len(text.strip()) // width)  # noqa: E731 (ceil)
    paragraphs = [p for p in story.body.split("\n\n") if p.strip()]
    body = sum(lines(p) for p in paragraphs) * LINE_PX + len(paragraphs) * PARAGRAPH_PX
    questions = (sum(lines(q, QUESTION_CHARS) for q in story.meta.reflection) + 7) * LINE_PX
    header = (lines(story.meta.summary) + (1 if story.meta.content_notes else 0)) * LINE_PX
    return HANDOUT_FIXED_PX + body + max(0.0, questions - QR_BLOCK_PX) + header + banner_height(story)


def banner_height(story: Story) -> float:
    """A story waiting for review prints its banner too (previews and pull requests)."""
    if story.meta.reviewed is not None:
        return 0.0
    return -(-len(AWAITING_REVIEW) // CHARS_PER_LINE) * LINE_PX + BANNER_BOX_PX


def handout_pages(story: Story) -> int:
    return max(1, -(-int(handout_height(story)) // HANDOUT_PAGE_PX))


WORDS_PER_LINE = 18


def handout_notes(stories: list[Story]) -> list[str]:
    """INFO lines for the build and `make check`: a long story still prints, on more pages.
    An estimate, never a failure."""
    def extra_words(s: Story) -> int:
        return int((handout_height(s) - HANDOUT_PAGE_PX) / LINE_PX * WORDS_PER_LINE) + 1
    return [f"stories/{s.id}.md: its printed handout will likely take {n} pages instead of one. That is fine. "
            f"To fit on one page, the story would need about {extra_words(s)} fewer words."
            for s in stories if (n := handout_pages(s)) > 1]


def story_extras(story: Story, hb: Handbook, site_url: str) -> dict[str, str]:
    return {"tools": print_tools(site_url + story.url, "story"),
            "handout": handout_qr(site_url + story.url),
            "after_reflection": story_pathways_section(story, hb),
            "footer": kap_note(story.url, site_url)}


# ---- safety and contact -----------------------------------------------------

def crisis_lines(settings: Settings, label: str = "Crisis help") -> str:
    # The banner on every page uses the default label; a copy inside a page's content
    # needs another one (axe: landmark-unique).
    c = settings.crisis
    lines = " ".join(f'<li><a href="{esc(l.href)}">{esc(l.label)}</a></li>' for l in c.lines)
    return (f'<aside class="crisis" aria-label="{esc(label)}"><p class="crisis-title"><strong>{esc(c.title)}</strong></p>'
            f'<ul class="crisis-lines">{lines}</ul><p class="crisis-emergency">{esc(c.emergency)}</p></aside>')


def contact_link(settings: Settings) -> str:
    return f'<a href="mailto:{esc(settings.contact_email)}">{esc(settings.contact_email)}</a>'


# ---- glossary ---------------------------------------------------------------

def glossary_html(glossary: Glossary) -> str:
    """Terms A to Z, grouped by first letter, with a jump list of the letters in use."""
    groups: dict[str, list] = {}
    for t in sorted(glossary.terms, key=lambda t: t.term.casefold()):
        first = t.term[:1].upper()
        groups.setdefault(first if first.isalpha() else "#", []).append(t)
    jump = "".join(f'<li><a href="#letter-{esc(k.lower())}" aria-label="Terms starting with {esc(k)}">{esc(k)}</a></li>'
                   for k in groups)
    # The jump targets are sections, not headings: a letter comes and goes with the terms, so
    # it is neither a permanent address (published-urls.txt) nor a "Copy link" section.
    sections = "".join(
        f'<section class="az-group" id="letter-{esc(k.lower())}" aria-label="{esc(k)}">'
        f'<h2 class="az-letter">{esc(k)}</h2><dl class="glossary">'
        + "".join(f'<dt id="{esc(t.id)}">{esc(t.term)}</dt><dd>{esc(t.definition)}</dd>' for t in terms)
        + "</dl></section>" for k, terms in groups.items())
    return f'<nav class="az" aria-label="Glossary from A to Z"><ul>{jump}</ul></nav>{sections}'


def abbreviations(glossary: Glossary) -> str:
    """Markdown abbreviation definitions: the abbr extension turns each use into a tooltip."""
    lines = []
    for t in glossary.terms:
        for word in [t.term, *t.aliases]:
            for variant in {word, word[:1].upper() + word[1:], word.lower()}:
                lines.append(f"*[{variant}]: {t.definition}")
    return "\n\n" + "\n".join(sorted(set(lines))) + "\n"


# ---- contributor reference --------------------------------------------------

def allowed_values(name: str, hb: Handbook) -> str:
    vocab = {"chapter": "chapters", "domains": "domains", "themes": "themes", "content_notes": "content_notes"}
    if name in vocab:
        return ", ".join(f"<code>{esc(i)}</code>" for i in hb.taxonomy.ids(vocab[name]))
    if name == "consent":
        return "<code>permission: true</code>, <code>deidentified: true</code>, <code>others_deidentified: true</code>"
    if name == "reviewed":
        return "leave it empty; an editor writes the review date (<code>YYYY-MM-DD</code>) after the review"
    if name == "reviewer":
        return "<code>name:</code> and <code>role:</code> (optional field)"
    return "plain text, no HTML"


def field_reference(hb: Handbook) -> str:
    rows = []
    for key, (name, field) in zip(YAML_KEYS, FrontMatter.model_fields.items()):
        required = "required" if field.is_required() else "optional"
        rows.append(f"<tr><th scope=\"row\"><code>{esc(key)}</code></th><td>{required}</td>"
                    f"<td>{esc(field.description)}</td><td>{allowed_values(name, hb)}</td></tr>")
    return ('<div class="table-wrap" tabindex="0" role="region" aria-label="Story fields">'
            '<table class="fields"><caption>Every front-matter field of a story file</caption>'
            '<thead><tr><th scope="col">Field</th><th scope="col">Needed</th><th scope="col">What it is</th>'
            f'<th scope="col">Allowed values</th></tr></thead><tbody>{"".join(rows)}</tbody></table></div>')


def story_template(hb: Handbook) -> str:
    text = (hb.root / "stories" / "_template.md").read_text(encoding="utf-8")
    return f'<pre class="template"><code>{esc(text)}</code></pre>'
