# tests/core/row_seal_cases.sh — issue 11 "check replays history" and "sealed identities
# bound to their row", as an attacker with write access to the database would try them:
# one direct SQL edit per kind (status, household size, tier, sort key, role, lock-out,
# bed stage, a sealed identity copied onto another row), each followed by `kioskctl check`
# (exit 1, naming the row) and undone.  Sourced by tests/core/test_row_seal.sh (SQLite)
# and tests/pg/run_contract.sh (PostgreSQL), which define ok/notok, $T, $K (kioskctl
# with its --db), dbq SQL (run SQL, print the rows as a|b) and RESIDENT (an ID number
# the demo printed).

# rs_edit WHAT EDIT UNDO NAME: check names NAME after EDIT, and passes again after UNDO
rs_edit() {
    what=$1; edit=$2; undo=$3; name=$4
    dbq "$edit" >/dev/null
    $K check >"$T/check" 2>&1; rc=$?
    if [ "$rc" = 1 ] && grep "^rows: " "$T/check" | grep -qF "$name"; then
        ok "check names $name after a direct edit of its $what (exit 1)"
    else
        notok "edit of $what: check exit $rc, wanted 1 naming $name: $(grep -v '^queue' "$T/check" | head -c 600)"
    fi
    dbq "$undo" >/dev/null
}

rs_cases() {
    $K check >"$T/check" 2>&1 && grep -q "^rows: .* sealed and consistent with their histories" "$T/check" &&
        ok "check passes the untouched database and says the rows are sealed" ||
        notok "check before any edit: $(cat "$T/check")"
    E=$(dbq "SELECT min(id) FROM entry WHERE status = 0")
    ER=$(dbq "SELECT p.code || '/' || e.receipt_no FROM entry e JOIN program p ON p.id = e.program_id WHERE e.id = $E")
    rs_edit "status (waiting -> housed)" "UPDATE entry SET status = 3 WHERE id = $E" \
        "UPDATE entry SET status = 0 WHERE id = $E" "entry $ER (id $E)"
    HS=$(dbq "SELECT household_size FROM entry WHERE id = $E")
    rs_edit "household size" "UPDATE entry SET household_size = $HS + 3 WHERE id = $E" \
        "UPDATE entry SET household_size = $HS WHERE id = $E" "entry $ER (id $E)"
    TI=$(dbq "SELECT tier FROM entry WHERE id = $E")
    rs_edit "tier" "UPDATE entry SET tier = $TI + 1 WHERE id = $E" \
        "UPDATE entry SET tier = $TI WHERE id = $E" "entry $ER (id $E)"
    rs_edit "sort key (copied from the first waiting entry)" \
        "CREATE TABLE rs_save AS SELECT id, skey, sealed FROM entry WHERE id = $E + 1; UPDATE entry SET skey = (SELECT skey FROM entry WHERE id = $E) WHERE id = $E + 1" \
        "UPDATE entry SET skey = (SELECT skey FROM rs_save) WHERE id = $E + 1; DROP TABLE rs_save" \
        "(id $((E + 1))): its sort key is not what rule"
    # a status edit that also forges the seal's absence is still replayed against the history
    EV=$(dbq "SELECT max(entry_id) FROM entry_event WHERE to_status = 3")
    if [ -n "$EV" ]; then
        rs_edit "status, with its seal removed, against its history" \
            "CREATE TABLE rs_save AS SELECT id, rowmac FROM entry WHERE id = $EV; UPDATE entry SET status = 0, rowmac = NULL WHERE id = $EV" \
            "UPDATE entry SET status = 3, rowmac = (SELECT rowmac FROM rs_save) WHERE id = $EV; DROP TABLE rs_save" \
            "(id $EV): status waiting, but its history ends at housed"
    else
        notok "the demo has no housed entry with a history"
    fi
    S=$(dbq "SELECT min(id) FROM staff")
    SN=$(dbq "SELECT name FROM staff WHERE id = $S")
    RO=$(dbq "SELECT roles FROM staff WHERE id = $S")
    rs_edit "roles (made admin)" "UPDATE staff SET roles = 63 WHERE id = $S" \
        "UPDATE staff SET roles = $RO WHERE id = $S" "staff account $SN (id $S)"
    rs_edit "lock-out (locked until 2099)" \
        "UPDATE staff SET locked_until = '2099-01-01 00:00:00', failed_logins = 9 WHERE id = $S" \
        "UPDATE staff SET locked_until = '', failed_logins = 0 WHERE id = $S" "staff account $SN (id $S)"
    BA=$(dbq "SELECT min(id) FROM bed_app WHERE stage = 1")
    BR=$(dbq "SELECT ref FROM bed_app WHERE id = $BA")
    rs_edit "stage (street-approved -> in service)" "UPDATE bed_app SET stage = 7 WHERE id = $BA" \
        "UPDATE bed_app SET stage = 1 WHERE id = $BA" "bed application $BR (id $BA)"
    # a sealed identity copied onto another resident's row: it does not open there
    RR=$($K position --id "$RESIDENT" --program prh --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["entries"][0]["receipt_no"])')
    V=$(dbq "SELECT e.id FROM entry e JOIN program p ON p.id = e.program_id WHERE p.code = 'prh' AND e.receipt_no = '$RR'")
    O=$(dbq "SELECT min(id) FROM entry WHERE id <> $V")
    dbq "CREATE TABLE rs_save AS SELECT id, sealed FROM entry WHERE id = $V; UPDATE entry SET sealed = (SELECT sealed FROM entry WHERE id = $O) WHERE id = $V" >/dev/null
    $K check >"$T/check" 2>&1; rc=$?
    [ "$rc" = 1 ] && grep -q "^rows: entry prh/$RR (id $V): the sealed identity does not open on this row" "$T/check" &&
        ok "check names entry prh/$RR, which holds an identity copied from another row (exit 1)" ||
        notok "copied identity: check exit $rc: $(grep '^rows' "$T/check" | head -c 600)"
    $K position --id "$RESIDENT" --program prh --json >"$T/out" 2>"$T/err"; rc=$?
    [ "$rc" != 0 ] && ! grep -q '"name"' "$T/out" && grep -q "cannot decrypt the identity on this row" "$T/err" &&
        ok "position refuses the row with the copied identity and shows no name (exit $rc)" ||
        notok "position with a copied identity: exit $rc: $(head -c 300 "$T/out") $(cat "$T/err")"
    dbq "UPDATE entry SET sealed = (SELECT sealed FROM rs_save) WHERE id = $V; DROP TABLE rs_save" >/dev/null
    $K check >"$T/check" 2>&1 && ok "check passes again once every edit is undone" ||
        notok "check after undoing: $(grep -v '^queue' "$T/check")"
}
