"""The page on what KAP is and isn't (/about/kap/, docs/about/kap.md), checked as a
fact-checker and a clinician would (issue 19, point 3): every safety fact a careful
clinician expects is there with a citation to a listed source that states it; every
source has its address, title and the date it was checked; esketamine (Spravato) is
kept apart from racemic ketamine; NICE's wording is quoted exactly. On paper: every
source's address, a QR code to the page, the crisis lines on every printed page, and
no heading left at the foot of a page (Chromium, read back with pypdf and zxing-cpp).
"""
from __future__ import annotations

import datetime as dt
import html as htmllib
import re
from pathlib import Path

import pytest

PAGE = "about/kap/"

# (words that one paragraph or list item must hold, the source it must cite). The words are
# the page's plain-language version of what that source says; the source's own words are in
# the comment beside each.
FACTS = [
    # FDA 2023: "not FDA approved for the treatment of any psychiatric disorder"; approved for
    # intravenous or intramuscular injection as an anesthetic.
    (("ketamine is not approved to treat any mental health problem",), "src-fda-2023"),
    (("anesthetic", "vein or a muscle"), "src-fda-2023"),
    # Gastaldon 2019: "has not been approved for depression ... in any other country, it has been used off-label".
    (("off-label",), "src-gastaldon-2019"),
    # FDA 2023: compounded products are not FDA-evaluated; at-home use without monitoring adds risk.
    (("compounding pharmacy", "does not check compounded drugs"), "src-fda-2023"),
    (("compounded ketamine used at home", "no health worker"), "src-fda-2023"),
    (("slow breathing", "bladder problems"), "src-fda-2023"),
    # FDA 2019 release: approved "in conjunction with an oral antidepressant".
    (("In 2019", "taken by mouth"), "src-fda-2019"),
    # US label, indications: TRD as monotherapy or with an oral antidepressant; depressive
    # symptoms in MDD with acute suicidal ideation or behavior, with an oral antidepressant.
    (("with or without a drug for depression", "sudden thoughts of suicide"), "src-label"),
    # Skriptshak & Reich 2021 (peer-reviewed, Mental Health Clinician): "Esketamine nasal spray was
    # approved by the FDA for treatment-resistant depression in March 2019 and MDD with suicidality in
    # August 2020."
    (("In 2020", "the spray", "thoughts of suicide"), "src-skriptshak-2021"),
    # US label, warnings and patient counselling.
    (("slow your breathing", "respiratory depression"), "src-label"),
    (("next day", "restful sleep"), "src-label"),
    (("Alcohol", "benzodiazepines", "opioids", "other drugs that make you sleepy"), "src-label"),
    (("Stimulants", "MAOIs", "blood pressure"), "src-label"),
    # US label 5.2: "carefully assess patients with psychosis before administering SPRAVATO; treatment
    # should be initiated only if the benefit outweighs the risk."
    (("psychosis", "weigh the risks"), "src-label"),
    # Skriptshak & Reich 2021: "The 4 trials that led to FDA approval for these indications all excluded
    # subjects with psychiatric comorbidities, including bipolar disorder."
    (("four trials", "US approvals of esketamine", "bipolar disorder"), "src-skriptshak-2021"),
    (("misused", "drugs or alcohol before"), "src-label"),
    (("unborn baby", "breastfeed"), "src-label"),
    (("high blood pressure", "heart or blood vessel disease"), "src-label"),
    (("Bladder damage", "for a long time"), "src-label"),
    # NICE TA854, 1 Recommendations: "excluded people with ... psychosis or recent suicidal ideation with intent".
    (("“recent suicidal ideation with intent”", "psychosis"), "src-nice-ta854"),
]
NICE_WORDS = "recent suicidal ideation with intent"


def page_html(site: Path) -> str:
    return (site / PAGE / "index.html").read_text(encoding="utf-8")


def article(site: Path) -> str:
    return page_html(site).split("<article")[1].split("</article>")[0]


def text(fragment: str) -> str:
    return htmllib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", fragment))).strip()


def blocks(site: Path) -> list[str]:
    """Each paragraph and list item of the page, as HTML."""
    return [m.group(2) for m in re.finditer(r"<(p|li)>(.*?)</\1>", article(site), re.S)]


def sources(site: Path) -> dict[str, str]:
    """Source id -> its entry's HTML."""
    return dict(re.findall(r'<p class="source" id="(src-[a-z0-9-]+)">(.*?)</p>', article(site), re.S))


def section(site: Path, anchor: str) -> str:
    parts = re.split(r'<h2 id="([^"]+)"', article(site))
    return dict(zip(parts[1::2], parts[2::2]))[anchor]


# ---- the page as built ---------------------------------------------------------

@pytest.mark.parametrize("words,source", FACTS, ids=[w[0][:40] for w, _ in FACTS])
def test_every_required_fact_is_there_with_a_citation_to_a_listed_source(built_site, words, source):
    holding = [b for b in blocks(built_site) if all(w in text(b) for w in words)]
    assert holding, f"no paragraph or list item says all of {words}"
    assert any(f'href="#{source}"' in b for b in holding), f"{words} does not cite {source}: {holding}"
    assert source in sources(built_site), f"{source} is cited but not listed"


def test_every_source_has_an_address_a_title_and_the_date_it_was_checked(built_site):
    listed = sources(built_site)
    assert listed
    for sid, entry in listed.items():
        links = re.findall(r'<a href="(https://[^"]+)"[^>]*>(.*?)</a>', entry, re.S)
        assert len(links) == 1, f"{sid}: {links}"
        assert len(text(links[0][1])) > 10, f"{sid}: no title"
        checked = re.search(r"Checked (\d{1,2} \w+ \d{4})\.", text(entry))
        assert checked, f"{sid}: no date checked"
        dt.datetime.strptime(checked.group(1), "%d %B %Y")  # a real date


def test_esketamine_is_kept_apart_from_racemic_ketamine(built_site):
    two = text(section(built_site, "two-drugs"))
    assert "Ketamine and esketamine are not the same medicine" in two
    ketamine, esketamine = two.split("Esketamine is a drug made from ketamine")
    for word in ("anesthetic", "off-label", "compound", "by mouth"):
        assert word in ketamine, f"racemic ketamine: {word!r} missing"
    assert "nasal spray called Spravato" in esketamine
    # Regulatory facts name the drug they are about: the US approvals are of "the spray".
    status = [text(b) for b in re.findall(r"<p>(.*?)</p>", section(built_site, "status"), re.S)]
    approvals = [s for s in status if "approved" in s]
    assert approvals and all("esketamine" in s or "spray" in s or "US label" in s for s in approvals), approvals
    assert "ketamine taken at home carries more risk" not in text(article(built_site))


def test_the_us_approval_history_of_esketamine_is_in_order_and_each_year_is_cited(built_site):
    """2019 (FDA release) then 2020 (a peer-reviewed article), each about the spray, not racemic ketamine."""
    status = re.findall(r"<p>(.*?)</p>", section(built_site, "status"), re.S)
    dated = [(m.group(1), b) for b in status if (m := re.match(r"In (20\d\d),", text(b)))]
    assert [y for y, _ in dated][:2] == ["2019", "2020"], [y for y, _ in dated]
    cites = {"2019": "src-fda-2019", "2020": "src-skriptshak-2021"}
    for year, block in dated[:2]:
        assert f'href="#{cites[year]}"' in block, f"{year} does not cite {cites[year]}"
        assert "the spray" in text(block) or "esketamine" in text(block), text(block)


def test_psychosis_and_bipolar_disorder_are_both_cautions_for_esketamine(built_site):
    """Each caution names the drug it is about: esketamine, not racemic ketamine."""
    cautions = [text(b) for b in re.findall(r"<p>(.*?)</p>", section(built_site, "not-for"), re.S)]
    for condition in ("psychosis", "bipolar disorder"):
        holding = [c for c in cautions if condition in c and "esketamine" in c]
        assert holding, f"no caution about {condition} for esketamine in {cautions}"


def test_nice_wording_is_quoted_exactly(built_site):
    body = text(article(built_site))
    assert f"“{NICE_WORDS}”" in body
    assert "with a plan to act" not in body
    assert sources(built_site)["src-nice-ta854"].count("https://www.nice.org.uk/guidance/ta854") == 1


def test_the_page_is_editorial_and_sends_the_reader_to_their_prescriber(built_site):
    html = article(built_site)
    assert 'class="editorial-label"' in html
    assert "not medical advice" in text(html) and "Talk to your prescriber" in text(html)


# ---- on paper --------------------------------------------------------------------

FORMATS = ("A4", "Letter")


@pytest.mark.browser
def test_the_printed_page_carries_its_sources_qr_code_and_crisis_lines_and_no_stranded_heading(
        browser, site_server, built_site):
    from tests.browser import goto
    from tests.test_browser_clinicians import decode_qr, pdf_pages, squash
    from macros.read.handbook import load_handbook
    hb, _ = load_handbook(Path(__file__).resolve().parent.parent)
    c = hb.settings.crisis
    crisis = [c.title, *(line.label for line in c.lines), c.emergency]
    addresses = [re.search(r'href="([^"]+)"', entry).group(1) for entry in sources(built_site).values()]
    headings = {text(h) for h in re.findall(r"<h[1-3][^>]*>(.*?)</h[1-3]>", article(built_site), re.S)}
    context = browser.new_context(device_scale_factor=2)
    page = context.new_page()
    page.emulate_media(media="print")
    problems = []
    try:
        goto(page, site_server + PAGE)
        for fmt in FORMATS:
            pages = pdf_pages(page, fmt)
            assert len(pages) > 1, f"{fmt}: the test needs a page that prints on several sheets"
            printed = squash(" ".join(pages))
            problems += [f"{fmt}: source address {a} not printed" for a in addresses
                         if squash(a) not in printed]
            for number, sheet in enumerate(pages, 1):
                problems += [f"{fmt} page {number}: crisis line {c!r} missing" for c in crisis
                             if squash(c) not in squash(sheet)]
                lines = [line.strip() for line in sheet.splitlines() if line.strip()]
                if number < len(pages) and lines and lines[-1] in headings:
                    problems.append(f"{fmt} page {number} ends with the heading {lines[-1]!r}")
        qr = page.locator(".handout-only svg.qr")
        assert qr.count() == 1 and qr.is_visible(), "no QR code when printing"
        canonical = page.get_attribute("link[rel=canonical]", "href")
        assert decode_qr(qr) == [canonical]
    finally:
        context.close()
    assert not problems, "\n".join(problems)


def test_crisis_lines_for_the_page_margin_are_escaped_css_strings():
    """The margin text comes from stories/handbook.yml: nothing in it can end the CSS string."""
    from macros.render.toolkit import css_string
    hostile = 'a"; } body { display: none } /* \\ \n'
    literal = css_string(hostile)
    assert literal.startswith('"') and literal.endswith('"')
    inner = literal[1:-1]
    assert not set(inner) & set('"\';{}/*\n'), inner
    # Read back as CSS would: each escape is hex digits and one space.
    assert re.sub(r"\\([0-9a-f]{1,6}) ", lambda m: chr(int(m.group(1), 16)), inner) == hostile
