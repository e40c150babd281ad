#!/bin/sh
# tests/pg/test_failover_load.sh — failover under load (issue 13 item 4: "when the
# primary is restarted or a standby is promoted mid-load, 0 acknowledged
# submissions are lost and kiosks recover without a restart").
#
# A primary with a synchronous streaming standby on 127.0.0.1 (throwaway clusters:
# tests/pg/cluster.sh, kt_standby; synchronous_standby_names = '*' set on the
# primary after the base backup, so the standby, once promoted, waits for nobody).
# The load is build/bench/pg_load in its failover mode (PG_LOAD_FAILOVER=1):
# FO_CLIENTS look-up clients (a look-up every 100–500 ms each) and 8 writers
# filing FO_RATE bed applications/s, every one on its own store opened once on
# the two-host URL (target_session_attrs=read-write) — the store's own
# reconnection (back-off, non-blocking) carries it across the fault, and every
# acknowledged reference is appended to a file the moment it is acknowledged.
#   (a) the primary is restarted (pg_ctl restart -m fast) mid-load;
#   (b) the primary is killed (-m immediate) and the standby promoted mid-load.
# After each: every acknowledged reference is on the (new) primary exactly once;
# every client's and writer's last attempt succeeded on the store it had all
# along (recovered, no restart); the time without any successful look-up and
# the submissions that failed (not acknowledged: allowed — the kiosk's outbox
# keeps those and files them when the database is back) are reported.
# By hand: FO_ASYNC=1 makes the replication asynchronous and pauses the primary's
# WAL sender (SIGSTOP) for a second before (b) — acknowledged submissions are
# then lost at the promotion and the test must FAIL (docs/design.md "Measured").
# Knobs: FO_CLIENTS (30) FO_RATE (20) FO_SECONDS (25).  TAP; must run in < 3 min.
. tests/pg/kiosk_tmux.sh
CLIENTS=${FO_CLIENTS:-30}
RATE=${FO_RATE:-20}
SECS=${FO_SECONDS:-25}
H=3000
T=$(mktemp -d /tmp/kiosk-failover-load-XXXXXX)
chmod 755 "$T"
trap kt_cleanup EXIT
trap 'exit 1' INT TERM
[ -x "$B/bench/pg_load" ] || { notok "$B/bench/pg_load is not built (make $B/bench/pg_load)"; finish 1; }
pg_cluster_start || { notok "start a throwaway PostgreSQL cluster (see above)"; finish 1; }
ok "primary at $KIOSK_TEST_PG"
KEY=$T/site.key
if timeout 120 "$B/bench/pg_load" setup "$KEY" "$H" >"$T/setup" 2>&1; then
    ok "schema and demo data for $H households"
else
    notok "pg_load setup: $(head -c 300 "$T/setup")"; finish 1
fi
KT_SB_OPTS=    # no statement log on the standby: it carries the load once promoted
kt_standby || finish 1
P="$PGBIN/psql -X -A -t -q -v ON_ERROR_STOP=1"
if [ -n "$FO_ASYNC" ]; then
    ok "BY HAND: asynchronous replication (FO_ASYNC): acknowledged submissions may be lost"
else
    $P -d "$KIOSK_TEST_PG" -c "ALTER SYSTEM SET synchronous_standby_names = '*'" \
        -c "SELECT pg_reload_conf()" >/dev/null &&
        ok "the primary waits for its standby at each commit (synchronous_standby_names = '*')" ||
        notok "could not make the standby synchronous"
fi
URL2="postgresql://postgres@127.0.0.1:$PG_PORT,127.0.0.1:$SB_PORT/kiosk?target_session_attrs=read-write"

# wait_sql URL SQL WANT SECONDS: until the query answers WANT
wait_sql() {
    end=$(($(date +%s) + $4))
    while [ "$(date +%s)" -le "$end" ]; do
        [ "$($P -d "$1" -c "$2" 2>/dev/null)" = "$3" ] && return 0
        sleep 0.2
    done
    return 1
}
# the standby streaming (and, unless FO_ASYNC, synchronous) before a fault
streaming() {
    want=sync
    [ -n "$FO_ASYNC" ] && want=async
    if wait_sql "$KIOSK_TEST_PG" "SELECT sync_state FROM pg_stat_replication WHERE state = 'streaming'" \
            "$want" 60; then
        ok "the standby is streaming ($want) before $1"
    else
        notok "the standby is not streaming ($want) before $1"
    fi
}

# phase NAME OFFSET FAULT: the load on the two-host URL; FAULT runs once it has
# filed 40 applications (the load is in full swing); then the load's own report
nphase=0
phase() {
    out=$T/load.$1
    : >"$T/refs.$1"
    KIOSK_TEST_PG=$URL2 PG_LOAD_FAILOVER=1 PG_LOAD_LABEL=$1 PG_LOAD_ELDER_OFFSET=$2 \
        PG_LOAD_THINK_MS=100,500 timeout 150 "$B/bench/pg_load" load "$KEY" "$H" "$CLIENTS" \
        "$SECS" "$RATE" "$T/refs.$1" >"$out" 2>&1 &
    pid=$!
    end=$(($(date +%s) + 60))
    while [ "$(wc -l <"$T/refs.$1")" -lt 40 ] && [ "$(date +%s)" -le "$end" ] &&
            kill -0 "$pid" 2>/dev/null; do
        sleep 0.1
    done
    if [ "$(wc -l <"$T/refs.$1")" -ge 40 ]; then
        t0=$(date +%s.%N)
        $3
        ok "$1: the fault, $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s, after $(wc -l <"$T/refs.$1") acknowledged submissions"
    else
        notok "$1: the load did not get going: $(head -c 400 "$out")"
    fi
    wait "$pid"
    rc=$?
    sed 's/^/# /' "$out"
    gap=$(sed -n 's/.*lookup gap *\([0-9.]*\) s .*/\1/p' "$out")
    nfail=$(sed -n 's/.*submissions failed *\([0-9]*\) .*/\1/p' "$out")
    acked=$(sed -n 's/.*submissions acknowledged *\([0-9]*\) .*/\1/p' "$out")
    if [ "$rc" -eq 0 ]; then
        ok "$1: every client and writer recovered on its own store (no restart); no look-up answered for $gap s; $acked acknowledged, $nfail failed (not acknowledged: the kiosk's outbox keeps those)"
    else
        notok "$1: the load did not recover (exit $rc; see its report above)"
    fi
    [ "$(wc -l <"$T/refs.$1")" = "$acked" ] && ok "$1: the refs file holds the $acked acknowledged references" ||
        notok "$1: refs file $(wc -l <"$T/refs.$1") lines, the load says $acked acknowledged"
    echo "FIGURES $1 gap_s=$gap acked=$acked failed=$nfail" >>"$T/figures"
}

# check URL PHASE: every acknowledged reference of that phase on that server, once
# ($where names the server)
check() {
    r=$($P -d "$1" -c "CREATE TEMP TABLE acked (ref text)" -c "\\copy acked FROM '$T/refs.$2'" \
        -c "SELECT count(*), count(*) FILTER (WHERE n = 0), count(*) FILTER (WHERE n > 1),
                   count(*) - count(DISTINCT ref)
            FROM (SELECT a.ref, (SELECT count(*) FROM bed_app b WHERE b.ref = a.ref) AS n
                  FROM acked a) x" 2>&1)
    ph=$2
    set -- $(echo "$r" | tr '|' ' ')
    if [ "$#" -eq 4 ] && [ "$1" -gt 0 ] && [ "$2" = 0 ] && [ "$3" = 0 ] && [ "$4" = 0 ]; then
        ok "$ph: all $1 acknowledged submissions on $where, each exactly once (0 lost)"
    else
        notok "$ph: acknowledged submissions LOST on $where: $1 acknowledged, $2 missing, $3 twice, $4 acknowledged twice ($r)"
    fi
    echo "FIGURES $ph on $where: lost=$2" >>"$T/figures"
}

restart_primary() {
    pg_as "$PGBIN/pg_ctl" -D "$KIOSK_TEST_PGDATA" -l "$KIOSK_TEST_PGDATA/server.log" -m fast -w -t 60 \
        restart >/dev/null 2>&1 || notok "pg_ctl restart failed"
}
promote_standby() {
    if [ -n "$FO_ASYNC" ]; then
        # the standby falls a second behind, as an asynchronous one may at any time:
        # the primary's WAL sender is paused (SIGSTOP; pausing the standby's receiver
        # is not enough — the WAL waits in its socket buffer), the primary goes on
        # acknowledging; the immediate stop then kills the paused sender
        ws=$($P -d "$KIOSK_TEST_PG" -c "SELECT pid FROM pg_stat_replication LIMIT 1")
        [ -n "$ws" ] && kill -STOP "$ws" && sleep 1
    fi
    pg_as "$PGBIN/pg_ctl" -D "$KIOSK_TEST_PGDATA" -m immediate -w stop >/dev/null 2>&1
    pg_as "$PGBIN/pg_ctl" -D "$SB" -w -t 60 promote >/dev/null 2>&1 || notok "promote failed"
}

# (a) the primary restarted mid-load
streaming "the restart"
phase restart 0 restart_primary
where="the primary"
check "$KIOSK_TEST_PG" restart

# (b) the primary killed and the standby promoted mid-load
streaming "the failover"
phase failover 1000 promote_standby
where="the promoted standby"
if wait_sql "$SB_URL" "SELECT pg_is_in_recovery()" f 30; then ok "the standby is the primary now"; else
    notok "the standby was not promoted"; fi
check "$SB_URL" restart
check "$SB_URL" failover
sed 's/^/# /' "$T/figures"
finish 0
