#!/bin/sh
# tests/bench/work_bench.sh — the housing work queue's page at the staff console
# (build/bench/bench_work; see tests/console/bench_work.c): F5 on the first page,
# on the last page of the frozen entries newest first, and a cursor move, on the
# demo database (≤ 2 ms).  Works on a copy (an account is added), removed afterwards.
set -u
B=${KIOSK_BUILD:-build}
. tests/bench/demo_db.sh
make --no-print-directory -s "$B/bench/bench_work" >/dev/null || exit 1
bench_demo_db || exit 1
COPY="$B/bench/work-demo.db"
cleanup() { rm -f "$COPY" "$COPY.key" "$COPY.key.head" "$COPY-wal" "$COPY-shm"; }
trap cleanup EXIT
trap 'exit 1' INT TERM
cleanup
cp "$DEMO_DB" "$COPY" && cp "$DEMO_DB.key" "$COPY.key" && { [ ! -f "$DEMO_DB.key.head" ] || cp "$DEMO_DB.key.head" "$COPY.key.head"; } || exit 1
"$B/bench/bench_work" "$COPY"
