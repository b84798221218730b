"""The site's security policy, in one place: the <meta> tags every page carries,
the `_headers` file for Netlify / Cloudflare Pages, and the nginx snippet the
README shows self-hosters. Tests compare all three against these constants.

No page has an inline script, style or event handler (Material's own inline
scripts are moved into files by the overrides in overrides/partials/javascripts/),
so the policy needs no hashes. 'wasm-unsafe-eval' lets Pagefind's search run
its WebAssembly; it does not allow eval() of JavaScript.
"""
from __future__ import annotations

from macros.render.markup import esc

# Directive -> sources. What a <meta> can carry; hosts add FRAME_ANCESTORS.
CSP: dict[str, tuple[str, ...]] = {
    "default-src": ("'self'",),
    "script-src": ("'self'", "'wasm-unsafe-eval'"),
    "style-src": ("'self'",),
    "img-src": ("'self'", "data:"),
    "object-src": ("'none'",),
    "base-uri": ("'none'",),
    "form-action": ("'none'",),  # the only form (search) never submits: scripts answer it
}
# Browsers ignore frame-ancestors in a <meta>: only a real header can stop framing.
FRAME_ANCESTORS = ("frame-ancestors", ("'none'",))

HEADERS: dict[str, str] = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    "Strict-Transport-Security": "max-age=31536000",
}


# `mkdocs serve` (make serve, make preview) injects an inline live-reload script into
# every page it serves; its text changes per request, so no hash can allow it. Only
# pages built for that local server allow inline scripts; `mkdocs build` never does.
DEV_SERVER_SCRIPT = "'unsafe-inline'"


def csp(header: bool = False, dev_server: bool = False) -> str:
    """The policy as one string; `header=True` adds what only a header can say."""
    directives = list(CSP.items()) + ([FRAME_ANCESTORS] if header else [])
    if dev_server:
        directives = [(n, v + (DEV_SERVER_SCRIPT,) if n == "script-src" else v) for n, v in directives]
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives)


def response_headers() -> dict[str, str]:
    """Every header a host should send with every response."""
    return {"Content-Security-Policy": csp(header=True), **HEADERS}


def meta_tags(dev_server: bool = False) -> str:
    """The part of the policy a page can carry itself (GitHub Pages sends no
    custom headers): CSP without frame-ancestors, and the referrer policy.
    Keep it first in <head>, before any script or stylesheet."""
    return (f'<meta http-equiv="Content-Security-Policy" content="{esc(csp(dev_server=dev_server))}">\n'
            '<meta name="referrer" content="no-referrer">')


def headers_file() -> str:
    """`_headers` for Netlify and Cloudflare Pages: one rule for every path."""
    return "/*\n" + "".join(f"  {name}: {value}\n" for name, value in response_headers().items())


def nginx_snippet() -> str:
    """The same headers for nginx (`always`: also on 404 and other errors)."""
    return "".join(f"add_header {name} \"{value}\" always;\n" for name, value in response_headers().items())


# ---- Material's checkbox toggles ----------------------------------------------
# Material prints its drawer and search toggles with autocomplete="off", which HTML
# allows only on text-like inputs (Nu Html Checker error on every page). It is there
# so that browsers (Firefox on reload; Chromium when going back) do not restore a
# ticked toggle, which would reopen the drawer or search. A control without the
# attribute follows its form owner's autocomplete state, so the toggles join an empty
# form that says autocomplete="off" (form="..." keeps them where Material's CSS needs
# them). tests/test_browser_csp.py shows Chromium restores them without it, not with it.
TOGGLE_FORM = "__md_toggles"
_TOGGLES = [f'<input class="md-toggle" data-md-toggle="{name}" type="checkbox" id="__{name}" autocomplete="off">'
            for name in ("drawer", "search")]


def fix_toggles(html: str) -> str:
    if _TOGGLES[0] not in html:
        return html
    for old in _TOGGLES:
        html = html.replace(old, old.replace('autocomplete="off"', f'form="{TOGGLE_FORM}"'))
    form = f'<form id="{TOGGLE_FORM}" autocomplete="off" hidden></form>'
    return html.replace('<label class="md-overlay"', form + '<label class="md-overlay"', 1)
