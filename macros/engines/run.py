"""Step 2, render: run an engine on the generated tree. The engines are commands: swapping
one is a line here, and the adapter (mkdocs_hooks.py, mkdocs_macros.py) it loads.

  mkdocs      MkDocs 1.6.1 + Material 9.8.2, the default (requirements.txt)
  properdocs  ProperDocs 1.6.7, the MkDocs 1.x continuation, same theme and adapter
              (requirements-properdocs.txt; `make build ENGINE=properdocs` installs it)

Never -q or -v next to --strict: MkDocs 1.6 then lets broken anchors through.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ENGINES = {"mkdocs": "mkdocs", "properdocs": "properdocs"}  # name -> the Python module to run


class EngineMissing(Exception):
    pass


def command(engine: str, action: str, config_file: Path, *options: str) -> list[str]:
    if engine not in ENGINES:
        raise EngineMissing(f"unknown engine {engine!r}: use one of {', '.join(ENGINES)}")
    return [sys.executable, "-m", ENGINES[engine], action, "-f", str(config_file), *options]


def render(engine: str, config_file: Path, strict: bool = True) -> int:
    """Build the site the configuration names; the engine's own log goes to the terminal."""
    options = ["--strict" if strict else "--no-strict", "--clean"]
    return subprocess.run(command(engine, "build", config_file, *options)).returncode


def serve(engine: str, config_file: Path, dev_addr: str, strict: bool = True) -> None:
    """Become the engine's live-reloading server (same process: Ctrl-C and signals reach it directly)."""
    options = ["--strict" if strict else "--no-strict", "--dev-addr", dev_addr]
    argv = command(engine, "serve", config_file, *options)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(argv[0], argv)
