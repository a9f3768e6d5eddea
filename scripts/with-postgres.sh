#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL 15 cluster: created in a temporary directory on
# a free port, removed afterwards whatever happens. DATABASE_URL points the command at it.
set -euo pipefail
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
if [[ ! -x $PGBIN/initdb ]]; then
  echo "with-postgres: $PGBIN/initdb not found; install postgresql-15 (make system-deps)." >&2
  exit 1
fi
dir=$(mktemp -d /tmp/alliance-pg.XXXXXX)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_owner=()
if [[ $(id -u) == 0 ]]; then
  # initdb refuses to run as root: the cluster belongs to the postgres user.
  chown postgres "$dir"
  as_owner=(runuser -u postgres --)
fi
cleanup() {
  "${as_owner[@]}" "$PGBIN/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT
"${as_owner[@]}" "$PGBIN/initdb" -D "$dir/data" -U alliance --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
  || { cat "$dir/initdb.log" >&2; exit 1; }
"${as_owner[@]}" "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o \
  "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100" \
  start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
"${as_owner[@]}" "$PGBIN/createdb" -h 127.0.0.1 -p "$port" -U alliance alliance
export DATABASE_URL="postgres://alliance@127.0.0.1:$port/alliance"
echo "with-postgres: PostgreSQL 15 on 127.0.0.1:$port" >&2
"$@"
