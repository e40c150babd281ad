#!/bin/sh
# kiosk_bench.sh — the resident kiosk's PERF.md figures (make bench runs every tests/bench/*_bench.sh):
#   card_to_summary_ms     card event → summary fully drawn, 1M-household database (≤ 5 ms median)
#   start_to_attract_ms    start → attract screen (≤ 50 ms)
#   resident_peak_rss_mib  resident-mode peak RSS at 1M rows (≤ 24 MiB)
# measured with build/bench/kiosk_bench (forkpty + libvterm, tests/screen/vt.c) against the
# optimised build/kiosk.  The 1M database is generated once (kioskctl demo, seed 1) and kept in
# build/bench/kiosk-1m.db; BENCH_KIOSK_HOUSEHOLDS changes the size (a different file).
# Prints: name value reference ratio target PASS|FAIL.
set -eu
B=${KIOSK_BUILD:-build}
N=${BENCH_KIOSK_HOUSEHOLDS:-1000000}
make -s --no-print-directory "$B/kiosk" "$B/kioskctl" "$B/bench/kiosk_bench" >&2
DB="$B/bench/kiosk-$N.db"
if [ "$N" = 1000000 ]; then DB="$B/bench/kiosk-1m.db"; fi
if [ ! -f "$DB" ] || [ -f "$DB.partial" ]; then
    echo "kiosk_bench: generating $DB ($N households; once, it takes a while)" >&2
    rm -f "$DB" "$DB.key" "$DB-wal" "$DB-shm"
    touch "$DB.partial"
    "$B/kioskctl" --db "$DB" demo --households "$N" --seed 1 >/dev/null
    rm -f "$DB.partial"
fi
"$B/bench/kiosk_bench" "$B/kiosk" "$B/kioskctl" "$DB" 41
