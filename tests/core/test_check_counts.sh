#!/bin/sh
# test_check_counts.sh — kioskctl check recounts what triggers keep (issue 14): the
# offered and frozen entries per programme (entry_open_n, migration 012) and the
# housings per month (housed_month, 008).  A kept count edited behind the programs'
# back with sqlite3 makes check exit non-zero naming the programme, the table, the
# status or month and both numbers; put back, check passes again.  Prints TAP lines.
. "$(dirname "$0")/lib.sh"
DB="$T/c.db"
K="$CTL --db $DB"

check "init" $K init
check "demo" $K demo --households 3000 --seed 5
expect_exit 0 "check passes on the demo database" $K check
grep -q "^queue prh: .*consistent" "$T/out" && ok "prh's counts agree" || notok "check said: $(cat "$T/out")"

# entry_open_n: one offered too many for prh
PRH=$(sqlite3 "$DB" "select id from program where code = 'prh'")
kept=$(sqlite3 "$DB" "select n from entry_open_n where program_id = $PRH and status = 2")
real=$(sqlite3 "$DB" "select count(*) from entry where program_id = $PRH and status = 2")
[ -n "$kept" ] && [ "$kept" = "$real" ] && ok "the demo keeps prh's offered count ($kept)" || notok "kept '$kept', real '$real'"
sqlite3 "$DB" "update entry_open_n set n = n + 1 where program_id = $PRH and status = 2"
expect_exit 1 "check fails on a wrong offered count" $K check
grep -q "^queue prh: FAILED: kept count entry_open_n status offered is $((real + 1)), a recount finds $real" "$T/out" \
    && ok "names the programme, the table, the status and both numbers" || notok "check said: $(cat "$T/out")"
grep -q "^queue ahp: .*consistent" "$T/out" && ok "the other programmes still pass" || notok "check said: $(cat "$T/out")"
grep -q "problem.* found" "$T/out" && ok "the problem is counted" || notok "check said: $(cat "$T/out")"
sqlite3 "$DB" "update entry_open_n set n = n - 1 where program_id = $PRH and status = 2"
expect_exit 0 "check passes with the count put back" $K check

# a frozen count row lost altogether: a kept 0 against the rows
frozen=$(sqlite3 "$DB" "select count(*) from entry where program_id = $PRH and status = 1")
sqlite3 "$DB" "delete from entry_open_n where program_id = $PRH and status = 1"
if [ "$frozen" -gt 0 ]; then
    expect_exit 1 "check fails when the frozen count row is gone" $K check
    grep -q "entry_open_n status frozen is 0, a recount finds $frozen" "$T/out" && ok "names the frozen count" \
        || notok "check said: $(cat "$T/out")"
else
    notok "the demo has no frozen prh entries to test with"
fi
sqlite3 "$DB" "insert into entry_open_n (program_id, status, n) values ($PRH, 1, $frozen)"
expect_exit 0 "check passes with the row back" $K check

# housed_month: a month's kept housings changed
month=$(sqlite3 "$DB" "select month from housed_month where program_id = $PRH and n > 0 order by month limit 1")
hn=$(sqlite3 "$DB" "select n from housed_month where program_id = $PRH and month = '$month'")
[ -n "$month" ] && ok "the demo has housings kept for prh ($hn in $month)" || notok "no housed_month row for prh"
sqlite3 "$DB" "update housed_month set n = n + 2 where program_id = $PRH and month = '$month'"
expect_exit 1 "check fails on a wrong month of housings" $K check
grep -q "^queue prh: FAILED: kept count housed_month $month is $((hn + 2)), a recount finds $hn" "$T/out" \
    && ok "names the month and both numbers" || notok "check said: $(cat "$T/out")"
# a kept month with no housing at all
sqlite3 "$DB" "update housed_month set n = n - 2 where program_id = $PRH and month = '$month'"
sqlite3 "$DB" "insert into housed_month (program_id, month, n) values ($PRH, '1999-01', 3)"
expect_exit 1 "check fails on a kept month nobody was housed in" $K check
grep -q "kept count housed_month 1999-01 is 3, a recount finds 0" "$T/out" && ok "names that month" \
    || notok "check said: $(cat "$T/out")"
sqlite3 "$DB" "delete from housed_month where program_id = $PRH and month = '1999-01'"
expect_exit 0 "check passes once more" $K check
done_testing
