#!/bin/sh
# tests/pg/test_pgbouncer.sh — the kiosk's programs behind pgbouncer (issue 13,
# "pooling").  Each connection prepares its statements once and sets session
# settings (timeouts, generic plans): that is session state, which pgbouncer's
# transaction pooling (Debian 12: pgbouncer 1.18, no protocol-level prepared
# statements) hands to other clients.  So a district pools in SESSION mode —
# the documented requirement (docs/design.md, "District scale") — and this
# test proves it works: a throwaway cluster, pgbouncer in session mode in
# front of it, kioskctl look-ups and check and 40 concurrent clients through
# it, and look-ups again after the pooler restarted.
# TAP.  Without PostgreSQL or pgbouncer it FAILS.
B=${KIOSK_BUILD:-build}
. tests/pg/cluster.sh
T=$(mktemp -d /tmp/kiosk-pgb-XXXXXX)
chmod 755 "$T"
n=0
failed=
ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); failed=1; echo "not ok $n - $*"; }
finish() { echo "1..$n"; [ -z "$failed" ]; exit $?; }
cleanup() {
    [ -f "$T/pgbouncer.pid" ] && kill "$(cat "$T/pgbouncer.pid")" 2>/dev/null
    pg_cluster_stop
    rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

PGB=$(command -v pgbouncer || echo /usr/sbin/pgbouncer)
[ -x "$PGB" ] || { notok "pgbouncer is not installed (sh install/deps.sh check)"; finish; }
pg_cluster_start || { notok "start a throwaway PostgreSQL cluster (see above)"; finish; }
ok "throwaway cluster at $KIOSK_TEST_PG"
printf '[kiosk]\nsecret_file = %s/site.key\n' "$T" >"$T/kiosk.conf"
D="$B/kioskctl --config $T/kiosk.conf --db $KIOSK_TEST_PG"
$D init >"$T/out" 2>&1 && $D demo --households 300 --seed 5 >"$T/out" 2>&1 &&
    ok "init and demo data (direct)" || { notok "init/demo: $(head -c 300 "$T/out")"; finish; }
ID=$(awk '/^  insert/ {print $2; exit}' "$T/out")

BP=$(pg_free_port $((PG_PORT + 7)))
cat >"$T/pgbouncer.ini" <<EOF
[databases]
kiosk = host=127.0.0.1 port=$PG_PORT dbname=kiosk
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $BP
unix_socket_dir =
auth_type = trust
auth_file = $T/users.txt
pool_mode = session
max_client_conn = 300
default_pool_size = 60
logfile = $T/pgbouncer.log
pidfile = $T/pgbouncer.pid
EOF
echo '"postgres" ""' >"$T/users.txt"
[ "$(id -u)" -eq 0 ] && chown -R postgres: "$T"
start_bouncer() {
    pg_as "$PGB" -d "$T/pgbouncer.ini" >>"$T/pgbouncer.out" 2>&1
    for _ in $(seq 50); do
        "$PGBIN/psql" -X -A -t -d "postgresql://postgres@127.0.0.1:$BP/kiosk" -c "SELECT 1" \
            >/dev/null 2>&1 && return 0
        sleep 0.2
    done
    return 1
}
start_bouncer && ok "pgbouncer (session pooling) on port $BP" ||
    { notok "pgbouncer did not start: $(tail -3 "$T/pgbouncer.log" "$T/pgbouncer.out" 2>/dev/null)"; finish; }
URL="postgresql://postgres@127.0.0.1:$BP/kiosk"
K="$B/kioskctl --config $T/kiosk.conf --db $URL"

$K position --id "$ID" >"$T/pos" 2>&1 && grep -q "position [0-9]* of [0-9]*" "$T/pos" &&
    ok "kioskctl position through pgbouncer" || notok "position through pgbouncer: $(head -c 300 "$T/pos")"
$K check >"$T/check" 2>&1 && ok "kioskctl check through pgbouncer" ||
    notok "check through pgbouncer: $(head -c 300 "$T/check")"

# 40 clients at once, each several look-ups (prepared statements on each
# client's own server connection)
i=0
while [ $i -lt 40 ]; do
    ( for _ in 1 2 3; do $K position --id "$ID" >/dev/null 2>>"$T/par.err" || echo x >>"$T/par.fail"; done ) &
    i=$((i + 1))
done
wait
[ ! -s "$T/par.fail" ] && ok "40 concurrent clients × 3 look-ups through pgbouncer, none failed" ||
    notok "$(wc -l <"$T/par.fail") failed: $(head -c 300 "$T/par.err")"

# the pooler restarted (a kiosk's own connection then reconnects: test_lookup_facts)
kill "$(cat "$T/pgbouncer.pid")"
sleep 0.5
start_bouncer && ok "pgbouncer restarted" || notok "pgbouncer did not restart"
$K position --id "$ID" >"$T/pos2" 2>&1 && ok "look-ups through the restarted pooler" ||
    notok "after the restart: $(head -c 300 "$T/pos2")"
finish
