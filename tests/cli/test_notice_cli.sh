#!/bin/sh
# test_notice_cli.sh — issue 10 item 1 for kioskctl: a staff action from the command line
# records what the resident is told the way the console does (kiosk/notice.h, table
# resident_notice): the resident-facing reason as a code of the next-steps [reasons]
# (the same configured list the console offers, [kiosk] next_steps) plus optional free
# text, an offer's answer-by date, place and contact, and a notice for every entry
# decision (its date is what deadlines and appeal dates count from).  Bad options are
# refused before anything changes: no reason for freeze/remove/reject (exit 2), a code
# that is not configured or an impossible date (exit 3, naming what is wrong).  TAP.
n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); echo "not ok $n - $*"; }
B=${KIOSK_BUILD:-build}
CTL="$B/asan/kioskctl"
[ -x "$CTL" ] || CTL="$B/kioskctl"
T=$(mktemp -d /tmp/kiosk-notice-XXXXXX)
trap 'rm -rf "$T"' EXIT
export ASAN_OPTIONS=detect_leaks=1
DB=$T/k.db
# a site's own next-steps file with one reason of its own (the console's list is this file's)
sed 's/^other.zh = /site_visit.zh = 上门核查未通过\nsite_visit.en = The home visit check was not passed\nother.zh = /' \
    data/next_steps.ini >"$T/ns.ini"
printf '[kiosk]\nnext_steps = %s\n' "$T/ns.ini" >"$T/k.conf"
K="$CTL --db $DB --config $T/k.conf"
expect() {   # expect CODE DESCRIPTION [STDIN] -- COMMAND...
    code=$1; d=$2; in=$3; shift 4
    printf '%s\n' "$in" | "$@" >"$T/out" 2>"$T/err"; rc=$?
    if [ "$rc" -eq "$code" ]; then ok "$d (exit $rc)"; else notok "$d: exit $rc, wanted $code: $(head -c 300 "$T/err")"; fi
}
row() {   # row KIND REF: the notice's fields, |-separated
    sqlite3 -readonly "$DB" "SELECT status, reason_code, reason_text, offer_deadline, offer_place, offer_contact, at <> '' FROM resident_notice WHERE kind = '$1' AND ref = '$2'"
}
status() { sqlite3 -readonly "$DB" "SELECT e.status FROM entry e JOIN program p ON p.id = e.program_id WHERE p.code = 'prh' AND e.receipt_no = '$1'"; }

$K demo --households 60 --seed 7 >/dev/null 2>&1 && ok "demo" || notok "demo"
R=$($K export queue --program prh --public | sed -n 2p | cut -d, -f2)
R2=$($K export queue --program prh --public | sed -n 3p | cut -d, -f2)
S0=$(status "$R")

expect 2 "freeze without --resident-reason is a usage error" "" -- $K entry freeze --program prh --receipt "$R" --reason internal
grep -q -- "--resident-reason" "$T/err" && ok "… the error names --resident-reason" || notok "error: $(cat "$T/err")"
expect 3 "a reason code that is not configured is refused" "" -- $K entry freeze --program prh --receipt "$R" --reason internal --resident-reason nosuch
grep -q 'nosuch.*docs_missing.*site_visit' "$T/err" && ok "… the error names the code and the configured ones" || notok "error: $(cat "$T/err")"
expect 2 "--resident-text without --resident-reason" "" -- $K entry unfreeze --program prh --receipt "$R" --reason x --resident-text hi
expect 2 "--place on a freeze (offer only)" "" -- $K entry freeze --program prh --receipt "$R" --reason x --resident-reason docs_missing --place X
expect 3 "an offer answer-by date that does not exist" "" -- $K entry offer --program prh --receipt "$R" --reason x --answer-by 2026-02-30
[ "$(status "$R")" = "$S0" ] && [ -z "$(row entry "prh/$R")" ] && ok "nothing changed by the refused commands (status $S0, no notice)" \
    || notok "changed: status $(status "$R"), notice $(row entry "prh/$R")"

expect 0 "freeze with a configured reason and text for the resident" "" -- $K entry freeze --program prh --receipt "$R" --reason "internal: file 12" --resident-reason docs_missing --resident-text "请补交收入证明"
[ "$(row entry "prh/$R")" = "1|docs_missing|请补交收入证明||||1" ] && ok "the notice: frozen, docs_missing, the text, dated" || notok "notice: $(row entry "prh/$R")"
$K audit tail -n 1 >"$T/tail"
grep -q "internal: file 12" "$T/tail" && ! grep -q "收入证明" "$T/tail" && ok "the internal note goes to the audit, the resident's text does not" || notok "audit: $(cat "$T/tail")"
expect 0 "unfreeze (nothing to add)" "" -- $K entry unfreeze --program prh --receipt "$R" --reason ok
[ "$(row entry "prh/$R")" = "0||||||1" ] && ok "every decision gets a notice: the freeze reason is gone with the freeze" || notok "notice: $(row entry "prh/$R")"
expect 0 "offer with answer-by date, place and contact" "" -- $K entry offer --program prh --receipt "$R" --reason flat --answer-by 2026-12-20 --place "3栋1201室" --contact "李主任 0755-8888-1201"
[ "$(row entry "prh/$R")" = "2|||2026-12-20|3栋1201室|李主任 0755-8888-1201|1" ] && ok "the notice: offered, with its date, place and contact" || notok "notice: $(row entry "prh/$R")"
expect 0 "remove with the site's own reason code" "" -- $K entry remove --program prh --receipt "$R2" --reason internal --resident-reason site_visit
[ "$(row entry "prh/$R2")" = "5|site_visit|||||1" ] && ok "the notice: removed, site_visit" || notok "notice: $(row entry "prh/$R2")"

# bed: a rejection tells the resident why
PW=good-password-1
expect 0 "user add street" "$PW" -- $K user add s1 --roles street --password-stdin
REF=$($K bed list --stage submitted --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["applications"][0]["ref"])')
expect 2 "bed reject without --resident-reason" "$PW" -- $K bed advance "$REF" --to rejected --user s1 --password-stdin --reason internal
expect 3 "bed reject with an unknown code" "$PW" -- $K bed advance "$REF" --to rejected --user s1 --password-stdin --reason internal --resident-reason nosuch
expect 2 "--resident-reason on an approval" "$PW" -- $K bed advance "$REF" --to street_approved --user s1 --password-stdin --resident-reason docs_missing
$K bed show "$REF" --json | grep -q '"stage": "submitted"' && [ -z "$(row bed "$REF")" ] && ok "nothing changed by the refused steps" || notok "changed: $(row bed "$REF")"
expect 0 "bed reject with a reason and text for the resident" "$PW" -- $K bed advance "$REF" --to rejected --user s1 --password-stdin --reason "internal: income" --resident-reason income_over --resident-text "人均月收入超过标准"
[ "$(row bed "$REF")" = "9|income_over|人均月收入超过标准||||1" ] && ok "the notice: rejected, income_over, the text" || notok "notice: $(row bed "$REF")"
echo "1..$n"
