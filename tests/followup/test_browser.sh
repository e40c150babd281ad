#!/bin/sh
# tests/followup/test_browser.sh — the follow-up page in headless Chromium (Debian package)
# at a phone viewport, 390×844 CSS px, mobile emulation, over the DevTools protocol
# (tests/followup/cdp.py): the rendered text has the masked name, the position and total,
# the next steps and the contact, never the full name; the page is no wider than the
# viewport (no sideways scrolling); in English too.  Screenshots are kept as test
# artefacts in $B/test-artefacts/followup-{zh,en}-390x844.png.  TAP.
set -u
. "$(dirname "$0")/lib.sh"
SRV=${FOLLOWUP_BIN:-$B/kiosk-followup}
K=$B/kioskctl
ART=$B/test-artefacts
mkdir -p "$ART"
T=$(mktemp -d /tmp/kiosk-fu-browser-XXXXXX)
trap 'stop_server; rm -rf "$T"' EXIT
if ! command -v chromium >/dev/null 2>&1; then
    echo "1..1"; nok "chromium is not installed (install/deps.sh check installs it)"; exit 1
fi
DB=$T/k.db
"$K" --db "$DB" demo --households 2000 --seed 1 >"$T/demo.txt" 2>&1 || { echo "1..1"; nok "demo database"; exit 1; }
ID=$(awk '/^  insert/ {print $2; exit}' "$T/demo.txt")
NAME=$(awk '/^  insert/ {print $3; exit}' "$T/demo.txt")
"$K" --db "$DB" position --id "$ID" --json >"$T/pos.json"
eval "$(python3 - "$T/pos.json" <<'PY'
import json, sys
e = json.load(open(sys.argv[1]))["entries"][0]
print(f"RNO={e['receipt_no']} POS={e['position']} TOT={e['total']} MNAME={e['name']}")
PY
)"
# the contact comes from the next-steps texts (data/next_steps.ini [office]), as on the kiosk
printf '[kiosk]\nfollowup_url = https://lh.sz.gov.cn/q\n' >"$T/k.conf"
URL=$("$K" --config "$T/k.conf" --db "$DB" receipt url "$RNO")
PORT=$(free_port)
start_server "$SRV" "$DB" "$T/k.conf" "$PORT" "$T/server.log" || { echo "1..1"; nok "server starts: $(cat "$T/server.log")"; exit 1; }
LOCAL=$(echo "$URL" | sed "s|^https://lh.sz.gov.cn/q|http://127.0.0.1:$PORT/q|")

for lang in zh en; do
    u=$LOCAL
    [ "$lang" = en ] && u="$LOCAL&lang=en"
    shot="$ART/followup-$lang-390x844.png"
    rm -f "$shot"
    if ! python3 "$(dirname "$0")/cdp.py" "$u" 390 844 "$shot" >"$T/$lang.json" 2>"$T/$lang.err"; then
        nok "$lang: Chromium renders the page ($(cat "$T/$lang.err"))"
        continue
    fi
    ok "$lang: Chromium rendered the page at 390×844"
    eval "$(python3 - "$T/$lang.json" "$T/$lang.txt" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
open(sys.argv[2], "w").write(d["text"])
print(f"SW={d['scrollWidth']} CW={d['clientWidth']} IW={d['innerWidth']}")
PY
)"
    check "$lang: the viewport is 390 px wide (innerWidth $IW)" [ "$IW" -eq 390 ]
    check "$lang: no horizontal scrolling (scrollWidth $SW ≤ clientWidth $CW)" [ "$SW" -le "$CW" ]
    if [ "$lang" = zh ]; then
        check "zh text: masked name, 第 $POS 位，共 $TOT 位, 接下来, 联系谁 and the office" \
            eval "has '$T/zh.txt' '$MNAME' && has '$T/zh.txt' '第 $POS 位，共 $TOT 位' && has '$T/zh.txt' '接下来' && has '$T/zh.txt' '联系谁' && has '$T/zh.txt' '东门街道办事处'"
    else
        check "en text: Position $POS of $TOT, What happens next, Who to contact, the office" \
            eval "has '$T/en.txt' 'Position $POS of $TOT' && has '$T/en.txt' 'What happens next' && has '$T/en.txt' 'Who to contact' && has '$T/en.txt' 'Dongmen Street Office'"
    fi
    check "$lang: the rendered text never has the full name" lacks "$T/$lang.txt" "$NAME"
    check "$lang: a screenshot is kept: $shot ($(wc -c <"$shot" 2>/dev/null || echo 0) bytes)" [ -s "$shot" ]
done
stop_server
echo "1..$n"
