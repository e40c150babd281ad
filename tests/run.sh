#!/bin/sh
# tests/run.sh — run every test program and script given on the command line, keep each
# one's output in build/test-logs/, and end with the plain line "N passed, N failed".
# A test is a cmocka program (its "[  PASSED  ] N test(s)" / "[  FAILED  ] N test(s)" lines
# are counted) or a script printing TAP lines ("ok …" / "not ok …").  A test that exits
# non-zero without reporting a failure counts as one failure; one that reports nothing and
# exits 0 counts as one pass.
B=${KIOSK_BUILD:-build}
logs="$B/test-logs"
mkdir -p "$logs"
total_p=0 total_f=0
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
    p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
    f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test(s), listed below.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
    p=$((p + $(grep -c '^ok ' "$log")))
    f=$((f + $(grep -c '^not ok ' "$log")))
    [ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
    [ "$rc" -eq 0 ] && [ "$p" -eq 0 ] && [ "$f" -eq 0 ] && p=1
    secs=$(echo "$end $start" | awk '{printf "%.1f", $1 - $2}')
    if [ "$f" -eq 0 ]; then
        printf '  PASS %-44s %4d passed  %6ss\n' "$t" "$p" "$secs"
    else
        printf '  FAIL %-44s %4d passed %3d failed  %6ss  (log: %s)\n' "$t" "$p" "$f" "$secs" "$log"
        grep -E '^not ok |FAILED|ERROR|error:|Assertion|runtime error|Sanitizer' "$log" | head -20 | sed 's/^/       /'
    fi
    total_p=$((total_p + p)); total_f=$((total_f + f))
done
echo "$total_p passed, $total_f failed"
[ "$total_f" -eq 0 ]
