#!/bin/sh
# tests/pg/test_replica.sh — look-ups on a hot standby ([kiosk] database_read,
# issue 13): a throwaway primary and a streaming standby of it (pg_basebackup
# -R, hot_standby) on 127.0.0.1, the real kiosk in tmux reading from the
# standby and writing to the primary.
#   1. a card look-up runs on the standby (its own statement log shows it);
#   2. read your writes: with the standby's replay paused, a resident applies
#      for a bed and the summary shows the application at once (read from the
#      primary) although the standby does not have it;
#   3. the standby goes away: look-ups fall back to the primary;
#   4. SIGTERM.
# TAP.  Without the servers it FAILS.
. tests/pg/kiosk_tmux.sh
kt_setup replica || finish 1

kt_standby || finish 1
PSQL_SB="$PGBIN/psql -X -A -t -d $SB_URL"
PSQL_P="$PGBIN/psql -X -A -t -d $KIOSK_TEST_PG"
[ "$($PSQL_SB -c 'SELECT pg_is_in_recovery()')" = t ] && ok "the standby is in recovery (read-only)" ||
    notok "the standby is not in recovery"
printf 'database_read = %s\n' "$SB_URL" >>"$T/kiosk.conf"
kt_kiosk_start || finish 1

# 1. the look-up runs on the standby
before=$(grep -c "WHERE e.id_hash = " "$SB/server.log")
card "insert $CARD"
if wait_re "[0-9] of [0-9]" 15; then ok "card look-up shows a position"; else notok "no position"; dump; fi
after=$(grep -c "WHERE e.id_hash = " "$SB/server.log")
[ "$after" -gt "$before" ] && ok "the look-up ran on the standby ($((after - before)) statement)" ||
    notok "the standby's log shows no look-up"
card remove
wait_for "Please place your ID card" 15

# 2. read your writes, with the standby's replay paused
$PSQL_SB -c "SELECT pg_wal_replay_pause()" >/dev/null
card "insert $ELDER"
kt_apply_to_confirm
tmux send-keys -t "$S" Enter
wait_for "Application submitted" 10 || { notok "not submitted"; dump; }
REF=$(kt_reference)
tmux send-keys -t "$S" Enter
if wait_for "Home care bed application $REF" 10; then
    ok "after applying, the summary shows $REF at once (read from the primary)"
else
    notok "the summary does not show $REF"; dump
fi
[ "$($PSQL_P -c "SELECT count(*) FROM bed_app WHERE ref = '$REF'")" = 1 ] &&
    [ "$($PSQL_SB -c "SELECT count(*) FROM bed_app WHERE ref = '$REF'")" = 0 ] &&
    ok "the primary has it, the paused standby does not: the kiosk read its own write" ||
    notok "primary/standby counts for $REF not 1/0"
card remove
wait_for "Please place your ID card" 15
$PSQL_SB -c "SELECT pg_wal_replay_resume()" >/dev/null

# 3. the standby goes away: the next resident is still answered (from the primary)
pg_as "$PGBIN/pg_ctl" -D "$SB" -m immediate -w stop >/dev/null 2>&1
card "insert $CARD"
if wait_re "[0-9] of [0-9]" 15; then ok "standby down: the look-up falls back to the primary"; else
    notok "no position with the standby down"; dump; fi
card remove
wait_for "Please place your ID card" 15

kt_stop
finish 0
