"""Held-out NLU evaluation per language: intent accuracy, intent macro-F1, entity F1, top confusions.

    .venv/bin/python scripts/evaluate_nlu.py [--model models/current.tar.gz] [--heldout tests/nlu] [--json out.json]

Held-out files are tests/nlu/heldout_<language>.yml and are never used for training.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from tanya.nlu_metrics import scores, top_confusions  # noqa: E402


def newest_model(path: Path) -> Path:
    if path.is_file():
        return path
    models = sorted(path.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if not models:
        raise FileNotFoundError(f"no model in {path}")
    return models[-1]


async def predict(agent, examples):
    gold, predicted, gold_entities, predicted_entities = [], [], [], []
    for example in examples:
        parsed = await agent.parse_message(example.get("text"))
        gold.append(example.get("intent"))
        predicted.append(parsed["intent"]["name"])
        gold_entities.append({(e["entity"], str(e["value"])) for e in example.get("entities") or []})
        predicted_entities.append({(e["entity"], str(e["value"])) for e in parsed.get("entities") or []})
    return gold, predicted, gold_entities, predicted_entities


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Held-out NLU evaluation per language.")
    parser.add_argument("--model", type=Path, default=Path("models/current.tar.gz"))
    parser.add_argument("--heldout", type=Path, default=Path("tests/nlu"))
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    files = sorted(args.heldout.glob("heldout_*.yml"))
    try:
        model = newest_model(args.model)
    except FileNotFoundError as error:
        print(f"Error: {error}. Train first (make test or make run).", file=sys.stderr)
        return 2
    if not files:
        print(f"Error: no held-out files heldout_<lang>.yml in {args.heldout}", file=sys.stderr)
        return 2

    logging.disable(logging.WARNING)
    import structlog
    from rasa.core.agent import Agent
    from rasa.shared.nlu.training_data.loading import load_data

    # Rasa logs every parse through structlog at debug level; keep the report readable.
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))

    agent = Agent.load(str(model))
    report, all_results = {}, ([], [], [], [])
    print(f"Model: {model}")
    print(f"{'language':<10}{'examples':>9}{'accuracy':>10}{'macro-F1':>10}{'entity-F1':>11}")
    for path in files:
        language = path.stem.split("_", 1)[1]
        results = asyncio.run(predict(agent, load_data(str(path)).training_examples))
        for bucket, values in zip(all_results, results):
            bucket.extend(values)
        s = scores(*results)
        report[language] = {**s.__dict__, "confusions": top_confusions(results[0], results[1])}
        print(f"{language:<10}{s.examples:>9}{s.accuracy:>10.3f}{s.macro_f1:>10.3f}{s.entity_f1:>11.3f}")
    overall = scores(*all_results)
    report["all"] = {**overall.__dict__, "confusions": top_confusions(all_results[0], all_results[1])}
    print(
        f"{'all':<10}{overall.examples:>9}{overall.accuracy:>10.3f}{overall.macro_f1:>10.3f}{overall.entity_f1:>11.3f}"
    )
    print("\nMost frequent confusions (gold -> predicted):")
    for gold, predicted, count in report["all"]["confusions"]:
        print(f"  {count:>3}  {gold} -> {predicted}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
