#!/usr/bin/env python3
# make_golden.py — writes the golden byte files, independently of the C code.
#
# The command frames are typed in from DEVICES.md §1.2 (the published hex), not
# computed; replies and card blocks are built here from the documented layout
# (§1.4, §1.5) with Python's own XOR, so a bug in devices/sam.c cannot leak into
# its own oracle.  ESC/POS sequences are typed from DEVICES.md §2.  Re-run only
# when the protocol documentation changes:  python3 tests/devices/golden/make_golden.py
import os

D = os.path.dirname(os.path.abspath(__file__))


def w(name, data):
    with open(os.path.join(D, name), "wb") as f:
        f.write(bytes(data))


def hx(s):
    return bytes.fromhex(s.replace(" ", ""))


# ---- SAM commands, verbatim from DEVICES.md §1.2 ---------------------------
P = "AA AA AA 96 69 "
w("sam_cmd_reset.bin", hx(P + "00 03 10 FF EC"))
w("sam_cmd_status.bin", hx(P + "00 03 11 FF ED"))
w("sam_cmd_sam_id.bin", hx(P + "00 03 12 FF EE"))
w("sam_cmd_find.bin", hx(P + "00 03 20 01 22"))
w("sam_cmd_select.bin", hx(P + "00 03 20 02 21"))
w("sam_cmd_read.bin", hx(P + "00 03 30 01 32"))
w("sam_cmd_read_addr.bin", hx(P + "00 03 30 03 30"))
w("sam_cmd_read_fp.bin", hx(P + "00 03 30 10 23"))
w("sam_cmd_rf_max.bin", hx(P + "00 04 61 FF 50 CA"))

# ---- SAM replies ------------------------------------------------------------
w("sam_rep_find_ok.bin", hx(P + "00 08 00 00 9F 00 00 00 00 97"))
w("sam_rep_no_card.bin", hx(P + "00 04 00 00 80 84"))
w("sam_rep_status_ok.bin", hx(P + "00 04 00 00 90 94"))
w("sam_rep_find_badchk.bin", hx(P + "00 08 00 00 9F 00 00 00 00 98"))


def reply(sw3, data=b""):
    body = bytes([0, 0, sw3]) + data
    ln = len(body) + 1
    head = bytes([ln >> 8, ln & 255]) + body
    chk = 0
    for b in head:
        chk ^= b
    return hx(P) + head + bytes([chk])


w("sam_rep_select_ok.bin", reply(0x90, bytes(8)))
assert reply(0x90, bytes(8))[5:10] == hx("00 0C 00 00 90")


def ucs(s, n):
    b = s.encode("utf-16-le")
    assert len(b) <= n, s
    return b + " ".encode("utf-16-le") * ((n - len(b)) // 2)


def resident():
    t = (ucs("张三", 30) + ucs("1", 2) + ucs("01", 4) + ucs("19491231", 16)
         + ucs("广东省深圳市福田区福中三路市民中心", 70) + ucs("11010519491231002X", 36)
         + ucs("深圳市公安局福田分局", 30) + ucs("20200101", 16) + ucs("长期", 16) + ucs("", 36))
    assert len(t) == 256
    return t


def permit_j():
    t = (ucs("陈大文", 30) + ucs("1", 2) + ucs("", 4) + ucs("19800202", 16)
         + ucs("广东省深圳市南山区", 70) + ucs("810000198002020019", 36)
         + ucs("深圳市公安局", 30) + ucs("20210301", 16) + ucs("20260301", 16)
         + ucs("H12345678", 18) + ucs("01", 4) + ucs("", 6) + ucs("J", 2) + ucs("", 6))
    assert len(t) == 256
    return t


def foreign_i():
    t = (ucs("SMITH, JOHN", 120) + ucs("1", 2) + ucs("USA440080123456", 30) + ucs("USA", 6)
         + ucs("史密斯", 30) + ucs("20170601", 16) + ucs("20270601", 16) + ucs("19700101", 16)
         + ucs("02", 4) + ucs("1500", 8) + ucs("I", 2) + ucs("", 6))
    assert len(t) == 256
    return t


def foreign_y(part1="MARTIN ANNE MARIE ELISABETH LONGUEV", part2="ILLE"):
    # English name part 1 is filled to its full 35 characters before part 2 is used.
    assert len(part1) == 35 or not part2
    t = (ucs("马丁", 30) + ucs("2", 2) + ucs("00", 4) + ucs("19850505", 16)
         + ucs(part1, 70) + ucs("944840198505050027", 36)
         + ucs("", 30) + ucs("20230601", 16) + ucs("20330601", 16) + ucs(part2, 22)
         + ucs("FRA", 6) + ucs("Y", 2) + ucs("", 6))
    assert len(t) == 256
    return t


def foreign_y_space():
    # issue 12: character 35 of part 1 is the space between "ALE" and "ANDERSON"
    return foreign_y("BERGSTROM KARL JOHAN ERIK OLOF ALE ", "ANDERSON")


def unknown_z():
    t = bytearray(resident())
    t[248:250] = "Z".encode("utf-16-le")
    return bytes(t)


photo = bytes((i * 7) & 255 for i in range(1024))
for name, text in (("resident", resident()), ("permit_j", permit_j()),
                   ("foreign_i", foreign_i()), ("foreign_y", foreign_y()),
                   ("foreign_y_space", foreign_y_space()),
                   ("unknown_z", unknown_z())):
    w("card_%s.txt.bin" % name, text)
    w("sam_rep_read_%s.bin" % name, reply(0x90, hx("0100 0400") + text + photo))

r = reply(0x90, hx("0100 0400") + resident() + photo)
assert len(r) == 1295 and r[5:14] == hx("05 08 00 00 90 01 00 04 00")
fp = bytes(512)
w("sam_rep_read_fp_resident.bin", reply(0x90, hx("0100 0400 0200") + resident() + photo + fp))
assert len(reply(0x90, hx("0100 0400 0200") + resident() + photo + fp)) == 1809
w("sam_rep_addr.bin", reply(0x90, ucs("广东省深圳市福田区莲花街道", 70)))
w("sam_rep_addr_none.bin", reply(0x91))
# SAM id: bytes 10 and 12 → "05.01", uint32LE at 14, 18, 22.
w("sam_rep_sam_id.bin", reply(0x90, bytes([5, 0, 1, 0]) + (20150101).to_bytes(4, "little")
                             + (123456789).to_bytes(4, "little") + (42).to_bytes(4, "little")))

# ---- ESC/POS, from DEVICES.md §2 -------------------------------------------
w("escpos_init.bin", hx("1B 40"))
w("escpos_align_center.bin", hx("1B 61 01"))
w("escpos_size_2x2.bin", hx("1D 21 11"))
w("escpos_chinese_on.bin", hx("1C 26"))
w("escpos_chinese_off.bin", hx("1C 2E"))
w("escpos_cut_partial.bin", hx("1D 56 01"))
w("escpos_feed_4.bin", hx("1B 64 04"))
w("escpos_status_4.bin", hx("10 04 04"))
# "张三 A€" in GB18030 (D5C5 C8FD, A2E3), an emoji (4-byte in GB18030) → A3BF.
w("escpos_text_zh.bin", hx("D5C5 C8FD 20 41 A2E3 A3BF"))
data = b"https://x.cn/q?r=AB&c=CD"
n = len(data) + 3
w("escpos_qr.bin", hx("1D 28 6B 04 00 31 41 32 00") + hx("1D 28 6B 03 00 31 43 06")
  + hx("1D 28 6B 03 00 31 45 31") + bytes([0x1D, 0x28, 0x6B, n & 255, n >> 8, 0x31, 0x50, 0x30])
  + data + hx("1D 28 6B 03 00 31 51 30"))
# A 16×300 raster (2 bytes per row, 300 rows) in stripes of 256 + 44 rows.
img = bytes((y * 2 + x) & 255 for y in range(300) for x in range(2))
w("escpos_raster_in.bin", img)
w("escpos_raster.bin", hx("1D 76 30 00 02 00 00 01") + img[:512] + hx("1D 76 30 00 02 00 2C 00")
  + img[512:])
