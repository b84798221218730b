"""`python -m macros`: exit codes, usage errors, --overdue, reading level,
the `new` scaffolder and the `schema` command. In-process where possible;
the date is always injected, never the real one."""
from __future__ import annotations

import argparse
import builtins
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, check
from storyfile import BASE, story, write
from macros.cli.main import main
from macros.cli.scaffold import new_story
from macros.read.yamlsafe import parse



def run(repo: Path, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["--root", str(repo), *args], out=out, err=err)
    assert "Traceback" not in out.getvalue() + err.getvalue()
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def no_terminal(monkeypatch):
    """Standard input is not a terminal (as in CI or a pre-commit hook)."""
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))


# ---- exit codes ------------------------------------------------------------------------------

def test_exit_0_when_everything_is_valid(repo):
    code, out, err = run(repo, "check")
    assert (code, err) == (0, "")
    *notes, last = out.splitlines()
    assert re.fullmatch(r"All \d+ stories are valid\.", last), out
    # A new story awaiting an editor's review is valid; the check only notes it.
    assert all(n.startswith("info: ") and "awaiting editorial review" in n for n in notes), out


def test_exit_1_when_a_problem_is_found(repo):
    code, out, err = run(repo, "check", str(write(repo, story(person="12"))))
    assert code == 1
    assert out.startswith("stories/x.md:3:9: person: must be text")
    assert "1 problem found." in out


def test_exit_1_for_a_bad_file_among_good_ones(repo):
    write(repo, story(chapter="nope"))
    code, out, _ = run(repo, "check")
    assert code == 1 and 'chapter: "nope" is not a known chapter id' in out


@pytest.mark.parametrize("args, message", [
    (["check", "stories/does-not-exist.md"], "usage error: no such file: stories/does-not-exist.md"),
    (["frobnicate"], "usage error: argument command: invalid choice: 'frobnicate'"),
    (["check", "--frobnicate"], "usage error: unrecognized arguments: --frobnicate"),
    (["--frobnicate", "check"], "usage error: unrecognized arguments: --frobnicate"),
    (["new", "--colour", "blue"], "usage error: unrecognized arguments: --colour blue"),
])
def test_usage_errors_exit_2(repo, args, message):
    code, out, err = run(repo, *args)
    assert code == 2
    assert err.startswith(message)
    assert "python -m macros --help" in err


def test_check_a_directory_is_a_usage_error(repo):
    code, _, err = run(repo, "check", str(repo / "stories"))
    assert code == 2 and "usage error:" in err and "is a folder" in err


def test_no_command_shows_help_and_exits_2(repo):
    code, out, _ = run(repo)
    assert code == 2 and "usage:" in out and "check" in out and "new" in out


@pytest.mark.parametrize("args, code, stream, text", [
    (["check", "/no/such/story.md"], 2, "stderr", "usage error: no such file"),
    (["nonsense"], 2, "stderr", "usage error"),
    (["check", "--bogus"], 2, "stderr", "usage error"),
])
def test_real_command_exit_codes(repo, args, code, stream, text):
    result = check(repo, *args)
    assert result.returncode == code
    assert text in getattr(result, stream)
    assert "Traceback" not in result.stdout + result.stderr


def test_real_command_exit_0_and_1(repo):
    assert check(repo, "check").returncode == 0
    write(repo, story(domains="[]"))
    result = check(repo, "check")
    assert result.returncode == 1
    assert "stories/x.md:5:10: domains: needs at least one domain id (e.g. [romantic])" in result.stdout


def test_broken_taxonomy_is_reported_not_raised(repo):
    taxonomy = repo / "stories/taxonomy.yml"
    taxonomy.write_text(taxonomy.read_text(encoding="utf-8") + "themes: []\n", encoding="utf-8")
    code, out, err = run(repo, "check")
    assert code == 1
    assert out.startswith('stories/taxonomy.yml:') and '"themes" appears twice' in out


# ---- overdue reviews ---------------------------------------------------------------------------

def test_overdue_lists_an_old_review_and_exits_1(repo):
    path = write(repo, story(reviewed="2025-01-01"), "old.md")
    code, out, _ = run(repo, "check", "--overdue", "--today", "2027-02-01")
    assert code == 1
    assert out.splitlines() == [
        "stories/old.md: review overdue: last reviewed 2025-01-01, more than 24 months before 2027-02-01",
        "1 overdue review(s).",
    ]
    code, out, _ = run(repo, "check", "--overdue", "--today", "2027-02-01", str(path))
    assert code == 1 and "stories/old.md: review overdue" in out


def test_overdue_with_none_overdue_exits_0(repo):
    write(repo, story(reviewed="2025-01-01"), "old.md")
    code, out, _ = run(repo, "check", "--overdue", "--today", "2026-12-31")
    assert (code, out) == (0, "0 overdue review(s).\n")


def test_overdue_boundary_is_the_review_period(repo):
    write(repo, story(reviewed="2025-01-01"), "old.md")
    assert run(repo, "check", "--overdue", "--today", "2027-01-01")[0] == 0   # exactly 24 months: not yet
    assert run(repo, "check", "--overdue", "--today", "2027-01-02")[0] == 1


def test_review_period_comes_from_the_settings(repo):
    settings = repo / "stories/handbook.yml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("review_period_months: 24",
                                                                     "review_period_months: 6"), encoding="utf-8")
    write(repo, story(reviewed="2026-06-01"), "old.md")
    code, out, _ = run(repo, "check", "--overdue", "--today", "2027-01-01")
    assert code == 1
    assert "stories/old.md: review overdue: last reviewed 2026-06-01, more than 6 months before 2027-01-01" in out


def test_overdue_is_only_information_in_a_normal_check(repo):
    write(repo, story(reviewed="2025-01-01"), "old.md")
    code, out, _ = run(repo, "check", "--today", "2027-02-01")
    assert code == 0
    assert ("info: stories/old.md: review overdue: last reviewed 2025-01-01, more than 24 months before "
            "2027-02-01") in out.splitlines()
    assert out.rstrip().endswith("stories are valid.")


def test_the_handbook_has_no_overdue_story_at_its_review_date(repo):
    code, out, _ = run(repo, "check", "--overdue", "--today", "2026-11-27")
    assert (code, out) == (0, "0 overdue review(s).\n")


# ---- reading level ------------------------------------------------------------------------------

HARD = dict(
    summary="Notwithstanding considerable interpersonal apprehensiveness, Zoe systematically reconceptualized "
            "intergenerational attachment dysregulation.",
    shift="\n  from: Characteristically oversimplified catastrophizing interpretations\n"
          "  to: Deliberately contextualized, compassionately individualized understanding",
    reflection="\n  - How might intergenerational communicative predispositions fundamentally undermine "
               "relational reciprocity?\n  - Which psychophysiological manifestations characteristically "
               "accompany defensiveness?",
)


def test_reading_level_warning_does_not_fail_the_check(repo):
    path = write(repo, story(**HARD), "hard.md")
    code, out, _ = run(repo, "check", str(path))
    assert code == 0
    warning = re.search(r"^stories/hard\.md: warning: the editorial text \(summary, shift, reflection\) reads at "
                        r"grade (\d+\.\d); aim for 8 or below \(shorter sentences, simpler words\)$", out, re.M)
    assert warning, out
    assert float(warning.group(1)) > 8
    assert "The story is valid." in out


def test_plain_editorial_text_gets_no_warning(repo):
    code, out, _ = run(repo, "check", str(write(repo, story())))
    assert code == 0 and "warning" not in out


def test_no_warning_for_the_handbooks_own_stories(repo):
    code, out, _ = run(repo, "check")
    assert code == 0 and "warning" not in out


# ---- new ---------------------------------------------------------------------------------------------

NEW = ["new", "--person", "Ann", "--title", "Finding My Feet", "--chapter", "emotional-walls",
       "--domains", "romantic,family"]


def test_new_creates_the_file_from_the_template(repo, no_terminal):
    code, out, err = run(repo, *NEW)
    assert (code, err) == (0, "")
    path = repo / "stories/ann-finding-my-feet.md"
    assert out.startswith("Created stories/ann-finding-my-feet.md")
    assert "Next steps" in out and "python -m macros check stories/ann-finding-my-feet.md" in out
    text = path.read_text(encoding="utf-8")
    front, body = text.split("\n---\n", 1)
    data = parse(front.removeprefix("---\n")).data
    assert data["title"] == "Finding My Feet" and data["person"] == "Ann"
    assert data["chapter"] == "emotional-walls" and data["domains"] == ["romantic", "family"]
    assert data["consent"] == {"permission": False, "deidentified": False, "others_deidentified": False}
    for field in ("summary",):
        assert data[field].startswith("TODO")
    assert data["shift"]["from"].startswith("TODO") and data["shift"]["to"].startswith("TODO")
    assert all(q.startswith("TODO") for q in data["reflection"])
    assert data["themes"] == ["TODO"]
    assert body.strip() == "TODO: replace this paragraph with the storyteller's own words."


def test_new_story_is_reported_unfinished_field_by_field(repo, no_terminal):
    assert run(repo, *NEW)[0] == 0
    code, out, _ = run(repo, "check", str(repo / "stories/ann-finding-my-feet.md"))
    assert code == 1
    lines = [line for line in out.splitlines() if line.startswith("stories/")]
    fields = {line.split(": ")[1] for line in lines}
    assert fields == {"themes[1]", "summary", "shift.from", "shift.to", "reflection[1]", "reflection[2]",
                      "consent.permission", "consent.deidentified", "consent.others_deidentified", "body"}
    assert len(lines) == len(fields)  # each reported once
    todo = [line for line in lines if "is still a TODO placeholder" in line]
    assert len(todo) == 6
    assert all(line.startswith("stories/ann-finding-my-feet.md:") for line in lines)


def test_new_story_becomes_valid_once_filled_in(repo, no_terminal):
    assert run(repo, *NEW)[0] == 0
    path = repo / "stories/ann-finding-my-feet.md"
    text = path.read_text(encoding="utf-8")
    filled = re.sub(r"(?m)^themes: .*$", "themes: [vulnerability]", text)
    filled = re.sub(r"(?m)^summary: .*$", "summary: Ann learned to ask for help.", filled)
    filled = re.sub(r"(?m)^  from: .*$", "  from: Doing it all alone", filled)
    filled = re.sub(r"(?m)^  to: .*$", "  to: Asking for help", filled)
    filled = re.sub(r"(?m)^  - TODO a first.*$", "  - Who do you ask for help?", filled)
    filled = re.sub(r"(?m)^  - TODO a second.*$", "  - What makes it hard to ask?", filled)
    filled = filled.replace(": false", ": true")
    filled = filled.replace("TODO: replace this paragraph with the storyteller's own words.", "I asked.")
    path.write_text(filled, encoding="utf-8")
    code, out, _ = run(repo, "check", str(path))
    assert code == 0, out


def test_new_refuses_to_overwrite(repo, no_terminal):
    assert run(repo, *NEW)[0] == 0
    path = repo / "stories/ann-finding-my-feet.md"
    path.write_text("my own work in progress\n", encoding="utf-8")
    code, out, err = run(repo, *NEW)
    assert code == 1
    assert "stories/ann-finding-my-feet.md already exists" in err and "nothing was written" in err
    assert path.read_text(encoding="utf-8") == "my own work in progress\n"


def test_new_refuses_an_existing_story_id(repo, no_terminal):
    path = repo / "stories/sarah-from-anger-to-vulnerability.md"
    before = path.read_bytes()
    code, _, err = run(repo, "new", "--person", "Sarah", "--title", "From Anger to Vulnerability",
                       "--chapter", "emotional-walls", "--domains", "romantic")
    assert code == 1 and "already exists" in err
    assert path.read_bytes() == before


def test_new_refuses_an_id_taken_in_other_capitals(repo, no_terminal):
    taken = write(repo, story(), "Ann-Finding-My-Feet.md")
    code, _, err = run(repo, *NEW)
    assert code == 1 and "already exists" in err
    assert not (repo / "stories/ann-finding-my-feet.md").exists()
    assert taken.exists()


def test_new_missing_flag_without_a_terminal_is_a_usage_error(repo, no_terminal):
    code, out, err = run(repo, "new", "--person", "Ann", "--chapter", "emotional-walls", "--domains", "romantic")
    assert code == 2
    assert err.startswith("usage error: missing --title")
    assert list((repo / "stories").glob("ann*")) == []


def test_new_missing_flag_real_command_without_a_terminal(repo):
    result = subprocess.run([sys.executable, "-m", "macros", "--root", str(repo), "new", "--person", "Ann"],
                            capture_output=True, text=True, cwd=ROOT, stdin=subprocess.DEVNULL, timeout=60)
    assert result.returncode == 2
    assert "usage error: missing --title" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_tests_forked_command_is_the_real_command(repo):
    """tests/commands.py runs `python -m macros` forked from a preloaded process, not as a new
    interpreter: same exit status, output and error text as the real command line, for a build
    (its whole log but the timings), a story with a problem, a usage error and a prompt without
    a terminal."""
    from tests.commands import run_macros
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    timings = re.compile(r"\d+\.\d+ s(econds)?")
    codes = set()
    for args in (["build", "--engine", "mkdocs"], ["check", "stories/bad-ü.md"], ["check", "--bogus"],
                 ["new", "--person", "Ann"]):
        real = subprocess.run([sys.executable, "-m", "macros", "--root", str(repo), *args], capture_output=True,
                              text=True, cwd=repo, env=env, stdin=subprocess.DEVNULL, timeout=120)
        forked = run_macros(repo, *args, env=env, timeout=120)
        assert (forked.returncode, forked.stdout, timings.sub("", forked.stderr)) == \
            (real.returncode, real.stdout, timings.sub("", real.stderr)), args
        assert real.stdout + real.stderr, args
        codes.add(real.returncode)
        write(repo, story(person="12"), name="bad-ü.md")
    assert codes == {0, 1, 2}


def test_new_prompts_in_a_terminal(repo, monkeypatch):
    answers = iter(["Zoë", "Finding My Feet", "emotional-walls", "romantic, workplace"])
    prompts = []

    def fake_input(prompt=""):
        prompts.append(prompt)
        return next(answers)

    monkeypatch.setattr(builtins, "input", fake_input)
    args = argparse.Namespace(person=None, title=None, chapter=None, domains=None)
    out, err = io.StringIO(), io.StringIO()
    assert new_story(args, repo, out, err, interactive=True) == 0
    assert [p.split(" ")[0] for p in prompts] == ["Person", "Title", "Chapter", "Domains"]
    data = parse((repo / "stories/zoe-finding-my-feet.md").read_text(encoding="utf-8").split("\n---\n")[0][4:]).data
    assert (data["person"], data["domains"]) == ("Zoë", ["romantic", "workplace"])


def test_new_prompts_only_for_missing_flags(repo, monkeypatch):
    prompts = []
    monkeypatch.setattr(builtins, "input", lambda prompt="": prompts.append(prompt) or "family")
    args = argparse.Namespace(person="Ann", title="Going Home", chapter="family-healing", domains=None)
    assert new_story(args, repo, io.StringIO(), io.StringIO(), interactive=True) == 0
    assert len(prompts) == 1 and prompts[0].startswith("Domains")
    assert (repo / "stories/ann-going-home.md").exists()


def test_new_empty_answer_is_a_usage_error(repo, monkeypatch):
    monkeypatch.setattr(builtins, "input", lambda prompt="": "  ")
    args = argparse.Namespace(person=None, title="T", chapter="emotional-walls", domains="romantic")
    from macros.cli.main import UsageError
    with pytest.raises(UsageError, match="--person cannot be empty"):
        new_story(args, repo, io.StringIO(), io.StringIO(), interactive=True)


def test_new_unknown_chapter_with_did_you_mean(repo, no_terminal):
    code, _, err = run(repo, "new", "--person", "Ann", "--title", "T", "--chapter", "emotional-wall",
                       "--domains", "romantic")
    assert code == 2
    assert err.startswith('usage error: unknown chapter "emotional-wall". Did you mean "emotional-walls"? Allowed: ')
    assert list((repo / "stories").glob("ann*")) == []


def test_new_unknown_domain_with_did_you_mean(repo, no_terminal):
    code, _, err = run(repo, "new", "--person", "Ann", "--title", "T", "--chapter", "romantic",
                       "--domains", "romantic,famly")
    assert code == 2
    assert err.startswith('usage error: unknown domain "famly". Did you mean "family"? '
                          "Allowed: romantic, parenting, family, friendship, workplace")


def test_new_non_ascii_person(repo, no_terminal):
    code, out, _ = run(repo, "new", "--person", "Zoë", "--title", "Über Café Nights", "--chapter", "friendship",
                       "--domains", "friendship")
    assert code == 0
    path = repo / "stories/zoe-uber-cafe-nights.md"
    assert path.exists()
    data = parse(path.read_text(encoding="utf-8").split("\n---\n")[0][4:]).data
    assert (data["person"], data["title"]) == ("Zoë", "Über Café Nights")


def test_new_title_with_yaml_special_characters(repo, no_terminal):
    title = 'Fear: "quotes", #hashes & [brackets] \\ no: problem'
    code, _, _ = run(repo, "new", "--person", "Ann", "--title", title, "--chapter", "romantic",
                     "--domains", "romantic")
    assert code == 0
    path = repo / "stories/ann-fear-quotes-hashes-brackets-no-problem.md"
    data = parse(path.read_text(encoding="utf-8").split("\n---\n")[0][4:]).data
    assert data["title"] == title


def test_new_title_without_letters_is_a_usage_error(repo, no_terminal):
    code, _, err = run(repo, "new", "--person", "Ann", "--title", "!!!", "--chapter", "romantic",
                       "--domains", "romantic")
    assert code == 2 and "usage error: the title must contain letters or digits" in err


# ---- schema ------------------------------------------------------------------------------------------

def test_schema_file_is_in_sync():
    result = check(ROOT, "schema")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "stories/story.schema.json is up to date" in result.stdout


def test_schema_reports_out_of_date_after_a_taxonomy_change(repo):
    assert run(repo, "schema")[0] == 0
    taxonomy = repo / "stories/taxonomy.yml"
    text = taxonomy.read_text(encoding="utf-8")
    text = text.replace("themes:\n", "themes:\n  - id: hope\n    name: Hope\n    description: Believing things "
                                     "can get better.\n", 1)
    taxonomy.write_text(text, encoding="utf-8")
    code, out, _ = run(repo, "schema")
    assert code == 1
    assert "stories/story.schema.json is out of date" in out
    # --write brings it back in sync, with the new theme offered to editors.
    assert run(repo, "schema", "--write")[0] == 0
    assert run(repo, "schema")[0] == 0
    schema = json.loads((repo / "stories/story.schema.json").read_text(encoding="utf-8"))
    assert "hope" in schema["properties"]["themes"]["items"]["enum"]


def test_schema_matches_what_the_checker_accepts():
    """The JSON Schema lists exactly the keys and ids the checker allows."""
    import yaml
    schema = json.loads((ROOT / "stories/story.schema.json").read_text(encoding="utf-8"))
    taxonomy = yaml.safe_load((ROOT / "stories/taxonomy.yml").read_text(encoding="utf-8"))
    assert set(schema["properties"]) == {*BASE, "reviewer"}
    # editors add the review and may write the editorial fields (themes, summary, shift,
    # reflection) and content notes; the storyteller's part is required
    from macros.read.editorial import EDITORIAL_FIELDS
    assert set(schema["required"]) == set(BASE) - {"reviewed", "content_notes", *EDITORIAL_FIELDS}
    assert schema["additionalProperties"] is False
    assert schema["properties"]["chapter"]["enum"] == [c["id"] for c in taxonomy["chapters"]]
    assert schema["properties"]["domains"]["items"]["enum"] == [d["id"] for d in taxonomy["domains"]]


def test_check_and_build_agree_on_pathways_naming_a_missing_story(repo):
    pathways = repo / "stories" / "pathways.yml"
    pathways.write_text(pathways.read_text(encoding="utf-8").replace(
        "sarah-from-anger-to-vulnerability", "sarah-from-anger", 1), encoding="utf-8")
    code, out, _ = run(repo, "check")
    assert code == 1
    assert ('stories/pathways.yml: pathways.anger-and-defensiveness.stories: "sarah-from-anger" is not a story id. '
            'Did you mean "sarah-from-anger-to-vulnerability"?') in out
