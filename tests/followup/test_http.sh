#!/bin/sh
# tests/followup/test_http.sh — build/asan/kiosk-followup over real HTTP (curl), issue 10
# items 4–5: 200 with the masked status page for a queue receipt and for a bed
# application; the security headers (and the CSP's style hash matching the page's style);
# English switch; one identical generic 404 for a wrong code, an unknown receipt and any
# other path (no oracle); 429 past [followup] bad_codes_per_minute for that address only;
# 405 for POST; the configured contact escaped; a clerk's change shown at once; and the
# database files unchanged by serving (read-only).  TAP.
set -u
. "$(dirname "$0")/lib.sh"
SRV=${FOLLOWUP_BIN:-$B/asan/kiosk-followup}
K=$B/kioskctl
T=$(mktemp -d /tmp/kiosk-fu-http-XXXXXX)
trap 'stop_server; rm -rf "$T"' EXIT
DB=$T/k.db
"$K" --db "$DB" demo --households 2000 --seed 1 >"$T/demo.txt" 2>&1 || { echo "1..1"; nok "demo database"; exit 1; }
ID=$(awk '/^  insert/ {print $2; exit}' "$T/demo.txt")
NAME=$(awk '/^  insert/ {print $3; exit}' "$T/demo.txt")
"$K" --db "$DB" position --id "$ID" --json >"$T/pos.json"
eval "$(python3 - "$T/pos.json" <<'PY'
import json, sys
e = json.load(open(sys.argv[1]))["entries"][0]
print(f"RNO={e['receipt_no']} POS={e['position']} TOT={e['total']} MNAME={e['name']} "
      f"PROG_EN='{e['program_en']}' PROG_ZH={e['program_zh']} MID='{e['id']}'")
PY
)"
BED=$("$K" --db "$DB" bed list --stage in_service --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["applications"][0]["ref"])')
"$K" --db "$DB" bed show "$BED" --json >"$T/bed.json"
LEVEL=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["level"])' "$T/bed.json")
PHONE=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["provider_phone"])' "$T/bed.json")

# the site's next-steps texts, with markup in the office's name: it must come out escaped
sed 's/^name.zh = 东门街道办事处$/name.zh = 东门街道办事处 <b>\&<\/b>/' data/next_steps.ini >"$T/ns.ini"
cat >"$T/k.conf" <<CONF
[kiosk]
followup_url = https://lh.sz.gov.cn/q
next_steps = $T/ns.ini
[followup]
bad_codes_per_minute = 3
CONF
PORT=$(free_port)
BASE="http://127.0.0.1:$PORT"
# every kioskctl call before the checksums: a writer's close may checkpoint the WAL
URL=$("$K" --config "$T/k.conf" --db "$DB" receipt url "$RNO")
BURL=$("$K" --config "$T/k.conf" --db "$DB" receipt url "$BED")
NOSUCH_URL=$("$K" --config "$T/k.conf" --db "$DB" receipt url NOSUCH0001)
# what serving may not change
sums() { for f in "$DB" "$DB-wal"; do [ -s "$f" ] && sha256sum "$f" | cut -c1-16; done | tr "\n" " "; }
BEFORE=$(sums)
start_server "$SRV" "$DB" "$T/k.conf" "$PORT" "$T/server.log" || { echo "1..1"; nok "server starts: $(cat "$T/server.log")"; exit 1; }

# local_url URL: the QR's URL with the public base rewritten to the listener
local_url() { echo "$1" | sed "s|^https://lh.sz.gov.cn/q|$BASE/q|"; }
# get URL NAME [curl args]: body in $T/NAME.html, headers in $T/NAME.h, status printed
get() { u=$1; f=$2; shift 2; curl -s -D "$T/$f.h" -o "$T/$f.html" -w '%{http_code}' "$@" "$u"; }
hdr() { tr -d '\r' <"$T/$1.h" | grep -i "^$2:" | head -1 | cut -d' ' -f2-; }

st=$(get "$(local_url "$URL")" page)
check "queue receipt $RNO: 200 (got $st)" [ "$st" = 200 ]
check "page shows the masked name $MNAME" has "$T/page.html" "$MNAME"
check "page shows position and total (第 $POS 位，共 $TOT 位)" has "$T/page.html" "第 $POS 位，共 $TOT 位"
check "page shows the programme ($PROG_ZH) and the change since publication" \
    eval "has '$T/page.html' '$PROG_ZH' && has '$T/page.html' '公布名单以来'"
check "page shows the wait estimate" has "$T/page.html" "预计等待"
check "page never shows the full name ($NAME) nor the ID number, full or masked" \
    eval "lacks '$T/page.html' '$NAME' && lacks '$T/page.html' '$ID' && lacks '$T/page.html' '$MID'"
check "no JavaScript on the page" eval "! grep -qi '<script' '$T/page.html'"
check "Cache-Control: no-store ($(hdr page Cache-Control))" [ "$(hdr page Cache-Control)" = "no-store" ]
check "Content-Type is UTF-8 HTML" [ "$(hdr page Content-Type)" = "text/html; charset=utf-8" ]
CSP=$(hdr page Content-Security-Policy)
case "$CSP" in *"default-src 'none'"*"frame-ancestors 'none'"*) ok "CSP: default-src 'none' … frame-ancestors 'none'" ;;
               *) nok "CSP: $CSP" ;; esac
check "Referrer-Policy: no-referrer" [ "$(hdr page Referrer-Policy)" = "no-referrer" ]
check "X-Content-Type-Options: nosniff" [ "$(hdr page X-Content-Type-Options)" = "nosniff" ]
check "X-Frame-Options: DENY" [ "$(hdr page X-Frame-Options)" = "DENY" ]
# the CSP allows exactly the page's own style sheet: its hash must match
STYLE_HASH=$(python3 - "$T/page.html" <<'PY'
import base64, hashlib, re, sys
css = re.search(r"<style>(.*?)</style>", open(sys.argv[1], encoding="utf-8").read(), re.S).group(1)
print(base64.b64encode(hashlib.sha256(css.encode()).digest()).decode())
PY
)
case "$CSP" in *"style-src 'sha256-$STYLE_HASH'"*) ok "the CSP's style hash is the page's style sheet's" ;;
               *) nok "style hash $STYLE_HASH not in CSP: $CSP" ;; esac
check "the office from [kiosk] next_steps ([office] name) is the contact, escaped" \
    eval "has '$T/page.html' '东门街道办事处 &lt;b&gt;&amp;&lt;/b&gt;' && lacks '$T/page.html' '<b>&</b>'"

# the second answer comes from the page cache: the same page, only its "As of" time may move
get "$(local_url "$URL")" page2 >/dev/null
unstamp() { sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}/STAMP/' "$1"; }
check "a second request (page cache) gets the same page" eval "[ \"\$(unstamp '$T/page.html')\" = \"\$(unstamp '$T/page2.html')\" ]"

st=$(get "$(local_url "$URL")&lang=en" en)
check "English switch: 200 (got $st)" [ "$st" = 200 ]
check "English page: programme name, position words, lang=en" \
    eval "has '$T/en.html' '$PROG_EN' && has '$T/en.html' 'Position $POS of $TOT' && has '$T/en.html' '<html lang=\"en\">'"
check "the Chinese page links to English with the same r and c" \
    has "$T/page.html" "href=\"q?r=$RNO&amp;c=$(echo "$URL" | sed 's/.*c=//')&amp;lang=en\""

st=$(curl -s -I -o /dev/null -w '%{http_code}' "$(local_url "$URL")")
check "HEAD: 200 (got $st)" [ "$st" = 200 ]
st=$(curl -s -o /dev/null -w '%{http_code}' -X POST -d x=1 "$(local_url "$URL")")
check "POST: 405 (got $st)" [ "$st" = 405 ]

# bed application
st=$(get "$(local_url "$BURL")" bed)
check "bed application $BED: 200 (got $st)" [ "$st" = 200 ]
check "bed page: its stage (服务中), the provider's phone and the stages on the timeline" \
    eval "has '$T/bed.html' '当前环节：服务中' && has '$T/bed.html' '$PHONE' && has '$T/bed.html' '办理进度'"
check "bed page never shows the care level word ($LEVEL: health data)" lacks "$T/bed.html" "$LEVEL"

# 404s: one page whatever the cause
CODE=$(echo "$URL" | sed 's/.*c=//')
BADC=$(echo "$CODE" | sed 's/.$//')$( [ "$(echo "$CODE" | tail -c 2)" = "0" ] && echo 2 || echo 0)
st=$(get "$BASE/q?r=$RNO&c=$BADC" bad)
check "tampered code $BADC: 404 (got $st)" [ "$st" = 404 ]
check "the 404 page shows nothing of the entry" eval "lacks '$T/bad.html' '$MNAME' && lacks '$T/bad.html' '$POS 位'"
st=$(get "$(local_url "$NOSUCH_URL")" unknown)
check "unknown receipt with a genuine code: 404 (got $st)" [ "$st" = 404 ]
check "… the same body as a wrong code (no oracle)" cmp -s "$T/bad.html" "$T/unknown.html"
st=$(get "$BASE/admin" other)
check "another path: the same 404" eval "[ '$st' = 404 ] && cmp -s '$T/bad.html' '$T/other.html'"
check "404 responses carry no-store and the CSP too" \
    eval "[ \"\$(hdr bad Cache-Control)\" = no-store ] && [ -n \"\$(hdr bad Content-Security-Policy)\" ]"

# 429: 3 wrong codes a minute allowed per address; 127.0.0.3 is another loopback address
A3="--interface 127.0.0.3"
codes=""
for i in 1 2 3 4; do codes="$codes$(get "$BASE/q?r=$RNO&c=AAAAAAA$i" lim $A3) "; done
check "from 127.0.0.3: wrong codes 1–3 → 404, the 4th → 429 (got $codes)" [ "$codes" = "404 404 404 429 " ]
st=$(get "$(local_url "$URL")" lim2 $A3)
check "127.0.0.3 is refused even with the genuine code while limited (got $st)" [ "$st" = 429 ]
check "the 429 page carries no-store" [ "$(hdr lim2 Cache-Control)" = "no-store" ]
st=$(get "$(local_url "$URL")" other_addr)
check "127.0.0.1 is not limited by 127.0.0.3's wrong codes (got $st)" [ "$st" = 200 ]

AFTER=$(sums)
check "serving changed neither the database nor its WAL (read-only; before: $BEFORE after: $AFTER)" [ "$BEFORE" = "$AFTER" ]

# a clerk's change shows at once (no stale cache)
"$K" --db "$DB" entry freeze --program "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["entries"][0]["program"])' "$T/pos.json")" \
    --receipt "$RNO" --reason "documents missing" --resident-reason docs_missing \
    --resident-text "请补交收入证明" >/dev/null 2>&1
st=$(get "$(local_url "$URL")" frozen)
check "after a freeze by kioskctl: 200, the new status, no position (got $st)" \
    eval "[ '$st' = 200 ] && has '$T/frozen.html' '暂停轮候' && lacks '$T/frozen.html' '第 $POS 位'"
check "… with the clerk's reason for the resident and the free text" \
    has "$T/frozen.html" "<dd>申请材料不齐全，需要补交：请补交收入证明</dd>"

stop_server
check "the server logged no errors" eval "! grep -qiE 'error|sanitizer' '$T/server.log'"
# what it links (like tests/link for the other programs): libmicrohttpd, no curses,
# no devices, no libpq tree (the plugin brings that only for a postgresql:// URL)
for p in "$B/kiosk-followup" "$SRV"; do
    L=$(ldd "$p" 2>&1)
    check "$p links libmicrohttpd" eval "echo \"\$L\" | grep -q libmicrohttpd"
    check "$p: no curses, libusb, qrencode, nor libpq and its tree" \
        eval "! echo \"\$L\" | grep -Eq 'ncurses|tinfo|libusb|qrencode|libpq|libkrb5|libgssapi|libldap|libssl'"
done
check "only the server's main includes microhttpd.h (kiosk/web/ has no HTTP in it)" \
    eval "[ \"\$(grep -rl 'microhttpd' kiosk/ --include='*.[ch]')\" = kiosk/cli/main_followup.c ]"
echo "1..$n"
