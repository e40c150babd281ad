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
#   3. the server is started again: the kiosk finds it by itself (non-blocking
#      probes, back-off ≤ 30 s), the warning goes, and a card look-up works on
#      the new connection (statements prepared again);
#   4. the kiosk ends on SIGTERM.
# TAP.  Without a server or tmux it FAILS: a check not run is not a pass.
B=${KIOSK_BUILD:-build}
. tests/pg/cluster.sh
T=$(mktemp -d /tmp/kiosk-outage-XXXXXX)
chmod 755 "$T"
S=kiosk-outage-$$
cleanup() {
    tmux kill-session -t "$S" 2>/dev/null
    pg_cluster_stop
    [ -n "$KEEP" ] || rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); failed=1; echo "not ok $n - $*"; }
finish() { echo "1..$n"; [ "$1" -eq 0 ] && [ -z "$failed" ]; exit $?; }
screen() { tmux capture-pane -p -t "$S" 2>/dev/null; }
# wait_for TEXT SECONDS: until the screen shows TEXT (case-sensitive, fixed string)
wait_for() {
    end=$(($(date +%s) + $2))
    while [ "$(date +%s)" -le "$end" ]; do
        screen | grep -qF -- "$1" && return 0
        sleep 0.2
    done
    return 1
}
# wait_re REGEX SECONDS: until the screen matches REGEX (grep basic regex)
wait_re() {
    end=$(($(date +%s) + $2))
    while [ "$(date +%s)" -le "$end" ]; do
        screen | grep -q -- "$1" && return 0
        sleep 0.2
    done
    return 1
}
wait_gone() {
    end=$(($(date +%s) + $2))
    while [ "$(date +%s)" -le "$end" ]; do
        screen | grep -qF -- "$1" || return 0
        sleep 0.2
    done
    return 1
}
dump() { screen | sed 's/^/#   |/'; }

command -v tmux >/dev/null || { notok "tmux is not installed (sh install/deps.sh check)"; finish 1; }
if ! pg_cluster_start; then
    notok "start a throwaway PostgreSQL cluster (see above)"
    finish 1
fi
ok "own throwaway cluster at $KIOSK_TEST_PG"
printf '[kiosk]\nsecret_file = %s/site.key\n' "$T" >"$T/kiosk.conf"
K="$B/kioskctl --config $T/kiosk.conf --db $KIOSK_TEST_PG"
if $K init >"$T/out" 2>&1 && $K demo --households 400 --seed 3 >"$T/out" 2>&1; then
    ok "init and demo data on PostgreSQL"
else
    notok "init/demo failed: $(head -c 300 "$T/out")"
    finish 1
fi
CARD=$(awk '/^  insert/ {print $2, $3; exit}' "$T/out")
ELDER=$(awk '/^elders with no/ {e = 1; next} e && /^  insert/ {print $2, $3; exit}' "$T/out")
[ -n "$CARD" ] && [ -n "$ELDER" ] || { notok "demo printed no household / elder"; finish 1; }

mkfifo "$T/cards"
# hold a writer open for the kiosk's life (a FIFO whose last writer left reads as EOF)
sleep 100000 >"$T/cards" &
HOLD=$!
trap 'kill $HOLD 2>/dev/null; cleanup' EXIT
card() { echo "$1" >"$T/cards"; }
tmux new-session -d -s "$S" -x 80 -y 24 \
    "ASAN_OPTIONS=detect_leaks=0 $B/asan/kiosk --config $T/kiosk.conf --db '$KIOSK_TEST_PG' --sim \
     --sim-cards $T/cards --sim-print-dir $T --lang en --idle-timeout 300 --no-speech 2>$T/kiosk.err; \
     echo \$? > $T/kiosk.rc; sleep 30"
if wait_for "Please place your ID card" 20; then ok "the kiosk starts on PostgreSQL"; else
    notok "no attract screen"; dump; finish 1; fi

# 1. a look-up while the server is up
card "insert $CARD"
if wait_re "[0-9] of [0-9]" 15; then ok "card look-up shows a position"; else
    notok "no position after the card"; dump; fi
card remove
wait_for "Please place your ID card" 15 || { notok "not back to attract"; dump; }

# 2. the server goes away (immediate stop: every connection is cut)
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
pg_as "$PGBIN/pg_ctl" -D "$KIOSK_TEST_PGDATA" -l "$KIOSK_TEST_PGDATA/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -c unix_socket_directories=$PG_TMP/sock -c fsync=on" \
    start >/dev/null 2>&1 || notok "the server did not start again"
wait_gone "Enquiries are not available" 45 || notok "the kiosk did not find the server again"
card "insert $ELDER"
wait_for "Apply for a home care bed" 15 || { notok "the elder's summary offers no application"; dump; }
tmux send-keys -t "$S" Up Enter
wait_for "Who is applying?" 5 && tmux send-keys -t "$S" 1
wait_for "Consent" 5 && tmux send-keys -t "$S" Enter
wait_for "Which services" 5 && tmux send-keys -t "$S" 1 4 && sleep 0.3 && tmux send-keys -t "$S" Down Down Down Enter
wait_for "confirm to submit" 5 || { notok "no confirm screen"; dump; }
pg_as "$PGBIN/pg_ctl" -D "$KIOSK_TEST_PGDATA" -m immediate -w stop >/dev/null 2>&1
tmux send-keys -t "$S" Enter
if wait_for "has been taken by" 12; then
    ok "server down at submit: the application is taken by the kiosk, the screen says so"
else
    notok "no 'taken by this kiosk' after submitting with the server down"; dump
fi
REF=$(screen | sed -n 's/.*Reference: \([0-9A-Z]\{10\}\).*/\1/p' | head -1)
[ -n "$REF" ] && ok "its reference $REF is shown at once" || { notok "no reference shown"; dump; }
st=$(sqlite3 "$T/outbox.db" "SELECT state FROM outbox WHERE ref = '$REF'" 2>&1)
mode=$(stat -c %a "$T/outbox.db")
[ "$st" = pending ] && [ "$mode" = 600 ] && ok "kept in $T/outbox.db (pending, mode $mode)" ||
    notok "outbox: state '$st' mode $mode"
if grep -qF "$(echo "$ELDER" | cut -d' ' -f1)" "$T/outbox.db"; then notok "the ID number is in the outbox in plain text"; else
    ok "the outbox holds no plain ID number"; fi
card remove
wait_for "Please place your ID card" 15

# 3. the server comes back: the kiosk finds it by itself
pg_as "$PGBIN/pg_ctl" -D "$KIOSK_TEST_PGDATA" -l "$KIOSK_TEST_PGDATA/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -c unix_socket_directories=$PG_TMP/sock -c fsync=on" \
    start >/dev/null 2>&1 || notok "the server did not start again"
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
st=$(sqlite3 "$T/outbox.db" "SELECT state FROM outbox WHERE ref = '$REF'")
[ "$st" = filed ] && ok "the kept application is filed when the server is back" || notok "outbox state: $st"
if $K bed show "$REF" >"$T/show" 2>&1 && grep -qi "submitted" "$T/show"; then
    ok "kioskctl bed show $REF: submitted"
else
    notok "bed show $REF: $(head -c 300 "$T/show")"
fi
n_apps=$("$PGBIN/psql" -X -A -t -d "$KIOSK_TEST_PG" -c "SELECT count(*) FROM bed_app WHERE ref = '$REF'")
[ "$n_apps" = 1 ] && ok "filed exactly once" || notok "$n_apps applications with $REF"

# 4. ends on SIGTERM
pid=$(pgrep -f "^$B/asan/kiosk --config $T/kiosk.conf" | head -1)
[ -n "$pid" ] && kill -TERM "$pid"
end=$(($(date +%s) + 10))
while [ ! -f "$T/kiosk.rc" ] && [ "$(date +%s)" -le "$end" ]; do sleep 0.2; done
if [ -f "$T/kiosk.rc" ]; then ok "the kiosk ends on SIGTERM (exit $(cat "$T/kiosk.rc"))"; else notok "the kiosk did not end on SIGTERM"; fi
if grep -q "ERROR: AddressSanitizer\|runtime error" "$T/kiosk.err"; then
    notok "sanitizer report: $(head -c 400 "$T/kiosk.err")"
else
    ok "no sanitizer report"
fi
finish 0
