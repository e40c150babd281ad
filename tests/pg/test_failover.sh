#!/bin/sh
# tests/pg/test_failover.sh — the primary fails and its standby is promoted while a
# resident is at the kiosk (issue 13, "failover"): a primary with a synchronous
# streaming standby (synchronous_standby_names = '*': an acknowledged commit is on
# the standby too), the kiosk's [kiosk] database a two-host URL with
# target_session_attrs=read-write (libpq tries the hosts in order and keeps the
# writable one; the kiosk's reconnection does the same, without blocking).
#   1. an application filed on the primary (acknowledged);
#   2. a second resident is at the confirm screen when the primary dies: the
#      application is taken by the kiosk (outbox);
#   3. the standby is promoted: the kiosk finds it by itself, files the kept
#      application there once, and look-ups work — no restart;
#   4. nothing acknowledged is lost: both applications are on the new primary.
# TAP.  Without the servers it FAILS.
. tests/pg/kiosk_tmux.sh
kt_setup failover || finish 1
P0="$PGBIN/psql -X -A -t -d $KIOSK_TEST_PG"
$P0 -c "ALTER SYSTEM SET synchronous_standby_names = '*'" -c "SELECT pg_reload_conf()" >/dev/null &&
    ok "the primary waits for its standby at each commit (synchronous_standby_names = '*')" ||
    notok "could not make the standby synchronous"
kt_standby || finish 1
PSB="$PGBIN/psql -X -A -t -d $SB_URL"
KT_DB="postgresql://postgres@127.0.0.1:$PG_PORT,127.0.0.1:$SB_PORT/kiosk?target_session_attrs=read-write"
kt_kiosk_start || finish 1

# 1. an application on the primary
card "insert $ELDER2"
kt_apply_to_confirm
tmux send-keys -t "$S" Enter
if wait_for "Your application has been submitted" 10; then REF0=$(kt_reference); ok "filed on the primary: $REF0"; else
    notok "not filed on the primary"; dump; fi
card remove
wait_for "Please place your ID card" 15

# 2. the primary dies while the next resident confirms
card "insert $ELDER"
kt_apply_to_confirm
pg_as "$PGBIN/pg_ctl" -D "$KIOSK_TEST_PGDATA" -m immediate -w stop >/dev/null 2>&1
tmux send-keys -t "$S" Enter
if wait_for "has been taken by" 12; then REF1=$(kt_reference); ok "primary down at submit: taken by the kiosk ($REF1)"; else
    notok "no 'taken by the kiosk' with the primary down"; dump; fi
card remove
wait_for "Please place your ID card" 15

# 3. the standby is promoted; the kiosk moves to it by itself
# promoted as a DBA does it: it has no standby of its own, so it must stop waiting for one
# (the setting came over with the base backup; a commit would wait for ever)
pg_as "$PGBIN/pg_ctl" -D "$SB" -w promote >/dev/null 2>&1 &&
    $PSB -c "ALTER SYSTEM RESET synchronous_standby_names" -c "SELECT pg_reload_conf()" >/dev/null &&
    ok "standby promoted (synchronous_standby_names reset)" || notok "promote failed"
a=$(date +%s)
if wait_gone "Enquiries are not available" 45; then
    ok "the kiosk reaches the new primary by itself ($(( $(date +%s) - a )) s, no restart)"
else
    notok "the kiosk stays offline after the promotion"; dump
fi
end=$(($(date +%s) + 20))
while [ "$(date +%s)" -le "$end" ]; do
    [ "$(sqlite3 "$T/outbox.db" "SELECT state FROM outbox WHERE ref = '$REF1'")" = filed ] && break
    sleep 0.5
done
[ "$(sqlite3 "$T/outbox.db" "SELECT state FROM outbox WHERE ref = '$REF1'")" = filed ] &&
    ok "the kept application is filed on the new primary" || notok "outbox: not filed"
card "insert $CARD"
if wait_re "[0-9] of [0-9]" 15; then ok "look-ups work on the new primary"; else notok "no position after failover"; dump; fi
card remove
wait_for "Please place your ID card" 15

# 4. nothing acknowledged lost, nothing twice
n0=$($PSB -c "SELECT count(*) FROM bed_app WHERE ref = '$REF0'")
n1=$($PSB -c "SELECT count(*) FROM bed_app WHERE ref = '$REF1'")
[ "$n0" = 1 ] && [ "$n1" = 1 ] && ok "both applications on the new primary, once each" ||
    notok "on the new primary: $REF0 x$n0, $REF1 x$n1"
kt_stop
finish 0
