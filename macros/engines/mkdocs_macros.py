"""mkdocs-macros entry point: registers the page macros (macros/render/pagemacros.py), nothing else.

Only trusted pages in docs/ are rendered with Jinja (render_by_default: false +
force_render_paths in mkdocs.yml); story files never are.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from macros.engines.state import state  # noqa: E402
from macros.read.builddate import build_date  # noqa: E402
from macros.render import pagemacros  # noqa: E402


def define_env(env) -> None:
    def context() -> pagemacros.PageContext:
        return pagemacros.PageContext(state().handbook, env.page.url, state().site_url, env.page.meta, build_date())
    for name, macro in pagemacros.bound(context).items():
        env.macro(macro, name)
