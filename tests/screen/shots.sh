#!/bin/sh
# tests/screen/shots.sh — the resident kiosk as a resident sees it, at real panel sizes,
# checked from the pictures (TAP; part of `make check`).
#
# Per panel size: sway (headless wlroots, pixman renderer) at that resolution, foot with
# the ini that install/display/kiosk-display.sh makes for it, the real kiosk (--sim, a
# demo database) in foot under script(1) (so what it drew is kept as a typescript), and
# grim for the pictures: the attract screen, then a demo card's summary.  cage 0.1.4
# cannot set a headless output's size (always 1280×720), so sway stands in for it; the
# terminal set-up is the one install/display ships.
#
# What is asserted, per size: each picture is not blank (lit pixels, colours) and has
# the kiosk's frame (the yellow title bar, the white status line); the card was read
# (the summary's title was drawn); the grid foot chose is at least 40×16 and the kiosk
# never drew "请放大窗口" (please enlarge); the title bar in the PNG is one grid row high
# (pitch = panel height / rows), and the CJK ink of the title and of the body text,
# measured in the PNG (tests/screen/shot_measure.c), is at least 40 px on a 1080-pixel
# panel side (1920×1080 and 1080×1920) and as large in proportion on the smaller panels.
#
#   tests/screen/shots.sh [OUTDIR [WxH…]]   (default OUTDIR $KIOSK_BUILD/test-logs/shots;
#                                           sizes 1920x1080 1280x720 1366x768 1080x1920)
# Keeps OUTDIR/WxH-attract.png, WxH-summary.png and measures.txt as artefacts.
# Needs sway foot grim fonts-wqy-zenhei (install/deps.sh check), build/kiosk,
# build/kioskctl, build/tests/screen/shot_measure.  As root the compositor runs as
# $SHOT_USER (default "nobody": sway refuses root); otherwise as the caller.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
b=${KIOSK_BUILD:-build}
case "$b" in /*) ;; *) b="$root/$b" ;; esac
out=${1:-$b/test-logs/shots}
[ $# -gt 0 ] && shift
[ $# -gt 0 ] || set -- 1920x1080 1280x720 1366x768 1080x1920
CHECKS=5
echo "1..$(($# * CHECKS))"
for tool in sway foot grim script; do
    command -v $tool >/dev/null 2>&1 || { echo "Bail out! $tool is not installed (install/deps.sh check)"; exit 1; }
done
fc-list 2>/dev/null | grep -q "WenQuanYi Zen Hei" ||
    { echo "Bail out! the kiosk font (fonts-wqy-zenhei) is not installed (install/deps.sh check)"; exit 1; }
measure="$b/tests/screen/shot_measure"
for f in "$b/kiosk" "$b/kioskctl" "$measure"; do
    [ -x "$f" ] || { echo "Bail out! $f is not built"; exit 1; }
done

user=$(id -un)
as_user() { sh -c "$1"; }
if [ "$(id -u)" -eq 0 ]; then
    user=${SHOT_USER:-nobody}
    as_user() { su "$user" -s /bin/sh -c "$1"; }
fi
work=$(mktemp -d /tmp/kiosk-shots.XXXXXX)
chmod 755 "$work"
mkdir -p "$out"
: > "$out/measures.txt"
cp "$b/kiosk" "$work/kiosk"
cp -r "$b/locale" "$work/locale"
"$b/kioskctl" --db "$work/demo.db" demo --households 300 --seed 1 >/dev/null ||
    { echo "Bail out! kioskctl demo failed"; exit 1; }
chown -R "$user" "$work" 2>/dev/null || chmod -R a+rwX "$work"
n=0
say() { # ok|not ok, description
    n=$((n + 1)); echo "$1 $n - $2"
}
check() { # condition-exit-status description
    if [ "$1" -eq 0 ]; then say ok "$2"; else say "not ok" "$2"; fi
}
# until FILE (a typescript) holds TEXT, up to 15 s
wait_text() {
    i=0
    while [ $i -lt 150 ]; do
        grep -q "$2" "$1" 2>/dev/null && return 0
        sleep 0.1; i=$((i + 1))
    done
    return 1
}
# NAME=VALUE from a measure line
val() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
# a picture with the kiosk's frame that is not blank
framed() {
    [ "$(val "$1" lit)" -ge 20 ] && [ "$(val "$1" colours)" -ge 4 ] &&
        [ "$(val "$1" title_rows)" -gt 0 ] && [ "$(val "$1" status_rows)" -gt 0 ]
}
sway_pid=""
cleanup() {
    [ -n "$sway_pid" ] && kill "$sway_pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

for size in "$@"; do
    w=${size%x*}; h=${size#*x}
    rt="$work/rt-$size"; mkdir -m 700 "$rt"; chown "$user" "$rt" 2>/dev/null || true
    "$root/install/display/kiosk-display.sh" --size "$size" > "$work/foot-$size.ini"
    mkfifo "$work/cards-$size"; chmod 666 "$work/cards-$size"
    ts="$work/ts-$size"
    cat > "$work/inner-$size.sh" <<INNER
#!/bin/sh
tty > $work/tty-$size
exec $work/kiosk --sim --db $work/demo.db --sim-cards $work/cards-$size --sim-print-dir $work --lang zh --no-speech
INNER
    chmod 755 "$work/inner-$size.sh"
    cat > "$work/sway-$size.conf" <<CONF
output HEADLESS-1 mode --custom ${w}x${h} position 0 0
default_border none
exec foot -c $work/foot-$size.ini script -qfc $work/inner-$size.sh $ts
CONF
    chown "$user" "$work"/*-"$size"* 2>/dev/null || true
    as_user "cd $work && XDG_RUNTIME_DIR=$rt WLR_BACKENDS=headless WLR_LIBINPUT_NO_DEVICES=1 \
        WLR_RENDERER=pixman sway -c $work/sway-$size.conf >$work/sway-$size.log 2>&1 & echo \$! > $work/sway-$size.pid"
    sway_pid=$(cat "$work/sway-$size.pid")
    disp=""
    for i in $(seq 100); do
        disp=$(cd "$rt" && ls -d wayland-? 2>/dev/null | head -n 1)
        [ -n "$disp" ] && break
        sleep 0.1
    done
    shot() { # NAME: settle, then grim
        sleep 0.4
        as_user "XDG_RUNTIME_DIR=$rt WAYLAND_DISPLAY=$disp grim $work/$1.png" 2>>"$work/sway-$size.log" &&
            cp "$work/$1.png" "$out/$size-$1.png"
    }
    a="" s=""
    if wait_text "$ts" "请将身份证" && shot attract; then
        a=$("$measure" "$out/$size-attract.png")
    fi
    printf '%s\n' "insert 440303195303220001 韩华红" > "$work/cards-$size"
    carded=1
    wait_text "$ts" "您的轮候与申请" && carded=0
    [ $carded -eq 0 ] && shot summary && s=$("$measure" "$out/$size-summary.png")
    # the grid now (the kiosk's terminal, inside script(1)), not the one it started in
    grid=$(stty -F "$(cat "$work/tty-$size" 2>/dev/null)" size 2>/dev/null)
    rows=${grid% *}; cols=${grid#* }
    echo "$size grid=${cols}x${rows} $(grep font= "$work/foot-$size.ini") attract: $a" >> "$out/measures.txt"
    echo "$size grid=${cols}x${rows} summary: $s" >> "$out/measures.txt"

    [ -n "$a" ] && framed "$a"
    check $? "$size attract: the picture is not blank and shows the kiosk's frame ($a)"
    [ $carded -eq 0 ] && [ -n "$s" ] && framed "$s"
    check $? "$size summary: a card was read, the picture shows the summary in the kiosk's frame"
    [ -n "$grid" ] && [ "${rows:-0}" -ge 16 ] && [ "${cols:-0}" -ge 40 ] && ! grep -q "请放大窗口" "$ts"
    check $? "$size: foot's grid is ${cols}x${rows} (≥ 40×16) and no screen said 请放大窗口"
    pitch=$(val "$s" title_rows)
    # foot fits whole rows and centres them (pad=0x0 center): rows = height / pitch
    [ -n "$pitch" ] && [ "$pitch" -gt 0 ] && [ "${rows:-0}" -gt 0 ] && [ $((h / pitch)) -eq "$rows" ]
    check $? "$size: the title bar in the PNG is one grid row: $h px / ${pitch:-?} px = ${rows:-?} rows"
    # 40 px on a 1080-pixel short side, in proportion on smaller panels (1 px of rounding)
    short=$h; [ "$w" -lt "$h" ] && short=$w
    need=$(((40 * short + 1079) / 1080 - 1))
    [ "$short" -ge 1080 ] && need=40
    ti=$(val "$s" title_ink); bi=$(val "$s" body_ink)
    [ -n "$ti" ] && [ -n "$bi" ] && [ "$ti" -ge "$need" ] && [ "$bi" -ge "$need" ]
    check $? "$size: CJK ink measured in the PNG: title ${ti:-?} px, body text ${bi:-?} px (≥ $need)"

    as_user "XDG_RUNTIME_DIR=$rt SWAYSOCK=\$(ls $rt/sway-ipc.*.sock 2>/dev/null | head -n 1) swaymsg exit" \
        >/dev/null 2>&1
    for i in $(seq 30); do kill -0 "$sway_pid" 2>/dev/null || break; sleep 0.1; done
    kill "$sway_pid" 2>/dev/null
    sway_pid=""
done
