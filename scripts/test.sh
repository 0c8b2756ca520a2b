#!/usr/bin/env bash
# The whole test ladder: setup, data validation, unit tests, training, conversation tests.
# Exits non-zero on the first failure.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

"$ROOT/scripts/setup.sh"
load_secret_key  # created by setup on a fresh machine

say "Validating training data and domain"
"$RASA" data validate --config config.yml --domain domain.yml --data data/nlu data/rules data/stories --fail-on-warnings

say "Unit tests"
"$PY" -m pytest -q tests/unit

say "Conversation tests"
"$ROOT/scripts/conversation_tests.sh"

say "Browser tests of the website widget"
"$ROOT/scripts/browser_tests.sh"
