#!/usr/bin/env bash
# The tests of the production configuration use this machine's PostgreSQL for real. Say so plainly
# when it is missing, instead of failing later with a stack trace.
source "$(dirname "$0")/lib.sh"
if ! "$PY" - <<'PY'
import sys
import sqlalchemy
try:
    sqlalchemy.create_engine("postgresql://postgres@127.0.0.1:5432/test").connect().close()
except Exception as error:  # noqa: BLE001
    print(f"  ({type(error).__name__})", file=sys.stderr)
    sys.exit(1)
PY
then
  die "The tests need PostgreSQL on 127.0.0.1:5432 with a database 'test' that user 'postgres' can use without a password (trust auth). Start it, e.g.: pg_ctlcluster --skip-systemctl-redirect \$(ls /etc/postgresql) main start"
fi
