"""The security policy as built: the <meta> tags on every page, no inline script or
handler anywhere, and the `_headers` file and README nginx snippet saying the same
as the pages (macros/finish/security.py is the one source)."""
from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from macros.finish import security
from tests.conftest import REDIRECT_FROM, ROOT

CSP_META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')


def directives(policy: str) -> dict[str, list[str]]:
    """"a b; c d" -> {"a": ["b"], "c": ["d"]}, as a browser splits a policy."""
    out = {}
    for part in policy.split(";"):
        name, *sources = part.split()
        out[name.lower()] = sources
    return out


@pytest.fixture(scope="module")
def pages(full_site: Path) -> dict[str, str]:
    found = {p.relative_to(full_site).as_posix(): p.read_text(encoding="utf-8") for p in full_site.rglob("*.html")}
    assert "404.html" in found and REDIRECT_FROM.strip("/") + "/index.html" in found
    return found


def test_policy_is_strict():
    policy = directives(security.csp(header=True))
    assert policy["default-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    assert all(s in ("'self'", "'wasm-unsafe-eval'") or s.startswith("'sha256-") for s in policy["script-src"])
    assert not any("unsafe-inline" in s or s in ("*", "http:", "https:")
                   for sources in policy.values() for s in sources)
    assert policy["object-src"] == policy["base-uri"] == policy["frame-ancestors"] == ["'none'"]
    assert "frame-ancestors" not in directives(security.csp())  # a <meta> cannot carry it


def test_every_page_carries_the_policy_before_anything_it_governs(pages):
    problems = []
    for name, text in pages.items():
        head = text[:text.find("</head>")]
        match = CSP_META.search(head)
        if not match:
            problems.append(f"{name}: no Content-Security-Policy meta in <head>")
            continue
        if html.unescape(match.group(1)) != security.csp():
            problems.append(f"{name}: a different policy: {html.unescape(match.group(1))}")
        first = re.search(r"<(script|link|style)\b", head)
        if first and first.start() < match.start():
            problems.append(f"{name}: <{first.group(1)}> comes before the policy")
        if '<meta name="referrer" content="no-referrer">' not in head:
            problems.append(f"{name}: no referrer policy")
    assert not problems, "\n".join(problems)


class InlineCode(HTMLParser):
    """Collects what a strict CSP would block (or should never be needed)."""
    JS_TYPES = {"", "text/javascript", "module", "application/javascript"}
    URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "data", "poster"}

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self._script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name, value in attrs.items():
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=...> (inline event handler)")
            elif name == "style":
                self.found.append(f"<{tag} style=...> (inline style)")
            elif name in self.URL_ATTRS and re.sub(r"[\s\x00-\x1f]", "", value or "").lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}={value!r}> (javascript: URL)")
        if tag == "style":
            self.found.append("<style> element")
        self._script = tag == "script" and "src" not in attrs and (attrs.get("type") or "").lower() in self.JS_TYPES

    def handle_data(self, data):
        if self._script and data.strip():
            self.found.append(f"inline <script>: {data.strip()[:60]}")

    def handle_endtag(self, tag):
        self._script = False


def inline_code(text: str) -> list[str]:
    parser = InlineCode()
    parser.feed(text)
    return parser.found


def test_the_check_finds_inline_code():
    found = inline_code('<a href=" JaVa\tscript:alert(1)">x</a><p onclick="x()" style="color:red"></p>'
                        '<script>alert(1)</script><script type="application/json">{}</script><style>p{}</style>')
    assert len(found) == 5, found


def test_no_inline_script_handler_style_or_javascript_url_anywhere(pages):
    problems = [f"{name}: {what}" for name, text in pages.items() for what in inline_code(text)]
    assert not problems, "\n".join(problems[:40])


# ---- headers for hosts ---------------------------------------------------------

def parse_headers_file(text: str) -> dict[str, dict[str, str]]:
    """Netlify / Cloudflare Pages `_headers`: a path line, then indented `Name: value` lines."""
    rules: dict[str, dict[str, str]] = {}
    current = None
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            current = rules.setdefault(line.strip(), {})
        else:
            name, _, value = line.strip().partition(":")
            assert current is not None and value, f"bad _headers line: {line!r}"
            current[name.strip()] = value.strip()
    return rules


def test_headers_file_says_what_the_pages_say_and_more(full_site, pages):
    rules = parse_headers_file((full_site / "_headers").read_text(encoding="utf-8"))
    assert list(rules) == ["/*"]
    headers = rules["/*"]
    from_header = directives(headers["Content-Security-Policy"])
    assert from_header.pop("frame-ancestors") == ["'none'"]
    from_meta = directives(html.unescape(CSP_META.search(pages["index.html"]).group(1)))
    assert from_header == from_meta
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    denied = {p.strip() for p in headers["Permissions-Policy"].split(",")}
    assert {"camera=()", "microphone=()", "geolocation=()", "interest-cohort=()"} <= denied
    max_age = re.fullmatch(r"max-age=(\d+)(; includeSubDomains)?", headers["Strict-Transport-Security"])
    assert max_age and int(max_age.group(1)) >= 31536000


def test_readme_nginx_snippet_sends_the_same_headers(full_site):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```nginx\n(.*?)```", readme, re.S)
    assert blocks, "README has no nginx snippet for self-hosters"
    sent = dict(re.findall(r'^\s*add_header\s+(\S+)\s+"([^"]*)"\s+always;\s*$', blocks[0], re.M))
    assert blocks[0].strip() == security.nginx_snippet().strip(), "README's nginx snippet is out of date"
    assert sent == parse_headers_file((full_site / "_headers").read_text(encoding="utf-8"))["/*"]
