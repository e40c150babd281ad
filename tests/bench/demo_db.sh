# tests/bench/demo_db.sh — sourced by the benchmark scripts: bench_demo_db sets
# DEMO_DB to the kioskctl demo database (seed 1) the kiosk and console figures
# use.  Under `make bench`, tests/bench/run.sh builds it once per run and
# exports BENCH_DEMO_DB; a script run alone builds (once, then keeps)
# $B/bench/demo-N.db.  N: BENCH_DEMO_HOUSEHOLDS, else BENCH_MAX, else 1000000.
# Building 1M households takes about a minute (2 cores) and 435 MB.
bench_demo_db() {
    if [ -n "${BENCH_DEMO_DB:-}" ] && [ -f "$BENCH_DEMO_DB" ]; then
        DEMO_DB=$BENCH_DEMO_DB
        return 0
    fi
    _n=${BENCH_DEMO_HOUSEHOLDS:-${BENCH_MAX:-1000000}}
    DEMO_DB="$B/bench/demo-$_n.db"
    bench_demo_build "$DEMO_DB" "$_n"
}

# bench_demo_build FILE N: (re)build unless FILE is whole.
bench_demo_build() {
    if [ -f "$1" ] && [ ! -f "$1.partial" ]; then
        return 0
    fi
    make -s --no-print-directory "$B/kioskctl" >&2 || return 1
    echo "bench: building $1 ($2 households, seed 1)" >&2
    rm -f "$1" "$1.key" "$1.key.head" "$1-wal" "$1-shm"
    touch "$1.partial"
    "$B/kioskctl" --db "$1" demo --households "$2" --seed 1 >/dev/null || return 1
    rm -f "$1.partial"
}
