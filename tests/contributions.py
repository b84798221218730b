"""Stories as contributors really send them: one made with `make new` and its
contributor's fields filled in, one downloaded from /contribute/write/ in Chromium.
Neither has a review date. conftest.py adds both to the tree that every
story-dependent test builds (`built_site`), so each of those tests also holds for
a pull request that adds such a story; test_one_story_pr.py follows one through
the scope step, the check, the preview build and the publish build."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

PERSON, TITLE = "Noor", "Small Talk, Big Steps"
NEW_STORY_ID = "noor-small-talk-big-steps"
FORM_STORY_ID = "sam-learning-to-ask-for-help"

FILLED = {  # TODO line in the new file -> what a contributor writes there
    "themes: [TODO]": "themes: [social-anxiety, vulnerability]",
    "summary: TODO": "summary: Noor stopped hiding at parties and began to make friends, one short talk at a time.",
    "  from: TODO": "  from: Staying quiet and leaving early",
    "  to: TODO": "  to: Saying hello and staying a while",
    "  - TODO a first": "  - When do you hold back from people?",
    "  - TODO a second": "  - What small step could you try this week?",
    "  permission: false": "  permission: true",
    "  deidentified: false": "  deidentified: true",
    "  others_deidentified: false": "  others_deidentified: true",
}
BODY = ("I used to stand by the door at every party, counting the minutes until I could leave. "
        "Talking felt like walking on ice.\n\n"
        "After my sessions I noticed the fear a little sooner. I could name it and stay. "
        "Last spring I asked a neighbor about her garden, and we talked for an hour.\n\n"
        "Now I have two friends I call every week. It still feels new, and I like it.\n")

# What a storyteller types into the form (its own field ids); nothing else.
FORM = {
    "person": "Sam", "title": "Learning to Ask for Help",
    "body": "I used to carry everything myself, and I was proud of it.\n\n"
            "Then one evening I asked my brother: \"Can you help me move on Saturday?\" "
            "He said yes before I finished the sentence.\n\n"
            "It was 2 * 3 * 4 boxes, and we laughed about it for weeks.",
}


def run(root: Path, *argv: str, timeout: int = 600) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"FILE", "PERSON", "TITLE", "CHAPTER", "DOMAINS"}}
    env["NO_MKDOCS_2_WARNING"] = "1"
    return subprocess.run(list(argv), capture_output=True, text=True, cwd=root, env=env, timeout=timeout,
                          stdin=subprocess.DEVNULL)


def fill_in(text: str) -> str:
    """Replace each TODO line as a contributor would; leave everything else (reviewed too) alone."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        for start, filled in FILLED.items():
            if line.startswith(start):
                lines[i] = filled
    front, _ = "\n".join(lines).split("\n---\n", 1)
    return front + "\n---\n\n" + BODY


def add_made_with_make_new(root: Path) -> Path:
    """`make new` in `root` (a set-up clone: its .venv is usable), then the contributor's edits."""
    made = run(root, "make", "-s", "new", f"PERSON={PERSON}", f"TITLE={TITLE}", "CHAPTER=friendship",
               "DOMAINS=friendship,family")
    assert made.returncode == 0, made.stdout + made.stderr
    path = root / "stories" / f"{NEW_STORY_ID}.md"
    assert f"Created stories/{NEW_STORY_ID}.md" in made.stdout and path.is_file(), made.stdout
    path.write_text(fill_in(path.read_text(encoding="utf-8")), encoding="utf-8")
    return path


def add_sent_from_the_write_page(browser, base_url: str, root: Path, taxonomy) -> Path:
    """Fill /contribute/write/ as a storyteller would, download the file into root/stories/."""
    context = browser.new_context(accept_downloads=True)
    try:
        page = context.new_page()
        page.goto(base_url + "contribute/write/")
        page.evaluate("RipplesWrite.ready")
        page.fill("#f-person", FORM["person"])
        page.fill("#f-title", FORM["title"])
        page.check(f"#f-chapter-{taxonomy.sorted_chapters()[0].id}")
        page.check(f"#f-domains-{taxonomy.ids('domains')[0]}")
        page.fill("#f-body", FORM["body"])   # themes, summary, shift and questions: left to the editors
        for flag in ("permission", "deidentified", "others_deidentified"):
            page.check(f"#f-consent-{flag}")
        page.click("#write-submit")
        with page.expect_download() as info:
            page.click("#write-download")
        path = root / "stories" / info.value.suggested_filename
        info.value.save_as(path)
    finally:
        context.close()
    assert path.name == f"{FORM_STORY_ID}.md", path.name
    return path
