#!/bin/sh
# install/demo.sh — what `make demo` runs after building: a realistic demo database (once),
# then the resident kiosk with simulated devices, and how to put a card in.
#
#   DEMO_DB=demo.db  DEMO_HOUSEHOLDS=20000  DEMO_LANG=zh  KIOSK_BUILD=build   (environment)
#
# Cards: F4 on the attract screen opens a picker of demo residents; or, from another
# terminal, `echo "insert ID NAME" > build/demo/cards` (and `echo remove > …`).
# Receipts: the simulated printer writes build/demo/receipts/receipt-NNNN.bin
# (`build/kioskctl receipt render FILE --png OUT.png` shows one as paper);
# `touch build/demo/receipts/PAPER_OUT` simulates an empty printer.
# Without a terminal (CI) it prepares everything, prints the instructions and exits 0.
set -eu
cd "$(dirname "$0")/.."
B=${KIOSK_BUILD:-build}
DB=${DEMO_DB:-demo.db}
N=${DEMO_HOUSEHOLDS:-20000}
LANG_UI=${DEMO_LANG:-zh}
RUN=$B/demo
FIFO=$RUN/cards
PRINT=$RUN/receipts

for p in "$B/kiosk" "$B/kioskctl"; do
    [ -x "$p" ] || { echo "demo.sh: $p is missing: run make first" >&2; exit 1; }
done
mkdir -p "$RUN" "$PRINT"

if [ ! -f "$DB" ]; then
    echo "demo.sh: creating $DB with $N synthetic households (kioskctl demo) …"
    "$B/kioskctl" --db "$DB" demo --households "$N" --seed 1 | tee "$RUN/residents.txt"
fi
# an older demo.db from an earlier build: bring its schema up to date (idempotent)
"$B/kioskctl" --db "$DB" init >/dev/null
[ -p "$FIFO" ] || { rm -f "$FIFO"; mkfifo "$FIFO"; }

cat <<MSG

The resident kiosk with simulated devices:
  $B/kiosk --sim --db $DB --sim-cards $FIFO --sim-print-dir $PRINT --lang $LANG_UI

Put a card in:
  * on the attract screen press F4 — a picker of demo residents (arrows, Enter);
  * or from another terminal,  echo "insert ID_NUMBER NAME" > $FIFO  and  echo remove > $FIFO
MSG
# the demo people depend only on the seed (1), so this list fits any demo database made here
if [ -s "$RUN/residents.txt" ]; then
    echo "    for example:"
    grep '^  insert' "$RUN/residents.txt" | sed "s|^  \(.*\)|      echo \"\1\" > $FIFO|"
fi
cat <<MSG
Or type a receipt number (e.g. BHJ0000001) and the last 6 characters of that person's ID.
Keys: digits, Enter, Backspace/Esc, arrows; F1 help, F2 中文/English, F3 print.
Receipts land in $PRINT (touch $PRINT/PAPER_OUT to run out of paper).
Ctrl-C does nothing in resident mode (as on a real kiosk): to stop it, close the
terminal or run   kill \$(cat $RUN/kiosk.pid)   from another one.
MSG

if [ ! -t 0 ] || [ ! -t 1 ]; then
    echo
    echo "demo.sh: not a terminal, so the kiosk is not started (run make demo in a terminal)."
    exit 0
fi
printf '\nPress Enter to start the kiosk… '
read -r _ || true
echo $$ > "$RUN/kiosk.pid"
exec "$B/kiosk" --sim --db "$DB" --sim-cards "$FIFO" --sim-print-dir "$PRINT" --lang "$LANG_UI"
