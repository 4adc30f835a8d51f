#!/usr/bin/env bash
# Lighthouse (mobile settings) on the public pages, served by gunicorn on 127.0.0.1.
# Installs lighthouse from the npm registry into bench/.cache (once) and runs it with
# Debian's Chromium. Prints one line per page: performance, accessibility,
# best practices, SEO. Targets: >= 95, 100, 100, 100.
set -euo pipefail
cd "$(dirname "$0")/.."
CACHE=bench/.cache/lighthouse
PORT=${PORT:-5077}
PAGES=${PAGES:-"/ /check /help-someone /helplines /overdose /privacy /check-in /reminders /delete-everything /offline"}
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}

if [ ! -x "$CACHE/node_modules/.bin/lighthouse" ]; then
  mkdir -p "$CACHE"
  (cd "$CACHE" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund lighthouse@12 >/dev/null)
fi

WORK=$(mktemp -d)
trap 'kill "$SERVER" 2>/dev/null || true; rm -rf "$WORK"' EXIT
export STEADY_ENV=development FLASK_APP=backend:create_app
export DATABASE_URL="sqlite:///$WORK/bench.sqlite3" SECRET_KEY=lighthouse-bench-secret
.venv/bin/flask steady prepare >/dev/null
.venv/bin/gunicorn -w 2 -b "127.0.0.1:$PORT" --log-level warning "backend:create_app()" 2>"$WORK/server.log" &
SERVER=$!
for _ in $(seq 1 50); do curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.2; done

printf '%-16s %5s %5s %5s %5s\n' page perf a11y best seo
for path in $PAGES; do
  out="$WORK/report.json"
  "$CACHE/node_modules/.bin/lighthouse" "http://127.0.0.1:$PORT$path" --quiet \
    --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run" \
    --only-categories=performance,accessibility,best-practices,seo \
    --output=json --output-path="$out" >/dev/null 2>&1 || { echo "$path: lighthouse failed"; continue; }
  python3 - "$path" "$out" <<'PY'
import json, sys
path, report = sys.argv[1], json.load(open(sys.argv[2]))
c = report["categories"]
score = lambda k: round(c[k]["score"] * 100)
print(f"{path:<16} {score('performance'):>5} {score('accessibility'):>5} {score('best-practices'):>5} {score('seo'):>5}")
for k in ("performance", "accessibility", "best-practices", "seo"):
    for ref in c[k]["auditRefs"]:
        audit = report["audits"][ref["id"]]
        if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
            print(f"    {k}: {ref['id']} ({audit['score']})")
PY
done
