# tests/core/zh_words.sh — what the Chinese-output tests call an English word left
# untranslated (sourced after lib.sh, by test_cli_zh_help.sh and test_cli_zh_all.sh).
#
# Not an English word, by rule: option names (--xxx), config sections and keys
# ([import] max_removal_share), identifiers with _ (stage, column, key and JSON names),
# KEY= of the assessment file and yes|no, ASCII "…" literals (JSON), file names (.md .bin
# .csv .db .key .d), and
# words holding a digit (references, receipts).  Then, explicitly: COMMANDS (every name
# kioskctl --help lists) and this allow-list of codes the reader types or reads in the
# output, and names of formats and products; a test may add its own words in EXTRA
# (data: program codes, account names).
ALLOW='kioskctl
list show advance reassess add set passwd roles disable enable verify tail render url queue
test-read test-print
submitted assessed built accepted exited rejected withdrawn
street district assessor provider housing admin staff
offer accept refuse freeze unfreeze withdraw remove reinstate
ready fault absent
tier position
allocations wait funnel overdue stage-days
CSV USB SAM SQLite Prometheus Unix Argon2id ESC/POS GB/T YYYY-MM-DD'
EXTRA=${EXTRA:-}
COMMANDS=$($CTL --help 2>&1 | sed -n 's/^  \([a-z][a-z]*\)  .*/\1/p')

# the English words (3 letters or more) left in text after the rules and the allow-list
english() {
    printf '%s\n' "$1" |
        sed -E 's/--[a-z0-9-]+//g; s/\[[a-z]+\]( [a-z_]+)?//g; s/"[ -~]*"//g;
                s/[A-Za-z0-9_]*_[A-Za-z0-9_]*//g; s/[a-z]+=//g; s/yes\|no//g;
                s/[A-Za-z0-9_./-]+\.(md|bin|csv|db|key|d)//g; s/[A-Za-z./-]*[0-9][A-Za-z0-9./-]*//g' |
        tr ' ，、：；（）“”。|,;:()' '\n' | grep -oE '[A-Za-z][A-Za-z/-]*[A-Za-z]' |
        grep -vxF "$(printf '%s\n%s\n%s\n' "$ALLOW" "$COMMANDS" "$EXTRA" | tr ' ' '\n' | grep .)" |
        sort -u | tr '\n' ' '
}
# Chinese: a UTF-8 lead byte of the CJK block (U+4E00–U+9FFF: E4–E9), byte-wise in any locale
han() { printf '%s' "$1" | LC_ALL=C grep -q "$(printf '[\344-\351]')"; }
