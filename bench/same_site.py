#!/usr/bin/env python3
"""Is the site the same bytes before and after a change? Builds an earlier commit and this
checkout with the same SOURCE_DATE_EPOCH and site URL, and lists every file that differs.

An earlier commit is built the way it built itself: `mkdocs build --strict` when it has
no `macros/cli/pipeline.py` (before the generate → render → finish split), else
`python -m macros build`. Used for the engine issue: `python bench/same_site.py c7ba00c`.

    python bench/same_site.py REV [--publish]
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from engines import differing  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def build(root: Path, site: Path, env: dict) -> None:
    if (root / "macros" / "cli" / "pipeline.py").exists():
        cmd = [sys.executable, "-m", "macros", "--root", str(root), "build", "--site", str(site),
               "--generated", str(site.parent / f"{site.name}.generated")]
    else:
        cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "-f", str(root / "mkdocs.yml"),
               "-d", str(site)]
    result = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True, timeout=1800)
    if result.returncode != 0:
        raise SystemExit(f"build failed in {root}:\n{result.stdout[-2000:]}{result.stderr[-3000:]}")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("rev")
    p.add_argument("--publish", action="store_true", help="compare publish builds (RIPPLES_PUBLISH=1)")
    args = p.parse_args()
    stamp = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    env = {**{k: v for k, v in os.environ.items() if k not in ("SITE_URL", "RIPPLES_GENERATED")},
           "SOURCE_DATE_EPOCH": stamp, "NO_MKDOCS_2_WARNING": "1", **({"RIPPLES_PUBLISH": "1"} if args.publish else {})}
    with tempfile.TemporaryDirectory(prefix="ripples-same-") as tmp:
        old = Path(tmp) / "old"
        subprocess.run(["git", "worktree", "add", "--detach", "-q", str(old), args.rev], cwd=ROOT, check=True)
        try:
            build(old, Path(tmp) / "site-old", env)
            build(ROOT, Path(tmp) / "site-new", env)
            diff = differing(Path(tmp) / "site-old", Path(tmp) / "site-new")
            files = sum(1 for p in (Path(tmp) / "site-new").rglob("*") if p.is_file())
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(old)], cwd=ROOT, check=False)
    print(f"{len(diff)} of {files} files differ between {args.rev} and this checkout:")
    for name in diff:
        print(f"  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
