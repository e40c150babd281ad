#!/bin/sh
# kiosk_bench.sh — the resident kiosk's figures (make bench runs every tests/bench/*_bench.sh):
#   card_to_summary_ms          card event → summary fully drawn, 1M households (≤ 2 ms median)
#   start_to_attract_ms         start → attract screen, idle (≤ 50 ms)
#   start_to_attract_loaded_ms  the same with two busy processes on both cores (≤ 50 ms)
#   resident_peak_rss_mib       resident-mode peak RSS at 1M rows (≤ 24 MiB)
# measured with build/bench/kiosk_bench (forkpty + libvterm, tests/screen/vt.c) against the
# optimised build/kiosk, on the demo database of tests/bench/demo_db.sh (read only).
# About 10 s.  Prints one line per figure (tests/bench/bench_line.h).
set -eu
B=${KIOSK_BUILD:-build}
. tests/bench/demo_db.sh
make -s --no-print-directory "$B/kiosk" "$B/kioskctl" "$B/bench/kiosk_bench" >&2
bench_demo_db
"$B/bench/kiosk_bench" "$B/kiosk" "$B/kioskctl" "$DEMO_DB" 41
