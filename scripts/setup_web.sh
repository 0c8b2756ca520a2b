#!/usr/bin/env bash
# Front-end set-up: socket.io client from the npm registry at the pinned version (web/package-lock.json),
# copied where the page serves it. Idempotent.
source "$(dirname "$0")/lib.sh"
cd "$ROOT/web"
command -v npm >/dev/null || die "npm not found: install Node.js (the widget's socket.io client comes from npm)."
stamp="node_modules/.tanya-stamp"
want="$(sha256sum package-lock.json | cut -c1-16)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  say "Installing the widget's front-end packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
fi
mkdir -p vendor
cp node_modules/socket.io-client/dist/socket.io.min.js vendor/socket.io.min.js
