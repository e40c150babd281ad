#!/bin/sh
# tests/followup/test_pg.sh — kiosk-followup on PostgreSQL (a throwaway cluster,
# tests/pg/cluster.sh) logged in as a role that may only SELECT, as docs/followup.md
# tells a district to run it: 200 with the masked position for a queue receipt and for a
# bed application, 404 for a tampered code: the service needs no right to write.  TAP.
set -u
. "$(dirname "$0")/lib.sh"
. tests/pg/cluster.sh
SRV=${FOLLOWUP_BIN:-$B/asan/kiosk-followup}
K=$B/kioskctl
T=$(mktemp -d /tmp/kiosk-fu-pg-XXXXXX)
chmod 755 "$T"
trap 'stop_server; pg_cluster_stop; rm -rf "$T"' EXIT
if ! pg_cluster_start; then echo "1..1"; nok "a PostgreSQL cluster starts"; exit 1; fi
OWNER=$KIOSK_TEST_PG
RO="postgresql://kiosk_web@127.0.0.1:$PG_PORT/kiosk"
printf '[kiosk]\nsecret_file = %s/site.key\nfollowup_url = https://lh.sz.gov.cn/q\n' "$T" >"$T/k.conf"
"$K" --config "$T/k.conf" --db "$OWNER" init >/dev/null 2>"$T/init.err" &&
    "$K" --config "$T/k.conf" --db "$OWNER" demo --households 500 --seed 1 >"$T/demo.txt" 2>&1
check "kioskctl init and demo on PostgreSQL ($(head -c 200 "$T/init.err"))" [ $? -eq 0 ]
"$PGBIN/psql" -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d kiosk -v ON_ERROR_STOP=1 >"$T/role.log" 2>&1 <<'SQL'
CREATE ROLE kiosk_web LOGIN;
GRANT CONNECT ON DATABASE kiosk TO kiosk_web;
GRANT USAGE ON SCHEMA public TO kiosk_web;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO kiosk_web;
ALTER ROLE kiosk_web SET default_transaction_read_only = on;
SQL
check "a SELECT-only role kiosk_web ($(head -c 200 "$T/role.log"))" [ $? -eq 0 ]

ID=$(awk '/^  insert/ {print $2; exit}' "$T/demo.txt")
"$K" --config "$T/k.conf" --db "$OWNER" position --id "$ID" --json >"$T/pos.json"
eval "$(python3 - "$T/pos.json" <<'PY'
import json, sys
e = json.load(open(sys.argv[1]))["entries"][0]
print(f"RNO={e['receipt_no']} POS={e['position']} TOT={e['total']} MNAME={e['name']}")
PY
)"
BED=$("$K" --config "$T/k.conf" --db "$OWNER" bed list --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["applications"][0]["ref"])')
URL=$("$K" --config "$T/k.conf" --db "$OWNER" receipt url "$RNO")
BURL=$("$K" --config "$T/k.conf" --db "$OWNER" receipt url "$BED")

PORT=$(free_port)
if ! start_server "$SRV" "$RO" "$T/k.conf" "$PORT" "$T/server.log"; then
    nok "kiosk-followup starts as kiosk_web: $(cat "$T/server.log")"
    echo "1..$n"; exit 1
fi
ok "kiosk-followup starts on PostgreSQL as the SELECT-only role"
L="http://127.0.0.1:$PORT/q"
st=$(curl -s -o "$T/page.html" -w '%{http_code}' "$(echo "$URL" | sed "s|^https://lh.sz.gov.cn/q|$L|")")
check "queue receipt: 200 (got $st)" [ "$st" = 200 ]
check "… with $MNAME and 第 $POS 位，共 $TOT 位" \
    eval "grep -qF '$MNAME' '$T/page.html' && grep -qF '第 $POS 位，共 $TOT 位' '$T/page.html'"
st=$(curl -s -o "$T/bed.html" -w '%{http_code}' "$(echo "$BURL" | sed "s|^https://lh.sz.gov.cn/q|$L|")")
check "bed application $BED: 200 (got $st)" [ "$st" = 200 ]
st=$(curl -s -o /dev/null -w '%{http_code}' "$L?r=$RNO&c=00000000")
check "tampered code: 404 (got $st)" [ "$st" = 404 ]
stop_server

check "the server logged no errors" eval "! grep -qiE 'error|sanitizer' '$T/server.log'"
echo "1..$n"
