#!/bin/sh
# tests/bench/find_bench.sh — "find anyone" at the staff console (build/bench/bench_find;
# see tests/console/bench_find.c): search by receipt, ID number, name and phone, and the
# whole Enter key of a name search (audit record included), on the demo database (≤ 2 ms).
# Works on a copy (the console writes audit records and an account), removed afterwards.
set -u
B=${KIOSK_BUILD:-build}
. tests/bench/demo_db.sh
make --no-print-directory -s "$B/bench/bench_find" >/dev/null || exit 1
bench_demo_db || exit 1
COPY="$B/bench/find-demo.db"
cleanup() { rm -f "$COPY" "$COPY.key" "$COPY.key.head" "$COPY-wal" "$COPY-shm"; }
trap cleanup EXIT
trap 'exit 1' INT TERM
cleanup
cp "$DEMO_DB" "$COPY" && cp "$DEMO_DB.key" "$COPY.key" && { [ ! -f "$DEMO_DB.key.head" ] || cp "$DEMO_DB.key.head" "$COPY.key.head"; } || exit 1
"$B/bench/bench_find" "$COPY" "${BENCH_DEMO_HOUSEHOLDS:-${BENCH_MAX:-1000000}}"
