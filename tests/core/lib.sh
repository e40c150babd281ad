# tests/core/lib.sh — TAP helpers for the shell tests (sourced).  A script ends with
# done_testing (the plan "1..N"; tests/run.sh fails a script that never gets there).
n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); echo "not ok $n - $*"; }
done_testing() { echo "1..$n"; }
# check DESCRIPTION COMMAND...: ok when the command succeeds
check() { d=$1; shift; if "$@"; then ok "$d"; else notok "$d"; fi; }
# expect_exit CODE DESCRIPTION COMMAND...: ok when the command exits with CODE
expect_exit() {
    code=$1; d=$2; shift 2
    "$@" >"$T/out" 2>"$T/err"; rc=$?
    if [ "$rc" -eq "$code" ]; then ok "$d (exit $rc)"; else notok "$d: exit $rc, wanted $code: $(head -c 300 "$T/err")"; fi
}
B=${KIOSK_BUILD:-build}
CTL="$B/asan/kioskctl"
[ -x "$CTL" ] || CTL="$B/kioskctl"
T=$(mktemp -d /tmp/kiosk-sh-XXXXXX)
trap 'rm -rf "$T"' EXIT
export ASAN_OPTIONS=detect_leaks=1
