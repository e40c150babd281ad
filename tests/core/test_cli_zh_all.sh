#!/bin/sh
# test_cli_zh_all.sh — every kioskctl command that succeeds, run under --lang zh, says
# what it did in Chinese (issue 14): init (new and up to date), demo, import (--dry-run,
# and on a terminal its progress, through script(1)), publish, export (stderr; stdout is
# CSV), program list/add/set, each entry action, bed list/show/street/advance/reassess,
# user add/passwd/roles/street/disable/enable/list, position, kiosks (a heartbeat row
# written in), every report and report --csv, audit tail/verify, backup, restore, devices
# list/test-print (simulated); and the refusals: option ranges, bad dates, and the core's
# words behind them (stage, ordering key, action, role, program).  stdout and stderr are
# scanned together for English words (zh_words.sh: the rules and allow-list
# test_cli_zh_help.sh uses, plus this test's data and codes in EXTRA).  Then a few of the
# same commands without --lang, their English lines matched whole, as they were (and two
# reworded details now whole).  Then the text tables are checked to be aligned by display
# width: in `user list`, `report overdue`, `report funnel` and `program list` the column
# after a Chinese cell starts at the same display column on every row (python3's
# east_asian_width: W and F take 2 columns), in Chinese and in English (the data is
# Chinese in both).  Prints TAP lines.
. "$(dirname "$0")/lib.sh"
CTL="$(cd "$(dirname "$CTL")" && pwd)/$(basename "$CTL")"   # the test changes directory
HERE=$(cd "$(dirname "$0")" && pwd)
cd "$T" || exit 1
DB=a.db
K="$CTL --db $DB --lang zh"
E="$CTL --db $DB"
PW=good-password-1
# Data, not words: program codes and English names, account names (the operating-system
# account's too: kioskctl:LOGIN), the resident's actor name (resident@KIOSK), the screen
# name in kiosks; and codes kept as codes, typed by the reader: the sim-cards file's
# "insert"; the unit MB.  (An entry's status in position, the devices' and the SAM's
# states in kiosks and the audit trail's actions in audit tail are Chinese words.)  Bed
# references are added below.
EXTRA="tst Test programme
prh ahp talent Public rental housing Affordable for sale Talent
s1 d1 a1 p1 demo-street demo-district demo-clerk demo-provider demo-assessor demo-acceptor
$(id -un) resident attract
insert MB"
. "$HERE/zh_words.sh"

# zh CODE DESCRIPTION [STDIN] -- COMMAND ARGS… (run as kioskctl --db DB --lang zh ARGS):
# ok when it exits CODE, says something, has Chinese in it and no English word
zh() {
    code=$1; d=$2; in=$3; shift 4
    printf '%s\n' "$in" | $K "$@" >"$T/out" 2>"$T/err"; rc=$?
    all=$(cat "$T/out" "$T/err")
    w=$(english "$all")
    if [ "$rc" = "$code" ] && han "$all" && [ -z "$w" ]; then
        ok "$d: exit $rc, in Chinese"
    else
        notok "$d: exit $rc (wanted $code), English: '$w' in: $(printf '%s\n' "$all" | grep -a -m3 -wE "$(echo $w | tr ' ' '|')" || printf '%s' "$all" | head -c 300)"
    fi
}

# ---- the database and its programs -----------------------------------------------------
zh 0 "init" "" -- init
zh 0 "init again (up to date)" "" -- init
zh 0 "demo" "" -- demo --households 300 --seed 5
ID=$(sed -n 's/^  insert \([0-9X]*\) .*/\1/p' "$T/out" | head -1)
ELDER=$(sed -n 's/^  insert \([0-9X]*\) .*/\1/p' "$T/out" | sed -n 6p)
zh 0 "program list" "" -- program list
zh 0 "program add" "" -- program add tst --name-zh 测试项目 --name-en "Test programme" --refusal-limit 3
zh 0 "program set" "" -- program set tst --rule tier,wait_since --refusal-limit 2
python3 - "$T" <<'PY'
import sys
def full(s17):
    w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return s17 + "10X98765432"[sum(int(a) * b for a, b in zip(s17, w)) % 11]
rows = ["receipt_no,id_number,name,household_size"]
rows += ["TST%d,%s,居民%d,%d" % (i, full("44030319600101%03d" % i), i, 1 + i % 3) for i in range(12)]
open(sys.argv[1] + "/tst.csv", "w").write("\n".join(rows) + "\n")
PY
zh 0 "import --dry-run" "" -- import queue --program tst --dry-run --no-progress tst.csv
zh 0 "import" "" -- import queue --program tst tst.csv
# on a terminal the importer says how far it is (script(1) gives it one)
script -qec "$K import queue --program tst tst.csv" /dev/null >"$T/tty" 2>&1; rc=$?
w=$(english "$(tr '\r' '\n' <"$T/tty")")
[ "$rc" = 0 ] && grep -aq "正在一次写入" "$T/tty" && [ -z "$w" ] && ok "import's progress on a terminal, in Chinese" ||
    notok "import on a terminal: exit $rc, English: '$w' in: $(cat -v "$T/tty")"
zh 0 "publish" "" -- publish --program tst
# export's standard output is CSV (a machine format): only what it says on stderr counts
for pub in "" --public; do
    $K export queue --program tst $pub >exp.csv 2>"$T/err"; rc=$?
    w=$(english "$(cat "$T/err")")
    [ "$rc" = 0 ] && [ -s exp.csv ] && [ -z "$w" ] && ok "export $pub: exit 0, CSV written, no English on stderr" ||
        notok "export $pub: exit $rc, English: '$w' in: $(cat "$T/err")"
done

# ---- entry actions ---------------------------------------------------------------------
zh 0 "entry offer" "" -- entry offer --program tst --receipt TST0 --reason 有房源 --answer-by 2030-01-31 --place 福田区某小区 --contact 0755-1
zh 0 "entry accept" "" -- entry accept --program tst --receipt TST0 --reason 已签约
zh 0 "entry offer again" "" -- entry offer --program tst --receipt TST1 --reason 有房源
zh 0 "entry refuse" "" -- entry refuse --program tst --receipt TST1 --reason 放弃
zh 0 "entry freeze" "" -- entry freeze --program tst --receipt TST2 --reason 核查 --resident-reason docs_missing
zh 0 "entry unfreeze" "" -- entry unfreeze --program tst --receipt TST2 --reason 已补交
zh 0 "entry withdraw" "" -- entry withdraw --program tst --receipt TST3 --reason 本人申请
zh 0 "entry remove" "" -- entry remove --program tst --receipt TST4 --reason 不符合 --resident-reason income_over
zh 0 "entry reinstate" "" -- entry reinstate --program tst --receipt TST4 --reason 复核通过

# ---- accounts --------------------------------------------------------------------------
zh 0 "user add" "$PW" -- user add s1 --roles street --password-stdin
zh 0 "user add with a street" "$PW" -- user add d1 --roles district --password-stdin --street 东门街道
zh 0 "user add an assessor" "$PW" -- user add a1 --roles assessor --password-stdin --org 独立评估所 --org-phone 0755-1
zh 0 "user add a provider" "$PW" -- user add p1 --roles provider --password-stdin --org 康乐居家养老服务中心
zh 0 "user passwd" "new-password-2" -- user passwd s1 --password-stdin
zh 0 "user roles" "" -- user roles d1 district,admin
zh 0 "user street" "" -- user street d1 ""
zh 0 "user street" "" -- user street s1 东门街道
zh 0 "user list" "" -- user list
cp "$T/out" "$T/users.txt"

# ---- home-care beds --------------------------------------------------------------------
REF=$($E bed list --stage submitted --json | python3 -c "import json,sys; print(json.load(sys.stdin)['applications'][0]['ref'])")
EXTRA="$EXTRA
$($E bed list --json | python3 -c "import json,sys; print(' '.join(a['ref'] for a in json.load(sys.stdin)['applications']))")"
zh 0 "bed list" "" -- bed list
zh 0 "bed show" "" -- bed show "$REF"
grep -aq "^  服务项目：[^ ;][^;]*$" "$T/out" && ok "bed show: the services as a Chinese list (、, no ';')" ||
    notok "bed show's services: $(grep -a "服务项目" "$T/out")"
zh 0 "bed street" "" -- bed street "$REF" 东门街道
zh 0 "bed advance (street)" "new-password-2" -- bed advance "$REF" --to street_approved --user s1 --password-stdin
zh 0 "bed advance (district)" "$PW" -- bed advance "$REF" --to district_approved --user d1 --password-stdin
printf 'scores=2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,2,1,1,1,1,1,2,2,2\ndementia=no\n' >assess.txt
zh 0 "bed advance (assessed)" "$PW" -- bed advance "$REF" --to assessed --user a1 --password-stdin --assessment assess.txt
zh 0 "bed reassess" "$PW" -- bed reassess "$REF" --user a1 --password-stdin --assessment assess.txt
zh 0 "bed show after the steps" "" -- bed show "$REF"
zh 0 "user disable" "" -- user disable p1
zh 0 "user enable" "" -- user enable p1

# ---- what a resident sees, the fleet, the reports, the trail --------------------------
zh 0 "position --id" "" -- position --id "$ID"
zh 0 "position --id (an elder with a bed application or none)" "" -- position --id "$ELDER" --program prh
now=$(date +%s)
sqlite3 "$DB" "insert into kiosk_status (kiosk_id, reader_state, printer_state, updated_at, sam_state,
    sam_id, screen, screen_at, version, beat_at) values
    ('K-01', 1, 1, datetime('now'), 1, 'SAM-1', 'attract', $now, '0.1.0', $now)"
zh 0 "kiosks" "" -- kiosks
# "ready" is allowed (the help lists the codes): the states must be words here
grep -aq "读卡器 正常 *SAM 正常 *打印机 正常 " "$T/out" && ok "kiosks: the reader, SAM and printer states as words" ||
    notok "kiosks' states: $(cat "$T/out")"
for r in allocations queue wait funnel stage-days overdue; do
    zh 0 "report $r" "" -- report "$r"
    cp "$T/out" "$T/report-$r.txt"
done
zh 0 "report --csv FILE (its message on stderr)" "" -- report funnel --csv funnel.csv
zh 0 "audit tail" "" -- audit tail -n 30
zh 0 "audit verify" "" -- audit verify
zh 0 "backup" "" -- backup copy.db
zh 0 "restore" "" -- restore copy.db

# ---- refusals of option ranges ---------------------------------------------------------
zh 2 "audit tail -n 0" "" -- audit tail -n 0
zh 2 "audit tail --since with no date" "" -- audit tail --since 2026-13-45
zh 2 "demo --households 0" "" -- demo --households 0
zh 2 "demo --seed x" "" -- demo --seed x
zh 2 "report --months 0" "" -- report wait --months 0
zh 2 "import --allow-removals -1" "" -- import queue --program tst --allow-removals -1 tst.csv
zh 2 "program --refusal-limit 0" "" -- program set tst --refusal-limit 0
zh 3 "entry offer --answer-by not a date" "" -- entry offer --program tst --receipt TST5 --reason x --answer-by 2030-02-31
# and the core's words behind a refusal: a stage, an ordering key, an action, a role, a
# program (what was typed is quoted back as typed)
EXTRA="$EXTRA approved colour promote mayor nosuch"
zh 2 "bed list --stage not a stage" "" -- bed list --stage approved
zh 2 "bed advance --to not a stage" "$PW" -- bed advance "$REF" --to approved --user s1 --password-stdin
zh 3 "program set --rule not a key" "" -- program set tst --rule colour
zh 2 "entry with no such action" "" -- entry promote --program tst --receipt TST5 --reason x
zh 3 "user add with no such role" "$PW" -- user add x1 --roles mayor --password-stdin
zh 4 "publish a program that does not exist" "" -- publish --program nosuch
zh 5 "backup over the live database" "" -- backup "$DB"
zh 4 "position of nobody" "" -- position --id 110105194912310011

# ---- the configuration's and the next-steps file's problems ---------------------------
# each file holds one problem (a value out of range, not a yes/no, a share, a USB id, a
# street's shape, a street twice, a language, the paper, a stage, a key's action, a line
# that is no INI, a street not in the district's list); kioskctl refuses to start (2)
# and says what and where in Chinese.  What was typed is quoted back as typed.
conf() { printf '%b' "$2" >"c1-$1.conf"; }   # (a name with a digit: not a word)
conf range '[kiosk]\nidle_timeout = 2\n'
conf bool '[kiosk]\nidle_timeout = 30\n[printer]\nnative_qr = maybe\n[kiosk]\nidle_timeout = 1\n'
conf share '[import]\nmax_removal_share = lots\n'
conf usb '[reader]\nusb = 12\n'
conf shape '[kiosk]\nstreet = 东门,黄贝\n'
conf twice '[district]\nstreets = 东门街道, 黄贝街道, 东门街道\n'
conf lang '[kiosk]\nlanguage = fr\n'
conf paper '[printer]\npaper_dots = 400\n'
conf stage '[deadlines]\napproved = 3\n'
conf key '[keys]\nnosuch = F1\n'
conf ini '[kiosk]\nidle_timeout\n'
conf street '[district]\nstreets = 东门街道\n[kiosk]\nstreet = 黄贝街道\n'
EXTRA="$EXTRA maybe lots fr kiosk conf example"   # typed values; kiosk.conf.example, a file
for c in range bool share usb shape twice lang paper stage key ini street; do
    zh 2 "config with a bad $c" "" -- --config "c1-$c.conf" program list
    grep -aq "^kioskctl: c1-$c.conf:[0-9]*" "$T/err" && ok "config's bad $c: the file and line" ||
        notok "config's bad $c: where? $(cat "$T/err")"
done
$K --config c1-range.conf program list 2>&1 | grep -aqx 'kioskctl: c1-range.conf:2: \[kiosk\] idle_timeout 须为 5 到 3600 之间的整数（填的是“2”）' &&
    ok "config: the key, its range and the value typed" || notok "config range: $($K --config c1-range.conf program list 2>&1)"
# the first problem is the one reported, on its line (a later bad line does not replace it)
$K --config c1-bool.conf program list 2>&1 | grep -aqx 'kioskctl: c1-bool.conf:4: \[printer\] native_qr 须为 "yes" 或 "no"（填的是“maybe”）' &&
    ok "config: a yes/no, on its line" || notok "config bool: $($K --config c1-bool.conf program list 2>&1)"
# unknown keys: kioskctl check lists them (exit 1)
conf unknown '[kiosk]\ncolour = red\n'
EXTRA="$EXTRA colour red"
zh 1 "check with an unknown key" "" -- --config c1-unknown.conf check
# the kiosk itself (and the console) started with --lang zh: refused before the terminal starts
KIOSK="$(dirname "$CTL")/kiosk"
"$KIOSK" --config c1-range.conf --lang zh >"$T/out" 2>"$T/err"; rc=$?
grep -aqx 'kiosk: c1-range.conf:2: \[kiosk\] idle_timeout 须为 5 到 3600 之间的整数（填的是“2”）' "$T/err" && [ "$rc" = 2 ] &&
    ok "kiosk --lang zh with a bad config: refused in Chinese (exit $rc)" || notok "kiosk --lang zh: exit $rc: $(cat "$T/err")"
"$KIOSK" --admin --config c1-street.conf --lang zh >"$T/out" 2>"$T/err"; rc=$?
w=$(english "$(cat "$T/err")")
[ "$rc" = 2 ] && han "$(cat "$T/err")" && [ -z "$w" ] && ok "the console --lang zh, a street not the district's: in Chinese" ||
    notok "kiosk --admin --lang zh: exit $rc, English '$w': $(cat "$T/err")"
# the next-steps file: an entry action with a resident's reason reads it
NS="$HERE/../../data/next_steps.ini"
nsf() { printf '[kiosk]\nnext_steps = %s\n' "$2" >"n1-$1.conf"; }
nsf none ns1-nosuch.ini
: >ns1-empty.ini; nsf empty ns1-empty.ini
{ cat "$NS"; printf '[nosuch]\nx.zh = 某\n'; } >ns1-sect.ini; nsf sect ns1-sect.ini
sed 's/^contact = .*/contact = somebody/' "$NS" >ns1-contact.ini; nsf contact ns1-contact.ini
sed '/^days = /d' "$NS" >ns1-days.ini; nsf days ns1-days.ini
sed '/^\[queue.housed\]/,/^$/d' "$NS" >ns1-housed.ini; nsf housed ns1-housed.ini
grep -q '^contact = ' "$NS" && grep -q '^\[queue.housed\]' "$NS" || notok "data/next_steps.ini changed: this test's edits need updating"
EXTRA="$EXTRA somebody contact office offer none queue housed"   # keys, words, a section: as typed
for f in none empty sect contact days housed; do   # (lib.sh counts in n)
    zh 2 "next-steps file: $f" "" -- --config "n1-$f.conf" entry freeze --program tst --receipt TST7 --reason x --resident-reason docs_missing
done
$K --config n1-housed.conf entry freeze --program tst --receipt TST7 --reason x --resident-reason docs_missing 2>&1 |
    grep -aq 'ns1-housed.ini:[0-9]*：缺少节 \[queue.housed\]' && ok "next-steps file: the missing section by its name, untranslated" ||
    notok "next-steps housed: $($K --config n1-housed.conf entry freeze --program tst --receipt TST7 --reason x --resident-reason docs_missing 2>&1)"

# ---- the devices, simulated ------------------------------------------------------------
mkdir print.d
K="$K --sim --sim-print-dir print.d"
zh 0 "devices list --sim" "" -- devices list
zh 0 "devices test-print --sim" "" -- devices test-print

# ---- the same commands without --lang: the English lines as they were ----------------
# en CODE DESCRIPTION [STDIN] -- ARGS… -- LINE-REGEX…: ok when it exits CODE and each
# regex matches a whole line of its stdout+stderr
en() {
    code=$1; d=$2; in=$3; shift 4
    args=""
    while [ "$1" != "--" ]; do args="$args $1"; shift; done
    shift
    printf '%s\n' "$in" | eval "$E $args" >"$T/out" 2>&1; rc=$?
    miss=""
    for re in "$@"; do grep -aqx -- "$re" "$T/out" || miss="$miss [$re]"; done
    [ "$rc" = "$code" ] && [ -z "$miss" ] && ok "$d in English, as before" ||
        notok "$d in English: exit $rc (wanted $code), no line$miss in: $(head -c 400 "$T/out")"
}
en 0 "init" "" -- init -- "a\.db: schema version [0-9]*, up to date; site secret a\.db\.key"
en 0 "program set" "" -- program set tst --refusal-limit 3 -- \
    "tst: 测试项目 Test programme; rule tier,wait_since; refusal limit 3"
en 0 "publish" "" -- publish --program tst -- "tst: published [0-9]* waiting positions"
en 0 "entry freeze" "" -- entry freeze --program tst --receipt TST6 --reason x --resident-reason docs_missing -- \
    "tst/TST6: frozen"
en 0 "backup" "" -- backup --force copy.db -- "backed up a\.db to copy\.db"
en 0 "bed street" "" -- bed street "$REF" 翠竹街道 -- "application $REF: street 翠竹街道"
en 0 "position" "" -- position --id "$ID" -- "  position [0-9]* of [0-9]*" \
    "  name .*   ID .*   household [0-9]*   hukou .*" "  ordered by: tier=.*, then receipt number"
en 2 "report --months 0" "" -- report wait --months 0 -- \
    "kioskctl: report --months 0: a number of months from 1 to 120"
en 2 "audit tail -n 0" "" -- audit tail -n 0 -- "kioskctl: audit tail -n 0: a count from 1 to 100000"
# the configuration's and next-steps file's problems, as they were
en 2 "config out of range" "" -- --config c1-range.conf program list -- \
    'kioskctl: c1-range.conf:2: \[kiosk\] idle_timeout must be an integer from 5 to 3600 (got "2")'
en 2 "config's first problem" "" -- --config c1-bool.conf program list -- \
    'kioskctl: c1-bool.conf:4: \[printer\] native_qr must be yes or no (got "maybe")'
en 2 "config's street twice" "" -- --config c1-twice.conf program list -- \
    'kioskctl: c1-twice.conf:2: \[district\] streets names "东门街道" twice'
en 2 "config's key" "" -- --config c1-key.conf program list -- \
    'kioskctl: c1-key.conf:2: \[keys\] nosuch no such action (see the \[keys\] list in kiosk.conf.example)'
en 2 "config's street not the district's" "" -- --config c1-street.conf program list -- \
    'kioskctl: c1-street.conf: \[kiosk\] street: street "黄贝街道" is not one of the district'"'"'s streets (\[district\] streets: 东门街道)'
en 2 "config's bad line" "" -- --config c1-ini.conf program list -- 'kioskctl: c1-ini.conf:2: not a valid INI line'
en 2 "next-steps file's section" "" -- --config n1-housed.conf entry freeze --program tst --receipt TST7 --reason x --resident-reason docs_missing -- \
    'kioskctl: ns1-housed\.ini:[0-9]*: section \[queue.housed\] is missing'
en 2 "next-steps file's contact" "" -- --config n1-contact.conf entry freeze --program tst --receipt TST7 --reason x --resident-reason docs_missing -- \
    'kioskctl: ns1-contact\.ini:[0-9]*: contact must be office, offer, provider or none (got "somebody")'
# a parser's words behind an option's name, whole (they were "--to: --to: n stage 'approved'"
# and a bare "usage error": the detail was formatted into the buffer it was read from)
en 2 "bed advance --to not a stage" "$PW" -- bed advance "$REF" --to approved --user s1 --password-stdin -- \
    "kioskctl: --to: unknown stage 'approved' (submitted, .*, withdrawn)"
en 2 "bed list --stage not a stage" "" -- bed list --stage approved -- \
    "kioskctl: unknown stage 'approved' (submitted, .*, withdrawn)"

# ---- alignment by display width --------------------------------------------------------
# aligned FILE FIELD: the display column where field FIELD (0-based, fields split on runs
# of 2+ spaces or on one space after a Chinese cell) starts is the same on every line
cols() {
    python3 - "$1" "$2" <<'PY'
import sys, unicodedata, re
def w(s): return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
starts = set()
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.rstrip("\n")
    # the cells: maximal runs of non-space characters
    cells = [(m.start(), m.group()) for m in re.finditer(r"\S+", line)]
    k = int(sys.argv[2])
    if len(cells) > k:
        starts.add(w(line[:cells[k][0]]))
print(" ".join(str(s) for s in sorted(starts)))
PY
}
aligned() {
    c=$(cols "$1" "$2")
    case "$c" in
        *" "*|"") notok "$3: column $2 starts at display columns '$c'" ;;
        *) ok "$3: column $2 starts at display column $c on every row" ;;
    esac
}
aligned "$T/users.txt" 4 "user list (zh): the column after the organisation"
aligned "$T/users.txt" 3 "user list (zh): the organisation column"
sed 1d "$T/report-overdue.txt" >"$T/o.txt"
aligned "$T/o.txt" 1 "report overdue (zh): the count after the street"
sed 1d "$T/report-funnel.txt" >"$T/f.txt"
aligned "$T/f.txt" 1 "report funnel (zh): the count after the stage"
$K program list >"$T/p.txt" 2>&1
aligned "$T/p.txt" 2 "program list (zh): the English name after the Chinese one"
$E program list >"$T/p.txt" 2>&1
aligned "$T/p.txt" 2 "program list (en): the English name after the Chinese one"
$E user list >"$T/u.txt" 2>&1
aligned "$T/u.txt" 4 "user list (en): the column after the organisation"
# (the English "no street recorded" is wider than the 12-column street cell: it pushes its
# count further, as it always did; the streets' rows are the ones bytes put out of line)
$E report overdue | sed '1d; /^no street recorded /d' >"$T/o.txt" 2>&1
aligned "$T/o.txt" 1 "report overdue (en): the count after the street"
# kiosks: one well, one silent for an hour ("失联", "1小时" against "正常", "0秒")
sqlite3 "$DB" "insert into kiosk_status (kiosk_id, reader_state, printer_state, updated_at, sam_state,
    sam_id, screen, screen_at, version, beat_at) values
    ('K-02', 1, 1, datetime('now'), 1, 'SAM-2', 'attract', $now - 3600, '0.1.0', $now - 3600)"
$K kiosks >"$T/k.txt" 2>&1
aligned "$T/k.txt" 4 "kiosks (zh): the reader after the state and the beat's age"
$E kiosks >"$T/k.txt" 2>&1
aligned "$T/k.txt" 5 "kiosks (en): the reader after the state and the beat's age (\"0 s\": two cells)"
done_testing
