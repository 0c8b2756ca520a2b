#!/usr/bin/env bash
# Browser tests of the website widget: Debian's Chromium, driven by Playwright, against the real
# assistant (the tests start it themselves on free ports, see tests/browser/conftest.py).
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
"$ROOT/scripts/setup_web.sh"
"$ROOT/scripts/setup_dashboard.sh"  # Chart.js for the staff dashboard tests
"$ROOT/scripts/setup_browser.sh"
mkdir -p artifacts/screenshots
say "Browser tests (tests/browser), screenshots in artifacts/screenshots/"
"$PY" -m pytest -q tests/browser -p no:cacheprovider "$@"
