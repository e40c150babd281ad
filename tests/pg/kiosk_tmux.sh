# tests/pg/kiosk_tmux.sh — sourced by the PostgreSQL kiosk tests (test_outage.sh,
# test_replica.sh): TAP helpers, the real kiosk (sanitized build, simulated
# devices) in a real terminal (tmux, 80×24, English) on a throwaway cluster of
# the test's own (tests/pg/cluster.sh: the tests stop servers, so never the
# contract suite's), its demo data, and the keys of a bed application.
B=${KIOSK_BUILD:-build}
. tests/pg/cluster.sh
# Each test talks to a tmux server of its own (-L), kept alive by an idle session
# ("keep"): on the shared default server, killing a test's last session makes the
# server exit, and a new-session issued right then can reach the exiting server and
# leave no session — a console that "never came up" (seen once in CI, stop 18).
# kt_cleanup ends the server.
KT_TMUX=kiosk-test-$$
tmux() { command tmux -L "$KT_TMUX" "$@"; }
# kt_tmux_new NAME COLS ROWS COMMAND: a detached session running COMMAND; non-zero
# (and tmux's own words on a "#" line) when tmux could not make it
kt_tmux_new() {
    tmux has-session -t keep 2>/dev/null ||
        tmux new-session -d -s keep -x 20 -y 5 "sleep 100000" 2>/dev/null
    tmux new-session -d -s "$1" -x "$2" -y "$3" "$4" 2>"$T/tmux.err" && return 0
    echo "# tmux new-session $1: $(cat "$T/tmux.err")"
    return 1
}
n=0
failed=
ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); failed=1; echo "not ok $n - $*"; }
finish() { echo "1..$n"; [ "$1" -eq 0 ] && [ -z "$failed" ]; exit $?; }
screen() { tmux capture-pane -p -t "$S" 2>/dev/null; }
dump() { screen | sed 's/^/#   |/'; }
# wait_for TEXT SECONDS: until the screen shows TEXT (fixed string)
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
card() { echo "$1" >"$T/cards"; }

kt_cleanup() {
    [ -n "$HOLD" ] && kill "$HOLD" 2>/dev/null
    tmux kill-server 2>/dev/null   # the test's own server: its kiosks, consoles and keeper
    rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$KT_TMUX"   # the socket file it leaves
    [ -n "$KT_EXTRA_STOP" ] && eval "$KT_EXTRA_STOP"
    pg_cluster_stop
    [ -n "$KEEP" ] || rm -rf "$T"
}

# kt_setup NAME: the cluster, $T/kiosk.conf, kioskctl $K, demo data ($CARD: a
# household; $ELDER: one with no application), the card FIFO.  Non-zero on failure.
kt_setup() {
    T=$(mktemp -d "/tmp/kiosk-$1-XXXXXX")
    chmod 755 "$T"
    S=kiosk-$1-$$
    trap kt_cleanup EXIT
    trap 'exit 1' INT TERM
    command -v tmux >/dev/null || { notok "tmux is not installed (sh install/deps.sh check)"; return 1; }
    pg_cluster_start || { notok "start a throwaway PostgreSQL cluster (see above)"; return 1; }
    ok "own throwaway cluster at $KIOSK_TEST_PG"
    printf '[kiosk]\nsecret_file = %s/site.key\n' "$T" >"$T/kiosk.conf"
    K="$B/kioskctl --config $T/kiosk.conf --db $KIOSK_TEST_PG"
    if $K init >"$T/out" 2>&1 && $K demo --households 400 --seed 3 >"$T/out" 2>&1; then
        ok "init and demo data on PostgreSQL"
    else
        notok "init/demo failed: $(head -c 300 "$T/out")"
        return 1
    fi
    CARD=$(awk '/^  insert/ {print $2, $3; exit}' "$T/out")
    ELDER=$(awk '/^elders with no/ {e = 1; next} e && /^  insert/ {print $2, $3; exit}' "$T/out")
    ELDER2=$(awk '/^elders with no/ {e = 1; next} e && /^  insert/ {i++} i == 2 {print $2, $3; exit}' "$T/out")
    [ -n "$CARD" ] && [ -n "$ELDER" ] || { notok "demo printed no household / elder"; return 1; }
    mkfifo "$T/cards"
    # hold a writer open for the kiosk's life (a FIFO whose last writer left reads as EOF)
    sleep 100000 >"$T/cards" &
    HOLD=$!
    return 0
}

# kt_kiosk_start: the kiosk on $T/kiosk.conf (add keys to it before)
kt_kiosk_start() {
    kt_tmux_new "$S" 80 24 \
        "ASAN_OPTIONS=detect_leaks=0 $B/asan/kiosk --config $T/kiosk.conf --db '${KT_DB:-$KIOSK_TEST_PG}' --sim \
         --sim-cards $T/cards --sim-print-dir $T --lang en --idle-timeout 300 --no-speech 2>$T/kiosk.err; \
         echo \$? > $T/kiosk.rc; sleep 30"
    if wait_for "Please place your ID card" 20; then ok "the kiosk starts${KT_LABEL:- on PostgreSQL}"; else
        notok "no attract screen"; dump; return 1; fi
}

# kt_standby: a streaming hot standby of the primary (pg_basebackup -R) in $SB on
# $SB_PORT, every statement logged (KT_SB_OPTS, when set, replaces -c log_statement=all);
# $SB_URL.  Non-zero on failure (said as not ok).
kt_standby() {
    SB="$T/standby"
    mkdir -p "$SB" && chmod 700 "$SB"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$SB"
    if ! pg_as "$PGBIN/pg_basebackup" -h 127.0.0.1 -p "$PG_PORT" -U postgres -D "$SB" -R -X stream -c fast \
            >"$T/basebackup.log" 2>&1; then
        notok "pg_basebackup failed: $(head -c 300 "$T/basebackup.log")"; return 1
    fi
    SB_PORT=$(pg_free_port $((PG_PORT + 1)))
    KT_EXTRA_STOP='pg_as "$PGBIN/pg_ctl" -D "$SB" -m immediate -w stop >/dev/null 2>&1'
    if ! pg_as "$PGBIN/pg_ctl" -D "$SB" -l "$SB/server.log" -w -t 60 \
            -o "-c listen_addresses=127.0.0.1 -p $SB_PORT -c unix_socket_directories=$PG_TMP/sock -c hot_standby=on ${KT_SB_OPTS--c log_statement=all} -c max_connections=300" \
            start >/dev/null 2>&1; then
        notok "the standby did not start: $(tail -5 "$SB/server.log" 2>/dev/null)"; return 1
    fi
    SB_URL="postgresql://postgres@127.0.0.1:$SB_PORT/kiosk"
    ok "streaming standby on port $SB_PORT"
}

# the primary back after `pg_ctl stop`, on its port
kt_server_start() {
    pg_as "$PGBIN/pg_ctl" -D "$KIOSK_TEST_PGDATA" -l "$KIOSK_TEST_PGDATA/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -c unix_socket_directories=$PG_TMP/sock -c fsync=on" \
        start >/dev/null 2>&1
}

# With a card in whose summary offers "apply": the application for oneself up
# to its confirm screen (services 1 and 4)
kt_apply_to_confirm() {
    wait_for "Apply for a home care bed" 15 || { notok "the summary offers no application"; dump; return 1; }
    tmux send-keys -t "$S" Up Enter
    wait_for "Who is applying?" 5 && tmux send-keys -t "$S" 1
    wait_for "Consent" 5 && tmux send-keys -t "$S" Enter
    wait_for "Which services" 5 && tmux send-keys -t "$S" 1 4 && sleep 0.3 &&
        tmux send-keys -t "$S" Down Down Down Enter
    wait_for "confirm to submit" 5 || { notok "no confirm screen"; dump; return 1; }
}

# kt_console LANG CONF: the staff console (the sanitized kiosk binary, --admin) in a
# terminal of its own (tmux 80×24, LANG en or zh) on CONF, logged in as an admin
# (made here once), on the fleet panel (home menu item 7 for housing,admin).  The
# session is $KC; the helpers read it while S names it (S=$KC … S=$KS).
kt_console() {
    if [ -z "$KT_ADMIN" ]; then
        printf 'fleet-password\n' | $K user add fleetadmin --roles housing,admin --password-stdin \
            >"$T/useradd" 2>&1 || { notok "user add: $(head -c 300 "$T/useradd")"; return 1; }
        KT_ADMIN=1
    fi
    KC=console-$$-$1-$(date +%s%N)
    kt_tmux_new "$KC" 80 24 \
        "ASAN_OPTIONS=detect_leaks=0 $B/asan/kiosk --admin --config $2 --db '$KIOSK_TEST_PG' \
         --lang $1 2>>$T/console.err; sleep 30"
    KS=$S
    S=$KC
    label="User name:" fleet="Fleet health"
    [ "$1" = zh ] && label="用户名：" fleet="自助机运行状态"
    wait_for "$label" 20 && tmux send-keys -t "$S" fleetadmin Enter && sleep 0.3 &&
        tmux send-keys -t "$S" fleet-password Enter && wait_for "$fleet" 15 &&
        tmux send-keys -t "$S" 7 && wait_re "^ $fleet  " 15
    rc=$?
    [ $rc -eq 0 ] || { notok "console ($1): no fleet panel"; dump; }
    S=$KS
    return $rc
}

# the application reference on screen
kt_reference() { screen | sed -n 's/.*Reference: \([0-9A-Z]\{10\}\).*/\1/p' | head -1; }

# SIGTERM ends the kiosk; no sanitizer report
kt_stop() {
    pid=$(pgrep -f "^$B/asan/kiosk --config $T/kiosk.conf" | head -1)
    [ -n "$pid" ] && kill -TERM "$pid"
    end=$(($(date +%s) + 10))
    while [ ! -f "$T/kiosk.rc" ] && [ "$(date +%s)" -le "$end" ]; do sleep 0.2; done
    if [ -f "$T/kiosk.rc" ]; then ok "the kiosk ends on SIGTERM (exit $(cat "$T/kiosk.rc"))"; else
        notok "the kiosk did not end on SIGTERM"; fi
    if grep -q "ERROR: AddressSanitizer\|runtime error" "$T/kiosk.err"; then
        notok "sanitizer report: $(head -c 400 "$T/kiosk.err")"
    else
        ok "no sanitizer report"
    fi
}
