"""Back-office export of pre-registrations to CSV (decrypts with TANYA_SECRET_KEY).

python -m tanya.registration.export --out branch.csv [--segment bpu] [--city Bandung] [--database-url URL]
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

from tanya.db import database_url, get_engine, session_scope
from tanya.registration import crypto, store


def write_csv(rows, out: Path) -> None:
    columns = []
    for row in rows:
        columns += [key for key in row if key not in columns]
    with open(out, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns or ["reference"])
        writer.writeheader()
        writer.writerows(rows)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--segment")
    parser.add_argument("--city")
    parser.add_argument("--database-url")
    args = parser.parse_args(argv)
    url = args.database_url or database_url()
    try:
        crypto.load_keys()
    except crypto.MissingKeyError as error:
        print(f"Error: {error}", file=sys.stderr)
        return 1
    store.create_tables(get_engine(url))
    with session_scope(url) as session:
        rows = store.export_rows(session, segment=args.segment, city=args.city)
    write_csv(rows, args.out)
    print(f"Exported {len(rows)} pre-registration(s) to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
