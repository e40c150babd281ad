#!/bin/sh
# tests/pg/test_lanes.sh — audited commits that do not take turns on one audit
# head (issue 13 item 2), on a throwaway PostgreSQL cluster with the real store
# in separate processes (tests/pg/pg_writers.c).
#   1. A held lane: psql holds lane 0's advisory lock (STORE_LOCK_AUDIT_HEAD,
#      key 0) in an open transaction, as an audited transaction between its
#      append and its commit does.  A bed submission and a staff action (both
#      audited) must finish while it is held, their records in other lanes.
#      With every lane held the writer waits (the all-busy rule), and finishes
#      once they are let go.
#   2. Side by side: two bed writers and two clerks, all audited, at once:
#      every record there, each lane numbered 1 … n without a gap, more than
#      one lane used, lane lines in the anchor, `kioskctl audit verify` passes
#      with the exact count — and passes every time it is run while they write.
#   3. Tampering with a lane L > 0 (as a superuser switching the append-only
#      trigger off): a record deleted in the middle, the last record deleted
#      (the lane's head in meta catches it), the last record deleted and the
#      head replayed from an older one (the anchor catches it), a detail
#      edited, a record moved to another lane — each named by `audit verify`,
#      and each undone, after which verify passes again.
# Before lanes part 1 fails (everything waits for lane 0) and part 3's lane
# checks do not exist.  TAP.  Without the server it FAILS.
B=${KIOSK_BUILD:-build}
. tests/pg/cluster.sh
T=$(mktemp -d /tmp/kiosk-lanes-XXXXXX)
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
count() { $PSQL -c "$1"; }
if $K init >"$T/out" 2>&1 && $K demo --households 600 --seed 3 >"$T/out" 2>&1; then
    ok "init and demo data on PostgreSQL"
else
    notok "init/demo failed: $(head -c 300 "$T/out")"; finish 1
fi
waiting() {   # waiting PROGRAM OFFSET COUNT: waiting entries, every 7th
    $PSQL -c "SELECT receipt_no FROM entry e JOIN program p ON p.id = e.program_id
              WHERE p.code = '$1' AND e.status = 0 ORDER BY e.skey OFFSET $2" |
        awk -v c="$3" 'NR % 7 == 1 && k < c {print; k++}'
}
waiting prh 0 1 >"$T/one"
waiting prh 1 15 >"$T/prh1"
waiting ahp 0 15 >"$T/ahp1"
[ "$(cat "$T/one" "$T/prh1" "$T/ahp1" | wc -l)" -eq 31 ] && ok "31 waiting entries picked" ||
    notok "could not pick the entries"

# ---- 1. lane 0 held ------------------------------------------------------------------
# hold LOCKS (a list of lanes) in an open transaction of a psql named lanes-hold,
# until release() ends that session (its transaction rolls back, the locks go)
hold() {
    locks=$(for l in $1; do printf 'SELECT pg_advisory_xact_lock(4, %s); ' "$l"; done)
    PGAPPNAME=lanes-hold $PSQL -c "BEGIN; $locks SELECT pg_sleep(300); COMMIT" >/dev/null 2>"$T/hold.err" &
    HOLDPID=$!
    i=0   # until the server says they are granted
    while [ $i -lt 200 ]; do
        [ "$(count "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = 4
                    AND objsubid = 2 AND granted")" -eq "$(echo $1 | wc -w)" ] && return 0
        sleep 0.05; i=$((i + 1))
    done
    return 1
}
release() {
    count "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'lanes-hold'" >/dev/null
    wait "$HOLDPID"
    HOLDPID=
}
probe() {   # probe NAME COMMAND...: bounded well inside the hold
    name=$1; shift
    t0=$(date +%s.%N)
    timeout 20 "$@" >"$T/$name.out" 2>"$T/$name.err"
    echo "$? $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')" >"$T/$name.rc"
}
seq0=$(count "SELECT COALESCE(max(seq), 0) FROM audit")
if hold 0; then ok "psql holds lane 0 of the audit trail"; else notok "the lane 0 lock was never granted: $(cat "$T/hold.err")"; fi
probe bed "$W" bed "$KEY" "$URL" 40000 3 &
q1=$!
probe staff "$W" staff "$KEY" "$URL" prh "$T/one" &
q2=$!
wait $q1 $q2
kill -0 "$HOLDPID" 2>/dev/null && still=1 || still=0
for p in "bed:3 bed submissions" "staff:a staff action (freeze, unfreeze)"; do
    name=${p%%:*}; what=${p#*:}
    read -r rc secs <"$T/$name.rc"
    if [ "$rc" -eq 0 ] && [ $still -eq 1 ]; then
        ok "$what complete in $secs s while lane 0 is held ($(tail -n 1 "$T/$name.err"))"
    else
        notok "$what did not complete while lane 0 was held (exit $rc after $secs s, held: $still: $(tail -n 2 "$T/$name.err" | tr '\n' ' '))"
    fi
done
same "their 5 records are in, none in lane 0" \
    "$(count "SELECT count(*) || '/' || count(*) FILTER (WHERE lane = 0) FROM audit WHERE seq > $seq0")" "5/0"
release
# every lane held: the writer waits for its start lane, then goes on
if hold "0 1 2 3 4 5 6 7"; then ok "psql holds all 8 lanes"; else notok "the 8 lane locks were never granted"; fi
"$W" bed "$KEY" "$URL" 41000 1 >"$T/wait.out" 2>"$T/wait.err" & pw=$!
i=0
while [ $i -lt 200 ]; do
    [ "$(count "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = 4 AND NOT granted")" -ge 1 ] && break
    sleep 0.05; i=$((i + 1))
done
[ $i -lt 200 ] && kill -0 $pw 2>/dev/null && ok "with every lane busy the writer waits for one" ||
    notok "the writer did not wait on a lane (waited $i polls)"
release
wait $pw && ok "…and finishes once they are let go" || notok "the waiting writer failed: $(tail -n 2 "$T/wait.err")"
if $K audit verify >"$T/out" 2>&1; then ok "audit verify after part 1: $(tail -n 1 "$T/out")"; else
    notok "audit verify after part 1: $(tail -n 3 "$T/out" | tr '\n' ' ')"; fi

# ---- 2. four audited writers side by side ---------------------------------------------
audit0=$(count "SELECT count(*) FROM audit")
"$W" bed "$KEY" "$URL" 10000 40 >"$T/b1.out" 2>"$T/b1.err" & p1=$!
"$W" bed "$KEY" "$URL" 20000 40 >"$T/b2.out" 2>"$T/b2.err" & p2=$!
"$W" staff "$KEY" "$URL" prh "$T/prh1" >"$T/s1.out" 2>"$T/s1.err" & p3=$!
"$W" staff "$KEY" "$URL" ahp "$T/ahp1" >"$T/s2.out" 2>"$T/s2.err" & p4=$!
# meanwhile `audit verify` over and over: it reads in one snapshot, so a commit
# landing between its walk and its read of the heads is no "cut off" tail
v=0 vbad=0
while kill -0 $p1 2>/dev/null || kill -0 $p2 2>/dev/null || kill -0 $p3 2>/dev/null || kill -0 $p4 2>/dev/null; do
    $K audit verify >"$T/v.out" 2>&1 || { vbad=$((vbad + 1)); cp "$T/v.out" "$T/vbad.out"; }
    v=$((v + 1))
done
rcs=""
for p in $p1 $p2 $p3 $p4; do wait $p; rcs="$rcs$?"; done
same "four audited writers side by side, every one exit 0" "$rcs" "0000"
[ $v -ge 2 ] && [ $vbad -eq 0 ] && ok "audit verify passed all $v times while they wrote" ||
    notok "audit verify while writing: $vbad of $v failed: $(cat "$T/vbad.out" 2>/dev/null)"
for f in b1 b2 s1 s2; do echo "# $f: $(tail -n 1 "$T/$f.err")"; done
total=$(count "SELECT count(*) FROM audit")
same "a record for each of the 80 applications and 60 staff actions" "$total" "$((audit0 + 140))"
same "each lane is numbered 1 … n without a gap" \
    "$(count "SELECT count(*) FROM (SELECT lane FROM audit GROUP BY lane HAVING max(lane_seq) <> count(*)
                                    OR min(lane_seq) <> 1) x")" 0
lanes=$(count "SELECT count(DISTINCT lane) FROM audit")
[ "$lanes" -ge 2 ] && ok "records in $lanes lanes" || notok "records in $lanes lane(s) only"
grep -q '^[1-7]/[0-9]*:[0-9a-f]\{64\}$' "$KEY.head" && ok "the anchor has lane lines (L/SEQ:TAG)" ||
    notok "no lane line in the anchor: $(tail -n 3 "$KEY.head" | tr '\n' ' ')"
if $K audit verify >"$T/out" 2>&1 && grep -q "^audit: $total records, chain verified" "$T/out"; then
    ok "kioskctl audit verify: $(tail -n 1 "$T/out")"
else
    notok "kioskctl audit verify (wanted $total records): $(tail -n 3 "$T/out" | tr '\n' ' ')"
fi
if $K check >"$T/out" 2>&1 && grep -q "^audit: $total records, chain verified" "$T/out"; then
    ok "kioskctl check's audit line counts $total"
else
    notok "kioskctl check: $(grep audit "$T/out" | tr '\n' ' ')"
fi

# ---- 3. tampering with a lane ---------------------------------------------------------
L=$(count "SELECT lane FROM audit WHERE lane > 0 GROUP BY lane HAVING count(*) >= 4 ORDER BY count(*) DESC LIMIT 1")
[ -n "$L" ] && ok "lane $L (> 0) holds $(count "SELECT count(*) FROM audit WHERE lane = $L") records" ||
    { notok "no lane > 0 with 4 records"; finish 1; }
M=$(count "SELECT lane FROM audit WHERE lane NOT IN (0, $L) ORDER BY lane LIMIT 1")
[ -n "$M" ] || M=0
N=$(count "SELECT max(lane_seq) FROM audit WHERE lane = $L")
RP="SET session_replication_role = replica;"   # the append-only trigger off (superuser)
$PSQL -c "CREATE TABLE saved AS SELECT * FROM audit WHERE lane = $L; CREATE TABLE saved_meta AS SELECT * FROM meta"
undo() {
    $PSQL -c "$RP DELETE FROM audit WHERE lane = $L OR seq IN (SELECT seq FROM saved);
              INSERT INTO audit SELECT * FROM saved; DELETE FROM meta; INSERT INTO meta SELECT * FROM saved_meta"
}
fails() {   # fails DESCRIPTION PATTERN: verify must fail and say PATTERN
    if $K audit verify >"$T/out" 2>"$T/err"; then
        notok "$1: audit verify passed"
    elif grep -q "$2" "$T/err"; then
        ok "$1: $(head -c 200 "$T/err")"
    else
        notok "$1: said $(cat "$T/err")"
    fi
    undo
    $K audit verify >"$T/out" 2>&1 || notok "verify still fails after undoing it: $(cat "$T/out")"
}
$PSQL -c "$RP DELETE FROM audit WHERE lane = $L AND lane_seq = 2"
fails "a record deleted in the middle of lane $L" "audit lane $L record 2 is missing (found 3 next"
$PSQL -c "$RP DELETE FROM audit WHERE lane = $L AND lane_seq = $N"
fails "lane $L's last record deleted" "audit lane $L ends at record $((N - 1)) but its head says $N"
# the head replayed from the anchor's line for N-1: the anchor's line for N catches it
OLD=$(grep "^$L/$((N - 1)):" "$KEY.head" | tail -n 1 | cut -d/ -f2)
[ -n "$OLD" ] || notok "no anchor line for lane $L record $((N - 1))"
$PSQL -c "$RP DELETE FROM audit WHERE lane = $L AND lane_seq = $N;
          UPDATE meta SET value = '$OLD' WHERE key = 'audit_head/$L'"
fails "lane $L's last record deleted, its head replayed" \
    "audit lane $L ends at record $((N - 1)) but the anchor .* saw record $N"
$PSQL -c "$RP UPDATE audit SET detail = detail || ' (edited)' WHERE lane = $L AND lane_seq = 3"
fails "a detail edited in lane $L" "audit lane $L record 3 does not match its hash"
$PSQL -c "$RP UPDATE audit SET lane = $M, lane_seq = (SELECT max(lane_seq) + 1 FROM audit WHERE lane = $M)
          WHERE lane = $L AND lane_seq = $N"
if [ "$M" -eq 0 ]; then
    fails "lane $L's last record moved to the end of lane 0" "audit record [0-9]* does not match its hash"
else
    fails "lane $L's last record moved to the end of lane $M" "audit lane $M record [0-9]* does not match its hash"
fi
$PSQL -c "$RP UPDATE audit SET lane = $M, lane_seq = -lane_seq WHERE lane = $L AND lane_seq = 2"
fails "a record moved out of the middle of lane $L" "lane $L record 2 is missing\|audit.*record.*missing (found -2"
if $K audit verify >"$T/out" 2>&1; then ok "the honest trail verifies again: $(tail -n 1 "$T/out")"; else
    notok "the restored trail fails: $(cat "$T/out")"; fi
finish 0
