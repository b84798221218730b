"""`python -m macros new`: write stories/<id>.md from stories/_template.md."""
from __future__ import annotations

import json
import re
import sys
import unicodedata
from pathlib import Path

from macros.cli.usage import UsageError
from macros.read.handbook import STORIES_DIR, load_taxonomy, story_paths
from macros.read.problems import did_you_mean

FLAGS = {"person": "the storyteller's given name or pseudonym, one word", "title": "the story's title",
         "chapter": "a chapter id", "domains": "domain ids separated by commas, main one first"}


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def ask_missing(args, interactive: bool) -> None:
    for flag, what in FLAGS.items():
        if getattr(args, flag):
            continue
        if not interactive:
            raise UsageError(f"missing --{flag} ({what})")
        value = input(f"{flag.capitalize()} ({what}): ").strip()
        if not value:
            raise UsageError(f"--{flag} cannot be empty")
        setattr(args, flag, value)


def check_texts(args) -> None:
    """The rules the check applies to these fields, before anything is written."""
    from macros.read.textrules import text_problem
    from macros.read.validate import person_rule
    for flag in ("person", "title"):
        why = text_problem(getattr(args, flag))
        if why:
            raise UsageError(f"--{flag} {why}")
    why = person_rule(args.person)
    if why:
        raise UsageError(f"--person {why}")


def check_ids(args, taxonomy) -> list[str]:
    chapters, domains = taxonomy.ids("chapters"), taxonomy.ids("domains")
    wanted = [d.strip() for d in args.domains.split(",") if d.strip()]
    if args.chapter not in chapters:
        raise UsageError(f'unknown chapter "{args.chapter}".{did_you_mean(args.chapter, chapters)} '
                         f"Allowed: {', '.join(chapters)}")
    for d in wanted or [""]:
        if d not in domains:
            raise UsageError(f'unknown domain "{d}".{did_you_mean(d, domains)} Allowed: {", ".join(domains)}')
    return wanted


def fill_template(template: str, values: dict[str, str]) -> str:
    """Replace the template's `key: ...` lines; JSON strings are valid YAML and safely quoted."""
    for key, value in values.items():
        line = f"{key}: {value}"
        template = re.sub(rf"(?m)^{key}: .*$", lambda _, line=line: line, template, count=1)
    return template


def new_story(args, root: Path, out, err, interactive: bool | None = None) -> int:
    interactive = sys.stdin.isatty() if interactive is None else interactive
    ask_missing(args, interactive)
    taxonomy, problems = load_taxonomy(root)
    if taxonomy is None:
        raise UsageError("stories/taxonomy.yml has problems: " + "; ".join(map(str, problems)))
    check_texts(args)
    domains = check_ids(args, taxonomy)
    story_id = slug(f"{args.person} {args.title}")
    if not story_id or story_id == slug(args.person):
        raise UsageError("the title must contain letters or digits")
    path = root / STORIES_DIR / f"{story_id}.md"
    taken = {p.stem.lower() for p in story_paths(root)}
    if path.exists() or story_id in taken:
        print(f"stories/{story_id}.md already exists: choose another title (nothing was written)", file=err)
        return 1
    template = (root / STORIES_DIR / "_template.md").read_text(encoding="utf-8")
    text = fill_template(template, {"title": json.dumps(args.title.strip(), ensure_ascii=False),
                                    "person": json.dumps(args.person.strip(), ensure_ascii=False),
                                    "chapter": args.chapter, "domains": "[" + ", ".join(domains) + "]"})
    with open(path, "x", encoding="utf-8") as handle:  # "x": never overwrite
        handle.write(text)
    print(f"Created stories/{story_id}.md\n\nNext steps:\n"
          "  1. Open the file and replace every TODO (summary, shift, reflection, themes).\n"
          "  2. Paste the storyteller's words below the second --- line, exactly as they approved them.\n"
          "  3. Set the three consent flags to true only once each is really so.\n"
          f"  4. Run `make check` (or `python -m macros check stories/{story_id}.md`) until it says the story is valid.\n"
          "  5. Open a pull request and tick the checklist. Remember: pull requests are public.", file=out)
    return 0
