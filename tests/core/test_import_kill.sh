#!/bin/sh
# test_import_kill.sh — a kill -9 in the middle of a big import leaves the previous list
# whole: after each kill the database passes `kioskctl check` (integrity, audit chain,
# rank structure) and the exported list is byte-identical to the one before the import
# (or, if the import had committed, to the new one).  Prints TAP lines.
. "$(dirname "$0")/lib.sh"
DB="$T/k.db"
K="$CTL --db $DB"
$K demo --households 4000 --seed 3 >/dev/null 2>&1 || { notok "demo"; done_testing; exit 1; }
$K export queue --program prh > "$T/v1.csv"
# a new list of 120k rows with valid ID numbers
python3 - "$T/v2.csv" <<'PY'
import sys
W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]; C = "10X98765432"
with open(sys.argv[1], "w") as f:
    f.write("receipt_no,id_number,name,household_size,wait_since\n")
    for i in range(120000):
        b = "440303%04d%02d%02d%03d" % (1950 + i // 9000 % 50, 1 + i // 1000 % 9, 1 + i // 750 % 28, i % 1000)
        f.write("N%07d,%s%s,新%d,%d,20%02d-0%d-1%d\n" % (i, b, C[sum(int(x) * w for x, w in zip(b, W)) % 11], i % 50, 1 + i % 5, 10 + i % 14, 1 + i % 9, i % 10))
PY
before=$(md5sum < "$T/v1.csv")
# the state a completed import leaves (new rows, and the old ones marked removed), made on
# a copy so the kills below can be told apart from a commit that won the race
$K backup "$T/v1.db" >/dev/null || { notok "backup of the v1 state"; done_testing; exit 1; }
$K backup "$T/done.db" >/dev/null && cp "$DB.key" "$T/done.db.key" &&
    $CTL --db "$T/done.db" import queue --program prh --no-progress --allow-removals 1000000 "$T/v2.csv" >/dev/null 2>&1 ||
    { notok "import on a copy"; done_testing; exit 1; }
after=$($CTL --db "$T/done.db" export queue --program prh | md5sum)
rm -f "$T/done.db" "$T/done.db.key"
killed=0 completed=0
for delay in ${KILL_DELAYS:-0.4 1.5 2.5 4 8}; do
    $K import queue --program prh --no-progress --allow-removals 1000000 "$T/v2.csv" >/dev/null 2>&1 &
    pid=$!
    sleep "$delay"
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    $K check >"$T/check" 2>&1 || { notok "check after kill at ${delay}s: $(grep -v ': ok' "$T/check" | head -3)"; continue; }
    now=$($K export queue --program prh | md5sum)
    if [ "$now" = "$before" ]; then
        killed=$((killed + 1)); ok "killed at ${delay}s: previous list whole, check passes"
    elif [ "$now" = "$after" ]; then
        completed=$((completed + 1)); ok "import had committed by ${delay}s: new list whole"
        # back to the v1 state for the next round (a re-import of v1 would keep the new
        # rows as "removed")
        $K restore "$T/v1.db" >/dev/null 2>&1
        [ "$($K export queue --program prh | md5sum)" = "$before" ] || notok "could not restore v1"
    else
        notok "killed at ${delay}s: list is neither the old nor the new one"
    fi
done
[ "$killed" -gt 0 ] && ok "at least one kill landed mid-import ($killed killed, $completed completed)" \
                    || notok "no kill landed mid-import; the test proved nothing"
done_testing
