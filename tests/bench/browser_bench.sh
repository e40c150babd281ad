#!/bin/sh
# browser_bench.sh — PERF.md's last row: what a user would pick instead, a browser kiosk.
# Headless Chromium renders the same summary page (made from `kioskctl position --json`
# for the same resident) to a screenshot; the kiosk starts in a pseudo-terminal, reaches the
# attract screen, takes a simulated card and draws the summary.  Both are measured in this
# run, 5 times each (medians): wall time from start to the first full screen, and the
# resident set of the largest process (sampled from /proc every 10 ms).
# Prints: name value reference ratio target PASS|FAIL.  Chromium is installed on demand.
set -u
B=${KIOSK_BUILD:-build}
if ! command -v chromium >/dev/null 2>&1; then
    echo "browser_bench: installing chromium (Debian package) for the comparison" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1 ||
        { echo "browser_bench: chromium could not be installed; no comparison"; exit 1; }
fi
W=$(mktemp -d /tmp/kiosk-browser-XXXXXX)
trap 'rm -rf "$W"' EXIT
"$B/kioskctl" --db "$W/k.db" demo --households 10000 --seed 1 > "$W/demo.txt" 2>&1 || exit 1
ID=$(awk '/^  insert/ {print $2; exit}' "$W/demo.txt")
NAME=$(awk '/^  insert/ {print $3; exit}' "$W/demo.txt")
"$B/kioskctl" --db "$W/k.db" position --id "$ID" --json > "$W/pos.json"
python3 - "$W" "$B/kiosk" "$ID" "$NAME" <<'PY'
import html, json, os, pty, select, signal, statistics, subprocess, sys, time
w, kiosk, idn, name = sys.argv[1:5]
d = json.load(open(os.path.join(w, "pos.json")))

# the same summary as a web page
rows = "".join(
    f"<li><b>{html.escape(e['program_zh'])}</b> · {html.escape(e['status'])} · "
    f"第 {e['position']} 位，共 {e['total']} 位</li>" if e["position"] else
    f"<li><b>{html.escape(e['program_zh'])}</b> · {html.escape(e['status'])}</li>"
    for e in d["entries"])
apps = "".join(f"<li>家庭养老床位申请 {html.escape(a['ref'])} · {html.escape(a['stage'])}</li>"
               for a in d["applications"])
e0 = d["entries"][0]
page = os.path.join(w, "summary.html")
open(page, "w").write(
    "<!doctype html><meta charset=utf-8><title>您的轮候与申请</title>"
    "<style>body{background:#000;color:#fff;font:24px sans-serif}</style>"
    f"<h1>您的轮候与申请</h1><p>持卡人：{html.escape(e0['name'])} {html.escape(e0['id'])}</p>"
    f"<ul>{rows}{apps}</ul>")

def tree(pid):
    kids, out = {}, [pid]
    for p in os.listdir("/proc"):
        if p.isdigit():
            try:
                pp = int(open(f"/proc/{p}/stat").read().rsplit(")", 1)[1].split()[1])
                kids.setdefault(pp, []).append(int(p))
            except (OSError, IndexError, ValueError):
                pass
    i = 0
    while i < len(out):
        out += kids.get(out[i], [])
        i += 1
    return out

def rss_kib(pid):
    try:
        for l in open(f"/proc/{pid}/status"):
            if l.startswith("VmRSS:"):
                return int(l.split()[1])
    except OSError:
        pass
    return 0

def chromium_once(i):
    shot = os.path.join(w, f"shot{i}.png")
    t0 = time.monotonic()
    p = subprocess.Popen(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                          "--no-first-run", "--disable-background-networking",
                          "--disable-component-update", "--disable-sync",
                          f"--user-data-dir={w}/profile{i}", "--window-size=800,600",
                          f"--screenshot={shot}", "file://" + page],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    while p.poll() is None:
        for q in tree(p.pid):
            peak = max(peak, rss_kib(q))
        time.sleep(0.01)
    wall = time.monotonic() - t0
    if not os.path.exists(shot):
        sys.exit("chromium made no screenshot")
    return wall, peak

def kiosk_once(i):
    fifo = os.path.join(w, f"cards{i}")
    os.mkfifo(fifo)
    os.makedirs(os.path.join(w, f"print{i}"), exist_ok=True)
    env = dict(os.environ, LANG="C.UTF-8", LC_ALL="C.UTF-8", TERM="xterm-256color",
               COLUMNS="80", LINES="24")
    t0 = time.monotonic()
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(kiosk, [kiosk, "--sim", "--db", os.path.join(w, "k.db"), "--sim-cards", fifo,
                          "--sim-print-dir", os.path.join(w, f"print{i}")], env)
    buf, peak, t_attract, t_summary = b"", 0, None, None
    card_sent = False
    while time.monotonic() - t0 < 10:
        r, _, _ = select.select([fd], [], [], 0.01)
        if r:
            try:
                buf += os.read(fd, 65536)
            except OSError:
                break
        peak = max(peak, rss_kib(pid))
        if t_attract is None and "请将身份证".encode() in buf:
            t_attract = time.monotonic() - t0
        if t_attract is not None and not card_sent:
            with open(fifo, "w") as f:
                f.write(f"insert {idn} {name}\n")
            card_sent, buf = True, b""
        if card_sent and "您的轮候与申请".encode() in buf:
            t_summary = time.monotonic() - t0
            for _ in range(5):
                peak = max(peak, rss_kib(pid))
                time.sleep(0.01)
            break
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    if t_attract is None or t_summary is None:
        sys.exit("the kiosk did not show the attract and summary screens")
    return t_attract, t_summary, peak

ch = [chromium_once(i) for i in range(5)]
ki = [kiosk_once(i) for i in range(5)]
c_wall = statistics.median(c[0] for c in ch); c_rss = statistics.median(c[1] for c in ch) / 1024
k_att = statistics.median(k[0] for k in ki); k_sum = statistics.median(k[1] for k in ki)
k_rss = statistics.median(k[2] for k in ki) / 1024
def line(name, value, unit, ref, ok, target):
    print(f"{name:<34} {value:10.3f} {unit:<3} ref {ref:10.3f} {unit:<3} ratio {ref / value if value else 0:8.1f}x  target {target}  {'PASS' if ok else 'FAIL'}")
line("kiosk start->summary vs chromium", k_sum, "s", c_wall, c_wall >= 10 * k_sum, ">=10x faster")
line("kiosk peak RSS vs chromium's", k_rss, "MiB", c_rss, c_rss >= 10 * k_rss, ">=10x less")
print(f"{'kiosk start->attract (pty)':<34} {k_att * 1000:10.1f} ms  (card->summary included above: {(k_sum - k_att) * 1000:.1f} ms, pty + sampling overhead)")
PY
