#!/bin/sh
# tests/bench/pg_clerks_bench.sh — staff actions on PostgreSQL: three clerks on ONE
# programme side by side against three clerks on three programmes, and one clerk alone
# (issue 13 item 2: actions on one programme take turns on its rank blocks, Fenwick
# nodes and change counter — rows each such action updates — so this measures what
# that costs).  Each clerk is build/bench/pg_writers staff (its own process and
# connection): every receipt of its list frozen, then unfrozen (2 audited actions).
# Own throwaway cluster, 20,000 demo households, every programme published; N
# receipts per clerk (60); 3 rounds.  Not part of make check.
#   usage: KIOSK_BUILD=build sh tests/bench/pg_clerks_bench.sh
B=${KIOSK_BUILD:-build}
. tests/pg/cluster.sh
pg_bench_cluster pg_clerks
export KIOSK_STORE_PG_PLUGIN="$B/lib/kiosk-store-pg.so"
URL=$KIOSK_TEST_PG; KEY=$T/site.key
printf '[kiosk]\nsecret_file = %s\n' "$KEY" >"$T/kiosk.conf"
K="$B/kioskctl --config $T/kiosk.conf --db $URL"
PSQL="$PGBIN/psql -X -A -t -q -v ON_ERROR_STOP=1 -d $URL"
$K init >/dev/null && $K demo --households 20000 --seed 5 >/dev/null || exit 1
for p in prh ahp talent; do $K publish --program $p >/dev/null; done
W=$B/bench/pg_writers
pick() { $PSQL -c "SELECT receipt_no FROM entry e JOIN program p ON p.id = e.program_id WHERE p.code = '$1' AND e.status = 0 ORDER BY e.skey OFFSET $2" | awk -v c="$3" 'NR % 9 == 1 && k < c {print; k++}'; }
N=${N:-60}
for r in 1 2 3; do
  pick prh 3 $N > "$T/prh0"; pick prh 4 $N > "$T/prh1"; pick prh 5 $N > "$T/prh2"
  pick ahp 3 $N > "$T/ahp"; pick talent 3 $N > "$T/tal"
  t0=$(date +%s.%N); $W staff "$KEY" "$URL" prh "$T/prh0" >/dev/null 2>"$T/e0"; t1=$(date +%s.%N)
  alone=$(echo "$t1 - $t0" | bc)
  t0=$(date +%s.%N)
  $W staff "$KEY" "$URL" prh "$T/prh0" >/dev/null 2>"$T/a0" & a=$!
  $W staff "$KEY" "$URL" prh "$T/prh1" >/dev/null 2>"$T/a1" & b=$!
  $W staff "$KEY" "$URL" prh "$T/prh2" >/dev/null 2>"$T/a2" & c=$!
  wait $a $b $c; t1=$(date +%s.%N); same=$(echo "$t1 - $t0" | bc)
  t0=$(date +%s.%N)
  $W staff "$KEY" "$URL" prh "$T/prh1" >/dev/null 2>"$T/b0" & a=$!
  $W staff "$KEY" "$URL" ahp "$T/ahp" >/dev/null 2>"$T/b1" & b=$!
  $W staff "$KEY" "$URL" talent "$T/tal" >/dev/null 2>"$T/b2" & c=$!
  wait $a $b $c; t1=$(date +%s.%N); diff=$(echo "$t1 - $t0" | bc)
  ops=$((2 * N))
  printf 'round %d: 1 clerk %d actions %.2fs = %.0f/s | 3 clerks one programme %d actions %.2fs = %.0f/s (slowest: %s) | 3 clerks three programmes %.2fs = %.0f/s (slowest: %s)\n' \
    $r $ops $alone $(echo "$ops / $alone" | bc -l) $((3*ops)) $same $(echo "3*$ops / $same" | bc -l) "$(cat $T/a0 $T/a1 $T/a2 | grep -o 'slowest [0-9.]* ms' | tr '\n' ' ')" \
    $diff $(echo "3*$ops / $diff" | bc -l) "$(cat $T/b0 $T/b1 $T/b2 | grep -o 'slowest [0-9.]* ms' | tr '\n' ' ')"
done
