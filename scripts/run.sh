#!/usr/bin/env bash
# Set up (if needed) and run the assistant: action server on 127.0.0.1:5055 (token-protected), Rasa on
# :5005 (REST + socket.io), the demo page on :8080, under supervisord (scripts/supervisor_config.py): a
# process that dies is started again, with a growing delay if it keeps dying, while the others keep
# answering. Logs are appended to .data/logs/<process>.log (TANYA_LOG_DIR) and rotated. Ctrl-C (or
# SIGTERM) stops all of them.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

RASA_PORT="${RASA_PORT:-5005}"
ACTIONS_PORT="${ACTIONS_PORT:-5055}"
WEB_PORT="${WEB_PORT:-8080}"
export RASA_PORT ACTIONS_PORT WEB_PORT

# On a port something already listens on, a program would fail at every restart while the health checks
# below reached the other process: say so before anything starts.
ports=("$ACTIONS_PORT" "$RASA_PORT" "$WEB_PORT")
[ -n "${TANYA_DASHBOARD_TOKEN:-}" ] && ports+=("${TANYA_DASHBOARD_PORT:-8090}")
for port in "${ports[@]}"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    die "port $port is already in use (is make run already running?): stop that, or choose other ports (RASA_PORT, ACTIONS_PORT, WEB_PORT, TANYA_DASHBOARD_PORT)"
  fi
done

"$ROOT/scripts/setup.sh"
"$ROOT/scripts/setup_web.sh"
load_secret_key  # created by setup on a fresh machine

dashboard=()
# The staff dashboard only with a staff token (it never runs open): docs/analytics.md.
if [ -n "${TANYA_DASHBOARD_TOKEN:-}" ]; then
  "$ROOT/scripts/setup_dashboard.sh"
  dashboard=(--dashboard)
fi

# supervisord's configuration and pid file live only as long as this run.
RUN_DIR="$(mktemp -d "${TMPDIR:-/tmp}/tanya-run.XXXXXX")"
supervisor_pid=""
stop_all() {
  trap - INT TERM EXIT
  if [ -n "$supervisor_pid" ] && kill -0 "$supervisor_pid" 2>/dev/null; then
    say "Stopping the assistant"
    kill -TERM "$supervisor_pid" 2>/dev/null || true  # supervisord stops every program, then exits
    wait "$supervisor_pid" 2>/dev/null || true
  fi
  rm -rf "$RUN_DIR"
}
trap stop_all INT TERM EXIT

LOG_DIR="$("$PY" scripts/supervisor_config.py --run-dir "$RUN_DIR" --python "$PY" \
  --rasa-port "$RASA_PORT" --actions-port "$ACTIONS_PORT" --web-port "$WEB_PORT" "${dashboard[@]}")"

say "Starting the action server (:$ACTIONS_PORT), Rasa (:$RASA_PORT) and the website (:$WEB_PORT) under supervisord"
"$VENV/bin/supervisord" -c "$RUN_DIR/supervisord.conf" &
supervisor_pid=$!

start=$(date +%s)
wait_for_http "http://localhost:$ACTIONS_PORT/health" 120 "$supervisor_pid" \
  || die "the action server did not start (see $LOG_DIR/actions.log and $LOG_DIR/supervisord.log)"
wait_for_http "http://localhost:$RASA_PORT/" 300 "$supervisor_pid" \
  || die "Rasa did not start (see $LOG_DIR/rasa.log and $LOG_DIR/supervisord.log)"
say "Rasa is up after $(( $(date +%s) - start )) s"

logs="actions,rasa,web" dashboard_line=""
if [ ${#dashboard[@]} -gt 0 ]; then
  logs="$logs,dashboard"
  dashboard_line=$'\n'"  Dashboard: http://${TANYA_DASHBOARD_HOST:-127.0.0.1}:${TANYA_DASHBOARD_PORT:-8090}/   (staff sign-in with TANYA_DASHBOARD_TOKEN)"
fi
cat <<MSG

TanyaBPJAMSOSTEK is running.
  REST:      curl -s -XPOST http://localhost:$RASA_PORT/webhooks/rest/webhook \\
               -H 'Content-Type: application/json' -d '{"sender": "me", "message": "gimana cara daftar BPU?"}'
  Website:   http://localhost:$WEB_PORT/   (the registration page with the TanyaBPJAMSOSTEK widget)
  socket.io: http://localhost:$RASA_PORT (path /socket.io; allowed origins in credentials.yml)$dashboard_line
  Logs:      $LOG_DIR/{$logs}.log (appended across starts, rotated)
A process that dies is started again by itself; the others keep answering meanwhile.
Press Ctrl-C to stop.

MSG
wait "$supervisor_pid"
