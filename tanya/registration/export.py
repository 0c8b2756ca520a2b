"""Back-office export of pre-registrations to CSV, decrypted with TANYA_SECRET_KEY.

    python -m tanya.registration.export --out FILE.csv [--segment bpu] [--city Jakarta] [--database-url URL]

The file holds personal data in clear: keep it where the branch's personal data is kept.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

from sqlalchemy import inspect

from tanya.db import database_url, get_engine, session_scope
from tanya.registration import crypto, store
from tanya.segments import KEYS

# A spreadsheet runs a cell that starts like a formula; user-typed text must never do that.
_FORMULA_START = ("=", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Neutralise formula injection ('=HYPERLINK(...)' typed as a name); '+6281...' and '-5' stay."""
    if value is None:
        return ""
    if not isinstance(value, str) or not value:
        return value
    looks_like_formula = value.startswith(_FORMULA_START) or (
        value[0] in "+-" and len(value) > 1 and not value[1:].replace(" ", "").isdigit()
    )
    return "'" + value if looks_like_formula else value


def write_csv(rows: List[Dict[str, Any]], out: Path) -> None:
    """One column per key, in first-seen order (fixed columns first, then each form's own fields)."""
    columns: List[str] = []
    for row in rows:
        columns += [key for key in row if key not in columns]
    # Owner-only: the file holds decrypted personal data.
    descriptor = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns or ["reference"], restval="")
        writer.writeheader()
        for row in rows:
            writer.writerow({key: safe_cell(value) for key, value in row.items()})


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description="Export pre-registrations to CSV (decrypted).")
    parser.add_argument("--out", type=Path, required=True, help="CSV file to write")
    parser.add_argument("--segment", choices=sorted(KEYS), help="only this segment")
    parser.add_argument("--city", help="only this city (case-insensitive)")
    parser.add_argument("--database-url", help="default: DATABASE_URL, else the embedded SQLite file")
    args = parser.parse_args(argv)
    try:
        crypto.load_keys()
    except crypto.MissingKeyError as error:
        print(f"Error: {error}", file=sys.stderr)
        return 1
    url = args.database_url or database_url()
    rows: List[Dict[str, Any]] = []
    if inspect(get_engine(url)).has_table(store.PreRegistration.__tablename__):  # a read-only tool creates nothing
        with session_scope(url) as session:
            rows = store.export_rows(session, segment=args.segment, city=args.city)
    write_csv(rows, args.out)
    print(f"Exported {len(rows)} pre-registration(s) to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
