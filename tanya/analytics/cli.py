"""python -m tanya.analytics [--since DATE] [--until DATE] [--json] [--csv FILE] [--database-url URL]

Prints the deflection report for the engaged sessions whose day (local date of the first user
message) lies in [--since, --until], both included: as JSON with --json, else as readable tables
(labels in --labels id|en). --channel and --language keep the sessions of one channel or language.
--csv also writes the per-day x channel x language rows to FILE. What each number counts:
docs/analytics.md.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, datetime
from pathlib import Path
from typing import List, Optional

from sqlalchemy.exc import SQLAlchemyError

from tanya.analytics.csv_export import by_day_csv
from tanya.analytics.definitions import DEFAULT_DEFINITIONS_PATH, DefinitionsError, load_definitions
from tanya.analytics.reader import TrackerStoreError
from tanya.analytics.service import report_from_database
from tanya.analytics.text_table import LANGUAGES, render
from tanya.db import tracker_database_url


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _moment(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date and time (YYYY-MM-DDTHH:MM[:SS][+07:00]): {text!r}") from None


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m tanya.analytics", description="Call-center deflection numbers from the stored conversations.")
    p.add_argument("--since", type=_date, help="first day (YYYY-MM-DD, local time), included; default: from the start")
    p.add_argument("--until", type=_date, help="last day (YYYY-MM-DD, local time), included; default: up to now")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--csv", type=Path, metavar="FILE", help="also write the per-day x channel x language rows to FILE")
    p.add_argument("--database-url", help="tracker database (SQLAlchemy URL); default: TRACKER_DATABASE_URL / DATABASE_URL / .data/tracker.db")
    p.add_argument("--definitions", type=Path, default=DEFAULT_DEFINITIONS_PATH, help="what the numbers count (YAML)")
    p.add_argument("--as-of", type=_moment, help="report time for 'abandoned' (ISO date and time; default: now)")
    p.add_argument("--channel", help="only the sessions of this channel (rest, socketio, whatsapp, telegram, ...)")
    p.add_argument("--language", help="only the sessions in this language (id, en)")
    p.add_argument("--labels", choices=LANGUAGES, default="id", help="language of the readable tables")
    return p


def main(argv: Optional[List[str]] = None) -> int:
    args = parser().parse_args(argv)
    if args.since and args.until and args.since > args.until:
        print("--since must not be after --until", file=sys.stderr)
        return 2
    try:
        definitions = load_definitions(args.definitions)
        now = None
        if args.as_of:
            as_of = args.as_of if args.as_of.tzinfo else args.as_of.replace(tzinfo=definitions.zone)
            now = as_of.timestamp()
        url = args.database_url or tracker_database_url()
        report = report_from_database(url, definitions, args.since, args.until, now, args.channel, args.language)
    except (DefinitionsError, TrackerStoreError, OSError) as error:
        print(f"Cannot build the report: {error}", file=sys.stderr)
        return 1
    except SQLAlchemyError as error:
        # One line, without the SQL: the URL or the server is wrong, not the report.
        print(f"Cannot read the tracker database: {error.__class__.__name__}: {str(error.orig if hasattr(error, 'orig') else error).strip().splitlines()[0]}", file=sys.stderr)
        return 1
    if args.csv:
        args.csv.parent.mkdir(parents=True, exist_ok=True)
        args.csv.write_text(by_day_csv(report["by_day"]), encoding="utf-8")
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(render(report, args.labels), end="")
    return 0
