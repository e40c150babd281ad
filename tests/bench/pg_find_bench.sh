#!/bin/sh
# tests/bench/pg_find_bench.sh — "find anyone" and the home menu's counts on
# PostgreSQL (issue 13: each one statement, one round trip), beside the same
# binary on SQLite at the same size as the reference measured in the same run.
# build/bench/bench_find (tests/console/bench_find.c) on a kioskctl demo
# database (seed 1, N households: BENCH_DEMO_HOUSEHOLDS, else BENCH_MAX,
# else 1000000) in a throwaway cluster (tests/pg/cluster.sh, loopback TCP),
# then on the SQLite demo of the same N (tests/bench/demo_db.sh, a copy).
# BENCH_FIND_RUNS runs of each (3).  Not part of make check.
#   usage: KIOSK_BUILD=build sh tests/bench/pg_find_bench.sh
set -u
B=${KIOSK_BUILD:-build}
N=${BENCH_DEMO_HOUSEHOLDS:-${BENCH_MAX:-1000000}}
RUNS=${BENCH_FIND_RUNS:-3}
make --no-print-directory -s "$B/bench/bench_find" "$B/kioskctl" "$B/lib/kiosk-store-pg.so" >/dev/null || exit 1
. tests/bench/demo_db.sh
. tests/pg/cluster.sh
T=$(mktemp -d /tmp/kiosk-pgfind-XXXXXX); chmod 755 "$T"
COPY="$B/bench/pg-find-ref.db"
cleanup() { pg_cluster_stop; rm -rf "$T"; rm -f "$COPY" "$COPY.key" "$COPY.key.head" "$COPY-wal" "$COPY-shm"; }
trap cleanup EXIT
trap 'exit 1' INT TERM
pg_cluster_start >/dev/null || { echo "pg find                              FAIL (no PostgreSQL cluster, see above)"; exit 1; }
export KIOSK_STORE_PG_PLUGIN="$B/lib/kiosk-store-pg.so"
URL=$KIOSK_TEST_PG; KEY=$T/site.key
printf '[kiosk]\nsecret_file = %s\n' "$KEY" >"$T/kiosk.conf"
K="$B/kioskctl --config $T/kiosk.conf --db $URL"
t0=$(date +%s)
$K init >/dev/null && $K demo --households "$N" --seed 1 >/dev/null || { echo "pg find: demo on PostgreSQL failed"; exit 1; }
# the statistics autovacuum gathers within a minute or so of a load: each connection
# plans each statement once (generic plans), so one planned on empty statistics keeps
# its plan (measured at 20,000: 3.5-4.5 ms a search instead of 0.25 ms)
"$PGBIN/psql" -X -q -d "$URL" -c ANALYZE || exit 1
echo "# PostgreSQL demo of $N households built in $(( $(date +%s) - t0 )) s; load $(cut -d' ' -f1-3 /proc/loadavg)"
BENCH_DEMO_HOUSEHOLDS=$N bench_demo_db || exit 1
r=1
while [ "$r" -le "$RUNS" ]; do
    echo "# run $r on PostgreSQL (load $(cut -d' ' -f1-3 /proc/loadavg))"
    BENCH_FIND_REF=0 BENCH_FIND_KEY=$KEY "$B/bench/bench_find" "$URL" "$N" | sed 's/^/pg /'
    rm -f "$COPY" "$COPY.key" "$COPY.key.head" "$COPY-wal" "$COPY-shm"
    cp "$DEMO_DB" "$COPY" && cp "$DEMO_DB.key" "$COPY.key" || exit 1
    [ ! -f "$DEMO_DB.key.head" ] || cp "$DEMO_DB.key.head" "$COPY.key.head"
    echo "# run $r on SQLite, the reference (load $(cut -d' ' -f1-3 /proc/loadavg))"
    BENCH_FIND_REF=0 "$B/bench/bench_find" "$COPY" "$N" | sed 's/^/sqlite /'
    r=$((r + 1))
done
