#!/bin/sh
# tests/pg/cluster.sh — a throwaway PostgreSQL 15 cluster for the contract
# suite and the PG benchmark (sourced: pg_cluster_start / pg_cluster_stop).
#
# Debian's postgresql-15 binaries, a data directory under /tmp, TCP on
# 127.0.0.1 at a free port, its own socket directory, fsync=on (we test the
# durability settings we ship).  initdb refuses to run as root, and CI runs as
# root, so as root the server runs as the `postgres` system user the package
# creates.  initdb itself runs with --no-sync: that only skips flushing the
# template files of a cluster deleted minutes later; the server fsyncs.
# On success exports KIOSK_TEST_PG (the database URL), KIOSK_TEST_PGDATA and
# PGBIN; on failure prints why and returns non-zero — callers then FAIL,
# they never skip.

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}

pg_as() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

# A TCP port nobody listens on (checked in /proc/net/tcp, then proven by
# the server starting on it; a few tries cover a race with another job).
pg_free_port() {
    p=$1
    while grep -qi ":$(printf '%04X' "$p") " /proc/net/tcp /proc/net/tcp6 2>/dev/null; do
        p=$((p + 1))
    done
    echo "$p"
}

pg_cluster_start() {
    if [ ! -x "$PGBIN/initdb" ] || [ ! -x "$PGBIN/pg_ctl" ]; then
        echo "pg: $PGBIN/initdb or pg_ctl missing (install postgresql-15: sh install/deps.sh check)" >&2
        return 1
    fi
    if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
        echo "pg: running as root but there is no 'postgres' user to run the server" >&2
        return 1
    fi
    PG_TMP=$(mktemp -d /tmp/kiosk-pg-XXXXXX) || return 1
    chmod 755 "$PG_TMP"
    mkdir -p "$PG_TMP/data" "$PG_TMP/sock"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$PG_TMP/data" "$PG_TMP/sock"
    if ! pg_as "$PGBIN/initdb" -D "$PG_TMP/data" -A trust -U postgres -E UTF8 --locale=C \
            --no-sync >"$PG_TMP/initdb.log" 2>&1; then
        echo "pg: initdb failed:" >&2
        cat "$PG_TMP/initdb.log" >&2
        return 1
    fi
    port=$(pg_free_port $((50000 + $$ % 10000)))
    tries=0
    while :; do
        if pg_as "$PGBIN/pg_ctl" -D "$PG_TMP/data" -l "$PG_TMP/data/server.log" -w -t 60 \
                -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$PG_TMP/sock -c fsync=on -c max_connections=300" \
                start >/dev/null 2>&1; then
            break
        fi
        tries=$((tries + 1))
        if [ "$tries" -ge 3 ]; then
            echo "pg: the server did not start; its log:" >&2
            cat "$PG_TMP/data/server.log" >&2
            return 1
        fi
        port=$(pg_free_port $((port + 1)))
    done
    PG_PORT=$port
    if ! "$PGBIN/psql" -X -q -h 127.0.0.1 -p "$port" -U postgres -d postgres \
            -c "CREATE DATABASE kiosk" >/dev/null; then
        echo "pg: could not create the test database" >&2
        return 1
    fi
    KIOSK_TEST_PG="postgresql://postgres@127.0.0.1:$port/kiosk"
    KIOSK_TEST_PGDATA="$PG_TMP/data"
    export KIOSK_TEST_PG KIOSK_TEST_PGDATA PGBIN
    return 0
}

pg_cluster_stop() {
    [ -n "${PG_TMP:-}" ] || return 0
    if [ -f "$PG_TMP/data/postmaster.pid" ]; then
        pg_as "$PGBIN/pg_ctl" -D "$PG_TMP/data" -m fast -w stop >/dev/null 2>&1 ||
            pg_as "$PGBIN/pg_ctl" -D "$PG_TMP/data" -m immediate -w stop >/dev/null 2>&1
    fi
    rm -rf "$PG_TMP"
    PG_TMP=
}

# pg_bench_cluster NAME: what a PostgreSQL bench script starts with — a work directory $T
# (/tmp/kiosk-NAME-…, readable by the server's user), the cluster, both removed on exit;
# prints "NAME FAIL (no PostgreSQL cluster)" and exits 1 when the cluster does not start.
pg_bench_cluster() {
    T=$(mktemp -d "/tmp/kiosk-$1-XXXXXX") || exit 1
    chmod 755 "$T"
    trap 'pg_cluster_stop; rm -rf "$T"' EXIT
    trap 'exit 1' INT TERM
    pg_cluster_start || { echo "$1 FAIL (no PostgreSQL cluster)"; exit 1; }
}
