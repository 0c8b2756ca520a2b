"""The report as plain-text tables for a terminal; headings from data/messages/dashboard.yml."""

from __future__ import annotations

from typing import Dict, List, Sequence

from tanya import messages

LANGUAGES = ("id", "en")
PREFIX = "dashboard_"


class _Labels(dict):
    """label name -> text in one language (`dashboard_<name>` in the catalogue; `field_<slot>` as is)."""

    def __init__(self, language: str) -> None:
        super().__init__()
        self.language = language

    def __missing__(self, name: str) -> str:
        key = name if name.startswith("field_") else PREFIX + name
        return messages.text(key, self.language) if key in messages.load_catalogue() else name


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
    counts = ("sessions", "contained", "handoffs", "abandoned", "user_turns", "fallback_turns", "agent_messages")
    rows = [[t[key], report[key]] for key in counts]
    rows += [[t[key], percent(report[key])] for key in ("containment_rate", "handoff_rate", "abandonment_rate", "fallback_rate")]
    rows.append([t["csat"], f"{percent(report['csat'])} ({report['up']}/{report['rated']})"])
    rows.append([t["response_rate"], f"{percent(report['rating_response_rate'])} ({report['rated']}/{report['answers']})"])
    return table(["", ""], rows)


def _by_day(report: Dict, t: Dict[str, str]) -> str:
    counts = ("sessions", "contained", "handoffs", "abandoned", "fallback_turns", "user_turns")
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
    rows = [[t["started"], funnel["started"]]] + [[t["field_" + step["field"]], step["sessions"]] for step in funnel["fields"]]
    rows += [[t[key], funnel[key]] for key in ("summary_shown", "confirmed", "submitted")]
    text = table(["", t["count"]], rows)
    drops = [[_step(drop["step"], t), drop["sessions"]] for drop in funnel["drop_off"]]
    if drops:
        text += "\n\n" + table([t["drop_off"], t["count"]], drops)
    outcomes = [[t["outcome_" + outcome], count] for outcome, count in funnel["outcomes"].items()]
    if outcomes:
        text += "\n\n" + table([t["outcomes"], t["count"]], outcomes)
    return text


def _step(step: str, t: Dict[str, str]) -> str:
    return t["field_" + step] if step.startswith("reg_") else t["step_" + step]


def _unanswered(report: Dict, t: Dict[str, str]) -> str:
    rows = [[item["count"], item["example"]] for item in report["top_unanswered"]]
    return table([t["count"], t["question"]], rows) if rows else t["none"]


def render(report: Dict, language: str = "id") -> str:
    """The readable version of `report` (tanya.analytics.report.build_report)."""
    t = _Labels(language)
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
