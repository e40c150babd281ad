#!/bin/sh
# test_row_seal.sh — issue 11 on SQLite: `kioskctl check` names each row edited in the
# database (tests/core/row_seal_cases.sh, shared with PostgreSQL), and an older database
# is migrated by init: its identities re-sealed bound to their rows, every row sealed.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/row_seal_cases.sh"
DB="$T/k.db"
K="$CTL --db $DB"
dbq() { python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.isolation_level=None; q=sys.argv[2]; [print(*r, sep="|") for r in c.execute(q)] if q.count(";") == 0 else c.executescript(q)' "$DB" "$1"; }

expect_exit 0 "init" $K init
expect_exit 0 "demo" $K demo --households 400 --seed 9
RESIDENT=$(awk '/^  insert/ {print $2; exit}' "$T/out")
rs_cases

# ---- an older database: identities sealed without associated data, no row seals --------
# (made from this one: each identity re-sealed unbound with the same key, the seals dropped,
# the migration flag removed — what a database from before issue 11 holds)
python3 - "$DB" "$DB.key" <<'PY'
import sqlite3, sys, ctypes
na = ctypes.CDLL("libsodium.so.23"); na.sodium_init()
key = bytes.fromhex(open(sys.argv[2]).read().strip())
sub = ctypes.create_string_buffer(32)
na.crypto_kdf_derive_from_key(sub, ctypes.c_size_t(32), ctypes.c_uint64(2), b"SZKIOSK1", key)
c = sqlite3.connect(sys.argv[1]); c.isolation_level = None
c.execute("begin")
for (i, pid, rno, s) in c.execute("select id, program_id, receipt_no, sealed from entry").fetchall():
    ad = ("entry/%d/%s" % (pid, rno)).encode()
    m = ctypes.create_string_buffer(len(s)); ml = ctypes.c_ulonglong()
    assert na.crypto_aead_xchacha20poly1305_ietf_decrypt(m, ctypes.byref(ml), None, s[24:], ctypes.c_ulonglong(len(s) - 24), ad, ctypes.c_ulonglong(len(ad)), s[:24], sub) == 0
    out = ctypes.create_string_buffer(ml.value + 16)
    na.crypto_aead_xchacha20poly1305_ietf_encrypt(out, None, m, ctypes.c_ulonglong(ml.value), None, ctypes.c_ulonglong(0), None, s[:24], sub)
    c.execute("update entry set sealed = ? where id = ?", (s[:24] + out.raw, i))
c.execute("update entry set rowmac = null"); c.execute("update staff set rowmac = null")
c.execute("update bed_app set rowmac = null"); c.execute("delete from meta where key = 'row_seal'")
c.execute("commit")
PY
expect_exit 1 "check on the older database reports its rows as not sealed" $K check
grep -q "not sealed (a database from before the row seal: run kioskctl init" "$T/out" &&
    ok "…saying to run kioskctl init" || notok "check said: $(grep '^rows' "$T/out" | head -3)"
$K position --id "$RESIDENT" --program prh >"$T/out" 2>"$T/err"
[ $? != 0 ] && ok "an unbound identity does not open as a bound one before the migration" || notok "position opened an unbound identity"
expect_exit 0 "init migrates it" $K init
grep -q "rows sealed, [1-9][0-9]* sealed fields bound to their rows" "$T/out" && ok "…reporting rows sealed and identities bound" || notok "init said: $(cat "$T/out")"
expect_exit 0 "check passes the migrated database" $K check
expect_exit 0 "the resident is found again" $K position --id "$RESIDENT" --program prh
expect_exit 0 "a second init changes nothing" $K init
grep -q "bound to their rows" "$T/out" && notok "init migrated twice: $(cat "$T/out")" || ok "…and migrates nothing twice"
done_testing
