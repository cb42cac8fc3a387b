#!/usr/bin/env bash
# Start, stop or query a PostgreSQL server on 127.0.0.1:5432 for tests, with a database and user 'spindle'.
#
#   scripts/postgres.sh start    install Debian's postgresql if missing, start the cluster, create role + database
#   scripts/postgres.sh stop     stop the cluster this script started
#   scripts/postgres.sh status   exit 0 when the server answers and the test password is made, 1 otherwise
#
# No systemd (pg_ctlcluster runs pg_ctl directly); idempotent. The server listens on loopback only. The role's
# password is random, made at the first start after boot and kept in /run/spindle-postgres/password (mode 600),
# where the tests read it; no password is known in advance.
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
    if answers && [ -s "$run_dir/password" ]; then say "already running"; exit 0; fi
    if [ "$(id -u)" -ne 0 ]; then say "needs root to install and start PostgreSQL"; exit 1; fi
    if ! command -v pg_ctlcluster >/dev/null 2>&1 || [ -z "$(cluster)" ]; then
        say "installing postgresql"
        export DEBIAN_FRONTEND=noninteractive
        apt-get install -y --no-install-recommends postgresql >/dev/null 2>&1 \
            || { apt-get update >/dev/null && apt-get install -y --no-install-recommends postgresql >/dev/null; }
    fi
    read -r version name <<<"$(cluster)"
    [ -n "${version:-}" ] || { say "no PostgreSQL cluster after installing postgresql"; exit 1; }
    if ! answers; then
        pg_ctlcluster "$version" "$name" start
        for _ in $(seq 1 60); do answers && break; sleep 0.5; done
        answers || { say "the server did not answer"; exit 1; }
        mkdir -p "$run_dir" && echo "$version $name" >"$run_dir/started"
    fi
    mkdir -p "$run_dir"
    if [ ! -s "$run_dir/password" ]; then
        (umask 077; head -c 18 /dev/urandom | base64 | tr -d '+/=\n' >"$run_dir/password")
    fi
    chmod 600 "$run_dir/password"
    su postgres -c "psql -q -v ON_ERROR_STOP=1" <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'spindle') THEN CREATE ROLE spindle LOGIN; END IF;
END $$;
SQL
    # through a pipe (printf is a shell builtin): the password is never on a command line
    printf "ALTER ROLE spindle PASSWORD '%s';\n" "$(cat "$run_dir/password")" | su postgres -c "psql -q -v ON_ERROR_STOP=1" >/dev/null
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
    # ready for the tests: the server answers and the role's password was made (start makes both)
    answers && [ -s "$run_dir/password" ]
    ;;
*)
    sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
