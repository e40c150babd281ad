#!/bin/sh
# tests/pg/test_writers.sh — writers that do not queue behind one lock
# (issue 13 item 2), on a throwaway PostgreSQL cluster, with the real store
# in separate processes (tests/pg/pg_writers.c: one writer per process).
#   1. Side by side: two clerks on different entries of program prh, one on
#      program ahp (each entry frozen, then unfrozen: out of the ranks and
#      back in), two streams of bed submissions and a kiosk's heartbeats.
#      Afterwards nothing is lost (every action's two events, audit records
#      and applications counted), each program's change counter gave every
#      change its own number, the rank structure equals a recount from the
#      entries (every block, every Fenwick node, both weights), the exported
#      order is the sort-key order, and `kioskctl check` and `kioskctl audit
#      verify` (the chain and its anchor) pass.
#   2. Not blocked: a staff action on prh is held open mid-way (psql holds the
#      entry's row, so the action waits with its own locks taken); while it is
#      open a heartbeat, a bed submission and a staff action on ahp must
#      complete, and the held action completes once psql lets go.
# With one writer lock for every write transaction (before issue 13) part 2
# fails: everything waits for the held action.  TAP.  Without the server it FAILS.
B=${KIOSK_BUILD:-build}
. tests/pg/cluster.sh
T=$(mktemp -d /tmp/kiosk-writers-XXXXXX)
chmod 755 "$T"
HOLDPID=
cleanup() {
    [ -n "$HOLDPID" ] && kill "$HOLDPID" 2>/dev/null
    pg_cluster_stop
    rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); failed=1; echo "not ok $n - $*"; }
finish() { echo "1..$n"; [ "$1" -eq 0 ] && [ -z "$failed" ]; exit $?; }
# check DESCRIPTION GOT WANT
same() { if [ "$2" = "$3" ]; then ok "$1 ($2)"; else notok "$1: got '$2', wanted '$3'"; fi; }

W="$B/asan/tests/pg/pg_writers"
[ -x "$W" ] || { notok "$W not built (make $W)"; finish 1; }
pg_cluster_start || { notok "start a throwaway PostgreSQL cluster (see above)"; finish 1; }
ok "own throwaway cluster at $KIOSK_TEST_PG"
export KIOSK_STORE_PG_PLUGIN="$B/asan/lib/kiosk-store-pg.so"
export ASAN_OPTIONS=detect_leaks=1
URL=$KIOSK_TEST_PG
KEY=$T/site.key
printf '[kiosk]\nsecret_file = %s\n' "$KEY" >"$T/kiosk.conf"
K="$B/asan/kioskctl --config $T/kiosk.conf --db $URL"
PSQL="$PGBIN/psql -X -A -t -q -v ON_ERROR_STOP=1 -d $URL"
if $K init >"$T/out" 2>&1 && $K demo --households 2000 --seed 5 >"$T/out" 2>&1; then
    ok "init and demo data on PostgreSQL"
else
    notok "init/demo failed: $(head -c 300 "$T/out")"; finish 1
fi
# a publication per program: the breakdown's second weights are in play too
$K publish --program prh >/dev/null 2>&1 && $K publish --program ahp >/dev/null 2>&1 ||
    notok "publish failed"

# waiting entries, spread over each list (every 7th), in disjoint sets
waiting() {   # waiting PROGRAM OFFSET COUNT
    $PSQL -c "SELECT receipt_no FROM entry e JOIN program p ON p.id = e.program_id
              WHERE p.code = '$1' AND e.status = 0 ORDER BY e.skey OFFSET $2" |
        awk -v c="$3" 'NR % 7 == 1 && k < c {print; k++}'
}
waiting prh 0 25 >"$T/prh1"
waiting prh 1 25 >"$T/prh2"
waiting ahp 0 25 >"$T/ahp1"
[ "$(cat "$T/prh1" "$T/prh2" | sort -u | wc -l)" -eq 50 ] && [ "$(wc -l <"$T/ahp1")" -eq 25 ] &&
    ok "75 waiting entries picked (50 of prh in two disjoint sets, 25 of ahp)" ||
    notok "could not pick the entries: $(wc -l "$T/prh1" "$T/prh2" "$T/ahp1" | tr '\n' ' ')"

count() { $PSQL -c "$1"; }
audit0=$(count "SELECT count(*) FROM audit")
bed0=$(count "SELECT count(*) FROM bed_app")

# ---- 1. side by side ------------------------------------------------------------------
"$W" staff "$KEY" "$URL" prh "$T/prh1" >"$T/s1.out" 2>"$T/s1.err" & p1=$!
"$W" staff "$KEY" "$URL" prh "$T/prh2" >"$T/s2.out" 2>"$T/s2.err" & p2=$!
"$W" staff "$KEY" "$URL" ahp "$T/ahp1" >"$T/s3.out" 2>"$T/s3.err" & p3=$!
"$W" bed "$KEY" "$URL" 10000 30 >"$T/b1.out" 2>"$T/b1.err" & p4=$!
"$W" bed "$KEY" "$URL" 20000 30 >"$T/b2.out" 2>"$T/b2.err" & p5=$!
"$W" beat "$KEY" "$URL" K-WRITERS 150 >"$T/h1.out" 2>"$T/h1.err" & p6=$!
rcs=""
for p in $p1 $p2 $p3 $p4 $p5 $p6; do wait $p; rcs="$rcs$?"; done
same "six writers side by side, every one exit 0" "$rcs" "000000"
for f in s1 s2 s3 b1 b2 h1; do echo "# $f: $(tail -n 1 "$T/$f.err")"; done
same "150 staff actions done (75 entries frozen and unfrozen)" \
    "$(cat "$T/s1.out" "$T/s2.out" "$T/s3.out" | grep -c '^ok ')" 150
same "60 applications acknowledged, each reference once" "$(cat "$T/b1.out" "$T/b2.out" | sort -u | wc -l)" 60

# nothing lost
ids="SELECT e.id FROM entry e JOIN program p ON p.id = e.program_id WHERE
     (p.code = 'prh' AND e.receipt_no IN ($(cat "$T/prh1" "$T/prh2" | sed "s/.*/'&'/" | paste -sd,)))
  OR (p.code = 'ahp' AND e.receipt_no IN ($(sed "s/.*/'&'/" "$T/ahp1" | paste -sd,)))"
same "every touched entry waits again" "$(count "SELECT count(*) FROM entry WHERE id IN ($ids) AND status = 0")" 75
same "two events of the clerk per touched entry, none lost" \
    "$(count "SELECT count(*) FROM entry_event WHERE entry_id IN ($ids) AND actor = 'clerk-writers'")" 150
same "each change has its own number in its program's counter" \
    "$(count "SELECT count(DISTINCT (program_id, changed_seq)) FROM entry WHERE id IN ($ids)")" 75
same "every application stored" "$(count "SELECT count(*) FROM bed_app")" "$((bed0 + 60))"
same "an audit record for each action and application" "$(count "SELECT count(*) FROM audit")" \
    "$((audit0 + 150 + 60))"
# seq is the global order (a sequence on PostgreSQL: a rolled-back writer leaves a gap);
# the chains are the lanes, each numbered 1 … n without a gap
same "each audit lane's numbers have no gap" \
    "$(count "SELECT count(*) FROM (SELECT lane FROM audit GROUP BY lane HAVING max(lane_seq) <> count(*)) x")" 0
same "the heartbeat row is there, written 150 times" \
    "$(count "SELECT count(*) FROM kiosk_status WHERE kiosk_id = 'K-WRITERS'"):$(grep -c '^ok beat' "$T/h1.out")" 1:150

# the rank structure against a recount from the entries
same "every rank block's counts equal its waiting entries (both weights)" "$(count "
    SELECT count(*) FROM rank_block b WHERE
      b.n <> (SELECT count(*) FROM entry e WHERE e.program_id = b.program_id AND e.slot = b.slot AND e.status = 0)
   OR b.n_new <> (SELECT count(*) FROM entry e WHERE e.program_id = b.program_id AND e.slot = b.slot
                  AND e.status = 0 AND e.pub_pos = 0)")" 0
same "every Fenwick node equals the blocks it covers (both weights)" "$(count "
    SELECT count(*) FROM rank_tree t WHERE
      t.sum <> COALESCE((SELECT sum(b.n) FROM rank_block b WHERE b.program_id = t.program_id
                         AND b.slot > t.node - (t.node & -t.node) AND b.slot <= t.node), 0)
   OR t.sum_new <> COALESCE((SELECT sum(b.n_new) FROM rank_block b WHERE b.program_id = t.program_id
                         AND b.slot > t.node - (t.node & -t.node) AND b.slot <= t.node), 0)")" 0
same "every block with waiting entries is under the root" "$(count "
    SELECT count(*) FROM program p WHERE COALESCE((SELECT sum FROM rank_tree t WHERE t.program_id = p.id
        AND t.node = 16777216), 0) <> (SELECT count(*) FROM entry e WHERE e.program_id = p.id AND e.status = 0)")" 0
same "entries sit in blocks in sort-key order" "$(count "
    SELECT count(*) FROM (SELECT program_id, slot, skey, lag(slot) OVER (PARTITION BY program_id ORDER BY skey) AS prev
                          FROM entry WHERE status = 0) x WHERE x.slot < x.prev")" 0
for prog in prh ahp; do
    $K export queue --program $prog --public 2>"$T/err" | awk -F, 'NR > 1 {print $1 "," $2}' >"$T/exp_$prog"
    $PSQL -c "SELECT row_number() OVER (ORDER BY skey) || ',' || receipt_no FROM entry e JOIN program p ON
              p.id = e.program_id WHERE p.code = '$prog' AND e.status = 0 ORDER BY skey" >"$T/cnt_$prog"
    if [ -s "$T/cnt_$prog" ] && cmp -s "$T/exp_$prog" "$T/cnt_$prog"; then
        ok "$prog: the exported positions equal a recount ($(wc -l <"$T/cnt_$prog") waiting)"
    else
        notok "$prog: exported positions differ from the recount: $(diff "$T/exp_$prog" "$T/cnt_$prog" | head -4 | tr '\n' ' ') $(head -c 200 "$T/err")"
    fi
done
if $K check >"$T/out" 2>&1; then ok "kioskctl check passes"; else notok "kioskctl check: $(tail -n 5 "$T/out" | tr '\n' ' ')"; fi
if $K audit verify >"$T/out" 2>&1; then ok "kioskctl audit verify: $(tail -n 1 "$T/out")"; else
    notok "kioskctl audit verify: $(tail -n 3 "$T/out" | tr '\n' ' ')"; fi

# ---- 2. a held staff action blocks nobody it shares nothing with ------------------------
HELD=$(waiting prh 3 1)
OTHER=$(waiting ahp 4 1)
echo "$HELD" >"$T/held"
echo "$OTHER" >"$T/other"
HOLD_S=15
# psql holds the entry's row: the staff action takes its locks, then waits at its UPDATE
$PSQL -c "BEGIN; SELECT id FROM entry e WHERE receipt_no = '$HELD' AND program_id =
          (SELECT id FROM program WHERE code = 'prh') FOR UPDATE; SELECT pg_sleep($HOLD_S); COMMIT" \
    >/dev/null 2>"$T/hold.err" &
HOLDPID=$!
sleep 1
start=$(date +%s)
"$W" staff "$KEY" "$URL" prh "$T/held" >"$T/held.out" 2>"$T/held.err" & pheld=$!
# until the action waits on the row (wait_event_type Lock, its UPDATE of entry)
i=0
while [ $i -lt 100 ]; do
    [ "$(count "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'UPDATE entry%'")" -ge 1 ] && break
    sleep 0.1; i=$((i + 1))
done
[ $i -lt 100 ] && ok "the staff action on prh waits mid-way, holding its locks" ||
    notok "the held staff action never waited on the entry's row"
# three writers at once, each bounded well inside the hold: each must be done
# (exit 0) while the held action is still open
probe() {   # probe NAME COMMAND...
    name=$1; shift
    t0=$(date +%s.%N)
    timeout 6 "$@" >"$T/$name.out" 2>"$T/$name.err"
    rc=$?
    echo "$rc $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')" >"$T/$name.rc"
}
probe beat "$W" beat "$KEY" "$URL" K-HELD 1 &
q1=$!
probe bed "$W" bed "$KEY" "$URL" 30000 1 &
q2=$!
probe ahp "$W" staff "$KEY" "$URL" ahp "$T/other" &
q3=$!
wait $q1 $q2 $q3
if kill -0 "$pheld" 2>/dev/null; then still=1; else still=0; fi
for p in "beat:a heartbeat" "bed:a bed submission" "ahp:a staff action on ahp"; do
    name=${p%%:*}; what=${p#*:}
    read -r rc secs <"$T/$name.rc"
    if [ "$rc" -eq 0 ] && [ $still -eq 1 ]; then
        ok "$what completes in $secs s while the staff action is still open ($(tail -n 1 "$T/$name.err"))"
    else
        notok "$what did not complete while the staff action was open (exit $rc after $secs s; still open: $still: $(tail -n 2 "$T/$name.err" | tr '\n' ' '))"
    fi
done
wait $pheld; rc=$?
end=$(date +%s)
[ $rc -eq 0 ] && [ "$(grep -c '^ok ' "$T/held.out")" -eq 2 ] &&
    ok "the held action completes once the row is let go ($((end - start)) s)" ||
    notok "the held action failed (exit $rc): $(tail -n 2 "$T/held.err" | tr '\n' ' ')"
wait $HOLDPID
HOLDPID=
if $K check >"$T/out" 2>&1 && $K audit verify >>"$T/out" 2>&1; then
    ok "check and audit verify pass afterwards"
else
    notok "check / audit verify: $(tail -n 4 "$T/out" | tr '\n' ' ')"
fi
finish 0
