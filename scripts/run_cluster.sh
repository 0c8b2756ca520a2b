#!/usr/bin/env bash
# Production mode on this host: INSTANCES Rasa servers and ACTION_SERVERS action servers behind nginx,
# on PostgreSQL (knowledge, registrations, conversations), Redis (lock store) and RabbitMQ (events).
#   make run-cluster INSTANCES=2        ->  http://localhost:5005 (REST, socket.io), like `make run`
# Ctrl-C stops all of it. Logs: .data/cluster/logs/. Everything is configured by environment
# variables (tanya/settings.py); the defaults use this machine's services.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

"$ROOT/scripts/setup.sh"
load_secret_key  # created by setup on a fresh machine
export DATABASE_URL="${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/tanya}"
export TRACKER_DATABASE_URL="${TRACKER_DATABASE_URL:-$DATABASE_URL}"
"$ROOT/scripts/setup_cluster.sh"

exec "$PY" -m tanya.cluster --instances "${INSTANCES:-2}" --action-servers "${ACTION_SERVERS:-2}" \
  --port "${RASA_PORT:-5005}" --actions-port "${ACTIONS_PORT:-5055}"
