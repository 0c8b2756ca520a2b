#!/usr/bin/env bash
# Train only when the training inputs changed: the model's name carries the inputs' fingerprint.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

want="tanya-$(fingerprint config.yml domain.yml data/nlu data/rules scripts/build_spacy_pipeline.py)"
if [ -f "models/$want.tar.gz" ]; then
  say "Model models/$want.tar.gz is up to date"
else
  say "Training the model ($want)"
  start=$(date +%s)
  "$RASA" train --config config.yml --domain domain.yml --data data/nlu data/rules \
    --out models --fixed-model-name "$want" --quiet
  say "Training took $(( $(date +%s) - start )) s"
fi
ln -sfn "$want.tar.gz" models/current.tar.gz
