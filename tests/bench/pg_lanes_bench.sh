#!/bin/sh
# tests/bench/pg_lanes_bench.sh — audited commits per second on PostgreSQL
# (issue 13 item 2, docs/design.md "Measured"): on a throwaway cluster
# (tests/pg/cluster.sh, fsync=on), P processes of pg_writers bed (one
# connection each, every submission an audited commit) at once, N submissions
# each, wall time → commits/s, for P = 4 and 8; then the slowest of 20 bed
# submissions while psql holds audit lane 0 (an audited transaction between its
# append and its commit) for HOLD seconds.  Lines: "name value".  Not part of
# make check or make bench: run it against two builds, alternating, e.g.
#   KIOSK_BUILD=build sh tests/bench/pg_lanes_bench.sh
B=${KIOSK_BUILD:-build}
N=${N:-50}
HOLD=${HOLD:-3}
${MAKE:-make} --no-print-directory -s "$B/bench/pg_writers" "$B/kioskctl" >/dev/null || exit 1
. tests/pg/cluster.sh
pg_bench_cluster pg_lanes
W="$B/bench/pg_writers"
KEY=$T/site.key
printf '[kiosk]\nsecret_file = %s\n' "$KEY" >"$T/kiosk.conf"
"$B/kioskctl" --config "$T/kiosk.conf" --db "$KIOSK_TEST_PG" init >/dev/null || exit 1
now() { date +%s.%N; }
first=100000
for P in 4 8; do
    t0=$(now)
    i=0 pids=""
    while [ $i -lt "$P" ]; do
        "$W" bed "$KEY" "$KIOSK_TEST_PG" $((first + i * 1000)) "$N" >/dev/null 2>"$T/w$i.err" &
        pids="$pids $!"
        i=$((i + 1))
    done
    rc=0
    for p in $pids; do wait "$p" || rc=1; done
    t1=$(now)
    [ $rc -eq 0 ] || { echo "pg_lanes FAIL: a writer failed: $(cat "$T"/w*.err | grep -v '^#' | head -3)"; exit 1; }
    slow=$(cat "$T"/w*.err | sed -n 's/.*slowest \([0-9.]*\) ms/\1/p' | sort -n | tail -n 1)
    awk -v p="$P" -v n="$N" -v a="$t0" -v b="$t1" -v s="$slow" \
        'BEGIN { printf "audited_commits_per_s_p%d %.0f  (%d x %d in %.2f s, slowest %.1f ms)\n", p, p * n / (b - a), p, n, b - a, s }'
    first=$((first + 10000))
done
PGAPPNAME=lanes-hold "$PGBIN/psql" -X -q -d "$KIOSK_TEST_PG" \
    -c "BEGIN; SELECT pg_advisory_xact_lock(4, 0); SELECT pg_sleep($HOLD); COMMIT" >/dev/null &
hp=$!
i=0
until [ "$("$PGBIN/psql" -X -A -t -q -d "$KIOSK_TEST_PG" -c "SELECT count(*) FROM pg_locks WHERE
        locktype = 'advisory' AND classid = 4 AND objid = 0 AND granted")" = 1 ] || [ $i -ge 200 ]; do
    sleep 0.05; i=$((i + 1))
done
"$W" bed "$KEY" "$KIOSK_TEST_PG" 900000 20 >/dev/null 2>"$T/held.err"
wait $hp
echo "slowest_bed_while_lane0_held_ms $(sed -n 's/.*slowest \([0-9.]*\) ms/\1/p' "$T/held.err")  (held ${HOLD} s)"
