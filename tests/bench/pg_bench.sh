#!/bin/sh
# tests/bench/pg_bench.sh — PERF.md's PostgreSQL row (exact position ≤ 1 ms median
# over loopback, beside the COUNT-ahead reference) on a throwaway cluster
# (tests/pg/cluster.sh), at 10k, 100k and 1M waiting.  Run by tests/bench/run.sh
# under make bench; lines: name value reference ratio target PASS|FAIL.
B=${KIOSK_BUILD:-build}
${MAKE:-make} --no-print-directory "$B/bench/bench_pg" >/dev/null || exit 1
. tests/pg/cluster.sh
trap pg_cluster_stop EXIT
trap 'exit 1' INT TERM
if ! pg_cluster_start; then
    echo "pg position                         FAIL (no PostgreSQL cluster, see above)"
    exit 1
fi
"$B/bench/bench_pg" "${BENCH_MAX:-1000000}"
