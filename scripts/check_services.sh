#!/usr/bin/env bash
# The tests of the production configuration use this machine's services for real: PostgreSQL,
# Redis and RabbitMQ. Say plainly which one is missing, instead of failing later with a stack trace.
source "$(dirname "$0")/lib.sh"
"$PY" - <<'PY' || die "The tests need the services named above. Start them (e.g. pg_ctlcluster --skip-systemctl-redirect \$(ls /etc/postgresql) main start; service redis-server start; service rabbitmq-server start) and run the test command again."
import socket
import sys

import sqlalchemy

missing = []
try:
    sqlalchemy.create_engine("postgresql://postgres@127.0.0.1:5432/test").connect().close()
except Exception as error:  # noqa: BLE001 - any failure means the same to the developer
    missing.append(f"PostgreSQL on 127.0.0.1:5432 with a database 'test' that user 'postgres' can use without a password ({type(error).__name__})")
for name, port in (("Redis", 6379), ("RabbitMQ", 5672)):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=3).close()
    except OSError as error:
        missing.append(f"{name} on 127.0.0.1:{port} ({error.__class__.__name__})")
for item in missing:
    print(f"  missing: {item}", file=sys.stderr)
sys.exit(1 if missing else 0)
PY
