#!/usr/bin/env bash
# The whole test ladder, each rung only when the one before passed:
#   setup -> data validation -> lint -> widget unit tests (Node) -> unit tests -> integration (a real
#   assistant on free ports: test stories, REST conversations, channels, fuzzing) -> cluster -> browser tests.
# Runs while `make run` is up: the tests use their own ports and throw-away databases.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

"$ROOT/scripts/setup.sh" --test
# Front-end packages from npm at their locked versions: the widget's socket.io client and the dashboard's
# Chart.js (the dashboard's unit tests serve it).
"$ROOT/scripts/setup_web.sh"
"$ROOT/scripts/setup_dashboard.sh"
load_secret_key  # created by setup on a fresh machine
"$ROOT/scripts/check_services.sh"

say "Validating training data and domain"
"$RASA" data validate --config config.yml --domain domain.yml --data data/nlu data/rules --fail-on-warnings

say "Lint (ruff, configured in ruff.toml)"
"$VENV/bin/ruff" check --no-cache tanya actions tests scripts

say "Widget unit tests (masking and link allow-list, node --test)"
command -v node >/dev/null || die "node not found: install Node.js (the widget's unit tests run on it)."
node --test web/widget/tests/

say "Unit tests"
"$PY" -m pytest -q -p no:cacheprovider tests/unit

say "Integration tests (a real assistant: test stories, conversations, channels, fuzzing)"
"$PY" -m pytest -q -p no:cacheprovider tests/integration

say "Cluster tests (2 Rasa instances behind nginx on PostgreSQL, Redis, RabbitMQ: bursts, faults)"
make -C "$ROOT" --no-print-directory test-cluster

say "Browser tests of the website widget"
"$ROOT/scripts/browser_tests.sh"
say "All tests passed"
