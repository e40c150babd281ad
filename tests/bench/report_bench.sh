#!/bin/sh
# tests/bench/report_bench.sh — the staff reports and the audit browser
# (build/bench/bench_report; see tests/console/bench_report.c): each of the six
# reports and a page of 40 audit records under each filter, on the demo database
# (a report ≤ 200 ms at 1M households; read only, no copy needed).  The demo's
# audit trail is short, so the audit pages are measured a second time on a
# database whose trail holds 1,000,000 records (sqlite3 inserts them straight
# into the table: the chain is not valid, the reads do not care), built once
# and kept as $B/bench/audit-1m.db.
set -u
B=${KIOSK_BUILD:-build}
. tests/bench/demo_db.sh
make --no-print-directory -s "$B/bench/bench_report" "$B/kioskctl" >/dev/null || exit 1
bench_demo_db || exit 1
echo "# on $DEMO_DB"
"$B/bench/bench_report" "$DEMO_DB" || rc=1
A="$B/bench/audit-1m.db"
if [ ! -f "$A" ] || [ -f "$A.partial" ]; then
    rm -f "$A" "$A.key" "$A.key.head" && touch "$A.partial" &&
    "$B/kioskctl" --db "$A" init >/dev/null &&
    sqlite3 "$A" "WITH RECURSIVE n(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM n WHERE i < 1000001)
        INSERT INTO audit (seq, lane_seq, at, actor, action, object, detail, hash)
        SELECT i, i, printf('20%02d-%02d-%02d %02d:%02d:00', 20 + i / 200000, 1 + i / 17000 % 12,
                         1 + i / 560 % 28, i / 60 % 24, i % 60),
               CASE i % 7 WHEN 0 THEN 'demo-street' WHEN 1 THEN 'demo-district'
                          WHEN 2 THEN 'resident@LH-DEMO-01' ELSE printf('clerk%d', i % 50) END,
               CASE i % 5 WHEN 0 THEN 'bed-advance' WHEN 1 THEN 'login' WHEN 2 THEN 'find'
                          WHEN 3 THEN 'reveal' ELSE 'accept' END,
               printf('entry prh/BHJ%07d', i % 300000), 'bench', zeroblob(32) FROM n;" &&
    rm -f "$A.partial" || exit 1
fi
echo "# on $A (1,000,001 audit records)"
"$B/bench/bench_report" "$A" || rc=1
exit ${rc:-0}
