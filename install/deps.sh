#!/bin/sh
# install/deps.sh — install the Debian 12 packages the build, the demo and the tests need.
# Idempotent and quiet when everything is present: the make targets call it every time.
# Usage: install/deps.sh [build|check|display|shots]   (check adds the test-only tools; display
# the kiosk screen's cage + foot + CJK font; shots those and sway + grim for screenshots)
set -eu

BUILD_PKGS="build-essential pkg-config libncurses-dev libsqlite3-dev libsodium-dev \
libqrencode-dev libusb-1.0-0-dev libinih-dev libpng-dev gettext libpq-dev libmicrohttpd-dev \
libespeak-ng-dev espeak-ng-data libasound2-dev libsystemd-dev"
CHECK_PKGS="libcmocka-dev libvterm-dev umockdev libumockdev-dev libglib2.0-dev zbar-tools \
tmux sqlite3 clang libclang-rt-14-dev llvm postgresql-15 curl chromium fonts-wqy-microhei wrk apache2-utils espeak-ng pgbouncer \
sway foot grim fonts-wqy-zenhei"   # the last four: tests/screen/shots.sh (the kiosk at panel sizes)

# the kiosk's display (install/display) and its screenshots (tests/screen/shots.sh)
DISPLAY_PKGS="cage foot xwayland fonts-wqy-zenhei"
SHOTS_PKGS="$DISPLAY_PKGS sway grim"

want="$BUILD_PKGS"
[ "${1:-build}" = "check" ] && want="$want $CHECK_PKGS"
[ "${1:-build}" = "display" ] && want="$want $DISPLAY_PKGS"
[ "${1:-build}" = "shots" ] && want="$want $SHOTS_PKGS"

missing=""
for p in $want; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "deps.sh: installing:$missing" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
