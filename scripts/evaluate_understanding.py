"""How well the assistant understands labelled real-user messages, message by message, without a server.

    .venv/bin/python scripts/evaluate_understanding.py [--model models/current.tar.gz] FILE [FILE ...] [-v]

Each file holds labelled messages (format: tests/nlu/labelled/FORMAT.md): what the person does (act), what
they ask (asks, in order) and who it is about (people, with their segment). The trained model's NLU reads
each message (DIET and the knowledge components, as in the running assistant), the dialogue planner
(tanya.answers.dialogue) decides what to answer with an empty conversation, and the script compares:
- act: the intent is one that does what the person wants;
- asks: every topic asked is answered (a topic answered for the wrong person counts as missed);
- segments: every person's segment is the one answered (an unknown segment must not be guessed).
It prints the rates per file, language and trait, and with -v every miss.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional, Set

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tanya.answers.dialogue import Context, Turn, plan_turn  # noqa: E402
from tanya.understanding import topics as T  # noqa: E402
from tanya.understanding.resolver import QUESTION_INTENTS  # noqa: E402

ACT_INTENTS = {
    "question": QUESTION_INTENTS,
    "register_now": {"request_registration"},
    "handoff": {"request_human"},
    "contact": QUESTION_INTENTS | {"request_human"},
    "status_check": {"check_status"},
    "off_page": {"ask_outside_topic"},
    "out_of_scope": {"out_of_scope"},
    "greet": {"greet"},
    "thanks": {"thank"},
    "goodbye": {"goodbye"},
    "bot_challenge": {"bot_challenge"},
    "affirm": {"affirm"},
    "deny": {"deny"},
    "cancel": {"cancel_registration"},
    "switch_language": {"switch_language"},
}
# The topics that answer each labelled ask (any one of them).
ASK_TOPICS = {
    "how_to_register": {T.HOW_TO_REGISTER, T.PERISAI_REQUIREMENTS, T.WORKERS_DATA},
    "documents": {T.DOCUMENTS, T.REQUIREMENTS, T.HOW_TO_REGISTER, T.PERISAI_REQUIREMENTS, T.PERISAI_OFFICE},
    "pmi_stage_documents": {T.DOCUMENTS, T.REQUIREMENTS, T.HOW_TO_REGISTER},
    "temporary_licence": {T.DOCUMENTS, T.REQUIREMENTS, T.HOW_TO_REGISTER},
    "channels": {T.CHANNELS, T.HOW_TO_REGISTER, T.JAKON_BRANCHES, T.PERISAI_REQUIREMENTS},
    "online": {T.CHANNELS, T.HOW_TO_REGISTER},
    "eligibility": {T.ELIGIBILITY, T.AGE, T.REQUIREMENTS, T.HOW_TO_REGISTER, T.SEGMENT_FIT, T.PERISAI_REQUIREMENTS,
                    T.PREREQUISITE, T.FOREIGN_WORKER},
    "age": {T.AGE, T.ELIGIBILITY, T.REQUIREMENTS},
    "which_segment": {T.SEGMENT_FIT, T.DEFINITION, T.HOW_TO_REGISTER, T.SEGMENTS},
    "foreign_worker": {T.FOREIGN_WORKER, T.WORKERS_DATA},
    "workers_data": {T.WORKERS_DATA, T.HOW_TO_REGISTER},
    "company_first": {T.PREREQUISITE, T.HOW_TO_REGISTER, T.CHANNELS},
    "jakarta_branches": {T.JAKON_BRANCHES},
    "perisai_agent": {T.PERISAI_REQUIREMENTS},
    "perisai_office": {T.PERISAI_OFFICE},
    "segments_overview": {T.SEGMENTS},
    "definition": {T.DEFINITION, T.SEGMENTS, T.PERISAI_REQUIREMENTS, T.PERISAI_OFFICE},
}
SEGMENT_OF_LABEL = {"pu": "pu", "pu_employer": "pu", "bpu": "bpu", "jakon": "jakon", "pmi": "pmi", "perisai": "perisai"}


def load(paths: List[Path]) -> List[Dict[str, Any]]:
    items = []
    for path in paths:
        for item in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("examples") or []:
            items.append({**item, "_file": path.stem})
    return items


def turn_of(parsed: Dict[str, Any]) -> Turn:
    entities: Dict[str, List[Any]] = {}
    for entity in parsed.get("entities") or []:
        values = entities.setdefault(entity["entity"], [])
        if entity["value"] not in values:
            values.append(entity["value"])
    return Turn((parsed.get("intent") or {}).get("name") or "", entities, len((parsed.get("text") or "").split()))


def answered(turn: Turn) -> "tuple[Set[str], List[Optional[str]], str]":
    """(topics answered, segments answered, the plan's action) for a fresh conversation."""
    plan = plan_turn(turn, Context(), "unknown")
    questions = plan.questions or ([plan.question] if plan.question else [])
    if plan.action == "ask_employment":
        return set(), [], plan.action
    return {q.topic for q in questions}, [q.segment for q in questions], plan.action


def check(item: Dict[str, Any], parsed: Dict[str, Any]) -> Dict[str, Any]:
    turn = turn_of(parsed)
    act = item.get("act") or "question"
    topics, segments, action = answered(turn)
    result = {"act_ok": turn.intent in ACT_INTENTS.get(act, set()), "intent": turn.intent, "topics": sorted(topics),
              "segments": segments, "action": action}
    asks = [ask for ask in item.get("asks") or [] if ask in ASK_TOPICS]
    unknown = all(p.get("segment") == "unknown" for p in item.get("people") or [{"segment": "unknown"}])
    if action == "ask_employment" and asks == ["which_segment"] and unknown and turn.intent in QUESTION_INTENTS:
        result["asks_ok"] = True  # "which category am I?" with nothing said about the work: asking is right
    elif act in ("question", "contact") and turn.intent in QUESTION_INTENTS | {"request_human"}:
        if act == "contact":
            result["asks_ok"] = T.CONTACTS in topics or turn.intent in ("request_human", "ask_contacts")
        else:
            result["asks_ok"] = all(ASK_TOPICS[ask] & topics for ask in asks)
        wanted = {SEGMENT_OF_LABEL.get(p.get("segment")) for p in item.get("people") or []} - {None}
        if wanted:
            result["segments_ok"] = wanted <= set(segments)
        elif any(p.get("segment") == "unknown" for p in item.get("people") or []):
            result["segments_ok"] = not any(segments) or bool(topics & {T.SEGMENTS, T.CONTACTS})
    elif act in ("question", "contact"):
        result["asks_ok"] = False
    result["ok"] = result["act_ok"] and result.get("asks_ok", True) and result.get("segments_ok", True)
    return result


async def parse_all(model: Path, texts: List[str]) -> List[Dict[str, Any]]:
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    return [await agent.parse_message(text) for text in texts]


def rate(rows: List[Dict[str, Any]], key: str) -> str:
    judged = [row for row in rows if key in row]
    if not judged:
        return "    -"
    return f"{100 * sum(row[key] for row in judged) / len(judged):5.1f}% of {len(judged)}"


def table(title: str, groups: Dict[str, List[Dict[str, Any]]]) -> None:
    print(f"\n{title:<28} {'all':>14} {'act':>14} {'asks':>14} {'segments':>14}")
    for name, rows in sorted(groups.items()):
        print(f"{name:<28} {rate(rows, 'ok'):>14} {rate(rows, 'act_ok'):>14} {rate(rows, 'asks_ok'):>14} {rate(rows, 'segments_ok'):>14}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "current.tar.gz")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    items = load(args.files)
    parsed = asyncio.run(parse_all(args.model, [item["text"] for item in items]))
    rows = []
    for item, parse in zip(items, parsed):
        row = {**check(item, parse), "item": item}
        rows.append(row)
    groups = collections.defaultdict(list)
    for row in rows:
        groups[row["item"]["_file"]].append(row)
    table("file", groups)
    by_lang = collections.defaultdict(list)
    for row in rows:
        by_lang[row["item"].get("lang", "?")].append(row)
    table("language", by_lang)
    by_trait = collections.defaultdict(list)
    for row in rows:
        for trait in row["item"].get("traits") or []:
            by_trait[trait].append(row)
    table("trait", by_trait)
    by_act = collections.defaultdict(list)
    for row in rows:
        by_act[row["item"].get("act", "question")].append(row)
    table("act", by_act)
    if args.verbose:
        print("\nMisses:")
        for row in rows:
            if not row["ok"]:
                item = row["item"]
                wanted = [p.get("segment") for p in item.get("people") or []]
                print(f"- [{item['_file']}] {item['text'][:160]!r}\n    want act={item.get('act')} asks={item.get('asks')} "
                      f"people={wanted}\n    got intent={row['intent']} action={row['action']} topics={row['topics']} "
                      f"segments={row['segments']}")
    total = len(rows)
    print(f"\nunderstood {sum(r['ok'] for r in rows)}/{total} ({100 * sum(r['ok'] for r in rows) / max(total, 1):.1f}%)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
