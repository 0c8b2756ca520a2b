#!/usr/bin/env bash
# Prepare everything the assistant needs, idempotently: virtualenv + pinned packages, the offline
# spaCy pipeline, the database schema (migrations) and the knowledge base in it, and a trained model
# (only when inputs changed). `--test` also installs the test tools (requirements-test.txt).
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
WITH_TESTS=false
[ "${1:-}" = "--test" ] && WITH_TESTS=true

find_python310() {
  local candidate
  for candidate in python3.10 "$(pyenv root 2>/dev/null)"/versions/3.10*/bin/python3.10 \
                   "$HOME"/.pyenv/versions/3.10*/bin/python3.10 /usr/local/bin/python3.10 /usr/bin/python3.10; do
    if [ -n "$candidate" ] && "$candidate" -c 'import sys; assert sys.version_info[:2] == (3, 10)' >/dev/null 2>&1; then
      command -v "$candidate" 2>/dev/null || echo "$candidate"
      return 0
    fi
  done
  return 1
}

ensure_venv() {
  if [ -x "$PY" ] && "$PY" -c 'import sys; assert sys.version_info[:2] == (3, 10)' >/dev/null 2>&1; then
    return
  fi
  local python
  python="$(find_python310)" || die "Python 3.10 not found. Rasa 3.6 needs Python 3.8-3.10; install python3.10 (e.g. 'pyenv install 3.10') and run again."
  say "Creating .venv with $python"
  rm -rf "$VENV"
  "$python" -m venv "$VENV"
}

# One requirements file and its stamp: reinstalled only when it or the constraints changed.
install_requirements() {
  local file="$1" stamp="$VENV/.installed-$1" want
  want="$(cat "$file" constraints.txt | sha256sum | cut -c1-16)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return; fi
  say "Installing the pinned packages of $file (a few minutes the first time)"
  "$PY" -m pip install --quiet --disable-pip-version-check 'pip==24.0' 'setuptools==70.3.0' 'wheel==0.45.1'
  "$PY" -m pip install --quiet --disable-pip-version-check -r "$file" -c constraints.txt
  echo "$want" > "$stamp"
}

ensure_packages() {
  install_requirements requirements.txt
  if $WITH_TESTS; then install_requirements requirements-test.txt; fi
}

ensure_spacy_pipeline() {
  local stamp=".spacy/id_tanya.stamp" want
  want="$(fingerprint data/nlu scripts/build_spacy_pipeline.py)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -d .spacy/id_tanya ]; then return; fi
  say "Building the offline spaCy pipeline (.spacy/id_tanya)"
  "$PY" scripts/build_spacy_pipeline.py --output .spacy/id_tanya
  echo "$want" > "$stamp"
}

ensure_dev_key() {
  if [ -z "${TANYA_SECRET_KEY:-}" ] || [ -z "${ACTION_SERVER_TOKEN:-}" ]; then
    "$PY" -m tanya.dev_secrets .keys/dev.env
    load_secret_key
  fi
}

migrate_database() {
  say "Migrating the database schema (tanya/migrations)"
  "$PY" -m tanya.migrations upgrade
}

load_knowledge() {
  say "Loading the knowledge base from data/knowledge"
  "$PY" -m tanya.knowledge.loader --content-dir data/knowledge
}

ensure_venv
ensure_packages
ensure_spacy_pipeline
ensure_dev_key
migrate_database
load_knowledge
"$ROOT/scripts/train.sh"
