#!/bin/sh
# tests/pg/test_outage.sh — the resident kiosk when the district PostgreSQL
# server goes away and comes back (issue 13, "outage at the kiosk"): the real
# kiosk (sanitized build, simulated devices) in a real terminal (tmux), on its
# own throwaway cluster (tests/pg/cluster.sh — its own, because the test stops
# the server; the contract suite's cluster is never disturbed).
#   1. a card look-up works;
#   2. the server is stopped: a card look-up says in plain words that the
#      records cannot be reached, at once (no hang), and the attract screen
#      keeps saying so; the UI still answers keys meanwhile;
#   2b. an application submitted after the server went away, and a second resident
#      whose card look-up finds the server away: both taken by the kiosk (outbox);
#   3. the server is started again: the kiosk finds it by itself (non-blocking
#      probes, back-off ≤ 30 s), the warning goes, and a card look-up works on
#      the new connection (statements prepared again);
#   3b. the fleet view: the kiosk's first heartbeat after records the outage
#      it saw (from, to), and `kioskctl kiosks` shows it ("database
#      unreachable …"), with the times bracketing the stop and the start;
#   3c. the console's fleet panel (the staff console in a real terminal, English
#      and Chinese) shows the same outage under the kiosk's row, in the same
#      words (kiosk_status_db_text);
#   4. the kiosk ends on SIGTERM; silent then, it is flagged "database
#      unreachable?" (its last heartbeat reported an outage), by kioskctl
#      kiosks and on the console's fleet panel.
# TAP.  Without a server or tmux it FAILS: a check not run is not a pass.
. tests/pg/kiosk_tmux.sh
kt_setup outage && kt_kiosk_start || finish 1

# 1. a look-up while the server is up
card "insert $CARD"
if wait_re "[0-9] of [0-9]" 15; then ok "card look-up shows a position"; else
    notok "no position after the card"; dump; fi
card remove
wait_for "Please place your ID card" 15 || { notok "not back to attract"; dump; }

# 2. the server goes away (immediate stop: every connection is cut)
t_stop=$(date +%s)
pg_as "$PGBIN/pg_ctl" -D "$KIOSK_TEST_PGDATA" -m immediate -w stop >/dev/null 2>&1
a=$(date +%s%N)
card "insert $CARD"
if wait_for "cannot be reached" 12; then
    b=$(date +%s%N)
    ok "server down: the look-up says the records cannot be reached ($(( (b - a) / 1000000 )) ms after the card)"
else
    notok "server down: no plain-words message"; dump
fi
card remove
if wait_for "Enquiries are not available" 10; then ok "the attract screen says enquiries are unavailable"; else
    notok "attract screen does not say so"; dump; fi
# the UI answers keys meanwhile: the language key switches at once
a=$(date +%s%N)
tmux send-keys -t "$S" F2
if wait_for "请将身份证放在读卡区" 3; then
    b=$(date +%s%N)
    ok "the UI answers a key while the server is away ($(( (b - a) / 1000000 )) ms)"
    tmux send-keys -t "$S" F2
    wait_for "Please place your ID card" 3
else
    notok "no answer to the language key while offline"; dump
fi

# 2b. an application filled in while the server was up, submitted after it went away:
# the kiosk keeps it (outbox beside the key) and says it will be registered
kt_server_start || notok "the server did not start again"
wait_gone "Enquiries are not available" 45 || notok "the kiosk did not find the server again"
card "insert $ELDER"
kt_apply_to_confirm
pg_as "$PGBIN/pg_ctl" -D "$KIOSK_TEST_PGDATA" -m immediate -w stop >/dev/null 2>&1
tmux send-keys -t "$S" Enter
if wait_for "has been taken by" 12; then
    ok "server down at submit: the application is taken by the kiosk, the screen says so"
else
    notok "no 'taken by this kiosk' after submitting with the server down"; dump
fi
REF=$(kt_reference)
[ -n "$REF" ] && ok "its reference $REF is shown at once" || { notok "no reference shown"; dump; }
st=$(sqlite3 "$T/outbox.db" "SELECT state FROM outbox WHERE ref = '$REF'" 2>&1)
mode=$(stat -c %a "$T/outbox.db")
[ "$st" = pending ] && [ "$mode" = 600 ] && ok "kept in $T/outbox.db (pending, mode $mode)" ||
    notok "outbox: state '$st' mode $mode"
if grep -qF "$(echo "$ELDER" | cut -d' ' -f1)" "$T/outbox.db"; then notok "the ID number is in the outbox in plain text"; else
    ok "the outbox holds no plain ID number"; fi
card remove
wait_for "Please place your ID card" 15
# a second resident arrives while the server is still away: no positions, but
# the application is taken all the same
card "insert $ELDER2"
if wait_for "cannot be shown right now" 12; then
    ok "server down at the card: the summary says positions cannot be shown, apply still offered"
else
    notok "no summary offering to apply while the server is down"; dump
fi
kt_apply_to_confirm
tmux send-keys -t "$S" Enter
wait_for "has been taken by" 12 && REF2=$(kt_reference)
[ -n "$REF2" ] && [ "$REF2" != "$REF" ] && ok "the second application is taken too ($REF2)" ||
    { notok "no second reference"; dump; }
card remove
wait_for "Please place your ID card" 15

# 3. the server comes back: the kiosk finds it by itself
kt_server_start || notok "the server did not start again"
t_start=$(date +%s)
a=$(date +%s)
if wait_gone "Enquiries are not available" 45; then
    ok "server back: the warning goes by itself ($(( $(date +%s) - a )) s, back-off ≤ 30 s)"
else
    notok "the warning stays after the server came back"; dump
fi
card "insert $CARD"
if wait_re "[0-9] of [0-9]" 15; then ok "card look-up works on the new connection"; else
    notok "no position after reconnecting"; dump; fi
card remove
wait_for "Please place your ID card" 15
# between residents, the kept application is filed by itself, once, under the
# reference the resident got
end=$(($(date +%s) + 20))
while [ "$(date +%s)" -le "$end" ]; do
    [ "$(sqlite3 "$T/outbox.db" "SELECT state FROM outbox WHERE ref = '$REF'")" = filed ] && break
    sleep 0.5
done
st=$(sqlite3 "$T/outbox.db" "SELECT group_concat(state) FROM outbox WHERE ref IN ('$REF', '$REF2')")
[ "$st" = filed,filed ] && ok "both kept applications are filed when the server is back" ||
    notok "outbox states: $st"
if $K bed show "$REF" >"$T/show" 2>&1 && grep -qi "submitted" "$T/show"; then
    ok "kioskctl bed show $REF: submitted"
else
    notok "bed show $REF: $(head -c 300 "$T/show")"
fi
$K bed list >"$T/list" 2>&1
n1=$(grep -c "$REF" "$T/list"); n2=$(grep -c "$REF2" "$T/list")
[ "$n1" = 1 ] && [ "$n2" = 1 ] && ok "kioskctl bed list shows each exactly once" ||
    notok "bed list: $REF $n1 times, $REF2 $n2 times"

# 3b. the fleet hears of the outage from the kiosk's next heartbeat
end=$(($(date +%s) + 20))
while [ "$(date +%s)" -le "$end" ]; do
    $K kiosks --json >"$T/fleet.json" 2>&1
    grep -q '"db": "was_unreachable"' "$T/fleet.json" && break
    sleep 0.5
done
from=$(sed -n 's/.*"db_lost_from": \([0-9]*\).*/\1/p' "$T/fleet.json")
to=$(sed -n 's/.*"db_lost_to": \([0-9]*\).*/\1/p' "$T/fleet.json")
if [ -n "$from" ] && [ "$from" -ge "$t_stop" ] && [ "$from" -le "$t_start" ] && [ "$to" -ge "$t_start" ]; then
    ok "the heartbeat records the outage the kiosk saw ($((from - t_stop)) s after the stop to $((to - t_start)) s after the start)"
else
    notok "outage in the fleet: from '$from' to '$to' (stop $t_stop, start $t_start): $(head -c 400 "$T/fleet.json")"
fi
$K kiosks >"$T/fleet.txt" 2>&1
grep -q "(database unreachable [0-9-]* [0-9:]* to [0-9:]*, " "$T/fleet.txt" &&
    ok "kioskctl kiosks says the kiosk could not reach the database, from when to when" ||
    notok "kioskctl kiosks: $(head -c 300 "$T/fleet.txt")"

# 3c. the console's fleet panel says it too, under the kiosk's row, in both languages
words=$(sed -n 's/.*(\(database unreachable [^)]*\)).*/\1/p' "$T/fleet.txt")
if kt_console en "$T/kiosk.conf"; then
    S=$KC
    if wait_re "^  database unreachable [0-9-]* [0-9:]* to [0-9:]*, [0-9]* \(s\|min\)" 10 &&
            screen | grep -qF "  $words"; then
        ok "console fleet panel: the outage under the kiosk's row, kioskctl's words ($words)"
    else
        notok "console fleet panel shows no outage (kioskctl: '$words')"; dump
    fi
    S=$KS
fi
if kt_console zh "$T/kiosk.conf"; then
    S=$KC
    if wait_re "^  数据库无法连接 [0-9-]* [0-9:]* 至 [0-9:]*，共[0-9]*\(秒\|分钟\)" 10; then
        ok "console fleet panel in Chinese: $(screen | grep -o '数据库无法连接.*' | sed 's/ *$//')"
    else
        notok "console fleet panel (zh) shows no outage"; dump
    fi
    S=$KS
fi

# 4. ends on SIGTERM
kt_stop
# 4b. stopped now, so silent; its last heartbeat reported an outage, so the
# fleet says the database is the likely cause, not just SILENT
cp "$T/kiosk.conf" "$T/fleet.conf" && printf '[fleet]\nsilent_after = 2\n' >>"$T/fleet.conf"
sleep 3
$B/asan/kioskctl --config "$T/fleet.conf" --db "$KIOSK_TEST_PG" kiosks >"$T/fleet2.txt" 2>&1
grep -q "SILENT .*<- silent: database unreachable? (lost it [0-9-]* [0-9:]* to [0-9:]*, " "$T/fleet2.txt" &&
    ok "a silent kiosk that reported an outage is flagged 'database unreachable?'" ||
    notok "silent kiosk in the fleet: $(head -c 300 "$T/fleet2.txt")"
if kt_console en "$T/fleet.conf"; then
    S=$KC
    if wait_re "^  silent: database unreachable? (lost it [0-9-]* [0-9:]* to [0-9:]*, " 10 &&
            wait_re "^ [^ ]* *SILENT " 5; then
        ok "console fleet panel: the silent kiosk SILENT, 'database unreachable?' under it"
    else
        notok "console fleet panel: no 'silent: database unreachable?'"; dump
    fi
    S=$KS
fi
if grep -q "ERROR: AddressSanitizer\|runtime error" "$T/console.err" 2>/dev/null; then
    notok "console sanitizer report: $(head -c 400 "$T/console.err")"
fi
finish 0
