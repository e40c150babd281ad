#!/bin/sh
# test_security.sh — issue 11, as an attacker and a tired administrator would try it, on
# the real kioskctl and a real SQLite database: restore under a running kiosk, a stale
# -wal, backups that overwrite, a wiped or rolled-back audit trail, a lost or wrong key,
# formula injection in exports, an import that would wipe a queue.  Prints TAP lines.
. "$(dirname "$0")/lib.sh"
DB="$T/k.db"
K="$CTL --db $DB"
sq() { python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.isolation_level=None; q=sys.argv[2]; [print(*r, sep="|") for r in c.execute(q)] if q.count(";") == 0 else c.executescript(q)' "$@"; }

expect_exit 0 "init" $K init
expect_exit 0 "demo" $K demo --households 300 --seed 5
# ---- 1. backup: 0600, never overwrites, atomic -----------------------------------------
[ "$(stat -c %a "$DB")" = 600 ] && ok "a new database is mode 0600" || notok "database mode $(stat -c %a "$DB")"
sq "$DB" "select count(*) from meta" >/dev/null
[ ! -e "$DB-wal" ] || [ "$(stat -c %a "$DB-wal")" = 600 ] && ok "its WAL is mode 0600 too" || notok "WAL mode $(stat -c %a "$DB-wal")"
expect_exit 0 "backup" $K backup "$T/b1.db"
[ "$(stat -c %a "$T/b1.db")" = 600 ] && ok "the backup is mode 0600" || notok "backup mode $(stat -c %a "$T/b1.db")"
[ ! -e "$T/b1.db-wal" ] && [ -z "$(ls "$T" | grep 'b1.db\.')" ] && ok "no WAL or temporary file left beside the backup" || notok "left: $(ls "$T")"
echo "precious" >"$T/other"
expect_exit 3 "backup onto an existing file is refused" $K backup "$T/other"
grep -q -- "--force" "$T/err" && [ "$(cat "$T/other")" = precious ] && ok "…the file is untouched and the message names --force" || notok "other: $(cat "$T/other"); $(cat "$T/err")"
cp "$DB.key" "$T/key.copy"
expect_exit 5 "backup onto the site key is refused even with --force" $K backup --force "$DB.key"
cmp -s "$DB.key" "$T/key.copy" && ok "…the site key is untouched" || notok "the site key changed"
expect_exit 0 "backup --force replaces an old backup" $K backup --force "$T/other"
[ "$(sq "$T/other" "pragma integrity_check")" = ok ] && ok "the forced backup is a sound database" || notok "forced backup: $(sq "$T/other" "pragma integrity_check" 2>&1)"

# ---- 1. restore: exactly the backup, or a refusal naming who holds the database --------
B_HEAD=$(sq "$T/b1.db" "select max(seq) from audit")
REC=$($K export queue --program prh --public | sed -n 3p | cut -d, -f2)
expect_exit 0 "a staff action after the backup" $K entry offer --program prh --receipt "$REC" --reason later
python3 - "$DB" "$T/holder.ready" <<'PY' &
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1]); c.execute("select count(*) from audit").fetchall()
open(sys.argv[2], "w").close(); time.sleep(30)
PY
HOLDER=$!
for i in $(seq 50); do [ -e "$T/holder.ready" ] && break; sleep 0.1; done
expect_exit 5 "restore while another program has the database open is refused" $K restore "$T/b1.db"
grep -q "pid $HOLDER (python3)" "$T/err" && ok "…the refusal names the holder (pid $HOLDER)" || notok "refusal: $(cat "$T/err")"
[ "$(sq "$DB" "select max(seq) from audit")" -gt "$B_HEAD" ] && ok "…and nothing was restored" || notok "the database changed"
kill $HOLDER; wait $HOLDER 2>/dev/null
# a kiosk killed mid-run leaves committed frames in the -wal: they must not be replayed on top
python3 - "$DB" <<'PY' 2>/dev/null
import sqlite3, os, signal, sys
c = sqlite3.connect(sys.argv[1]); c.isolation_level = None
c.execute("pragma wal_autocheckpoint=0")
c.execute("insert into meta(key, value) values('after_backup', 'yes')")
os.kill(os.getpid(), signal.SIGKILL)
PY
[ -s "$DB-wal" ] && ok "a killed writer left a -wal with commits" || notok "no -wal left"
expect_exit 0 "restore with the holder gone" $K restore "$T/b1.db"
grep -q "content digest equal" "$T/out" && ok "restore reports the digest proof" || notok "restore said: $(cat "$T/out")"
[ "$(sq "$DB" "select count(*) from meta where key='after_backup'")" = 0 ] && ok "the stale -wal was not replayed on top" || notok "the -wal's row survived the restore"
[ "$(sq "$DB" "select max(seq) from audit")" = "$B_HEAD" ] && ok "the audit trail ends at the backup's head" || notok "audit head $(sq "$DB" "select max(seq) from audit"), backup $B_HEAD"
python3 - "$DB" "$T/b1.db" <<'PY' && ok "every table's rows equal the backup's" || notok "content differs from the backup"
import sqlite3, sys
def dump(p):
    c = sqlite3.connect(p)
    return {t: sorted(map(repr, c.execute('select * from "%s"' % t))) for (t,) in c.execute("select name from sqlite_schema where type='table'")}
sys.exit(0 if dump(sys.argv[1]) == dump(sys.argv[2]) else 1)
PY
expect_exit 0 "check passes after the restore (the anchor recorded it)" $K check
expect_exit 0 "the kiosk's own work goes on after the restore" $K entry offer --program prh --receipt "$REC" --reason again
expect_exit 0 "audit verify after new records" $K audit verify
cp "$T/b1.db" "$T/evil.db"
sq "$T/evil.db" "update audit set detail='forged' where seq=2" >/dev/null
expect_exit 1 "a backup whose trail was edited is refused" $K restore "$T/evil.db"
grep -q "record 2" "$T/err" && ok "…naming the record" || notok "said: $(cat "$T/err")"
expect_exit 4 "restore of a missing file: not found" $K restore "$T/nothing.db"

# ---- 2. the audit trail anchored outside the database --------------------------------------
cp "$DB" "$T/pre-wipe.db"
sq "$DB" "delete from audit; delete from meta where key='audit_head'" >/dev/null
expect_exit 1 "audit verify detects a wiped trail (audit rows and meta head deleted)" $K audit verify
grep -q "anchor" "$T/err" && grep -q "ends at record 0" "$T/err" && ok "…and says it was wiped" || notok "said: $(cat "$T/err")"
expect_exit 1 "check detects the wiped trail" $K check
grep -q "audit: FAILED" "$T/out" && ok "…check's audit line fails" || notok "check said: $(cat "$T/out")"
cp "$T/pre-wipe.db" "$DB"; rm -f "$DB-wal" "$DB-shm"
N=$(sq "$DB" "select max(seq) from audit")
sq "$DB" "delete from audit where seq >= $((N - 1)); delete from meta where key = 'audit_head'" >/dev/null
expect_exit 1 "a truncated trail (tail records and head deleted) is detected" $K audit verify
cp "$T/b1.db" "$DB"; rm -f "$DB-wal" "$DB-shm"
expect_exit 1 "a database copied back over the live one (rollback, not restore) is detected" $K check
grep -q "rolled back" "$T/out" && ok "…as a rollback" || notok "check said: $(cat "$T/out")"
cp "$T/pre-wipe.db" "$DB"; rm -f "$DB-wal" "$DB-shm"
expect_exit 0 "the honest database passes again" $K audit verify
mv "$DB.key.head" "$T/head.moved"
expect_exit 1 "a deleted anchor file is reported" $K audit verify
grep -q "anchor .* is missing" "$T/err" && ok "…as missing" || notok "said: $(cat "$T/err")"
mv "$T/head.moved" "$DB.key.head"
python3 - "$DB.key.head" <<'PY'
import sys
p = sys.argv[1]; lines = open(p).read().split("\n")
lines[2] = lines[2].split(":")[0] + ":" + lines[3].split(":")[1]   # a well-formed line, a wrong tag
open(p, "w").write("\n".join(lines))
PY
expect_exit 1 "an edited anchor line is reported" $K audit verify
grep -q "head:3" "$T/err" && ok "…naming the anchor line" || notok "said: $(cat "$T/err")"

# ---- 3/4. keys: missing or wrong key named as such; init never re-keys a populated database
D2="$T/k2"; mkdir "$D2"; K2="$CTL --db $D2/k.db"
$K2 demo --households 50 --seed 2 >/dev/null 2>&1
mv "$D2/k.db.key" "$D2/saved.key"
expect_exit 1 "a missing key file fails" $K2 position --id 11010519491231002X
grep -q "restore that key file" "$T/err" && ! grep -q "run kioskctl init" "$T/err" && ok "…telling to restore the key, not to run init" || notok "said: $(cat "$T/err")"
expect_exit 5 "init refuses to create a new key for a populated database" $K2 init
[ ! -e "$D2/k.db.key" ] && ok "…and wrote no key" || notok "init wrote $D2/k.db.key"
cp "$DB.key" "$D2/k.db.key"
expect_exit 1 "a wrong key is named as the wrong key" $K2 check
grep -q "is not this database's site secret" "$T/err" && ok "…with both fingerprints" || notok "said: $(cat "$T/err")"
KIOSK_BIN="$(dirname "$CTL")/kiosk"
TERM=xterm timeout 20 script -qec "$KIOSK_BIN --sim --db $D2/k.db" /dev/null >"$T/out" 2>&1; rc=$?
[ "$rc" = 1 ] && grep -q "is not this database's site secret" "$T/out" && ok "the kiosk refuses to start with the wrong key, saying so" || notok "kiosk with the wrong key: exit $rc: $(head -c 300 "$T/out")"
cp "$D2/saved.key" "$D2/k.db.key"
expect_exit 0 "with its own key back, check passes" $K2 check

# ---- 4. export --public neutralises formula-leading cells --------------------------------
W=$($K export queue --program prh --public | sed -n 2p | cut -d, -f2)
sq "$DB" "update entry set hukou_district = '=HYPERLINK(\"http://evil.example/\",\"x\")' where receipt_no = '$W'" >/dev/null
W2=$($K export queue --program prh --public | sed -n 3p | cut -d, -f2)
sq "$DB" "update entry set hukou_district = '@SUM(1)' where receipt_no = '$W2'" >/dev/null
$K export queue --program prh --public >"$T/pub.csv"
grep -q "^1,$W,[0-9]*,\"'=HYPERLINK(\"\"http://evil.example/\"\",\"\"x\"\")\"" "$T/pub.csv" && ok "export --public writes =HYPERLINK(…) as a quoted, apostrophe-led text cell" || notok "public export: $(sed -n 2p "$T/pub.csv")"
grep -q "\"'@SUM(1)\"" "$T/pub.csv" && ok "…and @SUM(1) too" || notok "public export: $(sed -n 3p "$T/pub.csv")"
python3 - "$T/pub.csv" <<'PY' && ok "no cell of the public export starts with = + - @ tab or CR" || notok "a formula-leading cell in the public export"
import csv, sys
bad = [c for row in csv.reader(open(sys.argv[1], newline="")) for c in row if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
sys.exit(1 if bad else 0)
PY
$K export queue --program prh >"$T/full.csv" 2>/dev/null
grep -q "\"'=HYPERLINK" "$T/full.csv" && ok "the full export neutralises too" || notok "full export: $(grep HYPERLINK "$T/full.csv")"

# ---- 5. an import cannot wipe a queue ---------------------------------------------------
head -1 "$T/full.csv" >"$T/header-only.csv"
active=$(sq "$DB" "select count(*) from entry e join program p on p.id = e.program_id where p.code = 'prh' and e.status in (0,1,2,3)" 2>/dev/null)
before=$(sq "$DB" "select group_concat(status) from (select status from entry order by id)")
expect_exit 5 "a header-only file is refused (exit 5)" $K import queue --program prh --no-progress "$T/header-only.csv"
grep -q "would remove" "$T/err" && grep -q -- "--allow-removals" "$T/err" && ok "…saying how many it would remove and how to allow it" || notok "said: $(cat "$T/err")"
[ "$(sq "$DB" "select group_concat(status) from (select status from entry order by id)")" = "$before" ] && ok "…and no entry changed" || notok "entries changed"
expect_exit 0 "--dry-run reports and changes nothing" $K import queue --program prh --no-progress --dry-run "$T/header-only.csv"
grep -q "dry run, nothing changed" "$T/out" && grep -q "housed)" "$T/out" && ok "…listing the count by status" || notok "dry run said: $(cat "$T/out")"
[ "$(sq "$DB" "select group_concat(status) from (select status from entry order by id)")" = "$before" ] && ok "…and no entry changed" || notok "dry run changed entries"
# drop one housed entry's row: a single housed removal is refused, even below the share
H=$(sq "$DB" "select receipt_no from entry e join program p on p.id = e.program_id where p.code = 'prh' and status = 3 limit 1")
grep -v "^$H," "$T/full.csv" | grep -v HYPERLINK | grep -v "@SUM" >"$T/minus-housed.csv"
sq "$DB" "update entry set hukou_district = '' where hukou_district like '=%' or hukou_district like '@%'" >/dev/null
expect_exit 5 "leaving out one housed entry is refused" $K import queue --program prh --no-progress "$T/minus-housed.csv"
grep -q "1 housed" "$T/err" && ok "…naming the housed entry count" || notok "said: $(cat "$T/err")"
expect_exit 5 "--allow-removals smaller than the removals is still refused" $K import queue --program prh --no-progress --allow-removals 1 "$T/minus-housed.csv"
n_absent=$(grep -o "remove [0-9]*" "$T/err" | head -1 | cut -d' ' -f2)
expect_exit 0 "--allow-removals N that covers them imports" $K import queue --program prh --no-progress --allow-removals "$n_absent" "$T/minus-housed.csv"
[ "$(sq "$DB" "select status from entry e join program p on p.id = e.program_id where p.code = 'prh' and receipt_no = '$H'")" = 5 ] && ok "…and the housed entry is removed, on purpose" || notok "housed entry not removed"
$K audit tail -n 1 >"$T/tail"
grep -q "allowed: $n_absent; 1 housed" "$T/tail" && ok "…the audit record says what was allowed" || notok "audit: $(cat "$T/tail")"
printf '[import]\nmax_removal_share = 100%%\n' >"$T/all.conf"
expect_exit 0 "[import] max_removal_share = 100% lets a file remove waiting entries" $CTL --config "$T/all.conf" --db "$DB" import queue --program ahp --no-progress --dry-run "$T/header-only.csv"
printf '[import]\nmax_removal_share = 2\n' >"$T/bad.conf"
expect_exit 2 "a share above 1 is a configuration error" $CTL --config "$T/bad.conf" --db "$DB" check

# ---- 5/6. import validation: FILE:LINE: column: message ------------------------------------
printf 'receipt_no,id_number,name,household_size\nR1,11010519491231002X,张三,2\nR2,11010519491231002x,李四,3\n' >"$T/dup.csv"
expect_exit 3 "one ID number on two rows is rejected" $K import queue --program talent --no-progress "$T/dup.csv"
grep -q "^$T/dup.csv:3: id_number: the same ID number as line 2" "$T/err" && ok "…as FILE:3: id_number: …line 2" || notok "said: $(cat "$T/err")"
grep -q "11010519491231002" "$T/err" && notok "the ID number was quoted back" || ok "…without quoting the ID number"
printf 'receipt_no,id_number,name,household_size\nR1,11010519491231002X,"张"三,2\n' >"$T/syntax.csv"
expect_exit 3 "a CSV syntax error is rejected" $K import queue --program talent --no-progress "$T/syntax.csv"
grep -q "^$T/syntax.csv:2: name: text after a closing quote" "$T/err" && ok "…with the column named: FILE:2: name: …" || notok "said: $(cat "$T/err")"
python3 - "$T/bad.csv" <<'PY'
import sys
def idn(first17):
    w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return first17 + "10X98765432"[sum(int(a) * b for a, b in zip(first17, w)) % 11]
rows = ["receipt_no,id_number,name,household_size,hukou_district",
        "F1,%s,张三,1," % idn("00000019900101001"),      # region 000000
        "F2,%s,李四,1," % idn("44030321500101001"),      # born in 2150
        "F3,%s,王\u202e五,1," % idn("44030319900101002"), # RLO in the name
        "F4,%s,赵\u200b六,1," % idn("44030319900101003"), # zero-width space
        "F5,%s,孙七,1,=HYPERLINK(1)" % idn("44030319900101004"),
        "@F6,%s,周八,1," % idn("44030319900101005")]
open(sys.argv[1], "w", encoding="utf-8").write("\r\n".join(rows) + "\r\n")
PY
expect_exit 3 "impossible regions, future births, bidi/zero-width names and formulas are rejected" $K import queue --program talent --no-progress "$T/bad.csv"
for want in "2: id_number: region code is not a real one" "3: id_number: birth date is in the future" \
            "4: name: must not contain invisible" "5: name: must not contain invisible" \
            "6: hukou_district: must not start with = + - @" "7: receipt_no: must not start with = + - @"; do
    grep -q "^$T/bad.csv:$want" "$T/err" && ok "bad.csv:$want" || notok "no '$want' in: $(cat "$T/err")"
done

# ---- 6. staff identity, escaped output, process hygiene -----------------------------------
printf 'correct horse battery 1\n' | $K user add clerk --roles housing --password-stdin >/dev/null 2>&1
printf 'correct horse battery 2\n' | $K user add nurse --roles street --password-stdin >/dev/null 2>&1
R3=$($K export queue --program prh --public | sed -n 4p | cut -d, -f2)
printf 'correct horse battery 1\n' >"$T/pw1"; printf 'wrong password here\n' >"$T/pwbad"
printf 'correct horse battery 2\n' >"$T/pw2"
expect_exit 0 "--as USER with the password on stdin runs a staff action" $CTL --db "$DB" --as clerk entry freeze --program prh --receipt "$R3" --reason audit-me --resident-reason docs_missing <"$T/pw1"
$K audit tail -n 1 >"$T/tail"
grep -q "  clerk  *freeze  *entry prh/$R3 .*audit-me" "$T/tail" && ok "…and the audit record names the account" || notok "audit: $(cat "$T/tail")"
expect_exit 5 "--as with a wrong password is refused" $CTL --db "$DB" --as clerk entry unfreeze --program prh --receipt "$R3" --reason x <"$T/pwbad"
expect_exit 5 "--as an account without the housing role is refused" $CTL --db "$DB" --as nurse entry unfreeze --program prh --receipt "$R3" --reason x <"$T/pw2"
SUDO_USER=mallory USER=mallory LOGNAME=mallory $K entry unfreeze --program prh --receipt "$R3" --reason spoof >/dev/null 2>&1
$K audit tail -n 1 >"$T/tail"
grep -q mallory "$T/tail" && notok "the audit actor came from SUDO_USER: $(cat "$T/tail")" || ok "SUDO_USER/USER do not name the audit actor ($(awk '{print $4}' "$T/tail"))"
esc=$(printf 'x\033]0;pwned\007\033[2Jy')
$K entry freeze --program prh --receipt "$R3" --reason "$esc" --resident-reason docs_missing >/dev/null 2>&1
$K audit tail -n 1 >"$T/tail"
if grep -q "$(printf '\033')" "$T/tail"; then notok "audit tail printed a raw ESC"; else ok "audit tail prints no raw control characters"; fi
grep -q 'x\\x1b\]0;pwned\\x07\\x1b\[2Jy' "$T/tail" && ok "…they are shown escaped as \\xNN" || notok "tail: $(cat -v "$T/tail")"
# no core dumps: look at a running kioskctl (blocked reading its import from a pipe)
mkfifo "$T/fifo"
$K import queue --program prh --no-progress --dry-run - <"$T/fifo" >/dev/null 2>&1 &
CPID=$!
exec 9>"$T/fifo"
sleep 0.3
core=$(awk '/^Max core file size/ {print $5, $6}' /proc/$CPID/limits 2>/dev/null)
exec 9>&-
wait $CPID 2>/dev/null
[ "$core" = "0 0" ] && ok "kioskctl runs with core dumps off (RLIMIT_CORE 0, soft and hard)" || notok "core limit '$core'"
start=$(date +%s)
timeout 10 "$KIOSK_BIN" --sim --db "$DB" </dev/null >"$T/out" 2>"$T/err"; rc=$?
[ "$rc" = 2 ] && [ $(( $(date +%s) - start )) -lt 5 ] && grep -q "must be a terminal" "$T/err" && ok "the kiosk with stdin not a terminal exits 2 at once, saying why" || notok "kiosk </dev/null: exit $rc: $(cat "$T/err")"

done_testing
