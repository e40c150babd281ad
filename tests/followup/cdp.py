#!/usr/bin/env python3
"""tests/followup/cdp.py — open a URL in headless Chromium at a phone viewport and report
what it rendered, over the DevTools protocol (a minimal WebSocket client: the standard
library only).  Usage: cdp.py URL WIDTH HEIGHT SCREENSHOT.png
Prints one JSON object: {"scrollWidth", "clientWidth", "innerWidth", "text"}; exit 1 when
Chromium does not start or the page does not load."""
import base64, json, os, shutil, socket, struct, subprocess, sys, tempfile, time, urllib.request

url, width, height, shot = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
prof = tempfile.mkdtemp(prefix="kiosk-cdp-")
chrome = subprocess.Popen(
    ["chromium", "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
     "--disable-background-networking", "--disable-component-update", "--disable-sync",
     "--hide-scrollbars", "--remote-debugging-port=0", f"--user-data-dir={prof}",
     f"--window-size={width},{height}", "about:blank"],
    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

def finish(code):
    chrome.kill()
    chrome.wait()
    shutil.rmtree(prof, ignore_errors=True)
    sys.exit(code)

port_file = os.path.join(prof, "DevToolsActivePort")
for _ in range(300):
    if os.path.exists(port_file) and open(port_file).read().count("\n") >= 1:
        break
    time.sleep(0.05)
else:
    print("chromium did not start (no DevToolsActivePort)", file=sys.stderr)
    finish(1)
port = int(open(port_file).read().split()[0])
pages = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list"))
ws_url = [p for p in pages if p["type"] == "page"][0]["webSocketDebuggerUrl"]
path = ws_url.split(str(port), 1)[1]

sock = socket.create_connection(("127.0.0.1", port))
key = base64.b64encode(os.urandom(16)).decode()
sock.sendall((f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
              f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
              "Sec-WebSocket-Version: 13\r\n\r\n").encode())
resp = b""
while b"\r\n\r\n" not in resp:
    resp += sock.recv(4096)
rest = resp.split(b"\r\n\r\n", 1)[1]

def recv_exact(n):
    global rest
    while len(rest) < n:
        chunk = sock.recv(65536)
        if not chunk:
            raise EOFError
        rest += chunk
    out, rest = rest[:n], rest[n:]
    return out

def send(obj):
    data = json.dumps(obj).encode()
    hdr = bytes([0x81])
    n = len(data)
    hdr += bytes([0x80 | n]) if n < 126 else (bytes([0x80 | 126]) + struct.pack(">H", n)
                                              if n < 65536 else bytes([0x80 | 127]) + struct.pack(">Q", n))
    mask = os.urandom(4)
    sock.sendall(hdr + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))

def recv():
    msg = b""
    while True:
        b0, b1 = recv_exact(2)
        n = b1 & 0x7f
        if n == 126:
            n = struct.unpack(">H", recv_exact(2))[0]
        elif n == 127:
            n = struct.unpack(">Q", recv_exact(8))[0]
        msg += recv_exact(n)
        if b0 & 0x80:
            return json.loads(msg)

next_id = [0]
events = []
def call(method, **params):
    next_id[0] += 1
    send({"id": next_id[0], "method": method, "params": params})
    while True:
        m = recv()
        if m.get("id") == next_id[0]:
            if "error" in m:
                print(f"{method}: {m['error']}", file=sys.stderr)
                finish(1)
            return m["result"]
        events.append(m)

call("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=2,
     mobile=True)
call("Page.enable")
call("Page.navigate", url=url)
deadline = time.monotonic() + 20
while not any(e.get("method") == "Page.loadEventFired" for e in events):
    if time.monotonic() > deadline:
        print("the page did not load", file=sys.stderr)
        finish(1)
    events.append(recv())
expr = ("JSON.stringify({scrollWidth: document.documentElement.scrollWidth, "
        "clientWidth: document.documentElement.clientWidth, innerWidth: innerWidth, "
        "text: document.body.innerText})")
r = call("Runtime.evaluate", expression=expr, returnByValue=True)
png = call("Page.captureScreenshot", format="png")
open(shot, "wb").write(base64.b64decode(png["data"]))
print(r["result"]["value"])
finish(0)
