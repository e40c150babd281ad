#!/bin/sh
# tests/bench/run.sh — `make bench`: every PERF.md figure, one line each
# (name value reference ratio target PASS|FAIL).  Benchmarks are not tests:
# they are never part of make check.  BENCH_MAX (default 1000000) bounds the
# queue sizes.
B=${KIOSK_BUILD:-build}
mkdir -p "$B/bench"
echo "== queue positions, status changes, import (SQLite) =="
"$B/bench/bench_position" "${BENCH_MAX:-1000000}"
for s in tests/bench/*_bench.sh; do
    [ -f "$s" ] || continue
    echo "== $(basename "$s" .sh) =="
    sh "$s"
done
