#!/usr/bin/env bash
# Browser tests of the website widget: Debian's Chromium, driven by Playwright, against the real
# assistant (the tests start Rasa and the page themselves; this script provides the action server).
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
"$ROOT/scripts/setup_web.sh"
"$ROOT/scripts/setup_browser.sh"

ACTIONS_PORT=5055
logs="$ROOT/.data/logs"
mkdir -p "$logs" artifacts/screenshots
export DATABASE_URL="sqlite:///$ROOT/.data/browser-tanya.db"
rm -f "$ROOT/.data/browser-tanya.db"
"$PY" -m tanya.knowledge.loader --content-dir data/knowledge >/dev/null
"$RASA" run actions --actions actions --port "$ACTIONS_PORT" >"$logs/actions-browser.log" 2>&1 &
actions_pid=$!
trap 'kill $actions_pid 2>/dev/null || true; wait $actions_pid 2>/dev/null || true' EXIT
wait_for_http "http://localhost:$ACTIONS_PORT/health" 120 || { cat "$logs/actions-browser.log"; die "the action server did not start"; }

say "Browser tests (tests/browser), screenshots in artifacts/screenshots/"
"$PY" -m pytest -q tests/browser -p no:cacheprovider "$@"
