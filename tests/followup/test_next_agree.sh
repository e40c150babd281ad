#!/bin/sh
# tests/followup/test_next_agree.sh — issue 10 "done when": for each queue status and each
# bed stage in the demo data, the kiosk screen (the real kiosk in a real terminal), the
# spoken text (--speech-dir, headphone mode), the receipt (the ESC/POS the kiosk sends
# to the simulated printer) and the follow-up page (HTTP) give the same next steps and
# contact; a clerk's resident-facing reason — recorded with kioskctl, as the console
# records it — and an offer's deadline, place and contact reach all four.
#
# The statuses are made the way staff make them: `kioskctl entry offer|accept|refuse|
# freeze|withdraw|remove` on demo households' first entries, and `kioskctl bed advance
# --to rejected` by a street-office account; the other bed stages are the demo's own.
# Per case: the page's next-step lines (<dt>label</dt><dd>text</dd>) are the reference;
# each "label：text" must be on the screen and in the speech (through the speech
# lexicon, tests/followup/ns_drive lex), and the receipt must print the status meaning,
# the step and a contact whose every part is in the page's contact line.  Every case in
# Chinese and in English (the kiosk's --lang, the page's &lang=en).  TAP.
set -u
. "$(dirname "$0")/lib.sh"
SRV=${FOLLOWUP_BIN:-$B/kiosk-followup}
KIOSK=${KIOSK_BIN:-$B/asan/kiosk}
DRIVE=$B/tests/followup/ns_drive
K=$B/kioskctl
T=$(mktemp -d /tmp/kiosk-fu-agree-XXXXXX)
trap 'stop_server; [ -n "${KEEP_T:-}" ] || rm -rf "$T"' EXIT
DB=$T/k.db
"$K" --db "$DB" demo --households 300 --seed 1 >"$T/demo.txt" 2>&1 || { echo "1..1"; nok "demo database"; exit 1; }
printf '[kiosk]\nfollowup_url = https://lh.sz.gov.cn/q\nkiosk_id = NS-AGREE-01\n[speech]\nprivate = yes\n' >"$T/k.conf"
printf 'good-password-1\n' | "$K" --db "$DB" user add s1 --roles street --password-stdin >/dev/null 2>&1
PORT=$(free_port)
start_server "$SRV" "$DB" "$T/k.conf" "$PORT" "$T/server.log" || { echo "1..1"; nok "server starts: $(cat "$T/server.log")"; exit 1; }

python3 - "$T" "$K" "$DRIVE" "$KIOSK" "$DB" "$T/k.conf" "$PORT" <<'PY'
import html, json, os, re, subprocess, sys, urllib.request
T, K, DRIVE, KIOSK, DB, CONF, PORT = sys.argv[1:8]
n = 0
def ok(cond, desc):
    global n
    n += 1
    print(("ok" if cond else "not ok") + f" {n} - {desc}", flush=True)
    return cond
def run(*args, stdin=None):
    return subprocess.run(list(args), input=stdin, capture_output=True, text=True)
def ctl(*args, stdin=None):
    return run(K, "--db", DB, "--config", CONF, *args, stdin=stdin)
def resident(i):
    return run(DRIVE, "resident", "1", str(i)).stdout.split()
def position(idn):
    return json.loads(ctl("position", "--id", idn, "--json").stdout)
def norm(s):
    return re.sub(r"\s+", "", s)

# ---- the receipt: ESC/POS as the printer gets it, back to text -------------------
def escpos_text(data):
    out, i = bytearray(), 0
    skip2 = {0x40, 0x32}
    while i < len(data):
        b = data[i]
        if b == 0x1B:
            i += 2 if data[i + 1] in skip2 else 3
        elif b == 0x1C:
            i += 3 if data[i + 1] == 0x21 else 2
        elif b == 0x1D:
            c = data[i + 1]
            if c == 0x76:                       # GS v 0 m xL xH yL yH: a raster image
                xl, xh, yl, yh = data[i + 4:i + 8]
                i += 8 + (xl + 256 * xh) * (yl + 256 * yh)
            elif c == 0x28:                     # GS ( k pL pH …: the printer's QR
                i += 5 + data[i + 3] + 256 * data[i + 4]
            elif c == 0x56:
                i += 4 if data[i + 2] in (65, 66) else 3
            else:
                i += 3
        elif b == 0x0A:
            out += b"\n"
            i += 1
        elif b < 0x20:
            i += 1
        else:
            out.append(b)
            i += 1
    return out.decode("gb18030", errors="replace")

# ---- the page: its next-step lines -------------------------------------------------
def page_lines(ref, lang, program_zh=None):
    url = ctl("receipt", "url", ref).stdout.strip().replace("https://lh.sz.gov.cn", f"http://127.0.0.1:{PORT}")
    if lang == "en":
        url += "&lang=en"
    with urllib.request.urlopen(url) as r:
        body = r.read().decode()
    secs = re.split(r'<section class="(?:queue|bed)">', body)[1:]
    if program_zh:
        secs = [s for s in secs if re.search(f"<h2>({re.escape(html.escape(program_zh[0]))}|"
                                             f"{re.escape(html.escape(program_zh[1]))})</h2>", s)] or secs
    sec = secs[0] if secs else ""
    return [(html.unescape(a), html.unescape(b)) for a, b in
            re.findall(r"<dt>(.*?)</dt>\s*<dd(?: class=\"\w+\")?>(.*?)</dd>", sec, re.S)]

# ---- the cases -----------------------------------------------------------------
cases = []   # (name, household, item, ref, program_zh, must (strings all four show))
waiting = []
for i in range(40, 300):
    if len(waiting) >= 7:
        break
    idn, name = resident(i)
    p = position(idn)
    if p["entries"] and p["entries"][0]["status"] == "waiting" and not p["applications"]:
        waiting.append((i, idn, name, p["entries"][0]))
assert len(waiting) == 7, "not enough waiting households in the demo"
plans = [
    ("waiting", [], {}),
    ("offered", [["offer", "--reason", "flat 3-1201", "--answer-by", "2026-12-20",
                  "--place", "3栋1201室", "--contact", "李主任 0755-8888-1201"]],
     {"zh": ["2026-12-20", "3栋1201室", "李主任 0755-8888-1201"],
      "en": ["2026-12-20", "3栋1201室", "李主任 0755-8888-1201"]}),
    ("frozen", [["freeze", "--reason", "internal: file 77", "--resident-reason", "docs_missing",
                 "--resident-text", "请补交2025年收入证明"]],
     {"zh": ["申请材料不齐全，需要补交：请补交2025年收入证明"],
      "en": ["Some documents are missing and must be handed in: 请补交2025年收入证明"]}),
    ("housed", [["offer", "--reason", "x"], ["accept", "--reason", "signed"]], {}),
    ("withdrawn", [["withdraw", "--reason", "asked"]], {}),
    ("removed", [["remove", "--reason", "internal", "--resident-reason", "no_contact"]],
     {"zh": ["多次联系不上您"], "en": ["We could not reach you several times"]}),
    ("waiting after a refusal", [["offer", "--reason", "x"], ["refuse", "--reason", "too far"]],
     {"zh": ["您已拒绝 1 次"], "en": ["You have refused 1 of 2 allowed offers"]}),
]
for (label, acts, must), (i, idn, name, e) in zip(plans, waiting):
    good = True
    for a in acts:
        r = ctl("entry", a[0], "--program", e["program"], "--receipt", e["receipt_no"], *a[1:])
        good = good and r.returncode == 0
        if r.returncode:
            print(f"# kioskctl entry {' '.join(a)}: {r.stderr.strip()}")
    ok(good, f"queue {label}: kioskctl put {e['program']}/{e['receipt_no']} there")
    cases.append((f"queue {label}", idn, name, 1, e["receipt_no"], (e["program_zh"], e["program_en"]), must))

# bed stages: the demo's elders (households 0..39) have every stage; reject one by a clerk
stages = {}
for i in range(0, 40):
    idn, name = resident(i)
    p = position(idn)
    for k, a in enumerate(p["applications"]):
        item = len(p["entries"]) + k + 1
        if item <= 9:
            stages.setdefault(a["stage"], []).append((idn, name, item, a["ref"]))
sub = [c for c in stages.get("submitted", [])]
rej_must = {}
if len(sub) >= 2:
    idn, name, item, ref = sub.pop()
    r = ctl("bed", "advance", ref, "--to", "rejected", "--user", "s1", "--password-stdin",
            "--reason", "internal: income check", "--resident-reason", "income_over",
            "--resident-text", "2025年人均月收入超过标准", stdin="good-password-1\n")
    ok(r.returncode == 0, f"bed: kioskctl rejected {ref} with a reason for the resident ({r.stderr.strip()})")
    stages["rejected"] = [(idn, name, item, ref)]
    rej_must = {"zh": ["家庭收入或资产超过规定标准：2025年人均月收入超过标准"],
                "en": ["Household income or assets are above the limit: 2025年人均月收入超过标准"]}
    stages["submitted"] = sub
for st in ["submitted", "street_approved", "district_approved", "assessed", "provider_assigned",
           "built", "accepted", "in_service", "exited", "rejected", "withdrawn"]:
    if not ok(bool(stages.get(st)), f"bed {st}: an application in the demo data"):
        continue
    idn, name, item, ref = stages[st][0]
    cases.append((f"bed {st}", idn, name, item, ref, None, rej_must if st == "rejected" else {}))

# ---- each case through the four channels, in both languages ----------------------
L = {"zh": {"sep": "：", "todo": "您需要做什么", "means": "这是什么意思", "contact": "联系谁"},
     "en": {"sep": ": ", "todo": "What you need to do", "means": "What this means",
            "contact": "Who to contact"}}
for (label0, idn, name, item, ref, prog, must_by), lang in [(c, l) for c in cases for l in ("zh", "en")]:
    label, Lg, must = f"{label0} [{lang}]", L[lang], must_by.get(lang, [])
    d = os.path.join(T, re.sub(r"\W+", "_", label))
    os.makedirs(d)
    r = run(DRIVE, "drive", KIOSK, DB, CONF, d, idn, name, str(item), os.path.join(d, "out"), lang)
    if not ok(r.returncode == 0, f"{label}: the kiosk showed, said and printed it {r.stderr.strip()[:300]}"):
        continue
    screen = open(os.path.join(d, "out.screen")).read()
    speech = open(os.path.join(d, "out.speech")).read()
    receipt = escpos_text(open(os.path.join(d, "out.bin"), "rb").read())
    lines = page_lines(ref, lang, prog)
    labels = [a for a, _ in lines]
    ok(len(lines) >= 4 and Lg["todo"] in labels and Lg["means"] in labels,
       f"{label}: the page has the next steps ({len(lines)} lines: {', '.join(labels)})")
    miss = [f"{a}{Lg['sep']}{b}" for a, b in lines if norm(f"{a}{Lg['sep']}{b}") not in norm(screen)]
    ok(not miss, f"{label}: every next-step line of the page is on the kiosk screen" +
       (f"; missing: {miss}" if miss else ""))
    miss = []
    for a, b in lines:
        said = run(DRIVE, "lex", lang, f"{a}{Lg['sep']}{b}").stdout.strip().rstrip("。.")
        if norm(said) not in norm(speech):
            miss.append(said)
    ok(not miss, f"{label}: every next-step line of the page is in the spoken text" +
       (f"; missing: {miss}" if miss else ""))
    d_ = dict(lines)
    means, todo, contact = d_.get(Lg["means"], ""), d_.get(Lg["todo"], ""), d_.get(Lg["contact"], "")
    m = re.search(r"(?:联系谁|Who to contact):\n(.*?)\n(?:时间|Time):", receipt, re.S)
    rcontact = m.group(1).replace("\n", " ") if m else ""
    ok(norm(means) in norm(receipt) and norm(todo) in norm(receipt),
       f"{label}: the receipt prints what it means and what to do, as the page says")
    parts = [p.strip() for p in rcontact.split("·") if p.strip()]
    ok(parts and all(norm(p) in norm(contact) for p in parts),
       f"{label}: the receipt's contact ({rcontact}) is the page's ({contact})")
    for s in must:
        where = [w for w, text in (("screen", screen), ("speech", speech), ("receipt", receipt),
                                   ("page", " ".join(b for _, b in lines)))
                 if norm(s if w != "speech" else run(DRIVE, "lex", lang, s).stdout.strip()) not in norm(text)]
        ok(not where, f"{label}: \"{s}\" reaches the screen, the speech, the receipt and the page" +
           (f"; not in: {where}" if where else ""))
print(f"1..{n}")
PY
