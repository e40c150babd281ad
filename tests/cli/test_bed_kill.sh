#!/bin/sh
# test_bed_kill.sh — a kill -9 during home-care-bed submissions loses nothing that was
# confirmed: tests/cli/bed_submit_loop prints each reference only after bed_submit()
# returned (committed with synchronous=FULL); we SIGKILL it at random moments, and
# afterwards every printed reference must be in the database, `kioskctl check`
# (integrity, audit chain) must pass, and submitting must still work.  Prints TAP lines.
n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); echo "not ok $n - $*"; }
B=${KIOSK_BUILD:-build}
CTL="$B/asan/kioskctl"
[ -x "$CTL" ] || CTL="$B/kioskctl"
LOOP="$B/asan/tests/cli/bed_submit_loop"
T=$(mktemp -d /tmp/kiosk-bedkill-XXXXXX)
trap 'rm -rf "$T"' EXIT
export ASAN_OPTIONS=detect_leaks=0
DB="$T/k.db"
K="$CTL --db $DB"
[ -x "$LOOP" ] || { notok "no $LOOP (make $LOOP)"; echo "1..$n"; exit 1; }
$K init >/dev/null 2>&1 && ok "init" || notok "init"
first=0 confirmed=0 rounds=8 lost=0
for r in $(seq 1 $rounds); do
    "$LOOP" "$DB" "$first" 100000 >"$T/refs.$r" 2>/dev/null &
    pid=$!
    # a random moment between 0.2 and 1.4 s
    sleep "$(awk -v s="$r$$" 'BEGIN { srand(s); printf "%.2f", 0.2 + rand() * 1.2 }')"
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    # a reference is confirmed only when its whole line was written
    grep -E '^[0-9A-Z]{10}$' "$T/refs.$r" > "$T/ok.$r"
    c=$(wc -l < "$T/ok.$r")
    $K bed list > "$T/list" 2>&1 || { notok "round $r: bed list failed: $(head -2 "$T/list")"; continue; }
    missing=0
    while read -r ref; do grep -q "^$ref " "$T/list" || missing=$((missing + 1)); done < "$T/ok.$r"
    if [ "$missing" -eq 0 ] && [ "$c" -gt 0 ]; then
        ok "round $r: all $c confirmed applications present after kill -9"
    elif [ "$c" -eq 0 ]; then
        notok "round $r: nothing was confirmed before the kill (too early?)"
    else
        notok "round $r: $missing of $c confirmed applications lost"; lost=$((lost + missing))
    fi
    confirmed=$((confirmed + c))
    $K check >"$T/check" 2>&1 && ok "round $r: kioskctl check passes" \
        || notok "round $r: check failed: $(grep -i fail "$T/check" | head -2)"
    # the next round's elders do not overlap: one unconfirmed submission may have committed
    first=$((first + c + 10))
done
total=$($K bed list | wc -l)
[ "$total" -ge "$confirmed" ] && ok "$confirmed confirmed, $total in the database, $lost lost" \
    || notok "$confirmed confirmed but only $total in the database"
"$LOOP" "$DB" "$first" 20 >/dev/null 2>"$T/lat" && ok "submitting still works: $(tail -1 "$T/lat" | sed 's/^# //')" \
    || notok "submitting after the kills failed: $(cat "$T/lat")"
echo "1..$n"
