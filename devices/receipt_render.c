/* receipt_render.c — an ESC/POS interpreter drawing into a bitmap (see receipt_render.h). */
#include "receipt_render.h"

#include <errno.h>
#include <png.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <qrencode.h>

#include "kiosk/err.h"

/* A 5×7 font for 0x20–0x7E, drawn for this project: seven rows per glyph,
 * bit 4 = leftmost column. */
static const uint8_t font5x7[95][7] = {
    {0x00,0x00,0x00,0x00,0x00,0x00,0x00}, {0x04,0x04,0x04,0x04,0x04,0x00,0x04},
    {0x0A,0x0A,0x00,0x00,0x00,0x00,0x00}, {0x0A,0x0A,0x1F,0x0A,0x1F,0x0A,0x0A},
    {0x04,0x0F,0x14,0x0E,0x05,0x1E,0x04}, {0x18,0x19,0x02,0x04,0x08,0x13,0x03},
    {0x0C,0x12,0x14,0x08,0x15,0x12,0x0D}, {0x04,0x04,0x00,0x00,0x00,0x00,0x00},
    {0x02,0x04,0x08,0x08,0x08,0x04,0x02}, {0x08,0x04,0x02,0x02,0x02,0x04,0x08},
    {0x00,0x04,0x15,0x0E,0x15,0x04,0x00}, {0x00,0x04,0x04,0x1F,0x04,0x04,0x00},
    {0x00,0x00,0x00,0x00,0x0C,0x04,0x08}, {0x00,0x00,0x00,0x1F,0x00,0x00,0x00},
    {0x00,0x00,0x00,0x00,0x00,0x0C,0x0C}, {0x00,0x01,0x02,0x04,0x08,0x10,0x00},
    {0x0E,0x11,0x13,0x15,0x19,0x11,0x0E}, {0x04,0x0C,0x04,0x04,0x04,0x04,0x0E},
    {0x0E,0x11,0x01,0x02,0x04,0x08,0x1F}, {0x1F,0x02,0x04,0x02,0x01,0x11,0x0E},
    {0x02,0x06,0x0A,0x12,0x1F,0x02,0x02}, {0x1F,0x10,0x1E,0x01,0x01,0x11,0x0E},
    {0x06,0x08,0x10,0x1E,0x11,0x11,0x0E}, {0x1F,0x01,0x02,0x04,0x08,0x08,0x08},
    {0x0E,0x11,0x11,0x0E,0x11,0x11,0x0E}, {0x0E,0x11,0x11,0x0F,0x01,0x02,0x0C},
    {0x00,0x0C,0x0C,0x00,0x0C,0x0C,0x00}, {0x00,0x0C,0x0C,0x00,0x0C,0x04,0x08},
    {0x02,0x04,0x08,0x10,0x08,0x04,0x02}, {0x00,0x00,0x1F,0x00,0x1F,0x00,0x00},
    {0x08,0x04,0x02,0x01,0x02,0x04,0x08}, {0x0E,0x11,0x01,0x02,0x04,0x00,0x04},
    {0x0E,0x11,0x01,0x0D,0x15,0x15,0x0E}, {0x0E,0x11,0x11,0x1F,0x11,0x11,0x11},
    {0x1E,0x11,0x11,0x1E,0x11,0x11,0x1E}, {0x0E,0x11,0x10,0x10,0x10,0x11,0x0E},
    {0x1C,0x12,0x11,0x11,0x11,0x12,0x1C}, {0x1F,0x10,0x10,0x1E,0x10,0x10,0x1F},
    {0x1F,0x10,0x10,0x1E,0x10,0x10,0x10}, {0x0E,0x11,0x10,0x17,0x11,0x11,0x0F},
    {0x11,0x11,0x11,0x1F,0x11,0x11,0x11}, {0x0E,0x04,0x04,0x04,0x04,0x04,0x0E},
    {0x07,0x02,0x02,0x02,0x02,0x12,0x0C}, {0x11,0x12,0x14,0x18,0x14,0x12,0x11},
    {0x10,0x10,0x10,0x10,0x10,0x10,0x1F}, {0x11,0x1B,0x15,0x15,0x11,0x11,0x11},
    {0x11,0x11,0x19,0x15,0x13,0x11,0x11}, {0x0E,0x11,0x11,0x11,0x11,0x11,0x0E},
    {0x1E,0x11,0x11,0x1E,0x10,0x10,0x10}, {0x0E,0x11,0x11,0x11,0x15,0x12,0x0D},
    {0x1E,0x11,0x11,0x1E,0x14,0x12,0x11}, {0x0F,0x10,0x10,0x0E,0x01,0x01,0x1E},
    {0x1F,0x04,0x04,0x04,0x04,0x04,0x04}, {0x11,0x11,0x11,0x11,0x11,0x11,0x0E},
    {0x11,0x11,0x11,0x11,0x11,0x0A,0x04}, {0x11,0x11,0x11,0x15,0x15,0x15,0x0A},
    {0x11,0x11,0x0A,0x04,0x0A,0x11,0x11}, {0x11,0x11,0x11,0x0A,0x04,0x04,0x04},
    {0x1F,0x01,0x02,0x04,0x08,0x10,0x1F}, {0x0E,0x08,0x08,0x08,0x08,0x08,0x0E},
    {0x00,0x10,0x08,0x04,0x02,0x01,0x00}, {0x0E,0x02,0x02,0x02,0x02,0x02,0x0E},
    {0x04,0x0A,0x11,0x00,0x00,0x00,0x00}, {0x00,0x00,0x00,0x00,0x00,0x00,0x1F},
    {0x08,0x04,0x00,0x00,0x00,0x00,0x00}, {0x00,0x00,0x0E,0x01,0x0F,0x11,0x0F},
    {0x10,0x10,0x16,0x19,0x11,0x11,0x1E}, {0x00,0x00,0x0E,0x10,0x10,0x11,0x0E},
    {0x01,0x01,0x0D,0x13,0x11,0x11,0x0F}, {0x00,0x00,0x0E,0x11,0x1F,0x10,0x0E},
    {0x06,0x09,0x08,0x1C,0x08,0x08,0x08}, {0x00,0x0F,0x11,0x11,0x0F,0x01,0x0E},
    {0x10,0x10,0x16,0x19,0x11,0x11,0x11}, {0x04,0x00,0x0C,0x04,0x04,0x04,0x0E},
    {0x02,0x00,0x06,0x02,0x02,0x12,0x0C}, {0x10,0x10,0x12,0x14,0x18,0x14,0x12},
    {0x0C,0x04,0x04,0x04,0x04,0x04,0x0E}, {0x00,0x00,0x1A,0x15,0x15,0x11,0x11},
    {0x00,0x00,0x16,0x19,0x11,0x11,0x11}, {0x00,0x00,0x0E,0x11,0x11,0x11,0x0E},
    {0x00,0x00,0x1E,0x11,0x1E,0x10,0x10}, {0x00,0x00,0x0D,0x13,0x0F,0x01,0x01},
    {0x00,0x00,0x16,0x19,0x10,0x10,0x10}, {0x00,0x00,0x0E,0x10,0x0E,0x01,0x1E},
    {0x08,0x08,0x1C,0x08,0x08,0x09,0x06}, {0x00,0x00,0x11,0x11,0x11,0x13,0x0D},
    {0x00,0x00,0x11,0x11,0x11,0x0A,0x04}, {0x00,0x00,0x11,0x11,0x15,0x15,0x0A},
    {0x00,0x00,0x11,0x0A,0x04,0x0A,0x11}, {0x00,0x00,0x11,0x11,0x0F,0x01,0x0E},
    {0x00,0x00,0x1F,0x02,0x04,0x08,0x1F}, {0x02,0x04,0x04,0x08,0x04,0x04,0x02},
    {0x04,0x04,0x04,0x04,0x04,0x04,0x04}, {0x08,0x04,0x04,0x02,0x04,0x04,0x08},
    {0x00,0x00,0x08,0x15,0x02,0x00,0x00},
};

#define LINE_MAX_ITEMS 256
#define DEFAULT_SPACING 30     /* ESC 2: 1/6 inch ≈ 30 dots at 203 dpi (incl. the glyph) */

/* A character waiting on the current line: printers print a line only when
 * it is complete (LF, full, or a command that flushes), and alignment then
 * applies to the whole line. */
struct item {
    int w, h;          /* cell size in dots */
    int code;          /* 0x20–0x7E ASCII, -1 double-byte box, -2 single-width box */
    bool bold;
};

struct render {
    struct render_page *pg;
    int paper;                /* printable dots */
    int cap_rows;             /* allocated rows */
    int y;                    /* top of the next line */
    /* print mode */
    int align, wmul, hmul, spacing;
    bool bold, chinese;
    /* line buffer */
    struct item line[LINE_MAX_ITEMS];
    int n_items, line_w;
    /* QR state (GS ( k) */
    int qr_module, qr_ec;
    uint8_t *qr_data;
    size_t qr_len;
};

static void reset_mode(struct render *r)
{
    r->align = 0;
    r->wmul = r->hmul = 1;
    r->spacing = DEFAULT_SPACING;
    r->bold = false;
    r->qr_module = 3;
    r->qr_ec = QR_ECLEVEL_L;
}

/* Make sure rows [0, rows) exist; false (and truncated) past the cap. */
static bool ensure_rows(struct render *r, int rows)
{
    struct render_page *pg = r->pg;
    bool ok = true;
    if (rows > RENDER_MAX_HEIGHT) {
        pg->truncated = 1;
        rows = RENDER_MAX_HEIGHT;
        ok = false;
    }
    if (rows > r->cap_rows) {
        int nc = r->cap_rows ? r->cap_rows : 512;
        while (nc < rows)
            nc *= 2;
        if (nc > RENDER_MAX_HEIGHT)
            nc = RENDER_MAX_HEIGHT;
        uint8_t *p = realloc(pg->px, (size_t)nc * (size_t)pg->width);
        if (!p) {
            pg->truncated = 1;     /* out of memory: stop drawing, keep what there is */
            return false;
        }
        memset(p + (size_t)r->cap_rows * (size_t)pg->width, 255,
               (size_t)(nc - r->cap_rows) * (size_t)pg->width);
        pg->px = p;
        r->cap_rows = nc;
    }
    if (rows > pg->height)
        pg->height = rows;
    return ok;
}

/* Paint one printable dot (x within the printable width). */
static void dot(struct render *r, int x, int y)
{
    if (x < 0 || x >= r->paper || y < 0 || y >= r->pg->height)
        return;
    r->pg->px[(size_t)y * (size_t)r->pg->width + (size_t)(x + RENDER_MARGIN)] = 0;
}

static void fill(struct render *r, int x, int y, int w, int h)
{
    for (int j = 0; j < h; j++)
        for (int i = 0; i < w; i++)
            dot(r, x + i, y + j);
}

static int align_x(const struct render *r, int w)
{
    if (w >= r->paper)
        return 0;
    return r->align == 1 ? (r->paper - w) / 2 : r->align == 2 ? r->paper - w : 0;
}

/* Print the line buffer (or an empty line of `spacing` dots). */
static void flush_line(struct render *r, bool feed_if_empty)
{
    if (r->n_items == 0) {
        if (feed_if_empty && ensure_rows(r, r->y + r->spacing))
            r->y += r->spacing;
        return;
    }
    int lh = 0;
    for (int i = 0; i < r->n_items; i++)
        lh = r->line[i].h > lh ? r->line[i].h : lh;
    int adv = lh + (r->spacing > 24 ? r->spacing - 24 : 0);
    if (!ensure_rows(r, r->y + adv)) {
        r->n_items = r->line_w = 0;
        return;
    }
    int x = align_x(r, r->line_w);
    for (int i = 0; i < r->n_items; i++) {
        const struct item *it = &r->line[i];
        int top = r->y + lh - it->h;          /* characters share a baseline */
        if (it->code >= 0x20 && it->code < 0x7F) {
            const uint8_t *g = font5x7[it->code - 0x20];
            int sx = 2 * it->w / 12, sy = 2 * it->h / 24;    /* 10×14 glyph in a 12×24 cell */
            int ox = x + (it->w - 5 * sx) / 2, oy = top + (it->h - 7 * sy) / 2;
            for (int row = 0; row < 7; row++)
                for (int col = 0; col < 5; col++)
                    if (g[row] & (0x10 >> col)) {
                        fill(r, ox + col * sx, oy + row * sy, sx, sy);
                        if (it->bold)
                            fill(r, ox + col * sx + 1, oy + row * sy, sx, sy);
                    }
        } else if (it->code != 0x20) {
            /* An outlined box: a character the renderer has no glyph for. */
            int bx = x + 2, by = top + 2, bw = it->w - 4, bh = it->h - 4;
            fill(r, bx, by, bw, 1);
            fill(r, bx, by + bh - 1, bw, 1);
            fill(r, bx, by, 1, bh);
            fill(r, bx + bw - 1, by, 1, bh);
        }
        x += it->w;
    }
    r->y += adv;
    r->n_items = r->line_w = 0;
}

static void add_char(struct render *r, int code, bool wide)
{
    int w = (wide ? 24 : 12) * r->wmul, h = 24 * r->hmul;
    if (r->line_w + w > r->paper || r->n_items == LINE_MAX_ITEMS)
        flush_line(r, false);                 /* the printer wraps */
    if (w > r->paper)
        return;
    r->line[r->n_items++] = (struct item){w, h, code, r->bold};
    r->line_w += w;
}

/* Draw a 1-bit raster (MSB left) at the current alignment, below the text. */
static void draw_raster(struct render *r, const uint8_t *bits, int wb, int rows, int mx, int my)
{
    flush_line(r, false);
    int w = wb * 8 * mx;
    if (!ensure_rows(r, r->y + rows * my)) {
        rows = (r->pg->height - r->y) / my;
        if (rows < 0)
            rows = 0;
    }
    int x0 = align_x(r, w);
    for (int yy = 0; yy < rows; yy++)
        for (int xx = 0; xx < wb * 8; xx++)
            if (bits[(size_t)yy * (size_t)wb + (size_t)(xx >> 3)] & (0x80 >> (xx & 7)))
                fill(r, x0 + xx * mx, r->y + yy * my, mx, my);
    r->y += rows * my;
}

static void print_qr(struct render *r)
{
    if (!r->qr_data || r->qr_len == 0)
        return;
    QRcode *q = QRcode_encodeData((int)r->qr_len, r->qr_data, 0, (QRecLevel)r->qr_ec);
    if (!q)
        return;          /* a real printer prints nothing for data it cannot encode */
    flush_line(r, false);
    int m = r->qr_module, side = q->width * m;
    if (ensure_rows(r, r->y + side)) {
        int x0 = align_x(r, side);
        for (int y = 0; y < q->width; y++)
            for (int x = 0; x < q->width; x++)
                if (q->data[y * q->width + x] & 1)
                    fill(r, x0 + x * m, r->y + y * m, m, m);
        r->y += side;
    }
    QRcode_free(q);
}

static void cut_line(struct render *r)
{
    flush_line(r, false);
    if (!ensure_rows(r, r->y + 12))
        return;
    for (int x = -RENDER_MARGIN; x < r->paper + RENDER_MARGIN; x++)
        if ((x / 6) % 2 == 0)
            r->pg->px[(size_t)(r->y + 6) * (size_t)r->pg->width + (size_t)(x + RENDER_MARGIN)] = 0;
    r->y += 12;
}

/* GS ( k: pL pH cn fn [params]; only cn = 0x31 (QR) is drawn. */
static void gs_paren_k(struct render *r, const uint8_t *p, size_t plen)
{
    if (plen < 2 || p[0] != 0x31)
        return;
    uint8_t fn = p[1];
    if (fn == 0x43 && plen >= 3)
        r->qr_module = p[2] >= 1 && p[2] <= 16 ? p[2] : r->qr_module;
    else if (fn == 0x45 && plen >= 3 && p[2] >= 0x30 && p[2] <= 0x33)
        r->qr_ec = p[2] - 0x30;            /* 0x30 L … 0x33 H = QR_ECLEVEL_L … H */
    else if (fn == 0x50 && plen >= 3) {
        free(r->qr_data);
        r->qr_len = plen - 3;
        r->qr_data = malloc(r->qr_len + 1);
        if (!r->qr_data)
            r->qr_len = 0;
        else
            memcpy(r->qr_data, p + 3, r->qr_len);
    } else if (fn == 0x51)
        print_qr(r);
}

int receipt_render(const uint8_t *s, size_t n, int paper_dots, struct render_page *pg)
{
    struct render *r = calloc(1, sizeof *r);
    memset(pg, 0, sizeof *pg);
    if (!r)
        return KERR_NOMEM;
    r->pg = pg;
    r->paper = paper_dots >= 576 ? 576 : paper_dots >= 384 ? paper_dots : 384;
    pg->width = r->paper + 2 * RENDER_MARGIN;
    reset_mode(r);
    r->chinese = true;           /* Chinese printers power up in Chinese mode */
    if (!ensure_rows(r, 16)) {
        free(r);
        return KERR_NOMEM;
    }
    r->y = 16;                   /* a little paper above the first line */

    size_t i = 0;
    while (i < n) {
        uint8_t c = s[i];
        size_t left = n - i;
        if (c == 0x0A) {
            flush_line(r, true);
            i++;
        } else if (c == 0x1B && left >= 2) {          /* ESC */
            uint8_t k = s[i + 1];
            size_t need = (k == '@' || k == '2') ? 2 : 3;
            if (left < need)
                break;
            switch (k) {
            case '@': flush_line(r, false); reset_mode(r); break;
            case 'a': r->align = s[i + 2] & 3; if (r->align == 3) r->align = 0; break;
            case 'E': r->bold = s[i + 2] & 1; break;
            case 'd':
                flush_line(r, false);
                for (int l = 0; l < s[i + 2]; l++)
                    flush_line(r, true);
                break;
            case 'J': flush_line(r, false); if (ensure_rows(r, r->y + s[i + 2])) r->y += s[i + 2]; break;
            case '2': r->spacing = DEFAULT_SPACING; break;
            case '3': r->spacing = s[i + 2]; break;
            case '-': case 't': case 'M': case '!': case 'G': case 'V': case '{': break;
            default: pg->unknown_commands++; need = 2; break;
            }
            i += need;
        } else if (c == 0x1D && left >= 2) {          /* GS */
            uint8_t k = s[i + 1];
            if (k == '!' && left >= 3) {
                r->wmul = (s[i + 2] >> 4 & 7) + 1;
                r->hmul = (s[i + 2] & 7) + 1;
                i += 3;
            } else if (k == 'V' && left >= 3) {
                size_t need = (s[i + 2] == 0x41 || s[i + 2] == 0x42) ? 4 : 3;
                if (need == 4 && left >= 4) {
                    for (int l = 0; l < s[i + 3] && l < 255; l++)
                        if (ensure_rows(r, r->y + 1))
                            r->y += 1;
                }
                cut_line(r);
                i += need;
            } else if (k == 'v' && left >= 8 && s[i + 2] == 0x30) {
                int m = s[i + 3];
                int wb = s[i + 4] | s[i + 5] << 8, rows = s[i + 6] | s[i + 7] << 8;
                size_t sz = (size_t)wb * (size_t)rows;
                if (sz > left - 8)
                    break;                 /* truncated image: the printer would wait for more */
                draw_raster(r, s + i + 8, wb, rows, (m & 1) + 1, (m >> 1 & 1) + 1);
                i += 8 + sz;
            } else if (k == '(' && left >= 5 && s[i + 2] == 'k') {
                size_t plen = s[i + 3] | (size_t)s[i + 4] << 8;
                if (plen > left - 5)
                    break;
                gs_paren_k(r, s + i + 5, plen);
                i += 5 + plen;
            } else {
                pg->unknown_commands++;
                i += 2;
            }
        } else if (c == 0x1C && left >= 2) {          /* FS */
            if (s[i + 1] == '&')
                r->chinese = true;
            else if (s[i + 1] == '.')
                r->chinese = false;
            else
                pg->unknown_commands++;
            i += 2;
        } else if (c == 0x10 && left >= 3 && s[i + 1] == 0x04) {   /* DLE EOT: no ink */
            i += 3;
        } else if (c >= 0x20 && c < 0x7F) {
            add_char(r, c, false);
            i++;
        } else if (c >= 0x81 && c <= 0xFE && r->chinese && left >= 2 && s[i + 1] >= 0x40 &&
                   s[i + 1] != 0x7F && s[i + 1] != 0xFF) {
            add_char(r, -1, true);
            i += 2;
        } else if (c >= 0x80) {
            add_char(r, -2, false);
            i++;
        } else {
            i++;                       /* other control bytes: nothing to draw */
        }
        if (pg->truncated)
            break;
    }
    flush_line(r, false);
    if (ensure_rows(r, r->y + 16))
        r->y += 16;
    pg->height = r->y < pg->height ? r->y : pg->height;
    free(r->qr_data);
    free(r);
    return 0;
}

void render_page_free(struct render_page *p)
{
    free(p->px);
    memset(p, 0, sizeof *p);
}

int render_page_write_png(const struct render_page *p, const char *path)
{
    png_image img;
    memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    img.width = (png_uint_32)p->width;
    img.height = (png_uint_32)p->height;
    img.format = PNG_FORMAT_GRAY;
    if (!png_image_write_to_file(&img, path, 0, p->px, p->width, NULL))
        return kerr(KERR_IO, "%s: cannot write PNG: %s", path, img.message);
    return 0;
}
