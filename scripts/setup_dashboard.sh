#!/usr/bin/env bash
# Staff dashboard set-up: Chart.js from the npm registry at the pinned version (web/package-lock.json),
# copied where the dashboard serves it. Idempotent; shares setup_web.sh's stamp, so one `npm ci` serves both.
source "$(dirname "$0")/lib.sh"
cd "$ROOT/web"
command -v npm >/dev/null || die "npm not found: install Node.js (the dashboard's Chart.js comes from npm)."
stamp="node_modules/.tanya-stamp"
want="$(sha256sum package-lock.json | cut -c1-16)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ] || [ ! -f node_modules/chart.js/dist/chart.umd.js ]; then
  say "Installing the front-end packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
fi
mkdir -p vendor
cp node_modules/chart.js/dist/chart.umd.js vendor/chart.umd.js
