#!/usr/bin/env bash
# Lighthouse (npm lighthouse@12.2.3, the last line that runs on Node 20) on the home
# page, a story and a domain hub, mobile and desktop, against a strict build served on
# 127.0.0.1:8000. Prints the median of each category score over RUNS runs (with the
# range when runs differ) and every audit below 100 in the median run; JSON reports go
# to $OUT (default /tmp/ripples-lighthouse).
#
# Two servers, because they score differently:
#   plain  python -m http.server: no compression (every byte is charged uncompressed)
#   gzip   bench/serve.py: gzip for text, as GitHub Pages / Netlify / nginx serve it
#
#   bench/lighthouse.sh                        # both servers
#   SERVERS=gzip RUNS=5 bench/lighthouse.sh    # one server, five runs per page and form
#   PAGES="/ /stories/tony-from-avoidant-to-secure/" bench/lighthouse.sh
#   SITE=/tmp/big/site FORMS=mobile bench/lighthouse.sh   # an already built site (e.g. 3,000 stories)
#
# "/#search=family" opens the page with search open and results shown (search.js
# reads a shared search link), so Lighthouse audits the search too.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(dirname "$HERE")"
LH_VERSION="12.2.3"
LH_DIR="$HERE/.lighthouse"
LH="$LH_DIR/node_modules/.bin/lighthouse"
OUT="${OUT:-${TMPDIR:-/tmp}/ripples-lighthouse}"   # outside the repo: tests copy the repository
PORT=8000   # the default site_url: canonical URLs and the QR code point here
PAGES="${PAGES:-/ /stories/sarah-from-anger-to-vulnerability/ /domains/romantic/ /#search=family}"
FORMS="${FORMS:-mobile desktop}"
SITE="${SITE:-}"
SERVERS="${SERVERS:-plain gzip}"
RUNS="${RUNS:-3}"   # Lighthouse varies run to run: the median of each category is printed, with the range
PYTHON="$ROOT/.venv/bin/python"
export CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"
CHROME_FLAGS="--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --disable-background-networking --disable-component-update --disable-sync --no-first-run"

if [ ! -x "$LH" ] || [ "$("$LH" --version 2>/dev/null)" != "$LH_VERSION" ]; then
  echo "Installing lighthouse@$LH_VERSION into ${LH_DIR#"$ROOT"/}" >&2
  mkdir -p "$LH_DIR"
  npm install --prefix "$LH_DIR" --no-audit --no-fund --loglevel=error "lighthouse@$LH_VERSION" >&2
fi
[ -x "$CHROME_PATH" ] || { echo "no Chromium at $CHROME_PATH" >&2; exit 1; }
if "$PYTHON" -c "import socket,sys; s=socket.socket(); sys.exit(s.connect_ex(('127.0.0.1', $PORT)) != 0)"; then
  echo "127.0.0.1:$PORT is in use (make serve?): stop it first" >&2; exit 1
fi

# The site as a reader gets it: a strict build with the default site_url.
if [ -z "$SITE" ]; then
  make -C "$ROOT" build >&2
  SITE="$ROOT/site"
fi

SERVER=""
stop_server() { if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; SERVER=""; fi; }
trap stop_server EXIT

mkdir -p "$OUT"
status=0
for server in $SERVERS; do
  case "$server" in
    plain) "$PYTHON" -m http.server "$PORT" --bind 127.0.0.1 --directory "$SITE" >/dev/null 2>&1 & ;;
    gzip)  "$PYTHON" "$HERE/serve.py" --port "$PORT" --directory "$SITE" >/dev/null 2>&1 & ;;
    *) echo "unknown server $server (plain or gzip)" >&2; exit 2 ;;
  esac
  SERVER=$!
  for _ in $(seq 50); do
    "$PYTHON" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$PORT/')" 2>/dev/null && break
    sleep 0.1
  done
  echo
  printf '%-6s %-45s %-8s %12s %14s %15s %5s\n' server page form performance accessibility best-practices seo
  for page in $PAGES; do
    for form in $FORMS; do
      name="$(echo "${page}" | tr '/#=' '___' | sed 's/^_*//;s/_*$//')"
      preset=()
      [ "$form" = desktop ] && preset=(--preset=desktop)
      reports=()
      for run in $(seq "$RUNS"); do
        report="$OUT/lighthouse-$server-${name:-home}-$form-$run.json"
        if "$LH" "http://127.0.0.1:$PORT$page" "${preset[@]}" --quiet \
            --chrome-flags="$CHROME_FLAGS" --output=json --output-path="$report" \
            --only-categories=performance,accessibility,best-practices,seo >/dev/null 2>"$report.log"; then
          reports+=("$report")
        else
          echo "lighthouse failed for $page ($form, $server, run $run); see ${report#"$ROOT"/}.log" >&2
          status=1
        fi
      done
      [ "${#reports[@]}" -gt 0 ] || continue
      "$PYTHON" - "$page" "$form" "$server" "${reports[@]}" <<'EOF'
import json, statistics, sys
page, form, server, *reports = sys.argv[1:]
cats = ("performance", "accessibility", "best-practices", "seo")
runs = [json.load(open(r)) for r in reports]
scores = {c: [round(100 * (d["categories"][c]["score"] or 0)) for d in runs] for c in cats}
cells = []
for c in cats:
    low, high, mid = min(scores[c]), max(scores[c]), statistics.median_low(scores[c])
    cells.append(f"{mid}" if low == high else f"{mid} ({low}-{high})")
print(f"{server:<6} {page:<45} {form:<8} {cells[0]:>12} {cells[1]:>14} {cells[2]:>15} {cells[3]:>5}")
cls = max(d["audits"]["cumulative-layout-shift"]["numericValue"] for d in runs)
tbt = [round(d["audits"]["total-blocking-time"]["numericValue"]) for d in runs]
print(f"         CLS (worst run) {cls:.3f}; total blocking time per run: {', '.join(f'{t} ms' for t in tbt)}")
# Every weighted audit below 1 in the median-performance run, so a gap can be closed or explained.
median = sorted(runs, key=lambda d: d["categories"]["performance"]["score"] or 0)[(len(runs) - 1) // 2]
for c in cats:
    for ref in median["categories"][c]["auditRefs"]:
        audit = median["audits"][ref["id"]]
        if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
            print(f"         {c}: {ref['id']} score {audit['score']:.2f} {audit.get('displayValue', '')}")
EOF
    done
  done
  stop_server
done
exit $status
