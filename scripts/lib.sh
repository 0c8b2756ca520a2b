# Shared shell helpers for the run/test scripts. Sourced, not executed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PY="$VENV/bin/python"
RASA="$VENV/bin/rasa"
export PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}"
# Quiet TensorFlow's start-up chatter; keep Rasa's own logs.
export TF_CPP_MIN_LOG_LEVEL=2
export RASA_TELEMETRY_ENABLED=false
export SQLALCHEMY_SILENCE_UBER_WARNING=1

say() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }
die() { printf '\033[1;31mError:\033[0m %s\n' "$*" >&2; exit 1; }

# Content hash of files/folders, for "rebuild only when this changed" stamps.
fingerprint() {
  (cd "$ROOT" && find "$@" -type f \( -name '*.yml' -o -name '*.yaml' -o -name '*.py' -o -name '*.txt' \) -print0 2>/dev/null \
    | sort -z | xargs -0 sha256sum) | sha256sum | cut -c1-16
}

# Wait until an HTTP endpoint answers, or fail after $2 seconds (at once if process $3, when given, is gone).
wait_for_http() {
  local url="$1" timeout="${2:-120}" pid="${3:-}" waited=0
  until curl -fsS -o /dev/null "$url" 2>/dev/null; do
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then return 1; fi
    sleep 1; waited=$((waited + 1))
    [ "$waited" -ge "$timeout" ] && return 1
  done
  return 0
}

# Secrets (the encryption key, the action server's token). Production sets them itself; locally,
# setup.sh creates .keys/dev.env (gitignored) and every script loads from it what is not already set.
load_secret_key() {
  [ -f "$ROOT/.keys/dev.env" ] || return 0
  local name value
  while IFS='=' read -r name value; do
    case "$name" in ''|\#*) continue ;; esac
    [ -n "${!name:-}" ] || export "$name=$value"
  done < "$ROOT/.keys/dev.env"
}
load_secret_key
