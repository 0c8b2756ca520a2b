"""Load the validated knowledge content into the database, idempotently, in one transaction.

python -m tanya.knowledge.loader [--content-dir data/knowledge] [--database-url URL]

Invalid content is refused before the database is touched, with every problem named (file, entry,
field). The database is then migrated to the newest schema (tanya.migrations), so a fresh database
works too. The replacement runs in one transaction, so readers see either the old or the new
knowledge; the content's version (a hash) is stored with it, so running processes reload only when
it changed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Dict, Optional

from sqlalchemy import delete, insert

from tanya import migrations
from tanya.db import database_url, get_engine, session_scope
from tanya.knowledge import models as m
from tanya.knowledge.schema import Content, ContentError, read_content
from tanya.settings import PROJECT_ROOT

DEFAULT_CONTENT_DIR = PROJECT_ROOT / "data" / "knowledge"
VERSION_NAME = "content"


def content_version(content: Content) -> str:
    return hashlib.sha256(content.json(sort_keys=True).encode("utf-8")).hexdigest()


def rows_of(content: Content) -> Dict[str, list]:
    """Table rows per section, in content order."""
    rows: Dict[str, list] = {}
    for section in m.SECTIONS:
        value = getattr(content, section)
        entries = value if isinstance(value, list) else [value]
        rows[section] = [
            {
                "key": getattr(entry, "key", section),
                "position": position,
                "segment_key": getattr(entry, "segment", None),
                "data": json.loads(entry.json()),
            }
            for position, entry in enumerate(entries, start=1)
        ]
    return rows


def load_knowledge(content_dir: Path = DEFAULT_CONTENT_DIR, url: Optional[str] = None) -> Dict[str, int]:
    """Validate, then replace the whole knowledge base with the content. Returns row counts per table."""
    content = read_content(Path(content_dir))
    migrations.upgrade(url)
    rows = rows_of(content)
    with session_scope(url) as session:
        for section, table in m.TABLES.items():
            session.execute(delete(table))
            if rows[section]:
                session.execute(insert(table), rows[section])
        session.execute(delete(m.meta).where(m.meta.c.name == VERSION_NAME))
        session.execute(
            insert(m.meta).values(name=VERSION_NAME, version=content_version(content), loaded_at=datetime.now(timezone.utc))
        )
    return {table.name: len(rows[section]) for section, table in m.TABLES.items()}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Validate and load the knowledge base.")
    parser.add_argument("--content-dir", type=Path, default=DEFAULT_CONTENT_DIR)
    parser.add_argument("--database-url", default=None, help="SQLAlchemy URL (default: DATABASE_URL or .data/tanya.db)")
    args = parser.parse_args(argv)
    url = args.database_url or database_url()
    try:
        counts = load_knowledge(args.content_dir, url)
    except ContentError as error:
        print(str(error), file=sys.stderr)
        return 1
    summary = ", ".join(f"{table[3:]}={count}" for table, count in counts.items())
    print(f"Knowledge loaded into {get_engine(url).url.render_as_string(hide_password=True)}: {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
