#!/bin/sh
# tests/link/test_link.sh — the programs link only what they use (issue 8 item 6).
#   * build/kiosk and build/kioskctl (and their sanitized builds) do not load libpq
#     nor its tree (Kerberos, LDAP, GSSAPI, OpenSSL): ldd;
#   * kioskctl has no curses; neither program carries the in-memory test transport;
#   * the plugin exports store_pg_open only and needs libpq;
#   * a postgresql:// URL loads the plugin with RTLD_NOW (every symbol bound, the
#     core ones to the program's) and reaches libpq: against a port where nothing
#     listens the error is libpq's "cannot connect", not a plugin error;
#   * without the plugin the error names the file(s) looked for.
# TAP lines.
B=${KIOSK_BUILD:-build}
T=$(mktemp -d /tmp/kiosk-link-XXXXXX)
trap 'rm -rf "$T"' EXIT
n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); echo "not ok $n - $*"; }
check() {   # check DESCRIPTION COMMAND... (passes when COMMAND exits 0)
    d=$1; shift
    if "$@"; then ok "$d"; else notok "$d"; fi
}
# no line of ldd PROGRAM matches the pattern
ldd_lacks() { ! ldd "$1" | grep -Eq "$2"; }

PQTREE='libpq|libkrb5|libgssapi|libldap|liblber|libssl|libcrypto|libsasl|libgnutls'
for p in "$B/kiosk" "$B/kioskctl" "$B/asan/kiosk" "$B/asan/kioskctl"; do
    if [ ! -x "$p" ]; then
        notok "$p not built"
        continue
    fi
    check "$p: no libpq nor its tree in ldd ($(ldd "$p" | grep -Eo "$PQTREE" | tr '\n' ' '))" \
        ldd_lacks "$p" "$PQTREE"
    # ldd lists what the loader maps: the count is the start cost this item is about
    echo "# $p loads $(ldd "$p" | wc -l) objects"
    check "$p: no in-memory test transport (nm: $(nm "$p" | grep -c mem_transport_) mem_transport_ symbols)" \
        eval '! nm "$p" | grep -q mem_transport_'
done
has_curses() { ldd "$1" | grep -Eq 'ncurses|tinfo' || nm "$1" | grep -Eq ' U (initscr|newterm|wgetch)'; }
no_ctl() { ! nm "$1" | grep -Eq ' T ctl_'; }
for p in "$B/kioskctl" "$B/asan/kioskctl"; do
    [ -x "$p" ] || continue
    check "$p: no curses (ldd, nm)" eval '! has_curses "$p"'
done
for p in "$B/kiosk" "$B/asan/kiosk"; do
    [ -x "$p" ] || continue
    # the same look-up finds curses where it is, so the line above is not vacuous
    check "$p: has curses (the control for the check above)" has_curses "$p"
    check "$p: no kioskctl commands linked in" no_ctl "$p"
done

for so in "$B/lib/kiosk-store-pg.so" "$B/asan/lib/kiosk-store-pg.so"; do
    if [ ! -f "$so" ]; then
        notok "$so not built"
        continue
    fi
    exports=$(nm -D --defined-only "$so" | awk '{print $3}' | tr '\n' ' ')
    check "$so exports store_pg_open only (got: $exports)" [ "$exports" = "store_pg_open " ]
    check "$so needs libpq" eval 'readelf -d "$so" | grep NEEDED | grep -q libpq'
done

# Port 1: nothing listens there, so libpq itself answers "connection refused".
URL="postgresql://kiosk@127.0.0.1:1/kiosk?connect_timeout=2"
for p in "$B/kioskctl" "$B/asan/kioskctl"; do
    [ -x "$p" ] || continue
    "$p" --db "$URL" check >"$T/out" 2>"$T/err"; rc=$?
    if [ "$rc" -ne 0 ] && grep -q "cannot connect to PostgreSQL" "$T/err" && ! grep -qi plugin "$T/err"; then
        ok "$p: a postgresql:// URL loads the plugin and reaches libpq (exit $rc)"
    else
        notok "$p: a postgresql:// URL: exit $rc: $(head -c 300 "$T/err")"
    fi
done
# the kiosk itself (not only kioskctl) loads it: --db on the command line
K="$B/kiosk"
if [ -x "$K" ]; then
    printf '[kiosk]\nsecret_file = %s/site.key\n' "$T" >"$T/kiosk.conf"
    "$K" --config "$T/kiosk.conf" --db "$URL" </dev/null >"$T/out" 2>"$T/err"; rc=$?
    if [ "$rc" -ne 0 ] && grep -q "cannot connect to PostgreSQL" "$T/err"; then
        ok "$K: a postgresql:// URL loads the plugin and reaches libpq (exit $rc)"
    else
        notok "$K: a postgresql:// URL: exit $rc: $(head -c 300 "$T/err")"
    fi
fi

# Without the plugin: the override points nowhere, or the binary has no lib/ beside it.
CTL="$B/kioskctl"
KIOSK_STORE_PG_PLUGIN="$T/none/kiosk-store-pg.so" "$CTL" --db "$URL" check >"$T/out" 2>"$T/err"; rc=$?
if [ "$rc" -ne 0 ] && grep -q "$T/none/kiosk-store-pg.so" "$T/err" && ! grep -q "cannot connect" "$T/err"; then
    ok "KIOSK_STORE_PG_PLUGIN pointing nowhere: the error names it (exit $rc)"
else
    notok "KIOSK_STORE_PG_PLUGIN pointing nowhere: exit $rc: $(cat "$T/err")"
fi
mkdir -p "$T/bin"
cp "$CTL" "$T/bin/kioskctl"
"$T/bin/kioskctl" --db "$URL" check >"$T/out" 2>"$T/err"; rc=$?
if [ "$rc" -ne 0 ] && grep -q "$T/bin/lib/kiosk-store-pg.so" "$T/err" && grep -q "lib/kiosk/kiosk-store-pg.so" "$T/err"; then
    ok "a kioskctl with no plugin beside it or installed names both places (exit $rc)"
else
    notok "a kioskctl with no plugin: exit $rc: $(cat "$T/err")"
fi
# ... and finds it in lib/ beside itself once it is there
mkdir -p "$T/bin/lib"
cp "$B/lib/kiosk-store-pg.so" "$T/bin/lib/"
"$T/bin/kioskctl" --db "$URL" check >"$T/out" 2>"$T/err"; rc=$?
if grep -q "cannot connect to PostgreSQL" "$T/err"; then
    ok "the plugin in lib/ beside the binary is found"
else
    notok "the plugin in lib/ beside the binary: exit $rc: $(cat "$T/err")"
fi
# a file that is there but is not a plugin is reported, not skipped
echo "not an ELF file" >"$T/bin/lib/kiosk-store-pg.so"
"$T/bin/kioskctl" --db "$URL" check >"$T/out" 2>"$T/err"; rc=$?
if [ "$rc" -ne 0 ] && grep -q "does not load" "$T/err"; then
    ok "a broken plugin file is reported as such (exit $rc)"
else
    notok "a broken plugin file: exit $rc: $(cat "$T/err")"
fi
# SQLite needs no plugin at all
KIOSK_STORE_PG_PLUGIN="$T/none/kiosk-store-pg.so" "$CTL" --config "$T/kiosk.conf" --db "$T/k.db" init >"$T/out" 2>"$T/err"; rc=$?
check "kioskctl init on SQLite with no plugin anywhere (exit $rc: $(head -c 200 "$T/err"))" [ "$rc" -eq 0 ]
echo "1..$n"
