#!/bin/sh
# test_cli_zh.sh — kioskctl speaks Chinese when asked (issue 14): `--lang zh` or a zh
# locale in LANG / LC_ALL; English otherwise (scripts read it).  The usage text, the
# importer's per-row problems (FILE:LINE: column: what), the count that refuses the
# file, the import removal guard's sentence, and the audit trail's details (`audit tail`) —
# each checked in both languages, the Chinese lines with no English words left in what
# they say.  Prints TAP lines.
. "$(dirname "$0")/lib.sh"
CTL="$(cd "$(dirname "$CTL")" && pwd)/$(basename "$CTL")"   # the test changes directory below
DB="$T/z.db"
K="$CTL --db $DB"
expect_exit 0 "init" $K init

# English words (letters only, 3 or more) in text, apart from codes the reader types
english() {
    printf '%s\n' "$1" | sed 's/--[a-z-]*//g; s/kioskctl//g; s/max_removal_share//g; s/import\]//g' |
        grep -oE '[A-Za-z]{3,}' | grep -vxE 'prh|csv|UTF|ASCII|YYYY|receipt_no|id_number|household_size|name' |
        tr '\n' ' '
}

expect_exit 0 "--lang zh --help" $CTL --lang zh --help
grep -q "^用法：kioskctl" "$T/out" && ok "usage in Chinese" || notok "usage: $(head -3 "$T/out")"
grep -q "^  import     import queue --program 项目代码 文件：导入住建局名单" "$T/out" && ok "command summaries in Chinese" ||
    notok "usage: $(cat "$T/out")"
w=$(english "$(grep -v '^  [a-z]' "$T/out")"); [ -z "$w" ] && ok "no English words in the Chinese usage" || notok "English: $w"
LANG=zh_CN.UTF-8 LC_ALL= LC_MESSAGES= $CTL --help >"$T/out" 2>&1
grep -q "^用法：kioskctl" "$T/out" && ok "LANG=zh_CN.UTF-8: usage in Chinese" || notok "usage: $(head -3 "$T/out")"
LANG=C.UTF-8 LC_ALL= LC_MESSAGES= $CTL --help >"$T/out" 2>&1
grep -q "^usage: kioskctl" "$T/out" && ok "LANG=C: usage in English" || notok "usage: $(head -3 "$T/out")"
LANG=zh_CN.UTF-8 $CTL --lang en --help >"$T/out" 2>&1
grep -q "^usage: kioskctl" "$T/out" && ok "--lang en wins over LANG" || notok "usage: $(head -3 "$T/out")"
expect_exit 2 "an unknown command, in Chinese" $CTL --lang zh frobnicate
grep -q "没有“frobnicate”这个命令" "$T/err" && ok "says so in Chinese" || notok "said: $(cat "$T/err")"

# a header naming a column nobody knows; then a file with a problem on each row
# (the file is named relative to $T: its path is not what is checked)
cd "$T" || exit 1
printf 'receipt_no,id_number,name,household_size,colour\nBHJ1,11010519491231002X,张三,1,x\n' >head.csv
expect_exit 3 "a bad header, in Chinese" $K --lang zh import queue --program prh head.csv
grep -q "^head.csv:1: 表头: 未知的列 \"colour\"" "$T/err" && ok "the header's problem in Chinese" || notok "said: $(cat "$T/err")"
printf 'receipt_no,id_number,name,household_size\nBHJ1,110105194912310021,张三,1\nBHJ1,11010519491231002X,李四,25\n' >bad.csv
expect_exit 3 "a bad file, in Chinese" $K --lang zh import queue --program prh bad.csv
grep -q "^bad.csv:2: id_number: 校验码错误（应为 X）" "$T/err" && ok "the ID number's problem in Chinese" || notok "said: $(cat "$T/err")"
grep -q "^bad.csv:3: household_size: 必须是 1 到 20 的整数（实际为 \"25\"）" "$T/err" && ok "the household size's problem in Chinese" ||
    notok "said: $(cat "$T/err")"
grep -q "^kioskctl: bad.csv：发现 2 处问题，未导入任何内容" "$T/err" && ok "the refusal in Chinese" || notok "said: $(cat "$T/err")"
w=$(english "$(sed 's/^bad.csv:[0-9]*: [a-z_]*: //; s/^kioskctl: bad.csv//' "$T/err")"); [ -z "$w" ] && ok "no English words in what the problems say" ||
    notok "English: $w ($(cat "$T/err"))"
expect_exit 3 "the same file, in English" $K import queue --program prh bad.csv
grep -q "^bad.csv:2: id_number: check character is wrong (expected X)" "$T/err" &&
    grep -q "^kioskctl: bad.csv: 2 problems found; nothing was imported" "$T/err" && ok "English as before" || notok "said: $(cat "$T/err")"
expect_exit 3 "the bad header, in English" $K import queue --program prh head.csv
grep -q "^head.csv:1: header: unknown column \"colour\"" "$T/err" && ok "English as before" || notok "said: $(cat "$T/err")"

# the removal guard: 40 households, then a file with 29 of them
python3 - "$T" <<'PY'
import sys
def full(s17):
    w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return s17 + "10X98765432"[sum(int(a) * b for a, b in zip(s17, w)) % 11]
rows = ["receipt_no,id_number,name,household_size"]
rows += ["BHJ%d,%s,居民%d,1" % (i, full("44030319500101%03d" % i), i) for i in range(40)]
open(sys.argv[1] + "/all.csv", "w").write("\n".join(rows) + "\n")
open(sys.argv[1] + "/short.csv", "w").write("\n".join(rows[:30]) + "\n")
PY
expect_exit 0 "the full list imported" $K import queue --program prh "$T/all.csv"
expect_exit 5 "a short list is refused, in Chinese" $K --lang zh import queue --program prh "$T/short.csv"
grep -q "该文件将移除 11 条记录（共 40 条有效记录，项目 prh，占 27.5%）：超过 \[import\] max_removal_share 允许的 5%。未做任何更改。" "$T/err" &&
    grep -q "请加 --allow-removals 11 重新运行" "$T/err" && ok "the removal guard's sentence in Chinese" || notok "said: $(cat "$T/err")"
w=$(english "$(cat "$T/err")"); [ -z "$w" ] && ok "no English words in it" || notok "English: $w"
expect_exit 5 "too small an allowance, in Chinese" $K --lang zh import queue --program prh --allow-removals 3 "$T/short.csv"
grep -q "（给出的数目太小）" "$T/err" && ok "says the number is too small" || notok "said: $(cat "$T/err")"
expect_exit 5 "the same in English" $K import queue --program prh "$T/short.csv"
grep -q "the file would remove 11 of the 40 active prh entries (27.5%): more than the 5% allowed" "$T/err" &&
    ok "English as before" || notok "said: $(cat "$T/err")"

# the audit trail in Chinese (kiosk/audit_detail.h): records of many kinds — an import
# with removals allowed, a publication, entry steps with typed reasons, accounts added,
# their roles changed, disabled, enabled, a password set, the demo's lists, publications
# and bed applications — then `audit tail` in both languages.  The English is the stored
# detail; the Chinese line is the same up to the detail, which must differ and hold no
# English word (codes such as prh stay; so do what was typed: a file's path, and the
# demo's reasons, typed in English by kiosk/demo.c — a clerk's reason stays as typed).
cp short.csv 名单.csv
expect_exit 0 "removals allowed" $K import queue --program prh --allow-removals 11 名单.csv
expect_exit 0 "a publication" $K publish --program prh
expect_exit 0 "an entry frozen" $K entry freeze --program prh --receipt BHJ1 --reason 家属住院 --resident-reason hukou_changed
expect_exit 0 "and unfrozen" $K entry unfreeze --program prh --receipt BHJ1 --reason 已出院
for u in "s1 --roles street,district" "p1 --roles provider --org 阳光养老"; do
    printf 'good-password-1\n' | $K user add $u --password-stdin >"$T/out" 2>&1 && ok "user add $u" ||
        notok "user add $u: $(cat "$T/out")"
done
expect_exit 0 "roles changed" $K user roles s1 street
expect_exit 0 "disabled" $K user disable s1
expect_exit 0 "enabled" $K user enable s1
printf 'good-password-2\n' | $K user passwd s1 --password-stdin >"$T/out" 2>&1 && ok "password set" ||
    notok "user passwd: $(cat "$T/out")"
expect_exit 0 "the demo's records too" $K demo
expect_exit 0 "audit tail in English" $K audit tail -n 2000
mv "$T/out" "$T/audit.en"
expect_exit 0 "audit tail in Chinese" $K --lang zh audit tail -n 2000
mv "$T/out" "$T/audit.zh"
python3 - "$T/audit.en" "$T/audit.zh" >"$T/cmp" 2>&1 <<'PY'
import re, sys
en = open(sys.argv[1], encoding="utf-8").read().splitlines()
zh = open(sys.argv[2], encoding="utf-8").read().splitlines()
bad = []
if len(en) != len(zh) or not en:
    bad.append("%d English lines, %d Chinese" % (len(en), len(zh)))
kinds = set()
for e, z in zip(en, zh):
    k = 0
    while k < min(len(e), len(z)) and e[k] == z[k]:
        k += 1
    action = e.split()[4]
    kinds.add(action)
    if e == z:
        bad.append("as stored: " + z)
        continue
    # words of 3+ letters in the Chinese detail, apart from codes and typed texts
    rest = z[k:]
    for typed in ("lease signed", "residence check pending", "applicant withdrew", "flat offered",
                  "removal reversed on review"):
        rest = rest.replace(typed, " ")
    rest = re.sub(r"(?<!\S)/\S*", " ", rest)
    # the object column (an entry's program/receipt, a bed's reference, an account's
    # name) is in the part that differs: the action before it is a Chinese label now
    rest = re.sub(r"[A-Za-z./-]*[0-9][A-Za-z0-9./-]*", " ", rest)   # holding a digit (zh_words.sh)
    rest = re.sub(r"(?<!\S)[A-Z0-9]{10}(?!\S)", " ", rest)   # a bed's reference, letters only
    rest = re.sub(r"(?<!\S)demo-[a-z0-9]+(?!\S)", " ", rest)   # and the demo's account names
    words = [w for w in re.findall(r"[A-Za-z]{3,}", rest) if w not in ("prh", "ahp", "talent", "csv")]
    if words:
        bad.append("English %s: %s" % (words, z))
want = {"import", "publish", "freeze", "unfreeze", "offer", "user-add", "user-roles", "user-disable",
        "user-enable", "user-passwd", "bed-submit", "bed-advance", "bed-withdraw", "bed-clear", "init"}
if want - kinds:
    bad.append("no record of %s" % sorted(want - kinds))
print("%d records, %d actions" % (len(zh), len(kinds)))
print("\n".join(bad[:20]))
sys.exit(1 if bad else 0)
PY
[ $? -eq 0 ] && ok "audit tail --lang zh: every detail in Chinese ($(head -1 "$T/cmp"))" ||
    notok "audit tail --lang zh: $(cat "$T/cmp")"
grep -q "文件 名单.csv：共 29 行；新增 0，更新 0，因名单中没有而移除 11（准许移除 11；其中已配租 0、已通知选房 0、暂停轮候 0），未变 29" "$T/audit.zh" &&
    ok "the import's detail, word for word" || notok "import: $(grep ' import ' "$T/audit.zh" | head -3)"
grep -q "暂停轮候 → 轮候中：已出院" "$T/audit.zh" && ok "a step's statuses translated, its reason as typed" ||
    notok "unfreeze: $(grep ' unfreeze ' "$T/audit.zh")"
grep -q "角色 街道,区民政$" "$T/audit.zh" && grep -q "角色 服务机构，所属机构 阳光养老$" "$T/audit.zh" &&
    ok "the roles added, with the organisation" || notok "user-add: $(grep ' user-add ' "$T/audit.zh")"
grep -q "file 名单.csv: 29 rows; 0 added, 0 updated, 11 removed as absent (allowed: 11; 0 housed, 0 offered, 0 frozen), 29 unchanged" "$T/audit.en" &&
    grep -q "frozen -> waiting: 已出院$" "$T/audit.en" && ok "English: the stored details" ||
    notok "English: $(grep -E ' (import|unfreeze) ' "$T/audit.en")"
done_testing
