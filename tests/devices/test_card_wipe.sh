#!/bin/sh
# test_card_wipe.sh — issue 11 "every buffer that held a card wiped": the real kiosk
# (build/kiosk --sim in a pseudo-terminal, a demo database) reads a demo resident's card
# from the simulated reader and shows the summary; its whole memory, read then (stopped,
# every readable mapping through /proc/PID/mem: what a core dump or a debugger sees) holds
# the ID number — the control that the search works; the card is removed, the kiosk is back
# on the attract screen, and its memory read again must hold neither the ID number nor the
# name anywhere (reader line buffers, the read buffer, event queues, session copies,
# look-up and decryption buffers).  The optimised build, as deployed: a sanitizer's shadow
# memory would make the image terabytes.  TAP.
set -u
B=${KIOSK_BUILD:-build}
n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); echo "not ok $n - $*"; }
T=$(mktemp -d /tmp/kiosk-wipe-XXXXXX)
trap 'rm -rf "$T"' EXIT
"$B/kioskctl" --db "$T/k.db" demo --households 500 --seed 6 >"$T/demo.txt" 2>&1 || {
    notok "demo database: $(cat "$T/demo.txt")"; echo "1..$n"; exit 1; }
ID=$(awk '/^  insert/ {print $2; exit}' "$T/demo.txt")
NAME=$(awk '/^  insert/ {print $3; exit}' "$T/demo.txt")
python3 - "$B/kiosk" "$T" "$ID" "$NAME" <<'PY'
import os, pty, select, signal, sys, time
kiosk, w, idn, name = sys.argv[1:5]
fifo = os.path.join(w, "cards")
os.mkfifo(fifo)
env = dict(os.environ, LANG="C.UTF-8", LC_ALL="C.UTF-8", TERM="xterm-256color")
pid, fd = pty.fork()
if pid == 0:
    os.execve(kiosk, [kiosk, "--sim", "--no-speech", "--db", os.path.join(w, "k.db"),
                      "--sim-cards", fifo], env)
n = 0
def tap(good, what):
    global n
    n += 1
    print(("ok" if good else "not ok"), n, "-", what, flush=True)
buf = b""
def wait_for(text, secs=15):
    global buf
    end = time.monotonic() + secs
    while time.monotonic() < end:
        if text.encode() in buf:
            return True
        r, _, _ = select.select([fd], [], [], 0.05)
        if r:
            try:
                buf += os.read(fd, 65536)
            except OSError:
                return False
    return False
def drain(secs):
    wait_for("\x00never", secs)
def core(tag):
    """Every readable mapping of the stopped kiosk, read through /proc/PID/mem (what a
    core dump or a debugger would see; gcore skips what the kiosk marks not-dumpable)."""
    os.kill(pid, signal.SIGSTOP)
    try:
        chunks = []
        with open("/proc/%d/maps" % pid) as maps, open("/proc/%d/mem" % pid, "rb", 0) as mem:
            for line in maps:
                f = line.split()
                lo, hi = (int(x, 16) for x in f[0].split("-"))
                if f[1][0] != "r" or (len(f) > 5 and f[5] in ("[vvar]", "[vsyscall]")):
                    continue
                try:
                    mem.seek(lo)
                    chunks.append(mem.read(hi - lo))
                except OSError:
                    pass
        return b"".join(chunks), ""
    except OSError as e:
        return None, str(e)
    finally:
        os.kill(pid, signal.SIGCONT)
def hits(data, needle):
    out, i = [], data.find(needle)
    while i >= 0 and len(out) < 5:
        out.append(hex(i)); i = data.find(needle, i + 1)
    return out
try:
    tap(wait_for("请将身份证"), "the kiosk shows the attract screen")
    with open(fifo, "w") as f:
        f.write(f"insert {idn} {name}\n")
    buf = b""
    tap(wait_for("您的轮候与申请"), "a demo resident's card is read and the summary shown")
    drain(0.5)
    data, why = core("in")
    if data is None:
        tap(False, "reading the running kiosk's memory: " + why)
    else:
        tap(hits(data, idn.encode()) != [],
            "control: with the card in, its memory holds the ID number (%d MB searched)" % (len(data) >> 20))
    with open(fifo, "w") as f:
        f.write("remove\n")
    buf = b""
    tap(wait_for("请将身份证"), "the card is removed: back on the attract screen")
    drain(1.0)
    data, why = core("out")
    if data is None:
        tap(False, "reading its memory after removal: " + why)
    else:
        h = hits(data, idn.encode())
        tap(h == [], "after removal its memory holds no ID number %s (%s)" % (idn[:4] + "…", ", ".join(h) or "none"))
        h = hits(data, name.encode())
        tap(h == [], "after removal its memory holds no name (%s)" % (", ".join(h) or "none"))
        h = hits(data, idn[6:14].encode() + idn[14:17].encode())
        tap(h == [], "…nor the ID number's birth date and sequence digits (%s)" % (", ".join(h) or "none"))
finally:
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
print("1..%d" % n)
PY
