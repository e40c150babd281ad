#!/bin/sh
# tests/bench/console_bench.sh — the staff console's figures (build/bench/bench_console;
# see tests/console/bench_console.c):
#   console_page_40_at_random, console_jump_to_N   on a 1M-row list built for it (≤ 2 / 5 ms)
#   console key <screen> median|worst               console_input → console_view rebuilt, every
#                                                   screen, on the 1M-household demo (≤ 2 ms)
#   console tty check arrow, console tty entry char the same through `kiosk --admin` in a
#                                                   real terminal (≤ 2 ms)
# The console adds an account and kiosk reports and logs in, so it works on a copy of the
# demo database (tests/bench/demo_db.sh), removed afterwards.  BENCH_MAX (default 1000000)
# sets the list size; BENCH_CONSOLE_BUDGET_S (30) caps the seconds of keys on a slow screen.
# Time: about 1 min for the pages; the screens take seconds each, except while a screen
# reloads on every key (today the check screen: its opening plus ~30 s of keys in-process and
# ~2 openings + arrows in the terminal, each opening an integrity check of the whole file:
# 10–40 s at 1M on a shared 2-core machine).
set -u
B=${KIOSK_BUILD:-build}
. tests/bench/demo_db.sh
make --no-print-directory -s "$B/bench/bench_console" "$B/kiosk" "$B/kioskctl" >/dev/null || exit 1
bench_demo_db || exit 1
COPY="$B/bench/console-demo.db"
cleanup() { rm -f "$COPY" "$COPY.key" "$COPY.key.head" "$COPY-wal" "$COPY-shm"; }
trap cleanup EXIT
trap 'exit 1' INT TERM
cleanup
cp "$DEMO_DB" "$COPY" && cp "$DEMO_DB.key" "$COPY.key" && { [ ! -f "$DEMO_DB.key.head" ] || cp "$DEMO_DB.key.head" "$COPY.key.head"; } || exit 1
"$B/bench/bench_console" "${BENCH_MAX:-1000000}" "$COPY" "$B/kiosk"
