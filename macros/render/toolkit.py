"""Pure renderers for the clinicians' toolkit, safety text, glossary and
contributor reference. Inputs are models; outputs are HTML strings."""
from __future__ import annotations

import segno

from macros.render import cache
from macros.read.handbook import Handbook
from macros.read.model import FrontMatter, Glossary, Pathway, Settings, Story, YAML_KEYS
from macros.render.pages import (AWAITING_REVIEW, block, count_of, editorial, editorial_text, front_matter, heading, hub_url,
                    notes_attr, story_card)
from macros.render.markup import esc, link

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
    # One list item per story, so the content-note filter can hide a story with its comma
    # (the commas are drawn by CSS between the items still shown).
    items = "".join(f'<li{notes_attr(s)}>{link(here, s.url, s.label)}</li>' for s in stories[:THEME_LINKS_MAX])
    more = ""
    if len(stories) > THEME_LINKS_MAX:  # an essay stays the same size at any number of stories
        count = count_of(len(stories) - THEME_LINKS_MAX, "more story", "more stories")
        more = f' <span class="theme-links-more">and {link(here, hub_url("themes", theme), count)}</span>'
    # A plain block, not a <nav>: an essay names a theme more than once, and repeated
    # landmarks with the same name fail axe's landmark-unique rule.
    return (f'<div class="theme-links">'
            f'<p class="theme-links-label">Stories about {link(here, hub_url("themes", theme), entry.name.lower())}:</p>'
            f'<ul class="theme-links-list">{items}</ul>{more}</div>')


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
                    f'<h1 id="top">{esc(pathway.name)}</h1>'  # then text, not a row of buttons (issue 22)
                    f'<p class="hub-description">{esc(pathway.description)}</p>{print_tools(site_url + here, "pathway")}'
                    + editorial(f"<p>{editorial_text(pathway.introduction, hb)}</p>", "introduction"))
            + heading(2, "Reading list", "reading-list")
            + block(f'<ol class="story-cards reading-list">{cards}</ol>')
            # A pathway's cards and prompts do not fit one Letter page at 12 pt: 11 pt, the floor.
            + block(handout_qr(site_url + here, "This reading list online", small_print=True))
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


def handout_qr(url: str, label: str = "Read online", small_print: bool = False) -> str:
    """Print-only: the QR code and the address it encodes (screen readers get the link itself).
    `small_print`: the whole handout prints at 11 pt instead of 12 (the print CSS reads the class)."""
    size = " handout-11pt" if small_print else ""
    return (f'<div class="handout-only{size}" aria-hidden="true"><div class="handout-qr">{qr_svg(url)}</div>'
            f'<p class="handout-url">{esc(label)}: {esc(url)}</p></div>')


def kap_note(here: str, site_url: str) -> str:
    """The link to the page on what KAP is and what the stories cannot show, on every
    story and handout; paper gets the short address instead of a link."""
    return (f'<p class="kap-note">About KAP: '
            f'{link(here, KAP_URL, "What these stories can and can’t tell you")}'
            f'<span class="print-only"> ({esc(short_address(site_url + KAP_URL))})</span></p>')


# How tall a story's handout prints, in CSS px (96 per inch), calibrated on the seed stories
# printed by Chromium on a Letter page's column (the tighter page: A4's column is 3% narrower
# but 59 px taller). Body text prints at 12 pt; a story too long for one page at 12 pt prints at
# 11 pt, never smaller (handout_font_pt). The estimate errs long, by up to about 70 px;
# tests/test_browser_clinicians.py checks it against Chromium and prints every story.
HANDOUT_PAGE_PX = 1000         # a Letter page less its 7 mm margins (1003 px)
HANDOUT_FONT_PT = (12, 11)     # body text: the largest size at which the story fits one page, else the smallest
LINE_PX_PER_PT = 96 / 72 * 1.2  # line-height 1.2
HANDOUT_FIXED_PX = 300         # crisis lines, titles, labels, review line, disclaimer, gaps (11 pt mostly)
CHARS_PT = 1240                # characters per line × font size in pt, across the column
QUESTION_CHARS_PT = 940        # the same beside the QR code
PARAGRAPH_PX, NOTES_PX = 5.3, 31
QUESTIONS_FIXED_PX = 132       # the shift and the two labels
QR_PX, ADDRESS_LINE_PX, ADDRESS_CHARS = 104, 17.6, 14  # the QR code, then its address at 11 pt beside it
ADDRESS_PREFIX_CHARS = 45      # "Read online: " and a site address of up to 32 characters
BANNER_BOX_PX = 40             # the "Awaiting editorial review" box's padding, border and margin


def _lines(text: str, chars_per_line: float) -> int:
    return -(-len(text.strip()) // int(chars_per_line))


def handout_height(story: Story, pt: int = HANDOUT_FONT_PT[0]) -> float:
    line = pt * LINE_PX_PER_PT
    paragraphs = [p for p in story.body.split("\n\n") if p.strip()]
    body = sum(_lines(p, CHARS_PT / pt) for p in paragraphs) * line + len(paragraphs) * PARAGRAPH_PX
    header = _lines(story.meta.summary or "", CHARS_PT / pt) * line + (NOTES_PX if story.meta.content_notes else 0)
    questions = QUESTIONS_FIXED_PX + sum(_lines(q, QUESTION_CHARS_PT / pt) for q in story.meta.reflection or ()) * line
    qr = QR_PX + -(-(ADDRESS_PREFIX_CHARS + len(story.url)) // ADDRESS_CHARS) * ADDRESS_LINE_PX
    return HANDOUT_FIXED_PX + header + body + max(questions, qr) + banner_height(story, pt)


def banner_height(story: Story, pt: int = HANDOUT_FONT_PT[0]) -> float:
    """A story waiting for review prints its banner too (previews and pull requests)."""
    if story.meta.reviewed is not None:
        return 0.0
    return _lines(AWAITING_REVIEW, CHARS_PT / pt) * pt * LINE_PX_PER_PT + BANNER_BOX_PX


def handout_font_pt(story: Story) -> int:
    """The body text size of the story's handout: 12 pt when it fits one page at that size."""
    fits = [pt for pt in HANDOUT_FONT_PT if handout_height(story, pt) <= HANDOUT_PAGE_PX]
    return fits[0] if fits else HANDOUT_FONT_PT[-1]


def handout_pages(story: Story) -> int:
    return max(1, -(-int(handout_height(story, handout_font_pt(story))) // HANDOUT_PAGE_PX))


WORDS_PER_LINE = 18  # at 11 pt


def handout_notes(stories: list[Story]) -> list[str]:
    """INFO lines for the build and `make check`: a long story still prints, at 11 pt on more
    pages. An estimate, never a failure."""
    def extra_words(s: Story) -> int:
        smallest = HANDOUT_FONT_PT[-1]
        return int((handout_height(s, smallest) - HANDOUT_PAGE_PX) / (smallest * LINE_PX_PER_PT) * WORDS_PER_LINE) + 1
    return [f"stories/{s.id}.md: its printed handout will likely take {n} pages instead of one, in 11 pt type. "
            f"That is fine. To fit on one page, the story would need about {extra_words(s)} fewer words."
            for s in stories if (n := handout_pages(s)) > 1]


def story_extras(story: Story, hb: Handbook, site_url: str) -> dict[str, str]:
    return {"tools": print_tools(site_url + story.url, "story"),
            "handout": handout_qr(site_url + story.url, small_print=handout_font_pt(story) < HANDOUT_FONT_PT[0]),
            "after_reflection": story_pathways_section(story, hb),
            "footer": kap_note(story.url, site_url)}


# ---- safety and contact -----------------------------------------------------

PRINT_CRISIS_URI = "assets/print-crisis.css"


def css_string(text: str) -> str:
    """A CSS string literal for data text: every character but ASCII letters, digits and
    spaces becomes a CSS escape (hex, then the one space CSS reads as its end), so no text
    can end the string or the rule."""
    return '"' + "".join(c if c.isascii() and (c.isalnum() or c == " ") else f"\\{ord(c):x} "
                         for c in text) + '"'


def print_crisis_css(settings: Settings) -> str:
    """A stylesheet (print only) that puts the crisis lines in the top margin of every printed
    page of a page marked `.print-every-page` (the page on KAP: it runs to several pages).
    A page margin box takes only text from CSS, so the lines come from stories/handbook.yml here."""
    c = settings.crisis
    lines = f"{c.title} " + " \u00b7 ".join(line.label for line in c.lines)
    content = f"{css_string(lines)} \"\\a\" {css_string(c.emergency)}"
    return ("@media print {\n"
            "  body:has(.print-every-page) { page: every-page; }\n"
            "  @page every-page { margin-top: 24mm;\n"
            f"    @top-center {{ content: {content}; white-space: pre-wrap; font: 11pt/1.25 sans-serif;\n"
            "      color: #000; border-bottom: 1px solid #000; vertical-align: bottom; padding-bottom: 2mm; } }\n"
            "}\n")


def page_handout(url: str) -> str:
    """A hand-written page that prints as a handout: its QR code and address on paper, and the
    crisis lines at the top of every printed page (print_crisis_css)."""
    return handout_qr(url, "This page online").replace('class="handout-only"', 'class="handout-only print-every-page"', 1)


BANNER_NUMBERS = 2  # phone numbers (tel:/sms:) the banner shows at once: two fit in two lines at 360 px
NUMBER_CLASS = ' class="crisis-number"'


def crisis_lines(settings: Settings, label: str = "Crisis help", more_href: str | None = None) -> str:
    """The crisis lines, in full. With `more_href` (the banner on every page), screens show
    only the title, the first BANNER_NUMBERS phone numbers and a "More help" link to the full
    list (ripples.css); print still shows every line."""
    # The banner on every page uses the default label; a copy inside a page's content
    # needs another one (axe: landmark-unique).
    c = settings.crisis
    phones = [i for i, l in enumerate(c.lines) if l.href.startswith(("tel:", "sms:"))]
    shown = set(phones[:BANNER_NUMBERS]) if more_href else set()
    lines = " ".join(f'<li{NUMBER_CLASS if i in shown else ""}><a href="{esc(l.href)}">{esc(l.label)}</a></li>'
                     for i, l in enumerate(c.lines))
    more = f'<p class="crisis-more"><a href="{esc(more_href)}">More help</a></p>' if more_href else ""
    return (f'<aside class="crisis{" crisis-banner" if more_href else ""}" aria-label="{esc(label)}">'
            f'<p class="crisis-title"><strong>{esc(c.title)}</strong></p>'
            f'<ul class="crisis-lines">{lines}</ul><p class="crisis-emergency">{esc(c.emergency)}</p>{more}</aside>')


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
    """Markdown abbreviation definitions: the abbr extension turns each use into a tooltip.
    One definition per block: Python-Markdown re-tests the rest of a block with every block
    processor after each definition it takes, so 100 definitions in one block cost 10 times
    as much as 100 blocks of one (same HTML)."""
    lines = []
    for t in glossary.terms:
        for word in [t.term, *t.aliases]:
            for variant in {word, word[:1].upper() + word[1:], word.lower()}:
                lines.append(f"*[{variant}]: {t.definition}")
    return "\n\n" + "\n\n".join(sorted(set(lines))) + "\n"


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
