"""python -m tanya.migrations upgrade [REVISION] | downgrade REVISION | current  [--database-url URL]

The default database is the configured one (DATABASE_URL, else .data/tanya.db). `downgrade base`
drops every table of the assistant's own (registrations included): it is never a default.
"""

from __future__ import annotations

import argparse
import logging
import sys

from sqlalchemy.exc import SQLAlchemyError

from tanya import migrations


def _shown(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tanya.migrations", description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None, help="SQLAlchemy URL (default: DATABASE_URL or .data/tanya.db)")
    commands = parser.add_subparsers(dest="command", required=True)
    up = commands.add_parser("upgrade", help="migrate to REVISION (default: the newest)")
    up.add_argument("revision", nargs="?", default="head")
    down = commands.add_parser("downgrade", help="undo migrations down to REVISION ('base': drop every table)")
    down.add_argument("revision")
    commands.add_parser("current", help="the revision the database is at")
    args = parser.parse_args(argv)

    from tanya.db import database_url

    url = args.database_url or database_url()
    # Alembic names each migration it runs ("Running upgrade  -> 0001, ..."), among other INFO chatter.
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    runner = logging.getLogger("alembic.runtime.migration")
    runner.setLevel(logging.INFO)
    runner.addFilter(lambda record: record.levelno > logging.INFO or record.getMessage().startswith("Running"))
    try:
        if args.command == "upgrade":
            migrations.upgrade(url, args.revision)
        elif args.command == "downgrade":
            migrations.downgrade(url, args.revision)
        at = migrations.current(url)
    except SQLAlchemyError as error:
        print(f"Cannot migrate {_shown(url)}: {type(error).__name__}: {str(error).splitlines()[0]}", file=sys.stderr)
        return 1
    newest = migrations.head()
    state = "up to date" if at == (newest,) else f"the newest is {newest}: run `python -m tanya.migrations upgrade`"
    print(f"{_shown(url)} is at {', '.join(at) or 'no revision (empty)'} ({state})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
