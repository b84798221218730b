"""One verdict (issue 18): the "Write a story" page never hands out a file that the check refuses,
and never refuses one it would accept.

10,000 generated inputs (tests/write_cases.py, seeded) go through the page's own rules in
Chromium, in batches of one page.evaluate each; the files the page makes go through the
check in-process (`python -m macros check`'s own entry point), and a sample through the real
command. Both must agree on the verdict and, problem by problem, on field and message: the
look-alike rule (lines posing as the page's sections or as the editors) included.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from macros.read.handbook import check_handbook
from macros.read.problems import printable
from macros.read.validate import _claim_keys, _posing_problems, _section_keys, lookalike_keys
from tests.browser import goto
from tests.write_cases import TABLE_LOOKS, Inputs
from tests.commands import run_macros

ROOT = Path(__file__).resolve().parent.parent
COUNT, BATCH, SAMPLE = 10_000, 500, 150
_LINE = re.compile(r"^(?P<path>\S+?\.md)(?::\d+:\d+)?: (?P<field>[^:]+?): (?P<message>.*)$")
CASES = Inputs(ROOT).generate(COUNT)


def page_results(page, cases: list[dict]) -> list[dict]:
    """The page's verdict and file for each case. JSON text both ways: lone surrogates survive."""
    out = []
    for start in range(0, len(cases), BATCH):
        sent = json.dumps(cases[start:start + BATCH], ensure_ascii=True)
        got = page.evaluate("""text => JSON.stringify(JSON.parse(text).map(v =>
            ({file: RipplesWrite.storyText(v, "2026-01-01"), problems: RipplesWrite.validate(v)})))""", sent)
        out += json.loads(got)
    return out


def python_problems(paths: list[Path]) -> dict[str, list]:
    """The check's problems, in-process: the function `python -m macros check FILE...` calls."""
    found: dict[str, list] = {p.stem: [] for p in paths}
    for problem in check_handbook(ROOT, paths).problems:
        found[Path(problem.path).stem].append([problem.field, problem.message])
    return found


def cli_problems(paths: list[Path]) -> dict[str, list]:
    """The same through the real command (its output shows control characters as escapes)."""
    output = run_macros(ROOT, "check", *paths).stdout
    found: dict[str, list] = {p.stem: [] for p in paths}
    for line in output.splitlines():
        match = _LINE.match(line)
        if match and match["field"] not in ("warning", "info"):
            found[Path(match["path"]).stem].append([match["field"], match["message"]])
    return {stem: sorted(problems) for stem, problems in found.items()}


_POSING_WORDS = ("looks like the page's own section", "presents itself as coming from the Ripples editors")


def posing(message: str) -> bool:
    return any(words in message for words in _POSING_WORDS)


def comparable(problems: list) -> list:
    """(field, message) pairs; for the file-size limit the form speaks in words, the check in bytes."""
    return sorted([f, "" if f == "file" else m] for f, m in problems)


@pytest.fixture(scope="module")
def verdicts(browser, site_server, tmp_path_factory):
    page = browser.new_page()
    goto(page, site_server + "contribute/write/")
    page.evaluate("RipplesWrite.ready")
    results = page_results(page, CASES)
    page.close()
    folder = tmp_path_factory.mktemp("differential")
    paths = []
    for n, result in enumerate(results):
        path = folder / f"case-{n:05d}.md"
        path.write_text(result["file"], encoding="utf-8")
        paths.append(path)
    python = python_problems(paths)
    return results, paths, python


def test_the_inputs_cover_both_verdicts_and_every_kind(verdicts):
    results, _, python = verdicts
    assert len(results) >= 10_000
    refused = sum(1 for r in results if r["problems"])
    assert 0.1 * COUNT < refused < 0.9 * COUNT, refused
    fields = {f for r in results for f, _ in r["problems"]}
    assert {"person", "title", "body", "file", "summary", "shift.to", "reflection", "themes", "domains",
            "consent.permission"} <= fields


def test_page_and_check_agree_on_every_input(verdicts):
    results, paths, python = verdicts
    differ = {}
    for result, path in zip(results, paths):
        page, check = comparable(result["problems"]), comparable(python[path.stem])
        if page != check:
            differ[path.stem] = {"page": page, "check": check, "file": result["file"][:600]}
    shown = dict(list(differ.items())[:8])
    assert differ == {}, f"{len(differ)} disagree, e.g.\n" + json.dumps(shown, indent=1, ensure_ascii=True)


LOOK_ALIKES = {c for chars in TABLE_LOOKS.values() for c in chars if not c.isascii()}


def look_alike_lines(case: dict) -> list[str]:
    """Body lines with a character that is not ASCII but looks like an ASCII letter."""
    return [line for line in case["body"].replace("\r\n", "\n").split("\n") if set(line) & LOOK_ALIKES]


def test_many_inputs_exercise_the_look_alike_rule(verdicts):
    """Look-alike lines both refused and let through, each kind in a good share of the inputs."""
    _, paths, python = verdicts
    refused = [p.stem for p in paths if any(posing(m) for _, m in python[p.stem])]
    passed = [c for c in CASES if any(not _posing_problems(line) for line in look_alike_lines(c))]
    with_chars = [p.stem for p in paths if any("look-alike characters: U+" in m for _, m in python[p.stem])]
    claims = [p.stem for p in paths if any("coming from the Ripples editors" in m for _, m in python[p.stem])]
    assert len(refused) > 0.06 * COUNT and len(passed) > 0.15 * COUNT, (len(refused), len(passed))
    assert len(with_chars) > 0.03 * COUNT and len(claims) > 0.02 * COUNT, (len(with_chars), len(claims))


def _projected(key: str, matter: str) -> str:
    """A key with each run of characters that cannot be part of a section name or claim as one \0:
    the page's table leaves such characters as they are (macros/render/rules.py's _looks)."""
    return re.sub(f"[^{re.escape(matter)}]+", "\0", key)


def test_the_page_computes_the_checks_look_alike_keys(browser, site_server):
    """Key for key, on every look-alike line of the inputs and on the section names and claims."""
    matter = "".join(sorted({" ", *"".join(_section_keys()), *"".join(w for _, w in _claim_keys())}))
    lines = sorted(line for line in {line for case in CASES for line in case["body"].split("\n")}
                   if not re.search("[\ud800-\udfff]", line))  # the page makes lone surrogates U+FFFD first
    page = browser.new_page()
    goto(page, site_server + "contribute/write/")
    page.evaluate("RipplesWrite.ready")
    got = json.loads(page.evaluate("text => JSON.stringify(JSON.parse(text).map(RipplesWrite.lookalikeKeys))",
                                   json.dumps(lines, ensure_ascii=True)))
    page.close()
    assert len(lines) > 5000
    differ = {line: (keys, lookalike_keys(line)) for line, keys in zip(lines, got)
              if [_projected(k, matter) for k in keys] != [_projected(k, matter) for k in lookalike_keys(line)]}
    assert differ == {}, json.dumps(dict(list(differ.items())[:8]), ensure_ascii=True, indent=1)


def test_the_real_command_says_the_same_on_a_sample(verdicts):
    _, paths, python = verdicts
    sample = paths[::COUNT // SAMPLE][:SAMPLE]
    real = cli_problems(sample)
    assert real == {p.stem: sorted([f, printable(m)] for f, m in python[p.stem]) for p in sample}


def test_every_file_the_page_accepts_passes_the_check(verdicts):
    results, paths, python = verdicts
    handed_out = [p.stem for r, p in zip(results, paths) if not r["problems"]]
    refused = [s for s in handed_out if python[s]]
    assert handed_out and refused == []
