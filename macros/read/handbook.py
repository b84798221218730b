"""Load everything once: the vocabulary, the stories, and the indexes over them."""
from __future__ import annotations

import datetime as dt
import os
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from macros.read import routes
from macros.read.loader import NotRegular, is_story_file, link_problems, read_bounded, read_story
from macros.read.model import HUBS, Glossary, Pathways, Redirects, Settings, Story, Taxonomy
from macros.read.problems import Problem, did_you_mean
from macros.read.publication import HeldBack, split
from macros.read.textrules import data_text_problems, file_problems
from macros.read.validate import locate, validate_story
from macros.read.yamlsafe import YamlError, parse

STORIES_DIR = "stories"
TAXONOMY_FILE = "taxonomy.yml"
DATA_FILES = {"pathways": ("pathways.yml", Pathways), "glossary": ("glossary.yml", Glossary),
              "settings": ("handbook.yml", Settings), "redirects": ("redirects.yml", Redirects)}


@dataclass
class Handbook:
    root: Path
    taxonomy: Taxonomy
    stories: list[Story]                       # what this build shows; ordered: chapter, person, title, id
    pathways: Pathways
    glossary: Glossary
    settings: Settings
    redirects: Redirects
    by_id: dict[str, Story] = field(default_factory=dict)
    position: dict[str, int] = field(default_factory=dict)                    # id -> index in stories
    members: dict[tuple[str, str], list[Story]] = field(default_factory=dict)  # (kind, id) -> stories
    held_back: list[HeldBack] = field(default_factory=list)   # publish builds: waiting for the editors

    def __post_init__(self) -> None:
        self.by_id = {s.id: s for s in self.stories}
        self.position = {s.id: i for i, s in enumerate(self.stories)}
        members: dict[tuple[str, str], list[Story]] = defaultdict(list)
        for story in self.stories:
            for kind, (attr, _, _) in HUBS.items():
                values = getattr(story.meta, attr)
                for value in [values] if isinstance(values, str) else values:
                    members[(kind, value)].append(story)
        self.members = dict(members)

    def in_hub(self, kind: str, id_: str) -> list[Story]:
        return self.members.get((kind, id_), [])


DATA_MAX_BYTES = 500_000


def load_data_file(path: Path, model: type[BaseModel], shown: str) -> tuple[Any, list[Problem]]:
    """Load a data file (taxonomy, pathways...) with the strict loader and the story text rules:
    a pull request can change these too."""
    if not os.path.lexists(path):
        return None, [Problem(shown, 0, 0, "file", "is missing (restore it from the repository)")]
    try:
        raw = read_bounded(path, DATA_MAX_BYTES)
        if len(raw) > DATA_MAX_BYTES:
            return None, [Problem(shown, 0, 0, "file", f"is over the limit of {DATA_MAX_BYTES:,} bytes")]
        text = raw.decode("utf-8")
        hidden = file_problems(text, shown, lambda line: "file")
        if hidden:
            return None, hidden
        parsed = parse(text)
        problems = data_text_problems(parsed.data, parsed.positions, shown, locate)
        if problems:
            return None, problems
        return model.model_validate(parsed.data), []
    except NotRegular as err:
        return None, [Problem(shown, 0, 0, "file", str(err))]
    except YamlError as err:
        return None, [Problem(shown, err.line, err.col, "yaml", err.message)]
    except UnicodeDecodeError:
        return None, [Problem(shown, 0, 0, "file", "is not UTF-8 (save it with UTF-8 encoding)")]
    except ValidationError as exc:
        return None, [Problem(shown, *locate(parsed.positions, e["loc"], (1, 1), e["type"] == "missing"),
                              ".".join(map(str, e["loc"])) or "file", data_message(e)) for e in exc.errors()]


def data_message(err: dict) -> str:
    """Pydantic's words, with the fix for the patterns a maintainer meets."""
    pattern = (err.get("ctx") or {}).get("pattern", "")
    if "tel:" in pattern:
        return "must start with tel:, sms: or https:// (a phone number after tel: or sms:, or a web page)"
    if pattern.startswith("^/"):
        return 'must be a site address like /stories/some-id/ (starting and ending with /, no "." or ".." parts)'
    if "\\w" in pattern:
        return "may contain only letters, digits, spaces, hyphens and apostrophes (a word or a short phrase)"
    if "a-z0-9" in pattern:
        return "must be an id: lowercase letters a-z, digits and single hyphens (e.g. self-worth)"
    return err["msg"]


def duplicate_id_problems(taxonomy: Taxonomy, shown: str) -> list[Problem]:
    problems = []
    for kind in HUBS:
        ids = taxonomy.ids(kind)
        for dup in sorted({i for i in ids if ids.count(i) > 1}):
            problems.append(Problem(shown, 0, 0, kind, f'the id "{dup}" is used twice (ids must be unique)'))
    return problems


def load_taxonomy(root: Path) -> tuple[Taxonomy | None, list[Problem]]:
    shown = f"{STORIES_DIR}/{TAXONOMY_FILE}"
    taxonomy, problems = load_data_file(root / STORIES_DIR / TAXONOMY_FILE, Taxonomy, shown)
    if taxonomy is not None:
        problems += duplicate_id_problems(taxonomy, shown)
    return taxonomy, problems


def story_paths(root: Path) -> list[Path]:
    """Every entry of stories/ that is not a known data file: each is a story or a problem."""
    with os.scandir(root / STORIES_DIR) as entries:
        return sorted(root / STORIES_DIR / e.name for e in entries if is_story_file(Path(e.name)))


# Folder -> the folder resolved, during one check_handbook(): every story shares a folder,
# and resolving it again for each (a system call per path component) was ~0.1 ms a story.
_RESOLVED: dict[Path, Path] = {}


def resolved(folder: Path) -> Path:
    if folder not in _RESOLVED:
        _RESOLVED[folder] = folder.resolve()
    return _RESOLVED[folder]


def shown_path(path: Path, root: Path) -> str:
    """The path as the contributor knows it: its folder resolved, never the link itself."""
    try:
        return (resolved(path.absolute().parent) / path.name).relative_to(resolved(root)).as_posix()
    except ValueError:
        return str(path)


def url_clash_problems(paths: list[Path], root: Path) -> list[Problem]:
    seen: dict[str, Path] = {}
    problems = []
    for path in paths:
        key = path.stem.lower()
        if key in seen:
            problems.append(Problem(shown_path(path, root), 0, 0, "file name",
                                    f'gives the same web address as "{seen[key].name}" '
                                    "(ids may not differ only in capitals; rename one file)"))
        else:
            seen[key] = path
    return problems


# (path, its stat, the vocabulary, the date) -> checked story: `mkdocs serve`
# and `make preview` rebuild in one process, and re-checking only the saved file keeps
# that fast at any N.
_CHECKED: dict[tuple, tuple[Story | None, list[Problem]]] = {}


def check_story(path: Path, root: Path, taxonomy: Taxonomy, vocabulary: str,
                today: dt.date | None) -> tuple[Story | None, list[Problem]]:
    st = path.lstat()  # never follows a link (read_story refuses links)
    key = (str(path.absolute()), st.st_mtime_ns, st.st_ctime_ns, st.st_size, str(root), vocabulary, today)
    if key not in _CHECKED:
        raw, problems = read_story(path, shown_path(path, root))
        story = None
        if raw is not None:
            story, found = validate_story(raw, taxonomy, today)
            problems = problems + found
        _CHECKED[key] = (story, problems)
    return _CHECKED[key]


def check_stories(paths: list[Path], root: Path, taxonomy: Taxonomy,
                  today: dt.date | None = None) -> tuple[list[Story], list[Problem]]:
    stories, problems = [], url_clash_problems(paths, root)
    vocabulary = taxonomy.model_dump_json()
    if len(_CHECKED) > 4 * len(paths) + 100:  # bounded: old entries of edited files
        _CHECKED.clear()
    for path in paths:
        story, found = check_story(path, root, taxonomy, vocabulary, today)
        problems += found
        if story is not None and not found:
            stories.append(story)
    return stories, problems


def story_order(taxonomy: Taxonomy):
    order = {c.id: c.order for c in taxonomy.chapters}
    return lambda s: (order.get(s.meta.chapter, 0), s.meta.chapter, s.meta.person.casefold(), s.meta.title.casefold(), s.id)


def load_data(root: Path) -> tuple[dict, list[Problem]]:
    data, problems = {}, []
    for name, (file, model) in DATA_FILES.items():
        data[name], found = load_data_file(root / STORIES_DIR / file, model, f"{STORIES_DIR}/{file}")
        problems += found
    return data, problems


def pathway_problems(pathways: Pathways, story_ids: list[str]) -> list[Problem]:
    """Pathways may only list stories that exist (checked after the stories load)."""
    shown = f"{STORIES_DIR}/{DATA_FILES['pathways'][0]}"
    problems = []
    for p in pathways.pathways:
        for sid in p.stories:
            if sid not in story_ids:
                problems.append(Problem(shown, 0, 0, f"pathways.{p.id}.stories",
                                        f'"{sid}" is not a story id.{did_you_mean(sid, story_ids)} '
                                        "(use a file name from stories/ without .md)"))
    ids = [p.id for p in pathways.pathways]
    problems += [Problem(shown, 0, 0, "pathways", f'the id "{i}" is used twice') for i in set(ids) if ids.count(i) > 1]
    return problems


def address_problems(root: Path, taxonomy: Taxonomy, data: dict, files: list[Path], whole: bool) -> list[Problem]:
    """What the build would trip on: reserved or taken story addresses, impossible redirects."""
    pathway_ids = [p.id for p in data["pathways"].pathways] if data["pathways"] else []
    others = routes.docs_sources(root) + routes.generated_sources(taxonomy, pathway_ids)
    problems = routes.story_address_problems(files, [shown_path(p, root) for p in files], others)
    if whole:
        problems += routes.clash_problems(others)
    if whole and data["redirects"] is not None:
        pages = {routes.route_of(src) for src, _ in others} | {routes.route_of(f"stories/{p.stem}.md") for p in files}
        problems += routes.redirect_problems(data["redirects"], pages)
    return problems


@dataclass
class CheckResult:
    taxonomy: Taxonomy | None
    stories: list[Story]          # the valid ones
    data: dict                    # pathways, glossary, settings, redirects (None where broken)
    problems: list[Problem]


def env_today() -> dt.date:
    """The build's today: RIPPLES_TODAY (tests, reproducible builds) or the clock."""
    try:
        return dt.date.fromisoformat(os.environ.get("RIPPLES_TODAY") or "")
    except ValueError:
        return dt.date.today()


def env_publish() -> bool:
    """RIPPLES_PUBLISH=1: the build for readers, which holds back stories awaiting review."""
    return os.environ.get("RIPPLES_PUBLISH", "").strip() == "1"


def check_handbook(root: Path, paths: list[Path] | None = None, today: dt.date | None = None) -> CheckResult:
    """What the build and `python -m macros check` both run. With `paths`, only those
    story files are checked (data files and pathways are about the whole handbook)."""
    _RESOLVED.clear()  # a folder may have been moved or linked since the last check
    try:
        return check_files(Path(root), paths, today)
    finally:
        _RESOLVED.clear()


def check_files(root: Path, paths: list[Path] | None, today: dt.date | None) -> CheckResult:
    today = today or env_today()
    taxonomy, problems = load_taxonomy(root)
    data, found = load_data(root)
    if paths is None:
        problems += found + link_problems(root)
    if taxonomy is None:
        return CheckResult(None, [], data, problems)
    files = story_paths(root) if paths is None else paths
    stories, found = check_stories(files, root, taxonomy, today)
    problems += found + address_problems(root, taxonomy, data, files, whole=paths is None)
    if paths is None and data["pathways"] is not None:  # a story file with its own problems still exists
        problems += pathway_problems(data["pathways"], [p.stem for p in files])
    return CheckResult(taxonomy, stories, data, problems)


def load_handbook(root: Path, publish: bool | None = None) -> tuple[Handbook | None, list[Problem]]:
    """The one entry point for the build: every problem in every file, or a complete Handbook.
    A publish build (RIPPLES_PUBLISH=1) shows only the stories the editors have finished
    and lists the others in `held_back`; a preview shows them all."""
    result = check_handbook(root)
    if result.problems:
        return None, sorted(set(result.problems))
    ordered = sorted(result.stories, key=story_order(result.taxonomy))
    shown, held = split(ordered, env_publish() if publish is None else publish)
    data = dict(result.data)
    if held:  # a pathway lists only the stories that are live
        data["pathways"] = without_stories(data["pathways"], {h.story.id for h in held})
    return Handbook(Path(root), result.taxonomy, shown, **data, held_back=held), []


def without_stories(pathways: Pathways, ids: set[str]) -> Pathways:
    return pathways.model_copy(update={"pathways": [
        p.model_copy(update={"stories": [s for s in p.stories if s not in ids]}) for p in pathways.pathways]})
