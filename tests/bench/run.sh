#!/bin/sh
# tests/bench/run.sh — `make bench`: every PERF.md figure, one line each
# (name value reference ratio target PASS|FAIL; the reference is measured in the
# same run).  Benchmarks are not tests: they are never part of make check.
# BENCH_MAX (default 1000000) bounds the queue sizes; BENCH_MAX=100000 is quick.
#
# The parts, and what each took at 1M on this project's 2-core machine, niced,
# shared with other work (run.sh prints each part's seconds as it goes):
#   demo database     kioskctl demo --households 1000000, built once per run and
#                     shared by the console and kiosk parts (read only; the
#                     console works on a copy), removed at the end      ~ 1 min
#   bench_position    positions and status changes at 10k/100k/1M; the 1M import
#                     (3 runs) against both floors (3 runs each); the full
#                     look-up in three list states at 1M (1,000 look-ups each,
#                     30 s cap a state while a state is slow)           ~ 4–5 min
#   browser_bench     Chromium vs the kiosk (installs Chromium once)    ~ 0.5 min
#   console_bench     pages of 40 / jump on 1M; a key on every console screen,
#                     in-process and in a terminal                      ~ 1.5 min (+ ~2–3 min
#                     while the check screen reloads on every key)
#   kiosk_bench       card → summary, start → attract idle and loaded   ~ 0.3 min
#   pg_bench          PostgreSQL positions at 10k/100k/1M               ~ 3 min
#   pg_load_bench     200 clients, crash restart, 1M COPY import        ~ 3 min
#   work_bench        the housing work queue's page at 1M (F5, deep page, a key)
# Total measured: see the last line ("make bench: N s").
B=${KIOSK_BUILD:-build}
mkdir -p "$B/bench"
T0=$(date +%s)
. tests/bench/demo_db.sh

BENCH_DEMO_DB="$B/bench/demo-run.db"
export BENCH_DEMO_DB
cleanup() { rm -f "$BENCH_DEMO_DB" "$BENCH_DEMO_DB.key" "$BENCH_DEMO_DB.key.head" "$BENCH_DEMO_DB-wal" "$BENCH_DEMO_DB-shm" \
                  "$BENCH_DEMO_DB.partial"; rm -rf "$BENCH_DEMO_DB.run"; }
trap cleanup EXIT
trap 'exit 1' INT TERM

took() { echo "-- $1: $(( $(date +%s) - $2 )) s"; }

t=$(date +%s)
echo "== demo database (${BENCH_DEMO_HOUSEHOLDS:-${BENCH_MAX:-1000000}} households, once for this run) =="
cleanup
bench_demo_build "$BENCH_DEMO_DB" "${BENCH_DEMO_HOUSEHOLDS:-${BENCH_MAX:-1000000}}" ||
    echo "demo database                            FAIL (could not be built)"
took "demo database" "$t"

t=$(date +%s)
echo "== queue positions, status changes, import, look-up states (SQLite) =="
"$B/bench/bench_position" "${BENCH_MAX:-1000000}"
took bench_position "$t"
for s in tests/bench/*_bench.sh; do
    [ -f "$s" ] || continue
    t=$(date +%s)
    echo "== $(basename "$s" .sh) =="
    sh "$s"
    took "$(basename "$s" .sh)" "$t"
done
echo "make bench: $(( $(date +%s) - T0 )) s"
