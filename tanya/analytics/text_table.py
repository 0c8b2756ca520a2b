"""The report as plain-text tables for a terminal; headings from data/analytics/labels.yml."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Sequence

import yaml

from tanya.settings import PROJECT_ROOT

LABELS_PATH = PROJECT_ROOT / "data" / "analytics" / "labels.yml"
LANGUAGES = ("id", "en")


@lru_cache(maxsize=4)
def load_labels(language: str, path: Path = LABELS_PATH) -> Dict[str, str]:
    catalogue = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    if language not in catalogue:
        raise ValueError(f"{path}: no labels for language {language!r}")
    return catalogue[language]


def percent(fraction: float) -> str:
    return f"{fraction * 100:.1f} %"


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """Columns padded to their widest cell; columns of numbers right-aligned."""
    cells = [[str(cell) for cell in row] for row in rows]
    widths = [max([len(header)] + [len(row[index]) for row in cells]) for index, header in enumerate(headers)]
    numeric = [
        bool(rows) and all(isinstance(row[index], (int, float)) or str(row[index]).endswith("%") for row in rows)
        for index in range(len(headers))
    ]

    def line(values: Sequence[str]) -> str:
        padded = (value.rjust(width) if numeric[i] else value.ljust(width) for i, (value, width) in enumerate(zip(values, widths)))
        return "  ".join(padded).rstrip()

    return "\n".join([line(headers), line(["-" * width for width in widths])] + [line(row) for row in cells])


def _summary(report: Dict, t: Dict[str, str]) -> str:
    csat = report["csat"]
    rows = [[t[key], report[key]] for key in ("sessions", "contained", "handoffs", "abandoned", "user_turns", "fallback_turns")]
    rows += [[t[key], percent(report[key])] for key in ("containment_rate", "handoff_rate", "fallback_rate")]
    rows.append([t["csat"], f"{percent(csat['csat'])} ({csat['up']}/{csat['rated']})"])
    rows.append([t["response_rate"], f"{percent(csat['response_rate'])} ({csat['rated']}/{csat['answers']})"])
    return table(["", ""], rows)


def _by_day(report: Dict, t: Dict[str, str]) -> str:
    counts = ("sessions", "contained", "handoffs", "fallback_turns", "user_turns")
    rates = ("containment_rate", "handoff_rate", "fallback_rate")
    headers = [t["day"], t["channel"], t["language"]] + [t[key] for key in counts + rates]
    rows = [
        [row["day"], row["channel"], row["language"]] + [row[key] for key in counts] + [percent(row[key]) for key in rates]
        for row in report["by_day"]
    ]
    return table(headers, rows) if rows else t["none"]


def _answers(report: Dict, t: Dict[str, str]) -> str:
    rows = [[r["topic"], r["segment"], r["answers"], r["up"], r["down"]] for r in report["answers_by_topic_segment"]]
    return table([t["topic"], t["segment"], t["count"], t["up"], t["down"]], rows) if rows else t["none"]


def _funnel(report: Dict, t: Dict[str, str]) -> str:
    funnel = report["funnel"]
    rows = [[t["started"], funnel["started"]]] + [[step["field"], step["sessions"]] for step in funnel["fields"]]
    rows += [[t["confirmed"], funnel["confirmed"]], [t["submitted"], funnel["submitted"]]]
    text = table(["", t["count"]], rows)
    drops = [[drop["field"] or t["no_field"], drop["sessions"]] for drop in funnel["drop_off"]]
    return text + ("\n\n" + table([t["drop_off"], t["count"]], drops) if drops else "")


def _unanswered(report: Dict, t: Dict[str, str]) -> str:
    rows = [[item["count"], item["example"]] for item in report["top_unanswered"]]
    return table([t["count"], t["question"]], rows) if rows else t["none"]


def render(report: Dict, language: str = "id") -> str:
    """The readable version of `report` (tanya.analytics.report.build_report)."""
    t = load_labels(language)
    period = report["period"]
    span = f"{period['since'] or '…'} – {period['until'] or '…'}" if period["since"] or period["until"] else t["all_time"]
    sections: List[str] = [
        f"{t['title']}\n{t['period']}: {span} ({period['timezone']})",
        f"{t['summary']}\n{_summary(report, t)}",
        f"{t['by_day']}\n{_by_day(report, t)}",
        f"{t['answers']}\n{_answers(report, t)}",
        f"{t['funnel']}\n{_funnel(report, t)}",
        f"{t['unanswered']}\n{_unanswered(report, t)}",
    ]
    return "\n\n".join(sections) + "\n"
