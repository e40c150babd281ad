#!/bin/sh
# kiosk-display.sh — the resident kiosk's screen: cage (a one-window Wayland compositor)
# runs foot, foot runs the kiosk, with a font size picked from the panel's resolution so
# that the grid has about 19–20 rows on a landscape panel and 32 on a portrait one: a CJK
# character of 42 px (ink 41 px measured) on a 1920×1080 panel, 44 px on 1080×1920.
#
#   kiosk-display.sh [-- KIOSK ARGS…]           start cage + foot + kiosk (the systemd unit)
#   kiosk-display.sh --size WxH                 print the foot.ini it would use
#   kiosk-display.sh --in-cage WxH -- ARGS      (internal) foot with the ini for WxH
#
# The panel's resolution: $KIOSK_PANEL (WxH) if set, else the first connected DRM
# connector's preferred mode (/sys/class/drm/*/modes), else 1920x1080.
# Environment: KIOSK_BIN (default /usr/local/bin/kiosk), KIOSK_FONT (default
# "WenQuanYi Zen Hei Mono"), KIOSK_ROWS_LANDSCAPE (19), KIOSK_ROWS_PORTRAIT (32),
# KIOSK_FOOT_INI (the template; default beside this script or in ../../share/kiosk).
# cage runs without -s: a resident cannot switch to another VT.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
KIOSK_BIN=${KIOSK_BIN:-/usr/local/bin/kiosk}
KIOSK_FONT=${KIOSK_FONT:-WenQuanYi Zen Hei Mono}
ROWS_L=${KIOSK_ROWS_LANDSCAPE:-19}
ROWS_P=${KIOSK_ROWS_PORTRAIT:-32}
TEMPLATE=${KIOSK_FOOT_INI:-}
# beside the script (the source tree), or in PREFIX/share/kiosk (installed in PREFIX/lib/kiosk)
for t in "$here/foot.ini" "$here/../../share/kiosk/foot.ini"; do
    [ -n "$TEMPLATE" ] || { [ -f "$t" ] && TEMPLATE=$t; }
done
[ -n "$TEMPLATE" ] || { echo "kiosk-display.sh: no foot.ini template" >&2; exit 1; }

panel_size() {
    if [ -n "${KIOSK_PANEL:-}" ]; then echo "$KIOSK_PANEL"; return; fi
    for c in /sys/class/drm/card*-*; do
        [ -r "$c/status" ] && [ "$(cat "$c/status")" = connected ] || continue
        m=$(head -n 1 "$c/modes" 2>/dev/null || true)
        [ -n "$m" ] && { echo "$m"; return; }
    done
    echo 1920x1080
}

# The font's pixel size for a panel: the row height is the panel's height over the rows
# wanted; WenQuanYi Zen Hei Mono's line in foot is about 1.35 em (measured: 62 px rows at
# pixelsize=46), so the em is the row height / 1.35.
pixelsize() {
    w=${1%x*}; h=${1#*x}
    if [ "$h" -gt "$w" ]; then rows=$ROWS_P; else rows=$ROWS_L; fi
    echo $(( h * 100 / rows / 135 ))
}

make_ini() {
    sed -e "s|@FONT@|$KIOSK_FONT|" -e "s|@PIXELSIZE@|$(pixelsize "$1")|" -e "s|@PANEL@|$1|" "$TEMPLATE"
}

case "${1:-}" in
--size)
    make_ini "$2"
    exit 0 ;;
--in-cage)
    size=$2; shift 2; [ "${1:-}" = "--" ] && shift
    ini="${XDG_RUNTIME_DIR:-/tmp}/kiosk-foot.ini"
    make_ini "$size" > "$ini"
    # The watchdog pings come from the kiosk, a grandchild of the unit's main
    # process (cage): drop WATCHDOG_PID so sd_watchdog_enabled() in the kiosk
    # accepts the interval (the unit has NotifyAccess=all).
    unset WATCHDOG_PID
    exec foot -c "$ini" "$@" ;;
esac
[ "${1:-}" = "--" ] && shift
size=$(panel_size)
[ $# -gt 0 ] || set -- "$KIOSK_BIN"
exec cage -- "$0" --in-cage "$size" -- "$@"
