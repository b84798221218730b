"""`python -m macros …` as the tests run it: the same arguments, folder, environment, exit
status, output and error text as the command line, in a process forked from one that has
already imported the handbook's code, instead of a new interpreter each time.

Why: the suite runs the command well over a hundred times (builds of repository copies,
`check` on a story, `deploy-check`, `new`, `waiting`). A `check` of the 22 stories took 0.44
CPU s as a new interpreter, nearly all of it imports, and 0.07 s forked from a process that
has imported them (the standard library's forkserver, with a preload list); a build 1.42 s
and about 1.0 s. About 50 CPU seconds a run (bench/RESULTS.md). Each command still runs in a
process of its own: what it does to its modules, its folder or its environment ends with it.

What stays a real command line: `make` targets (tests/contributions.py, test_one_story_pr.py,
test_contributor_tools.py), test_pipeline.py's three commands, and the tests named "real
command", so the entry point itself stays tested.
"""
from __future__ import annotations

import atexit
import multiprocessing
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# What every command imports, loaded once in the forkserver, and the libraries both engines
# share. Not an engine (mkdocs, mkdocs_macros, Material): ProperDocs stands in for `mkdocs`
# when it is imported first, and the MkDocs 2 warning Material prints on import depends on
# each command's own environment. Not macros.offline: pdf.py reads RIPPLES_CHROMIUM on import.
PRELOAD = ["macros.cli.main", "macros.cli.pipeline", "macros.read.handbook", "jinja2", "markdown", "pygments",
           "babel", "requests", "click", "yaml", "pydantic"]

_forkserver: multiprocessing.context.ForkServerContext | None = None


def _context():
    global _forkserver
    if _forkserver is None:
        _forkserver = multiprocessing.get_context("forkserver")
        _forkserver.set_forkserver_preload(PRELOAD)
    return _forkserver


def run_macros(root: Path, *args: str, cwd: Path | None = None, env: dict | None = None,
               timeout: float = 600) -> subprocess.CompletedProcess:
    """`python -m macros --root ROOT ARGS…` run in `cwd` (default: `root`) with `env` (default:
    this process's environment), as subprocess.run(capture_output=True, text=True) returns it."""
    argv = ["--root", str(root), *map(str, args)]
    with tempfile.TemporaryDirectory(prefix="ripples-command-") as folder:
        out, err = Path(folder, "stdout"), Path(folder, "stderr")
        out.touch()
        err.touch()
        process = _context().Process(target=_command, args=(argv, str(cwd or root), dict(env or os.environ),
                                                            str(out), str(err)))
        process.start()
        process.join(timeout)
        if process.is_alive():
            process.kill()
            process.join()
            raise subprocess.TimeoutExpired(["python", "-m", "macros", *argv], timeout)
        return subprocess.CompletedProcess(["python", "-m", "macros", *argv], process.exitcode,
                                           out.read_text(encoding="utf-8"), err.read_text(encoding="utf-8"))


def _command(argv: list[str], cwd: str, env: dict, out: str, err: str) -> None:
    """In the forked process: become `python -m macros ARGV` (standard input empty, output
    and error to the two files) and exit with its status, after its exit handlers."""
    os.chdir(cwd)
    os.environ.clear()
    os.environ.update(env)
    tempfile.tempdir = None  # read TMPDIR again, as a new interpreter would
    for fd, path in ((1, out), (2, err)):
        target = os.open(path, os.O_WRONLY)
        os.dup2(target, fd)
        os.close(target)
    sys.argv = [str(ROOT / "macros" / "__main__.py"), *argv]
    from macros.cli.main import main
    try:
        code = main(argv)
    except SystemExit as exit_:
        code = exit_.code
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
        if stream is not None:
            stream.flush()
    os._exit(code if isinstance(code, int) else 1)
