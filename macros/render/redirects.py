"""Redirect pages that keep old addresses (and their #anchors) working.

mkdocs-redirects keeps the anchor only via JavaScript and its meta-refresh
fallback drops it; these pages do both: the script (assets/ripples-redirect.js,
deferred: it runs before the refresh, which waits for the page to load) carries
location.hash, the meta refresh covers readers without scripts. The finish step gives
them the same Content-Security-Policy and referrer policy as every other page.
"""
from __future__ import annotations

from macros.read.model import Redirect, Settings
from macros.render.markup import esc, rel
from macros.render.toolkit import crisis_lines


def redirect_src(redirect: Redirect) -> str:
    """The static file that answers the old address."""
    return redirect.from_.strip("/") + "/index.html"


def redirect_page(redirect: Redirect, site_url: str, settings: Settings) -> str:
    here = redirect.from_.strip("/") + "/"
    target = rel(here, redirect.to.lstrip("/"))
    why = "This story was withdrawn by its storyteller." if redirect.withdrawn else "This page has moved."
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{esc(why)} Ripples</title>
<script src="{esc(rel(here, "assets/ripples-redirect.js"))}" defer></script>
<meta http-equiv="refresh" content="0; url={esc(target)}">
<link rel="canonical" href="{esc(site_url + redirect.to.lstrip('/'))}">
<meta name="robots" content="noindex">
<meta name="viewport" content="width=device-width,initial-scale=1">
</head>
<body>
<main><p>{esc(why)} <a href="{esc(target)}" data-redirect>Continue to the new page</a>.</p></main>
{crisis_lines(settings)}
</body>
</html>
"""
