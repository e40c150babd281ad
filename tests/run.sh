#!/bin/sh
# tests/run.sh — run every test program and script given on the command line, keep each
# one's output in build/test-logs/, and end with the plain line "N passed, N failed".
#
# A test is a cmocka program or a program/script printing TAP, or both (the PostgreSQL
# contract suite re-prints its cmocka summaries beside its own TAP lines).  A test must
# say how many results it will give, so that one which stops early, or prints nothing,
# cannot pass:
#   TAP      exactly one plan line "1..N" (first or last), and N = the "ok" + "not ok" lines;
#   cmocka   for each "[==========] Running N test(s)" a matching "[  PASSED  ] …" /
#            "[  FAILED  ] … listed below" count: passed + failed = the sum of the Ns.
# Anything else is a failure with its reason printed under the FAIL line: no plan at all,
# more than one TAP plan, a plan that differs from what ran, results without a plan, no
# results, a skipped test ("# SKIP", cmocka's SKIPPED), "Bail out!", or a non-zero exit.
# tests/core/test_runner.sh feeds this script fake tests to prove each rule.
B=${KIOSK_BUILD:-build}
logs="$B/test-logs"
mkdir -p "$logs"
total_p=0 total_f=0
# sum of the first number after a fixed prefix, over the matching lines of a log
sum_after() { sed -n "s/^$1\([0-9]*\).*/\1/p" "$2" | awk '{s+=$1} END {print s+0}'; }
for t in "$@"; do
    name=$(echo "$t" | sed 's|^\./||; s|/|_|g')
    log="$logs/$name.log"
    start=$(date +%s.%N)
    case "$t" in
        *.sh) sh "$t" >"$log" 2>&1 ;;
        *) "$t" >"$log" 2>&1 ;;
    esac
    rc=$?
    end=$(date +%s.%N)
    # cmocka
    c_run=$(sum_after '\[==========\] Running ' "$log")
    c_runs=$(grep -c '^\[==========\] Running [0-9]* test' "$log")
    c_p=$(sum_after '\[  PASSED  \] ' "$log")
    c_f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test(s), listed below.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
    c_skip=$(sed -n 's/^\[  SKIPPED \] \([0-9]*\) test(s), listed below.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
    # TAP
    t_ok=$(grep -c '^ok\( \|$\)' "$log")
    t_nok=$(grep -c '^not ok\( \|$\)' "$log")
    t_plans=$(grep -c '^1\.\.[0-9][0-9]*\( *#.*\)\?$' "$log")
    t_plan=$(sed -n 's/^1\.\.\([0-9][0-9]*\)\( *#.*\)\?$/\1/p' "$log" | head -1)
    t_skip=$(grep -c '^ok .*# *[Ss][Kk][Ii][Pp]' "$log")
    p=$((t_ok + c_p)) f=$((t_nok + c_f))
    why=""
    if [ "$c_runs" -eq 0 ] && [ "$t_plans" -eq 0 ]; then
        if [ $((t_ok + t_nok)) -gt 0 ]; then
            why="$why|no TAP plan: $((t_ok + t_nok)) results but no \"1..N\" line (stopped early?)"
        else
            why="$why|no plan: no TAP \"1..N\" line and no cmocka \"Running N test(s)\" line"
        fi
    fi
    if [ "$t_plans" -gt 1 ]; then
        why="$why|$t_plans TAP plan lines; a test prints exactly one"
    elif [ "$t_plans" -eq 1 ] && [ "$t_plan" -ne $((t_ok + t_nok)) ]; then
        why="$why|TAP plan says $t_plan, but $((t_ok + t_nok)) ran ($t_ok ok, $t_nok not ok)"
    fi
    if [ "$c_runs" -gt 0 ] && [ "$c_run" -ne $((c_p + c_f)) ]; then
        why="$why|cmocka said it would run $c_run, but reported $c_p passed + $c_f failed"
    fi
    [ "$t_skip" -gt 0 ] && why="$why|$t_skip TAP results skipped (# SKIP): a skipped check is not a pass"
    [ "$c_skip" -gt 0 ] && why="$why|$c_skip cmocka tests skipped: a skipped check is not a pass"
    grep -q '^Bail out!' "$log" && why="$why|Bail out!: $(grep -m1 '^Bail out!' "$log" | cut -c11-)"
    if [ -z "$why" ] && [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
        why="|no results: the plan is empty"
    fi
    [ -n "$why" ] && f=$((f + 1))
    if [ "$rc" -ne 0 ]; then
        why="$why|exit status $rc"
        [ "$f" -eq 0 ] && f=1
    fi
    secs=$(echo "$end $start" | awk '{printf "%.1f", $1 - $2}')
    if [ "$f" -eq 0 ]; then
        printf '  PASS %-44s %4d passed  %6ss\n' "$t" "$p" "$secs"
    else
        printf '  FAIL %-44s %4d passed %3d failed  %6ss  (log: %s)\n' "$t" "$p" "$f" "$secs" "$log"
        echo "$why" | tr '|' '\n' | sed '/^$/d; s/^/       run.sh: /'
        grep -E '^not ok |FAILED|ERROR|error:|Assertion|runtime error|Sanitizer' "$log" | head -20 | sed 's/^/       /'
    fi
    total_p=$((total_p + p)); total_f=$((total_f + f))
done
echo "$total_p passed, $total_f failed"
[ "$total_f" -eq 0 ]
