#!/bin/sh
# tests/followup/test_receipt_qr.sh — issue 10 "done when": a receipt printed by the real
# kiosk for a demo resident's queue entry (build/kiosk --sim in a pseudo-terminal: card in,
# open the first entry, F3 prints to the simulated printer), its QR decoded from the
# rendered paper by zbarimg, the URL rewritten to the local listener: 200 with the masked
# position the kiosk showed; the same URL with a tampered code: 404.  TAP.
set -u
. "$(dirname "$0")/lib.sh"
SRV=${FOLLOWUP_BIN:-$B/asan/kiosk-followup}
K=$B/kioskctl
T=$(mktemp -d /tmp/kiosk-fu-qr-XXXXXX)
trap 'stop_server; rm -rf "$T"' EXIT
DB=$T/k.db
"$K" --db "$DB" demo --households 2000 --seed 1 >"$T/demo.txt" 2>&1 || { echo "1..1"; nok "demo database"; exit 1; }
ID=$(awk '/^  insert/ {print $2; exit}' "$T/demo.txt")
NAME=$(awk '/^  insert/ {print $3; exit}' "$T/demo.txt")
PUBLIC=https://fw.lh.example.cn/q
printf '[kiosk]\nfollowup_url = %s\nkiosk_id = FU-TEST-01\n' "$PUBLIC" >"$T/k.conf"
mkdir -p "$T/paper"

python3 - "$B/kiosk" "$T" "$ID" "$NAME" >"$T/drive.log" 2>&1 <<'PY'
import os, pty, select, signal, sys, time
kiosk, w, idn, name = sys.argv[1:5]
fifo = os.path.join(w, "cards")
os.mkfifo(fifo)
env = dict(os.environ, LANG="C.UTF-8", LC_ALL="C.UTF-8", TERM="xterm-256color")
pid, fd = pty.fork()
if pid == 0:
    os.execve(kiosk, [kiosk, "--sim", "--config", os.path.join(w, "k.conf"), "--db",
                      os.path.join(w, "k.db"), "--sim-cards", fifo,
                      "--sim-print-dir", os.path.join(w, "paper")], env)
buf = b""
def wait_for(text, secs=10):
    global buf
    end = time.monotonic() + secs
    while time.monotonic() < end:
        if text.encode() in buf:
            return True
        r, _, _ = select.select([fd], [], [], 0.05)
        if r:
            try:
                buf += os.read(fd, 65536)
            except OSError:
                return False
    return False
steps = []
ok = wait_for("请将身份证")
steps.append(("attract", ok))
with open(fifo, "w") as f:
    f.write(f"insert {idn} {name}\n")
buf = b""
steps.append(("summary", ok and wait_for("您的轮候与申请")))
buf = b""
os.write(fd, b"\r")                      # Enter: the first entry in detail
# the entry's own screen: its hint offers printing (the summary's does not);
# then read on for half a second so the whole screen is in buf
steps.append(("detail", wait_for("打印回执")))
wait_for("\x00 never", 0.5)
# the screen's text: a cursor move right (CSI n C) as n spaces, other escape
# sequences dropped (curses skips cells that did not change)
import re
text = re.sub(rb"\x1b\[(\d*)C", lambda m: b" " * int(m.group(1) or b"1"), buf)
text = re.sub(rb"\x1b(\[[0-9;?]*[ -/]*[@-~]|[()][0-9A-Za-z]|[=>78DEHMc])", b"", text)
open(os.path.join(w, "screen.txt"), "wb").write(text)
os.write(fd, b"\x1bOR")                  # F3: print the receipt
end = time.monotonic() + 10
path = os.path.join(w, "paper", "receipt-0001.bin")
while time.monotonic() < end and not os.path.exists(path):
    time.sleep(0.05)
time.sleep(0.3)
steps.append(("printed", os.path.exists(path)))
os.kill(pid, signal.SIGKILL)
os.waitpid(pid, 0)
for s, good in steps:
    print(s, "ok" if good else "FAILED")
PY
check "the kiosk took the card, showed the entry and printed ($(tr '\n' ' ' <"$T/drive.log"))" \
    [ -s "$T/paper/receipt-0001.bin" ]
"$K" --config "$T/k.conf" receipt render "$T/paper/receipt-0001.bin" --png "$T/receipt.png" >/dev/null 2>&1
QR=$(zbarimg -q --raw "$T/receipt.png" 2>/dev/null)
case "$QR" in "$PUBLIC?r="*"&c="*) ok "zbarimg reads the receipt's QR: $QR" ;; *) nok "QR on the receipt: '$QR'" ;; esac
REF=$(echo "$QR" | sed 's/.*r=\([^&]*\).*/\1/')
CODE=$(echo "$QR" | sed 's/.*c=//')
"$K" --config "$T/k.conf" --db "$DB" receipt verify "$REF" "$CODE" >/dev/null 2>&1
check "kioskctl receipt verify accepts the printed code" [ $? -eq 0 ]

# what the kiosk showed: the position in plain digits beside the big ones
"$K" --db "$DB" position --id "$ID" --json >"$T/pos.json"
eval "$(python3 - "$T/pos.json" "$REF" <<'PY'
import json, sys
for e in json.load(open(sys.argv[1]))["entries"]:
    if e["receipt_no"] == sys.argv[2]:
        print(f"POS={e['position']} TOT={e['total']} MNAME={e['name']}")
PY
)"
check "the printed REF is the entry's receipt number, position $POS of $TOT" [ -n "${POS:-}" ]
grep -q "第 $POS 位，共 $TOT 位" "$T/screen.txt"
check "the kiosk's screen showed 第 $POS 位，共 $TOT 位" [ $? -eq 0 ]

PORT=$(free_port)
start_server "$SRV" "$DB" "$T/k.conf" "$PORT" "$T/server.log" || { nok "server starts: $(cat "$T/server.log")"; echo "1..$n"; exit 1; }
LOCAL=$(echo "$QR" | sed "s|^$PUBLIC|http://127.0.0.1:$PORT/q|")
st=$(curl -s -o "$T/page.html" -w '%{http_code}' "$LOCAL")
check "curl of the receipt's own QR URL on the listener: 200 (got $st)" [ "$st" = 200 ]
check "… with the masked name and the same position: $MNAME, 第 $POS 位，共 $TOT 位" \
    eval "grep -qF '$MNAME' '$T/page.html' && grep -qF '第 $POS 位，共 $TOT 位' '$T/page.html'"
check "… and not the full name" eval "! grep -qF '$NAME' '$T/page.html'"
last=$(echo "$CODE" | tail -c 2)
[ "$last" = "Z" ] && other=Y || other=Z
TAMPERED=$(echo "$LOCAL" | sed "s/.$/$other/")
st=$(curl -s -o /dev/null -w '%{http_code}' "$TAMPERED")
check "the same URL with a tampered code: 404 (got $st)" [ "$st" = 404 ]
stop_server
echo "1..$n"
