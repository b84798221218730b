#!/usr/bin/env python3
"""Build benchmark: the real Ripples build against plain mkdocs-material.

For each size N it makes a temporary copy of the repository holding N stories: the
22 real ones are KEPT (pathways and published URLs refer to them) and N - 22
synthetic, valid stories are added (real schema and taxonomy ids, ~500 words of
body built from shuffled paragraphs of the real stories, a one-sentence summary,
2-4 reflection questions, consent true). It then times, alternating and several
runs each:

  real      python -m mkdocs build --strict of the copy (hook, macros, hubs, handouts)
  baseline  plain mkdocs-material (font: false, search plugin only, no hook, no macros,
            no custom_dir) building the same story Markdown bodies as plain pages, with
            Material's default navigation: every page in the sidebar
  bounded   the same baseline with a one-entry nav (stories left out of the sidebar)

and reports, per size: median wall time and ratio; cost per output HTML page and
ratio; ms per story; peak RSS of the build process; story-page HTML bytes;
first-visit transfer of a story page (HTML + CSS + JS + search index, gzip -6); and
the median time of `python -m macros check` alone on the N stories.

    python bench/build.py                       # N = 22, 300, 3000
    python bench/build.py --sizes 22 300 --runs 3
    python bench/build.py --write               # also append the results to bench/RESULTS.md
"""
from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "RESULTS.md"
IGNORE = shutil.ignore_patterns(".venv", "site", ".git", "__pycache__", ".pytest_cache", "node_modules",
                                "bench", ".lighthouse")
PROBE = "sarah-from-anger-to-vulnerability"  # a real story, present at every N
ENV = {**{k: v for k, v in os.environ.items() if k != "SITE_URL"}, "NO_MKDOCS_2_WARNING": "1"}

NAMES = ("Alex Amara Ben Bianca Caleb Chloe Dana Dev Eli Elena Farah Felix Gina Hugo Ines Isaac Jada Jonah "
         "Kara Kofi Leah Liam Mara Milo Nadia Noel Omar Olivia Paul Priya Quinn Rosa Ravi Sam Selma Theo "
         "Tara Uma Victor Vera Wes Willa Xena Yusuf Yara Zane Zoe").split()
TITLE_A = "Learning Finding Choosing Rebuilding Slowing Opening Naming Trusting Repairing Returning".split()
TITLE_B = ["to Listen", "Her Voice", "His Footing", "Our Way Back", "Steady Ground", "the Quiet Part",
           "Room to Breathe", "a Softer Voice", "Old Patterns", "New Habits"]
FROM_TO = [("Keeping everyone at a distance", "Letting one person in at a time"),
           ("Saying yes to every request", "Saying no kindly and meaning it"),
           ("Blaming others first", "Asking what was really going on"),
           ("Hiding hard feelings", "Naming feelings out loud"),
           ("Fixing every problem alone", "Asking for help when it is needed")]
QUESTIONS = ["What helped this person notice the old pattern?", "What small step did they take first?",
             "Who in your life feels safe to talk to?", "What would change if you said how you feel?",
             "When do you find it hard to ask for help?", "What does a good day in this story look like?"]


# ---- synthetic stories --------------------------------------------------------

def split_story(text: str) -> tuple[dict, str]:
    _, front, body = text.split("---\n", 2)
    return yaml.safe_load(front), body.strip()


def paragraph_pool(stories: Path) -> list[str]:
    pool = []
    for path in sorted(stories.glob("[!_]*.md")):
        pool += [p.strip() for p in split_story(path.read_text(encoding="utf-8"))[1].split("\n\n") if p.strip()]
    return pool


def synthetic_story(i: int, taxonomy: dict, pool: list[str], reviewed: str) -> tuple[str, str]:
    rng = random.Random(i)
    ids = {kind: [e["id"] for e in taxonomy[kind]] for kind in ("domains", "chapters", "themes", "content_notes")}
    person = NAMES[i % len(NAMES)]
    title = f"{rng.choice(TITLE_A)} {rng.choice(TITLE_B)}"  # titles repeat on purpose
    story_id = re.sub(r"[^a-z0-9]+", "-", f"{person} {title} {i}".lower()).strip("-")
    words, body = 0, []
    while words < 500:
        paragraph = rng.choice(pool)
        body.append(paragraph)
        words += len(paragraph.split())
    shift = rng.choice(FROM_TO)
    front = {
        "title": title, "person": person, "chapter": ids["chapters"][i % len(ids["chapters"])],
        "domains": rng.sample(ids["domains"], rng.choice((1, 1, 2))),
        "themes": rng.sample(ids["themes"], rng.randint(2, 4)),
        "summary": f"{person} says small, steady changes helped them feel closer to the people they love.",
        "shift": {"from": shift[0], "to": shift[1]},
        "reflection": rng.sample(QUESTIONS, rng.randint(2, 4)),
        "content_notes": rng.sample(ids["content_notes"], rng.choice((0, 0, 1, 2))),
        "consent": {"permission": True, "deidentified": True, "others_deidentified": True},
    }
    lines = [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in front.items()]
    text = "---\n" + "\n".join(lines) + f"\nreviewed: {reviewed}\n---\n\n" + "\n\n".join(body) + "\n"
    return story_id, text


def make_copy(n: int, work: Path) -> Path:
    root = work / f"real-{n}"
    shutil.copytree(ROOT, root, ignore=IGNORE)
    stories = root / "stories"
    real = sorted(stories.glob("[!_]*.md"))
    if n < len(real):
        raise SystemExit(f"--sizes: N must be at least {len(real)} (the real stories are kept)")
    taxonomy = yaml.safe_load((stories / "taxonomy.yml").read_text(encoding="utf-8"))
    reviewed = str(split_story(real[0].read_text(encoding="utf-8"))[0]["reviewed"])
    pool = paragraph_pool(stories)
    for i in range(n - len(real)):
        story_id, text = synthetic_story(i, taxonomy, pool, reviewed)
        (stories / f"{story_id}.md").write_text(text, encoding="utf-8")
    return root


def make_baseline(real: Path, work: Path, n: int, bounded: bool) -> Path:
    """Plain Material: the same story bodies as docs pages, nothing else."""
    root = work / f"baseline-{'bounded-' if bounded else ''}{n}"
    docs = root / "docs"
    (docs / "stories").mkdir(parents=True)
    (docs / "index.md").write_text("# Stories\n\nFirst-person stories.\n", encoding="utf-8")
    for path in sorted((real / "stories").glob("[!_]*.md")):
        front, body = split_story(path.read_text(encoding="utf-8"))
        (docs / "stories" / path.name).write_text(f"# {front['person']}: {front['title']}\n\n{body}\n",
                                                  encoding="utf-8")
    config = {"site_name": "Baseline", "site_url": "http://127.0.0.1:8000/",
              "theme": {"name": "material", "font": False}, "plugins": ["search"]}
    if bounded:
        config["nav"] = [{"Home": "index.md"}]
        config["not_in_nav"] = "/stories/\n"
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return root


# ---- measuring ------------------------------------------------------------------

def run(cmd: list[str], cwd: Path) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one child process (os.wait4: this child only)."""
    with tempfile.TemporaryFile() as log:
        start = time.perf_counter()
        child = subprocess.Popen(cmd, cwd=cwd, env=ENV, stdout=log, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            log.seek(0)
            raise SystemExit(f"failed ({child.returncode}): {' '.join(cmd)}\n{log.read().decode()[-3000:]}")
    return wall, usage.ru_maxrss


def build_cmd(root: Path) -> list[str]:
    return [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean",
            "-f", str(root / "mkdocs.yml"), "-d", str(root / "site")]


def html_pages(site: Path) -> int:
    return sum(1 for _ in site.rglob("*.html"))


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


def first_visit(site: Path, page: Path) -> dict[str, int]:
    """gzip bytes a first visit to `page` downloads: HTML, stylesheets, scripts (with
    Material's search worker) and the search index it fetches."""
    html = page.read_text(encoding="utf-8")
    sizes = {"html": gz(html.encode()), "css": 0, "js": 0, "index": 0}
    for kind, pattern in (("css", r'<link rel="stylesheet" href="([^"]+)"'), ("js", r'<script src="([^"]+)"')):
        for href in re.findall(pattern, html):
            if not re.match(r"^(https?:)?//", href):
                sizes[kind] += gz((page.parent / href).resolve().read_bytes())
    config = re.search(r'<script id="__config" type="application/json">(.*?)</script>', html, re.S)
    if config and json.loads(config.group(1)).get("search"):
        sizes["js"] += gz((page.parent / json.loads(config.group(1))["search"]).resolve().read_bytes())
    sizes["index"] = gz((site / "search" / "search_index.json").read_bytes())
    sizes["total"] = sum(sizes.values())
    return sizes


def bench_size(n: int, runs: int, work: Path, bounded: bool, keep: bool = False) -> dict:
    real = make_copy(n, work)
    variants = {"real": real, "baseline": make_baseline(real, work, n, bounded=False)}
    if bounded:
        variants["bounded"] = make_baseline(real, work, n, bounded=True)
    times = {k: [] for k in variants}
    memory = {k: 0 for k in variants}
    order = list(variants)
    for i in range(runs):  # alternate, and reverse every other round against order effects
        for name in (order if i % 2 == 0 else order[::-1]):
            wall, rss = run(build_cmd(variants[name]), variants[name])
            times[name].append(wall)
            memory[name] = max(memory[name], rss)
            print(f"  N={n} run {i + 1}/{runs} {name:<8} {wall:7.2f} s  {rss / 1024:6.0f} MiB", flush=True)
    check = [run([sys.executable, "-m", "macros", "--root", str(real), "check"], real)[0] for _ in range(max(runs, 3))]
    result = {"n": n, "runs": runs, "check_s": statistics.median(check), "variants": {}}
    for name, root in variants.items():
        site = root / "site"
        story = site / "stories" / PROBE / "index.html"
        story_sizes = [p.stat().st_size for p in (site / "stories").glob("*/index.html")]
        pages = html_pages(site)
        median = statistics.median(times[name])
        result["variants"][name] = {
            "median_s": median, "times": times[name], "pages": pages, "ms_per_page": 1000 * median / pages,
            "ms_per_story": 1000 * median / n, "peak_mib": memory[name] / 1024,
            "story_html": story.stat().st_size, "story_html_max": max(story_sizes),
            "first_visit": first_visit(site, story)}
    if not keep:  # 3,000-story sites are large: free the disk before the next size
        for root in variants.values():
            shutil.rmtree(root, ignore_errors=True)
    return result


# ---- reporting ------------------------------------------------------------------

def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown")
    mem = next((int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")), 0)
    import material
    import mkdocs
    return (f"{os.cpu_count()} CPU ({cpu}), {mem / 1024 / 1024:.1f} GiB RAM, Linux {platform.release()}, "
            f"Python {platform.python_version()}, MkDocs {mkdocs.__version__}, "
            f"mkdocs-material {getattr(material, '__version__', '?')}")


def kb(n: int) -> str:
    return f"{n / 1024:.1f} KB"


def table(results: list[dict]) -> str:
    rows = ["| N | build | output pages | median wall (runs) | ratio real/baseline | ms per output page | "
            "per-page ratio | ms per story | peak RSS | story HTML (Sarah / largest) | first visit, gzip "
            "(HTML + CSS + JS + index) | `macros check` |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        base = r["variants"]["baseline"]
        for name, v in r["variants"].items():
            fv = v["first_visit"]
            times = ", ".join(f"{t:.2f}" for t in v["times"])
            check = f"{r['check_s']:.2f} s" if name == "real" else ""
            rows.append(
                f"| {r['n']} | {name} | {v['pages']} | {v['median_s']:.2f} s ({times}) "
                f"| {v['median_s'] / base['median_s']:.2f}× | {v['ms_per_page']:.1f} "
                f"| {v['ms_per_page'] / base['ms_per_page']:.2f}× | {v['ms_per_story']:.1f} "
                f"| {v['peak_mib']:.0f} MiB | {kb(v['story_html'])} / {kb(v['story_html_max'])} "
                f"| {kb(fv['total'])} ({kb(fv['html'])} + {kb(fv['css'])} + {kb(fv['js'])} + {kb(fv['index'])}) "
                f"| {check} |")
    return "\n".join(rows)


def goals(results: list[dict]) -> list[str]:
    by_n = {r["n"]: r["variants"]["real"] for r in results}
    checks = {r["n"]: r["check_s"] for r in results}
    out = []
    for r in results:
        ratio = r["variants"]["real"]["ms_per_page"] / r["variants"]["baseline"]["ms_per_page"]
        out.append(f"- N={r['n']}: cost per output page, real vs plain Material: {ratio:.3f}× (goal ≤ 1.10×): "
                   f"{'met' if ratio <= 1.10 else 'MISSED'}")
    if 300 in by_n and 3000 in by_n:
        ratio = by_n[3000]["ms_per_story"] / by_n[300]["ms_per_story"]
        out.append(f"- ms per story at 3,000 vs 300: {ratio:.2f}× (goal ≤ 1.2×): {'met' if ratio <= 1.2 else 'MISSED'}")
    if 22 in by_n and 3000 in by_n:
        ratio = by_n[3000]["story_html"] / by_n[22]["story_html"]
        out.append(f"- story-page HTML at 3,000 vs 22: {ratio:.2f}× (goal ≤ 1.5×): {'met' if ratio <= 1.5 else 'MISSED'}")
    if 3000 in checks:
        out.append(f"- `python -m macros check` on 3,000 stories: {checks[3000]:.2f} s (goal < 2 s): "
                   f"{'met' if checks[3000] < 2 else 'MISSED'}")
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", type=int, nargs="+", default=[22, 300, 3000], help="story counts (≥ 22)")
    p.add_argument("--runs", type=int, default=None,
                   help="builds per variant (default: 3, and 2 for N ≥ 3000)")
    p.add_argument("--no-bounded", action="store_true", help="skip the bounded-nav baseline variant")
    p.add_argument("--write", action="store_true", help=f"append the results to {RESULTS.relative_to(ROOT)}")
    p.add_argument("--keep", action="store_true", help="keep the temporary copies")
    args = p.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="ripples-bench-"))
    started = dt.datetime.now(dt.timezone.utc)
    results = []
    try:
        for n in args.sizes:
            runs = args.runs or (2 if n >= 3000 else 3)
            print(f"N={n}: {runs} runs per variant", flush=True)
            results.append(bench_size(n, runs, work, bounded=not args.no_bounded, keep=args.keep))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"kept {work}")
    report = (f"### Build benchmark, {started:%Y-%m-%d %H:%M} UTC\n\n"
              f"Machine: {machine()}.\n\n"
              "The 22 real stories are kept; N - 22 synthetic ~500-word stories are added. "
              "\"baseline\" is plain mkdocs-material (default nav: every page in the sidebar); \"bounded\" is the "
              "same with a one-entry nav. Ratios are against \"baseline\". First visit = gzip -6 bytes of the "
              "story page's HTML + CSS + JS (incl. the search worker) + search index.\n\n"
              + table(results) + "\n\nGoals:\n\n" + "\n".join(goals(results)) + "\n")
    print("\n" + report)
    if args.write:
        with RESULTS.open("a", encoding="utf-8") as handle:
            handle.write("\n" + report)
        print(f"appended to {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
