#!/usr/bin/env bash
# Conversation tests against the trained model and a live action server:
#  1. test stories (tests/conversations): intents, entities and next actions, both languages;
#  2. live REST conversations (tests/live): the replies' facts and language, through a real Rasa server.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

ACTIONS_PORT=5055
TEST_RASA_PORT="${TEST_RASA_PORT:-5015}"
logs="$ROOT/.data/logs"
mkdir -p "$logs" results
pids=()
cleanup() { [ "${#pids[@]}" -gt 0 ] && { kill "${pids[@]}" 2>/dev/null || true; wait "${pids[@]}" 2>/dev/null || true; }; }
trap cleanup EXIT

# Throw-away databases, so test conversations and registrations never land in the developer's own.
export DATABASE_URL="sqlite:///$ROOT/.data/test-tanya.db"
export TRACKER_DATABASE_URL="sqlite:///$ROOT/.data/tracker-test.db"
rm -f "$ROOT/.data/test-tanya.db" "$ROOT/.data/tracker-test.db"
"$PY" -m tanya.knowledge.loader --content-dir data/knowledge >/dev/null

"$RASA" run actions --actions actions --port "$ACTIONS_PORT" >"$logs/actions-test.log" 2>&1 &
pids+=($!)
wait_for_http "http://localhost:$ACTIONS_PORT/health" 120 || { cat "$logs/actions-test.log"; die "the action server did not start"; }

say "Test stories (tests/conversations)"
"$RASA" test core --model models/current.tar.gz --stories tests/conversations --endpoints endpoints.yml \
  --out results --fail-on-prediction-errors --quiet || {
    echo "--- failed stories (results/failed_test_stories.yml) ---"
    cat results/failed_test_stories.yml 2>/dev/null || true
    die "test stories failed"
  }

say "Live conversations over REST (tests/live)"
"$RASA" run --model models/current.tar.gz --endpoints endpoints.yml --credentials credentials.yml \
  --port "$TEST_RASA_PORT" >"$logs/rasa-test.log" 2>&1 &
pids+=($!)
wait_for_http "http://localhost:$TEST_RASA_PORT/" 300 || { cat "$logs/rasa-test.log"; die "Rasa did not start"; }
RASA_URL="http://localhost:$TEST_RASA_PORT" "$PY" -m pytest -q tests/live

if grep -E "ERROR|Traceback" "$logs/actions-test.log"; then
  die "the action server logged errors during the conversation tests (see $logs/actions-test.log)"
fi
say "Conversation tests passed"
