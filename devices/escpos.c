/* escpos.c — the ESC/POS encoder (see escpos.h). */
#include "escpos.h"

#include <errno.h>
#include <iconv.h>
#include <string.h>

#include "kiosk/err.h"

void escpos_buf_init(struct escpos_buf *b, uint8_t *storage, size_t cap)
{
    b->data = storage;
    b->len = 0;
    b->cap = cap;
    b->err = 0;
    b->cd = NULL;
}

void escpos_buf_release(struct escpos_buf *b)
{
    if (b->cd)
        iconv_close((iconv_t)b->cd);
    b->cd = NULL;
}

void escpos_raw(struct escpos_buf *b, const void *p, size_t n)
{
    if (b->err)
        return;
    if (n > b->cap - b->len) {
        b->err = KERR_NOMEM;
        return;
    }
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

static void put2(struct escpos_buf *b, uint8_t c0, uint8_t c1)
{
    uint8_t s[2] = {c0, c1};
    escpos_raw(b, s, 2);
}

static void put3(struct escpos_buf *b, uint8_t c0, uint8_t c1, uint8_t c2)
{
    uint8_t s[3] = {c0, c1, c2};
    escpos_raw(b, s, 3);
}

void escpos_init(struct escpos_buf *b) { put2(b, 0x1B, 0x40); }
void escpos_align(struct escpos_buf *b, enum escpos_align a) { put3(b, 0x1B, 0x61, (uint8_t)a); }
void escpos_bold(struct escpos_buf *b, bool on) { put3(b, 0x1B, 0x45, on); }
void escpos_chinese(struct escpos_buf *b, bool on) { put2(b, 0x1C, on ? 0x26 : 0x2E); }
void escpos_newline(struct escpos_buf *b) { escpos_raw(b, "\n", 1); }
void escpos_cut(struct escpos_buf *b, bool partial) { put3(b, 0x1D, 0x56, partial); }

void escpos_size(struct escpos_buf *b, int width, int height)
{
    width = width < 1 ? 1 : width > 8 ? 8 : width;
    height = height < 1 ? 1 : height > 8 ? 8 : height;
    put3(b, 0x1D, 0x21, (uint8_t)((width - 1) << 4 | (height - 1)));
}

void escpos_feed(struct escpos_buf *b, int lines)
{
    put3(b, 0x1B, 0x64, (uint8_t)(lines < 0 ? 0 : lines > 255 ? 255 : lines));
}

void escpos_status_request(struct escpos_buf *b, int n)
{
    put3(b, 0x10, 0x04, (uint8_t)(n < 1 ? 1 : n > 4 ? 4 : n));
}

/* Length of the UTF-8 sequence starting at s, or 0 if it is not valid
 * (overlong forms and surrogates included). */
static size_t utf8_len(const unsigned char *s)
{
    if (s[0] < 0x80)
        return 1;
    if (s[0] >= 0xC2 && s[0] <= 0xDF)
        return (s[1] & 0xC0) == 0x80 ? 2 : 0;
    if (s[0] >= 0xE0 && s[0] <= 0xEF) {
        if ((s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
            return 0;
        if (s[0] == 0xE0 && s[1] < 0xA0)
            return 0;
        if (s[0] == 0xED && s[1] >= 0xA0)
            return 0;
        return 3;
    }
    if (s[0] >= 0xF0 && s[0] <= 0xF4) {
        if ((s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80)
            return 0;
        if ((s[0] == 0xF0 && s[1] < 0x90) || (s[0] == 0xF4 && s[1] >= 0x90))
            return 0;
        return 4;
    }
    return 0;
}

/* One non-ASCII character to GB18030; returns the byte count (2 when
 * printable) or 0 when it needs 4 bytes or has no mapping. */
static size_t to_gb(struct escpos_buf *b, const char *ch, size_t n, uint8_t out[4])
{
    if (!b->cd) {
        iconv_t cd = iconv_open("GB18030", "UTF-8");
        if (cd == (iconv_t)-1)
            return 0;
        b->cd = cd;
    }
    char *in = (char *)ch, *o = (char *)out;
    size_t inleft = n, outleft = 4;
    iconv((iconv_t)b->cd, NULL, NULL, NULL, NULL);
    if (iconv((iconv_t)b->cd, &in, &inleft, &o, &outleft) == (size_t)-1 || inleft)
        return 0;
    return 4 - outleft;
}

int escpos_text(struct escpos_buf *b, const char *utf8)
{
    const unsigned char *s = (const unsigned char *)utf8;
    int replaced = 0;
    while (*s) {
        size_t k = utf8_len(s);
        if (k == 0) {                       /* invalid byte */
            escpos_raw(b, "?", 1);
            replaced++;
            s++;
            continue;
        }
        if (k == 1) {
            if (*s == '\n')
                escpos_newline(b);
            else if (*s >= 0x20 && *s != 0x7F)
                escpos_raw(b, s, 1);        /* control bytes dropped: never a command */
            s++;
            continue;
        }
        uint8_t gb[4];
        size_t g = to_gb(b, (const char *)s, k, gb);
        if (g == 2 && gb[0] >= 0x81 && gb[1] >= 0x40) {
            escpos_raw(b, gb, 2);
        } else {
            put2(b, 0xA3, 0xBF);             /* full-width ？ */
            replaced++;
        }
        s += k;
    }
    return replaced;
}

int escpos_text_columns(const char *utf8)
{
    const unsigned char *s = (const unsigned char *)utf8;
    int cols = 0;
    while (*s) {
        size_t k = utf8_len(s);
        if (k == 0) {
            cols++;
            s++;
        } else if (k == 1) {
            cols += *s >= 0x20 && *s != 0x7F;
            s++;
        } else {
            cols += 2;                      /* GB double-byte or the ？ replacement */
            s += k;
        }
    }
    return cols;
}

void escpos_raster(struct escpos_buf *b, const uint8_t *bits, int width_bytes, int rows,
                   int stripe_rows)
{
    if (width_bytes <= 0 || rows <= 0 || width_bytes > 0xFFFF)
        return;
    if (stripe_rows <= 0 || stripe_rows > 0xFFFF)
        stripe_rows = ESCPOS_STRIPE_ROWS;
    for (int y = 0; y < rows; y += stripe_rows) {
        int h = rows - y < stripe_rows ? rows - y : stripe_rows;
        uint8_t hdr[8] = {0x1D, 0x76, 0x30, 0x00, (uint8_t)width_bytes, (uint8_t)(width_bytes >> 8),
                          (uint8_t)h, (uint8_t)(h >> 8)};
        escpos_raw(b, hdr, sizeof hdr);
        escpos_raw(b, bits + (size_t)y * (size_t)width_bytes, (size_t)h * (size_t)width_bytes);
    }
}

void escpos_qr(struct escpos_buf *b, const char *data, size_t n, int module, enum escpos_qr_ec ec)
{
    static const uint8_t model[] = {0x1D, 0x28, 0x6B, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00};
    static const uint8_t print[] = {0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x51, 0x30};
    if (n + 3 > 0xFFFF) {
        b->err = KERR_NOMEM;
        return;
    }
    module = module < 1 ? 1 : module > 16 ? 16 : module;
    uint8_t size[] = {0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x43, (uint8_t)module};
    uint8_t level[] = {0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x45, (uint8_t)ec};
    uint8_t store[] = {0x1D, 0x28, 0x6B, (uint8_t)(n + 3), (uint8_t)((n + 3) >> 8), 0x31, 0x50, 0x30};
    escpos_raw(b, model, sizeof model);
    escpos_raw(b, size, sizeof size);
    escpos_raw(b, level, sizeof level);
    escpos_raw(b, store, sizeof store);
    escpos_raw(b, data, n);
    escpos_raw(b, print, sizeof print);
}

int escpos_status_parse(int n, uint8_t r, struct escpos_status *st)
{
    memset(st, 0, sizeof *st);
    /* Every DLE EOT reply has bits 1 and 4 set and bits 0 and 7 clear. */
    if ((r & 0x93) != 0x12)
        return kerr(KERR_INPUT, "printer status byte 0x%02X is not a DLE EOT reply", r);
    switch (n) {
    case 1:
        st->offline = r & 0x08;
        break;
    case 2:
        st->cover_open = r & 0x04;
        st->feed_pressed = r & 0x08;
        st->paper_end_stop = r & 0x20;
        st->error = r & 0x40;
        break;
    case 3:
        st->error = r & 0x6C;     /* model-specific causes: any of them is an error */
        break;
    case 4:
        st->near_end = r & 0x0C;
        st->paper_out = r & 0x60;
        break;
    default:
        return kerr(KERR_INPUT, "DLE EOT %d is not a status request", n);
    }
    return 0;
}

void escpos_profile(int paper_dots, bool native_qr, struct printer_profile *p)
{
    if (paper_dots >= 576)
        *p = (struct printer_profile){"80mm", 576, 48, native_qr, 8, 8};
    else
        *p = (struct printer_profile){"58mm", 384, 32, native_qr, 6, 6};
}
