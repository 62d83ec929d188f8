#!/usr/bin/env bash
# A small take on the official postgres image's entrypoint, enough for the course:
#   POSTGRES_PASSWORD          required, unless POSTGRES_HOST_AUTH_METHOD=trust
#   POSTGRES_USER              superuser to create (default: postgres)
#   POSTGRES_DB                database to create (default: $POSTGRES_USER)
#   POSTGRES_HOST_AUTH_METHOD  pg_hba method for remote hosts (default: scram-sha-256)
#   POSTGRES_INITDB_ARGS       extra initdb arguments
# An empty $PGDATA is initialised once (initdb, a socket-only server to create the
# database and run /docker-entrypoint-initdb.d/*.sql|*.sh, stop); a $PGDATA that holds
# a cluster is reused as is. The server runs as postgres and logs to stderr.
set -Eeo pipefail

log() { echo "$(date -u '+%Y-%m-%d %H:%M:%S.000 UTC') [entrypoint] $*" >&2; }

# `docker run postgres:15 -c shared_buffers=256MB` means "postgres with these options"
if [ "${1:0:1}" = '-' ]; then
    set -- postgres "$@"
fi

if [ "$1" != 'postgres' ]; then
    exec "$@"   # psql, bash, pg_dump ...: run as asked
fi

if [ "$(id -u)" = '0' ]; then
    # Fix ownership of a fresh volume, then run this script again as postgres
    mkdir -p "$PGDATA"
    chown postgres:postgres "$PGDATA"
    chmod 700 "$PGDATA"
    mkdir -p /var/run/postgresql
    chown postgres:postgres /var/run/postgresql
    chmod 3777 /var/run/postgresql
    exec setpriv --reuid=postgres --regid=postgres --init-groups "$BASH_SOURCE" "$@"
fi

if [ ! -s "$PGDATA/PG_VERSION" ]; then
    auth="${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}"
    if [ -z "${POSTGRES_PASSWORD:-}" ] && [ "$auth" != 'trust' ]; then
        cat >&2 <<'TXT'
Error: Database is uninitialized and superuser password is not specified.
       You must specify POSTGRES_PASSWORD to a non-empty value for the
       superuser. For example, "-e POSTGRES_PASSWORD=password" on "docker run".

       You may also use "POSTGRES_HOST_AUTH_METHOD=trust" to allow all
       connections without a password. This is *not* recommended.
TXT
        exit 1
    fi
    user="${POSTGRES_USER:-postgres}"
    db="${POSTGRES_DB:-$user}"
    log "initialising $PGDATA for user $user, database $db"
    # shellcheck disable=SC2086 # POSTGRES_INITDB_ARGS is a list of words on purpose
    initdb --username="$user" --pwfile=<(printf '%s\n' "${POSTGRES_PASSWORD:-}") \
        --auth-local=trust --auth-host="$auth" ${POSTGRES_INITDB_ARGS:-} >&2
    # listen on every address; password auth (or trust, if asked) from other hosts
    echo "listen_addresses = '*'" >> "$PGDATA/postgresql.conf"
    printf '\nhost all all all %s\n' "$auth" >> "$PGDATA/pg_hba.conf"

    pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -p 5432" -w start >&2
    if [ "$db" != 'postgres' ]; then
        psql -v ON_ERROR_STOP=1 --username "$user" --no-password --dbname postgres \
            -c "CREATE DATABASE \"$db\";" >&2
    fi
    for f in /docker-entrypoint-initdb.d/*; do
        case "$f" in
            *.sh)  log "running $f"; . "$f" ;;
            *.sql) log "running $f"; psql -v ON_ERROR_STOP=1 --username "$user" --no-password --dbname "$db" -f "$f" >&2 ;;
            *)     if [ -e "$f" ]; then log "ignoring $f"; fi ;;
        esac
    done
    pg_ctl -D "$PGDATA" -m fast -w stop >&2
    # worded, and on stdout, as the official entrypoint does
    printf '\nPostgreSQL init process complete; ready for start up.\n\n'
else
    printf '\nPostgreSQL Database directory appears to contain a database; Skipping initialization\n\n'
fi

exec "$@"
