"""How well the NLU understands messages it was never trained on, per language.

    .venv/bin/python scripts/evaluate_nlu.py [--model models/current.tar.gz] [-v] [--json out.json]

Runs the trained model (the whole pipeline: DIET and the knowledge components) on tests/nlu:
- understanding.yml: intent accuracy and macro-F1, and the accuracy of every expected entity
  (segment, occupation, PMI stage, country, facet), per language;
- language.yml (and the language labels of understanding.yml): the language detector's accuracy
  (a message that shows no language counts as Indonesian, the conversation's default);
- the largest word overlap between a held-out example and a training example.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from nlu_data import language_examples, largest_overlaps, training_examples, understanding_examples  # noqa: E402

ENTITY_KEYS = {"s": "segment", "o": "occupation", "st": "pmi_stage", "c": "country", "f": "facet"}


def entity_values(parsed: dict, name: str) -> set:
    return {str(e.get("value")) for e in parsed.get("entities") or [] if e.get("entity") == name}


def detected_language(parsed: dict) -> str:
    values = entity_values(parsed, "language")
    return next(iter(values)) if values else "id"


async def parse_all(agent, texts):
    return [await agent.parse_message(text) for text in texts]


def rate(hits: int, total: int) -> str:
    return f"{hits / total:.3f} ({hits}/{total})" if total else "-"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Held-out NLU evaluation per language.")
    parser.add_argument("--model", type=Path, default=Path("models/current.tar.gz"))
    parser.add_argument("--json", type=Path)
    parser.add_argument("-v", "--verbose", action="store_true", help="list every miss")
    args = parser.parse_args(argv)
    if not args.model.exists():
        print(f"Error: no model at {args.model}. Train first (make train).", file=sys.stderr)
        return 2
    logging.disable(logging.WARNING)
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)  # Rasa's parse logging would print every message
    from rasa.core.agent import Agent
    from sklearn.metrics import f1_score

    agent = Agent.load(str(args.model))
    examples = understanding_examples()
    parsed = asyncio.run(parse_all(agent, [e["t"] for e in examples]))
    report = {"understanding": {}, "language": {}, "misses": []}
    by_language = defaultdict(list)
    for example, result in zip(examples, parsed):
        by_language[example.get("l") or "mixed"].append((example, result))
    print(f"== Understanding (tests/nlu/understanding.yml, {len(examples)} held-out examples)")
    for language in sorted(by_language):
        pairs = by_language[language]
        gold = [e["i"] for e, _ in pairs]
        predicted = [r["intent"]["name"] for _, r in pairs]
        hits = sum(g == p for g, p in zip(gold, predicted))
        macro = f1_score(gold, predicted, average="macro", zero_division=0)
        entity_hits, entity_total = defaultdict(int), defaultdict(int)
        for example, result in pairs:
            for key, name in ENTITY_KEYS.items():
                if key in example:
                    entity_total[name] += 1
                    ok = str(example[key]) in entity_values(result, name)
                    entity_hits[name] += ok
                    if not ok:
                        report["misses"].append({"text": example["t"], "entity": name, "expected": example[key],
                                                 "got": sorted(entity_values(result, name))})
            if result["intent"]["name"] != example["i"]:
                report["misses"].append({"text": example["t"], "intent": example["i"], "got": result["intent"]["name"]})
        all_entities = sum(entity_hits.values()), sum(entity_total.values())
        print(f"  {language:5s} intent accuracy {rate(hits, len(pairs))}  macro-F1 {macro:.3f}  "
              f"entities {rate(*all_entities)}")
        for name in ENTITY_KEYS.values():
            if entity_total[name]:
                print(f"        {name:11s} {rate(entity_hits[name], entity_total[name])}")
        report["understanding"][language] = {
            "examples": len(pairs), "intent_accuracy": hits / len(pairs), "macro_f1": macro,
            "entity_accuracy": all_entities[0] / all_entities[1] if all_entities[1] else None,
        }

    labelled = [(e["text"], e["lang"]) for e in language_examples()]
    labelled += [(e["t"], e["l"]) for e in examples if e.get("l")]
    languages = asyncio.run(parse_all(agent, [text for text, _ in labelled]))
    print(f"== Language detection ({len(labelled)} labelled messages: tests/nlu/language.yml + understanding.yml)")
    for language in ("id", "en"):
        pairs = [(text, detected_language(p)) for (text, gold), p in zip(labelled, languages) if gold == language]
        hits = sum(found == language for _, found in pairs)
        print(f"  {language:5s} accuracy {rate(hits, len(pairs))}")
        report["language"][language] = hits / len(pairs)
        report["misses"] += [{"text": text, "language": language, "got": found} for text, found in pairs if found != language]

    overlaps = largest_overlaps([e["t"] for e in examples] + [t for t, _ in labelled], [t for _, t in training_examples()])
    print("== Largest word overlap of a held-out example with a training example (Jaccard)")
    for overlap in overlaps[:3]:
        print(f"  {overlap.score:.2f}  {overlap.heldout!r}  ~  {overlap.training!r}")
    report["largest_overlap"] = overlaps[0].score if overlaps else 0.0
    if args.verbose:
        print("== Misses")
        for miss in report["misses"]:
            print("  ", json.dumps(miss, ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
