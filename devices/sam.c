/* sam.c — SAM frames, status codes and card text blocks (see sam.h). */
#include "sam.h"

#include <stdio.h>
#include <string.h>

#include "kiosk/err.h"

static const uint8_t preamble[SAM_PREAMBLE_LEN] = {0xAA, 0xAA, 0xAA, 0x96, 0x69};

size_t sam_encode(uint16_t cmd, const uint8_t *data, size_t n, uint8_t *out, size_t cap)
{
    size_t len = 2 + n + 1;                 /* CMD PARA DATA… CHK */
    size_t total = SAM_HEADER_LEN + len;
    if (n > SAM_MAX_FRAME || total > cap)
        return 0;
    memcpy(out, preamble, sizeof preamble);
    out[5] = (uint8_t)(len >> 8);
    out[6] = (uint8_t)len;
    out[7] = (uint8_t)(cmd >> 8);
    out[8] = (uint8_t)cmd;
    if (n)
        memcpy(out + 9, data, n);
    uint8_t chk = 0;
    for (size_t i = SAM_PREAMBLE_LEN; i < total - 1; i++)   /* Len bytes included */
        chk ^= out[i];
    out[total - 1] = chk;
    return total;
}

int sam_frame_total(const uint8_t *hdr, size_t n, size_t *total)
{
    if (n < SAM_HEADER_LEN)
        return kerr(KERR_INPUT, "SAM reply shorter than its 7-byte header (%zu bytes)", n);
    if (memcmp(hdr, preamble, sizeof preamble) != 0)
        return kerr(KERR_INPUT, "SAM reply does not start with AA AA AA 96 69");
    size_t len = (size_t)hdr[5] << 8 | hdr[6];
    /* SW1 SW2 SW3 CHK at least; longer than any real reply means garbage. */
    if (len < 4 || SAM_HEADER_LEN + len > SAM_MAX_FRAME)
        return kerr(KERR_INPUT, "SAM reply length %zu is impossible", len);
    *total = SAM_HEADER_LEN + len;
    return 0;
}

int sam_decode(const uint8_t *frame, size_t n, struct sam_reply *r)
{
    size_t total;
    int rc = sam_frame_total(frame, n, &total);
    if (rc)
        return rc;
    if (n != total)
        return kerr(KERR_INPUT, "SAM reply is %zu bytes but its length field says %zu", n, total);
    uint8_t chk = 0;
    for (size_t i = SAM_PREAMBLE_LEN; i < total - 1; i++)
        chk ^= frame[i];
    if (chk != frame[total - 1])
        return kerr(KERR_INPUT, "SAM reply checksum is 0x%02X, expected 0x%02X",
                    frame[total - 1], chk);
    r->sw1 = frame[7];
    r->sw2 = frame[8];
    r->sw3 = frame[9];
    r->data = frame + 10;
    r->data_len = total - 11;
    return 0;
}

struct sw3_text {
    uint8_t code;
    const char *msg;
};

/* DEVICES.md §1.3, worded for an administrator reading a log line. */
static const struct sw3_text sw3_table[] = {
    {0x90, "success"},
    {0x9F, "card found"},
    {0x91, "the card has no content for this item (e.g. no new address)"},
    {0x10, "the SAM got a frame with a bad checksum"},
    {0x11, "the SAM got a frame with a bad length"},
    {0x21, "the SAM rejected the command (bad value or combination)"},
    {0x23, "the SAM refused an unauthorised operation"},
    {0x24, "the SAM reported an unrecognised error"},
    {0x31, "card-to-SAM authentication failed (not a genuine card?)"},
    {0x32, "SAM-to-card authentication failed"},
    {0x33, "the card's information failed verification"},
    {0x40, "unknown or wrong card type"},
    {0x41, "reading the card failed (hold it still on the reader)"},
    {0x47, "the SAM could not get a random number from the card"},
    {0x60, "the SAM failed its self-test and accepts no commands"},
    {0x66, "the SAM is not authorised"},
    {0x80, "no card on the reader"},
    {0x81, "selecting the card failed"},
};

const char *sam_sw3_message(uint8_t sw3)
{
    static _Thread_local char unknown[40];
    for (size_t i = 0; i < sizeof sw3_table / sizeof sw3_table[0]; i++)
        if (sw3_table[i].code == sw3)
            return sw3_table[i].msg;
    snprintf(unknown, sizeof unknown, "unknown SAM status 0x%02X", sw3);
    return unknown;
}

bool sam_sw3_success(uint8_t sw3) { return sw3 == SAM_SW3_OK || sw3 == SAM_SW3_FIND_OK; }

/* The refusals any command can get (DEVICES.md §1.3): frame errors, bad
 * commands, authentication and card failures, a broken SAM. */
static bool generic_refusal(uint8_t sw3)
{
    static const uint8_t codes[] = {0x10, 0x11, 0x21, 0x23, 0x24, 0x31, 0x32,
                                    0x33, 0x40, 0x41, 0x47, 0x60, 0x66};
    for (size_t i = 0; i < sizeof codes; i++)
        if (codes[i] == sw3)
            return true;
    return false;
}

bool sam_reply_expected(uint16_t cmd, const struct sam_reply *r)
{
    if (generic_refusal(r->sw3))
        return true;
    size_t n = r->data_len;
    switch (cmd) {
    case SAM_CMD_FIND:
        return (r->sw3 == SAM_SW3_FIND_OK && n == 4) || (r->sw3 == SAM_SW3_NO_CARD && n == 0);
    case SAM_CMD_SELECT:
        return (r->sw3 == SAM_SW3_OK && n == 8) || (r->sw3 == SAM_SW3_SELECT_FAILED && n == 0);
    case SAM_CMD_READ:
        return r->sw3 == SAM_SW3_OK && n == 4 + SAM_TEXT_LEN + SAM_PHOTO_LEN;
    case SAM_CMD_READ_FP:   /* 0, 512 or 1024 fingerprint bytes */
        return r->sw3 == SAM_SW3_OK && n >= 6 + SAM_TEXT_LEN + SAM_PHOTO_LEN &&
               (n - 6 - SAM_TEXT_LEN - SAM_PHOTO_LEN) % 512 == 0;
    case SAM_CMD_READ_ADDR:
        return (r->sw3 == SAM_SW3_OK && n == 70) || (r->sw3 == SAM_SW3_NO_CONTENT && n == 0);
    case SAM_CMD_SAM_ID:
        return r->sw3 == SAM_SW3_OK && n >= 16 && n <= 64;
    case SAM_CMD_STATUS:
    case SAM_CMD_RESET:
        return r->sw3 == SAM_SW3_OK && n == 0;
    default:                /* baud, RF frame size: a bare 90 */
        return r->sw3 == SAM_SW3_OK;
    }
}

static size_t put_utf8(char *out, size_t cap, size_t o, unsigned cp)
{
    char b[4];
    size_t k;
    if (cp < 0x80) {
        b[0] = (char)cp;
        k = 1;
    } else if (cp < 0x800) {
        b[0] = (char)(0xC0 | cp >> 6);
        b[1] = (char)(0x80 | (cp & 0x3F));
        k = 2;
    } else {
        b[0] = (char)(0xE0 | cp >> 12);
        b[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        b[2] = (char)(0x80 | (cp & 0x3F));
        k = 3;
    }
    if (o + k >= cap)       /* never cut a character in half */
        return o;
    memcpy(out + o, b, k);
    return o + k;
}

void sam_ucs2_to_utf8(const uint8_t *in, size_t n, char *out, size_t cap)
{
    size_t o = 0, keep = 0;   /* keep: length without trailing blanks */
    if (cap == 0)
        return;
    for (size_t i = 0; i + 1 < n; i += 2) {
        unsigned cp = in[i] | (unsigned)in[i + 1] << 8;
        if (cp == 0)
            break;
        /* Control characters would reach a terminal or a printer: drop them. */
        if (cp < 0x20 || cp == 0x7F)
            continue;
        if (cp >= 0xD800 && cp <= 0xDFFF)
            cp = 0xFFFD;     /* UCS-2 has no surrogates; never emit CESU */
        o = put_utf8(out, cap, o, cp);
        if (cp != ' ' && cp != 0x3000)
            keep = o;
    }
    out[keep] = '\0';
}

/* A field of the block: offset and length in bytes. */
static void field(const uint8_t *t, size_t off, size_t len, char *out, size_t cap)
{
    sam_ucs2_to_utf8(t + off, len, out, cap);
}

/* A Y card's English name: part 1 (35 characters at p1) continues in part 2.
 * When part 2 is used, part 1 is filled to its full width, so its last
 * character belongs to the name: a space there is the boundary between two
 * words ("…ALE " + "ANDERSON") and must survive the trim that drops part 1's
 * padding (issue 12: "ALEANDERSON").  A card that pads part 1 short of its
 * width before continuing also gets one space at the join: the padding
 * marks a word boundary too.  out already holds part 1, trimmed. */
static void join_name_parts(const uint8_t *p1, char *out, size_t cap, const char *part2)
{
    if (!part2[0])
        return;
    unsigned last = p1[68] | (unsigned)p1[69] << 8;   /* character 35 */
    size_t l = strlen(out);
    bool space = last == ' ' || last == 0x3000 || last == 0;
    if (space && l > 0 && l + 1 < cap)
        out[l++] = ' ';
    size_t k = strlen(part2);
    if (l + k < cap) {
        memcpy(out + l, part2, k + 1);
    } else {
        out[l] = '\0';
    }
}

int sam_parse_text(const uint8_t text[SAM_TEXT_LEN], struct sam_card *c)
{
    memset(c, 0, sizeof *c);
    unsigned type = text[248] | (unsigned)text[249] << 8;
    switch (type) {
    case 0: case ' ':
        c->kind = CARD_KIND_RESIDENT;
        field(text, 0, 30, c->name, sizeof c->name);
        field(text, 30, 2, c->sex, sizeof c->sex);
        field(text, 32, 4, c->nation, sizeof c->nation);
        field(text, 36, 16, c->birth, sizeof c->birth);
        field(text, 52, 70, c->address, sizeof c->address);
        field(text, 122, 36, c->id_number, sizeof c->id_number);
        field(text, 158, 30, c->issuer, sizeof c->issuer);
        field(text, 188, 16, c->valid_from, sizeof c->valid_from);
        field(text, 204, 16, c->valid_to, sizeof c->valid_to);
        break;
    case 'J':
        c->kind = CARD_KIND_PERMIT_J;
        field(text, 0, 30, c->name, sizeof c->name);
        field(text, 30, 2, c->sex, sizeof c->sex);
        field(text, 36, 16, c->birth, sizeof c->birth);
        field(text, 52, 70, c->address, sizeof c->address);
        field(text, 122, 36, c->id_number, sizeof c->id_number);
        field(text, 158, 30, c->issuer, sizeof c->issuer);
        field(text, 188, 16, c->valid_from, sizeof c->valid_from);
        field(text, 204, 16, c->valid_to, sizeof c->valid_to);
        field(text, 220, 18, c->pass_number, sizeof c->pass_number);
        field(text, 238, 4, c->issue_count, sizeof c->issue_count);
        break;
    case 'I':
        c->kind = CARD_KIND_FOREIGN_I;
        field(text, 0, 120, c->name_en, sizeof c->name_en);
        field(text, 120, 2, c->sex, sizeof c->sex);
        field(text, 122, 30, c->id_number, sizeof c->id_number);
        field(text, 152, 6, c->nationality, sizeof c->nationality);
        field(text, 158, 30, c->name, sizeof c->name);
        field(text, 188, 16, c->valid_from, sizeof c->valid_from);
        field(text, 204, 16, c->valid_to, sizeof c->valid_to);
        field(text, 220, 16, c->birth, sizeof c->birth);
        field(text, 240, 8, c->issuer, sizeof c->issuer);   /* issuing-authority code */
        break;
    case 'Y': {
        c->kind = CARD_KIND_FOREIGN_Y;
        char part2[64];
        field(text, 0, 30, c->name, sizeof c->name);
        field(text, 30, 2, c->sex, sizeof c->sex);
        field(text, 32, 4, c->issue_count, sizeof c->issue_count);
        field(text, 36, 16, c->birth, sizeof c->birth);
        field(text, 52, 70, c->name_en, sizeof c->name_en);
        field(text, 122, 36, c->id_number, sizeof c->id_number);
        field(text, 188, 16, c->valid_from, sizeof c->valid_from);
        field(text, 204, 16, c->valid_to, sizeof c->valid_to);
        field(text, 220, 22, part2, sizeof part2);
        field(text, 242, 6, c->nationality, sizeof c->nationality);
        join_name_parts(text + 52, c->name_en, sizeof c->name_en, part2);
        sam_card_wipe_buf(part2, sizeof part2);
        break;
    }
    default:
        if (type >= 0x21 && type < 0x7F)
            return kerr(KERR_INPUT, "unsupported card type '%c' (only resident ID cards, "
                        "residence permits and foreigner permanent-residence cards)", (char)type);
        return kerr(KERR_INPUT, "unsupported card type U+%04X", type);
    }
    if (!c->id_number[0]) {
        sam_card_wipe(c);
        return kerr(KERR_INPUT, "the card's text has no ID number");
    }
    return 0;
}

int sam_parse_read(const struct sam_reply *r, bool with_fp, struct sam_card *out)
{
    size_t hdr = with_fp ? 6 : 4;
    if (r->sw3 != SAM_SW3_OK)
        return kerr(KERR_DEVICE, "card read failed: %s", sam_sw3_message(r->sw3));
    if (r->data_len < hdr)
        return kerr(KERR_INPUT, "card read reply too short (%zu bytes)", r->data_len);
    size_t tlen = (size_t)r->data[0] << 8 | r->data[1];
    size_t plen = (size_t)r->data[2] << 8 | r->data[3];
    size_t flen = with_fp ? ((size_t)r->data[4] << 8 | r->data[5]) : 0;
    if (tlen != SAM_TEXT_LEN)
        return kerr(KERR_INPUT, "card text is %zu bytes, expected 256", tlen);
    if (hdr + tlen + plen + flen != r->data_len)
        return kerr(KERR_INPUT, "card read reply lengths (%zu+%zu+%zu) do not match its size %zu",
                    tlen, plen, flen, r->data_len - hdr);
    /* The photo (WLT) and fingerprint follow; they are never copied. */
    return sam_parse_text(r->data + hdr, out);
}

int sam_parse_address(const struct sam_reply *r, char *out, size_t cap)
{
    if (r->sw3 == SAM_SW3_NO_CONTENT) {
        if (cap)
            out[0] = '\0';
        return KERR_NOTFOUND;
    }
    if (r->sw3 != SAM_SW3_OK)
        return kerr(KERR_DEVICE, "new-address read failed: %s", sam_sw3_message(r->sw3));
    if (r->data_len != 70)
        return kerr(KERR_INPUT, "new-address reply is %zu bytes, expected 70", r->data_len);
    sam_ucs2_to_utf8(r->data, r->data_len, out, cap);
    return 0;
}

static uint32_t le32(const uint8_t *p)
{
    return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

int sam_parse_sam_id(const struct sam_reply *r, char *out, size_t cap)
{
    if (r->sw3 != SAM_SW3_OK)
        return kerr(KERR_DEVICE, "SAM id: %s", sam_sw3_message(r->sw3));
    /* Frame offsets 10, 12, 14, 18, 22 = data offsets 0, 2, 4, 8, 12. */
    if (r->data_len < 16)
        return kerr(KERR_INPUT, "SAM id reply too short (%zu bytes)", r->data_len);
    const uint8_t *d = r->data;
    snprintf(out, cap, "%02u.%02u-%u-%09u-%09u", d[0], d[2], le32(d + 4), le32(d + 8),
             le32(d + 12));
    return 0;
}

void sam_card_wipe_buf(void *buf, size_t n)
{
    volatile unsigned char *p = buf;
    for (size_t i = 0; i < n; i++)
        p[i] = 0;
}

void sam_card_wipe(struct sam_card *c) { sam_card_wipe_buf(c, sizeof *c); }
