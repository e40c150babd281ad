#!/bin/sh
# test_kioskctl.sh — kioskctl's contract (SPEC §2): init, demo, position text and JSON,
# exit codes 0/2/3/4/5, --help everywhere, publish, entry actions, export, check catching
# tampering, backup and restore.  Prints TAP lines.
. "$(dirname "$0")/lib.sh"
DB="$T/k.db"
K="$CTL --db $DB"

check "init creates the database" $K init
[ -s "$DB" ] && [ -s "$DB.key" ] && ok "the database and its site secret exist" || notok "after init: $(ls -l "$T")"
check "init is idempotent" $K init
mode=$(stat -c %a "$DB.key")
[ "$mode" = 600 ] && ok "site secret is mode 0600" || notok "site secret mode $mode"
check "demo fills the database" $K demo --households 3000 --seed 7
expect_exit 0 "check passes on the demo database" $K check

ID=$($K demo --households 3000 --seed 7 2>/dev/null | awk '/^  insert/ {print $2; exit}')
expect_exit 0 "position --id" $K position --id "$ID"
grep -q "position [0-9]* of [0-9]*" "$T/out" && ok "text shows the position" || notok "no position in: $(cat "$T/out")"
expect_exit 0 "position --json" $K position --id "$ID" --json
python3 - "$T/out" "$ID" <<'PY' && ok "JSON has the fixed keys, masked identity, exact position" || notok "JSON shape"
import json, sys
d = json.load(open(sys.argv[1])); idn = sys.argv[2]
assert set(d) >= {"entries", "applications"}
e = d["entries"][0]
for k in ("program", "receipt_no", "status", "position", "total", "name", "id"):
    assert k in e, k
assert e["id"].startswith("4403") and "*" in e["id"] and idn not in json.dumps(d)
assert e["status"] != "waiting" or (1 <= e["position"] <= e["total"])
PY
grep -q "$ID" "$T/out" && notok "full ID number printed" || ok "full ID number never printed"

REC=$(python3 -c "import json;print(json.load(open('$T/out'))['entries'][0]['receipt_no'])")
L6=$(echo "$ID" | tail -c 7)
expect_exit 0 "position --receipt with the right last 6" $K position --receipt "$REC" --id-last6 "$L6" --json
expect_exit 4 "position --receipt with wrong last 6 is not found" $K position --receipt "$REC" --id-last6 000000
expect_exit 4 "unknown person exits 4" $K position --id 11010519491231002X
expect_exit 3 "invalid ID number exits 3" $K position --id 110105194912310021
expect_exit 2 "position without --id or --receipt is a usage error" $K position
expect_exit 2 "unknown command is a usage error" $K frobnicate
# every command kioskctl --help lists: COMMAND --help exits 0, prints its usage line
# ("usage: kioskctl … COMMAND") on stdout, nothing on stderr, and opens no database
$CTL --help > "$T/help" 2>&1
cmds=$(sed -n 's/^  \([a-z][a-z]*\)  .*/\1/p' "$T/help")
ncmds=$(echo "$cmds" | wc -w)
[ "$ncmds" -ge 17 ] && ok "kioskctl --help lists $ncmds commands" || notok "kioskctl --help lists $ncmds commands: $(cat "$T/help")"
for c in $cmds; do
    $CTL --db "$T/help-$c.db" $c --help >"$T/out" 2>"$T/err"; rc=$?
    if [ "$rc" -eq 0 ] && head -1 "$T/out" | grep -q "^usage: kioskctl .*\b$c\b" && [ ! -s "$T/err" ] \
        && [ ! -e "$T/help-$c.db" ]; then
        ok "$c --help: exit 0, usage line names $c, no database opened"
    else
        notok "$c --help: exit $rc, stdout '$(head -1 "$T/out")', stderr '$(head -c 200 "$T/err")', db $(ls "$T/help-$c.db" 2>&1)"
    fi
done
expect_exit 0 "--version" $CTL --version

# publish, then an action: the change shows up
expect_exit 0 "publish" $K publish --program prh
P1=$($K position --receipt "$REC" --id-last6 "$L6" --json | python3 -c "import json,sys;print(json.load(sys.stdin)['entries'][0]['position'])")
FIRST=$($K export queue --program prh --public | sed -n 2p | cut -d, -f2)
expect_exit 0 "offer to the first in line" $K entry offer --program prh --receipt "$FIRST" --reason "flat 1-101"
expect_exit 5 "accept twice is refused by status (exit 5)" $K entry offer --program prh --receipt "$FIRST" --reason again
expect_exit 2 "an action without a reason is a usage error" $K entry freeze --program prh --receipt "$FIRST"
P2=$($K position --receipt "$REC" --id-last6 "$L6" --json | python3 -c "import json,sys;e=json.load(sys.stdin)['entries'][0];print(e['position'], e['change']['housed_or_offered'])")
# (the household looked up must not be the one offered, or nothing would be shown)
if [ "$REC" != "$FIRST" ] && [ "$P1" -gt 1 ] && [ "$P2" = "$((P1 - 1)) 1" ]; then ok "position moved up by one, explained as offered"; else notok "receipt $REC (first in line: $FIRST): before $P1, after $P2"; fi

# export: public form has no personal data and is in order
$K export queue --program prh --public > "$T/pub.csv"
head -1 "$T/pub.csv" | grep -q "^position,receipt_no,household_size,hukou_district" && ok "public export header" || notok "public header"
awk -F, 'NR>1 && $1 != NR-1 {bad=1} END {exit bad}' "$T/pub.csv" && ok "public export positions are 1..N in order" || notok "public positions"
grep -q "$ID" "$T/pub.csv" && notok "ID number in the public notice" || ok "no ID number in the public notice"

# full export re-imports unchanged
$K export queue --program prh > "$T/full.csv"
expect_exit 0 "re-import of the full export" $K import queue --program prh --no-progress "$T/full.csv"
grep -q " 0 added, 0 updated, 0 removed" "$T/out" && ok "re-import changes nothing" || notok "re-import: $(cat "$T/out")"

# bad input: exit 3, FILE:LINE: column:, database unchanged
printf 'receipt_no,id_number,name,household_size\nX1,11010519491231002X,张三,30\n' > "$T/bad.csv"
before=$(sqlite3 "$DB" "select count(*) from entry; select count(*) from audit" | tr '\n' ' ')
expect_exit 3 "a bad file exits 3" $K import queue --program prh "$T/bad.csv"
grep -q "^$T/bad.csv:2: household_size: " "$T/err" && ok "error names file, line and column" || notok "error text: $(cat "$T/err")"
after=$(sqlite3 "$DB" "select count(*) from entry; select count(*) from audit" | tr '\n' ' ')
[ "$before" = "$after" ] && ok "database unchanged after a bad file" || notok "changed: $before -> $after"
expect_exit 4 "import into an unknown program" $K import queue --program nope "$T/full.csv"

# programs are data: a new rule re-ranks the list exactly
expect_exit 0 "program set --rule" $K program set talent --rule lottery_no,tier --refusal-limit 3
$K export queue --program talent > "$T/talent.csv"
$K export queue --program talent --public > "$T/talent-pub.csv"
python3 - "$T/talent.csv" "$T/talent-pub.csv" <<'PY' && ok "public order follows the new rule (lottery, then tier, empty last, then receipt)" || notok "order after a rule change"
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1], newline="")) if r["status"] == "waiting"]
key = lambda r: ((r["lottery_no"] == "", int(r["lottery_no"] or 0)), int(r["tier"]), r["receipt_no"].encode())
want = [r["receipt_no"] for r in sorted(rows, key=key)]
got = [r["receipt_no"] for r in csv.DictReader(open(sys.argv[2], newline=""))]
assert got == want, (got[:5], want[:5])
PY
expect_exit 0 "check after a rule change" $K check
expect_exit 3 "a bad rule is refused" $K program set prh --rule tier,colour
expect_exit 4 "an unknown program" $K program set nope --rule tier
expect_exit 0 "program add" $K program add eco --name-zh 保障性租赁住房 --name-en "Affordable rental housing"
expect_exit 3 "program add twice" $K program add eco --name-zh x --name-en y

# backup and restore
expect_exit 0 "backup" $K backup "$T/backup.db"
expect_exit 0 "offer after the backup" $K entry offer --program prh --receipt "$(sed -n 3p "$T/pub.csv" | cut -d, -f2)" --reason x
expect_exit 0 "restore" $K restore "$T/backup.db"
expect_exit 0 "check after restore" $K check

# tampering: an edited audit record is caught by audit verify and check
sqlite3 "$DB" "update audit set detail = detail || ' (edited)' where seq = 3"
expect_exit 1 "audit verify catches an edited record" $K audit verify
grep -q "record 3" "$T/err" && ok "names the edited record" || notok "audit error: $(cat "$T/err")"
expect_exit 1 "check fails on a tampered trail" $K check

# the database file holds no plaintext identities
NAME=$($K demo --households 3000 --seed 7 2>/dev/null | awk '/^  insert/ {print $3; exit}')
# grep exits 1 only when it read the files and found neither (2: a file is missing)
grep -a -q -e "$ID" -e "$NAME" "$DB" $( [ -f "$DB-wal" ] && echo "$DB-wal" ); grc=$?
if [ -n "$ID" ] && [ -n "$NAME" ] && [ -s "$DB" ] && [ "$grc" -eq 1 ]; then ok "no plaintext ID or name in the database file"
else notok "plaintext identity in the database file? (id '$ID', name '$NAME', grep exit $grc)"; fi

# a wrong secret cannot read anything
mv "$DB.key" "$DB.key.real"
expect_exit 5 "init refuses to make a new key for a populated database" $CTL --db "$DB" init
$CTL --db "$T/other.db" init >/dev/null && cp "$T/other.db.key" "$DB.key"
expect_exit 1 "another site's secret is named as the wrong key" $K position --id "$ID"
grep -q "not this database's site secret" "$T/err" && ok "says which key is wrong" || notok "error: $(cat "$T/err")"
# below the fingerprint, the cryptography itself: without the recorded fingerprint the
# other key still finds nobody and decrypts nothing
sqlite3 "$DB" "delete from meta where key = 'key_fingerprint'"
expect_exit 4 "another site secret cannot even find the person" $K position --id "$ID"
expect_exit 1 "another site secret cannot decrypt a receipt's entry" $K position --receipt "$REC" --id-last6 "$L6"
grep -q "decrypt" "$T/err" && ok "says it cannot decrypt" || notok "error: $(cat "$T/err")"
mv "$DB.key.real" "$DB.key"
chmod 644 "$DB.key"
expect_exit 1 "a world-readable secret is refused" $K position --id "$ID"
done_testing
