#!/bin/sh
# test_cli_zh.sh — kioskctl speaks Chinese when asked (issue 14): `--lang zh` or a zh
# locale in LANG / LC_ALL; English otherwise (scripts read it).  The usage text, the
# importer's per-row problems (FILE:LINE: column: what), the count that refuses the
# file, and the import removal guard's sentence — each checked in both languages,
# the Chinese lines with no English words left in what they say.  Prints TAP lines.
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
done_testing
