"""MkDocs hooks: thin glue between MkDocs and the plain functions in macros/.

on_startup: note whether this is `mkdocs serve` (its live reload needs an inline
script). on_config: load and validate every story (abort with the same messages as
`python -m macros check`). on_files: mount story and hub pages as generated
files. on_page_content: add "Copy link" buttons and mark what search indexes.
on_post_page/on_post_template: last touches on every HTML file (security meta).
on_env: cache compiled templates and share fragments between pages.
on_post_build: host files (_headers), then the Pagefind search index;
on_build_error: no search copies left behind. Nothing else lives here.
"""
from __future__ import annotations

import logging
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # use this checkout's package, wherever MkDocs runs from
    sys.path.insert(0, str(ROOT))

from mkdocs.exceptions import Abort  # noqa: E402
from mkdocs.plugins import event_priority  # noqa: E402

from macros import site  # noqa: E402

log = logging.getLogger("mkdocs.plugins.ripples")


def on_startup(command, dirty, **kwargs):
    site.set_command(command)  # `serve` pages must let MkDocs' live-reload script run


@event_priority(100)  # before mkdocs-macros, which reads the handbook in its on_config
def on_config(config, **kwargs):
    try:
        site.configure(config, Path(config.config_file_path).parent)
    except site.HandbookProblems as err:
        raise Abort(str(err)) from None
    for line in site.information():
        log.info(line)
    return config


@event_priority(100)
def on_files(files, config, **kwargs):
    try:
        return site.add_generated_files(files, config)
    except site.HandbookProblems as err:
        raise Abort(str(err)) from None


@event_priority(-100)  # after mkdocs-macros has rendered the page
def on_page_markdown(markdown, page, config, **kwargs):
    return site.add_glossary_tooltips(markdown, page)


def on_page_content(html, page, config, **kwargs):
    return site.finish_page_html(html, page)


def on_post_page(output, page, config, **kwargs):
    return site.finish_output(output)


def on_post_template(output_content, template_name, config, **kwargs):
    return site.finish_output(output_content) if template_name.endswith(".html") else output_content


def on_post_build(config, **kwargs):
    site.write_host_files(config.site_dir)
    try:
        site.index_for_search(config)
    except site.HandbookProblems as err:
        raise Abort(str(err)) from None


def on_build_error(error, **kwargs):
    site.discard_search_copies()


def on_env(env, config, files, **kwargs):
    return site.prepare_templates(env, files)


def on_page_context(context, page, config, nav, **kwargs):
    context["ripples"] = site.page_context(page, config, nav)
    return context
