#!/usr/bin/env python3
"""Build benchmark: the real Ripples build against plain mkdocs-material.

For each size N it makes a temporary copy of the repository holding N stories: the
22 real ones are KEPT (pathways and published URLs refer to them) and N - 22
synthetic, valid stories are added (real schema and taxonomy ids, ~500 words of
body built from shuffled paragraphs of the real stories, a one-sentence summary,
2-4 reflection questions, consent true). It then times, alternating and several
runs each:

  real      make build of the copy: generate, MkDocs --strict, finish (hubs, handouts, search, link check)
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

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import search_bytes  # noqa: E402
from macros.finish.search import LOG_PREFIX as PAGEFIND_LOG  # noqa: E402  (the build log line giving Pagefind's CPU)

QUERY = "family trust"  # typed one character at a time in the search-bytes measurement
ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "RESULTS.md"
IGNORE = shutil.ignore_patterns(".venv", "site", "generated", "downloads", ".git", "__pycache__", ".pytest_cache", "node_modules",
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


SYLLABLES = ("ka lo mi ne ru sa te vo di pa li mo nu re si ta ve zo ba co fe gu hi ja ke "
             "lu ma no pe qui ro su ti vu wa xe yo zu").split()
VOCABULARY = 60_000  # pseudo-words, drawn with Zipf's law as real vocabularies are


def pseudo_word(rank: int) -> str:
    out = []
    rank += len(SYLLABLES)
    while rank:
        rank, digit = divmod(rank, len(SYLLABLES))
        out.append(SYLLABLES[digit])
    return "".join(out)


_ZIPF = None


def distinct(paragraph: str, rng: random.Random, share: float = 0.3) -> str:
    """The paragraph with about `share` of its words replaced by Zipf-distributed
    pseudo-words: every story's text differs, and the index grows as a real
    handbook's would (many rare words, a few common ones), not as 22 texts repeated."""
    global _ZIPF
    if _ZIPF is None:
        import itertools
        _ZIPF = list(itertools.accumulate(1 / (r + 1) for r in range(VOCABULARY)))
    words = paragraph.split(" ")
    for j in range(len(words)):
        if rng.random() < share:
            words[j] = pseudo_word(rng.choices(range(VOCABULARY), cum_weights=_ZIPF)[0])
    return " ".join(words)


def synthetic_story(i: int, taxonomy: dict, pool: list[str], reviewed: str) -> tuple[str, str]:
    rng = random.Random(i)
    ids = {kind: [e["id"] for e in taxonomy[kind]] for kind in ("domains", "chapters", "themes", "content_notes")}
    person = NAMES[i % len(NAMES)]
    title = f"{rng.choice(TITLE_A)} {rng.choice(TITLE_B)}"  # titles repeat on purpose
    story_id = re.sub(r"[^a-z0-9]+", "-", f"{person} {title} {i}".lower()).strip("-")
    words, body = 0, []
    while words < 500:
        paragraph = distinct(rng.choice(pool), rng)
        body.append(paragraph)
        words += len(paragraph.split())
    shift = rng.choice(FROM_TO)
    front = {
        "title": title, "person": person, "chapter": ids["chapters"][i % len(ids["chapters"])],
        "domains": rng.sample(ids["domains"], rng.choice((1, 1, 2))),
        "themes": rng.sample(ids["themes"], rng.randint(2, 4)),
        "summary": f"{person} says small, steady changes helped them feel closer to {pseudo_word(i)}.",
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

def tree_rss_kib(pid: int) -> int:
    """Resident memory of a process and all its descendants (e.g. mkdocs and the
    Pagefind binary it runs), from /proc."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            parents[int(stat.parent.name)] = int(fields[1])
            rss[int(stat.parent.name)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE") // 1024
        except (OSError, IndexError, ValueError):
            continue
    tree, todo = set(), [pid]
    while todo:
        p = todo.pop()
        tree.add(p)
        todo += [c for c, parent in parents.items() if parent == p and c not in tree]
    return sum(rss.get(p, 0) for p in tree)


def run(cmd: list[str], cwd: Path) -> tuple[float, int, float, float]:
    """Wall seconds, peak RSS (KiB) of one child process and its descendants,
    summed (sampled every 50 ms) or the child's own peak if that is higher, CPU
    seconds (user + system, descendants included: Pagefind runs as mkdocs' child),
    and of those Pagefind's own, as the build log reports them (0 if it does not).
    On a shared machine CPU time is the steadier measure of work."""
    with tempfile.TemporaryFile() as log:
        start = time.perf_counter()
        child = subprocess.Popen(cmd, cwd=cwd, env=ENV, stdout=log, stderr=subprocess.STDOUT)
        peak = 0
        while True:
            done, status, usage = os.wait4(child.pid, os.WNOHANG)
            if done:
                break
            peak = max(peak, tree_rss_kib(child.pid))
            time.sleep(0.05)
        wall = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            log.seek(0)
            raise SystemExit(f"failed ({child.returncode}): {' '.join(cmd)}\n{log.read().decode()[-3000:]}")
        log.seek(0)
        pagefind = re.search(re.escape(PAGEFIND_LOG) + r"([0-9.]+) s CPU", log.read().decode(errors="replace"))
    return wall, max(peak, usage.ru_maxrss), usage.ru_utime + usage.ru_stime, float(pagefind[1]) if pagefind else 0.0


def build_cmd(root: Path, engine: str = "mkdocs") -> list[str]:
    """`make build` of the copy: generate → render (strict) → finish."""
    return [sys.executable, "-m", "macros", "--root", str(root), "build", "--engine", engine,
            "--site", str(root / "site"), "--generated", str(root / "generated")]


def site_mib(site: Path) -> float:
    return sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) / 1024 / 1024


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
    index = site / "search" / "search_index.json"  # Material's search: fetched on every first visit
    sizes["index"] = gz(index.read_bytes()) if index.is_file() else 0
    sizes["total"] = sum(sizes.values())
    return sizes


def bench_size(n: int, runs: int, work: Path, bounded: bool, keep: bool = False, sidebar: bool = True) -> dict:
    real = make_copy(n, work)
    variants = {"real": real}
    if sidebar:  # O(N²): 170 s at 3,000 stories
        variants["baseline"] = make_baseline(real, work, n, bounded=False)
    if bounded:
        variants["bounded"] = make_baseline(real, work, n, bounded=True)
    times = {k: [] for k in variants}
    cpu = {k: [] for k in variants}
    pagefind = {k: [] for k in variants}
    memory = {k: 0 for k in variants}
    order = list(variants)
    for i in range(runs):  # alternate, and reverse every other round against order effects
        for name in (order if i % 2 == 0 else order[::-1]):
            wall, rss, cpu_s, pagefind_s = run(build_cmd(variants[name]), variants[name])
            times[name].append(wall)
            cpu[name].append(cpu_s)
            pagefind[name].append(pagefind_s)
            memory[name] = max(memory[name], rss)
            print(f"  N={n} run {i + 1}/{runs} {name:<8} {wall:7.2f} s  {cpu_s:7.2f} s CPU  {rss / 1024:6.0f} MiB",
                  flush=True)
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
            "cpu_s": statistics.median(cpu[name]), "cpu_ms_per_page": 1000 * statistics.median(cpu[name]) / pages,
            "pagefind_s": statistics.median(pagefind[name]),
            "side_ms_per_page": 1000 * statistics.median(c - f for c, f in zip(cpu[name], pagefind[name])) / pages,
            "ms_per_story": 1000 * median / n, "peak_mib": memory[name] / 1024,
            "story_html": story.stat().st_size, "story_html_max": max(story_sizes),
            "first_visit": first_visit(site, story), "site_mib": site_mib(site)}
        if name == "real":  # in Chromium against a gzip server: first visit, first search, keystrokes
            result["variants"][name]["search"] = search_bytes.measure(site, f"stories/{PROBE}/", QUERY)
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


def ratio(v: dict, base: dict | None, key: str) -> str:
    return f"{v[key] / base[key]:.2f}×" if base else "not run"


def table(results: list[dict]) -> str:
    rows = ["| N | build | output pages | median wall (runs) | wall ms per output page | wall per-page ratio vs "
            "bounded / vs baseline | median CPU | CPU ms per output page | **CPU per-page ratio vs bounded (scoped "
            "nav)** | CPU per-page ratio vs baseline (default sidebar) | peak RSS | site size "
            "| story HTML (Sarah / largest) | first visit, gzip | `macros check` |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        base = r["variants"].get("baseline")
        bounded = r["variants"].get("bounded")
        for name, v in r["variants"].items():
            fv = v["first_visit"]
            times = ", ".join(f"{t:.2f}" for t in v["times"])
            check = f"{r['check_s']:.2f} s" if name == "real" else ""
            vs_bounded = f"{v['ms_per_page'] / bounded['ms_per_page']:.2f}×" if bounded else "n/a"
            cpu_bounded = f"{v['cpu_ms_per_page'] / bounded['cpu_ms_per_page']:.2f}×" if bounded else "n/a"
            visit = (f"{kb(v['search']['first_visit'])} (measured in Chromium; index 0)" if "search" in v else
                     f"{kb(fv['total'])} (HTML {kb(fv['html'])} + CSS {kb(fv['css'])} + JS {kb(fv['js'])} "
                     f"+ index {kb(fv['index'])})")
            rows.append(
                f"| {r['n']} | {name} | {v['pages']} | {v['median_s']:.2f} s ({times}) | {v['ms_per_page']:.1f} "
                f"| {vs_bounded} / {ratio(v, base, 'ms_per_page')} | {v['cpu_s']:.2f} s "
                f"| {v['cpu_ms_per_page']:.1f} | {cpu_bounded} | {ratio(v, base, 'cpu_ms_per_page')} "
                f"| {v['peak_mib']:.0f} MiB | {v['site_mib']:.1f} MiB "
                f"| {kb(v['story_html'])} / {kb(v['story_html_max'])} | {visit} | {check} |")
    return "\n".join(rows)


def search_table(results: list[dict]) -> str:
    rows = ["| N | first visit (requests) | first search (requests) | further keystroke: max / median | "
            "first search ÷ first visit |", "|---|---|---|---|---|"]
    for r in results:
        s = r["variants"]["real"]["search"]
        rows.append(f"| {r['n']} | {kb(s['first_visit'])} ({s['first_visit_requests']}) "
                    f"| {kb(s['first_search'])} ({s['first_search_requests']}) "
                    f"| {kb(s['keystroke_max'])} / {kb(s['keystroke_median'])} "
                    f"| {s['first_search'] / s['first_visit']:.2f} |")
    return "\n".join(rows)


def goals(results: list[dict]) -> list[str]:
    out = []
    for r in results:
        real, v = r["variants"]["real"], r["variants"]
        if "bounded" in v:
            ratio = real["cpu_ms_per_page"] / v["bounded"]["cpu_ms_per_page"]
            wall = real["ms_per_page"] / v["bounded"]["ms_per_page"]
            out.append(f"- N={r['n']}: CPU per output page vs plain Material with stories out of the nav and its own "
                       f"search (bounded): {ratio:.2f}× (goal ≤ 1.5×): {'met' if ratio <= 1.5 else 'MISSED'}; "
                       f"wall-clock: {wall:.2f}×")
            side = real["side_ms_per_page"] / v["bounded"]["cpu_ms_per_page"]
            out.append(f"- N={r['n']}: of that, Pagefind {real['pagefind_s']:.2f} CPU-s "
                       f"({1000 * real['pagefind_s'] / real['pages']:.2f} ms per page); the build without Pagefind "
                       f"{real['side_ms_per_page']:.2f} ms per page = {side:.2f}× bounded")
        if "baseline" in v:
            out.append(f"- N={r['n']}: CPU per output page vs plain Material's default sidebar (baseline): "
                       f"{real['cpu_ms_per_page'] / v['baseline']['cpu_ms_per_page']:.2f}×")
        s = real["search"]
        ok = s["first_visit"] <= 150 * 1024 and s["first_search"] <= 300 * 1024 and s["keystroke_max"] <= 50 * 1024
        out.append(f"- N={r['n']}: first visit {kb(s['first_visit'])} (≤ 150 KB, nothing of the index: "
                   f"{'yes' if s['first_visit_index'] == 0 else 'NO'}), first search {kb(s['first_search'])} "
                   f"(≤ 300 KB), further keystroke ≤ {kb(s['keystroke_max'])} (≤ 50 KB): {'met' if ok else 'MISSED'}")
        if r["n"] >= 3000:
            out.append(f"- N={r['n']}: peak memory of the build (mkdocs + Pagefind) {real['peak_mib']:.0f} MiB "
                       f"(goal ≤ 400 MiB): {'met' if real['peak_mib'] <= 400 else 'MISSED'}")
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", type=int, nargs="+", default=[22, 300, 3000], help="story counts (≥ 22)")
    p.add_argument("--runs", type=int, default=None,
                   help="builds per variant (default: 3, and 2 for N ≥ 3000)")
    p.add_argument("--no-bounded", action="store_true", help="skip the bounded-nav baseline variant")
    p.add_argument("--write", action="store_true", help=f"append the results to {RESULTS.relative_to(ROOT)}")
    p.add_argument("--keep", action="store_true", help="keep the temporary copies")
    p.add_argument("--sidebar-max", type=int, default=None,
                   help="skip the default-sidebar baseline above this N (it grows as N²)")
    args = p.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="ripples-bench-"))
    started = dt.datetime.now(dt.timezone.utc)
    results = []
    try:
        for n in args.sizes:
            runs = args.runs or (2 if n >= 3000 else 3)
            print(f"N={n}: {runs} runs per variant", flush=True)
            sidebar = args.sidebar_max is None or n <= args.sidebar_max
            results.append(bench_size(n, runs, work, bounded=not args.no_bounded, keep=args.keep, sidebar=sidebar))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"kept {work}")
    report = (f"### Build benchmark, {started:%Y-%m-%d %H:%M} UTC\n\n"
              f"Machine: {machine()}.\n\n"
              "The 22 real stories are kept; N - 22 synthetic ~500-word stories with distinct texts (30 % of words "
              "drawn from a Zipf-distributed pseudo-vocabulary) are added. \"real\" is the Ripples build including "
              "Pagefind; \"baseline\" is plain mkdocs-material with its own search (default nav: every page in the "
              "sidebar); \"bounded\" is the same with a one-entry nav (stories out of the nav). Peak RSS is the "
              "build's process tree (mkdocs + Pagefind). Baselines' first visit = gzip -6 bytes of HTML + CSS + JS "
              "+ Material's search index, computed from the files; the real site's is measured in Chromium "
              "against bench/serve.py (gzip).\n\n"
              + table(results) + "\n\nSearch transfer (real site, Chromium, gzip server, query typed one "
              f"character at a time: {QUERY!r}):\n\n" + search_table(results)
              + "\n\nGoals:\n\n" + "\n".join(goals(results)) + "\n")
    print("\n" + report)
    if args.write:
        with RESULTS.open("a", encoding="utf-8") as handle:
            handle.write("\n" + report)
        print(f"appended to {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
