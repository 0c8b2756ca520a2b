#!/usr/bin/env bash
# Set up (if needed) and run the assistant: action server on 127.0.0.1:5055 (token-protected), Rasa on
# :5005 (REST + socket.io), the demo page on :8080. Ctrl-C stops all of them.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

"$ROOT/scripts/setup.sh"
"$ROOT/scripts/setup_web.sh"
load_secret_key  # created by setup on a fresh machine

RASA_PORT="${RASA_PORT:-5005}"
ACTIONS_PORT="${ACTIONS_PORT:-5055}"
WEB_PORT="${WEB_PORT:-8080}"
export RASA_PORT ACTIONS_PORT
mkdir -p .data/logs
pids=()
stop_all() {
  trap - INT TERM EXIT
  if [ "${#pids[@]}" -gt 0 ]; then
    say "Stopping the assistant"
    kill "${pids[@]}" 2>/dev/null || true
    wait "${pids[@]}" 2>/dev/null || true
  fi
}
trap stop_all INT TERM EXIT

say "Starting the action server on :$ACTIONS_PORT"
"$PY" -m tanya.action_server --port "$ACTIONS_PORT" > >(tee .data/logs/actions.log) 2>&1 &
pids+=($!)
wait_for_http "http://localhost:$ACTIONS_PORT/health" 120 || die "the action server did not start"

say "Starting Rasa on :$RASA_PORT"
start=$(date +%s)
"$PY" -m tanya.server --model models/current.tar.gz --port "$RASA_PORT" > >(tee .data/logs/rasa.log) 2>&1 &
pids+=($!)
wait_for_http "http://localhost:$RASA_PORT/" 300 || die "Rasa did not start"
say "Rasa is up after $(( $(date +%s) - start )) s"

"$PY" scripts/serve_web.py --port "$WEB_PORT" --server-url "http://localhost:$RASA_PORT" &
pids+=($!)

# The staff dashboard only with a staff token (it never runs open): docs/analytics.md.
if [ -n "${TANYA_DASHBOARD_TOKEN:-}" ]; then
  "$ROOT/scripts/setup_dashboard.sh"
  say "Starting the staff dashboard on :${TANYA_DASHBOARD_PORT:-8090}"
  "$PY" -m tanya.dashboard > >(tee .data/logs/dashboard.log) 2>&1 &
  pids+=($!)
fi

cat <<MSG

TanyaBPJAMSOSTEK is running.
  REST:      curl -s -XPOST http://localhost:$RASA_PORT/webhooks/rest/webhook \\
               -H 'Content-Type: application/json' -d '{"sender": "me", "message": "gimana cara daftar BPU?"}'
  Website:   http://localhost:$WEB_PORT/   (the registration page with the TanyaBPJAMSOSTEK widget)
  socket.io: http://localhost:$RASA_PORT (path /socket.io; allowed origins in credentials.yml)
Press Ctrl-C to stop.

MSG
wait -n "${pids[@]}"
