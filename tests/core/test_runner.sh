#!/bin/sh
# test_runner.sh — tests/run.sh cannot be fooled: fake tests that print no plan, fewer
# results than planned, a cmocka run cut short, a skip or a non-zero exit must each FAIL
# (with the reason on the line under it), and honest ones must PASS.  Prints TAP lines.
. "$(dirname "$0")/lib.sh"
RUN="$(dirname "$0")/../run.sh"
mkdir -p "$T/fake"
# fake NAME BODY: a test script tests/…/NAME.sh whose body is the shell text BODY
fake() { printf '#!/bin/sh\n%s\n' "$2" > "$T/fake/$1.sh"; }
# runs NAME PASS|FAIL [REASON]: run.sh on the fake alone; the verdict (and the reason
# printed under a FAIL) must be as given, and the exit code must agree
runs() {
    KIOSK_BUILD="$T/build" sh "$RUN" "$T/fake/$1.sh" >"$T/out" 2>&1; rc=$?
    verdict=$(sed -n 's/^  \(PASS\|FAIL\) .*/\1/p' "$T/out")
    last=$(tail -1 "$T/out")
    good=true
    [ "$verdict" = "$2" ] || good=false
    if [ "$2" = PASS ]; then
        [ "$rc" -eq 0 ] && echo "$last" | grep -q '^[1-9][0-9]* passed, 0 failed$' || good=false
    else
        [ "$rc" -ne 0 ] && echo "$last" | grep -q '^[0-9]* passed, [1-9][0-9]* failed$' || good=false
    fi
    [ -z "$3" ] || grep -q "run.sh: .*$3" "$T/out" || good=false
    if $good; then ok "$1: $2${3:+ ($3)}"; else notok "$1: wanted $2${3:+ ($3)}, got: $(tr '\n' '~' < "$T/out")"; fi
}
cmocka_run() { echo "echo '[==========] Running $1 test(s).'"; }

# no output at all, exit 0: the old runner counted this as one pass
fake silent 'exit 0'
runs silent FAIL "no plan"
fake oks_no_plan 'echo "ok 1 - a"; echo "ok 2 - b"'
runs oks_no_plan FAIL "no TAP plan"
fake fewer 'echo "1..3"; echo "ok 1 - a"; echo "ok 2 - b"'
runs fewer FAIL "plan says 3, but 2 ran"
fake more 'echo "ok 1 - a"; echo "ok 2 - b"; echo "1..1"'
runs more FAIL "plan says 1, but 2 ran"
fake two_plans 'echo "1..1"; echo "ok 1 - a"; echo "1..1"'
runs two_plans FAIL "2 TAP plan lines"
fake empty_plan 'echo "1..0"'
runs empty_plan FAIL "no results"
fake skipped 'echo "1..2"; echo "ok 1 - a"; echo "ok 2 - b # SKIP no device"'
runs skipped FAIL "skipped"
fake bail 'echo "1..2"; echo "ok 1 - a"; echo "Bail out! database gone"; echo "ok 2 - b"'
runs bail FAIL "Bail out"
fake exit1 'echo "1..1"; echo "ok 1 - a"; exit 1'
runs exit1 FAIL "exit status 1"
fake notok 'echo "1..2"; echo "ok 1 - a"; echo "not ok 2 - b"'
runs notok FAIL
fake good_end 'echo "ok 1 - a"; echo "ok 2 - b"; echo "1..2"'
runs good_end PASS
fake good_start 'echo "1..2"; echo "ok 1 - a"; echo "ok 2 - b"'
runs good_start PASS
# cmocka: a run that stops after "Running 3" (a crash) without the summary lines
fake cm_cut "$(cmocka_run 3); echo '[ RUN      ] t1'; echo '[       OK ] t1'"
runs cm_cut FAIL "cmocka said it would run 3, but reported 0 passed"
fake cm_fewer "$(cmocka_run 3); echo '[==========] 3 test(s) run.'; echo '[  PASSED  ] 2 test(s).'"
runs cm_fewer FAIL "cmocka said it would run 3, but reported 2 passed"
fake cm_skip "$(cmocka_run 2); echo '[  PASSED  ] 1 test(s).'; echo '[  SKIPPED ] 1 test(s), listed below:'"
runs cm_skip FAIL "skipped"
fake cm_fail "$(cmocka_run 2); echo '[  PASSED  ] 1 test(s).'; echo '[  FAILED  ] 1 test(s), listed below:'; echo '[  FAILED  ] t2'; exit 1"
runs cm_fail FAIL
fake cm_good "$(cmocka_run 2); echo '[  PASSED  ] 2 test(s).'; $(cmocka_run 1); echo '[  PASSED  ] 1 test(s).'"
runs cm_good PASS
# TAP and cmocka side by side (the PostgreSQL contract suite): both must add up
fake mixed_good "$(cmocka_run 2); echo '[  PASSED  ] 2 test(s).'; echo 'ok 1 - x'; echo '1..1'"
runs mixed_good PASS
fake mixed_cut "$(cmocka_run 2); echo 'ok 1 - x'; echo '1..1'"
runs mixed_cut FAIL "cmocka said it would run 2"

# a program (not a .sh) is run directly, under the same rules
printf '#!/bin/sh\necho "ok 1 - a"\n' > "$T/fake/prog"; chmod +x "$T/fake/prog"
KIOSK_BUILD="$T/build" sh "$RUN" "$T/fake/prog" >"$T/out" 2>&1
grep -q '^  FAIL .*prog' "$T/out" && grep -q 'run.sh: no TAP plan' "$T/out" \
    && ok "a program with results but no plan fails" || notok "program without plan: $(cat "$T/out")"
# several tests: the last line adds them up, and one failure fails the run
KIOSK_BUILD="$T/build" sh "$RUN" "$T/fake/good_end.sh" "$T/fake/silent.sh" "$T/fake/cm_good.sh" >"$T/out" 2>&1; rc=$?
[ "$(tail -1 "$T/out")" = "5 passed, 1 failed" ] && [ "$rc" -ne 0 ] \
    && ok "several tests: \"5 passed, 1 failed\" as the last line, exit non-zero" \
    || notok "several tests: rc $rc, $(tail -1 "$T/out")"
log="$T/build/test-logs/$(echo "$T/fake/silent.sh" | sed 's|^\./||; s|/|_|g').log"
[ -f "$log" ] && ok "each test's output is kept in \$KIOSK_BUILD/test-logs" || notok "no log $log: $(ls "$T/build/test-logs")"
echo "1..$n"
