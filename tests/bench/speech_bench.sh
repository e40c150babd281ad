#!/bin/sh
# speech_bench.sh — speech (issue 9), make bench runs every tests/bench/*_bench.sh:
#   speech_first_audio_ms (+ _worst)   screen change → first audio (≤ 300 ms)
#   speech_silence_ms (+ _worst)       key → silence (≤ 50 ms)
# measured by build/bench/speech_bench (tests/speech/speech_bench.c) on the optimised
# build/kiosk in a real terminal with --speech-dir, 15 rounds (30 samples each).  ~40 s.
set -eu
B=${KIOSK_BUILD:-build}
make -s --no-print-directory "$B/kiosk" "$B/kioskctl" "$B/bench/speech_bench" >&2
"$B/bench/speech_bench" "$B/kiosk" "$B/kioskctl" "${SPEECH_BENCH_ROUNDS:-15}"
