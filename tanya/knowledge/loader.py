"""Load the validated knowledge content into the database, idempotently, in one transaction.

python -m tanya.knowledge.loader [--content-dir data/knowledge] [--database-url URL]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Dict, Optional

from tanya.db import PROJECT_ROOT, database_url, get_engine, session_scope
from tanya.knowledge import models as m
from tanya.knowledge.content import ContentError, read_content

DEFAULT_CONTENT_DIR = PROJECT_ROOT / "data" / "knowledge"


def load_knowledge(content_dir: Path = DEFAULT_CONTENT_DIR, url: Optional[str] = None) -> Dict[str, int]:
    """Validate, then replace the whole knowledge base with the content. Returns row counts per table.

    Invalid content raises ContentError before the database is touched. The replacement runs in one
    transaction, so readers see either the old or the new knowledge, and running it twice changes nothing.
    """
    content = read_content(Path(content_dir))
    m.Base.metadata.create_all(get_engine(url))
    with session_scope(url) as session:
        for model in reversed(m.LOAD_ORDER):
            session.query(model).delete(synchronize_session=False)
        session.flush()
        for model in m.LOAD_ORDER:
            for row in content.rows.get(model, []):
                session.add(model(**row))
            session.flush()  # parents exist before children are inserted
    return content.count()


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
