#!/bin/sh
# postgres stand-in. The password comes from POSTGRES_PASSWORD_FILE (a readable, non-empty file) or
# POSTGRES_PASSWORD; it is never printed. After STANDIN_READY_DELAY seconds (default 4) a TCP
# listener accepts on PGPORT (5432). PGDATA gets a PG_VERSION file on first start.
STANDIN_NAME="aidb-postgres stand-in"
. /usr/lib/standin/lib.sh

if [ "${1:-postgres}" != postgres ]; then exec "$@"; fi
standin_traps

if [ -n "${POSTGRES_PASSWORD_FILE:-}" ]; then
  if [ ! -r "$POSTGRES_PASSWORD_FILE" ] || [ ! -s "$POSTGRES_PASSWORD_FILE" ]; then
    echo "aidb-postgres: POSTGRES_PASSWORD_FILE=$POSTGRES_PASSWORD_FILE is not a readable, non-empty file; refusing to start" >&2
    exit 1
  fi
elif [ -z "${POSTGRES_PASSWORD:-}" ]; then
  echo "Error: Database is uninitialized and superuser password is not specified." >&2
  echo "aidb-postgres: set POSTGRES_PASSWORD_FILE to a readable, non-empty file (or POSTGRES_PASSWORD); refusing to start" >&2
  exit 1
fi

PGDATA=${PGDATA:-/var/lib/postgresql/data}
PORT=${PGPORT:-5432}
DELAY=${STANDIN_READY_DELAY:-4}
mkdir -p "$PGDATA"
if [ -s "$PGDATA/PG_VERSION" ]; then
  standin_log "PostgreSQL Database directory appears to contain a database; Skipping initialization"
else
  echo 15 >"$PGDATA/PG_VERSION"
  echo "user=${POSTGRES_USER:-postgres} db=${POSTGRES_DB:-${POSTGRES_USER:-postgres}}" >"$PGDATA/standin.conf"
  standin_log "initialized database in $PGDATA"
fi
standin_log "starting; accepting connections in ${DELAY}s"
[ "$DELAY" = 0 ] || standin_sleep "$DELAY"
standin_serve "$PORT" /usr/share/postgres-standin/www "aidb-postgres stand-in"
standin_log "database system is ready to accept connections"
standin_wait
