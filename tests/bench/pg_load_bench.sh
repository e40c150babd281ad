#!/bin/sh
# tests/bench/pg_load_bench.sh — PERF.md's district load on PostgreSQL (200
# concurrent kiosk/console clients: look-up p99 <= 20 ms over loopback; 50 bed
# applications/s, none lost) and the PostgreSQL import of a 1M-row file vs
# its bare COPY floor (<= 2x), on a throwaway cluster (tests/pg/cluster.sh,
# max_connections=300, fsync on).  Run by tests/bench/run.sh under make bench,
# never by make check.  Steps (tests/bench/pg_load.c): demo data for 100,000
# households; the load for PG_LOAD_SECONDS; an immediate-mode (crash) restart
# of the server; every acknowledged application checked; the import.
# Then (issue 13 item 6) the kiosk-pace load again with the look-ups on a
# streaming hot standby (pg_basebackup -R, like tests/pg/test_replica.sh) and
# the submissions on the primary, and the same through pgbouncer in session
# mode (tests/pg/test_pgbouncer.sh: one pooler database for the primary, one
# for the standby); the statements per look-up are counted in the standby's
# own log.
# Knobs: PG_LOAD_CLIENTS (200) PG_LOAD_SECONDS (20) PG_LOAD_RATE (50)
# PG_LOAD_HOUSEHOLDS (100000) PG_IMPORT_ROWS (BENCH_MAX or 1000000; 0: no
# import) PG_LOAD_ROUNDS (1: each load that many times, for medians).
# Lines: name value reference ratio target PASS|FAIL.
B=${KIOSK_BUILD:-build}
${MAKE:-make} --no-print-directory "$B/bench/pg_load" >/dev/null || exit 1
. tests/pg/cluster.sh
WORK=$(mktemp -d /tmp/kiosk-pg-load-XXXXXX) || exit 1
cleanup() {
    [ -f "$WORK/pgbouncer.pid" ] && kill "$(cat "$WORK/pgbouncer.pid")" 2>/dev/null
    [ -n "$SB" ] && pg_as "$PGBIN/pg_ctl" -D "$SB" -m immediate -w stop >/dev/null 2>&1
    pg_cluster_stop
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
if ! pg_cluster_start; then
    echo "pg load                             FAIL (no PostgreSQL cluster, see above)"
    exit 1
fi
H=${PG_LOAD_HOUSEHOLDS:-100000}
ROWS=${PG_IMPORT_ROWS:-${BENCH_MAX:-1000000}}
KEY=$WORK/site.key
fail=0
run() {   # every step bounded in time, whatever happens to the server
    timeout 900 "$B/bench/pg_load" "$@" || fail=1
}
run setup "$KEY" "$H" || { echo "pg load                             FAIL (setup)"; exit 1; }
RATE=${PG_LOAD_RATE:-50}
SECS=${PG_LOAD_SECONDS:-20}
ROUNDS=${PG_LOAD_ROUNDS:-1}
CLIENTS=${PG_LOAD_CLIENTS:-200}
: >"$WORK/refs"
nload=0
load() {   # load LABEL THINK: one load; each files for its own elders (none twice)
    OFFSET=$(awk -v r="$RATE" -v s="$SECS" -v k="$nload" 'BEGIN { printf "%d", k * (r * s + 100) }')
    nload=$((nload + 1))
    PG_LOAD_LABEL="$1" PG_LOAD_THINK_MS=$2 PG_LOAD_ELDER_OFFSET=$OFFSET \
        run load "$KEY" "$H" "$CLIENTS" "$SECS" "$RATE" "$WORK/refs.$nload"
    cat "$WORK/refs.$nload" >>"$WORK/refs" 2>/dev/null
}
# a streaming hot standby of the loaded primary (not logging every
# statement: the count turns it on for its own session); $SB, $SB_URL
SB=
standby_start() {
    SB="$WORK/standby"
    mkdir -p "$SB" && chmod 700 "$SB"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$SB" "$WORK"
    pg_as "$PGBIN/pg_basebackup" -h 127.0.0.1 -p "$PG_PORT" -U postgres -D "$SB" -R -X stream \
        -c fast >"$WORK/basebackup.log" 2>&1 || { cat "$WORK/basebackup.log"; return 1; }
    SB_PORT=$(pg_free_port $((PG_PORT + 1)))
    pg_as "$PGBIN/pg_ctl" -D "$SB" -l "$SB/server.log" -w -t 120 \
        -o "-c listen_addresses=127.0.0.1 -p $SB_PORT -c unix_socket_directories=$PG_TMP/sock -c hot_standby=on -c max_connections=300" \
        start >/dev/null 2>&1 || { tail -5 "$SB/server.log"; return 1; }
    SB_URL=$(echo "$KIOSK_TEST_PG" | sed "s|:$PG_PORT/|:$SB_PORT/|")
    "$PGBIN/psql" -X -q -A -t -d "$SB_URL" -c "SELECT pg_is_in_recovery()" | grep -q t
}
# pgbouncer in session mode: database kiosk = the primary, kiosk_ro = the standby
bouncer_start() {
    PGB=$(command -v pgbouncer || echo /usr/sbin/pgbouncer)
    [ -x "$PGB" ] || { echo "pgbouncer is not installed (sh install/deps.sh check)"; return 1; }
    BP=$(pg_free_port $((PG_PORT + 7)))
    {
        echo "[databases]"
        echo "kiosk = host=127.0.0.1 port=$PG_PORT dbname=kiosk pool_size=20"
        echo "kiosk_ro = host=127.0.0.1 port=$SB_PORT dbname=kiosk pool_size=$((CLIENTS + 20))"
        echo "[pgbouncer]"
        echo "listen_addr = 127.0.0.1"
        echo "listen_port = $BP"
        echo "unix_socket_dir ="
        echo "auth_type = trust"
        echo "auth_file = $WORK/users.txt"
        echo "pool_mode = session"
        echo "max_client_conn = $((CLIENTS + 100))"
        echo "logfile = $WORK/pgbouncer.log"
        echo "pidfile = $WORK/pgbouncer.pid"
    } >"$WORK/pgbouncer.ini"
    echo '"postgres" ""' >"$WORK/users.txt"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$WORK/pgbouncer.ini" "$WORK/users.txt"
    pg_as "$PGB" -d "$WORK/pgbouncer.ini" >>"$WORK/pgbouncer.out" 2>&1
    for _ in $(seq 50); do
        "$PGBIN/psql" -X -A -t -d "postgresql://postgres@127.0.0.1:$BP/kiosk_ro" -c "SELECT 1" \
            >/dev/null 2>&1 && return 0
        sleep 0.2
    done
    tail -3 "$WORK/pgbouncer.log" "$WORK/pgbouncer.out"
    return 1
}
# Two loads of 200 clients.  "kiosk pace": each client looks someone up every 2–10 s
# (a resident's session has a look-up every few seconds at most; 200 kiosks with a
# resident each at all times would still be far below this).  "stress": every
# 100–500 ms, to show where two cores saturate.  Each load files 50 applications/s.
r=1
while [ "$r" -le "$ROUNDS" ]; do
    load "kiosk pace" 2000,10000
    load "stress" 100,500
    r=$((r + 1))
done
# The kiosk-pace load with the look-ups on the standby and the submissions on
# the primary, then the same through pgbouncer.
if standby_start; then
    r=1
    while [ "$r" -le "$ROUNDS" ]; do
        PG_LOAD_READ_URL=$SB_URL PG_LOAD_READ_PGDATA=$SB load "kiosk pace, standby reads" 2000,10000
        r=$((r + 1))
    done
    if bouncer_start; then
        r=1
        while [ "$r" -le "$ROUNDS" ]; do
            PG_LOAD_READ_URL="postgresql://postgres@127.0.0.1:$BP/kiosk_ro" \
                PG_LOAD_WRITE_URL="postgresql://postgres@127.0.0.1:$BP/kiosk" \
                PG_LOAD_READ_PGDATA=$SB load "kiosk pace, standby reads, pgbouncer" 2000,10000
            r=$((r + 1))
        done
        kill "$(cat "$WORK/pgbouncer.pid")" 2>/dev/null
        rm -f "$WORK/pgbouncer.pid"
    else
        echo "pg load (pgbouncer)                 FAIL (pgbouncer did not start, see above)"
        fail=1
    fi
    pg_as "$PGBIN/pg_ctl" -D "$SB" -m fast -w stop >/dev/null 2>&1
    SB=
else
    echo "pg load (standby)                   FAIL (the standby did not start, see above)"
    fail=1
fi
# a crash of the server (no shutdown checkpoint): acknowledged means durable
if pg_as "$PGBIN/pg_ctl" -D "$KIOSK_TEST_PGDATA" -l "$KIOSK_TEST_PGDATA/server.log" \
        -m immediate -w -t 60 restart >/dev/null 2>&1; then
    run verify "$KEY" "$WORK/refs"
else
    echo "pg load lost                        FAIL (the server did not restart)"
    fail=1
fi
[ "$ROWS" -gt 0 ] && run import "$KEY" "$ROWS"
exit $fail
