#!/bin/sh
# tests/bench/pg_audit_bench.sh — what one audited write costs on PostgreSQL,
# two builds side by side (issue 13: an audited write in fewer round trips,
# docs/design.md "Lanes"):
#   sh tests/bench/pg_audit_bench.sh OLD_BUILD NEW_BUILD
# One throwaway cluster (tests/pg/cluster.sh, fsync=on), a database for each
# build (each initialised by its own kioskctl, so each has its own schema
# version), then ROUNDS rounds alternating the builds: `pg_writers audit`
# appends NA audit records, each in a SHARED write transaction of its own
# (what the console's search by ID number, name or phone writes).  Per build:
# the statements one such transaction costs, counted from the server's own
# log (log_statement = all for two runs of the writer, 2 and 12 records: the
# difference over 10, so the connection's own set-up does not count), and the
# median over the rounds of each round's median BEGIN + audit_append (the
# round trips; no WAL flush) and whole transaction.  Alternating in one
# cluster keeps the disk, the server and the machine's load the same for
# both.  Lines: "name value".  Not part of make check or make bench.
OLD=${1:?usage: pg_audit_bench.sh OLD_BUILD NEW_BUILD}
NEW=${2:?usage: pg_audit_bench.sh OLD_BUILD NEW_BUILD}
ROUNDS=${ROUNDS:-7}
NA=${NA:-300}
for b in "$OLD" "$NEW"; do
    [ -x "$b/bench/pg_writers" ] && [ -x "$b/kioskctl" ] ||
        { echo "pg_audit FAIL: $b/bench/pg_writers or $b/kioskctl not built"; exit 1; }
done
. tests/pg/cluster.sh
pg_bench_cluster pg_audit
base=${KIOSK_TEST_PG%/*}
LOG=$KIOSK_TEST_PGDATA/server.log
i=0
for b in "$OLD" "$NEW"; do
    "$PGBIN/psql" -X -q -d "$KIOSK_TEST_PG" -c "CREATE DATABASE kiosk_b$i" >/dev/null || exit 1
    printf '[kiosk]\nsecret_file = %s/b%d.key\n' "$T" "$i" >"$T/b$i.conf"
    "$b/kioskctl" --config "$T/b$i.conf" --db "$base/kiosk_b$i" init >/dev/null ||
        { echo "pg_audit FAIL: kioskctl init of $b"; exit 1; }
    i=$((i + 1))
done
# the statements the server logged while the writer of build $1 (index $2) appended $3 records
logged() {
    before=$(grep -cE 'LOG:  (statement: |execute )' "$LOG")
    PGOPTIONS="-c log_statement=all" "$1/bench/pg_writers" audit "$T/b$2.key" "$base/kiosk_b$2" \
        count "$3" >/dev/null 2>>"$T/count.err" || { echo "pg_audit FAIL: $(cat "$T/count.err")" >&2; exit 1; }
    echo $(($(grep -cE 'LOG:  (statement: |execute )' "$LOG") - before))
}
i=0
for b in "$OLD" "$NEW"; do
    two=$(logged "$b" $i 2) twelve=$(logged "$b" $i 12)
    awk -v b="$b" -v d="$((twelve - two))" \
        'BEGIN { printf "statements_per_audited_write %.1f  (%s)\n", d / 10, b }'
    i=$((i + 1))
done
r=0
while [ $r -lt "$ROUNDS" ]; do
    i=0
    for b in "$OLD" "$NEW"; do
        "$b/bench/pg_writers" audit "$T/b$i.key" "$base/kiosk_b$i" bench "$NA" >/dev/null 2>"$T/r.err" ||
            { echo "pg_audit FAIL: $b: $(grep -v '^#' "$T/r.err" | head -3)"; exit 1; }
        sed -n 's/^# audit append median \([0-9]*\) us, transaction median \([0-9]*\) us/\1 \2/p' \
            "$T/r.err" >>"$T/times$i"
        i=$((i + 1))
    done
    r=$((r + 1))
done
i=0
for b in "$OLD" "$NEW"; do
    a=$(cut -d' ' -f1 "$T/times$i" | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}')
    w=$(cut -d' ' -f2 "$T/times$i" | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}')
    echo "audit_append_median_us $a  (BEGIN + audit_append; whole transaction $w us; median of $ROUNDS rounds of $NA, $b: $(cut -d' ' -f1 "$T/times$i" | tr '\n' ' '))"
    i=$((i + 1))
done
echo "load_average $(cut -d' ' -f1-3 /proc/loadavg)"
