#!/bin/sh
# tests/cli/test_street.sh — streets (issue 14): a street office's account sees its
# street's bed applications only, district and admin filter and report by street.
# The same checks on SQLite and on a throwaway PostgreSQL cluster (tests/pg/cluster.sh),
# each on demo data (kioskctl demo --seed 1: of its 40 applications 21 are 东门街道's,
# 10 黄贝街道's, 5 翠竹街道's, 4 have no street — kiosk/eldercare_demo.c):
#   - accounts of two streets (kioskctl user add --street): `bed list`, `bed show`,
#     the reports as each (--as): only their own, another street's refused;
#   - district: `bed list --street`, `bed street` moves one (audited, refused to a
#     street account), `report overdue` per street with exact counts, CSV too;
#   - [district] streets: a bad street name refused naming the allowed ones;
#   - a hand edit of bed_app.street and of staff.street caught by `kioskctl check`;
#   - the real kiosk (simulated devices, tmux) files an application: it records the
#     kiosk's [kiosk] street;
#   - the real staff console (tmux): the street account's work queue and reports show
#     its street only, opening another street's application by reference is refused;
#     the district's filter offers the streets with their counts and picks one.
# TAP.  Without tmux or a PostgreSQL server it FAILS: a check not run is not a pass.
. tests/pg/kiosk_tmux.sh
ASAN_OPTIONS=detect_leaks=0
export ASAN_OPTIONS
T=$(mktemp -d /tmp/kiosk-street-XXXXXX)
chmod 755 "$T"
S=kiosk-street-$$
cleanup() {
    [ -n "$HOLD" ] && kill "$HOLD" 2>/dev/null
    tmux kill-server 2>/dev/null   # this test's own server (kiosk_tmux.sh)
    rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$KT_TMUX"   # the socket file it leaves
    pg_cluster_stop
    [ -n "$KEEP" ] || rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
command -v tmux >/dev/null || { notok "tmux is not installed (sh install/deps.sh check)"; finish 1; }
PW=street-password-1
STREETS=桂园街道,黄贝街道,东门街道,翠竹街道,东晓街道,南湖街道,笋岗街道,东湖街道,莲塘街道,清水河街道

# as_user USER ARGS…: kioskctl as a staff account (its password on stdin)
as_user() { u=$1; shift; echo "$PW" | $K --as "$u" "$@"; }
# rows of a `bed list` output (its file)
rows() { grep -c '^[0-9A-Z]\{10\} ' "$1"; }
# the reference column of a `bed list` output
refs() { grep -o '^[0-9A-Z]\{10\} ' "$1" | tr -d ' ' | sort; }

# start_console USER [CONFIG]: the staff console in tmux, logged in as USER
start_console() {
    tmux kill-session -t "$S" 2>/dev/null
    kt_tmux_new "$S" 100 40 \
        "$B/asan/kiosk --staff --config $T/$E.conf --db '$DB' --lang en 2>$T/console.err; \
         echo exit \$? >>$T/console.err; sleep 30" &&
        wait_for "User name" 30 || {
        notok "$E: no console login after 30 s: $(tr '\n' ' ' <"$T/console.err" | head -c 400)"; dump; return 1; }
    tmux send-keys -t "$S" "$1" Enter
    wait_for "Password" 5 && tmux send-keys -t "$S" "$PW" Enter
    wait_for "Home-care bed applications" 15 || { notok "$E: $1 did not log in"; dump; return 1; }
}

suite() {
    E=$1
    DB=$2
    printf '[kiosk]\nsecret_file = %s/%s.key\n[district]\nstreets = %s\n' "$T" "$E" "$STREETS" >"$T/$E.conf"
    K="$B/kioskctl --config $T/$E.conf --db $DB"
    if $K init >"$T/out" 2>&1 && $K demo --households 200 --seed 1 >"$T/demo.out" 2>&1; then
        ok "$E: init and demo data"
    else
        notok "$E: init/demo failed: $(head -c 300 "$T/out" "$T/demo.out")"
        return 1
    fi
    ELDER=$(awk '/^elders with no/ {e = 1; next} e && /^  insert/ {print $2, $3; exit}' "$T/demo.out")

    # ---- district: each street's list, exact counts ----
    $K bed list >"$T/all" && [ "$(rows "$T/all")" -eq 40 ] && ok "$E: 40 demo applications" ||
        notok "$E: bed list: $(rows "$T/all") rows"
    for s in 东门街道:21 黄贝街道:10 翠竹街道:5 :4; do
        name=${s%:*}
        want=${s#*:}
        $K bed list --street "$name" >"$T/one"
        got=$(rows "$T/one")
        others=$(grep -v "  ${name:--}  " "$T/one" | grep -c '^[0-9A-Z]\{10\} ')
        [ "$got" -eq "$want" ] && [ "$others" -eq 0 ] &&
            ok "$E: bed list --street '${name}': $got applications, all of that street" ||
            notok "$E: bed list --street '${name}': $got (want $want), $others of another street"
    done
    $K bed list --street 东门街道 >"$T/dm"
    $K bed list --street 黄贝街道 >"$T/hb"
    DM=$(refs "$T/dm" | head -1)
    HB=$(refs "$T/hb" | head -1)

    # ---- accounts of two streets, and a district one ----
    ok_add=1
    for u in "st-dm street 东门街道" "st-hb street 黄贝街道" "dist district"; do
        set -- $u
        echo "$PW" | $K user add "$1" --roles "$2" ${3:+--street "$3"} --password-stdin >"$T/out" 2>&1 ||
            { ok_add=; notok "$E: user add $1: $(cat "$T/out")"; }
    done
    [ -n "$ok_add" ] && ok "$E: accounts st-dm (东门街道), st-hb (黄贝街道), dist added"
    $K user list >"$T/users"
    grep -q '^st-dm .* street=东门街道$' "$T/users" && grep -q '^dist .* street=-$' "$T/users" &&
        ok "$E: user list shows each account's street" || notok "$E: user list: $(cat "$T/users")"
    echo "$PW" | $K user add st-bad --roles street --street 东门街 --password-stdin >"$T/out" 2>&1
    rc=$?
    [ "$rc" -eq 3 ] && grep -q '东门街.*not one of.*桂园街道,黄贝街道,东门街道' "$T/out" &&
        ok "$E: a street not in [district] streets refused (exit 3), the allowed ones named" ||
        notok "$E: bad street: exit $rc: $(cat "$T/out")"
    $K bed list --street 黄贝 >"$T/out" 2>&1
    rc=$?
    [ "$rc" -eq 3 ] && grep -q '"黄贝" is not one of' "$T/out" &&
        ok "$E: bed list --street with a bad name refused (exit 3)" || notok "$E: exit $rc: $(cat "$T/out")"

    # ---- each street account sees its own ----
    as_user st-dm bed list >"$T/as-dm" 2>&1
    as_user st-hb bed list >"$T/as-hb" 2>&1
    [ "$(refs "$T/as-dm")" = "$(refs "$T/dm")" ] && [ "$(refs "$T/as-hb")" = "$(refs "$T/hb")" ] &&
        ok "$E: st-dm lists the 21 of 东门街道, st-hb the 10 of 黄贝街道, nothing else" ||
        notok "$E: as st-dm $(rows "$T/as-dm") rows, as st-hb $(rows "$T/as-hb") rows"
    [ "$(as_user dist bed list | grep -c '^[0-9A-Z]\{10\} ')" -eq 40 ] && ok "$E: dist lists every street's" ||
        notok "$E: dist does not list all 40"
    as_user st-hb bed list --street 东门街道 >"$T/out" 2>&1
    [ $? -eq 5 ] && ok "$E: st-hb asking for 东门街道's list is refused (exit 5)" || notok "$E: $(cat "$T/out")"
    as_user st-hb bed show "$DM" >"$T/out" 2>&1
    rc=$?
    [ "$rc" -eq 5 ] && grep -q "belongs to 东门街道, not to st-hb's street (黄贝街道)" "$T/out" &&
        ok "$E: st-hb opening 东门街道's $DM by reference is refused (exit 5)" ||
        notok "$E: bed show as st-hb: exit $rc: $(cat "$T/out")"
    as_user st-dm bed show "$DM" >"$T/out" 2>&1 && grep -q "street 东门街道" "$T/out" &&
        ok "$E: st-dm opens it, its street shown" || notok "$E: bed show as st-dm: $(cat "$T/out")"

    # ---- reports: per street, limited for a street account ----
    $K report overdue --csv - >"$T/overdue.csv"
    # the demo's stage dates are relative to today, so the counts are fixed
    want='report,group,label,value
overdue,no street recorded,,1
overdue,东门街道,,13
overdue,翠竹街道,,2
overdue,黄贝街道,,5'
    [ "$(tr -d '\r' <"$T/overdue.csv")" = "$want" ] && ok "$E: report overdue per street (CSV), exact counts" ||
        notok "$E: report overdue: $(cat "$T/overdue.csv")"
    as_user st-hb report overdue --csv - >"$T/out" 2>&1
    [ "$(tr -d '\r' <"$T/out" | tail -n +2)" = "overdue,黄贝街道,,5" ] &&
        ok "$E: st-hb's overdue report: its street only" || notok "$E: as st-hb: $(cat "$T/out")"
    sub_all=$($K report funnel --csv - | tr -d '\r' | awk -F, 'NR == 2 {print $4}')
    sub_hb=$(as_user st-hb report funnel --csv - | tr -d '\r' | awk -F, 'NR == 2 {print $4}')
    [ "$sub_all" = 40 ] && [ "$sub_hb" = 10 ] && ok "$E: funnel: 40 submitted in all, 10 for st-hb" ||
        notok "$E: funnel submitted: all '$sub_all', st-hb '$sub_hb'"
    as_user st-hb report stage-days --csv - >"$T/out" 2>&1 && [ "$(wc -l <"$T/out")" -ge 2 ] &&
        ok "$E: stage-days for st-hb" || notok "$E: stage-days as st-hb: $(cat "$T/out")"

    # ---- moving an application (district/admin), audited ----
    as_user st-dm bed street "$DM" 黄贝街道 >"$T/out" 2>&1
    rc=$?
    [ "$rc" -eq 5 ] && grep -q "needs the district or admin role" "$T/out" &&
        ok "$E: st-dm may not move an application (exit 5)" || notok "$E: exit $rc: $(cat "$T/out")"
    as_user dist bed street "$DM" 黄贝街道 >"$T/out" 2>&1 &&
        [ "$(as_user st-hb bed list | grep -c '^[0-9A-Z]\{10\} ')" -eq 11 ] &&
        [ "$(as_user st-dm bed list | grep -c '^[0-9A-Z]\{10\} ')" -eq 20 ] &&
        ok "$E: dist moves $DM to 黄贝街道: st-hb now sees 11, st-dm 20" || notok "$E: move: $(cat "$T/out")"
    $K audit tail -n 5 --action bed-street >"$T/out" 2>&1
    grep -q "dist.*bed $DM.*东门街道 -> 黄贝街道" "$T/out" && ok "$E: the move is audited" ||
        notok "$E: audit: $(cat "$T/out")"
    as_user dist bed street "$DM" 东门街 >"$T/out" 2>&1
    [ $? -eq 3 ] && ok "$E: a move to a street not in the list refused" || notok "$E: $(cat "$T/out")"
    as_user dist bed street "$DM" 东门街道 >/dev/null 2>&1
    # clearing an account's street: it sees every street again (audited)
    $K user street st-hb '' >/dev/null && [ "$(as_user st-hb bed list | grep -c '^[0-9A-Z]\{10\} ')" -eq 40 ] &&
        $K audit tail -n 3 --action user-street | grep -q "st-hb.*黄贝街道 -> (none)" &&
        ok "$E: user street st-hb '' clears it (audited): every street listed" ||
        notok "$E: user street ''"
    $K user street st-hb 黄贝街道 >/dev/null

    # ---- the seal: street edited in the database ----
    $K check >"$T/out" 2>&1 && ok "$E: check passes before any edit" || notok "$E: check: $(cat "$T/out")"
    if [ "$E" = sqlite ]; then
        sqlite3 "$DB" "UPDATE bed_app SET street = '黄贝街道' WHERE ref = '$DM';
                       UPDATE staff SET street = '' WHERE name = 'st-dm'"
    else
        "$PGBIN/psql" -X -q -d "$DB" -c "UPDATE bed_app SET street = '黄贝街道' WHERE ref = '$DM';
                                        UPDATE staff SET street = '' WHERE name = 'st-dm'"
    fi
    $K check >"$T/out" 2>&1
    rc=$?
    [ "$rc" -ne 0 ] && grep -q "bed application $DM (id [0-9]*): its fields are not what the programs wrote" "$T/out" &&
        grep -q "staff account st-dm (id [0-9]*): its fields are not what" "$T/out" &&
        ok "$E: check catches an application and an account moved to another street by hand" ||
        notok "$E: check after the edit: exit $rc: $(cat "$T/out")"
    as_user dist bed street "$DM" 东门街道 >/dev/null 2>&1   # the programs' write seals it again
    $K user street st-dm '' >/dev/null && $K user street st-dm 东门街道 >/dev/null
    $K check >/dev/null 2>&1 && ok "$E: moved back by the programs, check passes again" || notok "$E: check"

    # ---- the real kiosk records its [kiosk] street ----
    printf '[kiosk]\nsecret_file = %s/%s.key\nstreet = 莲塘街道\noutbox = %s/%s-outbox.db\n[district]\nstreets = %s\n' \
        "$T" "$E" "$T" "$E" "$STREETS" >"$T/kiosk.conf"
    rm -f "$T/cards"
    mkfifo "$T/cards"
    sleep 100000 >"$T/cards" &
    HOLD=$!
    rm -f "$T/kiosk.rc"
    KT_DB=$DB
    KT_LABEL=" ($E)"
    if kt_kiosk_start; then
        card "insert $ELDER"
        if kt_apply_to_confirm; then
            tmux send-keys -t "$S" Enter
            wait_for "Reference:" 15 || { notok "$E: no reference after submitting"; dump; }
            REF=$(kt_reference)
            $K bed show "$REF" --json >"$T/out" 2>&1
            grep -q '"street": "莲塘街道"' "$T/out" &&
                ok "$E: the kiosk's application $REF records its [kiosk] street 莲塘街道" ||
                notok "$E: bed show $REF: $(head -c 400 "$T/out")"
        fi
        card remove
        kt_stop
    fi
    kill "$HOLD" 2>/dev/null
    HOLD=
    printf '[kiosk]\nstreet = 莲塘\n[district]\nstreets = %s\n' "$STREETS" >"$T/bad.conf"
    $B/kiosk --config "$T/bad.conf" --db "$DB" --sim --lang en >"$T/out" 2>&1 </dev/null
    rc=$?
    [ "$rc" -eq 2 ] && grep -q '\[kiosk\] street: street "莲塘" is not one of' "$T/out" &&
        ok "$E: a kiosk whose [kiosk] street is not in [district] streets does not start (exit 2)" ||
        notok "$E: kiosk with a bad street: exit $rc: $(head -c 300 "$T/out")"

    # ---- the staff console: the street account's work queue, reports, open by ref ----
    tmux kill-session -t "$S" 2>/dev/null
    if start_console st-hb; then
        tmux send-keys -t "$S" 1
        wait_for "filter: stages you can act on" 10
        tmux send-keys -t "$S" f
        wait_for "Show which applications?" 5 && tmux send-keys -t "$S" 2 Enter
        wait_for "10 applications" 10 || { notok "$E: st-hb's list: not 10 applications"; dump; }
        shown=$(screen | grep -o '^ *[0-9A-Z]\{10\} ' | tr -d ' ' | sort)
        [ "$shown" = "$(refs "$T/hb")" ] &&
            ok "$E: console: st-hb's bed list shows 黄贝街道's 10 applications, no other" ||
            { notok "$E: console list differs"; dump; }
        screen | grep -q "all streets" && notok "$E: a street account is offered a street filter" ||
            ok "$E: no street filter for a street account"
        tmux send-keys -t "$S" /
        wait_for "Find (" 5 && tmux send-keys -t "$S" "$DM" Enter
        if wait_for "belongs to 东门街道" 10; then
            ok "$E: console: opening 东门街道's $DM by reference is refused"
        else
            notok "$E: console: $DM opened or no refusal"; dump
        fi
        # the refusal leaves the list on screen: Esc goes home
        tmux send-keys -t "$S" Escape
        wait_for "Staff console" 10
        tmux send-keys -t "$S" 4
        wait_for "1/6" 10 && tmux send-keys -t "$S" 6
        if wait_for "by street — 黄贝街道" 10 && wait_re "黄贝街道 *5" 5 && ! screen | grep -q "东门街道"; then
            ok "$E: console: st-hb's overdue report is its street's (5)"
        else
            notok "$E: console: st-hb's overdue report"; dump
        fi
    fi
    if start_console dist; then
        tmux send-keys -t "$S" 1
        wait_for "filter: stages you can act on" 10
        tmux send-keys -t "$S" f
        if wait_for "all streets" 5 && wait_re "黄贝街道 *10" 3 && wait_re "东门街道 *21" 3 &&
            wait_re "no street recorded *4" 3; then
            ok "$E: console: the district's filter lists the streets with their counts"
        else
            notok "$E: console: no street pick list"; dump
        fi
        pick=$(screen | sed -n 's/^ *\([0-9]*\) *黄贝街道 .*/\1/p' | head -1)
        tmux send-keys -t "$S" "$pick" Enter
        sleep 0.3
        tmux send-keys -t "$S" f
        wait_for "Show which applications?" 5 && tmux send-keys -t "$S" 2 Enter
        if wait_for "10 applications" 10 && wait_for "all stages, 黄贝街道" 5; then
            shown=$(screen | grep -o '^ *[0-9A-Z]\{10\} ' | tr -d ' ' | sort)
            [ "$shown" = "$(refs "$T/hb")" ] && ok "$E: console: the district picks 黄贝街道: its 10 listed" ||
                { notok "$E: console: the district's 黄贝街道 list differs"; dump; }
        else
            notok "$E: console: the district's street filter"; dump
        fi
    fi
    tmux kill-session -t "$S" 2>/dev/null
    if grep -q "ERROR: AddressSanitizer\|runtime error" "$T/console.err" 2>/dev/null; then
        notok "$E: sanitizer report from the console: $(head -c 400 "$T/console.err")"
    fi
    return 0
}

suite sqlite "$T/street.db"
if pg_cluster_start; then
    ok "own throwaway cluster at $KIOSK_TEST_PG"
    suite pg "$KIOSK_TEST_PG"
else
    notok "start a throwaway PostgreSQL cluster (see above)"
fi
finish 0
