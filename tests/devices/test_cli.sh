#!/bin/sh
# tests/devices/test_cli.sh — kioskctl devices/receipt end to end, TAP output.
# Needs build/kioskctl (the main dispatcher) and zbarimg (zbar-tools).
# A receipt printed by the simulated printer is rendered to PNG and its QR is
# decoded by a real decoder; the decoded URL must be exactly the follow-up URL,
# whose code `receipt verify` accepts, and a changed code must be refused.
B=${KIOSK_BUILD:-build}
K="$(pwd)/$B/kioskctl"
T=$(mktemp -d /tmp/kiosk-cli-XXXXXX)
trap 'rm -rf "$T"' EXIT
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
nok() { n=$((n + 1)); echo "not ok $n - $1"; }
check() { if [ "$1" = "$2" ]; then ok "$3"; else nok "$3 (got '$1', want '$2')"; fi; }

if [ ! -x "$K" ]; then
    echo "not ok 1 - $K is not built"
    echo "1..1"
    exit 1
fi
cd "$T" || exit 1
DB="$T/k.db"
REF=TEST7M2KQ9

"$K" --db "$DB" init >/dev/null 2>&1; check $? 0 "kioskctl init"
"$K" receipt --help >/dev/null; check $? 0 "receipt --help"
"$K" devices --help >/dev/null; check $? 0 "devices --help"
"$K" receipt >/dev/null 2>&1; check $? 2 "receipt without a command is a usage error"

URL=$("$K" --db "$DB" receipt url $REF); check $? 0 "receipt url"
case "$URL" in *"?r=$REF&c="????????) ok "url has r=REF and an 8-character code" ;;
               *) nok "url has r=REF and an 8-character code ($URL)" ;; esac
CODE=${URL##*c=}
"$K" --db "$DB" receipt verify $REF "$CODE" >/dev/null; check $? 0 "verify accepts the genuine code"
LOWER=$(echo "$CODE" | tr 'A-Z' 'a-z')
"$K" --db "$DB" receipt verify $REF "$LOWER" >/dev/null; check $? 0 "verify accepts it typed in lower case"
# change the first character of the code (to another letter of the alphabet)
case "$CODE" in Z*) BAD="Y${CODE#?}" ;; *) BAD="Z${CODE#?}" ;; esac
"$K" --db "$DB" receipt verify $REF "$BAD" >/dev/null 2>"$T/err"; check $? 3 "verify refuses a changed code (exit 3)"
grep -q "NOT genuine" "$T/err" && ok "the refusal says NOT genuine" || nok "the refusal says NOT genuine"
"$K" --db "$DB" receipt verify OTHERREF1 "$CODE" >/dev/null 2>&1; check $? 3 "verify refuses the code on another ref"
"$K" --db "$DB" receipt verify 'bad ref' "$CODE" >/dev/null 2>&1; check $? 3 "verify: malformed ref is bad input"
"$K" --db "$DB" receipt verify $REF >/dev/null 2>&1; check $? 2 "verify without a code is a usage error"

mkdir paper
"$K" --db "$DB" --sim --sim-print-dir paper devices test-print --ref $REF >/dev/null; check $? 0 "sim test-print --ref"
[ -s paper/receipt-0001.bin ] && ok "receipt-0001.bin written" || nok "receipt-0001.bin written"
SIZE=$(wc -c < paper/receipt-0001.bin)
[ "$SIZE" -le 8192 ] && ok "58 mm receipt is at most 8 KiB ($SIZE bytes)" || nok "58 mm receipt is at most 8 KiB ($SIZE)"
"$K" receipt render paper/receipt-0001.bin --png r.png >/dev/null; check $? 0 "receipt render"
GOT=$(zbarimg -q --raw r.png 2>/dev/null)
check "$GOT" "$URL" "zbarimg decodes exactly the follow-up URL from the rendered receipt"
CODE2=${GOT##*c=}
"$K" --db "$DB" receipt verify $REF "$CODE2" >/dev/null; check $? 0 "the decoded code verifies"

touch paper/PAPER_OUT
"$K" --sim --sim-print-dir paper devices test-print >/dev/null 2>"$T/err"; check $? 1 "paper out: test-print exits 1"
grep -q "out of paper" "$T/err" && ok "paper out is said clearly" || nok "paper out is said clearly"
[ ! -e paper/receipt-0002.bin ] && ok "nothing printed when out of paper" || nok "nothing printed when out of paper"
"$K" --sim --sim-print-dir paper devices list | grep -q "out of paper"; check $? 0 "devices list shows paper out"
rm paper/PAPER_OUT
"$K" --sim --sim-print-dir paper devices test-print >/dev/null; check $? 0 "test page after paper is back"
[ -s paper/receipt-0002.bin ] && ok "receipt-0002.bin written (numbering)" || nok "receipt-0002.bin written"
"$K" --sim --sim-print-dir missing-dir devices test-print >/dev/null 2>&1; check $? 1 "no printer: exit 1"

# 80 mm with native QR, from the configuration file
printf '[kiosk]\ndatabase = %s\n[printer]\npaper_dots = 576\nnative_qr = true\n' "$DB" > k.conf
mkdir paper80
"$K" --config k.conf --sim --sim-print-dir paper80 devices test-print --ref $REF >/dev/null; check $? 0 "80 mm native-QR test-print"
"$K" --config k.conf receipt render paper80/receipt-0001.bin --png r80.png >/dev/null; check $? 0 "render 80 mm"
GOT=$(zbarimg -q --raw r80.png 2>/dev/null)
check "$GOT" "$URL" "zbarimg decodes the native GS ( k QR (80 mm)"

printf 'insert 11010519491231002X 张三\n' > cards.txt
OUT=$("$K" --sim --sim-cards cards.txt devices test-read --timeout 3 2>/dev/null); check $? 0 "sim test-read"
case "$OUT" in *"1101**********002X"*) ok "test-read shows the ID masked" ;; *) nok "test-read shows the ID masked ($OUT)" ;; esac
case "$OUT" in *11010519491231002X*|*张三*) nok "test-read never prints the identity in clear" ;;
               *) ok "test-read never prints the identity in clear" ;; esac
: > empty.txt
"$K" --sim --sim-cards empty.txt devices test-read --timeout 1 >/dev/null 2>&1; check $? 1 "test-read without a card: exit 1"
"$K" receipt render nosuch.bin --png x.png >/dev/null 2>&1; check $? 4 "render of a missing file: exit 4"
"$K" receipt render paper/receipt-0001.bin >/dev/null 2>&1; check $? 2 "render without --png: exit 2"
echo "1..$n"
