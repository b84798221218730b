"""The clinician's toolkit on the built site: pathways, handout parts, copy-link
buttons, content notes, safety text from one data file, glossary tooltips."""
from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, build
from macros.render.markup import annotate_terms

STORIES = sorted(p for p in (ROOT / "stories").glob("*.md") if not p.name.startswith("_"))
PATHWAYS = yaml.safe_load((ROOT / "stories" / "pathways.yml").read_text(encoding="utf-8"))["pathways"]
SETTINGS = yaml.safe_load((ROOT / "stories" / "handbook.yml").read_text(encoding="utf-8"))


def front(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])


def text(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", html))


def page(site: Path, url: str) -> str:
    return (site / url.strip("/") / "index.html").read_text(encoding="utf-8")


def test_at_least_eight_pathways_each_with_intro_reading_list_and_prompts(built_site):
    assert len(PATHWAYS) >= 8
    clinicians = page(built_site, "clinicians/")
    for p in PATHWAYS:
        html = page(built_site, f"clinicians/pathways/{p['id']}/")
        listed = re.findall(r'<li class="story-card".*?href="\.\./\.\./\.\./stories/([a-z0-9-]+)/"', html)
        assert listed == p["stories"], p["id"]            # the reading list, in order
        assert all(q in text(html) for q in p["prompts"])
        assert 'class="editorial introduction"' in html
        assert f'href="pathways/{p["id"]}/"' in clinicians


def test_each_story_links_to_the_pathways_that_list_it(built_site):
    for story in STORIES:
        html = page(built_site, f"stories/{story.stem}/")
        section = html.split('id="pathways"')[1].split('id="related"')[0]
        expected = {p["id"] for p in PATHWAYS if story.stem in p["stories"]}
        assert set(re.findall(r'clinicians/pathways/([a-z0-9-]+)/', section)) == expected, story.stem


@pytest.mark.parametrize("story", STORIES, ids=lambda p: p.stem)
def test_story_page_has_every_handout_part(built_site, story):
    meta = front(story)
    html = page(built_site, f"stories/{story.stem}/")
    canonical = f"http://127.0.0.1:8000/stories/{story.stem}/"
    assert f'<link rel="canonical" href="{canonical}">' in html
    assert re.search(r'<svg [^>]*class="qr"', html)
    assert f"Read online: {canonical}" in html
    assert '<button type="button" class="print-handout">Print handout</button>' in html
    assert "116 123" in html and "988" in html and "findahelpline.com" in html
    assert unescape(SETTINGS["disclaimer"]) in unescape(html)
    if meta.get("reviewed"):
        assert f"Last reviewed: <time datetime=\"{meta['reviewed'].isoformat()}\">" in html
    else:  # a contributor's new story, before an editor's review
        assert "Awaiting editorial review" in html and "Last reviewed" not in html
    for anchor in ("story", "shift", "reflection", "related", "pathways"):
        assert re.search(rf'<h2 id="{anchor}">.*?</h2><button type="button" class="copy-link" data-search-exclude '
                         rf'data-url="{re.escape(canonical)}#{anchor}"[^>]*><svg [^>]*aria-hidden="true".*?</svg>'
                         r'<span class="copy-link-text">Copy link</span></button>', html), anchor
    if meta["content_notes"]:
        notes = html.index('id="content-notes"')
        assert notes < html.index('id="story"')
        assert '<a href="#reflection">Skip the story' in html[notes:html.index('id="story"')]


def test_story_cards_show_content_notes(built_site):
    html = page(built_site, "chapters/family-healing/")
    maria = front(ROOT / "stories" / "maria-healing-generational-wounds.md")
    cards = re.findall(r'<li class="story-card" data-content-notes="([^"]*)">(.*?)</li>', html, re.S)
    notes, card = next((n, c) for n, c in cards if "maria-healing-generational-wounds" in c)
    assert maria["content_notes"] and set(notes.split()) == set(maria["content_notes"])
    assert '<span class="cn-label">Content notes:</span>' in card
    assert 'class="cn-filter" hidden' in html


def test_crisis_numbers_come_from_the_data_file_only():
    templates = " ".join(p.read_text(encoding="utf-8") for p in (ROOT / "overrides").rglob("*.html"))
    code = " ".join(p.read_text(encoding="utf-8") for p in (ROOT / "macros").glob("*.py"))
    for needle in ("988", "116 123", "findahelpline"):
        assert needle not in templates and needle not in code


def test_changing_the_data_file_changes_every_page(repo):
    path = repo / "stories" / "handbook.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("116 123", "116 999"), encoding="utf-8")
    assert build(repo).returncode == 0
    pages = list((repo / "site").rglob("*.html"))
    assert pages and all("116 999" in p.read_text(encoding="utf-8") for p in pages)


def test_glossary_tooltips_in_essays_and_editorial_text_never_in_story_words(built_site):
    essay = page(built_site, "understanding/common-themes/")
    assert re.search(r'<abbr title="[^"]+">self-compassion</abbr>', essay)
    for story in STORIES:
        body = page(built_site, f"stories/{story.stem}/").split('class="story-body"')[1].split("</div>")[0]
        assert "<abbr" not in body, story.stem
    carlos = page(built_site, "stories/carlos-from-micromanager-to-mentor/")
    assert "<abbr" in carlos.split('id="story"')[0] + carlos.split('id="shift"')[1]


def test_annotate_terms_prefers_longer_terms_and_marks_each_once():
    terms = (("attachment", "A"), ("avoidant attachment", "B"), ("boundary", "C"), ("boundaries", "C"))
    out = annotate_terms("Avoidant attachment, attachment, boundaries and a boundary.", terms)
    assert out == ('<abbr title="B">Avoidant attachment</abbr>, <abbr title="A">attachment</abbr>, '
                   '<abbr title="C">boundaries</abbr> and a boundary.')


def test_review_line_shows_the_date_and_the_reviewer_when_given():
    from dataclasses import replace

    from macros.read.handbook import load_handbook
    from macros.read.model import Reviewer
    from macros.render.pages import review_line

    hb, problems = load_handbook(ROOT)
    assert not problems
    story = hb.stories[0]
    assert review_line(story) == (f'<p class="reviewed">Last reviewed: <time datetime="{story.meta.reviewed}">'
                                  f'{story.meta.reviewed.day} {story.meta.reviewed:%B %Y}</time></p>')
    reviewed = replace(story, meta=story.meta.model_copy(
        update={"reviewer": Reviewer(name="Dr Ann <Lee>", role="Clinical psychologist")}))
    assert "</time> by Dr Ann &lt;Lee&gt;, Clinical psychologist</p>" in review_line(reviewed)


# ---- what these stories can and can't tell you ---------------------------------

AUTHORITIES = ("fda.gov", "ema.europa.eu", "nice.org.uk", "nhs.uk", "mhra.gov.uk", "medicines.org.uk",
               "dailymed.nlm.nih.gov", "cambridge.org", "ncbi.nlm.nih.gov",
               "mhc.kglmeridian.com")  # regulators, NHS/NICE, journals (Mental Health Clinician's own site)


def kap_sections(site: Path) -> dict[str, str]:
    html = page(site, "about/kap/").split('<article')[1].split('</article>')[0]
    parts = re.split(r'<h2 id="([^"]+)"', html)
    return dict(zip(parts[1::2], parts[2::2]))


def test_every_kap_citation_is_an_https_link_to_an_authority(built_site):
    sources = re.findall(r'<p class="source" id="(src-[a-z0-9-]+)">(.*?)</p>', kap_sections(built_site)["sources"], re.S)
    assert len(sources) >= 5
    for sid, body in sources:
        hrefs = re.findall(r'href="([^"]+)"', body)
        assert len(hrefs) == 1 and hrefs[0].startswith("https://"), (sid, hrefs)
        host = re.match(r"https://([^/]+)/", hrefs[0]).group(1)
        assert host.endswith(AUTHORITIES), f"{sid}: {host} is not a regulator, NHS/NICE or journal"
        assert re.search(r"Checked \d{1,2} \w+ 20\d\d\.", text(body)), f"{sid}: no date checked"
    cited = set(re.findall(r'href="#(src-[a-z0-9-]+)"', page(built_site, "about/kap/")))
    assert cited == {sid for sid, _ in sources}, "every source is cited, every citation has a source"


def test_every_factual_paragraph_on_the_kap_page_cites_a_source(built_site):
    """Facts about the treatment live in these sections; each paragraph or list lead-in cites."""
    sections = kap_sections(built_site)
    for name in ("what", "two-drugs", "status", "risks", "not-for", "if-not"):
        blocks = re.findall(r"<p>(.*?)</p>", sections[name], re.S)
        # Sentences about the reader's own next step, not about the treatment, need no source.
        own = ("Only a clinician", "If you feel unsafe", "If a treatment did not help")
        uncited = [text(b) for b in blocks if 'href="#src-' not in b and not text(b).startswith(own)]
        assert not uncited, f"#{name}: {uncited}"


def test_kap_page_is_plain_reviewed_and_linked_everywhere(built_site):
    from macros.read.readability import grade
    prose = re.sub(r"\[\[\d+\]\]\([^)]*\)", "", (ROOT / "docs/about/kap.md").read_text(encoding="utf-8"))
    prose = prose.split("## Sources")[0].split("---", 2)[2]
    from test_content import plain_prose
    g = grade(plain_prose(prose))
    print(f"\nKAP page: grade {g}")
    assert g <= 8
    html = page(built_site, "about/kap/")
    assert '<p class="reviewed">Last reviewed: <time datetime="' in html
    assert 'class="editorial-label"' in html
    assert 'href="../about/kap/"' in page(built_site, "clinicians/")
    assert 'href="about/kap/"' in (built_site / "index.html").read_text(encoding="utf-8")
    for story in STORIES:
        assert 'href="../../about/kap/"' in page(built_site, f"stories/{story.stem}/"), story.stem


def test_home_lead_is_plain_and_the_source_text_is_labelled(built_site):
    from macros.read.readability import grade
    html = (built_site / "index.html").read_text(encoding="utf-8")
    lead = html.split('id="ripples"')[1].split('id="source"')[0]
    g = grade(text(re.sub(r"<h2.*", "", lead, flags=re.S)))
    print(f"\nhome lead: grade {g}")
    assert g <= 8
    assert lead.index('class="editorial-label"') < lead.index('class="lead"')
    source = html.split('id="source"')[1]
    assert source.index("Source text") < source.index('class="source-text"')
    for essay in ("ripple-effects", "common-themes", "integration"):
        note = page(built_site, f"understanding/{essay}/").split('class="admonition note"')[1].split("</div>")[0]
        assert "source text" in note and "not evidence" in note, essay


def test_the_vendored_qr_encoder_is_the_pinned_mit_release():
    """qrcode-generator 2.0.4 (npm, MIT, Kazuhiko Arase), self-hosted: no CDN."""
    import hashlib
    path = ROOT / "overrides" / "assets" / "vendor" / "qrcode-generator-2.0.4.js"
    data = path.read_bytes()
    assert hashlib.sha256(data).hexdigest() == "79ec86f82856005b1c887905cfccfcfbec3821ca61c7fd5a952faa5f778f791c"
    assert b"Licensed under the MIT license" in data


def test_reading_list_data_is_escaped_json_of_every_story(built_site):
    import json
    raw = (built_site / "clinicians" / "list" / "stories.json").read_text(encoding="utf-8")
    assert not re.search(r"[<>&]", raw)
    data = json.loads(raw)
    built = [p.stem for p in (built_site.parent / "stories").glob("*.md") if not p.name.startswith("_")]
    assert sorted(s["id"] for s in data["stories"]) == sorted(built)
    html = page(built_site, "clinicians/list/")
    assert "<script>" not in html.split('class="rl"')[1].split("</article>")[0]
    assert 'href="list/"' in page(built_site, "clinicians/")


def test_reading_list_data_escapes_markup():
    from macros.read.handbook import load_handbook
    from macros.render.readinglist import reading_list_data
    hb, _ = load_handbook(ROOT)
    story = hb.stories[0]
    hb.stories[0] = type(story)(**{**story.__dict__, "meta": story.meta.model_copy(
        update={"summary": "</script><img src=x onerror=alert(1)> & more"})})
    out = reading_list_data(hb)
    assert "<" not in out and ">" not in out and "&" not in out
    assert "\\u003c/script\\u003e" in out


def test_counts_use_correct_plurals(built_site):
    for html_file in built_site.rglob("index.html"):
        html = html_file.read_text(encoding="utf-8")
        assert not re.search(r"\b1 stories\b", html), html_file
        assert not re.search(r"\b(0|[2-9]|\d\d+) story\b(?!-)", text(html)), html_file


def test_copy_link_only_on_h2_sections_and_one_for_the_whole_story(built_site):
    for story in STORIES[:3]:
        html = page(built_site, f"stories/{story.stem}/")
        assert not re.search(r"</h3><button[^>]*copy-link", html)
        header = html.split('<header class="story-header">')[1].split("</header>")[0]
        assert re.search(r'<p class="story-tools"[^>]*><button type="button" class="copy-story" '
                         rf'data-url="http://127.0.0.1:8000/stories/{story.stem}/"', header)
    theme = page(built_site, "themes/boundaries/")
    assert 'id="by-domain"' in theme and not re.search(r'<h3 id="domain-[^"]+">[^<]*</h3><button', theme)


def test_story_cards_show_every_relationship(built_site):
    html = page(built_site, "chapters/family-healing/")
    for story in STORIES:
        meta = front(story)
        if len(meta["domains"]) > 1 and f"stories/{story.stem}/" in html:
            card = html.split(f'stories/{story.stem}/"')[1].split("</li>")[0]
            tax = yaml.safe_load((ROOT / "stories" / "taxonomy.yml").read_text(encoding="utf-8"))
            names = {d["id"]: d["name"] for d in tax["domains"]}
            assert all(names[d] in card for d in meta["domains"]), story.stem


def test_glossary_terms_are_grouped_a_to_z_with_a_jump_list(built_site):
    html = page(built_site, "glossary/")
    letters = re.findall(r'<a href="#letter-([a-z#])"', html)
    assert letters and letters == sorted(letters)
    assert all(f'id="letter-{x}"' in html for x in letters)
    assert '<h2 class="az-letter">' in html and not re.search(r'class="az-letter">[^<]*</h2><button', html)


def test_404_links_to_the_contact_route(built_site):
    html = (built_site / "404.html").read_text(encoding="utf-8")
    assert re.search(r'href="/about/#concerns">tell us</a>', html)
    assert f'href="mailto:{SETTINGS["contact_email"]}"' in html


def test_new_editorial_text_reads_at_grade_8_or_below(built_site):
    """The reading list's and the essays' editorial notes, the clinicians' page sections."""
    from macros.read.readability import grade
    checked = {}
    rl = page(built_site, "clinicians/list/")
    for i, block in enumerate(re.findall(r'<div class="editorial ">(.*?)</div>', rl, re.S)):
        checked[f"reading list editorial {i}"] = text(re.sub(r'<p class="editorial-label".*?</p>', "", block))
    for essay in ("ripple-effects", "common-themes", "integration"):
        note = page(built_site, f"understanding/{essay}/").split('class="admonition note"')[1].split("</div>")[0]
        checked[f"{essay} note"] = text(note)
    grades = {k: grade(v) for k, v in checked.items()}
    print("\n" + "\n".join(f"{k}: grade {g}" for k, g in grades.items()))
    assert len(checked) >= 5 and all(g <= 8 for g in grades.values()), grades


def test_essay_theme_links_name_a_few_stories_and_link_the_rest():
    """Under an essay paragraph, at most THEME_LINKS_MAX stories are named: the essay is the
    same size at 3,000 stories as at 22; the theme's hub lists them all."""
    import dataclasses

    from macros.render import toolkit
    from macros.read.handbook import load_handbook

    hb, _ = load_handbook(ROOT)
    theme = max(hb.taxonomy.themes, key=lambda e: len(hb.in_hub("themes", e.id)))
    stories = hb.in_hub("themes", theme.id)
    assert len(stories) > 2
    many = dataclasses.replace(hb, stories=hb.stories * 1)  # a fresh copy of the indexes
    many.members[("themes", theme.id)] = stories * 40      # as if the theme had 40x the stories
    html = toolkit.theme_links(theme.id, many, "understanding/x/")
    named = re.findall(r'href="[^"]*stories/[^"]+/"', html)
    assert len(named) == toolkit.THEME_LINKS_MAX
    more = len(stories) * 40 - toolkit.THEME_LINKS_MAX
    assert f'href="../../themes/{theme.id}/">{more} more stories</a>' in html
    few = toolkit.theme_links(theme.id, hb, "understanding/x/")
    assert len(re.findall(r'href="[^"]*stories/[^"]+/"', few)) == min(len(stories), toolkit.THEME_LINKS_MAX)


def test_annotate_terms_never_splits_a_character_reference():
    """A glossary term that spells part of an entity (quot, amp, x27, gt) must not wrap it:
    `&<abbr>quot</abbr>;` would show the reader a broken `&quot;`."""
    from macros.render.markup import esc
    terms = (("quot", "Q"), ("amp", "A"), ("x27", "X"), ("gt", "G"), ("it's", "I"))
    text = esc('He said "it\'s" & <gt> then quot.')
    out = annotate_terms(text, terms)
    assert out == ('He said &quot;<abbr title="I">it&#x27;s</abbr>&quot; &amp; &lt;<abbr title="G">gt</abbr>&gt; '
                   'then <abbr title="Q">quot</abbr>.')
    assert re.sub(r"</?abbr[^>]*>", "", out) == text


def test_every_link_to_a_story_carries_that_storys_content_notes(built_site):
    """The content-note filter (ripples.js) hides exactly the elements marked with the notes
    of the story they name: every link to a story, on every built page, sits in such an
    element, with that story's notes (the browser walk is tests/test_browser_filter.py)."""
    import posixpath
    from html.parser import HTMLParser

    from macros.read.handbook import load_handbook
    hb, _ = load_handbook(built_site.parent)  # the stories the site was built from
    notes = {s.id: " ".join(s.meta.content_notes) for s in hb.stories}
    void = {"br", "img", "input", "meta", "link", "hr", "wbr", "source", "area", "col", "embed", "track"}
    problems = []

    class Links(HTMLParser):
        def __init__(self, url: str):
            super().__init__()
            self.url, self.stack = url, []

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            href = (a.get("href") or "").split("#")[0] if tag == "a" else ""
            if href and "://" not in href and not href.startswith(("mailto:", "sms:")):
                target = posixpath.normpath(posixpath.join(self.url, href))
                sid = target[len("stories/"):] if target.startswith("stories/") else ""
                marks = [e["data-content-notes"] for e in self.stack + [a] if "data-content-notes" in e]
                if sid in notes and (not marks or marks[-1] != notes[sid]):
                    problems.append(f"/{self.url}: link to {sid} marked {marks[-1:] or 'nothing'}")
            if tag not in void:
                self.stack.append(a)

        def handle_endtag(self, tag):
            if tag not in void and self.stack:
                self.stack.pop()

    for html in sorted(built_site.rglob("index.html")):
        url = html.parent.relative_to(built_site).as_posix()
        Links("" if url == "." else url).feed(html.read_text(encoding="utf-8"))
    assert not problems, "\n".join(problems[:20])


def test_glossary_definitions_cost_the_markdown_parser_linear_work():
    """Hand-written pages end with every glossary definition (*[word]: ...). Python-Markdown
    tests what is left of a block with each block processor after every definition it takes,
    so definitions sharing one block cost work that grows with their number squared: 556
    characters tested per character of definitions with today's glossary, about 0.7 s of a
    2.6 s build. Counted, not timed: each processor's test sees each definition about once."""
    import markdown

    from macros.offline.docpages import EXTENSIONS
    from macros.read.handbook import load_handbook
    from macros.render.toolkit import abbreviations

    glossary = load_handbook(ROOT)[0].glossary
    definitions = abbreviations(glossary)
    parser = markdown.Markdown(extensions=EXTENSIONS)
    tested = [0]
    for processor in parser.parser.blockprocessors:
        def counted(parent, block, test=processor.test):
            tested[0] += len(block)
            return test(parent, block)
        processor.test = counted
    term = glossary.terms[0]
    html = parser.convert(f"About {term.term}.\n" + definitions)
    assert f'<abbr title="{term.definition}">{term.term}</abbr>' in html.replace("&#x27;", "'")
    assert tested[0] <= len(parser.parser.blockprocessors) * len(definitions)
