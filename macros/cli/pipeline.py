"""The build's commands: generate → render → finish, one at a time or together.

  python -m macros generate OUT/      the docs tree, engine configuration and manifest
  python -m macros finish SITE/       CSP, copy-link buttons, search index, link check
  python -m macros build              all three (make build, make publish)
  python -m macros serve              generate, then the engine's live-reloading server
"""
from __future__ import annotations

from pathlib import Path

from macros.cli.usage import UsageError
from macros.engines import run
from macros.engines.mkdocs_site import serve_site
from macros.finish.step import finish
from macros.generate.report import information
from macros.generate.step import default_out, generate, read_manifest
from macros.read.builddate import pin_build_date
from macros.read.problems import HandbookProblems


def add_commands(sub) -> None:
    g = sub.add_parser("generate", help="write the docs tree the engine renders (generate step)")
    g.add_argument("out", metavar="OUT", help="folder to write into (generated/ for make build)")
    g.add_argument("--site", default="site", help="where the engine will build the site")
    f = sub.add_parser("finish", help="finish a built site in place (CSP, copy links, search, link check)")
    f.add_argument("site", metavar="SITE")
    f.add_argument("--generated", help="the generate step's folder (default: generated/)")
    for name, what in (("build", "generate, render and finish the site"), ("serve", "serve the handbook locally")):
        b = sub.add_parser(name, help=what)
        b.add_argument("--engine", default="mkdocs", choices=sorted(run.ENGINES))
        b.add_argument("--generated", help="the generate step's folder (default: generated/)")
        b.add_argument("--no-strict", dest="strict", action="store_false", help="warnings do not stop the build")
        if name == "build":
            b.add_argument("--site", default="site")
        else:
            b.add_argument("--dev-addr", default="127.0.0.1:8000")


def say(lines, err) -> None:
    for line in lines:
        print(f"INFO    -  {line}", file=err)


def generated_dir(args, root: Path) -> Path:
    return Path(args.generated) if args.generated else default_out(root)


def generate_command(args, root: Path, out, err) -> int:
    pin_build_date(root)
    try:
        made = generate(root, Path(args.out), root / args.site)
    except HandbookProblems as problems:
        print(problems, file=err)
        return 1
    say(information(made.handbook), err)
    print(f"Generated {made.config_file.parent} ({made.written_files} files changed); "
          f"render it with: python -m mkdocs build -f {made.config_file}", file=out)
    return 0


def finish_command(args, root: Path, out, err) -> int:
    site = Path(args.site)
    if not (site / "index.html").is_file():
        raise UsageError(f"no built site in {site} (run the engine on the generated tree first)")
    try:
        say(finish(site, read_manifest(generated_dir(args, root))), err)
    except (HandbookProblems, OSError) as problem:
        print(problem, file=err)
        return 1
    return 0


def build_command(args, root: Path, out, err) -> int:
    pin_build_date(root)
    site = Path(args.site) if Path(args.site).is_absolute() else root / args.site
    try:
        made = generate(root, generated_dir(args, root), site)
        say(information(made.handbook), err)
        status = run.render(args.engine, made.config_file, strict=args.strict)
        if status != 0:
            return status
        say(finish(site, made.manifest), err)
    except HandbookProblems as problems:
        print(problems, file=err)
        return 1
    return 0


def serve_command(args, root: Path, out, err) -> int:
    pin_build_date(root)
    try:
        made = generate(root, generated_dir(args, root), serve_site(generated_dir(args, root)))
    except HandbookProblems as problems:
        print(problems, file=err)
        return 1
    run.serve(args.engine, made.config_file, args.dev_addr, strict=args.strict)
    return 0  # not reached: the engine's server took over this process


COMMANDS = {"generate": generate_command, "finish": finish_command, "build": build_command,
            "serve": serve_command}
