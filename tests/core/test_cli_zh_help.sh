#!/bin/sh
# test_cli_zh_help.sh — kioskctl --lang zh speaks Chinese in every command's --help and
# in `check` (issue 14).  For EVERY command `kioskctl --help` lists: `--lang zh CMD
# --help` exits 0, has Chinese in it and no English word; `check` on a clean database and
# on one edited behind the programs' back (rows, a sealed identity copied, a history
# contradicted, an audit record changed, the rank tree) prints Chinese verdicts, one
# Chinese line per problem and a Chinese count — no English words — while the English
# output stays as before.  Also audit verify, user list and kiosks.  Prints TAP lines.
. "$(dirname "$0")/lib.sh"
DB="$T/h.db"
K="$CTL --db $DB"

. "$(dirname "$0")/zh_words.sh"

n_cmds=$(echo "$COMMANDS" | wc -w)
[ "$n_cmds" -ge 19 ] && ok "kioskctl --help lists $n_cmds commands" || notok "commands: $COMMANDS"
for c in $COMMANDS; do
    $CTL --db "$T/none.db" --lang zh "$c" --help >"$T/out" 2>"$T/err"; rc=$?
    out=$(cat "$T/out")
    w=$(english "$out")
    if [ "$rc" = 0 ] && [ ! -s "$T/err" ] && han "$out" && [ -z "$w" ] &&
        head -1 "$T/out" | grep -q "^用法：kioskctl .*\b$c\b"; then
        ok "$c --help in Chinese (usage line names $c, no English words)"
    else
        notok "$c --help: exit $rc, English: '$w', err '$(head -c 200 "$T/err")', first line '$(head -1 "$T/out")'"
    fi
    # without --lang the English text (test_kioskctl.sh checks it in full)
    $CTL --db "$T/none.db" "$c" --help >"$T/out" 2>&1
    head -1 "$T/out" | grep -q "^usage: kioskctl .*\b$c\b" && ok "$c --help still in English without --lang" ||
        notok "$c --help in English: $(head -2 "$T/out")"
done
[ ! -e "$T/none.db" ] && ok "no --help opened a database" || notok "a --help created $T/none.db"

# ---- check, clean --------------------------------------------------------------------
expect_exit 0 "init" $K init
expect_exit 0 "demo" $K demo --households 400 --seed 9
# program codes and staff account names are data, not words to translate
DATA=$(sqlite3 "$DB" "select code from program union all select name from staff" | tr '\n' '|')
data_out() { sed -E "s/(${DATA%|})//g" "$T/out"; }
expect_exit 0 "check on the clean database, in Chinese" $K --lang zh check
grep -q "^数据库结构：版本 [0-9]*（本程序需要 [0-9]*）$" "$T/out" && grep -q "^完整性：正常$" "$T/out" &&
    grep -q "^审计：共 [0-9]* 条记录，审计链校验通过$" "$T/out" &&
    grep -q "^数据行：[0-9]* 行均有封印，且与各自的历史记录一致$" "$T/out" &&
    grep -q "^轮候队列 prh：[0-9]* 户轮候中，排名结构一致$" "$T/out" &&
    ok "each verdict in Chinese" || notok "check said: $(cat "$T/out")"
w=$(english "$(data_out)"); [ -z "$w" ] && ok "no English words in the clean check" || notok "English: $w"
expect_exit 0 "the same check in English" $K check
grep -q "^rows: [0-9]* rows sealed and consistent with their histories$" "$T/out" &&
    grep -q "^integrity: ok$" "$T/out" && ok "English as before" || notok "check said: $(cat "$T/out")"

# ---- check, tampered (as tests/core/row_seal_cases.sh: direct SQL edits) -------------
E=$(sqlite3 "$DB" "select min(id) from entry where status = 0")
EV=$(sqlite3 "$DB" "select max(entry_id) from entry_event where to_status = 3")
sqlite3 "$DB" "update entry set household_size = household_size + 3 where id = $E;
    update entry set status = 0, rowmac = null where id = $EV;
    update entry set skey = (select skey from entry where id = $E) where id = $E + 1;
    update entry set sealed = (select sealed from entry where id = $E + 2) where id = $E + 3;
    update staff set roles = 63 where id = (select min(id) from staff);
    update bed_app set stage = 5 where id = (select min(id) from bed_app where stage = 1);
    update audit set detail = detail || 'x' where seq = 5;"
expect_exit 1 "check on the tampered database, in Chinese" $K --lang zh check
for line in "^审计：失败：审计记录 5 与其哈希值不符（被修改、调换顺序或插入）$" \
    "^数据行：轮候记录 [a-z]*/[A-Z0-9]*（编号 $E）：字段内容与程序写入的不符" \
    "^数据行：轮候记录 [a-z]*/[A-Z0-9]*（编号 $EV）：没有封印" \
    "^数据行：轮候记录 [a-z]*/[A-Z0-9]*（编号 $EV）：状态为“轮候中”，但其历史记录最后为“已配租/已签约”" \
    "^数据行：轮候记录 [a-z]*/[A-Z0-9]*（编号 $((E + 1))）：排序键与规则 [a-z]* 根据其字段算出的不符" \
    "^数据行：轮候记录 [a-z]*/[A-Z0-9]*（编号 $((E + 3))）：加密的身份信息无法在本行解开" \
    "^数据行：工作人员账号 .*（编号 [0-9]*）：字段内容与程序写入的不符" \
    "^数据行：床位申请 [A-Z0-9]*（编号 [0-9]*）：处于第 5 阶段，但其历史记录最后为第 1 阶段" \
    "^数据行：[0-9]* 行（共 [0-9]* 行）与程序写入的内容或其历史记录不符$" \
    "^轮候队列 [a-z]*：失败：排名树记录为 [0-9]* 户轮候中，轮候记录实为 [0-9]* 户（修复：" \
    "^发现 3 处问题$"; do
    grep -q "$line" "$T/out" && ok "check says: $line" || notok "no line $line in: $(cat "$T/out")"
done
w=$(english "$(data_out)"); [ -z "$w" ] && ok "no English words in the tampered check" || notok "English: $w"
expect_exit 1 "the same check in English" $K check
grep -q "^audit: FAILED: audit record 5 does not match its hash" "$T/out" &&
    grep -q "^rows: entry [a-z]*/[A-Z0-9]* (id $EV): status waiting, but its history ends at housed" "$T/out" &&
    grep -q "^3 problems found$" "$T/out" && ok "English as before" || notok "check said: $(cat "$T/out")"
expect_exit 1 "audit verify on the edited trail, in Chinese" $K --lang zh audit verify
grep -q "^kioskctl: 审计记录 5 与其哈希值不符" "$T/err" && ok "says which record, in Chinese" || notok "said: $(cat "$T/err")"

# ---- the human forms of user list and kiosks ------------------------------------------
expect_exit 0 "user list, in Chinese" $K --lang zh user list
grep -q " 登录失败=[0-9]* 最近登录=" "$T/out" && grep -q "正常" "$T/out" && ok "its states and fields in Chinese" ||
    notok "said: $(head -3 "$T/out")"
w=$(english "$(data_out)"); [ -z "$w" ] && ok "no English words in user list" || notok "English: $w"
expect_exit 0 "kiosks on a database no kiosk has reported to, in Chinese" $K --lang zh kiosks
grep -q "^还没有自助机报告过状态$" "$T/out" && ok "says so in Chinese" || notok "said: $(cat "$T/out")"
done_testing
