#!/bin/sh
# tests/fuzz/run.sh — the short fuzz run of `make check`: each target for a few
# seconds from the seed corpus, TAP output.  A crash, leak or sanitizer report
# fails the test and leaves the input in $B/fuzz/artifacts-NAME/.
B=${KIOSK_BUILD:-build}
SECS=${FUZZ_SHORT_SECONDS:-4}
TARGETS="sam render"
echo "1..$(echo $TARGETS | wc -w)"
n=0
for t in $TARGETS; do
    n=$((n + 1))
    bin="$B/fuzz/fuzz_$t"
    if [ ! -x "$bin" ]; then
        echo "not ok $n - fuzz_$t is not built"
        continue
    fi
    work=$(mktemp -d /tmp/kiosk-fuzz-XXXXXX)
    mkdir -p "$B/fuzz/artifacts-$t"
    if "$bin" -max_total_time="$SECS" -max_len=8192 -artifact_prefix="$B/fuzz/artifacts-$t/" \
        "$work" "tests/fuzz/corpus/$t" >"$work.log" 2>&1; then
        runs=$(grep -o 'Done [0-9]* runs' "$work.log" | tail -1)
        echo "ok $n - fuzz_$t for ${SECS}s ($runs)"
    else
        echo "not ok $n - fuzz_$t found a problem:"
        grep -E 'ERROR|SUMMARY|runtime error' "$work.log" | head -5 | sed 's/^/#   /'
    fi
    rm -rf "$work" "$work.log"
done
