#!/bin/sh
# tests/screen/shots.sh — screenshots of the resident kiosk as a resident sees it: sway
# (headless wlroots, pixman renderer) at a panel resolution, foot with the ini that
# install/display/kiosk-display.sh makes for that resolution, the real kiosk in it
# (--sim, a demo database), and grim.  cage 0.1.4 cannot set a headless output's size
# (it is always 1280×720 there), so sway stands in for it; the terminal set-up is the same.
#
#   tests/screen/shots.sh OUTDIR [WxH…]     (default: 1920x1080 1280x720 1366x768 1080x1920)
# Needs: sway foot grim fonts-wqy-zenhei (install/deps.sh shots), a non-root user to run
# the compositor as ($SHOT_USER, default "nobody" — sway refuses root), build/kiosk.
# Per size it writes OUTDIR/WxH-attract.png and OUTDIR/WxH-queue.png (a demo card read,
# its first queue entry opened) and prints the foot grid and font pixel size.
set -eu
out=${1:?usage: shots.sh OUTDIR [WxH...]}; shift
[ $# -gt 0 ] || set -- 1920x1080 1280x720 1366x768 1080x1920
root=$(cd "$(dirname "$0")/../.." && pwd)
b=${KIOSK_BUILD:-$root/build}
user=${SHOT_USER:-nobody}
work=$(mktemp -d /tmp/kiosk-shots.XXXXXX)
chmod 755 "$work"
mkdir -p "$out"
cp "$b/kiosk" "$work/kiosk"; cp -r "$b/locale" "$work/locale"
"$b/kioskctl" --db "$work/demo.db" demo --households 300 --seed 1 >/dev/null
id=$("$b/kioskctl" --db "$work/demo.db" demo --list 2>/dev/null | awk 'NR==1{print $1}' || true)
chown -R "$user" "$work" 2>/dev/null || chmod -R a+rwX "$work"
for size in "$@"; do
    w=${size%x*}; h=${size#*x}
    rt="$work/rt-$size"; mkdir -m 700 "$rt"; chown "$user" "$rt" 2>/dev/null || true
    "$root/install/display/kiosk-display.sh" --size "$size" > "$work/foot-$size.ini"
    mkfifo "$work/cards-$size"; chmod 666 "$work/cards-$size"
    cat > "$work/sway-$size.conf" <<CONF
output HEADLESS-1 mode --custom ${w}x${h} position 0 0
default_border none
exec foot -c $work/foot-$size.ini $work/kiosk --sim --db $work/demo.db --sim-cards $work/cards-$size --sim-print-dir $work --lang zh
CONF
    su "$user" -s /bin/sh -c "cd $work && XDG_RUNTIME_DIR=$rt WLR_BACKENDS=headless \
        WLR_LIBINPUT_NO_DEVICES=1 WLR_RENDERER=pixman sway -c $work/sway-$size.conf \
        >$work/sway-$size.log 2>&1 &"
    for i in $(seq 100); do [ -e "$rt/wayland-1" ] || [ -e "$rt/wayland-0" ] && break; sleep 0.1; done
    disp=$(cd "$rt" && ls -d wayland-? 2>/dev/null | head -n 1)
    sleep 3
    su "$user" -s /bin/sh -c "XDG_RUNTIME_DIR=$rt WAYLAND_DISPLAY=$disp grim $work/a.png" &&
        cp "$work/a.png" "$out/$size-attract.png"
    printf '%s\n' "${SHOT_CARD:-insert 440303195303220001 韩华红}" > "$work/cards-$size"
    sleep 2
    su "$user" -s /bin/sh -c "XDG_RUNTIME_DIR=$rt WAYLAND_DISPLAY=$disp grim $work/b.png" &&
        cp "$work/b.png" "$out/$size-summary.png"
    su "$user" -s /bin/sh -c "XDG_RUNTIME_DIR=$rt SWAYSOCK=\$(ls $rt/sway-ipc.*.sock) swaymsg exit" >/dev/null 2>&1 || true
    sleep 1
    echo "$size: $(grep font= "$work/foot-$size.ini")"
done
rm -rf "$work"
