"""The second wall: story bodies rendered with validation bypassed, and the
strict YAML reader on its own."""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from macros.render.markup import ALLOWED_TAGS, sanitize, story_body_html
from macros.read import yamlsafe
from macros.read.yamlsafe import YamlError, parse


class Elements(HTMLParser):
    """Every element and attribute that a browser would build from the fragment."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text = ""
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        self.text += data

    @property
    def names(self) -> set[str]:
        return {t for t, _ in self.tags}

    @property
    def attributes(self) -> set[str]:
        return {a for _, attrs in self.tags for a in attrs}

    def hrefs(self) -> list[str | None]:
        return [attrs.get("href") for t, attrs in self.tags if t == "a"]


def assert_inert(html: str) -> Elements:
    """No script-capable element, no event handler, no style, no dangerous URL anywhere."""
    parsed = Elements(html)
    assert parsed.names <= ALLOWED_TAGS | {"a"}, parsed.names
    assert not parsed.names & {"script", "iframe", "img", "style", "svg", "object", "embed", "form", "input",
                               "link", "meta", "base", "math", "video", "audio", "frame"}
    assert not {a for a in parsed.attributes if a.startswith("on")}, parsed.attributes
    assert not parsed.attributes & {"style", "id", "class", "src", "srcdoc", "formaction"}
    for href in parsed.hrefs():
        assert href is None or re.match(r"^(https:|mailto:)", href), href
    return parsed


# ---- the restricted Markdown + sanitizer, on hostile bodies --------------------------

HOSTILE = {
    "script block": "<script>alert(1)</script>",
    "inline script": "I said <script>alert(document.cookie)</script> then.",
    "img onerror": '<img src=x onerror="alert(1)">',
    "svg onload": "<svg onload=alert(1)>",
    "event handler on a link": '<a href="https://example.com" onclick="alert(1)">x</a>',
    "javascript link": "[click](javascript:alert(1))",
    "javascript link, mixed case and spaces": "[click]( JaVaScRiPt:alert(1) )",
    "javascript entity-encoded": "[click](&#106;avascript:alert(1))",
    "javascript reference link": "[click][r]\n\n[r]: javascript:alert(1)",
    "javascript autolink": "<javascript:alert(1)>",
    "data link": "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "vbscript link": "[click](vbscript:msgbox(1))",
    "iframe": '<iframe src="https://example.com"></iframe>',
    "style block": "<style>body { display: none }</style>",
    "style attribute": '<p style="position:fixed;top:0">x</p>',
    "md_in_html": '<div markdown="1">*x* <script>y</script></div>',
    "attr_list onclick": 'A paragraph.\n{: onclick="alert(1)" }',
    "attr_list id and class": "## Heading {: #top .evil }",
    "image": '![x](https://example.com/x.png "t")',
    "html comment": "<!-- <script>alert(1)</script> -->",
    "object": '<object data="x.swf"></object><embed src="x">',
    "form": '<form action="https://evil.example"><input name=x></form>',
    "meta refresh": '<meta http-equiv="refresh" content="0;url=https://evil.example">',
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_body_renders_inert(case):
    assert_inert(story_body_html(HOSTILE[case]))


@pytest.mark.parametrize("case", ["script block", "inline script", "img onerror", "iframe", "style block"])
def test_raw_html_is_shown_as_text_not_dropped(case):
    """The restricted Markdown keeps raw HTML as visible text, escaped."""
    html = story_body_html(HOSTILE[case])
    assert "&lt;" in html
    assert Elements(html).text.strip() == HOSTILE[case]


def test_javascript_link_is_no_link_only_literal_text():
    """A refused address makes no link: the storyteller's characters stay as text (the check
    refuses the line with a message before any page is built)."""
    body = "Please [click here](javascript:alert(1)) now."
    html = story_body_html(body)
    parsed = assert_inert(html)
    assert parsed.hrefs() == []
    assert parsed.text.strip() == body


def test_attr_list_syntax_stays_literal_text():
    html = story_body_html('A paragraph.\n{: onclick="alert(1)" #id .cls }')
    parsed = assert_inert(html)
    assert "onclick" not in parsed.attributes
    assert 'onclick="alert(1)"' in parsed.text


def test_snippet_marker_stays_literal_and_never_includes_the_file():
    html = story_body_html('Before.\n\n--8<-- "mkdocs.yml"\n\nAfter.\n\n;--8<-- "README.md"\n')
    parsed = assert_inert(html)
    assert '--8<-- "mkdocs.yml"' in parsed.text
    # Nothing of mkdocs.yml (site_name, theme, plugins...) leaks into the page.
    for leaked in ("site_name", "theme:", "plugins:", "markdown_extensions", "Ripples"):
        assert leaked not in html


@pytest.mark.parametrize("body", ["{{ config }}", '{% include "mkdocs.yml" %}', "{# comment #}",
                                  "{{ 7*7 }} and {{ config.site_name }}", "{%- raw -%}{{x}}{%- endraw -%}"])
def test_jinja_braces_never_survive(body):
    html = story_body_html(body)
    assert "{" not in html and "}" not in html
    assert "&#123;" in html and "&#125;" in html
    # ... but the reader still sees the text exactly as written.
    assert Elements(html).text.strip() == body
    assert "49" not in html


def test_markdown_still_works():
    html = story_body_html("I was *scared* and **angry**.\n\n"
                           "> She said it.\n\n"
                           "- one\n- two\n\n"
                           "Read [the guide](https://example.com/guide) or [mail](mailto:a@example.com).")
    parsed = assert_inert(html)
    assert "<em>scared</em>" in html
    assert "<strong>angry</strong>" in html
    assert "<blockquote>" in html and "<ul>" in html and html.count("<li>") == 2
    assert parsed.hrefs() == ["https://example.com/guide", "mailto:a@example.com"]
    links = [attrs for tag, attrs in parsed.tags if tag == "a"]
    assert all("noopener" in a.get("rel", "") for a in links)


def test_plain_http_links_are_no_links():
    parsed = Elements(story_body_html("[x](http://example.com)"))
    assert parsed.hrefs() == [] and parsed.text.strip() == "[x](http://example.com)"


def test_curly_quotes_and_dashes_are_kept():
    text = "“I’d built it”—‘really’."
    assert Elements(story_body_html(text)).text.strip() == text


def test_paragraphs_are_kept_in_order():
    html = story_body_html("First.\n\nSecond.\n\nThird.")
    assert re.findall(r"<p>(.*?)</p>", html) == ["First.", "Second.", "Third."]


# ---- the sanitizer alone, on HTML that the Markdown step would never produce ---------

@pytest.mark.parametrize("fragment", [
    "<p>a<script>alert(1)</script>b</p>",
    '<p onclick="alert(1)">x</p>',
    '<a href="javascript:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '<img src=x onerror=alert(1)>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "<style>*{display:none}</style><p>x</p>",
    '<p style="color:red" id="top" class="x">x</p>',
    '<svg><script>alert(1)</script></svg>',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    "<!-- comment --><p>x</p>",
])
def test_sanitizer_alone(fragment):
    cleaned = sanitize(fragment)
    assert_inert(cleaned)
    assert "<!--" not in cleaned


def test_sanitizer_keeps_safe_markup():
    fragment = ('<p><em>a</em> <strong>b</strong> <a href="https://example.com" title="t">c</a></p>'
                "<ul><li>d</li></ul><blockquote>e</blockquote>")
    cleaned = sanitize(fragment)
    for part in ("<em>a</em>", "<strong>b</strong>", 'href="https://example.com"', 'title="t"',
                 "<ul><li>d</li></ul>", "<blockquote>e</blockquote>"):
        assert part in cleaned


# ---- macros.read.yamlsafe.parse ------------------------------------------------------------------

def error(text: str) -> YamlError:
    with pytest.raises(YamlError) as info:
        parse(text)
    return info.value


def test_parse_plain_mapping():
    assert parse("a: text\nb: [x, y]\nc:\n  d: 1\n").data == {"a": "text", "b": ["x", "y"], "c": {"d": 1}}


def test_yaml_1_1_scalars():
    data = parse("a: no\nb: 012\nc: yes\nd: ~\ne: 1.5\nf: 'no'\ng: \"012\"\nh: 2026-01-15\n").data
    assert data["a"] is False
    assert data["b"] == 10  # YAML 1.1 octal
    assert data["c"] is True
    assert data["d"] is None
    assert data["e"] == 1.5
    assert data["f"] == "no" and data["g"] == "012"  # quoted: always text
    assert data["h"] == "2026-01-15"  # dates stay text so the model can report impossible ones


def test_duplicate_keys():
    err = error("title: a\nperson: b\ntitle: c\n")
    assert (err.line, err.col) == (3, 1)
    assert err.message == '"title" appears twice (first on line 1; keep only one)'


def test_duplicate_nested_keys():
    err = error("shift:\n  from: a\n  to: b\n  from: c\n")
    assert (err.line, err.col, err.message) == (4, 3, '"from" appears twice (first on line 2; keep only one)')


def test_same_key_in_different_mappings_is_fine():
    assert parse("a:\n  x: 1\nb:\n  x: 2\n").data == {"a": {"x": 1}, "b": {"x": 2}}


def test_anchor():
    err = error("a: &x hello\nb: c\n")
    assert (err.line, err.col, err.message) == (
        1, 4, "anchors (&x) are not allowed (remove &x and write values out in full)")


def test_alias():
    err = error("b: *x\n")
    assert (err.line, err.col, err.message) == (1, 4, "aliases (*x) are not allowed (write the value out in full)")


def test_anchor_on_a_mapping_and_merge_key():
    assert error("base: &b {a: 1}\nother:\n  <<: *b\n").message.startswith("anchors (&b)")


@pytest.mark.parametrize("tag, shown", [("!!python/object/apply:os.system", "!!python/object/apply:os.system"),
                                        ("!!python/name:os.system", "!!python/name:os.system"),
                                        ("!!str", "!!str"), ("!!binary", "!!binary"), ("!local", "!local")])
def test_tags(tag, shown):
    err = error(f"a: {tag} value\n")
    assert (err.line, err.col) == (1, 4)
    assert err.message == f"tags such as {shown} are not allowed (remove the tag; write plain text)"


def test_tag_on_a_sequence():
    assert error("a: !!set [x]\n").message.startswith("tags such as !!set")


def test_billion_laughs_is_refused_before_expansion():
    doc = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(12))
    events = []
    real = yamlsafe._Loader.get_event
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(yamlsafe._Loader, "get_event", lambda self: events.append(1) or real(self))
        err = error(doc)
    assert (err.line, err.col) == (1, 4)
    # Refused at the first anchor: the reader took the first few events, never the expansion.
    assert len(events) == 5  # stream, document, mapping, key "a", the anchored list


def test_two_documents():
    err = error("a: 1\n---\nb: 2\n")
    assert (err.line, err.message) == (2, "only one YAML document is allowed (remove the extra ---)")


def test_complex_key():
    assert error("? [a, b]\n: 1\n").message.startswith("a key must be plain text")


def test_unterminated_quote_points_at_the_opening_quote():
    err = error('a: 1\nb: "never closed\nc: 3\n')
    assert (err.line, err.col) == (2, 4)
    assert err.message.startswith("a quotation mark is opened but never closed")


def test_tab_indentation():
    err = error("a:\n\tb: 1\n")
    assert err.line == 2 and err.message.startswith("a tab character")


def test_control_character_is_one_line_with_its_position():
    err = error("a: ok\nb: x\x07y\n")
    assert (err.line, err.col) == (2, 5)
    assert "\n" not in err.message and "U+0007" in err.message


def test_control_character_after_non_ascii_text():
    err = error("a: Zoë — “ok”\nb: x\x00y\n")
    assert (err.line, err.col) == (2, 5)


def test_line_offset_shifts_every_position():
    parsed = parse("a: 1\nb:\n  c: x\n", line_offset=1)
    assert parsed.positions[("b", "c")] == (4, 6)
    with pytest.raises(YamlError) as info:
        parse("a: 1\na: 2\n", line_offset=1)
    err = info.value
    assert (err.line, err.message) == (3, '"a" appears twice (first on line 2; keep only one)')


def test_positions_of_nested_keys_and_values():
    text = ("title: T\n"            # 1
            "shift:\n"              # 2
            "  from: old way\n"     # 3
            "  to:   new way\n"     # 4
            "reflection:\n"         # 5
            "  - first?\n"          # 6
            "  - second?\n"         # 7
            "consent: {permission: true, deidentified: false}\n")  # 8
    pos = parse(text).positions
    assert pos[("key", "title")] == (1, 1) and pos[("title",)] == (1, 8)
    assert pos[("key", "shift")] == (2, 1)
    assert pos[("key", "shift", "from")] == (3, 3) and pos[("shift", "from")] == (3, 9)
    assert pos[("key", "shift", "to")] == (4, 3) and pos[("shift", "to")] == (4, 9)
    assert pos[("reflection", 0)] == (6, 5) and pos[("reflection", 1)] == (7, 5)
    assert pos[("key", "consent", "deidentified")] == (8, 29)
    assert pos[("consent", "deidentified")] == (8, 43)


def test_positions_inside_lists_of_mappings():
    pos = parse("items:\n  - id: a\n    name: A\n  - id: b\n").positions
    assert pos[("key", "items", 1, "id")] == (4, 5)
    assert pos[("items", 0, "name")] == (3, 11)
