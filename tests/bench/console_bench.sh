#!/bin/sh
# tests/bench/console_bench.sh — the staff console's PERF.md figures (next page of
# 40 anywhere in 1M; jump to position N), on the core calls the console makes.
# BENCH_MAX (default 1000000) sets the queue size.  Lines: name value reference
# ratio target PASS|FAIL; the reference is OFFSET paging, measured in the same run.
B=${KIOSK_BUILD:-build}
make --no-print-directory -s "$B/bench/bench_console" >/dev/null || exit 1
exec "$B/bench/bench_console" "${BENCH_MAX:-1000000}"
