"""`python -m macros <command>`: the contributor and maintainer commands.

Exit codes: 0 all good, 1 problems found, 2 usage error. Never a traceback:
anything unexpected is reported as one line asking for a bug report.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import sys
from pathlib import Path

from macros.cli import pipeline
from macros.read import checks
from macros.read.handbook import check_handbook, env_today
from macros.read.problems import printable
from macros.cli.usage import UsageError

ROOT = Path(__file__).resolve().parents[2]


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse would exit 2 itself; keep one exit path
        raise UsageError(message)


def parser() -> argparse.ArgumentParser:
    p = _Parser(prog="python -m macros", description="Ripples handbook tools.")
    p.add_argument("--root", default=str(ROOT), help=argparse.SUPPRESS)
    sub = p.add_subparsers(dest="command", parser_class=_Parser)
    c = sub.add_parser("check", help="check story files (all of stories/ when no file is given)")
    c.add_argument("paths", nargs="*", metavar="PATH")
    c.add_argument("--overdue", action="store_true", help="list stories whose review is overdue; exit 1 if any")
    c.add_argument("--today", help=argparse.SUPPRESS)  # tests inject the date
    n = sub.add_parser("new", help="create a new story file from the template")
    n.add_argument("--person")
    n.add_argument("--title")
    n.add_argument("--chapter")
    n.add_argument("--domains", help="comma-separated domain ids, main one first")
    s = sub.add_parser("schema", help="write or check stories/story.schema.json")
    s.add_argument("--write", action="store_true")
    u = sub.add_parser("urls", help="update published-urls.txt from a built site/")
    u.add_argument("--update", action="store_true")
    u.add_argument("--site", default="site")
    o = sub.add_parser("offline", help="build the EPUB and the PDFs of the handbook into a folder")
    o.add_argument("out", metavar="OUT", help="folder to write into (created if missing)")
    o.add_argument("--epub-only", action="store_true", help="only the EPUB (no Chromium needed)")
    k = sub.add_parser("links", help="check every link and #anchor in a built site/")
    k.add_argument("--site", default="site")
    w = sub.add_parser("waiting", help="list the stories the published site holds back until the editors finish")
    w.add_argument("--markdown", action="store_true", help="a table for the GitHub job summary")
    w.add_argument("--today", help=argparse.SUPPRESS)
    d = sub.add_parser("deploy-check", help="before a deploy: every address the live site has published must "
                                            "still resolve in the new site/ (or through a redirect)")
    d.add_argument("--site", default="site")
    d.add_argument("--live", required=True, help="the live site's published-urls.txt (https://…/published-urls.txt)")
    d.add_argument("--if-unreachable", choices=["refuse", "use-committed"], default="refuse",
                   help="when the live site does not answer: refuse (default), or trust published-urls.txt here")
    pipeline.add_commands(sub)
    return p


def waiting_command(args, root: Path, out) -> int:
    from macros.read.handbook import load_handbook
    from macros.read.publication import summary_markdown, waiting, waiting_lines
    try:
        today = dt.date.fromisoformat(args.today) if args.today else env_today()
    except ValueError:
        raise UsageError(f"--today must be a date like 2026-11-27, not {args.today!r}") from None
    hb, problems = load_handbook(root, publish=False)
    if hb is None:
        return checks.report(problems, out)
    held = waiting(hb.stories)
    if args.markdown:
        print(summary_markdown(held, root, today), file=out, end="")
        return 0
    for line in waiting_lines(held, root, today):
        print(line, file=out)
    n = len(held)
    print(f"{n} stor{'ies' if n != 1 else 'y'} waiting for the editors (held back from the published site; "
          "previews show them with a banner).", file=out)
    return 0


def run_check(args, root: Path, out) -> int:
    paths = [Path(p) for p in args.paths] if args.paths else None
    missing = [p for p in paths or [] if not os.path.lexists(p)]  # links and folders are problems, below
    if missing:
        raise UsageError(f"no such file: {missing[0]}")
    folders = [p for p in paths or [] if p.is_dir() and not p.is_symlink()
               and p.resolve().parent != (root / "stories").resolve()]  # a folder in stories/ is a problem
    if folders:
        raise UsageError(f"{folders[0]} is a folder (give story files, or nothing to check all of stories/)")
    try:
        today = dt.date.fromisoformat(args.today) if args.today else env_today()
    except ValueError:
        raise UsageError(f"--today must be a date like 2026-11-27, not {args.today!r}") from None
    result = check_handbook(root, paths, today)
    from macros.render.toolkit import handout_notes
    return checks.report(result.problems, out, result.stories, result.data["settings"], today, args.overdue,
                         handout_notes(list(result.stories)))


def links_command(args, root: Path, out) -> int:
    from macros.finish.linkcheck import check_site
    site = root / args.site
    if not (site / "index.html").exists():
        raise UsageError(f"no built site in {site} (run `make build` first)")
    home = re.search(r'<link rel="canonical" href="([^"]+)">', (site / "index.html").read_text(encoding="utf-8"))
    report = check_site(site, site_url=home.group(1) if home else None)
    for line in report.broken + [f"not https: {u}" for u in report.insecure]:
        print(line, file=out)
    print(f"{len(report.broken)} broken link(s); {len(report.external)} external link(s), never fetched", file=out)
    return 1 if report.broken else 0


def main(argv: list[str] | None = None, out=sys.stdout, err=sys.stderr) -> int:
    try:
        args = parser().parse_args(argv)
        root = Path(args.root)
        if args.command == "check":
            return run_check(args, root, out)
        if args.command == "new":
            from macros.cli.scaffold import new_story
            return new_story(args, root, out, err)
        if args.command == "schema":
            from macros.read.schema import schema_command
            return schema_command(args, root, out)
        if args.command == "offline":
            from macros.offline.build import offline_command
            return offline_command(args, root, out)
        if args.command == "links":
            return links_command(args, root, out)
        if args.command == "urls":
            from macros.finish.urls import urls_command
            return urls_command(args, root, out)
        if args.command == "waiting":
            return waiting_command(args, root, out)
        if args.command in pipeline.COMMANDS:
            return pipeline.COMMANDS[args.command](args, root, out, err)
        if args.command == "deploy-check":
            from macros.finish.urls import deploy_check_command
            return deploy_check_command(args, root, out)
        parser().print_help(out)
        return 2
    except UsageError as exc:
        print(f"usage error: {printable(str(exc))}\nRun `python -m macros --help` for the commands.", file=err)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - a contributor must never see a traceback
        print(f"internal error: {type(exc).__name__}: {printable(str(exc))}\n"
              "This is a bug in the checker, not in your story. Please report it.", file=err)
        return 3
