#!/usr/bin/env bash
# Start, stop or query a PostgreSQL server on 127.0.0.1:5432 for tests, with a database and user 'spindle'.
#
#   scripts/postgres.sh start    install Debian's postgresql if missing, start the cluster, create role + database
#   scripts/postgres.sh stop     stop the cluster this script started
#   scripts/postgres.sh status   exit 0 when the server answers, 1 otherwise
#
# No systemd (pg_ctlcluster runs pg_ctl directly); idempotent. The test password is not a secret: the server
# listens on loopback only and exists for the duration of a test run.
set -euo pipefail
cmd="${1:-}"
run_dir=/run/spindle-postgres
say() { echo "postgres.sh: $*" >&2; }

answers() { command -v pg_isready >/dev/null 2>&1 && pg_isready -q -h 127.0.0.1 -p 5432; }

cluster() {   # "<version> <name>" of the first cluster
    pg_lsclusters -h 2>/dev/null | awk 'NR==1 {print $1, $2}'
}

case "$cmd" in
start)
    if answers; then say "already running"; exit 0; fi
    if [ "$(id -u)" -ne 0 ]; then say "needs root to install and start PostgreSQL"; exit 1; fi
    if ! command -v pg_ctlcluster >/dev/null 2>&1 || [ -z "$(cluster)" ]; then
        say "installing postgresql"
        export DEBIAN_FRONTEND=noninteractive
        apt-get install -y --no-install-recommends postgresql >/dev/null 2>&1 \
            || { apt-get update >/dev/null && apt-get install -y --no-install-recommends postgresql >/dev/null; }
    fi
    read -r version name <<<"$(cluster)"
    [ -n "${version:-}" ] || { say "no PostgreSQL cluster after installing postgresql"; exit 1; }
    pg_ctlcluster "$version" "$name" start
    for _ in $(seq 1 60); do answers && break; sleep 0.5; done
    answers || { say "the server did not answer"; exit 1; }
    mkdir -p "$run_dir" && echo "$version $name" >"$run_dir/started"
    su postgres -c "psql -q -v ON_ERROR_STOP=1" <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'spindle') THEN CREATE ROLE spindle LOGIN PASSWORD 'spindle'; END IF;
END $$;
SQL
    su postgres -c "psql -tAc \"SELECT 1 FROM pg_database WHERE datname='spindle'\"" | grep -q 1 \
        || su postgres -c "createdb -O spindle spindle"
    say "running (cluster $version/$name, database spindle)"
    ;;
stop)
    if [ -f "$run_dir/started" ]; then
        read -r version name <"$run_dir/started"
        pg_ctlcluster "$version" "$name" stop || true
        rm -f "$run_dir/started"
        say "stopped"
    fi
    ;;
status)
    answers
    ;;
*)
    sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
