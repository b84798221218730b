"""Step 2, render: run an engine on the generated tree. The engines are commands: swapping
one is a line here, and the adapter (mkdocs_hooks.py, mkdocs_macros.py) it loads.

  mkdocs      MkDocs 1.6.1 + Material 9.8.2, the default (requirements.txt)
  properdocs  ProperDocs 1.6.7, the MkDocs 1.x continuation, same theme and adapter
              (requirements-properdocs.txt; `make build ENGINE=properdocs` installs it)

Never -q or -v next to --strict: MkDocs 1.6 then lets broken anchors through.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

from macros.engines.state import preload

ENGINES = {"mkdocs": "mkdocs", "properdocs": "properdocs"}  # name -> the Python module to run


class EngineMissing(Exception):
    pass


def command(engine: str, action: str, config_file: Path, *options: str) -> list[str]:
    if engine not in ENGINES:
        raise EngineMissing(f"unknown engine {engine!r}: use one of {', '.join(ENGINES)}")
    return [sys.executable, "-m", ENGINES[engine], action, "-f", str(config_file), *options]


def render(engine: str, config_file: Path, strict: bool = True, handbook=None) -> int:
    """Build the site the configuration names, with the engine's own command line run in this
    process: the adapter then takes the handbook the generate step has just read and checked
    instead of checking every story again (about 5 s at 3,000 stories). Its log goes to the
    terminal; the exit status is the command's."""
    import importlib

    import click
    cli = importlib.import_module(f"{ENGINES[engine]}.__main__").cli
    args = ["build", "-f", str(config_file), "--strict" if strict else "--no-strict", "--clean"]
    preload(handbook)
    try:
        cli.main(args=args, prog_name=engine, standalone_mode=False)
    except click.exceptions.ClickException as err:  # the engine's Abort: it has said why
        err.show()
        return 1
    except SystemExit as exit_:
        return int(exit_.code or 0)
    finally:
        preload(None)
    return 0


def serve(engine: str, config_file: Path, dev_addr: str, strict: bool = True) -> None:
    """Become the engine's live-reloading server (same process: Ctrl-C and signals reach it directly)."""
    options = ["--strict" if strict else "--no-strict", "--dev-addr", dev_addr]
    argv = command(engine, "serve", config_file, *options)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(argv[0], argv)
