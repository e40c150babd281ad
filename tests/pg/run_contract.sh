#!/bin/sh
# tests/pg/run_contract.sh — the storage contract suite on PostgreSQL (SPEC §7,
# ARCHITECTURE "Tests"): start a throwaway cluster (tests/pg/cluster.sh), run
# the core unit tests that use the store with KIOSK_TEST_DB=pg (each test gets
# a fresh schema, testdb.h), re-print their cmocka summary lines so
# tests/run.sh counts them, then drive kioskctl end to end on a postgresql://
# URL and check what only PostgreSQL has (the audit trigger).  TAP lines.
# If the server cannot start, this FAILS: a contract that was not run is not
# a pass.
B=${KIOSK_BUILD:-build}
. tests/pg/cluster.sh
T=$(mktemp -d /tmp/kiosk-pgc-XXXXXX)
trap 'pg_cluster_stop; rm -rf "$T"' EXIT
trap 'exit 1' INT TERM
n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); echo "not ok $n - $*"; }

if ! pg_cluster_start; then
    notok "start a throwaway PostgreSQL 15 cluster (see above)"
    echo "1..$n"
    exit 1
fi
ok "throwaway cluster at $KIOSK_TEST_PG (fsync=on)"
export ASAN_OPTIONS=detect_leaks=1

# The five programs run side by side, each in its own database: the backend's
# writer lock is per database (one district = one database), so separate
# databases keep one program's long write transaction from timing out another's.
UNITS="console_stmts queue breakdown sql_exec audit importer eldercare auth kiosk_status store_engines notice lookup_facts outbox person report work_queue"
base=${KIOSK_TEST_PG%/*}
for t in $UNITS; do
    "$PGBIN/psql" -X -q -d "$KIOSK_TEST_PG" -c "CREATE DATABASE kiosk_$t" >/dev/null
    bin="$B/asan/tests/unit/test_$t"
    [ -x "$bin" ] || continue
    KIOSK_TEST_DB=pg KIOSK_TEST_PG="$base/kiosk_$t" "$bin" >"$T/test_$t.log" 2>&1 &
    echo $! >"$T/test_$t.pid"
done
rc_all=0
for t in $UNITS; do
    bin="$B/asan/tests/unit/test_$t"
    log="$T/test_$t.log"
    if [ ! -f "$T/test_$t.pid" ]; then
        notok "test_$t on PostgreSQL: $bin not built"
        rc_all=1
        continue
    fi
    wait "$(cat "$T/test_$t.pid")"
    rc=$?
    mkdir -p "$B/test-logs" && cp "$log" "$B/test-logs/pg_test_$t.log"
    echo "# test_$t on PostgreSQL (exit $rc, log $B/test-logs/pg_test_$t.log)"
    # the plan and summary lines, verbatim, so tests/run.sh adds them up (and sees a run
    # cut short: "Running N" without N passed + failed)
    grep -E '^\[==========\] Running [0-9]+ test|^\[  (PASSED|FAILED)  \] ' "$log"
    if [ "$rc" -ne 0 ] && ! grep -q '^\[  FAILED  \] [0-9]* test(s), listed below' "$log"; then
        notok "test_$t on PostgreSQL exited $rc without a cmocka failure: $(grep -m3 -E 'ERROR|Sanitizer|testdb' "$log" | tr '\n' ' ')"
    fi
    [ "$rc" -ne 0 ] && rc_all=1
done

# ---- kioskctl end to end on a postgresql:// URL --------------------------------
CTL="$B/asan/kioskctl"
"$PGBIN/psql" -X -q -d "$KIOSK_TEST_PG" -c "CREATE SCHEMA e2e" >/dev/null 2>&1
URL="$KIOSK_TEST_PG?options=-csearch_path%3De2e"
printf '[kiosk]\nsecret_file = %s/site.key\n' "$T" >"$T/kiosk.conf"
K="$CTL --config $T/kiosk.conf --db $URL"
expect() {   # expect CODE DESCRIPTION COMMAND...
    code=$1; d=$2; shift 2
    "$@" >"$T/out" 2>"$T/err"; rc=$?
    if [ "$rc" -eq "$code" ]; then ok "$d (exit $rc)"; else notok "$d: exit $rc, wanted $code: $(head -c 300 "$T/err")"; fi
}
expect 0 "kioskctl init on PostgreSQL" $K init
# the PostgreSQL steps mirror data/migrations one for one
NV=$(ls data/migrations/*.sql | wc -l)
grep -q "schema version $NV (was 0)" "$T/out" && ok "init reports schema 0 -> $NV" || notok "init said: $(cat "$T/out")"
expect 0 "init again is idempotent" $K init
grep -q "version $NV, up to date" "$T/out" && ok "second init finds version $NV up to date" || notok "second init said: $(cat "$T/out")"
expect 0 "kioskctl demo on PostgreSQL" $K demo --households 3000 --seed 7
ID=$(awk '/^  insert/ {print $2; exit}' "$T/out")
[ -n "$ID" ] && ok "demo names a household" || notok "demo printed no household"
expect 0 "kioskctl check on PostgreSQL" $K check
grep -q "integrity: ok" "$T/out" && ok "check: integrity ok" || notok "check said: $(cat "$T/out")"
grep -q "rank structure consistent" "$T/out" && ok "check: rank structures consistent" || notok "check said: $(cat "$T/out")"
expect 0 "position --id on PostgreSQL" $K position --id "$ID"
grep -q "position [0-9]* of [0-9]*" "$T/out" && ok "position shows N of M" || notok "no position in: $(cat "$T/out")"
expect 0 "position --json on PostgreSQL" $K position --id "$ID" --json
expect 0 "export round trip source" $K export queue --program prh
lines=$(wc -l <"$T/out")
[ "$lines" -gt 100 ] && ok "export lists $lines lines" || notok "export listed $lines lines"
expect 0 "publish on PostgreSQL" $K publish --program prh
expect 1 "backup says to use pg_dump" $K backup "$T/b.db"
grep -q "pg_dump" "$T/err" && ok "backup message names pg_dump" || notok "backup said: $(cat "$T/err")"

PSQL="$PGBIN/psql -X -q -v ON_ERROR_STOP=1 -d $URL"
# issue 14: a name search reads a common name's first 41 rows in id order from the
# index (migration 016: entry_name_id (name_hash, id)), with no Sort of every row of the
# name; the demo's commonest name, index paths only (a 3,000-row table would be scanned)
NAMEH=$($PSQL -tA -c "SELECT encode(name_hash, 'hex') FROM entry WHERE name_hash IS NOT NULL GROUP BY name_hash ORDER BY count(*) DESC LIMIT 1")
NAMEQ="SET enable_seqscan = off; SET enable_bitmapscan = off; EXPLAIN (COSTS OFF) SELECT id FROM entry WHERE name_hash = decode('$NAMEH', 'hex') ORDER BY id LIMIT 41"
$PSQL -c "$NAMEQ" >"$T/plan" 2>&1
if grep -q "entry_name_id" "$T/plan" && ! grep -q "^ *->  Sort\|^ *Sort" "$T/plan"; then
    ok "name search plan: entry_name_id in id order, no sort"
else
    notok "name search plan sorts or misses the index: $(tr '\n' ' ' <"$T/plan")"
fi
# issue 13: the home menu's overdue applications are a range per stage of
# bed_app_stage_at (migration 017), compared in byte order (updated_at COLLATE "C",
# as the dates are on SQLite, whatever the server's locale)
STAGEQ="SET enable_seqscan = off; SET enable_bitmapscan = off; EXPLAIN (COSTS OFF) SELECT count(*) FROM bed_app WHERE stage = 1 AND updated_at < '2026-11-10'"
$PSQL -c "$STAGEQ" >"$T/plan" 2>&1
grep -q "Index Only Scan using bed_app_stage_at" "$T/plan" && ok "home counts plan: a range of bed_app_stage_at" ||
    notok "home counts plan misses bed_app_stage_at: $(tr '\n' ' ' <"$T/plan")"
COLL=$($PSQL -tA -c "SELECT collation_name FROM information_schema.columns WHERE table_schema = 'e2e' AND table_name = 'bed_app' AND column_name = 'updated_at'")
[ "$COLL" = "C" ] && ok "bed_app.updated_at is in byte order (C)" || notok "bed_app.updated_at collation: '$COLL'"
# the audit table is append-only on the server itself (RELIABILITY.md §2)
if $PSQL -c "UPDATE audit SET detail = 'x' WHERE seq = 1" >/dev/null 2>"$T/err"; then
    notok "UPDATE on audit was allowed"
else
    grep -q "append-only" "$T/err" && ok "UPDATE on audit refused by the trigger" || notok "UPDATE failed oddly: $(cat "$T/err")"
fi
if $PSQL -c "DELETE FROM audit" >/dev/null 2>"$T/err"; then notok "DELETE on audit was allowed"; else ok "DELETE on audit refused"; fi
if $PSQL -c "TRUNCATE audit" >/dev/null 2>"$T/err"; then notok "TRUNCATE on audit was allowed"; else ok "TRUNCATE on audit refused"; fi
# issue 11: check names each row edited in the database (shared with test_row_seal.sh)
. tests/core/row_seal_cases.sh
dbq() { $PSQL -tA -F '|' -c "$1"; }
RESIDENT=$ID
rs_cases
# issue 11: the owner and app roles of install/pg_roles.sh.  Migrations run as the owner;
# the programs connect as the app role, which owns nothing: it works, but cannot disable
# the audit trail's triggers nor delete from it (the owner could: that is why).
if sh install/pg_roles.sh create "$KIOSK_TEST_PG" kiosk_roles >"$T/out" 2>"$T/err"; then
    ok "pg_roles.sh create: roles kiosk_owner, kiosk_app and database kiosk_roles"
else
    notok "pg_roles.sh create: $(cat "$T/err")"
fi
OWN="postgresql://kiosk_owner@127.0.0.1:$PG_PORT/kiosk_roles"
APP="postgresql://kiosk_app@127.0.0.1:$PG_PORT/kiosk_roles"
printf '[kiosk]\nsecret_file = %s/roles.key\n' "$T" >"$T/roles.conf"
expect 0 "init as the owner runs the migrations" $CTL --config "$T/roles.conf" --db "$OWN" init
if sh install/pg_roles.sh grant "$OWN" >"$T/out" 2>"$T/err"; then ok "pg_roles.sh grant, as the owner"; else notok "pg_roles.sh grant: $(cat "$T/err")"; fi
KA="$CTL --config $T/roles.conf --db $APP"
expect 0 "init as the app role finds the schema up to date and writes no DDL" $KA init
expect 0 "demo as the app role (the data tables are writable)" $KA demo --households 300 --seed 4
expect 0 "publish as the app role (a staff action, audited)" $KA publish --program prh
expect 0 "check as the app role" $KA check
APSQL="$PGBIN/psql -X -q -v ON_ERROR_STOP=1 -d $APP"
for stmt in "ALTER TABLE audit DISABLE TRIGGER ALL" "ALTER TABLE audit DISABLE TRIGGER audit_append_only" \
            "DROP TRIGGER audit_append_only ON audit" "DELETE FROM audit" "TRUNCATE audit" \
            "UPDATE audit SET detail = 'x'" "DROP TABLE audit" "ALTER TABLE entry DISABLE TRIGGER ALL"; do
    if $APSQL -c "$stmt" >/dev/null 2>"$T/err"; then
        notok "the app role could: $stmt"
    elif grep -qE "must be owner|permission denied" "$T/err"; then
        ok "the app role cannot: $stmt ($(head -1 "$T/err" | sed 's/^[^:]*: *//' | cut -c1-60))"
    else
        notok "$stmt failed oddly: $(cat "$T/err")"
    fi
done
[ "$($APSQL -tA -c "SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner WHERE r.rolname = 'kiosk_app'")" = 0 ] &&
    ok "the app role owns no table, index or sequence" || notok "the app role owns relations"
OPSQL="$PGBIN/psql -X -q -v ON_ERROR_STOP=1 -d $OWN"
$OPSQL -c "ALTER TABLE audit DISABLE TRIGGER audit_append_only; ALTER TABLE audit ENABLE TRIGGER audit_append_only" >/dev/null 2>&1 &&
    ok "(the owner can disable the trigger: why the programs must not connect as it)" ||
    notok "the owner could not toggle the trigger"

# issue 14: a kept count edited behind the programs' back is named by check (the
# offered entries per programme, entry_open_n; the housings per month, housed_month)
PRHQ="(SELECT id FROM program WHERE code = 'prh')"
$PSQL -c "UPDATE entry_open_n SET n = n + 1 WHERE status = 2 AND program_id = $PRHQ" >/dev/null
expect 1 "check catches a wrong kept offered count" $K check
grep -q "^queue prh: FAILED: kept count entry_open_n status offered is" "$T/out" && ok "check names the count" ||
    notok "check said: $(cat "$T/out")"
$PSQL -c "UPDATE entry_open_n SET n = n - 1 WHERE status = 2 AND program_id = $PRHQ" >/dev/null
$PSQL -c "INSERT INTO housed_month (program_id, month, n) VALUES ($PRHQ, '1999-01', 3)" >/dev/null
expect 1 "check catches a kept month nobody was housed in" $K check
grep -q "kept count housed_month 1999-01 is 3, a recount finds 0" "$T/out" && ok "check names the month" ||
    notok "check said: $(cat "$T/out")"
$PSQL -c "DELETE FROM housed_month WHERE program_id = $PRHQ AND month = '1999-01'" >/dev/null
expect 0 "check passes with the counts put back" $K check
# a damaged rank structure is caught by check
$PSQL -c "UPDATE rank_block SET n = n + 1 WHERE slot = (SELECT min(slot) FROM rank_block)" >/dev/null
expect 1 "check catches a damaged rank block" $K check
# bad URL: a clear error, exit 1, and never the password
expect 1 "unreachable server fails cleanly" $CTL --config "$T/kiosk.conf" --db "postgresql://kiosk:s3cret@127.0.0.1:1/none" check
grep -q "s3cret" "$T/err" && notok "the password was printed" || ok "the password is not printed"

echo "1..$n"
[ "$rc_all" -eq 0 ]
