#!/bin/sh
# tests/bench/report_bench.sh — the staff reports and the audit browser
# (build/bench/bench_report; see tests/console/bench_report.c): each of the six
# reports and a page of 40 audit records under each filter, on the demo database
# (a report ≤ 200 ms at 1M households).  Reads only: no copy needed.
set -u
B=${KIOSK_BUILD:-build}
. tests/bench/demo_db.sh
make --no-print-directory -s "$B/bench/bench_report" >/dev/null || exit 1
bench_demo_db || exit 1
"$B/bench/bench_report" "$DEMO_DB"
