#!/usr/bin/env bash
# What the production cluster needs beyond `make setup`, idempotently:
#   nginx (the balancer, from Debian's packages), the PostgreSQL database, and the knowledge base in it.
# Redis and RabbitMQ are expected to run already (they do on this machine; docs/production.md).
#   scripts/setup_cluster.sh              balancer + database + knowledge
#   scripts/setup_cluster.sh --balancer   only the balancer (what the cluster tests need)
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    die "installing nginx needs root: run 'apt-get install nginx' as root, then again"; fi
}

ensure_balancer() {
  if command -v nginx >/dev/null || [ -x /usr/sbin/nginx ]; then return; fi
  say "Installing nginx from Debian's packages (the balancer)"
  # Debian's package would start its own default site on port 80: the cluster runs its own nginx.
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nginx >/dev/null \
    || { as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nginx >/dev/null; } \
    || die "could not install nginx"
}

ensure_database() {
  local url="$1"
  "$PY" - "$url" <<'PY'
import sys
import sqlalchemy as sa
from sqlalchemy.engine import make_url
url = make_url(sys.argv[1])
if url.get_backend_name() != "postgresql":
    sys.exit(0)
admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
try:
    with admin.connect() as connection:
        exists = connection.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": url.database}).scalar()
        if not exists:
            print(f"==> Creating the PostgreSQL database {url.database}")
            connection.execute(sa.text(f'CREATE DATABASE "{url.database}"'))  # a name from our own settings
except sa.exc.OperationalError as error:
    sys.exit(f"PostgreSQL is not reachable at {url.host}:{url.port or 5432} ({type(error).__name__}): "
             "start it, e.g. pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start")
PY
}

ensure_balancer
[ "${1:-}" = "--balancer" ] && exit 0

: "${DATABASE_URL:=postgresql://postgres@127.0.0.1:5432/tanya}"
ensure_database "$DATABASE_URL"
[ -n "${TRACKER_DATABASE_URL:-}" ] && ensure_database "$TRACKER_DATABASE_URL"
say "Loading the knowledge base into PostgreSQL"
"$PY" -m tanya.knowledge.loader --database-url "$DATABASE_URL" >/dev/null
