"""MkDocs hooks: the adapter between MkDocs 1.6 (or ProperDocs, its continuation) and
the plain functions of macros/. With mkdocs_macros.py, the only code that imports the
engine.

on_startup: note whether this is `mkdocs serve`. on_config: load the handbook for the
templates and macros (under `serve`, generate the tree again first). on_page_markdown /
on_page_content: glossary tooltips, and generated pages' HTML blocks set aside from
Python-Markdown. on_env / on_page_context: the templates' shared fragments and page
context. on_serve: watch the sources, not the generated tree. on_post_build: the finish
step, under `serve` and when the engine's own command was run on mkdocs.yml itself
(`python -m macros build` finishes the site after the engine). Nothing else lives here.
"""
from __future__ import annotations

import logging
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # use this checkout's package, wherever the engine runs from
    sys.path.insert(0, str(ROOT))

from mkdocs.exceptions import Abort  # noqa: E402
from mkdocs.plugins import event_priority  # noqa: E402

from macros.engines import mkdocs_site as site  # noqa: E402
from macros.engines.state import serving, set_command  # noqa: E402
from macros.read.problems import HandbookProblems  # noqa: E402

log = logging.getLogger("mkdocs.plugins.ripples")


def on_startup(command, dirty, **kwargs):
    set_command(command)  # `serve` pages must let MkDocs' live-reload script run


@event_priority(100)  # before mkdocs-macros, which reads the handbook in its on_config
def on_config(config, **kwargs):
    try:
        site.configure(config, ROOT)
    except HandbookProblems as err:
        raise Abort(str(err)) from None
    return config


@event_priority(-100)  # after mkdocs-macros has rendered the page
def on_page_markdown(markdown, page, config, **kwargs):
    return site.page_markdown(markdown, page)


def on_page_content(html, page, config, **kwargs):
    return site.page_content(html, page)


def on_env(env, config, files, **kwargs):
    return site.prepare_templates(env, files)


def on_page_context(context, page, config, nav, **kwargs):
    context["ripples"] = site.page_context(page, config, nav)
    return context


def on_serve(server, config, builder, **kwargs):
    # The tree is generated from stories/, docs/ and macros/, which `watch` covers (generate/config.py).
    # Watching the tree as well would build every save twice: once for the story, once for
    # the pages this build regenerates from it.
    server.unwatch(config.docs_dir)
    return server


def on_post_build(config, **kwargs):
    if not serving() and site.direct_run() is None:
        return  # `python -m macros build` finishes the site itself
    from macros.finish.step import finish
    from macros.generate.step import read_manifest
    try:
        for line in finish(Path(config.site_dir), read_manifest(Path(config.docs_dir).parent), dev_server=serving(),
                           check_links=not serving()):
            log.info(line)
    except HandbookProblems as err:
        raise Abort(str(err)) from None
