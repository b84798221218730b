"""mkdocs-macros entry point: registers the macros, nothing else.

Each macro is a one-line call into a pure renderer (pages.py, toolkit.py,
contribute.py). Only trusted pages in docs/ are rendered with Jinja
(render_by_default: false + force_render_paths in mkdocs.yml); story files
never are.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from macros import pagemacros, site  # noqa: E402
from macros.build import state  # noqa: E402


def define_env(env) -> None:
    def context() -> pagemacros.PageContext:
        return pagemacros.PageContext(state().handbook, env.page.url, state().site_url, env.page.meta,
                                      site.build_date())
    for name, macro in pagemacros.bound(context).items():
        env.macro(macro, name)
