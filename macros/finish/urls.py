"""published-urls.txt: every address and section anchor the handbook has
ever published. Tooling only ever adds lines; a test proves each still resolves
(directly, or through a redirect in stories/redirects.yml)."""
from __future__ import annotations

import difflib
import json
import re
from pathlib import Path

from macros.render import listcodes
from macros.read.handbook import DATA_FILES, STORIES_DIR, load_data_file
from macros.read.model import Redirects
from macros.render.downloads import DOWNLOADS_URL
from macros.read.lock import LOCK_FILE, read_lock  # noqa: F401  (LOCK_FILE: also used by tests)

_ARTICLE = re.compile(r'<article class="md-content__inner[^"]*">(.*?)</article>', re.S)
_HEADING_ID = re.compile(r'<h[1-6][^>]*\sid="([^"]+)"')
_ANY_ID = re.compile(r'\sid="([^"]+)"')
_REFRESH = re.compile(r'<meta http-equiv="refresh"', re.I)


def page_files(site: Path) -> dict[str, Path]:
    """URL path -> built HTML, for real pages (not redirects, not 404)."""
    pages = {}
    for html in sorted(site.rglob("index.html")):
        if _REFRESH.search(html.read_text(encoding="utf-8")):
            continue
        rel = html.parent.relative_to(site).as_posix()
        pages["/" if rel == "." else f"/{rel}/"] = html
    return pages


def section_anchors(html: str) -> list[str]:
    """Explicit section anchors: ids of the headings in the page's article."""
    article = _ARTICLE.search(html)
    return _HEADING_ID.findall(article.group(1)) if article else []


LIST_DATA = "clinicians/list/stories.json"  # macros/render/readinglist.py: LIST_URL + DATA_FILE


def built_codes(site: Path) -> dict[str, str]:
    """The reading-list codes a built site opens: code -> story id."""
    path = site / LIST_DATA
    return json.loads(path.read_text(encoding="utf-8")).get("codes", {}) if path.exists() else {}


def download_files(site: Path) -> set[str]:
    """The offline editions the site publishes (macros/render/downloads.py): files, not pages."""
    folder = site / DOWNLOADS_URL
    return {f"/{DOWNLOADS_URL}{p.name}" for p in folder.iterdir() if p.is_file()} if folder.is_dir() else set()


def published(site: Path) -> set[str]:
    lines = download_files(site)
    for url, html in page_files(site).items():
        lines.add(url)
        lines.update(f"{url}#{a}" for a in section_anchors(html.read_text(encoding="utf-8")))
    lines.update(listcodes.lock_line(code, story) for code, story in built_codes(site).items())
    return lines


def code_failure(line: str, codes: dict[str, str], redirects: Redirects, pages) -> str | None:
    """A reading-list code line fails when the code opens another story now, or opens
    nothing while its story is still published."""
    (code, story), = listcodes.locked_codes([line]).items()
    now = codes.get(code)
    renamed = listcodes.renamed_stories(redirects).get(story, story)
    if now is not None and now != renamed:
        return f"{line}: the code {code} now opens the story {now}; a published code must keep its meaning"
    if now is None and f"/stories/{renamed}/" in pages:
        return f"{line}: the story {renamed} is still published, but the reading list no longer opens code {code}"
    return None




HEADER = ("# Every address and #anchor Ripples has published. Never delete a line:\n"
          "# if a page moves, add a redirect in stories/redirects.yml. Update: make urls\n"
          "# /clinicians/list/#c=<code> <story id>: a reading-list code always opens that story.\n")


def write_lock(root: Path, lines: set[str]) -> None:
    (root / LOCK_FILE).write_text(HEADER + "\n".join(sorted(lines)) + "\n", encoding="utf-8")


def _advice(path: str, pages: dict[str, Path]) -> str:
    guess = difflib.get_close_matches(path, list(pages), n=1, cutoff=0.5)
    to = guess[0] if guess else "/<new address>/"
    return (f"add a redirect to stories/redirects.yml:\n      - from: {path}\n        to: {to}\n"
            "    (or, for a withdrawn story, `to:` its chapter and `withdrawn: true`)")


def verify(lines: list[str], site: Path, redirects: Redirects) -> list[str]:
    """One message per lock line that no longer resolves."""
    pages = page_files(site)
    ids_cache: dict[str, set[str]] = {}

    def ids(url: str) -> set[str]:
        if url not in ids_cache:
            ids_cache[url] = set(_ANY_ID.findall(pages[url].read_text(encoding="utf-8")))
        return ids_cache[url]

    codes = built_codes(site)
    failures = []
    files = download_files(site)
    for line in lines:
        if line.startswith(listcodes.LOCK_PREFIX):
            failure = code_failure(line, codes, redirects, pages)
            failures += [failure] if failure else []
            continue
        path, _, anchor = line.partition("#")
        if path.startswith(f"/{DOWNLOADS_URL}"):
            if path not in files:
                failures.append(f"{line}: this download is no longer built (make offline); restore the edition")
            continue
        redirect = redirects.target(path) if path not in pages else None
        target = redirect.to if redirect else path
        if target not in pages:
            where = f"redirects to {target}, which does not exist" if redirect else "no page is published here"
            failures.append(f"{line}: {where}; " + _advice(path, pages))
        elif anchor and anchor not in ids(target) and not (redirect and redirect.withdrawn):
            failures.append(f"{line}: {target} has no #{anchor} anchor (restore the heading id {{#{anchor}}}, "
                            "or redirect to a page that has it)")
    return failures


def load_redirects(root: Path) -> Redirects:
    file, model = DATA_FILES["redirects"]
    redirects, problems = load_data_file(root / STORIES_DIR / file, model, f"{STORIES_DIR}/{file}")
    if redirects is None:
        raise ValueError("; ".join(map(str, problems)))
    return redirects


def urls_command(args, root: Path, out) -> int:
    site = (root / args.site) if not Path(args.site).is_absolute() else Path(args.site)
    if not (site / "index.html").exists():
        print(f"no built site in {site}: run `make build` first", file=out)
        return 2
    lock = read_lock(root)
    if args.update:
        new = published(site) - set(lock)
        write_lock(root, set(lock) | published(site))
        print(f"{LOCK_FILE}: {len(new)} new line(s), {len(lock) + len(new)} in all", file=out)
        return 0
    failures = verify(lock, site, load_redirects(root))
    for f in failures:
        print(f, file=out)
    print(f"{len(lock) - len(failures)} of {len(lock)} published addresses resolve", file=out)
    return 1 if failures else 0


# ---- before a deploy: the live site's own list --------------------------------------
# No workflow commits to main (a push with the workflow's token starts no checks, so
# branch protection refuses it). Instead every deployed site carries its own
# /published-urls.txt: what it published plus everything before it. The next deploy
# reads it from the live site, adds the committed file (maintainers' `make urls`),
# and refuses to go live if any of those addresses would vanish.

LIVE_MAX_BYTES = 20_000_000
_LOCK_LINE = re.compile(r"/[A-Za-z0-9._~%/-]*(#[A-Za-z0-9._~%-]+)?")


class LiveLock(Exception):
    """The live site's list could not be used; the message says why, for people."""


def parse_lock(text: str) -> list[str]:
    lines = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if not (_LOCK_LINE.fullmatch(line) or listcodes.LOCK_LINE.fullmatch(line)):
            raise LiveLock(f"line {number} is not a site address: {line[:80]!r}")
        lines.append(line)
    return lines


def fetch_live(url: str, timeout: float = 30) -> list[str] | None:
    """The live site's list; None when the site answers 404 (nothing deployed yet).
    Raises LiveLock when the site cannot be reached or the file is not a list of addresses."""
    import urllib.error
    import urllib.request
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (our own site, https)
            body = response.read(LIVE_MAX_BYTES + 1)
    except urllib.error.HTTPError as err:
        if err.code == 404:
            return None
        raise LiveLock(f"{url} answered HTTP {err.code}") from None
    except (urllib.error.URLError, OSError, ValueError) as err:
        raise LiveLock(f"{url} could not be reached ({getattr(err, 'reason', err)})") from None
    if len(body) > LIVE_MAX_BYTES:
        raise LiveLock(f"{url} is over {LIVE_MAX_BYTES:,} bytes")
    try:
        return parse_lock(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise LiveLock(f"{url} is not UTF-8 text") from None


def baseline(root: Path, live_url: str, if_unreachable: str, out) -> list[str]:
    """Every address to keep: the live site's list and the committed file together."""
    committed = read_lock(root)
    try:
        live = fetch_live(live_url)
    except LiveLock as err:
        if if_unreachable != "use-committed":
            raise
        print(f"warning: {err}; using {LOCK_FILE} from the repository only, as asked", file=out)
        live = []
    if live is None:
        print(f"{live_url}: not found, so this is the first deploy; keeping the {len(committed)} addresses "
              f"of {LOCK_FILE} from the repository", file=out)
        live = []
    else:
        print(f"{live_url}: {len(live)} published addresses; {LOCK_FILE} in the repository: {len(committed)}",
              file=out)
    return sorted(set(committed) | set(live))


def deploy_check_command(args, root: Path, out) -> int:
    site = (root / args.site) if not Path(args.site).is_absolute() else Path(args.site)
    if not (site / "index.html").exists():
        print(f"no built site in {site}: run `make publish` first", file=out)
        return 2
    try:
        keep = baseline(root, args.live, args.if_unreachable, out)
    except LiveLock as err:
        print(f"Deploy refused: {err}, so the addresses it has published cannot be checked. Run the deploy "
              "again once the site answers. If the site is down and this deploy is the fix, run the workflow "
              "by hand with `if_unreachable: use-committed`.", file=out)
        return 1
    failures = verify(keep, site, load_redirects(root))
    if failures:
        for f in failures:
            print(f, file=out)
        print(f"Deploy refused: {len(failures)} published address(es) would vanish. Add the redirects above to "
              "stories/redirects.yml in a pull request (`make publish deploy-check` shows the same list).", file=out)
        return 1
    new = published(site) - set(keep)
    (site / LOCK_FILE).write_text(HEADER + "\n".join(sorted(set(keep) | new)) + "\n", encoding="utf-8")
    print(f"All {len(keep)} published addresses resolve; {len(new)} new. Wrote {args.site}/{LOCK_FILE}.", file=out)
    return 0
